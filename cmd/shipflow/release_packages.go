package main

import (
	"errors"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// runReleasePackages releases the packages of a monorepo (all, or those
// --package names, whole linked groups) planned in one pass, each with
// its own changelog, release commit, tag and GitHub release.
func runReleasePackages(e *env, f releaseFlags, repo *git.Repo, opts release.CutOptions, pk release.NextPackages) error {
	rep, err := release.CutPackages(e.ctx, repo, opts, release.PackagesOptions{Packages: pk.Packages, Only: pk.Only, BumpDependents: pk.BumpDependents})
	err = e.redact.Error(err)
	if errors.Is(err, release.ErrPackagesUnsupported) {
		return &usageError{err: err}
	}
	var written releaseReport
	if rep != nil {
		written = rep
	}
	return writeReleaseOutcome(e, f.format, func() []report.Finding { return release.ReleasePackagesFindings(rep, err) }, written, err)
}
