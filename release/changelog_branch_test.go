package release_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestChangelogBranch checks that the release notes read the commits of
// the branch planned (--branch, PlanReport.Head), not those of the
// checked-out branch, and leave out what the tags HEAD holds without
// reaching them (PlanReport.Released) released already.
func TestChangelogBranch(t *testing.T) {
	// base is v1.0.0 on main and dev branched from it.
	base := func(t *testing.T) *gittest.Repo {
		r := gittest.New(t)
		r.CommitFile("app.txt", "app 1\n", "feat: first version")
		r.AnnotatedTag("v1.0.0", "Release v1.0.0")
		r.Branch("dev")
		return r
	}
	// squash lands head on base as one commit titled title.
	squash := func(r *gittest.Repo, head, base, title string) {
		r.Checkout(base)
		r.Git("merge", "-q", "--squash", head)
		r.Git("commit", "-q", "-m", title)
	}
	cases := []struct {
		name  string
		build func(r *gittest.Repo)
		opts  release.PlanOptions
		// version and previous tag of the notes, and the headers they list.
		version, previous string
		headers           []string
	}{
		{
			name: "hotfix branch with dev checked out",
			build: func(r *gittest.Repo) {
				r.CommitFile("dev.txt", "dev\n", "feat: dev work")
				r.Checkout("main")
				r.Branch("hotfix/x")
				r.CommitFile("x.txt", "x\n", "fix: x")
				r.Checkout("dev")
			},
			opts:    release.PlanOptions{Branch: "hotfix/x"},
			version: "1.0.1", previous: "v1.0.0",
			headers: []string{"fix: x"},
		},
		{
			name: "dev after a prerelease with main checked out",
			build: func(r *gittest.Repo) {
				r.CommitFile("a.txt", "a\n", "feat: a")
				r.AnnotatedTag("v1.1.0-dev.1", "Release v1.1.0-dev.1")
				r.CommitFile("b.txt", "b\n", "fix: b")
				r.Checkout("main")
				r.CommitFile("hot.txt", "hot\n", "fix: hot on main")
			},
			opts:    release.PlanOptions{Branch: "dev"},
			version: "1.1.0-dev.2", previous: "v1.0.0",
			headers: []string{"feat: a", "fix: b"},
		},
		{
			// v1.1.0 is main's squash of dev plus a release commit: dev
			// holds it without reaching it, so feat: a is released.
			name: "dev after a squashed release and a prerelease",
			build: func(r *gittest.Repo) {
				r.CommitFile("a.txt", "a\n", "feat: a")
				squash(r, "dev", "main", "chore: release sprint 1 (#3)")
				r.CommitFile("CHANGELOG.md", "## 1.1.0\n", "chore(release): v1.1.0 [skip ci]")
				r.AnnotatedTag("v1.1.0", "Release v1.1.0")
				r.Checkout("dev")
				r.CommitFile("b.txt", "b\n", "fix: b")
				r.AnnotatedTag("v1.1.1-dev.1", "Release v1.1.1-dev.1")
				r.CommitFile("c.txt", "c\n", "fix: c")
			},
			version: "1.1.1-dev.2", previous: "v1.1.0",
			headers: []string{"fix: b", "fix: c"},
		},
		{
			name: "dev after a squashed release and a prerelease, main checked out",
			build: func(r *gittest.Repo) {
				r.CommitFile("a.txt", "a\n", "feat: a")
				squash(r, "dev", "main", "chore: release sprint 1 (#3)")
				r.CommitFile("CHANGELOG.md", "## 1.1.0\n", "chore(release): v1.1.0 [skip ci]")
				r.AnnotatedTag("v1.1.0", "Release v1.1.0")
				r.Checkout("dev")
				r.CommitFile("b.txt", "b\n", "fix: b")
				r.AnnotatedTag("v1.1.1-dev.1", "Release v1.1.1-dev.1")
				r.CommitFile("c.txt", "c\n", "fix: c")
				r.Checkout("main")
			},
			opts:    release.PlanOptions{Branch: "dev"},
			version: "1.1.1-dev.2", previous: "v1.1.0",
			headers: []string{"fix: b", "fix: c"},
		},
		{
			// main squashed dev at its prerelease under a feat title: the
			// notes list dev's commits, not the squash besides.
			name: "main after a squashed promotion titled feat",
			build: func(r *gittest.Repo) {
				r.CommitFile("a.txt", "a\n", "feat: a")
				r.CommitFile("b.txt", "b\n", "fix: b")
				r.AnnotatedTag("v1.1.0-dev.1", "Release v1.1.0-dev.1")
				squash(r, "dev", "main", "feat: sprint 1 (#3)")
			},
			version: "1.1.0", previous: "v1.0.0",
			headers: []string{"feat: a", "fix: b"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := base(t)
			c.build(r)
			rep, err := release.Changelog(context.Background(), planOpen(t, r.Dir), release.ChangelogOptions{Plan: c.opts, DryRun: true, Now: notesNow})
			if err != nil {
				t.Fatal(err)
			}
			var headers []string
			if rep.Context != nil {
				for _, s := range rep.Context.Sections {
					for _, e := range s.Entries {
						headers = append(headers, e.Header)
					}
				}
			}
			type notes struct {
				Version, Previous string
				Headers           []string
			}
			want, got := notes{c.version, c.previous, c.headers}, notes{rep.Version, rep.PreviousTag, headers}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("notes (-want +got):\n%s\n%s", diff, rep.Section)
			}
		})
	}
}

// TestPlanReleasedBelowPrerelease: main released a squash of dev as
// v1.1.0 and dev was not merged back, then dev tagged v1.1.1-dev.1. dev
// holds v1.1.0 without reaching it, below the prerelease it reaches: it is
// dev's previous version all the same (it was v1.0.0, and the notes listed
// v1.1.0's changes again).
func TestPlanReleasedBelowPrerelease(t *testing.T) {
	r := gittest.New(t)
	r.CommitFile("app.txt", "app 1\n", "feat: first version")
	r.AnnotatedTag("v1.0.0", "Release v1.0.0")
	r.Branch("dev")
	r.CommitFile("a.txt", "a\n", "feat: a")
	r.Checkout("main")
	r.Git("merge", "-q", "--squash", "dev")
	r.Git("commit", "-q", "-m", "chore: release sprint 1 (#3)")
	r.CommitFile("CHANGELOG.md", "## 1.1.0\n", "chore(release): v1.1.0 [skip ci]")
	r.AnnotatedTag("v1.1.0", "Release v1.1.0")
	r.Checkout("dev")
	r.CommitFile("b.txt", "b\n", "fix: b")
	r.AnnotatedTag("v1.1.1-dev.1", "Release v1.1.1-dev.1")
	r.CommitFile("c.txt", "c\n", "fix: c")

	rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		PreviousTag, SinceTag, NextTag string
		Released, Counted              []string
	}
	got := summary{PreviousTag: rep.PreviousTag, SinceTag: rep.SinceTag, NextTag: rep.NextTag, Released: rep.Released}
	for _, c := range rep.Commits {
		got.Counted = append(got.Counted, c.Parsed.Header)
	}
	want := summary{PreviousTag: "v1.1.0", SinceTag: "v1.1.1-dev.1", NextTag: "v1.1.1-dev.2", Released: []string{"v1.1.0"}, Counted: []string{"fix: c"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
}
