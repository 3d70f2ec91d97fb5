package act

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/scaffold"
)

// scaffoldedRepo is a Go repository with the scaffold committed on main
// and dev, and a feature commit on top: base and head of a pull request
// or a merge queue's group.
func scaffoldedRepo(t *testing.T, feature string) (r *gittest.Repo, base, head string) {
	t.Helper()
	r = gittest.New(t)
	r.WriteFile("go.mod", "module example.com/app\n\ngo 1.22\n")
	r.Git("add", "-A")
	r.Commit("feat: start the module")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scaffold.Write(context.Background(), r.Dir, scaffold.Options{Repo: repo}); err != nil {
		t.Fatal(err)
	}
	r.Git("add", "-A")
	base = r.Commit("ci: set up shipflow")
	r.Git("branch", "dev")
	r.WriteFile("app.go", "package app\n\n// Add adds.\nfunc Add(a, b int) int { return a + b }\n")
	r.Git("add", "-A")
	head = r.Commit(feature)
	return r, base, head
}

// TestActScaffoldCIMergeQueue runs the scaffolded ci.yml, unchanged, on a
// merge_group event: the pull request check lints the commits the queue
// adds and posts "shipflow pr" on the queue's commit, so a required check
// never stalls the queue.
func TestActScaffoldCIMergeQueue(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH: the actions build shipflow from source under act")
	}
	src := source(t)
	r, base, head := scaffoldedRepo(t, "feat: add Add")
	ev := payload(t, "merge_group.checks_requested.json", func(p map[string]any) {
		mg := p["merge_group"].(map[string]any)
		mg["base_sha"], mg["head_sha"] = base, head
		mg["head_commit"].(map[string]any)["id"] = head
	})
	fake := githubfake.New(t)
	fake.AddRepo("octo-org", "octo-repo", githubfake.Permissions{Push: true, Pull: true})
	fake.RequireToken("ghs_e2e_token")
	log, err := runAct(t, "scaffolded ci.yml on merge_group", r.Dir, "merge_group", ev, src, filepath.Join(t.TempDir(), "out"),
		"-W", ".github/workflows/ci.yml", "-j", "process",
		"--env", "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"), "-s", "GITHUB_TOKEN=ghs_e2e_token")
	if err != nil {
		t.Fatalf("the scaffolded ci.yml failed on merge_group: %v\n%s", err, log)
	}
	var got []string
	for _, cr := range fake.CheckRuns("octo-org", "octo-repo") {
		got = append(got, cr.Name+" "+cr.Conclusion+" "+cr.HeadSHA)
	}
	if want := "shipflow pr success " + head; len(got) != 1 || got[0] != want {
		t.Errorf("check runs %q, want [%q]\nact log:\n%s", got, want, log)
	}
}

// TestActScaffoldCIFork runs the scaffolded ci.yml, unchanged, on a fork's
// pull request: the read-only token creates no check run, and the pr step
// saves its report, which the workflow uploads; then ci-report.yml on the
// workflow_run posts it as the check run.
func TestActScaffoldCIFork(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH: the actions build shipflow from source under act")
	}
	src := source(t)
	r, base, head := scaffoldedRepo(t, "feat: add Add")
	ev := payload(t, "pull_request.opened.fork.json", func(p map[string]any) {
		pr := p["pull_request"].(map[string]any)
		pr["title"] = "feat: add Add"
		pr["head"].(map[string]any)["sha"] = head
		pr["base"].(map[string]any)["sha"] = base
	})
	fake := githubfake.New(t)
	fake.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Pull: true})
	fake.RequireToken("ghs_e2e_token")
	out := filepath.Join(t.TempDir(), "out")
	log, err := runAct(t, "scaffolded ci.yml on a fork's pull_request", r.Dir, "pull_request", ev, src, out,
		"-W", ".github/workflows/ci.yml", "-j", "process",
		"--env", "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"), "-s", "GITHUB_TOKEN=ghs_e2e_token")
	if err != nil {
		t.Fatalf("the scaffolded ci.yml failed on a fork's pull request: %v\n%s", err, log)
	}
	if runs := fake.CheckRuns("Codertocat", "Hello-World"); len(runs) != 0 {
		t.Errorf("a fork's run created check runs %+v", runs)
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(out), "artifacts", "shipflow-report", "shipflow-pr-report.json"))
	if err != nil {
		t.Fatalf("no report artifact: %v\nact log:\n%s", err, log)
	}
	var saved map[string]any
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatalf("the saved report is not JSON: %v\n%s", err, data)
	}
	if !strings.Contains(string(data), head) || !strings.Contains(string(data), "shipflow pr") {
		t.Errorf("the saved report does not name the head commit %s and the check:\n%s", head, data)
	}

	// The workflow_run follow-up, ci-report.yml unchanged, posts it with
	// the base repository's token, without checking out the fork's code.
	wr := payload(t, "workflow_run.completed.fork.json", func(p map[string]any) {
		w := p["workflow_run"].(map[string]any)
		w["head_sha"], w["name"] = head, "CI"
	})
	// The base repository's token can write checks; the fork's could not.
	fake.SetPermissions("Codertocat", "Hello-World", githubfake.Permissions{Push: true, Pull: true})
	log, err = runAct(t, "scaffolded ci-report.yml on workflow_run", r.Dir, "workflow_run", wr, src, out,
		"-W", ".github/workflows/ci-report.yml",
		"--env", "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"), "-s", "GITHUB_TOKEN=ghs_e2e_token")
	if err != nil {
		t.Fatalf("the scaffolded ci-report.yml failed: %v\n%s", err, log)
	}
	var got []string
	for _, cr := range fake.CheckRuns("Codertocat", "Hello-World") {
		got = append(got, cr.Name+" "+cr.Conclusion+" "+cr.HeadSHA)
	}
	if want := "shipflow pr success " + head; len(got) != 1 || got[0] != want {
		t.Errorf("check runs %q, want [%q]\nact log:\n%s", got, want, log)
	}
}

