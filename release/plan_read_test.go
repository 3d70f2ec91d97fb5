package release_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// planReadRelease releases dev on main as the seed's flow does: dev merged
// into main, the release commit, the tag on it.
func planReadRelease(r *gittest.Repo, tag string) {
	r.Checkout("main")
	r.Merge("dev", "Merge branch 'dev'")
	r.Commit("chore(release): " + tag + " [skip ci]")
	r.Tag(tag)
	r.Checkout("dev")
}

// TestPlanReleased: commits that a tag HEAD does not reach already
// released (main tagged its merge of dev, dev not merged back) never
// count again.
func TestPlanReleased(t *testing.T) {
	cases := []struct {
		name  string
		build func(r *gittest.Repo)
		want  planSummary
	}{
		{
			name: "dev after main released it",
			build: func(r *gittest.Repo) {
				r.Commit("feat: a")
				planReadRelease(r, "v1.1.0")
				r.Commit("fix: b")
			},
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.1.0", NextTag: "v1.1.1-dev.1", Next: "1.1.1-dev.1", Bump: "patch",
				Commits: []string{"fix: b: patch: fix → patch"}},
		},
		{
			name: "dev prereleases before main released them",
			build: func(r *gittest.Repo) {
				r.Commit("feat: a")
				r.Tag("v1.1.0-dev.1")
				planReadRelease(r, "v1.1.0")
				r.Commit("fix: b")
			},
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.1.0", NextTag: "v1.1.1-dev.1", Next: "1.1.1-dev.1", Bump: "patch",
				Commits: []string{"fix: b: patch: fix → patch"}},
		},
		{
			name: "dev with nothing after the release",
			build: func(r *gittest.Repo) {
				r.Commit("feat: a")
				planReadRelease(r, "v1.1.0")
			},
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.1.0", Bump: "none"},
		},
		{
			// A hotfix on main is a change dev lacks: v1.1.1 is not released
			// into dev, but v1.1.0 (merge and release commit only) is.
			name: "main has a hotfix dev lacks",
			build: func(r *gittest.Repo) {
				r.Commit("feat: a")
				planReadRelease(r, "v1.1.0")
				r.Checkout("main")
				r.Commit("fix: hot")
				r.Tag("v1.1.1")
				r.Checkout("dev")
				r.Commit("feat: c")
			},
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.1.0", NextTag: "v1.2.0-dev.1", Next: "1.2.0-dev.1", Bump: "minor",
				Commits: []string{"feat: c: minor: feat → minor"},
				Warnings: []string{
					"v1.1.1 is higher than v1.1.0 but not reachable from HEAD: main not merged back into dev?"}},
		},
	}
	// Promotions GitHub squashes or rebases: main holds dev's changes in
	// other commits.
	squash := func(r *gittest.Repo) {
		r.Checkout("main")
		r.Git("merge", "-q", "--squash", "dev")
		r.Git("commit", "-q", "-m", "chore: release sprint 1 (#2)")
	}
	rebase := func(r *gittest.Repo) {
		r.Checkout("main")
		for _, h := range strings.Fields(r.Git("rev-list", "--reverse", "--no-merges", "main..dev")) {
			r.Git("cherry-pick", h)
		}
	}
	released := func(r *gittest.Repo) {
		r.Commit("chore(release): v1.1.0 [skip ci]")
		r.Tag("v1.1.0")
		r.Checkout("dev")
		r.CommitFile("b.txt", "b\n", "fix: b")
	}
	cases = append(cases, []struct {
		name  string
		build func(r *gittest.Repo)
		want  planSummary
	}{
		{
			name: "dev after a squashed promotion",
			build: func(r *gittest.Repo) {
				r.CommitFile("a.txt", "a\n", "feat: a")
				squash(r)
				released(r)
			},
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.1.0", NextTag: "v1.1.1-dev.1", Next: "1.1.1-dev.1", Bump: "patch",
				Commits: []string{"fix: b: patch: fix → patch"}},
		},
		{
			name: "dev after a rebased promotion",
			build: func(r *gittest.Repo) {
				r.CommitFile("a.txt", "a\n", "feat: a")
				r.CommitFile("a2.txt", "a\n", "feat: a2")
				rebase(r)
				released(r)
			},
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.1.0", NextTag: "v1.1.1-dev.1", Next: "1.1.1-dev.1", Bump: "patch",
				Commits: []string{"fix: b: patch: fix → patch"}},
		},
		{
			name: "main graduates a squashed prerelease",
			build: func(r *gittest.Repo) {
				r.CommitFile("a.txt", "a\n", "feat: a")
				r.Tag("v1.1.0-dev.1")
				squash(r)
			},
			// The squash is dev's commit again: released in v1.1.0-dev.1.
			want: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.0.0", NextTag: "v1.1.0", Next: "1.1.0", Bump: "minor"},
		},
	}...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			r.CommitFile("init.txt", "init\n", "chore: init")
			r.Tag("v1.0.0")
			r.Branch("dev")
			tc.build(r)
			rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, planSummarize(rep)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanBranch: --branch B plans B's history, not HEAD's.
