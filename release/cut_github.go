package release

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/github"
)

// The GitHub steps, the release (draft, notes, publish) and the floating
// major tag, and the GitHub repository they go to.

// --- GitHub release ---

type cutGitHubRelease struct{ c *cutter }

func (cutGitHubRelease) String() string { return "github-release" }

func (s cutGitHubRelease) Skip(ctx context.Context, p *CutPlan) string {
	rel, err := s.c.forge.ReleaseByTag(ctx, p.Owner, p.Repo, p.Tag)
	if err != nil || rel == nil {
		return "" // Run looks again and reports the error
	}
	p.release, p.ReleaseURL = rel, rel.HTMLURL
	if rel.Body == p.Notes && rel.Draft == p.Draft {
		state := "published"
		if rel.Draft {
			state = "a draft"
		}
		return fmt.Sprintf("release %s already %s with these notes", p.Tag, state)
	}
	return ""
}

func (s cutGitHubRelease) Run(ctx context.Context, p *CutPlan) error {
	f := s.c.forge
	rel := p.release
	if rel == nil {
		var err error
		if rel, err = f.ReleaseByTag(ctx, p.Owner, p.Repo, p.Tag); err != nil {
			return err
		}
	}
	var err error
	switch {
	case rel == nil:
		// A draft first, published once the notes are in: watchers see one
		// complete release, and a failure leaves only a draft behind.
		rel, err = f.CreateRelease(ctx, p.Owner, p.Repo, github.NewRelease{Tag: p.Tag, Target: p.ReleaseCommit, Name: p.Tag, Body: p.Notes, Draft: true})
	case rel.Body != p.Notes:
		rel, err = f.UpdateReleaseNotes(ctx, p.Owner, p.Repo, rel.ID, p.Tag, p.Notes)
	}
	if err != nil {
		return err
	}
	if rel.Draft && !p.Draft {
		if rel, err = f.PublishRelease(ctx, p.Owner, p.Repo, rel.ID); err != nil {
			return err
		}
	}
	p.release, p.ReleaseURL = rel, rel.HTMLURL
	return nil
}

// --- floating major tag ---

type cutFloatingTag struct{ c *cutter }

func (cutFloatingTag) String() string { return "floating-tag" }

func (s cutFloatingTag) Skip(ctx context.Context, p *CutPlan) string {
	if p.FloatingTag == "" {
		if s.c.opts.Config.FloatingMajorTag {
			return fmt.Sprintf("%s is a prerelease version", p.Tag)
		}
		return "floating major tag disabled (release.floating-major-tag)"
	}
	refs, err := s.c.remoteRefs(ctx, p.Remote, "refs/tags/"+p.FloatingTag)
	local, lerr := s.c.repo.TagCommit(ctx, p.FloatingTag)
	if err == nil && lerr == nil && local == p.ReleaseCommit && refs["refs/tags/"+p.FloatingTag] == p.ReleaseCommit {
		return fmt.Sprintf("%s already at %s on %q", p.FloatingTag, p.Tag, p.Remote)
	}
	return ""
}

func (s cutFloatingTag) Run(ctx context.Context, p *CutPlan) error {
	r := s.c.repo
	if _, err := r.Run(ctx, "tag", "--force", "--annotate", "--message", p.FloatingTag+" → "+p.Tag, "--", p.FloatingTag, p.ReleaseCommit); err != nil {
		return fmt.Errorf("moving tag %s: %w", p.FloatingTag, err)
	}
	if _, err := r.Run(ctx, "push", "--quiet", "--force", "--", p.Remote, "refs/tags/"+p.FloatingTag+":refs/tags/"+p.FloatingTag); err != nil {
		return fmt.Errorf("pushing tag %s to %q: %w", p.FloatingTag, p.Remote, err)
	}
	return nil
}

// githubRepo returns the GitHub owner and name, from the options or the
// remote's URL.
func (c *cutter) githubRepo(ctx context.Context, remote string) (string, string, error) {
	if c.opts.Owner != "" && c.opts.Repo != "" {
		return c.opts.Owner, c.opts.Repo, nil
	}
	u, err := c.repo.RemoteURL(ctx, remote)
	if err != nil {
		return "", "", fmt.Errorf("%w (pass --repo OWNER/NAME)", err)
	}
	r, err := changelog.ParseRepositoryURL(u)
	if err != nil {
		return "", "", fmt.Errorf("%w: cannot tell the GitHub repository from remote %q: %v (pass --repo OWNER/NAME)", ErrCutRefused, remote, err)
	}
	// GitLab's subgroups (gitlab.com/group/sub/r) have no GitHub
	// counterpart: GitHub repositories are OWNER/NAME.
	if strings.Contains(r.Owner, "/") {
		return "", "", fmt.Errorf("%w: remote %q names %s/%s, which is not a GitHub repository (OWNER/NAME) (pass --repo OWNER/NAME)", ErrCutRefused, remote, r.Owner, r.Name)
	}
	return r.Owner, r.Name, nil
}

// webRepo is where changelog links point: the release's repository on
// the pages of the forge it is published on. The web root is CutOptions'
// WebURL when given, else the forge's, else (a dry run has no forge) the
// one the API URL names, else github.com's. The remote's host is not
// used: it may be an ssh alias or a mirror.
func (c *cutter) webRepo(p *CutPlan) changelog.Repository {
	web := c.opts.WebURL
	if web == "" && c.forge != nil {
		web = c.forge.WebURL()
	}
	if web == "" {
		web = github.WebURL(cutOr(c.opts.APIURL, github.DefaultBaseURL))
	}
	return forgeLinks(cutOr(web, "https://github.com"), p.Owner, p.Repo)
}
