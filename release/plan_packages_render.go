package release

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/report"
)

// The plans of a monorepo's packages (PlanPackages), as `shipflow next`
// and the next Action show them: every package's plan, or those asked
// for with --package (the package input).

// NextPackages are the packages `next` plans, resolved by ResolvePackages.
type NextPackages struct {
	// Packages are the packages: of .shipflow.yaml; none for a repository
	// without packages, which `next` plans as one (Plan).
	Packages []config.Package
	// Only are the packages asked for (--package NAME, repeated or a
	// comma list), in packages: order; nil asks for every package.
	Only []string
	// BumpDependents is release.bump-dependents.
	BumpDependents bool
}

// Monorepo reports whether the repository has packages: (PlanPackages
// plans it, not Plan).
func (n NextPackages) Monorepo() bool { return len(n.Packages) > 0 }

// One reports whether exactly one package was asked for: `next` then
// shows its plan as a repository's, with the package's name.
func (n NextPackages) One() bool { return len(n.Only) == 1 }

// ResolvePackages reads the package input (--package; a list, repeated or
// comma-separated) against the packages: of cfg, and release.bump-dependents.
// A name packages: does not list is an *InputError naming the packages, and
// so is a package input without packages:. The tag-prefix input is one too
// when there are packages: each has its own prefix (packages[].tag-prefix).
func ResolvePackages(in Inputs, cfg *config.Config) (NextPackages, error) {
	var n NextPackages
	if cfg != nil {
		n.Packages, n.BumpDependents = cfg.Packages, cfg.Release.BumpDependentsOn()
	}
	names, given := inputList(in, "package")
	raw, _ := inputString(in, "package")
	switch {
	case given && !n.Monorepo():
		return n, &InputError{Name: "package", Value: raw, Want: fmt.Sprintf("a package: %s has no packages section (packages:)", config.FileName)}
	case !n.Monorepo():
		return n, nil
	}
	if p := inputTagPrefix(in); p != nil {
		return n, &InputError{Name: "tag-prefix", Value: *p, Want: fmt.Sprintf("allowed with packages: each package has its own tag prefix (packages[].tag-prefix in %s)", config.FileName)}
	}
	known := pkgNames(n.Packages)
	for _, name := range names {
		if !slices.Contains(known, name) {
			return n, &InputError{Name: "package", Value: name, Want: fmt.Sprintf("a package of %s (%s)", config.FileName, strings.Join(known, ", "))}
		}
	}
	for _, name := range known {
		if slices.Contains(names, name) {
			n.Only = append(n.Only, name)
		}
	}
	return n, nil
}

// NextPackagesFindings is NextFindings for a monorepo: an error when err
// is a plan the branch's rules refuse, else a warning per warning of each
// package's plan, which names the package. rep may be nil.
func NextPackagesFindings(rep *PackagesReport, err error) []report.Finding {
	var warnings []string
	if rep != nil {
		for _, p := range rep.Packages {
			for _, w := range p.Warnings {
				warnings = append(warnings, "package "+p.Package.Name+": "+w)
			}
		}
	}
	return verbFindings("shipflow next", warnings, err, PlanRefused)
}

// WriteText writes the plans as `shipflow next` prints them in a
// monorepo: the branch and what releases, then one block per package
// headed by its name, path and tag prefix, in the look of a repository's
// plan (PlanReport.WriteText: current, next, commits, version files,
// warnings), then the rules the packages share.
func (r *PackagesReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	branch := r.Branch
	if branch == "" {
		branch = "(detached HEAD)"
	}
	t.printf("branch   %s (channel %s)\n", branch, r.Channel)
	var tags []string
	for _, p := range r.Releasing() {
		tags = append(tags, p.NextTag)
	}
	if len(tags) == 0 {
		t.printf("release  none: nothing releasable in %d %s\n", len(r.Packages), report.Plural(len(r.Packages), "package", "packages"))
	} else {
		t.printf("release  %s\n", strings.Join(tags, ", "))
	}
	for _, p := range r.Packages {
		t.printf("\n")
		p.writeBlock(t)
	}
	if len(r.Packages) > 0 {
		t.printf("\nrules:\n")
		for _, s := range r.Packages[0].sharedRules() {
			t.printf("  %s\n", s)
		}
	}
	return t.err
}

