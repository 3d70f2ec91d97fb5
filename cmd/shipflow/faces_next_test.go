package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// facesPush is the payload of a push of branch to head.
func facesPush(branch, before, head string) string {
	return fmt.Sprintf(`{"ref":"refs/heads/%s","before":%q,"after":%q,"repository":{"full_name":"Codertocat/Hello-World"}}`, branch, before, head)
}

// TestFacesNext: `shipflow next` in a `run:` step and the next action print
// the same annotations: the plan's warnings, and a refused plan as an
// error. (Before, the CLI had no github format: the warning was a line of
// the text plan only, and a refused plan only an error on stderr.)
func TestFacesNext(t *testing.T) {
	t.Run("warning", func(t *testing.T) {
		g := gittest.New(t)
		base := g.CommitFile("app.txt", "v1\n", "feat: first")
		g.Tag("v1.0.0")
		// Neither footer is X.Y.Z above the current version: both warn.
		g.Commit("fix: a bug\n\nRelease-As: banana")
		head := g.Commit("feat: more\n\nRelease-As: 0.9.0")
		f := newFaces(t, g.Dir)
		f.event("push", facesPush("main", base, head))

		cli, action := f.cli("next"), f.action("next", nil)
		if cli.code != exitOK || action.code != exitOK {
			t.Fatalf("exit %d (cli), %d (action), want 0\ncli: %s%s\naction: %s%s", cli.code, action.code, cli.stdout, cli.stderr, action.stdout, action.stderr)
		}
		f.same(cli, action, 2)
		for _, a := range cli.annotations() {
			if !strings.HasPrefix(a, "::warning title=shipflow next::") {
				t.Errorf("annotation %q, want a warning titled shipflow next", a)
			}
		}
		// The text plan follows the annotations: users read it in the log.
		if !strings.Contains(cli.stdout, "\ncurrent  v1.0.0\nnext     v1.1.0 (bump minor)\n") {
			t.Errorf("the CLI does not print the plan after the annotations:\n%s", cli.stdout)
		}
	})

	t.Run("refused", func(t *testing.T) {
		g := gittest.New(t)
		g.CommitFile("app.txt", "v1\n", "feat: first")
		g.Tag("v1.0.0")
		g.Branch("hotfix/login")
		head := g.Commit("feat: a feature on a hotfix branch")
		f := newFaces(t, g.Dir)
		f.event("push", facesPush("hotfix/login", g.Git("rev-parse", "v1.0.0"), head))

		cli, action := f.cli("next"), f.action("next", nil)
		if cli.code != exitFindings || action.code != exitFindings {
			t.Errorf("exit %d (cli), %d (action), want %d", cli.code, action.code, exitFindings)
		}
		f.same(cli, action, 1)
		if a := cli.annotations(); len(a) != 1 || !strings.HasPrefix(a[0], `::error title=shipflow next::planning next version: branch "hotfix/login" (channel hotfix) allows patch releases at most`) {
			t.Errorf("annotations %q, want one error saying the hotfix channel refuses the feat", a)
		}
	})
}