// TestActScaffoldCIPullRequest runs the scaffolded ci.yml, unchanged, on a
// same-repository pull request of a repository that only squash-merges
// (its settings, read through the API): a bad intermediate commit under a
// good title passes, as it never reaches the base; a breaking commit under
// a title without `!` fails with squash-drops-breaking and its fix. The
// check run "shipflow pr" is posted on the head either way.
func TestActScaffoldCIPullRequest(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH: the actions build shipflow from source under act")
	}
	src := source(t)
	for _, tc := range []struct {
		name, last, conclusion string
		want                   []string // in the act log
	}{
		{"bad intermediate commit, good title", "feat: add Sub", "success", []string{"only squash is allowed (the repository's settings)"}},
		{"breaking commit, title without !", "feat!: drop Add\n\nBREAKING CHANGE: Add is gone", "failure", []string{"squash-drops-breaking", "add `!` to the title: `feat(login)!: add a login form`"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, base, _ := scaffoldedRepo(t, "feat: add Add")
			r.Commit("Fixed stuff")
			head := r.Commit(tc.last)
			ev := payload(t, "pull_request.opened.feature.json", func(p map[string]any) {
				pr := p["pull_request"].(map[string]any)
				pr["title"] = "feat(login): add a login form"
				pr["head"].(map[string]any)["sha"] = head
				pr["base"].(map[string]any)["sha"] = base
			})
			fake := githubfake.New(t)
			fake.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Push: true, Pull: true})
			fake.SetMergeSettings("Codertocat", "Hello-World", githubfake.MergeSettings{AllowSquash: true,
				SquashTitle: "PR_TITLE", SquashMessage: "PR_BODY", MergeTitle: "MERGE_MESSAGE", MergeMessage: "PR_TITLE"})
			fake.RequireToken("ghs_e2e_token")
			log, err := runAct(t, "scaffolded ci.yml on a pull request", r.Dir, "pull_request", ev, src, filepath.Join(t.TempDir(), "out"),
				"-W", ".github/workflows/ci.yml", "-j", "process",
				"--env", "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"), "-s", "GITHUB_TOKEN=ghs_e2e_token")
			if (err == nil) != (tc.conclusion == "success") {
				t.Errorf("act: %v, want the job to end in %s\n%s", err, tc.conclusion, log)
			}
			var got []string
			for _, cr := range fake.CheckRuns("Codertocat", "Hello-World") {
				got = append(got, cr.Name+" "+cr.Conclusion+" "+cr.HeadSHA)
			}
			if want := "shipflow pr " + tc.conclusion + " " + head; len(got) != 1 || got[0] != want {
				t.Errorf("check runs %q, want [%q]\nact log:\n%s", got, want, log)
			}
			for _, s := range tc.want {
				if !strings.Contains(string(log), s) {
					t.Errorf("the act log lacks %q:\n%s", s, log)
				}
			}
		})
	}
}
