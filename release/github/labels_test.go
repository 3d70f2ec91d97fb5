package github_test

import (
	"context"
	"slices"
	"testing"

	"github.com/shipflow/shipflow/release/github"
)

// TestRemoveLabel: a label added to a pull request is removed; removing it
// again (GitHub answers 404) is not an error; other labels stay.
func TestRemoveLabel(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	base := f.AddCommit("o", "r", "main", "feat: first", map[string]string{"README.md": "hi\n"})
	f.SetBranch("o", "r", "shipflow/release-main", base)
	f.AddCommit("o", "r", "shipflow/release-main", "chore(release): 0.2.0", map[string]string{"CHANGELOG.md": "## 0.2.0\n"})
	pr, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "chore(release): 0.2.0", Head: "shipflow/release-main", Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddLabels(ctx, "o", "r", pr.Number, "shipflow: pending", "keep"); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveLabel(ctx, "o", "r", pr.Number, "shipflow: pending"); err != nil {
		t.Fatalf("RemoveLabel: %v", err)
	}
	if got := f.PullRequests("o", "r")[0].Labels; !slices.Equal(got, []string{"keep"}) {
		t.Errorf("labels after RemoveLabel = %q, want [keep]", got)
	}
	if err := c.RemoveLabel(ctx, "o", "r", pr.Number, "shipflow: pending"); err != nil {
		t.Errorf("RemoveLabel of a label not on the pull request: %v, want nil", err)
	}
	if got := f.PullRequests("o", "r")[0].Labels; !slices.Equal(got, []string{"keep"}) {
		t.Errorf("labels after the second RemoveLabel = %q, want [keep]", got)
	}
	var statuses []int
	for _, call := range f.Calls() {
		if call.Operation == "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}" {
			statuses = append(statuses, call.Status)
		}
	}
	if !slices.Equal(statuses, []int{200, 404}) {
		t.Errorf("DELETE label answers = %v, want [200 404]", statuses)
	}
}
