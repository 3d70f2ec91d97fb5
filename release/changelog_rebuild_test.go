package release_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// rebuildRepo is a repository with a GitHub origin, a stable v1.0.0, then
// the prereleases v1.1.0-rc.1 and v1.1.0-rc.2, and one commit after them.
func rebuildRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.Git("remote", "add", "origin", "git@github.com:o/r.git")
	r.CommitFile("CHANGELOG.md", notesHandWritten, "chore: init")
	r.Commit("feat: one")
	r.Tag("v1.0.0")
	r.Commit("feat: two")
	r.Tag("v1.1.0-rc.1")
	r.Commit("fix: three")
	r.AnnotatedTag("v1.1.0-rc.2", "v1.1.0-rc.2")
	r.Commit("feat: four")
	return r
}

// rebuildSquashed makes rebuildRepo's history dev's, promotes
// v1.1.0-rc.2 to main by a squash merge tagged v1.1.0, merges main back
// into dev and tags a fix v1.1.1-rc.1 there.
func rebuildSquashed(r *gittest.Repo) {
	r.Branch("dev")
	r.Checkout("main")
	r.Git("reset", "-q", "--hard", "v1.0.0")
	r.Git("merge", "-q", "--squash", "v1.1.0-rc.2")
	r.Commit("chore: promote dev to main (#9)")
	r.Tag("v1.1.0")
	r.Checkout("dev")
	r.Merge("main", "chore: merge main into dev")
	r.Commit("fix: five")
	r.Tag("v1.1.1-rc.1")
}

// rebuildSections splits a changelog into its version sections, top to
// bottom, by their `## ` headings.
func rebuildSections(t *testing.T, doc string) map[string]string {
	t.Helper()
	out := map[string]string{}
	versions := changelog.Versions([]byte(doc))
	parts := strings.Split(doc, "\n## ")[1:]
	if len(parts) != len(versions) {
		t.Fatalf("%d headings for versions %v in\n%s", len(parts), versions, doc)
	}
	for i, p := range parts {
		out[versions[i]] = "## " + strings.TrimRight(p, "\n") + "\n"
	}
	return out
}

// rebuildCheckOrder checks that the versions of doc are in the order
// changelog.Insert puts them (semver descending: each release inserted on
// top of the ones below it gives doc again), and that each heading links
// the comparison with the version written below it.
func rebuildCheckOrder(t *testing.T, doc string) {
	t.Helper()
	versions := changelog.Versions([]byte(doc))
	sections := rebuildSections(t, doc)
	inserted := []byte(notesHandWritten)
	for i := len(versions) - 1; i >= 0; i-- {
		v := versions[i]
		var added bool
		if inserted, added = changelog.Insert(inserted, v, sections[v], changelog.DefaultMarker); !added {
			t.Fatalf("Insert refused %s", v)
		}
		if i+1 < len(versions) {
			a, b := semver.MustParse(versions[i+1]), semver.MustParse(v)
			if !a.LessThan(b) {
				t.Errorf("%s is written above %s", versions[i+1], v)
			}
			link := "## [" + v + "](https://github.com/o/r/compare/v" + versions[i+1] + "...v" + v + ")"
			if !strings.HasPrefix(sections[v], link) {
				t.Errorf("section of %s does not start with %s:\n%s", v, link, sections[v])
			}
		} else if strings.Contains(sections[v], "/compare/") {
			t.Errorf("the oldest section %s links a comparison:\n%s", v, sections[v])
		}
	}
	if diff := cmp.Diff(doc, string(inserted)); diff != "" {
		t.Errorf("rebuilt order differs from inserting release by release (-rebuild +insert):\n%s", diff)
	}
}

// rebuildEntries returns, per version, the subjects of doc's entries.
func rebuildEntries(t *testing.T, doc string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for v, s := range rebuildSections(t, doc) {
		out[v] = []string{}
		for line := range strings.SplitSeq(s, "\n") {
			if e, ok := strings.CutPrefix(line, "* "); ok {
				e, _, _ = strings.Cut(e, " (")
				out[v] = append(out[v], e)
			}
		}
		slices.Sort(out[v])
	}
	return out
}

