package release

import (
	"context"
	"testing"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/version"
)

// TestPlanNoneReleased: the cheap decision that no tag of a release
// branch was released into main (electron's stable tags, each on its own
// branch of backports) decides only when a change of the tag has no copy
// in main, and leaves the rest to planReleasedTags.
func TestPlanNoneReleased(t *testing.T) {
	cases := []struct {
		name string
		// branch builds the release branch's commits, from main's first
		// commit; main then gets "feat: c".
		branch func(r *gittest.Repo, mainFix string)
		want   bool
	}{
		{
			name:   "a change of its own",
			branch: func(r *gittest.Repo, _ string) { r.CommitFile("b.txt", "b\n", "fix: b on the branch only") },
			want:   true,
		},
		{
			name:   "an empty change",
			branch: func(r *gittest.Repo, _ string) { r.Commit("fix: nothing") },
			want:   true,
		},
		{
			name: "a backport of main's fix: no proof",
			branch: func(r *gittest.Repo, mainFix string) {
				r.Git("cherry-pick", "--allow-empty", mainFix)
			},
			want: false,
		},
		{
			name: "a change to the paths main's fix changes: no proof",
			branch: func(r *gittest.Repo, _ string) {
				r.CommitFile("fix.txt", "another fix\n", "fix: the same file otherwise")
			},
			want: false,
		},
		{
			name: "the tag on a release commit: no proof",
			branch: func(r *gittest.Repo, _ string) {
				r.CommitFile("b.txt", "b\n", "fix: b")
				r.Commit("chore(release): v1.0.1 [skip ci]")
			},
			want: false,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			base := r.CommitFile("a.txt", "a\n", "feat: a")
			r.Tag("v1.0.0")
			mainFix := r.CommitFile("fix.txt", "fix\n", "fix: on main")
			r.Git("branch", "1-0-x", base)
			r.Checkout("1-0-x")
			tc.branch(r, mainFix)
			r.Tag("v1.0.1")
			r.Checkout("main")
			r.CommitFile("c.txt", "c\n", "feat: c")

			ctx := context.Background()
			repo, err := git.Open(ctx, r.Dir)
			if err != nil {
				t.Fatal(err)
			}
			cands, _ := version.ParseTags([]string{"v1.0.1"}, "v")
			commitOf := map[string]string{"v1.0.1": r.Git("rev-parse", "v1.0.1")}
			got, err := planNoneReleased(ctx, repo, cands, commitOf, "v", r.Head(), version.DefaultRules(), planReleaseRE(PlanOptions{}))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("planNoneReleased = %v, want %v", got, tc.want)
			}
			// The long way agrees whenever the cheap one decides.
			released, _, err := planReleasedTags(ctx, repo, cands, commitOf, "v", r.Head(), version.DefaultRules(), planReleaseRE(PlanOptions{}))
			if err != nil {
				t.Fatal(err)
			}
			if got && len(released) > 0 {
				t.Errorf("planNoneReleased = true, but planReleasedTags released %v", released)
			}
		})
	}
}
