package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v62/github"
)

// NewIssue is an issue to open.
type NewIssue struct {
	Title, Body string
	// Labels are the labels to put on it; GitHub creates a missing label
	// for a token that may push, and drops them silently otherwise.
	Labels []string
}

// Issue is an issue that was opened.
type Issue struct {
	Number  int
	HTMLURL string
}

// CreateIssue opens an issue in owner/repo (the token needs issues: write;
// a 403 or a 404 — issues turned off — is an *Error for which IsForbidden
// or IsNotFound is true).
func (c *Client) CreateIssue(ctx context.Context, owner, repo string, ni NewIssue) (*Issue, error) {
	req := &gh.IssueRequest{Title: gh.String(ni.Title), Body: gh.String(ni.Body)}
	if len(ni.Labels) > 0 {
		req.Labels = &ni.Labels
	}
	is, resp, err := c.gh.Issues.Create(ctx, owner, repo, req)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("opening an issue in %s/%s", owner, repo), resp, err)
	}
	return &Issue{Number: is.GetNumber(), HTMLURL: is.GetHTMLURL()}, nil
}
