package main

import (
	"errors"
	"fmt"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
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
	if f.format == "github" {
		if werr := writeAnnotations(e.stdout, release.ReleasePackagesFindings(rep, err)); werr != nil {
			return failure(fmt.Errorf("writing the annotations: %w", werr))
		}
	}
	if rep != nil {
		write := rep.WriteText
		if f.format == "json" {
			write = rep.WriteJSON
		}
		// The report is written even when a release failed (the steps say
		// where); then that failure is the verdict, not a write error.
		if werr := write(e.stdout); werr != nil && err == nil {
			return failure(fmt.Errorf("writing the report: %w", werr))
		}
	}
	return err
}
