package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v62/github"
)

// GitCommit is a git commit object read or made through the git data API.
type GitCommit struct {
	SHA     string
	Tree    string
	Message string
	Parents []string
	// Verified is GitHub's verdict on the commit's signature. Commits made
	// through the API without an author, committer or signature are signed
	// by GitHub (verified when the token is a GitHub App's).
	Verified           bool
	VerificationReason string
	HTMLURL            string
}

func fromCommit(c *gh.Commit) *GitCommit {
	out := &GitCommit{
		SHA: c.GetSHA(), Tree: c.GetTree().GetSHA(), Message: c.GetMessage(), HTMLURL: c.GetHTMLURL(),
		Verified: c.GetVerification().GetVerified(), VerificationReason: c.GetVerification().GetReason(),
	}
	for _, p := range c.Parents {
		out.Parents = append(out.Parents, p.GetSHA())
	}
	return out
}

// TreeFile is one change CreateTree makes to its base tree.
type TreeFile struct {
	// Path is slash-separated, relative to the repository's root.
	Path string
	// Content is the file's new content (a blob), unless Delete.
	Content string
	// Mode is the git file mode; empty: "100644".
	Mode string
	// Delete removes Path from the tree.
	Delete bool
}

// CreateTree creates a tree that is baseTree (a tree or commit sha; empty:
// an empty tree) with files changed, and returns its sha.
func (c *Client) CreateTree(ctx context.Context, owner, repo, baseTree string, files []TreeFile) (string, error) {
	entries := make([]*gh.TreeEntry, 0, len(files))
	for _, f := range files {
		if err := checkTreePath(f.Path); err != nil {
			return "", &Error{Op: fmt.Sprintf("creating a tree in %s/%s", owner, repo), Err: err}
		}
		e := &gh.TreeEntry{Path: gh.String(f.Path), Mode: gh.String(f.Mode), Type: gh.String("blob")}
		if f.Mode == "" {
			e.Mode = gh.String("100644")
		}
		if !f.Delete {
			e.Content = gh.String(f.Content)
		}
		entries = append(entries, e)
	}
	t, resp, err := c.gh.Git.CreateTree(ctx, owner, repo, baseTree, entries)
	if err != nil {
		return "", c.wrap(fmt.Sprintf("creating a tree in %s/%s", owner, repo), resp, err)
	}
	return t.GetSHA(), nil
}

// CreateCommit makes a commit object with tree and parents; it does not
// move any branch (see UpdateRef). Without author or committer, GitHub
// signs it.
func (c *Client) CreateCommit(ctx context.Context, owner, repo, message, tree string, parents []string) (*GitCommit, error) {
	in := &gh.Commit{Message: gh.String(message), Tree: &gh.Tree{SHA: gh.String(tree)}}
	for _, p := range parents {
		in.Parents = append(in.Parents, &gh.Commit{SHA: gh.String(p)})
	}
	cm, resp, err := c.gh.Git.CreateCommit(ctx, owner, repo, in, nil)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("creating a commit in %s/%s", owner, repo), resp, err)
	}
	return fromCommit(cm), nil
}

// CreateCommitFromTree makes a commit on top of parent whose tree is
// parent's tree with files changed, as a release commit made through the
// API; it does not move any branch (see UpdateRef or SetBranch).
func (c *Client) CreateCommitFromTree(ctx context.Context, owner, repo, parent string, files []TreeFile, message string) (*GitCommit, error) {
	p, err := c.GetCommit(ctx, owner, repo, parent)
	if err != nil {
		return nil, err
	}
	tree, err := c.CreateTree(ctx, owner, repo, p.Tree, files)
	if err != nil {
		return nil, err
	}
	return c.CreateCommit(ctx, owner, repo, message, tree, []string{parent})
}

// GetCommit reads commit object sha.
func (c *Client) GetCommit(ctx context.Context, owner, repo, sha string) (*GitCommit, error) {
	cm, resp, err := c.gh.Git.GetCommit(ctx, owner, repo, sha)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("reading commit %s in %s/%s", sha, owner, repo), resp, err)
	}
	return fromCommit(cm), nil
}

// shortRef turns "refs/heads/x" into "heads/x"; "heads/x" stays.
func shortRef(ref string) string { return strings.TrimPrefix(ref, "refs/") }

// GetRef returns the sha ref points at ("heads/main", "refs/tags/v1.0.0"),
// and false when there is no such ref.
func (c *Client) GetRef(ctx context.Context, owner, repo, ref string) (string, bool, error) {
	r, resp, err := c.gh.Git.GetRef(ctx, owner, repo, shortRef(ref))
	if err != nil {
		werr := c.wrap(fmt.Sprintf("reading ref %s in %s/%s", shortRef(ref), owner, repo), resp, err)
		if IsNotFound(werr) {
			return "", false, nil
		}
		return "", false, werr
	}
	return r.GetObject().GetSHA(), true, nil
}

// CreateRef creates ref ("heads/x" or "refs/heads/x") at sha. GitHub
// refuses (422) a ref that exists.
func (c *Client) CreateRef(ctx context.Context, owner, repo, ref, sha string) error {
	_, resp, err := c.gh.Git.CreateRef(ctx, owner, repo, &gh.Reference{Ref: gh.String("refs/" + shortRef(ref)), Object: &gh.GitObject{SHA: gh.String(sha)}})
	return c.wrap(fmt.Sprintf("creating ref %s in %s/%s", shortRef(ref), owner, repo), resp, err)
}

// UpdateRef moves ref to sha: only forward unless force. GitHub refuses
// (422) an update a branch's protection or rulesets forbid.
func (c *Client) UpdateRef(ctx context.Context, owner, repo, ref, sha string, force bool) error {
	_, resp, err := c.gh.Git.UpdateRef(ctx, owner, repo, &gh.Reference{Ref: gh.String(shortRef(ref)), Object: &gh.GitObject{SHA: gh.String(sha)}}, force)
	return c.wrap(fmt.Sprintf("moving ref %s in %s/%s to %s", shortRef(ref), owner, repo, sha), resp, err)
}

// SetBranch points branch at sha, creating it when missing and moving it
// (forced when force) when not; it reports whether it created the branch.
// A release PR's branch is set this way, force, on every run.
func (c *Client) SetBranch(ctx context.Context, owner, repo, branch, sha string, force bool) (created bool, err error) {
	old, ok, err := c.GetRef(ctx, owner, repo, "heads/"+branch)
	if err != nil {
		return false, err
	}
	if !ok {
		return true, c.CreateRef(ctx, owner, repo, "heads/"+branch, sha)
	}
	if old == sha {
		return false, nil
	}
	return false, c.UpdateRef(ctx, owner, repo, "heads/"+branch, sha, force)
}

// checkTreePath refuses a path that is not a clean relative path inside the
// work tree or that is under .git (SECURITY.md): version file paths come
// from the repository.
func checkTreePath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") {
		return fmt.Errorf("path %q is not a relative slash-separated path", p)
	}
	for _, part := range strings.Split(p, "/") {
		switch {
		case part == "" || part == "." || part == "..":
			return fmt.Errorf("path %q is not clean", p)
		case strings.EqualFold(part, ".git"):
			return fmt.Errorf("path %q is under .git", p)
		}
	}
	return nil
}
