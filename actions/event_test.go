package actions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestEvent(t *testing.T) {
	const (
		head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
		base = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
	)
	pr := func(action, headRef, baseRef string) *Event {
		return &Event{
			Name: "pull_request", Action: action, Repository: "Codertocat/Hello-World", SHA: head,
			PullRequest: &PullRequest{
				Number: 2, Title: "Update the README with new information.",
				HeadRef: headRef, BaseRef: baseRef, HeadSHA: head, BaseSHA: base,
				HeadRepo: "Codertocat/Hello-World", BaseRepo: "Codertocat/Hello-World",
			},
		}
	}
	tests := []struct {
		file     string
		name     string
		want     *Event
		fromFork bool
	}{
		{file: "pull_request.opened.feature.json", name: "pull_request", want: pr("opened", "feature/login-form", "dev")},
		{file: "pull_request.synchronize.hotfix.json", name: "pull_request", want: pr("synchronize", "hotfix/crash-on-start", "main")},
		{file: "pull_request.reopened.dev.json", name: "pull_request", want: pr("reopened", "dev", "main")},
		{file: "pull_request.edited.base-changed.json", name: "pull_request", want: func() *Event {
			e := pr("edited", "feature/login-form", "dev")
			e.PullRequest.PreviousBaseRef = "main"
			return e
		}()},
		{file: "pull_request.opened.fork.json", name: "pull_request", fromFork: true, want: func() *Event {
			e := pr("opened", "feature/login-form", "dev")
			e.PullRequest.HeadRepo, e.PullRequest.HeadFork = "forker/Hello-World", true
			return e
		}()},
		{file: "pull_request.opened.fork.json", name: "pull_request_target", fromFork: true, want: func() *Event {
			e := pr("opened", "feature/login-form", "dev")
			e.Name = "pull_request_target"
			e.PullRequest.HeadRepo, e.PullRequest.HeadFork = "forker/Hello-World", true
			return e
		}()},
		{file: "push.main.json", name: "push", want: &Event{
			Name: "push", Repository: "Codertocat/Hello-World", SHA: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
			Push: &Push{Ref: "refs/heads/main", Before: "0000000000000000000000000000000000000000", After: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", Created: true},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/"+tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "events", tc.file)
			r, _, _ := tempRunner(t, map[string]string{
				"GITHUB_EVENT_NAME":  tc.name,
				"GITHUB_EVENT_PATH":  path,
				"GITHUB_REPOSITORY":  "ignored/when-the-payload-has-one",
				"GITHUB_SHA":         "merge-commit-sha-not-the-head",
				"GITHUB_REF":         "refs/pull/2/merge",
				"GITHUB_HEAD_REF":    "not-used",
				"GITHUB_BASE_REF":    "not-used",
				"GITHUB_ACTION_PATH": "/x",
			})
			got, err := r.Event()
			if err != nil {
				t.Fatal(err)
			}
			ignore := cmpopts.IgnoreFields(PullRequest{}, "Body", "Commits", "Draft")
			if diff := cmp.Diff(tc.want, got, ignore); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			if got.PullRequest != nil {
				if got.PullRequest.FromFork() != tc.fromFork {
					t.Errorf("FromFork() = %v, want %v", got.PullRequest.FromFork(), tc.fromFork)
				}
				raw, _ := os.ReadFile(path)
				if !strings.Contains(string(raw), `"label": "`) {
					t.Error("payload lost head.label; the test no longer shows it is ignored")
				}
			}
		})
	}
}

func TestEventErrors(t *testing.T) {
	tests := []struct {
		name, event, payload, want string
	}{
		{"not json", "push", "{", "decoding push payload"},
		{"pull_request without pr", "pull_request", `{"action":"opened"}`, "no pull_request object"},
		{"pull_request without refs", "pull_request", `{"pull_request":{"head":{"ref":"a"},"base":{}}}`, "need ref and sha"},
		{"push without ref", "push", `{}`, "no ref"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseEvent(tc.event, []byte(tc.payload))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		r, _, _ := tempRunner(t, map[string]string{"GITHUB_EVENT_PATH": filepath.Join(t.TempDir(), "none.json")})
		if _, err := r.Event(); err == nil || !strings.Contains(err.Error(), "reading the event payload") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("push without ref uses GITHUB_REF", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "event.json")
		if err := os.WriteFile(path, []byte(`{}`), 0o644); err != nil {
			t.Fatal(err)
		}
		r, _, _ := tempRunner(t, map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": path, "GITHUB_REF": "refs/heads/dev", "GITHUB_SHA": "abc"})
		ev, err := r.Event()
		if err != nil || ev.Push == nil || ev.Push.Branch() != "dev" || ev.SHA != "abc" {
			t.Errorf("Event() = %+v, %v", ev, err)
		}
	})
	t.Run("local run", func(t *testing.T) {
		r, _, _ := tempRunner(t, map[string]string{"GITHUB_SHA": "abc"})
		ev, err := r.Event()
		if err != nil || ev.SHA != "abc" || ev.PullRequest != nil {
			t.Errorf("Event() = %+v, %v", ev, err)
		}
	})
}

func TestPushBranch(t *testing.T) {
	for ref, want := range map[string]string{"refs/heads/feature/x": "feature/x", "refs/tags/v1.0.0": "", "main": ""} {
		if got := (&Push{Ref: ref}).Branch(); got != want {
			t.Errorf("Branch(%q) = %q, want %q", ref, got, want)
		}
	}
}
