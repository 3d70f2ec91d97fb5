package github_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// CreateIssue opens an issue with its labels; a token that may not write
// issues gets an error IsForbidden says is one.
func TestCreateIssue(t *testing.T) {
	f := githubfake.New(t)
	f.AddRepo("o", "r", githubfake.Permissions{Push: true})
	f.AddRepo("o", "ro", githubfake.Permissions{Pull: true})
	c, err := github.New("tok", github.WithBaseURL(f.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	is, err := c.CreateIssue(ctx, "o", "r", github.NewIssue{Title: "Incident: x", Body: "body `b`", Labels: []string{"incident"}})
	if err != nil {
		t.Fatal(err)
	}
	got := f.Issues("o", "r")
	if len(got) != 1 || got[0].Title != "Incident: x" || got[0].Body != "body `b`" || !slices.Equal(got[0].Labels, []string{"incident"}) || is.Number != got[0].Number || is.HTMLURL == "" {
		t.Errorf("issue %+v, stored %+v", is, got)
	}
	if _, err := c.CreateIssue(ctx, "o", "ro", github.NewIssue{Title: "t"}); !github.IsForbidden(err) {
		t.Errorf("read-only token: error = %v, want a 403", err)
	}
	f.Fail("POST /repos/{owner}/{repo}/issues", 1, githubfake.Fault{Status: http.StatusNotFound})
	if _, err := c.CreateIssue(ctx, "o", "r", github.NewIssue{Title: "t"}); !github.IsNotFound(err) {
		t.Errorf("404: error = %v, want IsNotFound", err)
	}
}
