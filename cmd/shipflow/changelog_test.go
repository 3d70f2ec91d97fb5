package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// changelogRepo is a repository with a GitHub origin, v1.0.0 and two
// releasable commits since.
func changelogRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.Git("remote", "add", "origin", "https://github.com/o/r.git")
	r.CommitFile("CHANGELOG.md", "# Changelog\n\nIntro.\n", "feat: first")
	r.Tag("v1.0.0")
	r.Commit("feat(cli): add --stdout (#3)")
	r.Commit("fix: keep the old file on errors")
	return r
}

func TestChangelogCmd(t *testing.T) {
	r := changelogRepo(t)
	path := filepath.Join(r.Dir, "CHANGELOG.md")

	code, out, errOut := nextRun(t, r.Dir, nil, "changelog", "--stdout")
	if code != 0 || !strings.HasPrefix(out, "## [1.1.0](https://github.com/o/r/compare/v1.0.0...v1.1.0) (") ||
		!strings.Contains(out, "* **cli:** add --stdout ([#3](https://github.com/o/r/issues/3))") || errOut != "" {
		t.Fatalf("--stdout: code %d\n%s\nstderr: %s", code, out, errOut)
	}
	if b, _ := os.ReadFile(path); string(b) != "# Changelog\n\nIntro.\n" {
		t.Errorf("--stdout wrote the file:\n%s", b)
	}
	notes := out

	code, out, _ = nextRun(t, r.Dir, nil, "changelog")
	if code != 0 || out != "wrote CHANGELOG.md: v1.1.0 (2 commits, 0 duplicates left out)\n" {
		t.Fatalf("write: code %d, %q", code, out)
	}
	if b, _ := os.ReadFile(path); string(b) != "# Changelog\n\nIntro.\n\n"+notes {
		t.Errorf("CHANGELOG.md =\n%s", b)
	}

	code, out, _ = nextRun(t, r.Dir, nil, "changelog", "--format", "json")
	var rep struct {
		Version string `json:"version"`
		Section string `json:"section"`
		Written bool   `json:"written"`
		Path    string `json:"path"`
		Skipped string `json:"skipped"`
		Context struct {
			Sections []struct {
				Title string `json:"title"`
			} `json:"sections"`
		} `json:"context"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if code != 0 || rep.Version != "1.1.0" || rep.Written || rep.Path != path || rep.Section != notes ||
		rep.Skipped != "CHANGELOG.md already has a section for 1.1.0" || len(rep.Context.Sections) != 2 {
		t.Errorf("second run json: code %d\n%s", code, out)
	}
}

func TestChangelogCmdRebuildAndPreset(t *testing.T) {
	r := changelogRepo(t)
	r.Tag("v1.1.0")
	code, out, _ := nextRun(t, r.Dir, nil, "changelog", "--rebuild", "--dry-run", "--preset", "keepachangelog")
	if code != 0 || !strings.HasPrefix(out, "## [1.1.0] - ") || !strings.Contains(out, "\n## [1.0.0] - ") || !strings.Contains(out, "### Added") {
		t.Errorf("rebuild: code %d\n%s", code, out)
	}
	code, out, errOut := nextRun(t, r.Dir, nil, "changelog")
	if code != 0 || out != "CHANGELOG.md not changed: nothing to release\n" {
		t.Errorf("nothing to release: code %d %q %q", code, out, errOut)
	}
}

func TestChangelogCmdErrors(t *testing.T) {
	r := changelogRepo(t)
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"format", []string{"changelog", "--format", "xml"}, exitUsage, `unknown --format "xml"`},
		{"preset", []string{"changelog", "--preset", "gitmoji"}, exitUsage, `input preset: "gitmoji" is not one of angular, conventionalcommits, keepachangelog`},
		{"version", []string{"changelog", "--version", "1.2"}, exitUsage, `input release-version: "1.2" is not a semantic version X.Y.Z`},
		{"release-version", []string{"changelog", "--release-version", "1.2"}, exitUsage, `input release-version: "1.2" is not a semantic version X.Y.Z`},
		{"args", []string{"changelog", "extra"}, exitUsage, "unknown command"},
		{"bad tag prefix", []string{"changelog", "--dry-run", "--tag-prefix", "v.."}, exitUsage, `is not a valid tag name`},
		// A directory is not a changelog: the input is wrong, not the disk.
		{"file is a directory", []string{"changelog", "--file", "."}, exitUsage, `changelog file: "." is not a regular file`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := nextRun(t, r.Dir, nil, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("code %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
	t.Run("config", func(t *testing.T) {
		r.WriteFile(".shipflow.yaml", "changelog:\n  preset: nope\n")
		code, _, errOut := nextRun(t, r.Dir, nil, "changelog", "--dry-run")
		if code != exitUsage || !strings.Contains(errOut, `changelog.preset: unknown preset "nope"`) {
			t.Errorf("code %d, stderr %q", code, errOut)
		}
	})
	t.Run("not a repository", func(t *testing.T) {
		code, _, _ := nextRun(t, t.TempDir(), nil, "changelog")
		if code != exitUsage {
			t.Errorf("code %d, want %d", code, exitUsage)
		}
	})
}
