package release_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

var notesNow = func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) }

const notesHandWritten = "# Changelog\n\nHand-written intro: keep me.\n\n"

// notesRepo is a repository with a GitHub origin, a released v1.0.0 with
// a CHANGELOG.md, and two releasable commits since.
func notesRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.Git("remote", "add", "origin", "git@github.com:o/r.git")
	r.CommitFile("CHANGELOG.md", notesHandWritten+"## [1.0.0](https://github.com/o/r/compare/v0.9.0...v1.0.0) (2024-01-01)\n\n* old entry\n", "feat: first")
	r.Tag("v1.0.0")
	r.Commit("feat(api): add v2 endpoints (#12)\n\nCloses #7")
	r.Commit("fix: handle empty input")
	r.Commit("docs: typo")
	return r
}

func notesRun(t *testing.T, dir string, opts release.ChangelogOptions) *release.ChangelogReport {
	t.Helper()
	if opts.Now == nil {
		opts.Now = notesNow
	}
	rep, err := release.Changelog(context.Background(), planOpen(t, dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func notesRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestChangelogWritesOnce(t *testing.T) {
	r := notesRepo(t)
	path := filepath.Join(r.Dir, "CHANGELOG.md")
	old := notesRead(t, path)

	rep := notesRun(t, r.Dir, release.ChangelogOptions{})
	if !rep.Written || rep.Version != "1.1.0" || rep.Tag != "v1.1.0" || rep.PreviousTag != "v1.0.0" || rep.Path != path {
		t.Fatalf("report = %+v", rep)
	}
	feat := r.Git("rev-parse", "HEAD~2")
	fix := r.Git("rev-parse", "HEAD~1")
	wantSection := "## [1.1.0](https://github.com/o/r/compare/v1.0.0...v1.1.0) (2024-05-01)\n\n\n" +
		"### Features\n\n* **api:** add v2 endpoints ([#12](https://github.com/o/r/issues/12)) ([" + feat[:7] + "](https://github.com/o/r/commit/" + feat + ")), closes [#7](https://github.com/o/r/issues/7)\n\n\n" +
		"### Bug Fixes\n\n* handle empty input ([" + fix[:7] + "](https://github.com/o/r/commit/" + fix + "))\n"
	if diff := cmp.Diff(wantSection, rep.Section); diff != "" {
		t.Errorf("section (-want +got):\n%s", diff)
	}
	got := notesRead(t, path)
	if want := notesHandWritten + wantSection + "\n" + strings.TrimPrefix(old, notesHandWritten); got != want {
		t.Errorf("CHANGELOG.md =\n%s\nwant\n%s", got, want)
	}
	if rep.Context == nil || rep.Context.Version != "1.1.0" || len(rep.Context.Sections) != 2 {
		t.Errorf("context = %+v", rep.Context)
	}

	// Running again adds nothing.
	again := notesRun(t, r.Dir, release.ChangelogOptions{})
	if again.Written || !strings.Contains(again.Skipped, "already has a section for 1.1.0") {
		t.Errorf("second run: %+v", again)
	}
	if notesRead(t, path) != got {
		t.Errorf("second run changed the file")
	}
}

func TestChangelogDryRunAndNothingToRelease(t *testing.T) {
	r := notesRepo(t)
	path := filepath.Join(r.Dir, "CHANGELOG.md")
	old := notesRead(t, path)
	rep := notesRun(t, r.Dir, release.ChangelogOptions{DryRun: true, Preset: "angular"})
	if rep.Written || rep.Skipped != "dry run" || !strings.HasPrefix(rep.Section, "# [1.1.0](") {
		t.Errorf("dry run report = %+v", rep)
	}
	if notesRead(t, path) != old {
		t.Errorf("dry run wrote the file")
	}

	r.Tag("v1.1.0")
	r.Commit("chore: tidy")
	rep = notesRun(t, r.Dir, release.ChangelogOptions{})
	if rep.Written || rep.Skipped != "nothing to release" || rep.Version != "" {
		t.Errorf("nothing-to-release report = %+v", rep)
	}
}

func TestChangelogVersionOfExistingTag(t *testing.T) {
	r := notesRepo(t)
	r.AnnotatedTag("v1.1.0", "v1.1.0")
	r.Commit("fix: later")
	rep := notesRun(t, r.Dir, release.ChangelogOptions{Version: "v1.1.0", DryRun: true})
	if rep.Version != "1.1.0" || rep.PreviousTag != "v1.0.0" || strings.Contains(rep.Section, "later") || !strings.Contains(rep.Section, "add v2 endpoints") {
		t.Errorf("report = %+v", rep)
	}
	if !strings.Contains(rep.Section, "("+gittest.Epoch.Format(time.DateOnly)+")") && !strings.Contains(rep.Section, ") (20") {
		t.Errorf("section has no tag date:\n%s", rep.Section)
	}
}

// TestChangelogDedupe covers the ways git shows one change twice.
func TestChangelogDedupe(t *testing.T) {
	r := gittest.New(t)
	r.CommitFile("a.txt", "a\n", "feat: base")
	r.Tag("v1.0.0")

	// A pull request merged with a merge commit: its title stands for the
	// branch's commits.
	r.Branch("feature/x")
	r.CommitFile("x.txt", "1\n", "feat: part one")
	r.CommitFile("x.txt", "2\n", "fix: part two")
	r.Checkout("main")
	r.Merge("feature/x", "Merge pull request #12 from o/feature-x\n\nfeat: add x")

	// A plain merge of a branch: its commits are listed.
	r.Branch("feature/y")
	r.CommitFile("y.txt", "1\n", "feat: add y")
	r.Checkout("main")
	r.Merge("feature/y", "Merge branch 'feature/y'")

	// A fix cherry-picked onto dev, and dev merged back.
	r.Branch("dev")
	r.Checkout("main")
	hot := r.CommitFile("hot.txt", "fixed\n", "fix: hot bug")
	r.Checkout("dev")
	r.Git("cherry-pick", hot)
	r.CommitFile("dev.txt", "1\n", "perf: faster (#30)")
	r.Checkout("main")
	// One pull request landed twice (squash on main, and its own commit
	// through dev).
	r.CommitFile("pr.txt", "main\n", "perf: faster (#30)")
	r.Merge("dev", "Merge branch 'dev'")

	// A commit and its revert.
	bad := r.Commit("feat: bad idea")
	r.Commit("revert: feat: bad idea\n\nThis reverts commit " + bad + ".")

	rep := notesRun(t, r.Dir, release.ChangelogOptions{DryRun: true})
	var subjects []string
	if rep.Context != nil {
		for _, s := range rep.Context.Sections {
			for _, e := range s.Entries {
				subjects = append(subjects, s.Title+": "+e.Subject)
			}
		}
	}
	want := []string{
		"Features: add x",
		"Features: add y",
		"Bug Fixes: hot bug",
		"Performance Improvements: faster (#30)",
	}
	if diff := cmp.Diff(want, subjects); diff != "" {
		t.Errorf("entries (-want +got):\n%s\nsection:\n%s", diff, rep.Section)
	}
	var reasons []string
	for _, d := range rep.Dropped {
		_, why, _ := strings.Cut(d, ": ")
		reasons = append(reasons, strings.Fields(why)[0]+" "+strings.Fields(why)[1])
	}
	if diff := cmp.Diff([]string{"same pull", "same patch", "brought in", "brought in"}, reasons, cmpSorted()); diff != "" {
		t.Errorf("dropped (-want +got):\n%s\n%v", diff, rep.Dropped)
	}
}

func cmpSorted() cmp.Option {
	return cmp.Transformer("sort", func(in []string) []string {
		out := append([]string(nil), in...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j] < out[i] {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	})
}

// TestChangelogRebuild checks that --rebuild writes what releasing tag by
// tag writes, and keeps the text above the first version.
func TestChangelogRebuild(t *testing.T) {
	r := gittest.New(t)
	r.Git("remote", "add", "origin", "https://ghe.example.com/o/r.git")
	ghe := []string{"https://ghe.example.com/api/v3/"} // a GitHub Enterprise Server
	r.CommitFile("CHANGELOG.md", notesHandWritten, "chore: init")
	r.Commit("feat: one")
	r.AnnotatedTag("v1.0.0", "v1.0.0")
	r.Commit("fix: two (#2)")
	r.Tag("v1.0.1")
	r.Commit("feat(x)!: three")
	r.Commit("not conventional")
	r.AnnotatedTag("v2.0.0", "v2.0.0")
	r.Tag("not-a-version")
	r.Commit("feat: unreleased")

	for _, v := range []string{"1.0.0", "1.0.1", "2.0.0"} {
		if rep := notesRun(t, r.Dir, release.ChangelogOptions{Version: v, GitHubURLs: ghe}); !rep.Written {
			t.Fatalf("release %s: %+v", v, rep)
		}
	}
	path := filepath.Join(r.Dir, "CHANGELOG.md")
	incremental := notesRead(t, path)
	if err := os.WriteFile(path, []byte(notesHandWritten+"## 0.0.1\n\n* stale\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := notesRun(t, r.Dir, release.ChangelogOptions{Rebuild: true, GitHubURLs: ghe})
	if !rep.Written || rep.Version != "2.0.0" {
		t.Fatalf("rebuild report = %+v", rep)
	}
	rebuilt := notesRead(t, path)
	// 0.0.1 has no tag: its hand-written section is kept, at the bottom.
	if diff := cmp.Diff(incremental+"\n## 0.0.1\n\n* stale\n", rebuilt); diff != "" {
		t.Errorf("rebuild differs from releasing tag by tag (-incremental +rebuild):\n%s", diff)
	}
	if w := strings.Join(rep.Warnings, "\n"); !strings.Contains(w, "kept the section of 0.0.1 in CHANGELOG.md as written: it has no vX.Y.Z tag to rebuild it from") {
		t.Errorf("warnings = %q, want one naming the kept 0.0.1", rep.Warnings)
	}
	if !strings.HasPrefix(rebuilt, notesHandWritten+"## [2.0.0](https://ghe.example.com/o/r/compare/v1.0.1...v2.0.0)") {
		t.Errorf("rebuilt =\n%s", rebuilt)
	}
	if got := changelog.Versions([]byte(rebuilt)); !cmp.Equal(got, []string{"2.0.0", "1.0.1", "1.0.0", "0.0.1"}) {
		t.Errorf("versions = %v", got)
	}

	// With a version, the unreleased commits get their section on top.
	rep = notesRun(t, r.Dir, release.ChangelogOptions{Rebuild: true, Version: "2.1.0", DryRun: true, GitHubURLs: ghe})
	if !strings.HasPrefix(rep.Section, "## [2.1.0](https://ghe.example.com/o/r/compare/v2.0.0...v2.1.0) (2024-05-01)") || !strings.Contains(rep.Section, "unreleased") {
		t.Errorf("rebuild with version:\n%s", rep.Section)
	}
}

func TestChangelogConfig(t *testing.T) {
	r := notesRepo(t)
	r.WriteFile("notes.tmpl", "{{.Tag}} from {{.PreviousTag}}:{{range .Sections}} {{.Title}}={{len .Entries}}{{end}}\n")
	rep := notesRun(t, r.Dir, release.ChangelogOptions{
		Config: config.Changelog{Template: "notes.tmpl", File: "docs/CHANGES.md", RepositoryURL: "https://github.com/x/y",
			Sections: []config.ChangelogSection{{Type: "fix", Section: "Fixes"}, {Type: "docs", Section: "Docs"}}},
	})
	if rep.Section != "v1.1.0 from v1.0.0: Fixes=1 Docs=1\n" {
		t.Errorf("section = %q", rep.Section)
	}
	if want := filepath.Join(r.Dir, "docs", "CHANGES.md"); rep.Path != want || notesRead(t, want) != "# Changelog\n\n"+rep.Section {
		t.Errorf("path = %s, content %q", rep.Path, notesRead(t, rep.Path))
	}

	for _, tt := range []struct {
		name string
		cfg  config.Changelog
		want string
	}{
		{"preset", config.Changelog{Preset: "gitmoji"}, `changelog.preset: unknown preset "gitmoji", valid presets are angular, conventionalcommits, keepachangelog`},
		{"sections", config.Changelog{Sections: []config.ChangelogSection{{Type: "feat"}}}, "changelog.sections[0]: needs both type and section"},
		{"template", config.Changelog{Template: "missing.tmpl"}, "changelog.template:"},
		{"repository", config.Changelog{RepositoryURL: "not a url"}, "changelog.repository-url:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := release.Changelog(context.Background(), planOpen(t, r.Dir), release.ChangelogOptions{Config: tt.cfg, DryRun: true})
			var ce *config.Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want a *config.Error with %q", err, tt.want)
			}
		})
	}
}

func TestChangelogNoRemote(t *testing.T) {
	r := gittest.New(t)
	r.Commit("feat: one")
	rep := notesRun(t, r.Dir, release.ChangelogOptions{})
	if !rep.Written || rep.Version != "0.1.0" || len(rep.Warnings) == 0 || strings.Contains(rep.Section, "](") {
		t.Errorf("report = %+v", rep)
	}
	if got := notesRead(t, filepath.Join(r.Dir, "CHANGELOG.md")); got != changelog.DefaultHeader+"\n"+rep.Section {
		t.Errorf("new changelog = %q", got)
	}
}

var _ = git.ErrShallow