// TestChangelogRebuildPrereleases checks that --rebuild writes a section
// for every version tag HEAD reaches, prereleases too (it used to stop at
// the last stable tag, leaving every later commit out), or with
// changelog.prereleases: fold lists their commits in the next stable
// section; commits after the newest tag are the next release's.
func TestChangelogRebuildPrereleases(t *testing.T) {
	fold := config.Changelog{Prereleases: config.PrereleasesFold}
	for _, tt := range []struct {
		name    string
		setup   func(r *gittest.Repo)
		cfg     config.Changelog
		version string // ChangelogOptions.Version
		want    map[string][]string
		top     [3]string // report: version, tag, previous tag
	}{
		{
			name: "sections",
			want: map[string][]string{"1.1.0-rc.2": {"three"}, "1.1.0-rc.1": {"two"}, "1.0.0": {"one"}},
			top:  [3]string{"1.1.0-rc.2", "v1.1.0-rc.2", "v1.1.0-rc.1"},
		},
		{
			name: "sections explicit",
			cfg:  config.Changelog{Prereleases: config.PrereleasesSections},
			want: map[string][]string{"1.1.0-rc.2": {"three"}, "1.1.0-rc.1": {"two"}, "1.0.0": {"one"}},
			top:  [3]string{"1.1.0-rc.2", "v1.1.0-rc.2", "v1.1.0-rc.1"},
		},
		{
			name:  "sections then stable",
			setup: func(r *gittest.Repo) { r.Tag("v1.1.0") },
			want:  map[string][]string{"1.1.0": {"four"}, "1.1.0-rc.2": {"three"}, "1.1.0-rc.1": {"two"}, "1.0.0": {"one"}},
			top:   [3]string{"1.1.0", "v1.1.0", "v1.1.0-rc.2"},
		},
		{
			name:  "fold into stable",
			setup: func(r *gittest.Repo) { r.Tag("v1.1.0") },
			cfg:   fold,
			want:  map[string][]string{"1.1.0": {"four", "three", "two"}, "1.0.0": {"one"}},
			top:   [3]string{"1.1.0", "v1.1.0", "v1.0.0"},
		},
		{
			name: "fold with nothing to fold into",
			cfg:  fold,
			want: map[string][]string{"1.1.0-rc.2": {"three"}, "1.1.0-rc.1": {"two"}, "1.0.0": {"one"}},
			top:  [3]string{"1.1.0-rc.2", "v1.1.0-rc.2", "v1.1.0-rc.1"},
		},
		{
			name:    "fold into the version given",
			cfg:     fold,
			version: "1.1.0",
			want:    map[string][]string{"1.1.0": {"four", "three", "two"}, "1.0.0": {"one"}},
			top:     [3]string{"1.1.0", "v1.1.0", "v1.0.0"},
		},
		{
			name:    "sections and the version given",
			version: "1.1.0",
			want:    map[string][]string{"1.1.0": {"four"}, "1.1.0-rc.2": {"three"}, "1.1.0-rc.1": {"two"}, "1.0.0": {"one"}},
			top:     [3]string{"1.1.0", "v1.1.0", "v1.1.0-rc.2"},
		},
		{
			// Years of prereleases after an old stable tag: each is written.
			name: "only prereleases after an old stable tag",
			setup: func(r *gittest.Repo) {
				r.Commit("feat: five")
				r.Tag("v2.0.0-beta.1")
				r.Commit("fix: six")
				r.Commit("feat: seven")
				r.Tag("v2.0.0-beta.2")
				r.Commit("fix: eight")
				r.Tag("v3.0.0-alpha.1")
				r.Commit("feat: unreleased")
			},
			want: map[string][]string{
				"3.0.0-alpha.1": {"eight"}, "2.0.0-beta.2": {"seven", "six"}, "2.0.0-beta.1": {"five", "four"},
				"1.1.0-rc.2": {"three"}, "1.1.0-rc.1": {"two"}, "1.0.0": {"one"},
			},
			top: [3]string{"3.0.0-alpha.1", "v3.0.0-alpha.1", "v2.0.0-beta.2"},
		},
		{
			name: "fold a stable line among prereleases",
			setup: func(r *gittest.Repo) {
				r.Tag("v1.1.0")
				r.Commit("feat: five")
				r.Tag("v2.0.0-beta.1")
				r.Commit("fix: six")
				r.Tag("v2.0.0")
				r.Commit("fix: seven")
				r.Tag("v2.0.1-rc.1")
			},
			cfg: fold,
			want: map[string][]string{
				"2.0.1-rc.1": {"seven"}, "2.0.0": {"five", "six"}, "1.1.0": {"four", "three", "two"}, "1.0.0": {"one"},
			},
			top: [3]string{"2.0.1-rc.1", "v2.0.1-rc.1", "v2.0.0"},
		},
		{
			// The seed's flow: dev's release candidates promoted to main by
			// a squash merge, which holds their changes without reaching
			// their tags; main merged back into dev.
			name:  "fold a squashed promotion",
			setup: rebuildSquashed,
			cfg:   fold,
			want:  map[string][]string{"1.1.1-rc.1": {"five", "four"}, "1.1.0": {"three", "two"}, "1.0.0": {"one"}},
			top:   [3]string{"1.1.1-rc.1", "v1.1.1-rc.1", "v1.1.0"},
		},
		{
			name:  "sections of a squashed promotion",
			setup: rebuildSquashed,
			want: map[string][]string{
				"1.1.1-rc.1": {"five", "four"}, "1.1.0": {}, "1.1.0-rc.2": {"three"}, "1.1.0-rc.1": {"two"}, "1.0.0": {"one"},
			},
			top: [3]string{"1.1.1-rc.1", "v1.1.1-rc.1", "v1.1.0"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := rebuildRepo(t)
			if tt.setup != nil {
				tt.setup(r)
			}
			rep := notesRun(t, r.Dir, release.ChangelogOptions{Rebuild: true, Config: tt.cfg, Version: tt.version})
			if got := [3]string{rep.Version, rep.Tag, rep.PreviousTag}; got != tt.top || !rep.Written {
				t.Errorf("report version, tag, previous tag = %q (written %v), want %q", got, rep.Written, tt.top)
			}
			doc := notesRead(t, filepath.Join(r.Dir, "CHANGELOG.md"))
			if !strings.HasPrefix(doc, notesHandWritten+"## ") {
				t.Errorf("the text above the sections changed:\n%s", doc)
			}
			if diff := cmp.Diff(tt.want, rebuildEntries(t, doc)); diff != "" {
				t.Errorf("sections (-want +got):\n%s\n%s", diff, doc)
			}
			rebuildCheckOrder(t, doc)
		})
	}
}

