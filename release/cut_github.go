package release

import (
	"context"
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"

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
	p.setRelease(rel)
	if rel.Body == p.Notes && rel.Draft == p.Draft && !s.c.assetsMissing(ctx, p, rel) {
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
		// A draft cannot be made Latest ("Drafts and prereleases cannot be
		// set as latest", REST docs for make_latest): only "false" is said
		// now, and the publish says it again either way.
		nr := github.NewRelease{Tag: p.Tag, Target: p.ReleaseCommit, Name: p.Tag, Body: p.Notes, Draft: true, Prerelease: p.Prerelease}
		if !p.Latest {
			nr.MakeLatest = "false"
		}
		rel, err = f.CreateRelease(ctx, p.Owner, p.Repo, nr)
		p.Created = err == nil
	case rel.Body != p.Notes:
		rel, err = f.UpdateReleaseNotes(ctx, p.Owner, p.Repo, rel.ID, p.Tag, p.Notes)
	}
	if err != nil {
		return err
	}
	// Before publishing: an immutable release takes no asset afterwards.
	if err := s.c.uploadAssets(ctx, p, rel); err != nil {
		return err
	}
	if rel.Draft && !p.Draft {
		if lp, ok := f.(latestPublisher); ok {
			published := false
			rel, err = lp.SetReleaseFlags(ctx, p.Owner, p.Repo, rel.ID, github.ReleaseFlags{Draft: &published, MakeLatest: cutMakeLatest(p)})
		} else {
			rel, err = f.PublishRelease(ctx, p.Owner, p.Repo, rel.ID)
		}
		if err != nil {
			return err
		}
	}
	p.setRelease(rel)
	return nil
}

// latestPublisher is a forge that publishes a draft saying whether it
// becomes Latest: GitHub makes a newly published release Latest unless
// told otherwise, whatever the draft was created with. *github.Client is
// one.
type latestPublisher interface {
	SetReleaseFlags(ctx context.Context, owner, repo string, id int64, f github.ReleaseFlags) (*github.Release, error)
}

var _ latestPublisher = (*github.Client)(nil)

// cutMakeLatest is the release's make_latest: "true" only for the highest
// stable version.
func cutMakeLatest(p *CutPlan) string {
	if p.Latest {
		return "true"
	}
	return "false"
}

// setRelease records the GitHub release found or made.
func (p *CutPlan) setRelease(rel *github.Release) {
	p.release, p.ReleaseURL, p.ReleaseID, p.UploadURL = rel, rel.HTMLURL, rel.ID, rel.UploadURL
}

// classify fills the version's numbers, whether it is a prerelease, and
// whether it is the highest stable version among the repository's tags
// of the same prefix (a release made with fetch-depth: 0 has them all).
func (c *cutter) classify(ctx context.Context, p *CutPlan) error {
	v, err := semver.StrictNewVersion(p.Version)
	if err != nil {
		return fmt.Errorf("reading version %q: %w", p.Version, err)
	}
	p.Major, p.Minor, p.Patch, p.Prerelease = v.Major(), v.Minor(), v.Patch(), v.Prerelease() != ""
	p.Latest = false
	if p.Prerelease {
		return nil // GitHub never makes a prerelease Latest
	}
	tags, err := c.repo.Tags(ctx, "")
	if err != nil {
		return err
	}
	prefix := strings.TrimSuffix(p.Tag, p.Version)
	p.Latest, p.higherInMajor = true, ""
	var higher *semver.Version
	for _, t := range tags {
		raw, ok := strings.CutPrefix(t, prefix)
		if !ok {
			continue
		}
		tv, err := semver.StrictNewVersion(raw)
		if err != nil || tv.Prerelease() != "" || !tv.GreaterThan(v) {
			continue
		}
		p.Latest = false
		if tv.Major() == v.Major() && (higher == nil || tv.GreaterThan(higher)) {
			higher, p.higherInMajor = tv, t
		}
	}
	return nil
}

// --- floating major tag ---

type cutFloatingTag struct{ c *cutter }

func (cutFloatingTag) String() string { return "floating-tag" }

func (s cutFloatingTag) Skip(ctx context.Context, p *CutPlan) string {
	if why := s.planSkip(p); why != "" {
		return why
	}
	refs, err := s.c.remoteRefs(ctx, p.Remote, "refs/tags/"+p.FloatingTag)
	local, lerr := s.c.repo.TagCommit(ctx, p.FloatingTag)
	if err == nil && lerr == nil && local == p.ReleaseCommit && refs["refs/tags/"+p.FloatingTag] == p.ReleaseCommit {
		return fmt.Sprintf("%s already at %s on %q", p.FloatingTag, p.Tag, p.Remote)
	}
	return ""
}

// planSkip is why the plan alone (its configuration and version) leaves
// the floating tag where it is: a dry run shows it, instead of "dry run",
// so that a step that is turned off does not look as if it would run.
func (s cutFloatingTag) planSkip(p *CutPlan) string {
	if p.FloatingTag == "" {
		if s.c.pkg != nil {
			return "floating major tags are not moved for the packages of a monorepo"
		}
		if s.c.opts.Config.FloatingMajorTag {
			return fmt.Sprintf("%s is a prerelease version", p.Tag)
		}
		return "floating major tag disabled (release.floating-major-tag is off)"
	}
	if p.higherInMajor != "" {
		return fmt.Sprintf("%s is higher than %s: %s stays on the newest of its line", p.higherInMajor, p.Tag, p.FloatingTag)
	}
	return ""
}

// cutPlanSkip returns the planSkip of step, looking through the wrappers
// that only add skip conditions; "" when it has none or the plan does not
// skip it.
func cutPlanSkip(step Step, p *CutPlan) string {
	switch s := step.(type) {
	case cutRemote:
		return cutPlanSkip(s.Step, p)
	case cutAfterMerge:
		return cutPlanSkip(s.Step, p)
	case interface{ planSkip(*CutPlan) string }:
		return s.planSkip(p)
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
