package release

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/shipflow/shipflow/internal/redact"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/version"
)

// The release preview: what merging a pull request releases, computed by
// the operations `next`, `changelog`, `release` and `image push` use, on
// the commit the merge will make. That commit does not exist yet: it is
// made in a temporary object directory (git.Repo.WithObjectsIn), never in
// the repository's .git.

// PreviewOptions are the inputs of PreviewRelease.
type PreviewOptions struct {
	// Plan are the version plan's options, as resolvePlan makes them
	// (rules, tag prefix, release commit message, version files). Branch
	// and Commit are PreviewRelease's: the merge's.
	Plan PlanOptions
	// Changelog is the `changelog:` section of .shipflow.yaml. Set
	// RepositoryURL to the GitHub repository's web URL when `release`
	// links to it (it does whenever it knows the repository), so that the
	// notes are the ones it writes.
	Changelog config.Changelog
	// Image is the `image:` section of .shipflow.yaml; with no Repository
	// the preview names no image tags.
	Image config.Image
	// Base is the branch the pull request merges into ("main"); BaseSHA
	// its tip and HeadSHA the pull request's head commit.
	Base, BaseSHA, HeadSHA string
	// Squash, when set, is the message of the one commit a squash merge
	// lands (the repository squash-merges only): the bump and the notes
	// then come from it, not from the pull request's commits.
	Squash string
	// MergeMessage is the merge commit's message when Squash is empty.
	// Default "Merge commit '<head>' into <Base>", which git's and
	// shipflow's rules read as no message: each commit of the pull request
	// counts. GitHub's ("Merge pull request #N from o/b" and the title)
	// makes the title count for them.
	MergeMessage string
	// Now is the release date's clock, as CutOptions.Now. Default time.Now.
	Now func() time.Time
	// Redactor replaces secrets in the notes, as CutOptions.Redactor. The
	// default (nil) replaces GitHub token shapes.
	Redactor *redact.Redactor
	// Packages are the packages of a monorepo (packages: of
	// .shipflow.yaml): the preview then lists every package merging
	// releases (ReleasePreview.Packages), planned in one pass by
	// PlanPackages. Default none: the repository is one package.
	Packages []config.Package
	// BumpDependents is release.bump-dependents, with Packages.
	BumpDependents bool
}

// Validate reports a missing or option-shaped input.
func (o PreviewOptions) Validate() error {
	for _, in := range []struct{ name, value string }{{"base", o.Base}, {"base SHA", o.BaseSHA}, {"head SHA", o.HeadSHA}} {
		if in.value == "" {
			return fmt.Errorf("previewing the release: no %s", in.name)
		}
		if strings.HasPrefix(in.value, "-") {
			return fmt.Errorf("previewing the release: %s %q: %w", in.name, in.value, &git.RevisionError{Rev: in.value})
		}
	}
	return nil
}

// ReleasePreview is what merging a pull request releases.
type ReleasePreview struct {
	// Version and Tag are the release ("1.4.0", "v1.4.0"); "" when
	// nothing is released. PreviousTag is the last stable release's tag.
	Version     string `json:"version"`
	Tag         string `json:"tag"`
	PreviousTag string `json:"previous_tag"`
	// Bump is the bump ("minor"); DecidedBy the header of the commit that
	// decided it (the pull request's own before the base branch's), and
	// Reason both in one line: "minor: `feat(api): add search`".
	Bump      string `json:"bump"`
	DecidedBy string `json:"decided_by"`
	Reason    string `json:"reason"`
	// Notes are the changelog section `release` writes, and publishes as
	// the release notes.
	Notes string `json:"notes"`
	// VersionFiles are the files `release` writes the version into.
	VersionFiles []PreviewVersionFile `json:"version_files"`
	// ImageTags are the tags `image push` writes for the version when
	// image.repository is set: X.Y.Z, and the moving ones (X.Y, X,
	// latest) as image.moving-tags and image.latest allow, decided from
	// the repository's version tags (the registry's are not read). The
	// sha-<commit> tag is left out: it names the release commit, which
	// does not exist yet.
	ImageTags []string `json:"image_tags"`
	// Prerelease is true for a prerelease version; Latest when the
	// release becomes the repository's latest (not below a higher
	// version).
	Prerelease bool `json:"prerelease"`
	Latest     bool `json:"latest"`
	// Nothing says why merging releases nothing; "" when it releases.
	Nothing string `json:"nothing,omitempty"`
	// Warnings are the plan's: a Go module path a major version breaks, a
	// version file that disagrees, a shallow clone deepened.
	Warnings []string `json:"warnings"`
	// Commit is the predicted merge commit the preview planned (it exists
	// only during the preview); Squash is true when it is a squash.
	Commit string `json:"commit"`
	Squash bool   `json:"squash"`
	// Packages are, in a monorepo (PreviewOptions.Packages), the packages
	// merging releases, in packages: order; Version, Tag and the fields
	// that describe one release are then empty.
	Packages []PackagePreview `json:"packages,omitempty"`
}

// PreviewVersionFile is one version file a release writes.
type PreviewVersionFile struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Key  string `json:"key"`
	From string `json:"from"`
	To   string `json:"to"`
}

