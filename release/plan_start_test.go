package release

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestPlanStart: HEAD's commit, the branch and whether the clone is
// shallow come from one `git rev-parse` on a branch and on a detached
// HEAD, with the same answers as the step-by-step path (planRev, then
// planHead), which still answers another --branch and an unborn branch.
func TestPlanStart(t *testing.T) {
	ctx := context.Background()
	r := gittest.New(t)
	first := r.Commit("feat: a")
	r.Branch("dev")
	second := r.Commit("fix: b on dev")
	r.Checkout("main")
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, opts PlanOptions, wantHead, wantBranch string, wantRuns int) {
		t.Helper()
		var rep PlanReport
		var shallow bool
		var head string
		runs := gitRuns(t, func() {
			shallow, head, err = planStart(ctx, repo, opts, &rep)
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if shallow || head != wantHead || rep.Branch != wantBranch {
			t.Errorf("%s: shallow %v, head %s, branch %q; want false, %s, %q", name, shallow, head, rep.Branch, wantHead, wantBranch)
		}
		total := 0
		for _, n := range runs {
			total += n
		}
		if total != wantRuns {
			t.Errorf("%s: %d git runs (%v), want %d", name, total, runs, wantRuns)
		}
		// The step-by-step path agrees.
		var slow PlanReport
		rev, err := planRev(ctx, repo, opts, &slow)
		if err != nil {
			t.Fatal(err)
		}
		sh, h, err := planHead(ctx, repo, rev)
		if err != nil {
			t.Fatal(err)
		}
		if sh != shallow || h != head || slow.Branch != rep.Branch {
			t.Errorf("%s: step by step gives %v %s %q, planStart %v %s %q", name, sh, h, slow.Branch, shallow, head, rep.Branch)
		}
	}
	check("on a branch", PlanOptions{}, first, "main", 1)
	check("--branch of the branch checked out", PlanOptions{Branch: "main"}, first, "main", 1)
	check("--branch of another branch", PlanOptions{Branch: "dev"}, second, "dev", 3)
	r.Git("checkout", "--quiet", "--detach", "HEAD")
	check("detached, as in CI", PlanOptions{DetachedBranch: "main"}, first, "main", 1)

	// An unborn branch: the one run fails and the steps say why.
	u := gittest.New(t)
	urepo, err := git.Open(ctx, u.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := planStart(ctx, urepo, PlanOptions{}, &PlanReport{}); err != ErrPlanNoCommits {
		t.Errorf("unborn branch: %v, want ErrPlanNoCommits", err)
	}
}

// TestPlanTagAtHeadNeedsNoRun: a tag of the commit planned, lightweight,
// annotated or a tag of a tag, is known to name a commit, so the plan asks
// git nothing about it (no cat-file run), and HEAD is at that version: a
// tag is peeled through every level, as git peels it.
func TestPlanTagAtHeadNeedsNoRun(t *testing.T) {
	ctx := context.Background()
	r := gittest.New(t)
	r.Commit("feat: a")
	r.Tag("v1.0.0")
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		tag  func(string)
	}{
		{"lightweight", func(v string) { r.Tag(v) }},
		{"annotated", func(v string) { r.AnnotatedTag(v, "Release "+v) }},
		{"a tag of a tag", func(v string) {
			r.AnnotatedTag("inner-"+v, "not a version")
			r.Git("tag", "-a", "-m", "a tag of a tag", v, "inner-"+v)
		}},
	} {
		r.Commit("fix: " + tc.name)
		v := fmt.Sprintf("v1.0.%d", strings.Count(r.Git("tag", "-l", "v*"), "\n")+1)
		tc.tag(v)
		var rep *PlanReport
		runs := gitRuns(t, func() { rep, err = Plan(ctx, repo, PlanOptions{}) })
		if err != nil {
			t.Fatal(err)
		}
		if rep.PreviousTag != v || rep.NextTag != "" || len(rep.Commits) != 0 {
			t.Errorf("%s at HEAD: previous %s, next %q, %d commits; want %s, none, 0", tc.name, rep.PreviousTag, rep.NextTag, len(rep.Commits), v)
		}
		if runs["cat-file"] != 0 {
			t.Errorf("%s at HEAD: git runs %v, want no cat-file", tc.name, runs)
		}
	}
}
