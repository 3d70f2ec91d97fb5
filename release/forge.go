package release

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/github"
)

// Forge is the service a repository's releases are published on, as Cut
// uses it: find a release by tag, create it as a draft, update its notes,
// publish it, check what the token may do, and say where its web pages
// are, for the changelog's links. *github.Client is one (github.com and
// GitHub Enterprise); a client of another forge implements the same
// methods, with what it reports turned into the github package's values
// (Release, Permissions) by an adapter in this package, since leaves do
// not import each other.
//
// What a forge may do besides is an optional interface a caller asserts:
// Checks, Statuses, BranchProtection. goreleaser's client.Client with its
// optional capabilities is the model.
type Forge interface {
	// ReleaseByTag finds the release of tag, published or draft; nil and
	// no error when there is none.
	ReleaseByTag(ctx context.Context, owner, repo, tag string) (*github.Release, error)
	// CreateRelease creates a release.
	CreateRelease(ctx context.Context, owner, repo string, nr github.NewRelease) (*github.Release, error)
	// UpdateReleaseNotes sets the name and notes of release id.
	UpdateReleaseNotes(ctx context.Context, owner, repo string, id int64, name, body string) (*github.Release, error)
	// PublishRelease turns draft release id into a published release.
	PublishRelease(ctx context.Context, owner, repo string, id int64) (*github.Release, error)
	// Permissions reads what the token may do in owner/repo.
	Permissions(ctx context.Context, owner, repo string) (github.Permissions, error)
	// WebURL is the web root of the forge's pages ("https://github.com"),
	// where the changelog's links point.
	WebURL() string
}

// Checks is a forge that shows a report as a check run on a commit, with
// annotations on files.
type Checks interface {
	// CreateCheckRun creates a check run and returns its id.
	CreateCheckRun(ctx context.Context, owner, repo string, cr github.CheckRun) (int64, error)
}

// BranchProtection is a forge that tells whether a branch refuses a direct
// push of a release commit (its rulesets, its classic protection), and why.
type BranchProtection interface {
	// BranchProtected reports whether branch refuses a direct push, with
	// the reason. When the forge cannot tell (GitHub refuses to show the
	// classic protection to a token without the administration
	// permission, and no ruleset blocks), it returns false and an error
	// for which github.IsForbidden is true.
	BranchProtected(ctx context.Context, owner, repo, branch string) (bool, string, error)
}

// Statuses is a forge that sets commit statuses.
type Statuses interface {
	// CreateStatus sets a commit status on sha.
	CreateStatus(ctx context.Context, owner, repo, sha string, st github.Status) error
}

var (
	_ Forge    = (*github.Client)(nil)
	_ Checks   = (*github.Client)(nil)
	_ Statuses = (*github.Client)(nil)

	_ BranchProtection = (*github.Client)(nil)
)

// forgeLinks is where the changelog links of owner/repo on a forge whose
// web root is web point: GitHub's link shapes, since the forges Cut
// publishes to are GitHubs.
func forgeLinks(web, owner, repo string) changelog.Repository {
	return changelog.Repository{Host: strings.TrimSuffix(web, "/"), Owner: owner, Name: repo}
}

// configuredLinks is where changelog.repository-url says links point: a
// GitHub or GitHub Enterprise repository, or one on gitlab.com, whose
// pages are under /-/.
func configuredLinks(raw string) (changelog.Repository, error) {
	r, err := changelog.ParseRepositoryURL(raw)
	if err != nil {
		return r, err
	}
	if isGitLab(hostName(r.Host)) {
		r.Style = changelog.GitLabStyle
	}
	return r, nil
}

// remoteLinks is where changelog links point for a repository whose remote
// named remote has URL raw: the repository's pages on the forge of the
// remote's host, when it is one whose link shapes shipflow knows —
// github.com (and its ssh.github.com), HOST.ghe.com, gitlab.com, or the
// host of one of githubURLs (GitHub Enterprise Server, web or API URL),
// whose web root (with its port) the links then use. Any other host
// (bitbucket.org, a self-hosted git server) gets no links, and the second
// result says why: a changelog that links nowhere says nothing wrong.
func remoteLinks(remote, raw string, githubURLs []string) (changelog.Repository, string) {
	r, err := changelog.ParseRepositoryURL(raw)
	if err != nil {
		return changelog.Repository{}, fmt.Sprintf("remote %q names no repository on a forge: the changelog has no links (set changelog.repository-url to add them)", remote)
	}
	_, name := remoteHost(raw)
	switch {
	case name == "github.com" || strings.HasSuffix(name, ".github.com"):
		r.Host = "https://github.com"
		return r, ""
	case strings.HasSuffix(name, ".ghe.com") && !strings.HasPrefix(name, "api."):
		r.Host = "https://" + name
		return r, ""
	case isGitLab(name):
		r.Host, r.Style = "https://gitlab.com", changelog.GitLabStyle
		return r, ""
	}
	for _, u := range githubURLs {
		if web := github.WebURL(u); web != "" && hostName(web) == name {
			r.Host = web
			return r, ""
		}
	}
	return changelog.Repository{}, fmt.Sprintf("remote %q is on %s, which is not a forge shipflow knows the links of (github.com, HOST.ghe.com, gitlab.com, or a GitHub Enterprise Server it is told of): the changelog has no links (set changelog.repository-url to add them)", remote, name)
}

func isGitLab(name string) bool { return name == "gitlab.com" || name == "www.gitlab.com" }

// hostName returns the lower-case host name of a web URL, without port.
func hostName(web string) string {
	u, err := url.Parse(web)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}
