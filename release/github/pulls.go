package github

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	gh "github.com/google/go-github/v62/github"
)

// PullRequest is a GitHub pull request.
type PullRequest struct {
	Number  int
	Title   string
	Body    string
	Head    string // branch name
	HeadSHA string
	Base    string // branch name
	State   string // "open" or "closed"
	Draft   bool
	Merged  bool
	// MergeCommitSHA is the commit the merge made on Base, once Merged.
	MergeCommitSHA string
	Labels         []string
	HTMLURL        string
}

func fromPull(p *gh.PullRequest) *PullRequest {
	out := &PullRequest{
		Number: p.GetNumber(), Title: p.GetTitle(), Body: p.GetBody(),
		Head: p.GetHead().GetRef(), HeadSHA: p.GetHead().GetSHA(), Base: p.GetBase().GetRef(),
		State: p.GetState(), Draft: p.GetDraft(), Merged: p.GetMerged() || p.MergedAt != nil,
		HTMLURL: p.GetHTMLURL(),
	}
	if out.Merged {
		out.MergeCommitSHA = p.GetMergeCommitSHA()
	}
	for _, l := range p.Labels {
		out.Labels = append(out.Labels, l.GetName())
	}
	return out
}

// NewPullRequest is what CreatePullRequest opens.
type NewPullRequest struct {
	Title string
	Body  string
	Head  string // branch in the same repository
	Base  string
	Draft bool
}

// CreatePullRequest opens a pull request from Head into Base. GitHub
// refuses (422) a second open pull request for the same head and base, and
// one whose head has no commits the base lacks; Actions' GITHUB_TOKEN may
// open one only where the repository allows Actions to create pull
// requests (403 otherwise).
func (c *Client) CreatePullRequest(ctx context.Context, owner, repo string, np NewPullRequest) (*PullRequest, error) {
	p, resp, err := c.gh.PullRequests.Create(ctx, owner, repo, &gh.NewPullRequest{
		Title: gh.String(np.Title), Body: gh.String(np.Body), Head: gh.String(np.Head),
		Base: gh.String(np.Base), Draft: gh.Bool(np.Draft),
	})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("opening pull request from %s into %s in %s/%s", np.Head, np.Base, owner, repo), resp, err)
	}
	return fromPull(p), nil
}

// PullRequestUpdate says what UpdatePullRequest changes; nil fields stay.
type PullRequestUpdate struct {
	Title, Body, Base *string
	// State is "open" or "closed"; empty leaves it.
	State string
}

// UpdatePullRequest changes the title, body, base or state of pull request
// number.
func (c *Client) UpdatePullRequest(ctx context.Context, owner, repo string, number int, u PullRequestUpdate) (*PullRequest, error) {
	in := &gh.PullRequest{Title: u.Title, Body: u.Body}
	if u.Base != nil {
		in.Base = &gh.PullRequestBranch{Ref: u.Base}
	}
	if u.State != "" {
		in.State = gh.String(u.State)
	}
	p, resp, err := c.gh.PullRequests.Edit(ctx, owner, repo, number, in)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("updating pull request #%d in %s/%s", number, owner, repo), resp, err)
	}
	return fromPull(p), nil
}

// ClosePullRequest closes pull request number without merging it.
func (c *Client) ClosePullRequest(ctx context.Context, owner, repo string, number int) (*PullRequest, error) {
	return c.UpdatePullRequest(ctx, owner, repo, number, PullRequestUpdate{State: "closed"})
}

// GetPullRequest reads pull request number.
func (c *Client) GetPullRequest(ctx context.Context, owner, repo string, number int) (*PullRequest, error) {
	p, resp, err := c.gh.PullRequests.Get(ctx, owner, repo, number)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("reading pull request #%d in %s/%s", number, owner, repo), resp, err)
	}
	return fromPull(p), nil
}

// PullRequestFilter selects pull requests; empty fields select all.
type PullRequestFilter struct {
	Head  string // branch in owner/repo
	Base  string
	State string // "open" (the default), "closed" or "all"
}

