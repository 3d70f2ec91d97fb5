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
var eventNames = []string{"pull_request", "pull_request_target", "push", "workflow_dispatch", "merge_group", "workflow_run"}

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
		case "merge_group":
			mg := ev.MergeGroup
			if mg == nil || pr != nil || ev.Push != nil || ev.ReadOnlyToken() || ev.UntrustedHead() {
				t.Fatalf("merge_group event %+v", ev)
			}
			if mg.HeadRef == "" || mg.BaseRef == "" || mg.HeadSHA == "" || mg.BaseSHA == "" || ev.SHA != mg.HeadSHA {
				t.Errorf("merge group without refs or SHAs, or not on its head: %+v (SHA %q)", mg, ev.SHA)
			}
		case "workflow_run":
			if ev.WorkflowRun == nil || ev.WorkflowRun.HeadSHA == "" || pr != nil || ev.Push != nil {
				t.Fatalf("workflow_run event %+v", ev)
			}
		case "push":
			if ev.Push == nil || pr != nil || ev.Push.Ref == "" {
				t.Fatalf("push event %+v", ev)
			}
			if b := ev.Push.Branch(); b != "" && "refs/heads/"+b != ev.Push.Ref {
				t.Errorf("Branch() = %q of ref %q", b, ev.Push.Ref)
			}
		default:
			if pr != nil || ev.Push != nil || ev.MergeGroup != nil || ev.WorkflowRun != nil || ev.ReadOnlyToken() || ev.UntrustedHead() {
				t.Errorf("%s event read as a pull request or push: %+v", name, ev)
			}
		}
	})
}

// FuzzParseSavedReport feeds the saved-report reader (a fork's artifact,
// read by a workflow holding the base repository's write token) arbitrary
// bytes:
//
//	go test -run '^$' -fuzz FuzzParseSavedReport -fuzztime 60s ./actions/
//
// Invariants: no panic; a report it accepts is within every cap.
func FuzzParseSavedReport(f *testing.F) {
	f.Add([]byte(`{"version":1,"name":"shipflow pr","title":"t","conclusion":"failure","summary":"s","head_sha":"0123456789abcdef0123456789abcdef01234567","pull_request":2,"annotations":[{"level":"failure","file":"a.go","line":1,"message":"m"}],"outputs":[{"name":"errors","value":"1"}]}`))
	f.Add([]byte(`{"version":1,"repository":"evil/repo"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sr, err := ParseSavedReport(data)
		if err != nil {
			if sr != nil {
				t.Errorf("a report with the error %v", err)
			}
			return
		}
		if sr.Name == "" || strings.ContainsAny(sr.Name+sr.Title, "\r\n") || len(sr.Annotations) > MaxSavedAnnotations ||
			len(sr.Outputs) > MaxSavedOutputs || len(sr.HeadSHA) != 40 {
			t.Errorf("accepted %+v", sr)
		}
		for _, a := range sr.Annotations {
			if strings.HasPrefix(a.File, "/") || strings.HasPrefix(a.File, "../") || a.File == ".." {
				t.Errorf("accepted the annotation path %q", a.File)
			}
		}
	})
}
