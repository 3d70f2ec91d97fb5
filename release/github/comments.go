package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v62/github"
)

// Comment is a pull request (issue) comment.
type Comment struct {
	ID   int64
	Body string
	// Login is the author; Bot says it is an app or Actions' bot.
	Login   string
	Bot     bool
	HTMLURL string
}

func fromComment(c *gh.IssueComment) Comment {
	return Comment{ID: c.GetID(), Body: c.GetBody(), Login: c.GetUser().GetLogin(), Bot: c.GetUser().GetType() == "Bot", HTMLURL: c.GetHTMLURL()}
}

// maxCommentPages bounds ListComments: 100 per page.
const maxCommentPages = 10

// ListComments lists the comments of pull request (or issue) number,
// oldest first (at most 1000).
func (c *Client) ListComments(ctx context.Context, owner, repo string, number int) ([]Comment, error) {
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	var out []Comment
	for page := 0; page < maxCommentPages; page++ {
		list, resp, err := c.gh.Issues.ListComments(ctx, owner, repo, number, opt)
		if err != nil {
			return nil, c.wrap(fmt.Sprintf("listing the comments of #%d in %s/%s", number, owner, repo), resp, err)
		}
		for _, cm := range list {
			out = append(out, fromComment(cm))
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out, nil
}

// CreateComment comments body on pull request (or issue) number.
func (c *Client) CreateComment(ctx context.Context, owner, repo string, number int, body string) (Comment, error) {
	cm, resp, err := c.gh.Issues.CreateComment(ctx, owner, repo, number, &gh.IssueComment{Body: gh.String(body)})
	if err != nil {
		return Comment{}, c.wrap(fmt.Sprintf("commenting on #%d in %s/%s", number, owner, repo), resp, err)
	}
	return fromComment(cm), nil
}

// UpdateComment replaces the body of comment id.
func (c *Client) UpdateComment(ctx context.Context, owner, repo string, id int64, body string) (Comment, error) {
	cm, resp, err := c.gh.Issues.EditComment(ctx, owner, repo, id, &gh.IssueComment{Body: gh.String(body)})
	if err != nil {
		return Comment{}, c.wrap(fmt.Sprintf("updating comment %d in %s/%s", id, owner, repo), resp, err)
	}
	return fromComment(cm), nil
}

// DeleteComment deletes comment id.
func (c *Client) DeleteComment(ctx context.Context, owner, repo string, id int64) error {
	resp, err := c.gh.Issues.DeleteComment(ctx, owner, repo, id)
	return c.wrap(fmt.Sprintf("deleting comment %d in %s/%s", id, owner, repo), resp, err)
}

// What StickyComment did.
const (
	StickyCreated   = "created"
	StickyUpdated   = "updated"
	StickyUnchanged = "unchanged"
	StickyDeleted   = "deleted"
	StickyNone      = "none"
)

// StickyComment keeps one comment on pull request number: the comment
// whose body starts with marker (an HTML comment, such as
// "<!-- shipflow:pr -->") and whose author is a bot — the comments a
// workflow's token makes; a person's comment quoting the marker is never
// touched. A non-empty body (which must start with marker) creates it or
// updates it in place, and an empty body deletes it. An unchanged body
// sends nothing. It returns what it did and the comment.
func (c *Client) StickyComment(ctx context.Context, owner, repo string, number int, marker, body string) (string, Comment, error) {
	if body != "" && !strings.HasPrefix(body, marker) {
		return "", Comment{}, &Error{Op: "keeping the pull request comment", Err: fmt.Errorf("the body must start with the marker %q", marker)}
	}
	list, err := c.ListComments(ctx, owner, repo, number)
	if err != nil {
		return "", Comment{}, err
	}
	var found *Comment
	for i := range list {
		if list[i].Bot && strings.HasPrefix(list[i].Body, marker) {
			found = &list[i]
			break
		}
	}
	switch {
	case body == "" && found == nil:
		return StickyNone, Comment{}, nil
	case body == "":
		return StickyDeleted, *found, c.DeleteComment(ctx, owner, repo, found.ID)
	case found == nil:
		cm, err := c.CreateComment(ctx, owner, repo, number, body)
		return StickyCreated, cm, err
	case found.Body == body:
		return StickyUnchanged, *found, nil
	}
	cm, err := c.UpdateComment(ctx, owner, repo, found.ID, body)
	return StickyUpdated, cm, err
}
