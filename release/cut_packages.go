package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// The release of a monorepo's packages (.shipflow.yaml packages:): one
// PlanPackages pass decides every package's version (linked groups and
// dependents included), and each releasing package is then cut with
// Cut's own steps, given its plan instead of planning again, so that a
// package's version never changes because another was just tagged.
//
// Each package gets its own release commit ("chore(release): api/v2.0.0
// [skip ci]"): the existing steps resume by finding a release commit
// that names one tag, and only a commit per package keeps that true. The
// steps run in three rounds: every preflight first (nothing changes
// unless every package may be released), then every package's changelog
// and release commit (stacked on HEAD), and only then the tags, pushes
// and GitHub releases. A re-run finds the run's release commits on top of
// HEAD (the stack) and resumes them: while none of their tags exists, no
// tag was made by the run, so planning again gives the same versions,
// and the packages without a release commit yet are planned anew; once
// one exists, every release commit was made, and the stack alone is the
// release.

// PackagesCutReport is the outcome of CutPackages.
type PackagesCutReport struct {
	// Packages are the releases cut (or resumed), in the order of their
	// release commits.
	Packages []PackageCut `json:"packages"`
	// Nothing says why there is nothing to release; "" otherwise.
	Nothing string `json:"nothing,omitempty"`
	// Warnings are about the whole run (a dirty tree in a dry run, a
	// release commit resumed for a package not asked for).
	Warnings []string `json:"warnings"`
	// ReleasePR is the one release pull request of all packages (PR
	// mode without release.pr-per-package); nil otherwise.
	ReleasePR *ReleasePR `json:"release_pr,omitempty"`
}

// PackageCut is one package's release.
type PackageCut struct {
	// Package is the package's name.
	Package string `json:"package"`
	*CutReport
}

// cutPackage is what the cut of one package takes instead of planning.
type cutPackage struct {
	pkg    config.Package
	prefix string
	// plan is the package's plan from the one PlanPackages pass; nil when
	// a previous run's release commit is resumed.
	plan *PackagePlan
	// rc is that release commit; nil for a fresh release.
	rc *git.Commit
	// tag is the tag rc releases when the merged release PR of all
	// packages names it (rc is its merge, whose message names no tag).
	tag string
	// onePR is set in PR mode for the one release PR of all packages,
	// which CutPackages makes and reads.
	onePR bool
}

// cutNamedPlan is one package's plan in the release PR of all packages.
type cutNamedPlan struct {
	name string
	p    *CutPlan
}

// cutStacked is a release commit of the stack on HEAD.
type cutStacked struct {
	pkg    int
	commit *git.Commit
	tagged bool // its tag exists, at it
}

// CutPackages releases the packages of po (or those po.Only names, which
// must hold every member of their linked groups; else an error wrapping
// ErrPackagesUnsupported) from the release branch: each releasing
// package's changelog section into its own changelog, its version files,
// its release commit, its tag (with its prefix), pushed with the branch,
// and its GitHub release (titled by the tag, the section as notes).
// Floating major tags are not moved for packages. Running it again
// resumes a failed run and changes nothing after a complete one.
//
// In PR mode (release.mode: pr) one release PR holds every releasing
// package's release commit content, and its merge is released package by
// package (cutPackagesOnePR); with release.pr-per-package each package
// has its own release PR (cutPackagesPR).
func CutPackages(ctx context.Context, repo *git.Repo, opts CutOptions, po PackagesOptions) (*PackagesCutReport, error) {
	prMode := opts.Config.Mode == config.ReleaseModePR && !opts.Local
	if err := cutCheckLinked(po); err != nil {
		return nil, err
	}
	prefixes := make([]string, len(po.Packages))
	for i, p := range po.Packages {
		d, _ := p.Dir()
		prefixes[i] = p.TagPrefixFor(d != "" && config.HasGoMod(repo.Dir(), d))
	}
	c := &cutter{repo: repo, forge: opts.Forge, opts: opts}
	template := c.commitTemplate(&CutPlan{})
	re, err := cutReleaseRE(template)
	if err == nil {
		err = cutPackageTemplate(re, template)
	}
	if err != nil {
		return nil, err
	}
	c.releaseRE = re
	out := &PackagesCutReport{Packages: []PackageCut{}, Warnings: []string{}}
	switch {
	case prMode && opts.Config.PRPerPackage:
		return out, c.cutPackagesPR(ctx, po, out)
	case prMode:
		return out, c.cutPackagesOnePR(ctx, po, prefixes, out)
	}
	stack, err := c.readStack(ctx, "HEAD", po.Packages, prefixes)
	if err == nil && len(stack) == 0 {
		stack, err = c.stackAhead(ctx, po.Packages, prefixes, out)
	}
	if err != nil {
		return nil, err
	}
	cuts, err := c.inFlight(ctx, po, prefixes, stack, out)
	if err != nil || len(cuts) == 0 {
		return out, err
	}
	if err := c.pkgCleanTree(ctx, cuts, out); err != nil {
		return out, err
	}
	return out, cutPackagesRun(ctx, repo, opts, cuts, out)
}

