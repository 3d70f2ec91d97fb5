package actions

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

func TestEvent(t *testing.T) {
	const (
		head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
		base = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
	)
	pr := func(action, headRef, baseRef string) *Event {
		// GitHub's synchronize, reopened and labeled examples carry the
		// label "bug", its opened example none.
		var labels []string
		if action != "opened" && action != "edited" {
			labels = []string{"bug"}
		}
		return &Event{
			Name: "pull_request", Action: action, Repository: "Codertocat/Hello-World", SHA: head,
			PullRequest: &PullRequest{
				Number: 2, Title: "Update the README with new information.",
				HeadRef: headRef, BaseRef: baseRef, HeadSHA: head, BaseSHA: base,
				HeadRepo: "Codertocat/Hello-World", BaseRepo: "Codertocat/Hello-World",
				Labels: labels,
			},
		}
	}
	tests := []struct {
		file     string
		name     string
		want     *Event
		fromFork bool
		// readOnly: GitHub gives the run a read-only token (ReadOnlyToken);
		// untrusted: a write token with a fork's head (UntrustedHead).
		readOnly, untrusted bool
	}{
		{file: "pull_request.opened.feature.json", name: "pull_request", want: pr("opened", "feature/login-form", "dev")},
		{file: "pull_request.synchronize.hotfix.json", name: "pull_request", want: pr("synchronize", "hotfix/crash-on-start", "main")},
		{file: "pull_request.reopened.dev.json", name: "pull_request", want: pr("reopened", "dev", "main")},
		{file: "pull_request.edited.base-changed.json", name: "pull_request", want: func() *Event {
			e := pr("edited", "feature/login-form", "dev")
			e.PullRequest.PreviousBaseRef = "main"
			return e
		}()},
		{file: "pull_request.opened.fork.json", name: "pull_request", fromFork: true, readOnly: true, want: func() *Event {
			e := pr("opened", "feature/login-form", "dev")
			e.PullRequest.HeadRepo, e.PullRequest.HeadFork = "forker/Hello-World", true
			return e
		}()},
		{file: "pull_request_target.opened.fork.json", name: "pull_request_target", fromFork: true, untrusted: true, want: func() *Event {
			e := pr("opened", "feature/login-form", "dev")
			e.Name = "pull_request_target"
			e.PullRequest.HeadRepo, e.PullRequest.HeadFork = "forker/Hello-World", true
			return e
		}()},
		{file: "pull_request_target.opened.same-repo.json", name: "pull_request_target", want: func() *Event {
			e := pr("opened", "feature/login-form", "dev")
			e.Name = "pull_request_target"
			return e
		}()},
		// A deleted fork: head.repo is null. Still a fork, still someone
		// else's code under pull_request_target.
		{file: "pull_request_target.synchronize.deleted-fork.json", name: "pull_request_target", fromFork: true, untrusted: true, want: func() *Event {
			e := pr("synchronize", "feature/login-form", "dev")
			e.Name = "pull_request_target"
			e.PullRequest.HeadRepo = ""
			return e
		}()},
		{file: "pull_request_target.synchronize.deleted-fork.json", name: "pull_request", fromFork: true, readOnly: true, want: func() *Event {
			e := pr("synchronize", "feature/login-form", "dev")
			e.PullRequest.HeadRepo = ""
			return e
		}()},
		// Two branches of a repository that is itself a fork: head.repo.fork
		// is true, but the head is the base repository.
		{file: "pull_request.opened.in-fork-repo.json", name: "pull_request", want: func() *Event {
			e := pr("opened", "feature/login-form", "dev")
			e.PullRequest.HeadFork = true
			return e
		}()},
		{file: "pull_request.labeled.draft.json", name: "pull_request", want: func() *Event {
			return pr("labeled", "feature/login-form", "main")
		}()},
		// A merge queue's group: the check goes on the queue's commit.
		{file: "merge_group.checks_requested.json", name: "merge_group", want: &Event{
			Name: "merge_group", Action: "checks_requested", Repository: "octo-org/octo-repo",
			SHA: "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d",
			MergeGroup: &MergeGroup{
				HeadRef: "gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64", BaseRef: "main",
				HeadSHA: "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d", BaseSHA: "380387fbc80638b734a49e1be1c4dfec1c01b33c",
			},
		}},
		{file: "workflow_run.completed.fork.json", name: "workflow_run", want: &Event{
			Name: "workflow_run", Action: "completed", Repository: "Codertocat/Hello-World", SHA: "merge-commit-sha-not-the-head",
			WorkflowRun: &WorkflowRun{Event: "pull_request", HeadSHA: "5779607b49aab1200488439f02372c57b4f75444"},
		}},
		{file: "workflow_run.completed.same-repo.json", name: "workflow_run", want: &Event{
			Name: "workflow_run", Action: "completed", Repository: "octo-org/octo-repo", SHA: "merge-commit-sha-not-the-head",
			WorkflowRun: &WorkflowRun{Event: "pull_request", HeadSHA: head, PullRequests: []WorkflowRunPR{{Number: 2, HeadSHA: head}}},
		}},
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
				if got.ReadOnlyToken() != tc.readOnly {
					t.Errorf("ReadOnlyToken() = %v, want %v", got.ReadOnlyToken(), tc.readOnly)
				}
				if got.UntrustedHead() != tc.untrusted {
					t.Errorf("UntrustedHead() = %v, want %v", got.UntrustedHead(), tc.untrusted)
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
		{"merge_group without group", "merge_group", `{"action":"checks_requested"}`, "no merge_group object"},
		{"merge_group with a tag ref", "merge_group", `{"merge_group":{"head_sha":"a","base_sha":"b","head_ref":"refs/tags/x","base_ref":"refs/heads/main"}}`, "branch refs"},
		{"workflow_run without head_sha", "workflow_run", `{"workflow_run":{}}`, "needs head_sha"},
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

// TestPullRequestTargetReports: a pull_request_target run holds the base
// repository's write token even for a fork's pull request, so shipflow
// reports to GitHub (a check run on the head commit) instead of falling
// back as for a pull_request from a fork, whose token is read-only. Fork
// detection compares head.repo with base.repo: a deleted fork is a fork,
// and a branch of a repository that is itself a fork is not.
func TestPullRequestTargetReports(t *testing.T) {
	tests := []struct {
		name, event, file string
		runs              int
		readOnly          bool
		headKind          string
	}{
		{"pull_request from a fork", "pull_request", "pull_request.opened.fork.json", 0, true, "fork"},
		{"pull_request from a deleted fork", "pull_request", "pull_request_target.synchronize.deleted-fork.json", 0, true, "fork"},
		{"pull_request in a repository that is a fork", "pull_request", "pull_request.opened.in-fork-repo.json", 1, false, "feature/*"},
		{"pull_request_target from a fork", "pull_request_target", "pull_request_target.opened.fork.json", 1, false, "fork"},
		{"pull_request_target from a deleted fork", "pull_request_target", "pull_request_target.synchronize.deleted-fork.json", 1, false, "fork"},
		{"pull_request_target from the same repository", "pull_request_target", "pull_request_target.opened.same-repo.json", 1, false, "feature/*"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			fake := s.github(githubfake.Permissions{Push: true})
			s.event(tc.event, tc.file, nil)
			rep, err := s.run("branch", t.TempDir())
			if err != nil {
				t.Fatalf("step failed: %v", err)
			}
			if rep.Conclusion != Success || s.outputs()["head-kind"] != tc.headKind {
				t.Errorf("conclusion %s, head-kind %q, want success and %q", rep.Conclusion, s.outputs()["head-kind"], tc.headKind)
			}
			runs := fake.CheckRuns("Codertocat", "Hello-World")
			if len(runs) != tc.runs {
				t.Errorf("%d check runs, want %d; summary:\n%s", len(runs), tc.runs, s.summary())
			}
			for _, cr := range runs {
				if cr.HeadSHA != "ec26c3e57ca3a959ca5aad62de7213c562f8c821" {
					t.Errorf("check run on %s, want the pull request's head", cr.HeadSHA)
				}
			}
			if got := strings.Contains(s.summary(), "token is read-only"); got != tc.readOnly {
				t.Errorf("summary says read-only: %v, want %v:\n%s", got, tc.readOnly, s.summary())
			}
		})
	}
}

// TestPullRequestTargetRefusesHeadCheckout: a pull_request_target run from
// a fork whose work tree is the fork's head (or the merge commit) would read
// the fork's .shipflow.yaml with the write token in reach: refused as a
// workflow error. The base checkout, and a branch of the same repository,
// run.
func TestPullRequestTargetRefusesHeadCheckout(t *testing.T) {
	repo := gittest.New(t)
	base := repo.Commit("chore: init")
	repo.Branch("feature/login-form")
	repo.Checkout("feature/login-form")
	head := repo.CommitFile(".shipflow.yaml", "changelog:\n  file: FORK.md\n", "feat: the fork's config")
	repo.Checkout("main")
	tests := []struct {
		name, event, file, checkout string
		wantErr                     bool
	}{
		{"fork head checked out", "pull_request_target", "pull_request_target.opened.fork.json", head, true},
		{"fork merge commit checked out", "pull_request_target", "pull_request_target.opened.fork.json", "merge", true},
		{"deleted fork head checked out", "pull_request_target", "pull_request_target.synchronize.deleted-fork.json", head, true},
		{"base checked out", "pull_request_target", "pull_request_target.opened.fork.json", base, false},
		{"same repository head checked out", "pull_request_target", "pull_request_target.opened.same-repo.json", head, false},
		{"pull_request from a fork", "pull_request", "pull_request.opened.fork.json", head, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clone := repo.Clone()
			if tc.checkout == "merge" {
				clone.Git("checkout", "--quiet", "--detach", base)
				clone.Git("merge", "--quiet", "--no-ff", "-m", "Merge "+head+" into "+base, head)
			} else {
				clone.Git("checkout", "--quiet", "--detach", tc.checkout)
			}
			s := newSim(t)
			s.event(tc.event, tc.file, setSHAs(base, head))
			_, err := s.run("branch", clone.Dir)
			var ie *InputError
			refused := err != nil && errors.As(err, &ie) && strings.Contains(err.Error(), "pull_request_target from the fork") && strings.Contains(err.Error(), "check out the base")
			if refused != tc.wantErr || (!tc.wantErr && err != nil) {
				t.Errorf("err = %v, want a refusal: %v", err, tc.wantErr)
			}
		})
	}
}

func TestPushBranch(t *testing.T) {
	for ref, want := range map[string]string{"refs/heads/feature/x": "feature/x", "refs/tags/v1.0.0": "", "main": ""} {
		if got := (&Push{Ref: ref}).Branch(); got != want {
			t.Errorf("Branch(%q) = %q, want %q", ref, got, want)
		}
	}
}

// TestCIContextFromEvents: what the resolvers get from each event — the
// pull request's body, draft flag and labels, and a merge queue's group
// as the range it adds on its branch.
func TestCIContextFromEvents(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       release.CI
	}{
		{"pull_request", "pull_request.labeled.draft.json", release.CI{
			Branch: "feature/login-form", Base: "main",
			From: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", To: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
			Repository: "Codertocat/Hello-World", Number: 2, Title: "Update the README with new information.",
			Body: "This is a pretty simple change that we need to pull into master.", Draft: true, Labels: []string{"bug"},
		}},
		{"merge_group", "merge_group.checks_requested.json", release.CI{
			Branch: "gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64", Base: "main",
			From: "380387fbc80638b734a49e1be1c4dfec1c01b33c", To: "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d",
			Repository: "octo-org/octo-repo", MergeGroup: true,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{
				"GITHUB_EVENT_NAME": tc.name,
				"GITHUB_EVENT_PATH": filepath.Join("testdata", "events", tc.file),
				"GITHUB_REF_NAME":   "not-used",
			}
			got, err := CIContext(func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("CI (-want +got):\n%s", diff)
			}
		})
	}
}
