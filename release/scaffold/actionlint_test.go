package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/actionlinttest"
)

// scaffoldProject writes the scaffolded workflows into a temporary project
// whose actions/ is this repository's, with `uses:
// shipflow/shipflow/actions/X@v0` pointed at `./actions/X`, so actionlint
// checks every input and output the templates use against the real
// action.yml files, not only the workflow syntax.
func scaffoldProject(t *testing.T, p Project, mode string, edit func(path, data string) string) (dir string, files []string) {
	t.Helper()
	dir = t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "actions"), filepath.Join(dir, "actions")); err != nil {
		t.Fatal(err)
	}
	// actionlint resolves local actions only inside a project, which it
	// recognises by its .git directory.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	fs, err := FilesFor(p, mode)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if !strings.HasPrefix(f.Path, ".github/workflows/") {
			continue
		}
		data := strings.ReplaceAll(string(f.Data), "uses: shipflow/shipflow/actions/", "uses: ./actions/")
		data = strings.ReplaceAll(data, "@v0\n", "\n")
		if edit != nil {
			data = edit(f.Path, data)
		}
		full := filepath.Join(dir, f.Path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f.Path)
	}
	if len(files) != 3 {
		t.Fatalf("%d workflows, want 3 (ci.yml, release.yml, ci-report.yml)", len(files))
	}
	return dir, files
}

func TestScaffoldWorkflowsPassActionlint(t *testing.T) {
	for _, mode := range ReleaseModes {
		for _, kind := range Kinds {
			t.Run(mode+" kind "+kindName(kind), func(t *testing.T) {
				dir, files := scaffoldProject(t, Project{Kind: kind, Why: "requirements.txt"}, mode, nil)
				actionlinttest.Report(t, actionlinttest.Run(t, dir, files...))
			})
		}
	}
}

// TestActionlintCatchesMistakes keeps the test above honest: broken
// variants of the workflows must be reported.
func TestActionlintCatchesMistakes(t *testing.T) {
	cases := []struct {
		name, mode, path, old, new string
	}{
		{"typo in a context", ReleaseModePR, ".github/workflows/ci.yml", "github.event_name == 'push'", "github.event_nme == 'push'"},
		{"unknown step", ReleaseModeDirect, ".github/workflows/release.yml", "steps.release.outputs.created", "steps.releas.outputs.created"},
		{"unknown step output", ReleaseModePR, ".github/workflows/release.yml", "steps.release.outputs.created", "steps.release.outputs.create"},
		{"unknown action input", ReleaseModePR, ".github/workflows/release.yml", "uses: ./actions/release\n", "uses: ./actions/release\n        with:\n          tag-prefx: v\n"},
		{"unquoted variable in a script", ReleaseModeDirect, ".github/workflows/release.yml", `"app:${VERSION}"`, `app:$VERSION`},
		{"bad event filter", ReleaseModePR, ".github/workflows/ci.yml", "types: [opened, edited, synchronize, reopened, ready_for_review, labeled, unlabeled]", "types: [opened, editted]"},
		{"bad merge_group type", ReleaseModePR, ".github/workflows/ci.yml", "types: [checks_requested]", "types: [check_requested]"},
		{"unknown permission", ReleaseModeDirect, ".github/workflows/ci-report.yml", "  checks: write", "  check: write"},
		{"unknown watch output", ReleaseModePR, ".github/workflows/release.yml", "steps.watch.outputs.rolled-back", "steps.watch.outputs.rolledback"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			changed := false
			dir, files := scaffoldProject(t, Project{}, c.mode, func(path, data string) string {
				if path != c.path {
					return data
				}
				out := strings.Replace(data, c.old, c.new, 1)
				changed = out != data
				return out
			})
			if !changed {
				t.Fatalf("%s no longer contains %q", c.path, c.old)
			}
			if errs := actionlinttest.Run(t, dir, files...); len(errs) == 0 {
				t.Error("actionlint found nothing")
			}
		})
	}
}

func kindName(kind string) string {
	if kind == KindNone {
		return "none"
	}
	return kind
}
