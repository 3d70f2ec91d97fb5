package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// The changelogs of a monorepo (.shipflow.yaml packages:): every package
// planned in one PlanPackages pass gets its section, rendered as
// `shipflow changelog` renders a repository's (same presets, template and
// links; the compare link between the package's own tags), in its own
// changelog file (config.Package.ChangelogFile).

// ErrPackagesUnsupported is matched by the errors of the package
// operations for what they do not do with packages (yet): a rebuild, one
// --file or --release-version for every package, a release pull request.
// They are usage errors: nothing was read or changed.
var ErrPackagesUnsupported = errors.New("not supported with packages")

// PackagesOptions select the packages of a monorepo that an operation
// works on.
type PackagesOptions struct {
	// Packages are .shipflow.yaml's packages:. Required.
	Packages []config.Package
	// Only names the packages to work on (--package); default all.
	Only []string
	// BumpDependents gives a patch release to a package whose dependency
	// in the repository is released (release.bump-dependents).
	BumpDependents bool
}

// ChangelogPackagesReport is what ChangelogPackages did.
type ChangelogPackagesReport struct {
	// Packages are the reports of the packages planned, in packages:
	// order; one that releases nothing says so in Skipped.
	Packages []PackageChangelog `json:"packages"`
	// Warnings are about every package (no repository for links).
	Warnings []string `json:"warnings"`
}

// PackageChangelog is one package's changelog report.
type PackageChangelog struct {
	// Package is the package's name.
	Package string `json:"package"`
	*ChangelogReport
}

// ChangelogPackages plans the packages of po with one PlanPackages pass
// and writes each releasing package's section into its own changelog
// file, as Changelog does for a repository: inserted above the first
// version heading (or below the marker), never twice, atomically, through
// package repofs. opts.Rebuild, opts.File and opts.Version are refused
// (ErrPackagesUnsupported): a rebuild per package is not written yet, and
// one file or version cannot be every package's.
func ChangelogPackages(ctx context.Context, repo *git.Repo, opts ChangelogOptions, po PackagesOptions) (*ChangelogPackagesReport, error) {
	switch {
	case opts.Rebuild:
		return nil, fmt.Errorf("changelog --rebuild is %w yet: rebuild one package's file with a configuration without packages:, or write its sections by hand", ErrPackagesUnsupported)
	case opts.File != "":
		return nil, fmt.Errorf("--file is %w: each package has its own changelog (packages[].changelog, default CHANGELOG.md in its directory)", ErrPackagesUnsupported)
	case opts.Version != "":
		return nil, fmt.Errorf("--release-version is %w: each package's version is planned from its own commits (use a Release-As footer with the package's scope)", ErrPackagesUnsupported)
	}
	copts, noLinks, err := notesRenderOptions(ctx, repo, opts)
	if err != nil {
		return nil, err
	}
	plan, err := PlanPackages(ctx, repo, opts.Plan, po.Packages, po.Only, po.BumpDependents)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	out := &ChangelogPackagesReport{Packages: []PackageChangelog{}, Warnings: []string{}}
	if noLinks != "" {
		out.Warnings = append(out.Warnings, noLinks)
	}
	marker := notesOr(opts.Config.Marker, changelog.DefaultMarker)
	for _, p := range plan.Packages {
		rep := &ChangelogReport{Dropped: []string{}, Warnings: append([]string{}, p.Warnings...), PreviousTag: p.PreviousTag}
		if err := pkgChangelog(repo.Dir(), p, copts, marker, now, opts, rep); err != nil {
			return nil, fmt.Errorf("package %q: %w", p.Package.Name, err)
		}
		out.Packages = append(out.Packages, PackageChangelog{Package: p.Package.Name, ChangelogReport: rep})
	}
	return out, nil
}