// cutCheckLinked refuses a selection that holds a member of a linked
// group without the others: the group's one version moves together.
func cutCheckLinked(po PackagesOptions) error {
	if len(po.Only) == 0 {
		return nil
	}
	for _, name := range po.Only {
		p, ok := cutFindPackage(po.Packages, name)
		if !ok || p.Linked == "" {
			continue
		}
		var missing []string
		for _, o := range po.Packages {
			if o.Linked == p.Linked && !slices.Contains(po.Only, o.Name) {
				missing = append(missing, o.Name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("releasing package %q alone is %w: it is linked (group %q) with %s, which release together with one version: add --package %s", name, ErrPackagesUnsupported, p.Linked, strings.Join(missing, ", "), strings.Join(missing, " --package "))
		}
	}
	return nil
}

func cutFindPackage(pkgs []config.Package, name string) (config.Package, bool) {
	for _, p := range pkgs {
		if p.Name == name {
			return p, true
		}
	}
	return config.Package{}, false
}

// cutPackageTemplate refuses a commit message template whose first line
// does not name the tag: a version alone does not say which package a
// release commit is for.
func cutPackageTemplate(re *regexp.Regexp, text string) error {
	if re.SubexpIndex("tag") < 0 {
		return fmt.Errorf("%w: release.commit-message %q must name {{.Tag}} in its first line when .shipflow.yaml has packages: (a version alone does not say which package a release commit is for)", ErrCutRefused, text)
	}
	return nil
}

// cutTagOf reports whether tag is prefix followed by a version.
func cutTagOf(tag, prefix string) bool {
	v, ok := strings.CutPrefix(tag, prefix)
	if !ok {
		return false
	}
	_, err := semver.StrictNewVersion(v)
	return err == nil
}

// readStack returns the release commits of packages on top of HEAD,
// oldest first: consecutive single-parent commits whose first line the
// release commit template makes with a package's tag, one per package,
// each tag absent or at its commit.
func (c *cutter) readStack(ctx context.Context, rev string, pkgs []config.Package, prefixes []string) ([]cutStacked, error) {
	var stack []cutStacked
	for range pkgs {
		cm, err := c.commitAt(ctx, rev)
		if err != nil {
			return nil, err
		}
		m := c.releaseRE.FindStringSubmatch(cutFirstLine(cm.Message))
		if len(cm.Parents) != 1 || m == nil {
			break
		}
		tag, k := m[c.releaseRE.SubexpIndex("tag")], -1
		for i, prefix := range prefixes {
			// The longest prefix wins: "web-v" and "web-v2-v" both
			// start "web-v2-v1.0.0".
			if cutTagOf(tag, prefix) && (k < 0 || len(prefix) > len(prefixes[k])) {
				k = i
			}
		}
		if k < 0 || slices.ContainsFunc(stack, func(s cutStacked) bool { return s.pkg == k }) {
			break
		}
		at, err := c.repo.TagCommit(ctx, tag)
		if err != nil {
			return nil, err
		}
		if at != "" && at != cm.Hash {
			break // an older release of the package
		}
		stack = append(stack, cutStacked{pkg: k, commit: cm, tagged: at != ""})
		rev = cm.Parents[0]
	}
	slices.Reverse(stack)
	return stack, nil
}

// stackAhead returns the release commits on the remote branch's tip when
// HEAD is the commit they were cut from (GitHub Actions re-runs a
// workflow at its original commit), and fast-forwards HEAD to them
// (except in a dry run); none otherwise.
func (c *cutter) stackAhead(ctx context.Context, pkgs []config.Package, prefixes []string, out *PackagesCutReport) ([]cutStacked, error) {
	if c.opts.Local {
		return nil, nil
	}
	branch, err := c.repo.CurrentBranch(ctx)
	if err != nil || branch == "" {
		return nil, err
	}
	p := &CutPlan{Branch: branch, Remote: cutOr(c.opts.Config.Remote, config.DefaultRemote), DryRun: c.opts.DryRun}
	tip, err := c.remoteTip(ctx, p)
	if err != nil || tip == "" {
		return nil, err
	}
	head, err := c.repo.ResolveCommit(ctx, "HEAD")
	if err != nil || tip == head {
		return nil, err
	}
	stack, err := c.readStack(ctx, tip, pkgs, prefixes)
	if err != nil || len(stack) == 0 || stack[0].commit.Parents[0] != head {
		return nil, err
	}
	if !c.opts.DryRun {
		if _, err := c.repo.Run(ctx, "merge", "--quiet", "--ff-only", tip); err != nil {
			return nil, fmt.Errorf("fast-forwarding to the release commits %s: %w", cutShort(tip), err)
		}
	}
	out.Warnings = append(out.Warnings, fmt.Sprintf("HEAD %s is where the release commits up to %s on %q were cut from (a re-run?): continuing those releases", cutShort(head), cutShort(tip), p.Remote))
	return stack, nil
}

// inFlight decides the packages to release: the stack's, and, while none
// of its tags exists, those the one plan releases besides.
func (c *cutter) inFlight(ctx context.Context, po PackagesOptions, prefixes []string, stack []cutStacked, out *PackagesCutReport) ([]*cutPackage, error) {
	var cuts []*cutPackage
	for _, s := range stack {
		pkg := po.Packages[s.pkg]
		if len(po.Only) > 0 && !slices.Contains(po.Only, pkg.Name) {
			out.Warnings = append(out.Warnings, fmt.Sprintf("resuming package %s's release: its release commit %s is on HEAD", pkg.Name, cutShort(s.commit.Hash)))
		}
		cuts = append(cuts, &cutPackage{pkg: pkg, prefix: prefixes[s.pkg], rc: s.commit})
	}
	if slices.ContainsFunc(stack, func(s cutStacked) bool { return s.tagged }) {
		return cuts, nil // every release commit was made: the stack is the release
	}
	plan, err := PlanPackages(ctx, c.repo, c.pkgPlanOptions(), po.Packages, po.Only, po.BumpDependents)
	if err != nil {
		return nil, err
	}
	for _, p := range plan.Releasing() {
		if slices.ContainsFunc(cuts, func(k *cutPackage) bool { return k.pkg.Name == p.Package.Name }) {
			continue
		}
		cuts = append(cuts, &cutPackage{pkg: p.Package, prefix: p.Prefix, plan: p})
	}
	if len(cuts) == 0 {
		out.Nothing = "nothing to release: no package has a releasable commit since its last tag"
	}
	return cuts, nil
}

// pkgPlanOptions are the options of the one plan, as planOptions sets
// them for a repository's release.
func (c *cutter) pkgPlanOptions() PlanOptions {
	po := c.opts.Plan
	po.Remote = cutOr(c.opts.Config.Remote, config.DefaultRemote)
	if c.opts.Config.CommitMessage != "" {
		po.ReleaseCommitMessage = c.opts.Config.CommitMessage
	}
	return po
}

// pkgCleanTree refuses uncommitted changes, once for every package (the
// packages' own preflights leave it out); a dry run warns. Allowed are
// what a previous run's changelog step wrote for a fresh release before
// failing to commit it: its changelog with the version's section, its
// version files holding the version.
func (c *cutter) pkgCleanTree(ctx context.Context, cuts []*cutPackage, out *PackagesCutReport) error {
	probe := &CutPlan{DryRun: c.opts.DryRun}
	dirty, err := c.dirtyFiles(ctx, probe)
	out.Warnings = append(out.Warnings, probe.Warnings...)
	if err != nil || len(dirty) == 0 {
		return err
	}
	ok := map[string]bool{}
	for _, k := range cuts {
		if k.plan == nil || k.plan.Next == nil {
			continue
		}
		v := k.plan.Next.String()
		p := &CutPlan{ChangelogFile: k.pkg.ChangelogFile(), Version: v}
		if doc, _ := c.readChangelog(p); changelog.HasVersion(doc, v) {
			ok[filepath.ToSlash(p.ChangelogFile)] = true
		}
		for _, f := range k.plan.VersionFiles {
			if strings.TrimPrefix(f.Value, "v") == v {
				ok[f.Path] = true
			}
		}
	}
	dirty = slices.DeleteFunc(dirty, func(d string) bool { return ok[d] })
	if len(dirty) == 0 {
		return nil
	}
	err = cutRefuse("the work tree has uncommitted changes (%s): commit or stash them first", cutList(dirty, 10))
	if !c.opts.DryRun {
		return err
	}
	out.Warnings = append(out.Warnings, cutTrimRefused(err))
	return nil
}

// cutPackagesRun runs the steps of every package's release in three
// rounds: preflights, then changelogs and release commits, then tags,
// pushes and GitHub releases.
func cutPackagesRun(ctx context.Context, repo *git.Repo, opts CutOptions, cuts []*cutPackage, out *PackagesCutReport) error {
	type run struct {
		c     *cutter
		p     *CutPlan
		rep   *CutReport
		steps []Step
	}
	runs := make([]*run, len(cuts))
	for i, k := range cuts {
		c := &cutter{repo: repo, forge: opts.Forge, opts: opts, pkg: k}
		p := &CutPlan{DryRun: opts.DryRun, Local: opts.Local}
		c.plan = p
		runs[i] = &run{c: c, p: p, rep: &CutReport{Plan: p}, steps: c.steps()}
		out.Packages = append(out.Packages, PackageCut{Package: k.pkg.Name, CutReport: runs[i].rep})
	}
	for _, round := range [][2]int{{0, 1}, {1, 3}, {3, 7}} {
		for _, r := range runs {
			if err := r.c.runSteps(ctx, r.p, r.rep, r.steps[round[0]:min(round[1], len(r.steps))]); err != nil {
				return fmt.Errorf("package %q: %w", r.c.pkg.pkg.Name, err)
			}
		}
	}
	if opts.DryRun {
		return nil
	}
	var done []string
	for _, r := range runs {
		if slices.ContainsFunc(r.rep.Steps, func(s StepResult) bool { return s.Step != "preflight" && s.Skipped == "" }) {
			return nil
		}
		done = append(done, r.p.Tag)
	}
	out.Nothing = fmt.Sprintf("nothing to release: %s released already", strings.Join(done, ", "))
	return nil
}

// cutPackagesPR keeps one release pull request per package
// (release.pr-per-package), on branch shipflow/release-<branch>-<name>:
// every package planned is cut in PR mode, which opens or updates its
// release PR, releases its merge, or closes it when the package has
// nothing left to release.
func (c *cutter) cutPackagesPR(ctx context.Context, po PackagesOptions, out *PackagesCutReport) error {
	plan, err := PlanPackages(ctx, c.repo, c.pkgPlanOptions(), po.Packages, po.Only, po.BumpDependents)
	if err != nil {
		return err
	}
	var cuts []*cutPackage
	for _, p := range plan.Packages {
		branch := releasePRBranch(cutOr(c.opts.Config.Branch, config.DefaultReleaseBranch)) + "-" + p.Package.Name
		if _, err := c.repo.Run(ctx, "check-ref-format", "refs/heads/"+branch); err != nil {
			return fmt.Errorf("package %q: its release PR branch %q is %w: git refuses the name (git check-ref-format): rename the package", p.Package.Name, branch, ErrPackagesUnsupported)
		}
		cuts = append(cuts, &cutPackage{pkg: p.Package, prefix: p.Prefix, plan: p})
	}
	if err := c.pkgCleanTree(ctx, cuts, out); err != nil {
		return err
	}
	nothing := true
	for _, k := range cuts {
		kc := &cutter{repo: c.repo, forge: c.forge, opts: c.opts, pkg: k}
		rep, err := kc.cut(ctx)
		if rep != nil {
			out.Packages = append(out.Packages, PackageCut{Package: k.pkg.Name, CutReport: rep})
			nothing = nothing && rep.Nothing != "" && (rep.ReleasePR == nil || rep.ReleasePR.Number == 0)
		}
		if err != nil {
			return fmt.Errorf("package %q: %w", k.pkg.Name, err)
		}
	}
	if nothing {
		out.Nothing = "nothing to release: no package has a releasable commit since its last tag"
	}
	return nil
}

// runSteps runs steps on the plan p, recording each in rep, stopping at
// the first failure (a *CutError).
func (c *cutter) runSteps(ctx context.Context, p *CutPlan, rep *CutReport, steps []Step) error {
	for _, s := range steps {
		res := StepResult{Step: s.String()}
		if res.Skipped = s.Skip(ctx, p); res.Skipped == "" {
			if err := s.Run(ctx, p); err != nil {
				res.Error = err.Error()
				rep.Steps = append(rep.Steps, res)
				return &CutError{Step: s.String(), Err: err}
			}
		}
		rep.Steps = append(rep.Steps, res)
	}
	return nil
}

// pkgReleaseCommit is findReleaseCommit for a package: its release
// commit is the one the stack holds (HEAD or below it), else it makes a
// fresh release on HEAD.
func (s *cutPreflightRun) pkgReleaseCommit(ctx context.Context) error {
	c, p := s.c, s.p
	head, err := c.commitAt(ctx, "HEAD")
	if err != nil {
		return err
	}
	tip, err := c.remoteTip(ctx, p)
	if err != nil {
		return err
	}
	s.head, s.tip, s.rc = head, tip, head
	if rc := c.pkg.rc; rc != nil {
		s.rc, s.tag = rc, cutOr(c.pkg.tag, c.releaseTag(rc))
	}
	return nil
}

// pkgVersion takes a fresh release's version from the package's plan.
func (s *cutPreflightRun) pkgVersion(ctx context.Context) error {
	c, p := s.c, s.p
	pp := c.pkg.plan
	if pp == nil {
		return fmt.Errorf("package %q has no plan", c.pkg.pkg.Name)
	}
	if pp.Next == nil || pp.NextTag == "" {
		// In PR mode every package is cut: its release PR is closed.
		p.Warnings = append(p.Warnings, pp.Warnings...)
		p.Next = pp.PlanReport
		c.nothing = fmt.Sprintf("nothing to release: no releasable commit since %s", cutOr(pp.PreviousTag, "the first commit"))
		return nil
	}
	if err := planCheckTag(ctx, c.repo, pp.NextTag, c.prefix); err != nil {
		return err
	}
	p.Warnings = append(p.Warnings, pp.Warnings...)
	p.Next = pp.PlanReport
	p.Version, p.Tag, p.PreviousTag, p.Base = pp.Next.String(), pp.NextTag, pp.PreviousTag, s.head.Hash
	p.ReleaseCommit = ""
	return nil
}

// pkgNotes renders a fresh package release's notes from its plan, as
// ChangelogPackages writes them (links to the GitHub repository
// released), or takes the section a previous run already wrote.
func (c *cutter) pkgNotes(ctx context.Context, p *CutPlan) error {
	o := c.opts
	cc := o.Changelog
	if cc.RepositoryURL == "" && p.Owner != "" {
		cc.RepositoryURL = c.webRepo(p).URL()
	}
	copts, _, err := notesRenderOptions(ctx, c.repo, ChangelogOptions{Config: cc})
	if err != nil {
		return err
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	rel, _ := pkgRelease(c.pkg.plan, now)
	if p.Notes, err = changelog.Render(rel, copts...); err != nil {
		return fmt.Errorf("rendering the changelog of %s: %w", p.Tag, err)
	}
	if doc, err := c.readChangelog(p); err == nil && changelog.HasVersion(doc, p.Version) {
		p.Notes = cutSection(doc, p.Version)
	}
	p.Notes = o.Redactor.String(p.Notes)
	return nil
}

// WriteText writes the releases as `shipflow release` prints them: why
// there is nothing to release, or each package's release as Cut's report
// prints it, apart by a blank line; then the run's warnings.
func (r *PackagesCutReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	if r.Nothing != "" {
		t.printf("%s\n", r.Nothing)
	} else {
		for i, p := range r.Packages {
			if i > 0 {
				t.printf("\n")
			}
			t.printf("package %s: ", p.Package)
			if t.err == nil {
				t.err = p.CutReport.WriteText(w)
			}
		}
	}
	if r.ReleasePR != nil && t.err == nil {
		var tags []string
		for _, p := range r.Packages {
			if p.Plan != nil {
				tags = append(tags, p.Plan.Tag)
			}
		}
		(&CutReport{ReleasePR: r.ReleasePR, Plan: &CutPlan{Tag: strings.Join(tags, ", ")}}).writePR(t)
	}
	for _, warn := range r.Warnings {
		t.printf("warning: %s\n", warn)
	}
	return t.err
}

// WriteJSON writes the report as one indented JSON document.
func (r *PackagesCutReport) WriteJSON(w io.Writer) error {
	return writeJSON(w, r, false)
}

// AllWarnings returns the run's warnings, then each package's, after its
// name.
func (r *PackagesCutReport) AllWarnings() []string {
	out := append([]string{}, r.Warnings...)
	for _, p := range r.Packages {
		if p.Plan != nil {
			for _, w := range p.Plan.Warnings {
				out = append(out, p.Package+": "+w)
			}
		}
	}
	return out
}

// ReleasePackagesFindings is ReleaseFindings for a monorepo: an error
// when err is a refusal, then a warning per warning, each package's
// named. rep may be nil.
func ReleasePackagesFindings(rep *PackagesCutReport, err error) []report.Finding {
	var warnings []string
	if rep != nil {
		warnings = rep.AllWarnings()
	}
	return verbFindings("shipflow release", warnings, err, func(err error) bool {
		return errors.Is(err, ErrCutRefused) || PlanRefused(err)
	})
}