// PreviewRelease computes what merging a pull request into o.Base
// releases: the base branch at o.BaseSHA merged with o.HeadSHA (or, with
// o.Squash, one commit with that message), planned by Plan for o.Base, its
// notes rendered by Changelog as `release` renders them (same clock), its
// version files as Plan finds them in the work tree (the pull request's
// checkout), its image tags as `image push` names them, and whether it is
// a prerelease or the latest as `release` decides. A merge that conflicts
// releases nothing, with the reason.
//
// The merge's commit and tree are written into a temporary directory
// (git.Repo.WithObjectsIn), removed before it returns; nothing is written
// under .git, except that a shallow clone is deepened first (Plan's
// rule: PlanOptions.NoFetch forbids it).
func PreviewRelease(ctx context.Context, repo *git.Repo, o PreviewOptions) (*ReleasePreview, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	pv := &ReleasePreview{Squash: o.Squash != "", Warnings: []string{}}
	if warn, err := previewDeepen(ctx, repo, o.Plan.NoFetch); err != nil {
		return nil, fmt.Errorf("previewing the release: %w", err)
	} else if warn != "" {
		pv.Warnings = append(pv.Warnings, warn)
	}
	dir, err := os.MkdirTemp("", "shipflow-preview-")
	if err != nil {
		return nil, fmt.Errorf("previewing the release: %w", err)
	}
	defer os.RemoveAll(dir)
	vrepo, err := repo.WithObjectsIn(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("previewing the release: %w", err)
	}
	commit, conflict, err := previewMerge(ctx, vrepo, o)
	if err != nil {
		return nil, fmt.Errorf("previewing the release: %w", err)
	}
	if conflict != "" {
		pv.Nothing = conflict
		return pv, nil
	}
	pv.Commit = commit

	po := o.Plan
	po.Branch, po.Commit, po.NoFetch = o.Base, commit, true
	if len(o.Packages) > 0 {
		if err := previewPackages(ctx, vrepo, o, po, commit, pv); err != nil {
			return nil, fmt.Errorf("previewing the release: %w", err)
		}
		return pv, nil
	}
	plan, err := Plan(ctx, vrepo, po)
	if err != nil {
		return nil, fmt.Errorf("previewing the release: %w", err)
	}
	pv.PreviousTag = plan.PreviousTag
	pv.Warnings = append(pv.Warnings, plan.Warnings...)
	if plan.Next == nil || plan.NextTag == "" {
		pv.Nothing = previewNothing(plan)
		return pv, nil
	}
	pv.Version, pv.Tag, pv.Bump = plan.Next.String(), plan.NextTag, plan.Bump.String()
	own, err := previewOwn(ctx, vrepo, o.BaseSHA, commit)
	if err != nil {
		return nil, fmt.Errorf("previewing the release: %w", err)
	}
	pv.DecidedBy, pv.Reason = previewReason(plan, own, po.Major)

	// The notes: `release`'s planNotes, on the merge.
	crep, err := Changelog(ctx, vrepo, ChangelogOptions{Config: o.Changelog, Plan: po, Version: pv.Version, DryRun: true, Now: o.Now, Redactor: o.Redactor})
	if err != nil {
		return nil, fmt.Errorf("previewing the release: rendering the changelog of %s: %w", pv.Tag, err)
	}
	pv.Notes = o.Redactor.String(crep.Section)
	for _, f := range plan.VersionFiles {
		pv.VersionFiles = append(pv.VersionFiles, PreviewVersionFile{Path: f.Path, Line: f.Line, Key: f.Key, From: f.Value, To: pv.Version})
	}
	// Prerelease and latest: `release`'s classify, over the same tags.
	cp := &CutPlan{Version: pv.Version, Tag: pv.Tag}
	if err := (&cutter{repo: repo}).classify(ctx, cp); err != nil {
		return nil, fmt.Errorf("previewing the release: %w", err)
	}
	pv.Prerelease, pv.Latest = cp.Prerelease, cp.Latest
	if pv.ImageTags, err = previewImageTags(ctx, repo, o.Image, plan.Prefix, pv.Version); err != nil {
		return nil, fmt.Errorf("previewing the release: %w", err)
	}
	return pv, nil
}

// previewDeepen deepens a shallow clone as Plan would, before the
// preview's runs (which must not fetch: their objects are temporary).
func previewDeepen(ctx context.Context, repo *git.Repo, noFetch bool) (string, error) {
	out, err := repo.Run(ctx, "rev-parse", "--is-shallow-repository")
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		return "", err
	}
	rep := &PlanReport{}
	if err := planDeepen(ctx, repo, noFetch, rep); err != nil {
		return "", err
	}
	return strings.Join(rep.Warnings, "; "), nil
}

// previewIdentity is the predicted commit's author and committer when git
// has none (a CI runner): the commit is temporary, its identity is shown
// nowhere. GIT_AUTHOR_* and GIT_COMMITTER_* still win.
var previewIdentity = []string{"-c", "user.name=shipflow preview", "-c", "user.email=preview@shipflow.invalid"}