// pkgChangelog writes one package's section into its changelog file.
func pkgChangelog(root string, p *PackagePlan, copts []changelog.Option, marker string, now func() time.Time, opts ChangelogOptions, rep *ChangelogReport) error {
	file := p.Package.ChangelogFile()
	clean, err := pkgChangelogPath(root, p.Package)
	if err != nil {
		return err
	}
	rep.Path = filepath.Join(root, filepath.FromSlash(clean))
	if p.Next == nil || p.NextTag == "" {
		rep.Skipped = "nothing to release"
		return nil
	}
	rel, dropped := pkgRelease(p, now)
	rep.Version, rep.Tag, rep.Commits = rel.Version, rel.Tag, len(p.Commits)
	rep.Dropped = append(rep.Dropped, dropped...)
	if rep.Context, err = changelog.Build(rel, copts...); err != nil {
		return fmt.Errorf("rendering the changelog of %s: %w", rel.Tag, err)
	}
	if rep.Section, err = changelog.RenderContext(rep.Context, copts...); err != nil {
		return fmt.Errorf("rendering the changelog of %s: %w", rel.Tag, err)
	}
	rep.Section = opts.Redactor.String(rep.Section)
	doc, err := repofs.ReadFile(root, clean, notesMaxChangelog)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case repofs.IsRefused(err):
		return pkgChangelogRefused(p.Package, err)
	case err != nil:
		return fmt.Errorf("reading %s: %w", file, err)
	}
	out, added := changelog.Insert(doc, rel.Version, rep.Section, marker)
	switch {
	case !added:
		rep.Skipped = fmt.Sprintf("%s already has a section for %s", file, rel.Version)
		return nil
	case opts.DryRun:
		rep.Skipped = "dry run"
		return nil
	}
	out = []byte(opts.Redactor.String(string(out)))
	if bytes.Equal(out, doc) {
		rep.Skipped = fmt.Sprintf("%s is up to date", file)
		return nil
	}
	if err := changelog.WriteFileIn(root, clean, out, 0o644); err != nil {
		if repofs.IsRefused(err) {
			return pkgChangelogRefused(p.Package, err)
		}
		return err
	}
	rep.Written = true
	return nil
}

// pkgChangelogPath returns the package's changelog path, cleaned and
// checked: inside the work tree, outside .git/, links included.
func pkgChangelogPath(root string, pkg config.Package) (string, error) {
	clean, err := repofs.Clean(pkg.ChangelogFile())
	if err == nil {
		_, err = repofs.Resolve(root, clean)
	}
	switch {
	case err == nil:
		return clean, nil
	case repofs.IsRefused(err):
		return "", pkgChangelogRefused(pkg, err)
	default:
		return "", fmt.Errorf("reading the changelog %s: %w", pkg.ChangelogFile(), err)
	}
}

// pkgChangelogRefused is a refused changelog path: a *config.Error at the
// package's changelog key when the configuration named it.
func pkgChangelogRefused(pkg config.Package, err error) error {
	if pkg.Changelog != "" {
		return pkg.KeyError("changelog", "%v", err)
	}
	return fmt.Errorf("changelog file %s: %w", pkg.ChangelogFile(), err)
}

// pkgRelease is the changelog input of a package's planned release: the
// commits its plan counted (one selection, duplicates left out), between
// its previous tag and its next one, dated now.
func pkgRelease(p *PackagePlan, now func() time.Time) (changelog.Release, []string) {
	commits, dropped := notesDedupe(p.selection)
	return changelog.Release{Version: p.Next.String(), Tag: p.NextTag, PreviousTag: p.PreviousTag, Date: now(), Commits: commits}, dropped
}

// WriteText writes what ChangelogPackages did as `shipflow changelog`
// prints it: with opts.DryRun each section, headed by its package's name
// ("# api"), the sections apart by a blank line (nothing for a package
// that releases nothing); else one line per package, the line Changelog's
// report prints, after the package's name.
func (r *ChangelogPackagesReport) WriteText(w io.Writer, root string, opts ChangelogOptions) error {
	t := &textWriter{w: w}
	first := true
	for _, p := range r.Packages {
		if opts.DryRun {
			if p.Section == "" {
				continue
			}
			if !first {
				t.printf("\n")
			}
			first = false
			t.printf("# %s\n\n%s", p.Package, p.Section)
			continue
		}
		var b strings.Builder
		if err := p.ChangelogReport.WriteText(&b, root, opts); err != nil {
			return err
		}
		t.printf("%s: %s", p.Package, b.String())
	}
	return t.err
}

// WriteJSON writes the report as one indented JSON document.
func (r *ChangelogPackagesReport) WriteJSON(w io.Writer) error {
	return writeJSON(w, r, false)
}

// AllWarnings returns the warnings about every package, then each
// package's, after its name.
func (r *ChangelogPackagesReport) AllWarnings() []string {
	out := append([]string{}, r.Warnings...)
	for _, p := range r.Packages {
		for _, w := range p.ChangelogReport.Warnings {
			out = append(out, p.Package+": "+w)
		}
	}
	return out
}

// ChangelogPackagesFindings is ChangelogFindings for a monorepo: an error
// when err is a plan the branch's rules refuse, then a warning per
// warning, each package's named. rep may be nil.
func ChangelogPackagesFindings(rep *ChangelogPackagesReport, err error) []report.Finding {
	var warnings []string
	if rep != nil {
		warnings = rep.AllWarnings()
	}
	return verbFindings("shipflow changelog", warnings, err, PlanRefused)
}

// Releasing reports whether any package has a section to write.
func (r *ChangelogPackagesReport) Releasing() bool {
	for _, p := range r.Packages {
		if p.Section != "" {
			return true
		}
	}
	return false
}
