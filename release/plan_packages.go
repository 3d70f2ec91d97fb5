package release

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/monorepo"
	"github.com/shipflow/shipflow/release/version"
	"github.com/shipflow/shipflow/release/versionfile"
)

// The plans of a monorepo (.shipflow.yaml packages:): every package gets
// its own version, tags, changelog and release, from the commits that touch
// it. One pass reads them all: one tag listing, one `git tag --merged`, one
// `git log --name-only` of the union of the packages' ranges, whatever the
// number of packages; each commit is then given to the packages whose paths
// (or scopes) it touches and whose last tag does not hold it.

// PackagePlan is the plan of one package of a monorepo.
type PackagePlan struct {
	// Package is the package's entry in packages:.
	Package config.Package
	// Plan is the package's plan: Prefix is its tag prefix, Commits the
	// commits since its last tag that touch it, VersionFiles the files of
	// its directory and its version-files.
	*PlanReport
	// Linked is the linked group whose one version the package takes; ""
	// when it is in none, or the group does not move its version.
	Linked string
	// DependsOn are the packages released now that the package depends on,
	// which give it a patch release when its own commits ask for none
	// (release.bump-dependents).
	DependsOn []string
}

// PackagesReport is the plan of every package of a monorepo (or of those
// asked for), in packages: order.
type PackagesReport struct {
	// Dir is the repository's top-level directory.
	Dir string
	// Head is the commit planned; Branch and Channel as in PlanReport.
	Head    string
	Branch  string
	Channel string
	// Packages are the packages' plans.
	Packages []*PackagePlan
}

// Releasing returns the plans that propose a version with a tag.
func (r *PackagesReport) Releasing() []*PackagePlan {
	var out []*PackagePlan
	for _, p := range r.Packages {
		if p.Next != nil && p.NextTag != "" {
			out = append(out, p)
		}
	}
	return out
}

// ErrUnknownPackage is matched by the error of PlanPackages for a package
// name that packages: does not list.
var ErrUnknownPackage = errors.New("no such package")

// PlanPackages plans the packages of cfg (packages:), or only those named
// in only, at the commit opts says (as Plan). bumpDependents gives a patch
// release to a package whose dependency in the repository is released.
// Linked groups are always planned whole, so that their one version is
// right even when only one member was asked for.
func PlanPackages(ctx context.Context, repo *git.Repo, opts PlanOptions, pkgs []config.Package, only []string, bumpDependents bool) (*PackagesReport, error) {
	if len(pkgs) == 0 {
		return nil, errors.New("planning packages: .shipflow.yaml has no packages")
	}
	for _, name := range only {
		if !slices.ContainsFunc(pkgs, func(p config.Package) bool { return p.Name == name }) {
			return nil, fmt.Errorf("planning packages: %q: %w (packages: %s)", name, ErrUnknownPackage, strings.Join(pkgNames(pkgs), ", "))
		}
	}
	rules, _, err := opts.rules()
	if err != nil {
		return nil, err
	}
	pp := &pkgPlanner{repo: repo, opts: opts, rules: rules, pkgs: pkgs}
	out, err := pp.plan(ctx, bumpDependents)
	if err != nil {
		return nil, fmt.Errorf("planning packages: %w", err)
	}
	if len(only) > 0 {
		out.Packages = slices.DeleteFunc(out.Packages, func(p *PackagePlan) bool { return !slices.Contains(only, p.Package.Name) })
	}
	return out, nil
}

func pkgNames(pkgs []config.Package) []string {
	names := make([]string, len(pkgs))
	for i, p := range pkgs {
		names[i] = p.Name
	}
	return names
}

// pkgPlanner is one PlanPackages run.
type pkgPlanner struct {
	repo  *git.Repo
	opts  PlanOptions
	rules version.Rules
	pkgs  []config.Package

	rep      *PackagesReport
	prefixes []string
	all      []string // every tag
	reach    []string // the tags HEAD reaches
	headTags []string
	since    []string // each package's last tag's commit; "" for none
}

