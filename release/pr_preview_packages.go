package release

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// The release preview of a monorepo (PreviewOptions.Packages): every
// package merging the pull request releases, planned by PlanPackages on
// the predicted merge in one pass (one `git log` whatever the number of
// packages), each with its version, bump and changelog section.

// PackagePreview is one package that merging a pull request releases.
type PackagePreview struct {
	// Name is the package's name (packages[].name).
	Name string `json:"name"`
	// Version and Tag are its release ("2.0.0", "api/v2.0.0");
	// PreviousTag its last stable release's tag.
	Version     string `json:"version"`
	Tag         string `json:"tag"`
	PreviousTag string `json:"previous_tag"`
	// Bump, DecidedBy and Reason are as in ReleasePreview.
	Bump      string `json:"bump"`
	DecidedBy string `json:"decided_by"`
	Reason    string `json:"reason"`
	// Heading is the first line of Notes, the package's changelog
	// section ("## [2.0.0](...) (2026-01-02)").
	Heading string `json:"heading"`
	Notes   string `json:"notes"`
	// VersionFiles are the package's files `release` writes the version
	// into.
	VersionFiles []PreviewVersionFile `json:"version_files"`
	// Prerelease is true for a prerelease version.
	Prerelease bool `json:"prerelease"`
}

// previewPackages fills pv with the packages merging commit releases:
// PlanPackages of o.Packages on commit (in vrepo, which holds it), each
// releasing package's notes rendered from the commits its plan counted.
// pv.Nothing says why when no package releases.
func previewPackages(ctx context.Context, vrepo *git.Repo, o PreviewOptions, po PlanOptions, commit string, pv *ReleasePreview) error {
	rep, err := PlanPackages(ctx, vrepo, po, o.Packages, nil, o.BumpDependents)
	if err != nil {
		return err
	}
	for _, p := range rep.Packages {
		for _, w := range p.Warnings {
			pv.Warnings = append(pv.Warnings, "package "+p.Package.Name+": "+w)
		}
	}
	releasing := rep.Releasing()
	if len(releasing) == 0 {
		pv.Nothing = fmt.Sprintf("no package releases (%d %s, none with a releasable commit since its last release)", len(rep.Packages), report.Plural(len(rep.Packages), "package", "packages"))
		return nil
	}
	own, err := previewOwn(ctx, vrepo, o.BaseSHA, commit)
	if err != nil {
		return err
	}
	copts, _, err := notesRenderOptions(ctx, vrepo, ChangelogOptions{Config: o.Changelog, Plan: po})
	if err != nil {
		return err
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	for _, p := range releasing {
		pp := PackagePreview{Name: p.Package.Name, Version: p.Next.String(), Tag: p.NextTag, PreviousTag: p.PreviousTag, Bump: p.Bump.String(), Prerelease: p.Next.Prerelease() != ""}
		pp.DecidedBy, pp.Reason = previewReason(p.PlanReport, own, po.Major)
		if pp.DecidedBy == "" && len(p.DependsOn) > 0 {
			pp.Reason = fmt.Sprintf("%s: depends on %s, released now", pp.Bump, strings.Join(p.DependsOn, ", "))
		}
		commits, _ := notesDedupe(p.selection)
		section, err := changelog.Render(changelog.Release{Version: pp.Version, Tag: pp.Tag, PreviousTag: pp.PreviousTag, Date: now(), Commits: commits}, copts...)
		if err != nil {
			return fmt.Errorf("rendering the changelog of %s: %w", pp.Tag, err)
		}
		pp.Notes = o.Redactor.String(section)
		pp.Heading, _, _ = strings.Cut(strings.TrimLeft(pp.Notes, "\n"), "\n")
		for _, f := range p.VersionFiles {
			pp.VersionFiles = append(pp.VersionFiles, PreviewVersionFile{Path: f.Path, Line: f.Line, Key: f.Key, From: f.Value, To: pp.Version})
		}
		pv.Packages = append(pv.Packages, pp)
	}
	return nil
}

// packagesLine is PreviewLine in a monorepo: "merging releases
// api/v2.0.0, tool-v0.3.1".
func (pv *ReleasePreview) packagesLine() string {
	tags := make([]string, len(pv.Packages))
	for i, p := range pv.Packages {
		tags[i] = p.Tag
	}
	return "merging releases " + strings.Join(tags, ", ")
}
