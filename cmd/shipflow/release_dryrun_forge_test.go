package main

import (
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestReleaseDryRunWithTokenReadsOnly: a dry run given a token reads the
// forge, so the preflight's read-only checks run (the branch's rules
// refusing the release push show as a warning in the report), and it
// never writes to it: every exchange is a GET. --local reads nothing.
func TestReleaseDryRunWithTokenReadsOnly(t *testing.T) {
	r, f, env := releaseSetup(t)
	env["GITHUB_TOKEN"] = releaseTestToken
	f.AddRule("o", "r", "main", githubfake.Rule{Type: "pull_request", RulesetID: 7})
	before := r.Git("rev-parse", "HEAD")

	code, stdout, stderr := releaseRun(t, r.Dir, env, "--dry-run")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"warning: the release branch main refuses direct pushes (", "a ruleset requires a pull request", "a real release stops here"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dry-run report lacks %q:\n%s", want, stdout)
		}
	}
	calls := f.Calls()
	if len(calls) == 0 {
		t.Fatalf("a dry run with a token made no request: the branch's rules were not read")
	}
	for _, c := range calls {
		if c.Method != "GET" {
			t.Errorf("a dry run called %s %s", c.Method, c.Path)
		}
	}
	if got := r.Git("rev-parse", "HEAD"); got != before {
		t.Errorf("a dry run moved HEAD to %s", got)
	}
	if rels := f.Releases("o", "r"); len(rels) != 0 {
		t.Errorf("a dry run made releases %+v", rels)
	}

	// A local dry run has no GitHub: no request at all.
	n := len(f.Calls())
	if code, stdout, stderr := releaseRun(t, r.Dir, env, "--dry-run", "--local"); code != exitOK {
		t.Fatalf("local dry run: exit %d, stderr %s\n%s", code, stderr, stdout)
	}
	if got := f.Calls()[n:]; len(got) != 0 {
		t.Errorf("a local dry run called GitHub: %+v", got)
	}
}

// TestReleasePRDryRunWithTokenReadsOnly: in PR mode too, a dry run given a
// token looks the release PR up and writes nothing; the report says what
// a real run would do with it.
func TestReleasePRDryRunWithTokenReadsOnly(t *testing.T) {
	r, f, env := releaseSetup(t)
	env["GITHUB_TOKEN"] = releaseTestToken
	code, stdout, stderr := releaseRun(t, r.Dir, env, "--dry-run", "--pr")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"(pr mode, dry run)", "would open a release PR from shipflow/release-main"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dry-run report lacks %q:\n%s", want, stdout)
		}
	}
	if len(f.Calls()) == 0 {
		t.Error("a PR-mode dry run with a token did not look the release PR up")
	}
	for _, c := range f.Calls() {
		if c.Method != "GET" {
			t.Errorf("a dry run called %s %s", c.Method, c.Path)
		}
	}
	if prs := f.PullRequests("o", "r"); len(prs) != 0 {
		t.Errorf("a dry run opened pull requests %+v", prs)
	}
}
