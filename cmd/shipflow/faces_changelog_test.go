package main

import (
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestFacesChangelog: `shipflow changelog --dry-run` in a `run:` step and
// the changelog action print the same annotations: the warnings (a plan
// warning, no repository for links), and a refused plan as an error. The
// CLI writes them on stderr, which the runner reads workflow commands from
// too, so that stdout stays the release notes. (Before, the CLI printed
// "shipflow: warning: ..." lines, which annotate nothing.)
func TestFacesChangelog(t *testing.T) {
	t.Run("warnings", func(t *testing.T) {
		g := gittest.New(t)
		base := g.CommitFile("CHANGELOG.md", "# Changelog\n", "feat: first")
		g.Tag("v1.0.0")
		head := g.Commit("fix: a bug\n\nRelease-As: banana")
		f := newFaces(t, g.Dir)
		f.event("push", facesPush("main", base, head))

		cli := f.cli("changelog", "--dry-run")
		action := f.action("changelog", map[string]string{"dry-run": "true"})
		if cli.code != exitOK || action.code != exitOK {
			t.Fatalf("exit %d (cli), %d (action), want 0\ncli: %s%s\naction: %s%s", cli.code, action.code, cli.stdout, cli.stderr, action.stdout, action.stderr)
		}
		f.same(faceRun{stdout: cli.stderr}, action, 2)
		for _, a := range (faceRun{stdout: cli.stderr}).annotations() {
			if !strings.HasPrefix(a, "::warning title=shipflow changelog::") {
				t.Errorf("annotation %q, want a warning titled shipflow changelog", a)
			}
		}
		// stdout is the section, nothing else: `--dry-run > notes.md`.
		if !strings.HasPrefix(cli.stdout, "## [1.0.1]") && !strings.HasPrefix(cli.stdout, "## 1.0.1") || strings.Contains(cli.stdout, "::") {
			t.Errorf("stdout is not the section alone:\n%s", cli.stdout)
		}
	})

	t.Run("refused", func(t *testing.T) {
		g := gittest.New(t)
		g.CommitFile("CHANGELOG.md", "# Changelog\n", "feat: first")
		g.Tag("v1.0.0")
		g.Branch("hotfix/login")
		head := g.Commit("feat: a feature on a hotfix branch")
		f := newFaces(t, g.Dir)
		f.event("push", facesPush("hotfix/login", g.Git("rev-parse", "v1.0.0"), head))

		cli := f.cli("changelog", "--dry-run")
		action := f.action("changelog", map[string]string{"dry-run": "true"})
		if cli.code != exitFindings || action.code != exitFindings {
			t.Errorf("exit %d (cli), %d (action), want %d", cli.code, action.code, exitFindings)
		}
		f.same(faceRun{stdout: cli.stderr}, action, 1)
		if a := (faceRun{stdout: cli.stderr}).annotations(); len(a) != 1 || !strings.HasPrefix(a[0], "::error title=shipflow changelog::") {
			t.Errorf("annotations %q, want one error titled shipflow changelog", a)
		}
	})
}