// writeBlock writes the package's block of PackagesReport.WriteText.
func (p *PackagePlan) writeBlock(t *textWriter) {
	t.printf("package  %s (path %s; tag prefix %q)\n", p.Package.Name, strings.Join(p.Package.Path, ", "), p.Prefix)
	p.writeVersions(t)
	if p.Package.Linked != "" {
		if p.Linked != "" {
			t.printf("linked   %s (the group's one version)\n", p.Package.Linked)
		} else {
			t.printf("linked   %s\n", p.Package.Linked)
		}
	}
	if len(p.DependsOn) > 0 {
		t.printf("depends  %s (released now: release.bump-dependents)\n", strings.Join(p.DependsOn, ", "))
	}
	p.writeBody(t)
}

// sharedRules are the plan's rules without the line naming the package.
func (p *PackagePlan) sharedRules() []string {
	if len(p.Rules) > 0 && strings.HasPrefix(p.Rules[0], "package ") {
		return p.Rules[1:]
	}
	return p.Rules
}

// WriteText writes the package's plan as `shipflow next --package NAME`
// prints it: a repository's plan (PlanReport.WriteText) under a line
// naming the package.
func (p *PackagePlan) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	t.printf("package  %s\n", p.Package.Name)
	if t.err != nil {
		return t.err
	}
	return p.PlanReport.WriteText(w)
}

// packagePlanJSON is one package in `shipflow next --format json` of a
// monorepo: its name, paths and tag prefix, the fields of a repository's
// plan, its linked group and the packages released now it depends on.
type packagePlanJSON struct {
	Name      string   `json:"name"`
	Path      []string `json:"path"`
	TagPrefix string   `json:"tag_prefix"`
	planJSON
	// Linked is the package's linked group (packages[].linked), or null.
	Linked *string `json:"linked"`
	// DependsOn are the packages released now that give it a patch
	// release (release.bump-dependents).
	DependsOn []string `json:"depends_on"`
}

// packagesJSON is `shipflow next --format json` in a monorepo.
type packagesJSON struct {
	Packages []packagePlanJSON `json:"packages"`
	Head     string            `json:"head"`
	Branch   string            `json:"branch"`
	Channel  string            `json:"channel"`
}

// WriteJSON writes the plans as one indented JSON document: {"packages":
// [...], "head", "branch", "channel"}, each package with its name, path,
// tag_prefix, the fields of PlanReport.WriteJSON, linked and depends_on.
func (r *PackagesReport) WriteJSON(w io.Writer) error {
	out := packagesJSON{Packages: []packagePlanJSON{}, Head: r.Head, Branch: r.Branch, Channel: r.Channel}
	for _, p := range r.Packages {
		j := packagePlanJSON{Name: p.Package.Name, Path: p.Package.Path, TagPrefix: p.Prefix, planJSON: p.json(), DependsOn: append([]string{}, p.DependsOn...)}
		if p.Package.Linked != "" {
			j.Linked = &p.Package.Linked
		}
		out.Packages = append(out.Packages, j)
	}
	return writeJSON(w, out, false)
}

// onePackageJSON is `shipflow next --package NAME --format json`.
type onePackageJSON struct {
	Package string `json:"package"`
	planJSON
}

// WriteJSON writes the package's plan as PlanReport.WriteJSON does, with a
// "package" field naming it first.
func (p *PackagePlan) WriteJSON(w io.Writer) error {
	return writeJSON(w, onePackageJSON{Package: p.Package.Name, planJSON: p.json()}, false)
}