func (pp *pkgPlanner) plan(ctx context.Context, bumpDependents bool) (*PackagesReport, error) {
	dir := pp.repo.Dir()
	head := &PlanReport{Dir: dir}
	shallow, hash, err := planStart(ctx, pp.repo, pp.opts, head)
	if err != nil {
		return nil, err
	}
	if shallow {
		if err := planDeepen(ctx, pp.repo, pp.opts.NoFetch, head); err != nil {
			return nil, err
		}
	}
	pp.rep = &PackagesReport{Dir: dir, Head: hash, Branch: head.Branch}
	if head.Branch == "" {
		return nil, planDetachedError{}
	}
	pp.prefixes = make([]string, len(pp.pkgs))
	for i, p := range pp.pkgs {
		d, _ := p.Dir()
		pp.prefixes[i] = p.TagPrefixFor(d != "" && config.HasGoMod(dir, d))
	}
	if err := pp.readTags(ctx); err != nil {
		return nil, err
	}
	commits, err := pp.readCommits(ctx)
	if err != nil {
		return nil, err
	}
	for i := range pp.pkgs {
		p, err := pp.planOne(ctx, i, commits[i])
		if err != nil {
			return nil, err
		}
		pp.rep.Packages = append(pp.rep.Packages, p)
	}
	if len(pp.rep.Packages) > 0 {
		pp.rep.Channel = pp.rep.Packages[0].Channel
	}
	if err := pp.link(); err != nil {
		return nil, err
	}
	if bumpDependents {
		if err := pp.bumpDependents(); err != nil {
			return nil, err
		}
	}
	if err := pp.checkGoModules(ctx); err != nil {
		return nil, err
	}
	dirs := make([]string, 0, len(pp.pkgs))
	for _, p := range pp.pkgs {
		if d, ok := p.Dir(); ok {
			dirs = append(dirs, d)
		}
	}
	for _, p := range pp.rep.Packages {
		if err := pkgVersionFiles(p, dirs); err != nil {
			return nil, fmt.Errorf("package %q: %w", p.Package.Name, err)
		}
	}
	return pp.rep, nil
}

// readTags lists every tag and those HEAD reaches (two git runs), and the
// commit of each package's last reachable tag (one more).
func (pp *pkgPlanner) readTags(ctx context.Context) error {
	out, err := pp.repo.Run(ctx, "for-each-ref", "--format=%(refname:strip=2)", "refs/tags")
	if err != nil {
		return fmt.Errorf("listing tags: %w", err)
	}
	pp.all = strings.Fields(string(out))
	out, err = pp.repo.Run(ctx, "for-each-ref", "--format=%(refname:strip=2)", "--merged", pp.rep.Head, "refs/tags")
	if err != nil {
		return fmt.Errorf("listing the tags %s reaches: %w", cutShort(pp.rep.Head), err)
	}
	pp.reach = strings.Fields(string(out))
	pp.since = make([]string, len(pp.pkgs))
	var names []string
	var of []int
	for i, prefix := range pp.prefixes {
		if t, ok := (version.Input{Prefix: prefix, Reachable: pp.reach}).Since(); ok {
			names = append(names, "refs/tags/"+t.Name+"^{commit}")
			of = append(of, i)
		}
	}
	if len(names) > 0 {
		out, err := pp.repo.Run(ctx, append([]string{"rev-parse", "--end-of-options"}, names...)...)
		if err != nil {
			return fmt.Errorf("reading the packages' last tags: %w", err)
		}
		// rev-parse echoes --end-of-options; the hashes follow.
		hashes := slices.DeleteFunc(strings.Fields(string(out)), func(f string) bool { return strings.HasPrefix(f, "-") })
		if len(hashes) != len(of) {
			return fmt.Errorf("reading the packages' last tags: git rev-parse gave %d commits for %d tags", len(hashes), len(of))
		}
		for k, i := range of {
			pp.since[i] = hashes[k]
		}
	}
	// The tags at HEAD, from the tag names that HEAD reaches and peel to it.
	for i, c := range pp.since {
		if c == pp.rep.Head {
			t, _ := (version.Input{Prefix: pp.prefixes[i], Reachable: pp.reach}).Since()
			pp.headTags = append(pp.headTags, t.Name)
		}
	}
	return nil
}

