package github

import (
	"context"
	"fmt"
)

// MergeSettings are how a repository merges pull requests, as GET
// /repos/{owner}/{repo} tells them. GitHub sends these fields only to a
// token with push or admin access; Known is false when it sent none of
// them, and then nothing else here means anything.
type MergeSettings struct {
	Known bool
	// AllowSquash, AllowMerge and AllowRebase are allow_squash_merge,
	// allow_merge_commit and allow_rebase_merge.
	AllowSquash, AllowMerge, AllowRebase bool
	// SquashTitle is squash_merge_commit_title: "PR_TITLE" or
	// "COMMIT_OR_PR_TITLE"; SquashMessage squash_merge_commit_message:
	// "PR_BODY", "COMMIT_MESSAGES" or "BLANK". Empty when not sent.
	SquashTitle, SquashMessage string
	// MergeTitle is merge_commit_title ("PR_TITLE", "MERGE_MESSAGE") and
	// MergeMessage merge_commit_message ("PR_BODY", "PR_TITLE", "BLANK").
	MergeTitle, MergeMessage string
}

// MergeSettings reads how owner/repo merges pull requests. A token
// without push access gets MergeSettings{Known: false} and no error.
func (c *Client) MergeSettings(ctx context.Context, owner, repo string) (MergeSettings, error) {
	r, resp, err := c.gh.Repositories.Get(ctx, owner, repo)
	if err != nil {
		return MergeSettings{}, c.wrap(fmt.Sprintf("reading the merge settings of %s/%s", owner, repo), resp, err)
	}
	if r.AllowSquashMerge == nil && r.AllowMergeCommit == nil && r.AllowRebaseMerge == nil {
		return MergeSettings{}, nil
	}
	return MergeSettings{
		Known:         true,
		AllowSquash:   r.GetAllowSquashMerge(),
		AllowMerge:    r.GetAllowMergeCommit(),
		AllowRebase:   r.GetAllowRebaseMerge(),
		SquashTitle:   r.GetSquashMergeCommitTitle(),
		SquashMessage: r.GetSquashMergeCommitMessage(),
		MergeTitle:    r.GetMergeCommitTitle(),
		MergeMessage:  r.GetMergeCommitMessage(),
	}, nil
}
