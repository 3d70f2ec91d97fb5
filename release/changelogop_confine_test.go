package release_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// confineRepo is notesRepo with a file outside the work tree, a
// .git/config to protect, and a committed link set up by link.
func confineRepo(t *testing.T) (r *gittest.Repo, outside string) {
	t.Helper()
	r = notesRepo(t)
	outside = filepath.Join(t.TempDir(), "outside.txt")
	if err := os.WriteFile(outside, []byte("outside, do not touch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return r, outside
}

// commitLink commits a symbolic link at name (replacing any file there).
func commitLink(t *testing.T, r *gittest.Repo, target, name string) {
	t.Helper()
	path := filepath.Join(r.Dir, name)
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.Remove(path)
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	r.Git("add", "--", name)
	r.Git("commit", "-q", "-m", "chore: link "+name)
}

// The changelog is written only inside the work tree and never under
// .git/ (D1: `changelog: {file: .git/config, template: .tmpl}` wrote
// core.fsmonitor into .git/config; `--file ../outside.md` wrote outside),
// nor through a committed link that leaves it (D4).
func TestChangelogFileStaysInTheRepository(t *testing.T) {
	const fsmonitor = "[core]\n\tfsmonitor = \"touch PWNED; false\"\n"
	tests := []struct {
		name  string
		setup func(t *testing.T, r *gittest.Repo, outside string) release.ChangelogOptions
		// config: the refusal is a *config.Error at changelog.file;
		// otherwise an error wrapping a *repofs.Error.
		config bool
		want   string
	}{
		{"config file in .git", func(t *testing.T, r *gittest.Repo, _ string) release.ChangelogOptions {
			r.CommitFile(".tmpl", fsmonitor, "chore: template")
			return release.ChangelogOptions{Config: config.Changelog{File: ".git/config", Template: ".tmpl"}}
		}, true, "changelog.file: \".git/config\" is inside .git/"},
		{"config file absolute", func(t *testing.T, r *gittest.Repo, outside string) release.ChangelogOptions {
			return release.ChangelogOptions{Config: config.Changelog{File: outside}}
		}, true, "is absolute"},
		{"flag file escapes", func(t *testing.T, r *gittest.Repo, _ string) release.ChangelogOptions {
			return release.ChangelogOptions{File: "../outside.md"}
		}, false, "leaves the repository"},
		{"flag file absolute", func(t *testing.T, r *gittest.Repo, outside string) release.ChangelogOptions {
			return release.ChangelogOptions{File: outside}
		}, false, "is absolute"},
		{"committed link out", func(t *testing.T, r *gittest.Repo, outside string) release.ChangelogOptions {
			commitLink(t, r, outside, "CHANGELOG.md")
			return release.ChangelogOptions{}
		}, false, "outside the repository"},
		{"committed relative link out", func(t *testing.T, r *gittest.Repo, outside string) release.ChangelogOptions {
			rel, _ := filepath.Rel(r.Dir, outside)
			commitLink(t, r, rel, "CHANGELOG.md")
			return release.ChangelogOptions{}
		}, false, "outside the repository"},
		{"committed link into .git", func(t *testing.T, r *gittest.Repo, _ string) release.ChangelogOptions {
			commitLink(t, r, ".git/config", "CHANGELOG.md")
			return release.ChangelogOptions{}
		}, false, "into .git/"},
		{"config file under a linked directory", func(t *testing.T, r *gittest.Repo, outside string) release.ChangelogOptions {
			commitLink(t, r, filepath.Dir(outside), "docs")
			return release.ChangelogOptions{Config: config.Changelog{File: "docs/outside.txt"}}
		}, true, "outside the repository"},
	}
	for _, tt := range tests {
		for _, dry := range []bool{false, true} {
			name := tt.name
			if dry {
				name += " dry run"
			}
			t.Run(name, func(t *testing.T) {
				r, outside := confineRepo(t)
				gitConfig := notesRead(t, filepath.Join(r.Dir, ".git", "config"))
				opts := tt.setup(t, r, outside)
				opts.DryRun, opts.Now = dry, notesNow
				rep, err := release.Changelog(context.Background(), planOpen(t, r.Dir), opts)
				if err == nil {
					t.Fatalf("Changelog wrote %s", rep.Path)
				}
				var ce *config.Error
				if tt.config && !errors.As(err, &ce) || !tt.config && !repofs.IsRefused(err) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error = %v (%T); want a refusal saying %q (config error: %v)", err, err, tt.want, tt.config)
				}
				if got := notesRead(t, outside); got != "outside, do not touch\n" {
					t.Errorf("the file outside the repository changed: %q", got)
				}
				if _, err := os.Stat(filepath.Join(filepath.Dir(r.Dir), "outside.md")); err == nil {
					t.Error("a file was written next to the repository")
				}
				if got := notesRead(t, filepath.Join(r.Dir, ".git", "config")); got != gitConfig {
					t.Errorf(".git/config changed:\n%s", got)
				}
			})
		}
	}
}

// A link inside the work tree is still written through: the target gets
// the section and the link stays.
func TestChangelogFileLinkInside(t *testing.T) {
	r := notesRepo(t)
	r.Git("mv", "CHANGELOG.md", "CHANGES.md")
	r.Git("commit", "-q", "-m", "chore: rename")
	commitLink(t, r, "CHANGES.md", "CHANGELOG.md")
	rep := notesRun(t, r.Dir, release.ChangelogOptions{})
	if !rep.Written {
		t.Fatalf("not written: %s", rep.Skipped)
	}
	if fi, err := os.Lstat(filepath.Join(r.Dir, "CHANGELOG.md")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	if got := notesRead(t, filepath.Join(r.Dir, "CHANGES.md")); !strings.Contains(got, "## [1.1.0]") {
		t.Errorf("the link's target has no new section:\n%s", got)
	}
}

// The template is read only from inside the work tree, as a regular file
// of at most 1 MiB (D2: `template: /proc/self/environ` put GITHUB_TOKEN into
// CHANGELOG.md and the release body).
func TestChangelogTemplateStaysInTheRepository(t *testing.T) {
	const secret = "ghp_SENTINELnotesT0ken0123456789abcdefAB"
	t.Setenv("GITHUB_TOKEN", secret)
	tests := []struct {
		name     string
		setup    func(t *testing.T, r *gittest.Repo, outside string)
		template string
		want     string
	}{
		{"proc environ", nil, "/proc/self/environ", "is absolute"},
		{"passwd by ..", nil, "../../../../../../../../etc/passwd", "leaves the repository"},
		{"committed link to proc", func(t *testing.T, r *gittest.Repo, _ string) {
			commitLink(t, r, "/proc/self/environ", "notes.tmpl")
		}, "notes.tmpl", "outside the repository"},
		{"committed link out", func(t *testing.T, r *gittest.Repo, outside string) {
			commitLink(t, r, outside, "notes.tmpl")
		}, "notes.tmpl", "outside the repository"},
		{"in .git", nil, ".git/config", "inside .git/"},
		{"a directory", func(t *testing.T, r *gittest.Repo, _ string) {
			r.CommitFile("tmpl/x", "x", "chore: dir")
		}, "tmpl", "not a regular file"},
		{"over 1 MiB", func(t *testing.T, r *gittest.Repo, _ string) {
			r.WriteFile("big.tmpl", strings.Repeat("{{.Version}}\n", 1<<17))
		}, "big.tmpl", "more than the 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, outside := confineRepo(t)
			if err := os.WriteFile(outside, []byte("GITHUB_TOKEN="+secret+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(t, r, outside)
			}
			rep, err := release.Changelog(context.Background(), planOpen(t, r.Dir), release.ChangelogOptions{
				Config: config.Changelog{Template: tt.template}, DryRun: true, Now: notesNow,
			})
			var ce *config.Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "changelog.template: ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v; want a *config.Error at changelog.template saying %q", err, tt.want)
			}
			if rep != nil && strings.Contains(rep.Section, secret) || strings.Contains(err.Error(), secret) {
				t.Fatal("the token reached the changelog")
			}
		})
	}
}
