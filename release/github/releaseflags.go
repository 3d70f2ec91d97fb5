package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v62/github"
)

// ReleaseFlags are the flags SetReleaseFlags changes; nil and empty fields
// stay as they are.
type ReleaseFlags struct {
	Draft      *bool
	Prerelease *bool
	// MakeLatest is GitHub's make_latest: "true", "false" (a maintenance
	// line's or backport's release, which must not become "Latest") or
	// "legacy" (by date and version).
	MakeLatest string
}

// SetReleaseFlags changes the draft, prerelease and make_latest flags of
// release id, e.g. to publish a draft (Draft false) that is not to become
// the repository's latest release.
func (c *Client) SetReleaseFlags(ctx context.Context, owner, repo string, id int64, f ReleaseFlags) (*Release, error) {
	in := &gh.RepositoryRelease{Draft: f.Draft, Prerelease: f.Prerelease}
	if f.MakeLatest != "" {
		in.MakeLatest = gh.String(f.MakeLatest)
	}
	r, resp, err := c.gh.Repositories.EditRelease(ctx, owner, repo, id, in)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("setting the flags of release %d in %s/%s", id, owner, repo), resp, err)
	}
	return fromRelease(r), nil
}
