package github_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestMergeSettings: the repository's merge settings as GET
// /repos/{owner}/{repo} gives them to a token with push access; a token
// without it gets none of the fields, and the settings are unknown.
func TestMergeSettings(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	f.SetMergeSettings("o", "r", githubfake.MergeSettings{
		AllowSquash: true, SquashTitle: "PR_TITLE", SquashMessage: "PR_BODY",
		MergeTitle: "MERGE_MESSAGE", MergeMessage: "PR_TITLE",
	})
	got, err := c.MergeSettings(ctx, "o", "r")
	if err != nil {
		t.Fatal(err)
	}
	want := github.MergeSettings{
		Known: true, AllowSquash: true, SquashTitle: "PR_TITLE", SquashMessage: "PR_BODY",
		MergeTitle: "MERGE_MESSAGE", MergeMessage: "PR_TITLE",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MergeSettings (-want +got):\n%s", diff)
	}

	f.SetPermissions("o", "r", githubfake.Permissions{Pull: true})
	got, err = c.MergeSettings(ctx, "o", "r")
	if err != nil {
		t.Fatal(err)
	}
	if got.Known {
		t.Errorf("MergeSettings with a read-only token = %+v, want unknown", got)
	}
}

// TestMergeSettingsDefault: a repository whose settings were never set
// answers with GitHub's defaults (every method, COMMIT_OR_PR_TITLE and
// COMMIT_MESSAGES).
func TestMergeSettingsDefault(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	got, err := c.MergeSettings(context.Background(), "o", "r")
	if err != nil {
		t.Fatal(err)
	}
	want := github.MergeSettings{
		Known: true, AllowSquash: true, AllowMerge: true, AllowRebase: true,
		SquashTitle: "COMMIT_OR_PR_TITLE", SquashMessage: "COMMIT_MESSAGES",
		MergeTitle: "MERGE_MESSAGE", MergeMessage: "PR_TITLE",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MergeSettings (-want +got):\n%s", diff)
	}
}