func TestPlanBranch(t *testing.T) {
	build := func(t *testing.T) *gittest.Repo {
		r := gittest.New(t)
		r.Commit("chore: init")
		r.Tag("v1.0.0")
		r.Branch("hotfix/crash")
		r.Commit("fix: crash")
		r.Checkout("main")
		r.Branch("dev")
		r.Commit("feat: dev only")
		return r
	}
	hotfix := planSummary{Branch: "hotfix/crash", Channel: "hotfix", PreviousTag: "v1.0.0", NextTag: "v1.0.1", Next: "1.0.1", Bump: "patch",
		Commits: []string{"fix: crash: patch: fix → patch"}}

	t.Run("local branch", func(t *testing.T) {
		r := build(t)
		rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{Branch: "hotfix/crash"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(hotfix, planSummarize(rep)); diff != "" {
			t.Errorf("plan (-want +got):\n%s", diff)
		}
		if want := r.Git("rev-parse", "hotfix/crash"); rep.Head != want {
			t.Errorf("Head = %s, want hotfix/crash's tip %s", rep.Head, want)
		}
	})
	t.Run("remote branch", func(t *testing.T) {
		r := build(t)
		r.InitBare("origin")
		r.Git("push", "-q", "origin", "hotfix/crash")
		r.Git("branch", "-D", "hotfix/crash")
		rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{Branch: "hotfix/crash"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(hotfix, planSummarize(rep)); diff != "" {
			t.Errorf("plan (-want +got):\n%s", diff)
		}
	})
	t.Run("configured remote", func(t *testing.T) {
		r := build(t)
		r.InitBare("upstream")
		r.Git("push", "-q", "upstream", "hotfix/crash")
		r.Git("branch", "-D", "hotfix/crash")
		rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{Branch: "hotfix/crash", Remote: "upstream"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(hotfix, planSummarize(rep)); diff != "" {
			t.Errorf("plan (-want +got):\n%s", diff)
		}
	})
	t.Run("no such branch", func(t *testing.T) {
		r := build(t)
		_, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{Branch: "hotfix/nope"})
		if !errors.Is(err, git.ErrUnknownRevision) || !strings.Contains(err.Error(), `"hotfix/nope"`) {
			t.Fatalf("error = %v, want an unknown revision naming hotfix/nope", err)
		}
	})
	t.Run("checked-out branch", func(t *testing.T) {
		r := build(t)
		rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{Branch: "dev"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Head != r.Head() || rep.NextTag != "v1.1.0-dev.1" {
			t.Errorf("Head %s, next %s: want HEAD %s and v1.1.0-dev.1", rep.Head, rep.NextTag, r.Head())
		}
	})
}

// TestPlanDetached: a detached HEAD needs a branch, from the flag or the
// CI context, unless it is a version tag's commit.
func TestPlanDetached(t *testing.T) {
	r := gittest.New(t)
	r.Commit("chore: init")
	r.Tag("v1.0.0")
	r.Commit("fix: x")
	r.Checkout("HEAD~0")
	repo := planOpen(t, r.Dir)

	_, err := release.Plan(context.Background(), repo, release.PlanOptions{})
	if !errors.Is(err, release.ErrPlanDetached) || !errors.As(err, new(*release.InputError)) || !strings.Contains(err.Error(), "--branch") {
		t.Fatalf("error = %v, want ErrPlanDetached, an *InputError saying to pass --branch", err)
	}
	rep, err := release.Plan(context.Background(), repo, release.PlanOptions{DetachedBranch: "main"})
	if err != nil || rep.NextTag != "v1.0.1" {
		t.Fatalf("with the CI branch: %v, %+v", err, rep)
	}

	// A tag's checkout builds that version without a tag, as before.
	r.Checkout("v1.0.0")
	rep, err = release.Plan(context.Background(), repo, release.PlanOptions{})
	if err != nil || rep.NextTag != "" || rep.Bump.String() != "none" || rep.PreviousTag != "v1.0.0" {
		t.Fatalf("at a version tag: %v, %+v", err, rep)
	}
}

// TestPlanUntaggedRelease: a release commit whose tag was never made is
// reported, and only the configured template's commits count.
func TestPlanUntaggedRelease(t *testing.T) {
	cases := []struct {
		name    string
		build   func(r *gittest.Repo) string // returns the release commit, or ""
		message string
		want    string // the tag; "" for none
	}{
		{
			name: "tag push failed",
			build: func(r *gittest.Repo) string {
				r.Commit("feat: a")
				rc := r.Commit("chore(release): v0.1.0 [skip ci]")
				r.Commit("fix: b")
				return rc
			},
			want: "v0.1.0",
		},
		{
			name: "not a release commit",
			build: func(r *gittest.Repo) string {
				r.Commit("feat: a")
				r.Commit("chore(release): update workflow")
				return ""
			},
		},
		{
			name: "tagged",
			build: func(r *gittest.Repo) string {
				r.Commit("feat: a")
				r.Commit("chore(release): v0.1.0 [skip ci]")
				r.Tag("v0.1.0")
				r.Commit("fix: b")
				return ""
			},
		},
		{
			name: "below the current tag",
			build: func(r *gittest.Repo) string {
				r.Commit("chore(release): v0.1.0 [skip ci]")
				r.Commit("feat: a")
				r.Tag("v0.2.0")
				r.Commit("fix: b")
				return ""
			},
		},
		{
			name: "configured template",
			build: func(r *gittest.Repo) string {
				r.Commit("feat: a")
				rc := r.Commit("build: release 0.1.0")
				r.Commit("fix: b")
				return rc
			},
			message: "build: release {{.Version}}",
			want:    "v0.1.0",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			r.Commit("chore: init")
			rc := tc.build(r)
			rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{ReleaseCommitMessage: tc.message})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if rep.UntaggedRelease != nil {
					t.Fatalf("UntaggedRelease = %+v, want none", rep.UntaggedRelease)
				}
				return
			}
			u := rep.UntaggedRelease
			if u == nil || u.Commit != rc || u.Tag != tc.want || u.Version.String() != strings.TrimPrefix(tc.want, "v") {
				t.Fatalf("UntaggedRelease = %+v, want %s at %s", u, tc.want, rc)
			}
			fix := "git tag -a -m \"Release " + tc.want + "\" " + tc.want + " " + rc[:7] + " && git push origin " + tc.want
			if !strings.Contains(strings.Join(rep.Warnings, "\n"), fix) {
				t.Errorf("warnings %q, want one with the fix %q", rep.Warnings, fix)
			}
		})
	}
}

