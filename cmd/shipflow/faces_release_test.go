package main

import (
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestFacesRelease: `shipflow release --dry-run` in a `run:` step and the
// release action print the same annotations: the plan's warnings (a dirty
// tree, which a dry run only warns about), and a refusal (off the release
// branch) as an error. (Before, the CLI had no github format: warnings
// were "warning: ..." lines of the text report.)
func TestFacesRelease(t *testing.T) {
	setup := func(t *testing.T) *gittest.Repo {
		g := gittest.New(t)
		g.CommitFile("app.txt", "v1\n", "feat: first")
		g.AnnotatedTag("v0.1.0", "v0.1.0")
		g.Commit("feat: add release")
		g.InitBare("origin")
		g.Git("push", "-q", "origin", "main", "--tags")
		return g
	}

	t.Run("warnings", func(t *testing.T) {
		g := setup(t)
		g.WriteFile("app.txt", "uncommitted\n")
		f := newFaces(t, g.Dir)
		f.event("push", facesPush("main", g.Git("rev-parse", "v0.1.0"), g.Head()))

		cli := f.cli("release", "--dry-run")
		action := f.action("release", map[string]string{"dry-run": "true"})
		if cli.code != exitOK || action.code != exitOK {
			t.Fatalf("exit %d (cli), %d (action), want 0\ncli: %s%s\naction: %s%s", cli.code, action.code, cli.stdout, cli.stderr, action.stdout, action.stderr)
		}
		f.same(cli, action, 1)
		if a := cli.annotations(); len(a) == 0 || !strings.HasPrefix(a[0], "::warning title=shipflow release::the work tree has uncommitted changes") {
			t.Errorf("annotations %q, want the dirty tree as a warning", a)
		}
		// The text report follows the annotations.
		if !strings.Contains(cli.stdout, "\nrelease v0.2.0 (from v0.1.0) on main") {
			t.Errorf("the CLI does not print the report after the annotations:\n%s", cli.stdout)
		}
	})

	t.Run("refused", func(t *testing.T) {
		g := setup(t)
		g.Branch("dev")
		f := newFaces(t, g.Dir)
		f.event("push", facesPush("dev", g.Git("rev-parse", "v0.1.0"), g.Head()))

		cli := f.cli("release", "--dry-run")
		action := f.action("release", map[string]string{"dry-run": "true"})
		if cli.code != exitFindings || action.code != exitFindings {
			t.Errorf("exit %d (cli), %d (action), want %d\ncli: %s%s\naction: %s%s", cli.code, action.code, exitFindings, cli.stdout, cli.stderr, action.stdout, action.stderr)
		}
		f.same(cli, action, 1)
		if a := cli.annotations(); len(a) != 1 || !strings.Contains(a[0], `releases are cut from branch \"main\"`) && !strings.Contains(a[0], `releases are cut from branch "main"`) {
			t.Errorf("annotations %q, want the branch refusal as an error", a)
		}
	})
}
