package act

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// forkPullRequest is a repository whose dev branch (checked out: the base
// a pull_request_target run checks out) has the workflows of scenario, and
// whose origin holds a fork's pull request as refs/pull/2/head, as GitHub
// keeps it. The fork's commits are only on origin: the workflow must fetch
// them. The fork also adds a .shipflow.yaml with an unknown key, which
// shipflow would refuse if it ever read the fork's files.
func forkPullRequest(t *testing.T, scenario string) (r *gittest.Repo, base, head string) {
	t.Helper()
	r = gittest.New(t)
	r.Commit("chore: init")
	addWorkflows(t, r, scenario)
	r.Branch("dev")
	base = r.Head()
	r.InitBare("origin")
	r.Git("push", "-q", "origin", "dev")
	r.Branch("feature/login-form")
	r.CommitFile(".shipflow.yaml", "pr:\n  check: title\n  not-a-key: true\n", "feat(login): add the form")
	head = r.Commit("fix(login): check the e-mail address")
	r.Git("push", "-q", "origin", "HEAD:refs/pull/2/head")
	r.Checkout("dev")
	r.Git("branch", "-q", "-D", "feature/login-form")
	r.Git("reflog", "expire", "--expire=now", "--all")
	// Refs stay loose: act copies the work tree file by file, and a .git
	// whose refs/ is empty (all packed) is no repository to git.
	r.Git("-c", "gc.packRefs=false", "gc", "-q", "--prune=now")
	if err := exec.Command("git", "-C", r.Dir, "cat-file", "-e", head).Run(); err == nil {
		t.Fatalf("the fork's head %s is still in the base repository: the fetch would not be tested", head)
	}
	return r, base, head
}

// forkTargetEvent is GitHub's pull_request_target example for a fork's
// pull request (forker/Hello-World's feature/login-form into dev, number
// 2), with the commits and the title of this test.
func forkTargetEvent(t *testing.T, base, head string) string {
	return payload(t, "pull_request_target.opened.fork.json", func(p map[string]any) {
		pr := p["pull_request"].(map[string]any)
		pr["title"] = "feat(login): add a login form"
		pr["base"].(map[string]any)["sha"] = base
		pr["head"].(map[string]any)["sha"] = head
	})
}

// TestActPullRequestTargetFork runs the pr action on pull_request_target
// for a fork's pull request the safe way (testdata/pr-target: the base
// checked out, the head's commits fetched by ref): unlike a fork's
// pull_request run, this run's token can write, so the check run is
// posted, on the pull request's head, from the commits fetched by SHA and
// the base's configuration.
func TestActPullRequestTargetFork(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH: the actions build shipflow from source under act")
	}
	src := source(t)
	r, base, head := forkPullRequest(t, "pr-target")
	fake := githubfake.New(t)
	fake.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Push: true, Pull: true})
	fake.RequireToken("ghs_e2e_token")
	got := act(t, r.Dir, "pull_request_target", forkTargetEvent(t, base, head), src,
		"--env", "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"), "-s", "GITHUB_TOKEN=ghs_e2e_token")
	want := map[string]string{
		"errors":     "0",
		"commits":    "2",
		"pr-outcome": "success",
		"worktree":   base, // the fork's code was never checked out
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	var runs []string
	for _, cr := range fake.CheckRuns("Codertocat", "Hello-World") {
		runs = append(runs, cr.Name+" "+cr.Conclusion+" "+cr.HeadSHA)
	}
	if want := []string{"shipflow pr success " + head}; !cmp.Equal(want, runs) {
		t.Errorf("check runs %q, want %q", runs, want)
	}
}

// TestActPullRequestTargetForkHeadRefused runs a pull_request_target
// workflow that checks out the fork's head (testdata/pr-target-head):
// shipflow refuses before it reads anything of the work tree (not even the
// fork's .shipflow.yaml, which would be a configuration error), with an
// error annotation that says how to do it safely, and posts no check run.
func TestActPullRequestTargetForkHeadRefused(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH: the actions build shipflow from source under act")
	}
	src := source(t)
	r, base, head := forkPullRequest(t, "pr-target-head")
	fake := githubfake.New(t)
	fake.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Push: true, Pull: true})
	fake.RequireToken("ghs_e2e_token")
	out := filepath.Join(t.TempDir(), "out")
	log, err := runAct(t, "pull_request_target checking out the fork's head", r.Dir, "pull_request_target", forkTargetEvent(t, base, head), src, out,
		"--env", "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"), "-s", "GITHUB_TOKEN=ghs_e2e_token")
	if err != nil {
		t.Fatalf("act: %v\n%s", err, log)
	}
	got := readOut(t, out, log)
	want := map[string]string{"errors": "", "pr-outcome": "failure", "worktree": head}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s\nact log:\n%s", diff, log)
	}
	for _, s := range []string{
		"::error title=shipflow pr::pull_request_target from the fork forker/Hello-World: the work tree is the pull request's head " + head[:7],
		"check out the base (actions/checkout without ref)",
		"git fetch origin refs/pull/2/head",
	} {
		if !strings.Contains(string(log), s) {
			t.Errorf("the act log lacks %q:\n%s", s, log)
		}
	}
	if strings.Contains(string(log), "not-a-key") {
		t.Errorf("shipflow read the fork's .shipflow.yaml:\n%s", log)
	}
	if runs := fake.CheckRuns("Codertocat", "Hello-World"); len(runs) != 0 {
		t.Errorf("a refused run posted check runs %+v", runs)
	}
}
