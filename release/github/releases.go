package github

import (
	"context"
	"fmt"
	"net/url"

	gh "github.com/google/go-github/v62/github"
)

// Release is a GitHub release.
type Release struct {
	ID         int64
	Tag        string
	Target     string // target_commitish
	Name       string
	Body       string
	Draft      bool
	Prerelease bool
	HTMLURL    string
	UploadURL  string // upload_url, a URI template ("…/assets{?name,label}")
}

func fromRelease(r *gh.RepositoryRelease) *Release {
	return &Release{
		ID: r.GetID(), Tag: r.GetTagName(), Target: r.GetTargetCommitish(), Name: r.GetName(),
		Body: r.GetBody(), Draft: r.GetDraft(), Prerelease: r.GetPrerelease(), HTMLURL: r.GetHTMLURL(),
		UploadURL: r.GetUploadURL(),
	}
}

// maxReleasePages bounds the search for a draft: drafts are not found by
// tag, so they are looked for in the newest releases, 100 per page.
const maxReleasePages = 10

// ReleaseByTag finds the release of tag in owner/repo, published or draft.
// It returns nil and no error when there is none.
func (c *Client) ReleaseByTag(ctx context.Context, owner, repo, tag string) (*Release, error) {
	op := fmt.Sprintf("finding release %q in %s/%s", tag, owner, repo)
	// One path segment: a package's tag holds slashes (api/v2.0.0), which
	// GitHub's own client (octokit) sends escaped too.
	r, resp, err := c.gh.Repositories.GetReleaseByTag(ctx, owner, repo, url.PathEscape(tag))
	if err == nil {
		return fromRelease(r), nil
	}
	if werr := c.wrap(op, resp, err); !IsNotFound(werr) {
		return nil, werr
	}
	// GitHub finds only published releases by tag; drafts need the list.
	opt := &gh.ListOptions{PerPage: 100}
	for page := 0; page < maxReleasePages; page++ {
		list, resp, err := c.gh.Repositories.ListReleases(ctx, owner, repo, opt)
		if err != nil {
			return nil, c.wrap(op, resp, err)
		}
		for _, r := range list {
			if r.GetTagName() == tag {
				return fromRelease(r), nil
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return nil, nil
}

// NewRelease is what CreateRelease creates.
type NewRelease struct {
	Tag        string
	Target     string // branch or sha the tag is made from if it does not exist; empty: the default branch
	Name       string
	Body       string
	Draft      bool
	Prerelease bool
	// MakeLatest is GitHub's make_latest: "true", "false" or "legacy";
	// empty leaves GitHub's default (legacy).
	MakeLatest string
}

// CreateRelease creates a release in owner/repo.
func (c *Client) CreateRelease(ctx context.Context, owner, repo string, nr NewRelease) (*Release, error) {
	in := &gh.RepositoryRelease{
		TagName: gh.String(nr.Tag), Name: gh.String(nr.Name), Body: gh.String(nr.Body),
		Draft: gh.Bool(nr.Draft), Prerelease: gh.Bool(nr.Prerelease),
	}
	if nr.Target != "" {
		in.TargetCommitish = gh.String(nr.Target)
	}
	if nr.MakeLatest != "" {
		in.MakeLatest = gh.String(nr.MakeLatest)
	}
	r, resp, err := c.gh.Repositories.CreateRelease(ctx, owner, repo, in)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("creating release %q in %s/%s", nr.Tag, owner, repo), resp, err)
	}
	return fromRelease(r), nil
}

// UpdateReleaseNotes sets the name and body of release id.
func (c *Client) UpdateReleaseNotes(ctx context.Context, owner, repo string, id int64, name, body string) (*Release, error) {
	r, resp, err := c.gh.Repositories.EditRelease(ctx, owner, repo, id, &gh.RepositoryRelease{Name: gh.String(name), Body: gh.String(body)})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("updating notes of release %d in %s/%s", id, owner, repo), resp, err)
	}
	return fromRelease(r), nil
}

// PublishRelease turns draft release id into a published release.
func (c *Client) PublishRelease(ctx context.Context, owner, repo string, id int64) (*Release, error) {
	r, resp, err := c.gh.Repositories.EditRelease(ctx, owner, repo, id, &gh.RepositoryRelease{Draft: gh.Bool(false)})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("publishing release %d in %s/%s", id, owner, repo), resp, err)
	}
	return fromRelease(r), nil
}
