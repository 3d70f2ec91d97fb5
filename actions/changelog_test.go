package actions

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// The changelog action writes only inside the repository: the `file`
// input, the configuration's changelog.file and a committed link are
// refused as input errors (exit 2) when they leave the work tree or enter
// .git/, and nothing is written (D1, D4).
func TestChangelogStaysInTheRepository(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, repo *gittest.Repo, s *sim, outside string)
		want  string
	}{
		{"file input escapes", func(t *testing.T, repo *gittest.Repo, s *sim, _ string) {
			s.input("file", "../outside.md")
		}, `input file: "../outside.md" leaves the repository`},
		{"file input in .git", func(t *testing.T, repo *gittest.Repo, s *sim, _ string) {
			s.input("file", ".git/config")
		}, `input file: ".git/config" is inside .git/`},
		{"file input absolute", func(t *testing.T, repo *gittest.Repo, s *sim, outside string) {
			s.input("file", outside)
		}, "is absolute"},
		{"config file in .git", func(t *testing.T, repo *gittest.Repo, s *sim, _ string) {
			repo.CommitFile(".shipflow.yaml", "changelog:\n  file: .git/config\n", "chore: config")
		}, `.shipflow.yaml:2:9: changelog.file: ".git/config" is inside .git/`},
		{"committed link out", func(t *testing.T, repo *gittest.Repo, s *sim, outside string) {
			if err := os.Symlink(outside, filepath.Join(repo.Dir, "CHANGELOG.md")); err != nil {
				t.Fatal(err)
			}
			repo.Git("add", "CHANGELOG.md")
			repo.Commit("chore: link")
		}, "outside the repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := gittest.New(t)
			repo.Commit("feat: first")
			repo.AnnotatedTag("v1.0.0", "v1.0.0")
			repo.Commit("feat(api): add the search endpoint")
			outside := filepath.Join(filepath.Dir(repo.Dir), "outside.md")
			if err := os.WriteFile(outside, []byte("outside\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			gitConfig, _ := os.ReadFile(filepath.Join(repo.Dir, ".git", "config"))
			s := newSim(t)
			tt.setup(t, repo, s, outside)
			_, err := s.run("changelog", repo.Dir)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v (%T); want an *InputError saying %q", err, err, tt.want)
			}
			if got, _ := os.ReadFile(outside); string(got) != "outside\n" {
				t.Errorf("the file outside the repository changed: %q", got)
			}
			if got, _ := os.ReadFile(filepath.Join(repo.Dir, ".git", "config")); string(got) != string(gitConfig) {
				t.Errorf(".git/config changed:\n%s", got)
			}
		})
	}
}

// TestChangelogSourceDateEpoch: the changelog action dates an untagged
// version by SOURCE_DATE_EPOCH, as `shipflow changelog` does, through the
// CI context both faces read (before, the action always used today), and
// refuses a value that is not a number as an input error.
func TestChangelogSourceDateEpoch(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.AnnotatedTag("v1.0.0", "v1.0.0")
	repo.Commit("fix: crash on empty input")

	s := newSim(t)
	s.vars["SOURCE_DATE_EPOCH"] = "1767312000" // 2026-01-02
	s.input("dry-run", "true")
	if _, err := s.run("changelog", repo.Dir); err != nil {
		t.Fatalf("changelog: %v\n%s", err, s.log.String())
	}
	if notes := s.outputs()["notes"]; !strings.Contains(notes, "1.0.1 (2026-01-02)") {
		t.Errorf("notes are not dated 2026-01-02:\n%s", notes)
	}

	s = newSim(t)
	s.vars["SOURCE_DATE_EPOCH"] = "tomorrow"
	_, err := s.run("changelog", repo.Dir)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `SOURCE_DATE_EPOCH "tomorrow" is not a number of seconds`) {
		t.Errorf("err = %v (%T), want an *InputError about SOURCE_DATE_EPOCH", err, err)
	}
}