// TestPlanGoModule: a plan that reaches v2+ of a Go module whose path
// lacks /vN warns, as `shipflow release` refuses it.
func TestPlanGoModule(t *testing.T) {
	cases := []struct {
		name, mod, commit string
		want              string // a warning's part; "" for none
	}{
		{"major without suffix", "module example.com/m\n", "feat!: drop", `v2.0.0 is a major version of Go module "example.com/m", whose path must then end in "/v2" (go.mod:1); change the module path to example.com/m/v2`},
		{"major with suffix", "module example.com/m/v2\n", "feat!: drop", ""},
		{"minor", "module example.com/m\n", "feat: add", ""},
		{"module line further down", "// The m module.\n\nmodule \"example.com/m\"\n", "feat!: drop", `whose path must then end in "/v2" (go.mod:3)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			r.CommitFile("go.mod", tc.mod, "chore: init")
			r.Tag("v1.0.0")
			r.Commit(tc.commit)
			rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(rep.Warnings, "\n")
			if tc.want == "" && strings.Contains(got, "Go module") || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("warnings %q, want %q", rep.Warnings, tc.want)
			}
		})
	}
}

// TestPlanWarningsOrder: the go.mod check and the version files are read
// side by side, and their warnings still come in one order: go.mod's,
// then each version file's.
func TestPlanWarningsOrder(t *testing.T) {
	r := gittest.New(t)
	r.CommitFile("go.mod", "module example.com/m\n", "chore: init")
	r.CommitFile("VERSION", "0.9.0\n", "chore: version file")
	r.Tag("v1.0.0")
	r.Commit("feat!: drop")
	rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 2 || !strings.Contains(rep.Warnings[0], "Go module") || !strings.HasPrefix(rep.Warnings[1], "version file VERSION:1:1") {
		t.Errorf("warnings %q, want go.mod's then VERSION's", rep.Warnings)
	}
}