// maxPullPages bounds ListPullRequests: 100 per page.
const maxPullPages = 10

// ListPullRequests lists owner/repo's pull requests that match f, newest
// first (at most 1000).
func (c *Client) ListPullRequests(ctx context.Context, owner, repo string, f PullRequestFilter) ([]*PullRequest, error) {
	opt := &gh.PullRequestListOptions{State: f.State, Base: f.Base, ListOptions: gh.ListOptions{PerPage: 100}}
	if f.Head != "" {
		// GitHub filters by head only as "owner:branch".
		opt.Head = owner + ":" + f.Head
	}
	var out []*PullRequest
	for page := 0; page < maxPullPages; page++ {
		list, resp, err := c.gh.PullRequests.List(ctx, owner, repo, opt)
		if err != nil {
			return nil, c.wrap(fmt.Sprintf("listing pull requests in %s/%s", owner, repo), resp, err)
		}
		for _, p := range list {
			out = append(out, fromPull(p))
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out, nil
}

// FindPullRequest returns the newest pull request from branch head in
// state ("open", "closed" or "all"; empty: "open"), nil when there is none.
func (c *Client) FindPullRequest(ctx context.Context, owner, repo, head, state string) (*PullRequest, error) {
	list, err := c.ListPullRequests(ctx, owner, repo, PullRequestFilter{Head: head, State: state})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// MergeOptions say how MergePullRequest merges.
type MergeOptions struct {
	// Method is "merge" (the default), "squash" or "rebase".
	Method string
	// SHA, when set, must be the head's commit: GitHub refuses (409) to
	// merge a head that moved since.
	SHA                        string
	CommitTitle, CommitMessage string
}

// MergePullRequest merges pull request number and returns the sha of the
// commit the merge made on the base branch.
func (c *Client) MergePullRequest(ctx context.Context, owner, repo string, number int, o MergeOptions) (string, error) {
	r, resp, err := c.gh.PullRequests.Merge(ctx, owner, repo, number, o.CommitMessage, &gh.PullRequestOptions{
		CommitTitle: o.CommitTitle, SHA: o.SHA, MergeMethod: o.Method,
	})
	if err != nil {
		return "", c.wrap(fmt.Sprintf("merging pull request #%d in %s/%s", number, owner, repo), resp, err)
	}
	return r.GetSHA(), nil
}

// AddLabels adds labels to pull request (or issue) number.
func (c *Client) AddLabels(ctx context.Context, owner, repo string, number int, labels ...string) error {
	op := fmt.Sprintf("labelling #%d in %s/%s", number, owner, repo)
	// Not go-github's AddLabelsToIssue: it sends a bare array, which the
	// REST description no longer lists; {"labels": [...]} is its form.
	u := fmt.Sprintf("repos/%s/%s/issues/%d/labels", url.PathEscape(owner), url.PathEscape(repo), number)
	req, err := c.gh.NewRequest(http.MethodPost, u, map[string][]string{"labels": labels})
	if err != nil {
		return &Error{Op: op, Err: err}
	}
	resp, err := c.gh.Do(ctx, req, nil)
	return c.wrap(op, resp, err)
}

// RemoveLabel removes label from pull request (or issue) number. A label
// that is not on it (GitHub answers 404) is not an error.
func (c *Client) RemoveLabel(ctx context.Context, owner, repo string, number int, label string) error {
	op := fmt.Sprintf("removing label %q from #%d in %s/%s", label, number, owner, repo)
	// Not go-github's RemoveLabelForIssue: it does not escape the label's
	// name, and names hold spaces, colons and slashes.
	u := fmt.Sprintf("repos/%s/%s/issues/%d/labels/%s", url.PathEscape(owner), url.PathEscape(repo), number, url.PathEscape(label))
	req, err := c.gh.NewRequest(http.MethodDelete, u, nil)
	if err != nil {
		return &Error{Op: op, Err: err}
	}
	resp, err := c.gh.Do(ctx, req, nil)
	if werr := c.wrap(op, resp, err); werr != nil && !IsNotFound(werr) {
		return werr
	}
	return nil
}
