package main

import (
	"errors"
	"fmt"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
)

// runChangelogPackages writes the changelog of each package of a monorepo
// (all, or those --package names) that releases, each into its own file;
// --dry-run prints each section headed by its package.
func runChangelogPackages(e *env, f changelogFlags, repo *git.Repo, opts release.ChangelogOptions, pk release.NextPackages) error {
	rep, err := release.ChangelogPackages(e.ctx, repo, opts, release.PackagesOptions{Packages: pk.Packages, Only: pk.Only, BumpDependents: pk.BumpDependents})
	if errors.Is(err, release.ErrPackagesUnsupported) {
		return &usageError{err: err}
	}
	if f.format == "github" {
		if werr := writeAnnotations(e.stderr, release.ChangelogPackagesFindings(rep, err)); werr != nil {
			return failure(fmt.Errorf("writing the annotations: %w", werr))
		}
	}
	if err != nil {
		return err
	}
	if f.format != "github" {
		for _, w := range rep.AllWarnings() {
			fmt.Fprintf(e.stderr, "shipflow: warning: %s\n", w)
		}
	}
	if f.format == "json" {
		if err := rep.WriteJSON(e.stdout); err != nil {
			return failure(fmt.Errorf("writing the changelog report: %w", err))
		}
		return nil
	}
	if opts.DryRun && !rep.Releasing() {
		// stdout is the (empty) notes; say why on stderr.
		fmt.Fprintf(e.stderr, "shipflow: nothing to release\n")
	}
	if err := rep.WriteText(e.stdout, repo.Dir(), opts); err != nil {
		return failure(fmt.Errorf("writing the changelog report: %w", err))
	}
	return nil
}