// TestChangelogRebuildFoldMatchesRelease checks that a stable section
// folded by --rebuild is the one `changelog --release-version` writes for
// its tag: every commit since the previous stable tag.
func TestChangelogRebuildFoldMatchesRelease(t *testing.T) {
	r := rebuildRepo(t)
	r.AnnotatedTag("v1.1.0", "v1.1.0")
	cfg := config.Changelog{Prereleases: config.PrereleasesFold}
	one := notesRun(t, r.Dir, release.ChangelogOptions{Version: "1.1.0", Config: cfg, DryRun: true})
	all := notesRun(t, r.Dir, release.ChangelogOptions{Rebuild: true, Config: cfg, DryRun: true})
	if got := rebuildSections(t, "\n"+all.Section)["1.1.0"]; got != one.Section {
		t.Errorf("rebuilt 1.1.0 section differs (-release +rebuild):\n%s", cmp.Diff(one.Section, got))
	}
}

// TestChangelogRebuildPrereleasesConfig checks that a value of
// changelog.prereleases other than sections or fold is refused by name.
func TestChangelogRebuildPrereleasesConfig(t *testing.T) {
	r := rebuildRepo(t)
	_, err := release.Changelog(context.Background(), planOpen(t, r.Dir), release.ChangelogOptions{
		Rebuild: true, DryRun: true, Config: config.Changelog{Prereleases: "squash"},
	})
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `changelog.prereleases: unknown value "squash", valid values are sections (the default) and fold`) {
		t.Errorf("error = %v, want a *config.Error naming changelog.prereleases", err)
	}
}
