package actions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eventNames are the events the reader treats differently, plus one it
// does not know; the fuzzer picks one by index so it spends its time on
// payloads, not on names.
var eventNames = []string{"pull_request", "pull_request_target", "push", "workflow_dispatch"}

// FuzzReadEvent feeds the event payload reader (the runner's
// GITHUB_EVENT_PATH file, written from data anyone can shape: titles,
// bodies, branch names) arbitrary bytes. Seeds are the real webhook
// payloads of testdata/events. It runs in-process (no file, no
// subprocess per input):
//
//	go test -run '^$' -fuzz FuzzReadEvent -fuzztime 60s ./actions/
//
// Invariants: no panic; an error comes without an event and says which
// event it was reading; a parsed pull request has its refs and SHAs, the
// event's commit is its head, and fork, read-only and untrusted-head
// agree with each other and with the event name.
func FuzzReadEvent(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed payloads: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		name, _, _ := strings.Cut(filepath.Base(file), ".")
		for i, n := range eventNames {
			if n == name {
				f.Add(uint8(i), data)
			}
		}
	}
	f.Add(uint8(0), []byte(`{"pull_request":{"head":{"ref":"a","sha":"1","repo":null},"base":{"ref":"b","sha":"2"}}}`))
	f.Add(uint8(2), []byte(`{"ref":"refs/tags/v1.0.0","after":"0000000000000000000000000000000000000000"}`))
	f.Add(uint8(3), []byte(`null`))

	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		name := eventNames[int(kind)%len(eventNames)]
		ev, err := ParseEvent(name, data)
		if err != nil {
			if ev != nil {
				t.Errorf("ParseEvent returned an event with the error %v", err)
			}
			if msg := err.Error(); msg == "" || !strings.Contains(msg, name) && !strings.Contains(msg, "payload") {
				t.Errorf("error %q does not say what it was reading", msg)
			}
			return
		}
		if ev == nil || ev.Name != name {
			t.Fatalf("ParseEvent(%q) = %+v", name, ev)
		}
		pr := ev.PullRequest
		switch name {
		case "pull_request", "pull_request_target":
			if pr == nil || ev.Push != nil {
				t.Fatalf("%s event without a pull request: %+v", name, ev)
			}
			if pr.HeadRef == "" || pr.BaseRef == "" || pr.HeadSHA == "" || pr.BaseSHA == "" {
				t.Errorf("pull request without refs or SHAs: %+v", pr)
			}
			if ev.SHA != pr.HeadSHA {
				t.Errorf("event SHA %q is not the head %q", ev.SHA, pr.HeadSHA)
			}
			fork := pr.HeadRepo == "" || !strings.EqualFold(pr.HeadRepo, pr.BaseRepo)
			if pr.FromFork() != fork {
				t.Errorf("FromFork() = %v with head %q and base %q", pr.FromFork(), pr.HeadRepo, pr.BaseRepo)
			}
			if ev.ReadOnlyToken() != (name == "pull_request" && fork) {
				t.Errorf("ReadOnlyToken() = %v for %s, fork %v", ev.ReadOnlyToken(), name, fork)
			}
			if ev.UntrustedHead() != (name == "pull_request_target" && fork) {
				t.Errorf("UntrustedHead() = %v for %s, fork %v", ev.UntrustedHead(), name, fork)
			}
		case "push":
			if ev.Push == nil || pr != nil || ev.Push.Ref == "" {
				t.Fatalf("push event %+v", ev)
			}
			if b := ev.Push.Branch(); b != "" && "refs/heads/"+b != ev.Push.Ref {
				t.Errorf("Branch() = %q of ref %q", b, ev.Push.Ref)
			}
		default:
			if pr != nil || ev.Push != nil || ev.ReadOnlyToken() || ev.UntrustedHead() {
				t.Errorf("%s event read as a pull request or push: %+v", name, ev)
			}
		}
	})
}