// readCommits returns, for each package, the commits since its last tag
// that belong to it (newest first, as `git log` lists them), from one `git
// log --name-only --topo-order` of the union of the ranges: children come
// before their parents, so whether a package's last tag holds a commit is
// passed down from the tag's commit to its parents as the stream goes.
func (pp *pkgPlanner) readCommits(ctx context.Context) ([]planCommits, error) {
	n := len(pp.pkgs)
	out := make([]planCommits, n)
	revs := []string{pp.rep.Head}
	base, err := pp.commonBase(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range base {
		revs = append(revs, "^"+b)
	}
	scopes := make([]monorepo.Package, n)
	for i, p := range pp.pkgs {
		scopes[i] = monorepo.Package{Name: p.Name, Paths: p.Path, Scopes: p.AllScopes()}
	}
	m, err := monorepo.NewMatcher(scopes)
	if err != nil {
		return nil, err
	}
	words := (n + 63) / 64
	sinceAt := map[string][]uint64{}
	for i, c := range pp.since {
		if c == "" {
			continue
		}
		set := sinceAt[c]
		if set == nil {
			set = make([]uint64, words)
			sinceAt[c] = set
		}
		set[i/64] |= 1 << (i % 64)
	}
	// held maps a commit not yet read to the packages whose last tag holds it.
	held := map[string][]uint64{}
	for cp, err := range pp.repo.LogPaths(ctx, git.LogOptions{Revs: revs, TopoOrder: true}) {
		if err != nil {
			return nil, err
		}
		h := held[cp.Hash]
		delete(held, cp.Hash)
		if s := sinceAt[cp.Hash]; s != nil {
			h = orBits(h, s, words)
		}
		if h != nil {
			for _, p := range cp.Parents {
				held[p] = orBits(held[p], h, words)
			}
		}
		parsed := commitlint.Parse(cp.Message)
		owners := m.Owners(cp.Paths, parsed.Scope)
		if len(owners) == 0 {
			continue
		}
		c := cp.Commit // drop the paths
		for _, o := range owners {
			if h != nil && h[o/64]&(1<<(o%64)) != 0 {
				continue
			}
			out[o].git = append(out[o].git, &c)
			out[o].parsed = append(out[o].parsed, version.Commit{Hash: c.Hash, Merge: c.IsMerge(), Parsed: parsed})
		}
	}
	return out, nil
}

// orBits returns a | b, as a new slice when a is nil (b is shared by
// several commits and never written).
func orBits(a, b []uint64, words int) []uint64 {
	if a == nil {
		a = make([]uint64, words)
	}
	for i := range a {
		a[i] |= b[i]
	}
	return a
}

// commonBase returns the commits every package's last tag holds (their
// octopus merge base), which the log of the union of the ranges can stop
// at; none when a package has no tag yet (its range is all of history).
func (pp *pkgPlanner) commonBase(ctx context.Context) ([]string, error) {
	var cs []string
	for _, c := range pp.since {
		if c == "" {
			return nil, nil
		}
		if !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	if len(cs) == 1 {
		return cs, nil
	}
	out, err := pp.repo.Run(ctx, append([]string{"merge-base", "--octopus", "--end-of-options"}, cs...)...)
	var ge *git.Error
	if errors.As(err, &ge) && ge.ExitCode == 1 {
		return nil, nil // no common ancestor: read everything
	}
	if err != nil {
		return nil, fmt.Errorf("finding where the packages' last tags meet: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// planOne plans package i from its commits, as Plan does for a repository.
func (pp *pkgPlanner) planOne(ctx context.Context, i int, pc planCommits) (*PackagePlan, error) {
	pkg := pp.pkgs[i]
	rep := &PlanReport{Dir: pp.rep.Dir, Head: pp.rep.Head, Branch: pp.rep.Branch, Prefix: pp.prefixes[i]}
	rep.Rules = append([]string{fmt.Sprintf("package %s, tag prefix %q", pkg.Name, pp.prefixes[i])}, pp.rules.Describe()...)
	sel, err := selectCommits(ctx, pp.repo, pc.git, planParsed(pc.parsed), pp.opts.selectionRules(pp.rules))
	if err != nil {
		return nil, fmt.Errorf("package %q: %w", pkg.Name, err)
	}
	plan, err := version.Next(version.Input{
		Prefix: rep.Prefix, Tags: pp.all, Reachable: pp.reach, Commits: planCounted(sel), HeadTags: pp.headTags,
		Branch: rep.Branch, Head: rep.Head, Major: pp.opts.Major, AllowBump: pp.opts.AllowBump,
	}, pp.rules)
	if err != nil {
		return nil, fmt.Errorf("package %q: %w", pkg.Name, err)
	}
	pkgFill(rep, plan)
	rep.Commits, rep.selection = planDecided(sel, plan.Commits), sel
	return &PackagePlan{Package: pkg, PlanReport: rep}, nil
}

// pkgFill copies version.Next's answer into rep.
func pkgFill(rep *PlanReport, plan *version.Plan) {
	rep.Channel = plan.Channel.Name
	rep.Previous, rep.PreviousTag, rep.SinceTag = plan.Current, plan.CurrentTag, plan.SinceTag
	rep.Next, rep.NextTag = plan.Next, plan.NextTag
	rep.Bump, rep.ReleaseAs = plan.Bump, plan.ReleaseAs
	rep.IgnoredTags = nil // every other package's tags: not worth a warning
	rep.Warnings = append(rep.Warnings, plan.Warnings...)
}

// link gives the packages of each linked group one version: the highest
// bump of any member applied to the highest current version of any
// member (monorepo.Linked), on stable channels.
func (pp *pkgPlanner) link() error {
	groups := map[string][]*PackagePlan{}
	var order []string
	for _, p := range pp.rep.Packages {
		if g := p.Package.Linked; g != "" {
			if groups[g] == nil {
				order = append(order, g)
			}
			groups[g] = append(groups[g], p)
		}
	}
	for _, g := range order {
		members := groups[g]
		var ms []monorepo.Member
		for _, p := range members {
			m := monorepo.Member{Name: p.Package.Name, Bump: monorepo.Bump(p.Bump)}
			if p.Previous != nil {
				m.Current = p.Previous.String()
			}
			ms = append(ms, m)
		}
		lv, err := monorepo.Linked(ms)
		if err != nil {
			return err
		}
		next := lv.Next()
		if next == "" {
			continue
		}
		v, err := semver.StrictNewVersion(next)
		if err != nil {
			return fmt.Errorf("linked group %q: %w", g, err)
		}
		for _, p := range members {
			if p.Next != nil && (p.Next.Prerelease() != "" || p.NextTag == "") {
				continue // prerelease and build channels keep their own lines
			}
			if p.Previous != nil && !v.GreaterThan(p.Previous) {
				continue
			}
			p.Next, p.NextTag, p.Linked = v, p.Prefix+v.String(), g
			if p.Bump < version.Bump(lv.Bump) && p.Bump == version.None {
				p.Bump = version.Bump(lv.Bump)
			}
		}
	}
	return nil
}

// bumpDependents gives a patch release to each package, not released
// otherwise, that depends on a package released now.
func (pp *pkgPlanner) bumpDependents() error {
	dirs := make([]string, len(pp.pkgs))
	for i, p := range pp.pkgs {
		dirs[i], _ = p.Dir()
	}
	g, err := monorepo.Dependencies(os.DirFS(pp.rep.Dir), dirs)
	if err != nil {
		return fmt.Errorf("reading the packages' dependencies: %w", err)
	}
	for changed := true; changed; {
		changed = false
		var released []int
		for i, p := range pp.rep.Packages {
			if p.Next != nil && p.NextTag != "" {
				released = append(released, i)
			}
		}
		for _, i := range g.Dependents(released) {
			p := pp.rep.Packages[i]
			if p.Next != nil {
				continue
			}
			for _, e := range g.DependsOn(i) {
				if d := pp.rep.Packages[e.To]; d.Next != nil && d.NextTag != "" {
					p.DependsOn = append(p.DependsOn, d.Package.Name)
				}
			}
			if len(p.DependsOn) == 0 {
				continue
			}
			next := semver.MustParse("0.1.0")
			if p.Previous != nil {
				v := p.Previous.IncPatch()
				next = &v
			}
			p.Next, p.NextTag, p.Bump = next, p.Prefix+next.String(), version.Patch
			p.Warnings = append(p.Warnings, fmt.Sprintf("released as %s because it depends on %s, released now (release.bump-dependents)", p.NextTag, strings.Join(p.DependsOn, ", ")))
			changed = true
		}
	}
	return nil
}

// checkGoModules warns, with one `git cat-file --batch`, about each
// package whose next version is a major version its go.mod's module path
// does not end in (api/v2.0.0 needs module .../api/v2).
func (pp *pkgPlanner) checkGoModules(ctx context.Context) error {
	var ask []*PackagePlan
	var names []string
	for _, p := range pp.rep.Packages {
		d, ok := p.Package.Dir()
		if !ok || p.Next == nil || p.NextTag == "" || p.Next.Major() < 2 || !config.HasGoMod(pp.rep.Dir, d) {
			continue
		}
		ask = append(ask, p)
		names = append(names, pp.rep.Head+":"+pathJoinSlash(d, "go.mod"))
	}
	if len(ask) == 0 {
		return nil
	}
	bodies, err := pp.repo.ReadObjects(ctx, names)
	if err != nil {
		return fmt.Errorf("reading the packages' go.mod files: %w", err)
	}
	for i, p := range ask {
		if w := goModuleWarning(bodies[i], p.Next, p.NextTag); w != "" {
			p.Warnings = append(p.Warnings, w)
		}
	}
	return nil
}

func pathJoinSlash(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}

// goModuleWarning is planGoModule's warning for a go.mod's content.
func goModuleWarning(gomod []byte, v *semver.Version, tag string) string {
	mod, line := "", 0
	for i, l := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "module" {
			mod, line = strings.Trim(f[1], "\"`"), i+1
			break
		}
	}
	want := fmt.Sprintf("/v%d", v.Major())
	if mod == "" || strings.HasSuffix(mod, want) {
		return ""
	}
	return fmt.Sprintf("%s is a major version of Go module %q, whose path must then end in %q (go.mod:%d); change the module path to %s%s or release a lower version",
		tag, mod, want, line, strings.TrimSuffix(mod, fmt.Sprintf("/v%d", v.Major()-1)), want)
}

// pkgVersionFiles lists the package's version files when it proposes a
// version: those detected in its directory, but not in the directory of a
// package nested in it (dirs are every package's), and its version-files.
func pkgVersionFiles(p *PackagePlan, dirs []string) error {
	if p.Next == nil || p.NextTag == "" {
		return nil
	}
	d, ok := p.Package.Dir()
	if !ok {
		d = "."
	}
	found, skips, err := versionfile.DetectDir(p.Dir, d)
	if err != nil {
		return err
	}
	explicit, err := versionfile.Explicit(p.Dir, planVersionFileEntries(p.Package.VersionFiles))
	if err != nil {
		return err
	}
	found = slices.DeleteFunc(found, func(f versionfile.File) bool {
		return slices.ContainsFunc(dirs, func(o string) bool { return o != d && pkgUnder(o, d) && pkgUnder(f.Path, o) })
	})
	seen := map[string]bool{}
	for _, f := range append(found, explicit...) {
		if id := f.Path + "\x00" + f.Key; !seen[id] {
			seen[id] = true
			p.VersionFiles = append(p.VersionFiles, f)
		}
	}
	p.VersionFileSkips = skips
	return nil
}

// pkgUnder reports whether the slash path p is dir or below it ("." holds
// everything).
func pkgUnder(p, dir string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}
