package github

import (
	"context"
	"fmt"
	"io"
	"net/url"

	gh "github.com/google/go-github/v62/github"
)

// Asset is a file attached to a GitHub release.
type Asset struct {
	ID                 int64
	Name               string
	Label              string
	ContentType        string
	Size               int64
	State              string // "uploaded" or "open"
	BrowserDownloadURL string
}

func fromAsset(a *gh.ReleaseAsset) *Asset {
	return &Asset{
		ID: a.GetID(), Name: a.GetName(), Label: a.GetLabel(), ContentType: a.GetContentType(),
		Size: int64(a.GetSize()), State: a.GetState(), BrowserDownloadURL: a.GetBrowserDownloadURL(),
	}
}

// UploadReleaseAsset uploads size bytes read from r as the asset name of
// release releaseID, to the API's upload URL. contentType defaults to
// application/octet-stream. GitHub refuses (422) a name the release already
// has: delete the old asset first to replace it. A reader that is not a
// *bytes.Reader, *bytes.Buffer or *strings.Reader cannot be re-read, so a
// failed upload of one is not retried.
func (c *Client) UploadReleaseAsset(ctx context.Context, owner, repo string, releaseID int64, name string, r io.Reader, size int64, contentType string) (*Asset, error) {
	op := fmt.Sprintf("uploading asset %q to release %d in %s/%s", name, releaseID, owner, repo)
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	u := fmt.Sprintf("repos/%s/%s/releases/%d/assets?name=%s", url.PathEscape(owner), url.PathEscape(repo), releaseID, url.QueryEscape(name))
	req, err := c.gh.NewUploadRequest(u, r, size, contentType)
	if err != nil {
		return nil, &Error{Op: op, Err: err}
	}
	a := new(gh.ReleaseAsset)
	resp, err := c.gh.Do(ctx, req, a)
	if err != nil {
		return nil, c.wrap(op, resp, err)
	}
	return fromAsset(a), nil
}

// ListReleaseAssets lists the assets of release releaseID, oldest first.
func (c *Client) ListReleaseAssets(ctx context.Context, owner, repo string, releaseID int64) ([]*Asset, error) {
	op := fmt.Sprintf("listing assets of release %d in %s/%s", releaseID, owner, repo)
	var out []*Asset
	opt := &gh.ListOptions{PerPage: 100}
	for {
		list, resp, err := c.gh.Repositories.ListReleaseAssets(ctx, owner, repo, releaseID, opt)
		if err != nil {
			return nil, c.wrap(op, resp, err)
		}
		for _, a := range list {
			out = append(out, fromAsset(a))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// DeleteReleaseAsset deletes asset assetID.
func (c *Client) DeleteReleaseAsset(ctx context.Context, owner, repo string, assetID int64) error {
	resp, err := c.gh.Repositories.DeleteReleaseAsset(ctx, owner, repo, assetID)
	return c.wrap(fmt.Sprintf("deleting release asset %d in %s/%s", assetID, owner, repo), resp, err)
}
