package release_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestBranchDebtHeld covers the commits of main whose changes dev holds
// by another route than a merge: a squashed promotion (one commit whose
// tree, or whose files, dev has had), a rebased one (copies of dev's
// commits), and main commits that only write what dev already wrote.
// Each case starts from brRepo (dev checked out, branched from main's
// first commit).
func TestBranchDebtHeld(t *testing.T) {
	squash := func(r *gittest.Repo, msg string) {
		r.Checkout("main")
		r.Git("merge", "-q", "--squash", "dev")
		r.Git("commit", "-q", "-m", msg)
	}
	cases := []struct {
		name  string
		build func(r *gittest.Repo)
		want  []string // subjects of the debt commits, oldest first
	}{
		{
			name: "squashed promotion and its release commit",
			build: func(r *gittest.Repo) {
				r.CommitFile("x.txt", "x\n", "feat: x")
				r.CommitFile("y.txt", "y\n", "feat: y")
				squash(r, "chore: release sprint 1 (#3)")
				r.CommitFile("CHANGELOG.md", "## 1.1.0\n", "chore(release): v1.1.0")
			},
			want: []string{"chore(release): v1.1.0"},
		},
		{
			name: "second squashed promotion without a back-merge",
			build: func(r *gittest.Repo) {
				r.CommitFile("x.txt", "x\n", "feat: x")
				squash(r, "chore: release sprint 1 (#3)")
				r.CommitFile("CHANGELOG.md", "## 1.1.0\n", "chore(release): v1.1.0")
				r.Checkout("dev")
				r.CommitFile("y.txt", "y\n", "feat: y")
				r.CommitFile("z.txt", "z\n", "feat: z")
				// main's tree is dev's plus the changelog: a tree dev never had.
				squash(r, "chore: release sprint 2 (#5)")
			},
			want: []string{"chore(release): v1.1.0"},
		},
		{
			name: "squash of a range of dev that dev changed again since",
			build: func(r *gittest.Repo) {
				r.CommitFile("x.txt", "x\n", "feat: x")
				squash(r, "chore: release sprint 1 (#3)")
				r.Checkout("dev")
				r.CommitFile("x.txt", "x, better\n", "fix: x")
			},
		},
		{
			name: "squash with a change dev lacks",
			build: func(r *gittest.Repo) {
				r.CommitFile("x.txt", "x\n", "feat: x")
				r.Checkout("main")
				r.Git("merge", "-q", "--squash", "dev")
				r.WriteFile("z.txt", "only on main\n")
				r.Git("add", "z.txt")
				r.Git("commit", "-q", "-m", "chore: release sprint 1 and z (#3)")
			},
			want: []string{"chore: release sprint 1 and z (#3)"},
		},
		{
			name: "rebased promotion and its release commit",
			build: func(r *gittest.Repo) {
				r.CommitFile("x.txt", "x\n", "feat: x")
				r.CommitFile("y.txt", "y\n", "feat: y")
				r.Checkout("main")
				for _, h := range []string{"dev~1", "dev"} {
					r.Git("cherry-pick", h)
				}
				r.CommitFile("CHANGELOG.md", "## 1.1.0\n", "chore(release): v1.1.0")
			},
			want: []string{"chore(release): v1.1.0"},
		},
		{
			name: "hotfix that writes what dev wrote",
			build: func(r *gittest.Repo) {
				r.CommitFile("app.txt", "v1 wip\n", "feat: dev work")
				r.CommitFile("app.txt", "v1 fixed\n", "fix: crash on start")
				r.Checkout("main")
				r.CommitFile("app.txt", "v1 fixed\n", "fix: crash on start, the same way")
				r.CommitFile("hot.txt", "hot\n", "fix: hot")
			},
			want: []string{"fix: hot"},
		},
		{
			name: "empty commit changes nothing",
			build: func(r *gittest.Repo) {
				r.Checkout("main")
				r.Commit("chore: empty")
				r.CommitFile("hot.txt", "hot\n", "fix: hot")
			},
			want: []string{"fix: hot"},
		},
		{
			name: "deletion dev made too",
			build: func(r *gittest.Repo) {
				r.CommitFile("old.txt", "old\n", "feat: old")
				r.Checkout("main")
				r.Merge("dev", "Merge dev")
				r.Git("rm", "-q", "old.txt")
				r.Git("commit", "-q", "-m", "refactor: drop old on main")
				r.CommitFile("hot.txt", "hot\n", "fix: hot")
				r.Checkout("dev")
				r.CommitFile("old.txt", "old, edited\n", "fix: old")
				r.Git("rm", "-q", "old.txt")
				r.Git("commit", "-q", "-m", "refactor: drop old on dev")
			},
			want: []string{"fix: hot"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := brRepo(t)
			c.build(r)
			rep, err := release.BranchDebt(context.Background(), brOpen(t, r.Dir), release.BranchDebtOptions{Stable: "main", Integration: "dev"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, cm := range rep.Commits {
				got = append(got, cm.Subject)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("debt commits (-want +got):\n%s", diff)
			}
		})
	}
}