// previewMerge makes the commit merging o lands, in vrepo's temporary
// objects: the tree of merging HeadSHA into BaseSHA (`git merge-tree
// --write-tree`, git 2.38), committed on BaseSHA alone with o.Squash, else
// on both with the merge message. A conflict is no error: it returns why.
func previewMerge(ctx context.Context, vrepo *git.Repo, o PreviewOptions) (commit, conflict string, err error) {
	out, err := vrepo.Run(ctx, "merge-tree", "--write-tree", "--no-messages", "--end-of-options", o.BaseSHA, o.HeadSHA)
	var ge *git.Error
	if errors.As(err, &ge) && ge.ExitCode == 1 {
		return "", fmt.Sprintf("the pull request conflicts with %s: resolve the conflicts to see what merging it releases", o.Base), nil
	}
	if err != nil {
		return "", "", fmt.Errorf("merging %s into %s: %w", cutShort(o.HeadSHA), o.Base, err)
	}
	tree, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	args := append(slices.Clone(previewIdentity), "commit-tree", "-p", o.BaseSHA)
	msg := o.Squash
	if msg == "" {
		args = append(args, "-p", o.HeadSHA)
		msg = o.MergeMessage
		if msg == "" {
			msg = fmt.Sprintf("Merge commit '%s' into %s", o.HeadSHA, o.Base)
		}
	}
	out, err = vrepo.Run(ctx, append(args, "-m", msg, tree)...)
	if err != nil {
		return "", "", fmt.Errorf("committing the predicted merge: %w", err)
	}
	return strings.TrimSpace(string(out)), "", nil
}

// previewOwn returns the commits the merge brings to base: those of
// base..commit.
func previewOwn(ctx context.Context, vrepo *git.Repo, base, commit string) (map[string]bool, error) {
	out, err := vrepo.Run(ctx, "rev-list", "--end-of-options", commit, "^"+base, "--")
	if err != nil {
		return nil, fmt.Errorf("listing the pull request's commits: %w", err)
	}
	own := map[string]bool{}
	for _, h := range strings.Fields(string(out)) {
		own[h] = true
	}
	return own, nil
}

// previewReason returns the header of the commit that decided plan's bump
// (the newest counted commit with that bump, the pull request's own
// first) and the one-line reason.
func previewReason(plan *PlanReport, own map[string]bool, major bool) (string, string) {
	if plan.ReleaseAs != "" {
		return "", fmt.Sprintf("%s: Release-As %s", plan.Bump, plan.ReleaseAs)
	}
	header := ""
	for _, pass := range []bool{true, false} {
		for _, c := range plan.Commits {
			if c.Dropped == "" && c.Bump == plan.Bump && (!pass || own[c.Commit.Hash]) {
				header = cutFirstLine(c.Commit.Message)
				if c.Parsed != nil && c.Parsed.Header != "" {
					header = c.Parsed.Header
				}
				break
			}
		}
		if header != "" {
			break
		}
	}
	if header == "" && major {
		return "", fmt.Sprintf("%s: --major", plan.Bump)
	}
	return header, fmt.Sprintf("%s: `%s`", plan.Bump, strings.ReplaceAll(header, "`", "'"))
}

// previewNothing says why plan releases nothing: the types of the commits
// since the last release, or the build channel.
func previewNothing(plan *PlanReport) string {
	since := cutOr(plan.PreviousTag, "the first commit")
	if plan.Next != nil {
		return fmt.Sprintf("branch %q builds %s, not a release", plan.Branch, plan.Next)
	}
	var kinds []string
	for _, c := range plan.Commits {
		if c.Dropped != "" || c.Commit.IsMerge() && c.Bump == version.None && (c.Parsed == nil || c.Parsed.Type == "") {
			continue
		}
		k := "not conventional"
		if c.Parsed != nil && c.Parsed.Type != "" {
			k = strings.ToLower(c.Parsed.Type)
		}
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return fmt.Sprintf("no releasable commit since %s", since)
	}
	return fmt.Sprintf("no releasable commit since %s (%s)", since, cutList(kinds, 5))
}

// previewImageTags names the tags `image push` writes for v (see
// image.PlanTags), the existing releases being the repository's version
// tags; none without image.repository.
func previewImageTags(ctx context.Context, repo *git.Repo, cfg config.Image, prefix, v string) ([]string, error) {
	if cfg.Repository == "" {
		return nil, nil
	}
	tags, err := repo.Tags(ctx, "")
	if err != nil {
		return nil, err
	}
	var existing []string
	for _, t := range tags {
		if raw, ok := strings.CutPrefix(t, prefix); ok {
			existing = append(existing, raw)
		}
	}
	policy := image.TagPolicy{NoSHA: true, NoMoving: cfg.MovingTags != nil && !*cfg.MovingTags, NoLatest: cfg.Latest != nil && !*cfg.Latest}
	planned, err := image.PlanTags(v, "", existing, policy)
	if err != nil {
		return nil, fmt.Errorf("naming the image tags: %w", err)
	}
	out := make([]string, len(planned))
	for i, t := range planned {
		out[i] = t.Tag
	}
	return out, nil
}
