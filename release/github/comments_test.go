package github_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestStickyComment: one comment, recognised by its marker and a bot
// author, is created, updated in place, left alone when unchanged and
// deleted when the body is empty; a person's comment quoting the marker
// is never touched, and comments past the first page are found.
func TestStickyComment(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	base := f.AddCommit("o", "r", "main", "feat: first", map[string]string{"README.md": "hi\n"})
	f.SetBranch("o", "r", "feature/x", base)
	f.AddCommit("o", "r", "feature/x", "feat: x", map[string]string{"x": "x\n"})
	pr, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "feat: x", Head: "feature/x", Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- shipflow:pr -->"
	// A person quoting the marker, and more than a page of chatter.
	f.AddComment("o", "r", pr.Number, "mallory", false, marker+"\nplease edit me")
	for range 120 {
		f.AddComment("o", "r", pr.Number, "dev", false, "lgtm")
	}

	did, cm, err := c.StickyComment(ctx, "o", "r", pr.Number, marker, marker+"\n2 errors")
	if err != nil || did != github.StickyCreated || cm.ID == 0 {
		t.Fatalf("first = %s, %+v, %v; want created", did, cm, err)
	}
	did, cm2, err := c.StickyComment(ctx, "o", "r", pr.Number, marker, marker+"\n1 error")
	if err != nil || did != github.StickyUpdated || cm2.ID != cm.ID {
		t.Fatalf("second = %s, %+v, %v; want %d updated", did, cm2, err, cm.ID)
	}
	n := len(f.Calls())
	if did, _, err = c.StickyComment(ctx, "o", "r", pr.Number, marker, marker+"\n1 error"); err != nil || did != github.StickyUnchanged {
		t.Fatalf("third = %s, %v; want unchanged", did, err)
	}
	for _, call := range f.Calls()[n:] {
		if call.Method != "GET" {
			t.Errorf("an unchanged comment sent %s", call.Operation)
		}
	}
	var ours, mallory *githubfake.Comment
	for _, cm := range f.Comments("o", "r", pr.Number) {
		switch {
		case cm.Login == githubfake.TokenLogin:
			if ours != nil {
				t.Errorf("two comments of the bot")
			}
			ours = &cm
		case cm.Login == "mallory":
			mallory = &cm
		}
	}
	if ours == nil || ours.Body != marker+"\n1 error" || mallory == nil || !strings.HasSuffix(mallory.Body, "please edit me") {
		t.Errorf("comments: ours %+v, mallory's %+v", ours, mallory)
	}

	if did, _, err = c.StickyComment(ctx, "o", "r", pr.Number, marker, ""); err != nil || did != github.StickyDeleted {
		t.Fatalf("clean = %s, %v; want deleted", did, err)
	}
	if did, _, err = c.StickyComment(ctx, "o", "r", pr.Number, marker, ""); err != nil || did != github.StickyNone {
		t.Fatalf("clean again = %s, %v; want none", did, err)
	}
	if got := len(f.Comments("o", "r", pr.Number)); got != 121 {
		t.Errorf("comments left = %d, want the 121 others", got)
	}
	if _, _, err := c.StickyComment(ctx, "o", "r", pr.Number, marker, "no marker"); err == nil {
		t.Error("a body without the marker was accepted")
	}
}
