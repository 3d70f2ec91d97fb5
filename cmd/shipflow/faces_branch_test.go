package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// branchEvent is a pull_request payload from head (in headRepo) into base
// of Codertocat/Hello-World.
func branchEvent(head, headRepo, base string) string {
	return fmt.Sprintf(`{"action": "opened", "number": 7,
  "pull_request": {"number": 7, "title": "feat: login",
    "head": {"ref": %q, "sha": "%040d", "repo": {"full_name": %q}},
    "base": {"ref": %q, "sha": "%040d", "repo": {"full_name": "Codertocat/Hello-World"}}},
  "repository": {"full_name": "Codertocat/Hello-World"}}`, head, 1, headRepo, base, 2)
}

// TestFacesBranch: `shipflow branch check` in a run: step and the branch
// Action print the same annotations for the same pull request, with the
// head and base taken from the event on both faces.
func TestFacesBranch(t *testing.T) {
	tests := []struct {
		name, head, headRepo, base string
		want                       []string // substrings of the annotations
	}{
		{"bad name and flow", "feature/Add thing", "Codertocat/Hello-World", "main",
			[]string{"::error title=feature/Add thing [branch-name]::character 12: ' ' (space) is not allowed", "[branch-flow]::feature/* may only target dev"}},
		{"head not in the model", "Feature/login", "Codertocat/Hello-World", "dev",
			[]string{"::error title=Feature/login [branch-kind]::"}},
		{"a fork's dev is no release", "dev", "someone/Hello-World", "main",
			[]string{"[branch-fork]::", "::notice title=shipflow branch::the head branch is in a fork"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFaces(t, t.TempDir()) // the check needs no repository
			f.event("pull_request", branchEvent(tt.head, tt.headRepo, tt.base))
			cli, action := f.cli("branch", "check"), f.action("branch", nil)
			f.same(cli, action, len(tt.want))
			if cli.code != exitFindings || action.code == exitOK {
				t.Errorf("exit codes: cli %d, action %d; want %d and a failure\ncli stderr: %s\naction stderr: %s", cli.code, action.code, exitFindings, cli.stderr, action.stderr)
			}
			got := strings.Join(cli.annotations(), "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("annotations lack %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestFacesBranchDebt: main has a hotfix dev lacks; both faces warn with
// the same annotation, and neither fails for it.
func TestFacesBranchDebt(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile("app.txt", "v1\n", "feat: first")
	g.Branch("dev")
	g.Checkout("main")
	g.CommitFile("app.txt", "v1 fixed\n", "fix: crash on start")
	g.Checkout("dev")

	f := newFaces(t, g.Dir)
	f.event("pull_request", branchEvent("dev", "Codertocat/Hello-World", "main"))
	cli, action := f.cli("branch", "check", "--debt"), f.action("branch", map[string]string{"debt": "true"})
	f.same(cli, action, 1)
	if cli.code != exitOK || action.code != exitOK {
		t.Errorf("exit codes: cli %d, action %d; debt is a warning only\ncli stderr: %s\naction stderr: %s", cli.code, action.code, cli.stderr, action.stderr)
	}
	got := strings.Join(cli.annotations(), "\n")
	for _, w := range []string{"::warning title=back-merge debt [branch-debt]::main has 1 commit(s) that dev lacks", "%0A", " fix: crash on start"} {
		if !strings.Contains(got, w) {
			t.Errorf("annotations lack %q:\n%s", w, got)
		}
	}
}
