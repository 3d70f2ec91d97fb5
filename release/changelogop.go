package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/internal/redact"
	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/version"
)

// ChangelogOptions are the inputs of Changelog. The zero value writes the
// planned version's section into CHANGELOG.md with the default preset.
type ChangelogOptions struct {
	// Config is the `changelog:` section of .shipflow.yaml.
	Config config.Changelog
	// GitHubURLs are the web or REST API URLs of the GitHub the repository
	// may be on besides github.com (GITHUB_SERVER_URL, GITHUB_API_URL,
	// release.github-api-url): an `origin` remote on one of their hosts
	// gets links to that GitHub's pages. Default none: github.com,
	// HOST.ghe.com and gitlab.com are known without, and a remote on any
	// other host gets no links (unless Config.RepositoryURL names one).
	GitHubURLs []string
	// Plan are the options of the version plan (rules, tag prefix, branch).
	Plan PlanOptions
	// File overrides Config.File (--file). Either is relative to the
	// repository root and must stay inside it, outside .git/, symbolic
	// links included (package repofs). Default
	// config.DefaultChangelogFile ("CHANGELOG.md").
	File string
	// Preset overrides Config.Preset (--preset).
	Preset string
	// Version, when set, is the version to write instead of the planned
	// one ("1.2.0" or "v1.2.0"). When its tag exists the section covers the
	// commits between the previous stable tag and it; otherwise those since
	// the last stable tag, as planned.
	Version string
	// Rebuild regenerates every section from the version tags reachable
	// from HEAD, prerelease tags included unless Config.Prereleases folds
	// them into the next stable section (plus Version, when set, for the
	// commits since the last tag; later commits are the next release's and
	// are left out), replacing everything below the text above the first
	// version heading, except the sections of versions that have no tag
	// (hand-written history), which are kept in version order with a
	// warning. It reads history with one `git log`; duplicates are
	// found by pull request and merge, not by patch id (which would diff
	// every commit of history).
	Rebuild bool
	// DryRun renders without writing the file.
	DryRun bool
	// Now is the clock that dates an untagged version. Default time.Now.
	Now func() time.Time
	// Redactor replaces secrets (a token in a commit message) in the
	// section and the file before they are written. The default (nil)
	// replaces GitHub token shapes.
	Redactor *redact.Redactor
}

// ChangelogReport is what Changelog did.
type ChangelogReport struct {
	// Version and Tag are the version written ("" when nothing is
	// releasable); PreviousTag the tag its range starts at.
	Version     string `json:"version"`
	Tag         string `json:"tag"`
	PreviousTag string `json:"previous_tag"`
	// Section is the markdown of the version's section: the release notes.
	// With Rebuild it is the whole regenerated list of sections.
	Section string `json:"section"`
	// Context is the data Section was rendered from (nil with Rebuild).
	Context *changelog.Context `json:"context,omitempty"`
	// Path is the changelog's path; Written whether it was changed.
	Path    string `json:"path"`
	Written bool   `json:"written"`
	// Skipped says why the file was not written ("dry run", "CHANGELOG.md
	// already has a section for 1.2.0", "nothing to release").
	Skipped string `json:"skipped,omitempty"`
	// Commits is the number of commits read; Dropped lists those left out
	// as duplicates, with why.
	Commits int      `json:"commits"`
	Dropped []string `json:"dropped"`
	// Warnings are things to know (no repository for links, plan warnings).
	Warnings []string `json:"warnings"`
}

// Changelog renders the changelog section of the next version (or of
// opts.Version) from the commits Plan counts (ChangelogCommits: duplicates
// such as a merge and its branch commits, one pull request or one patch
// seen twice are left out, a promotion merge's commits are listed), and inserts
// the section into the changelog file atomically. It never adds a second
// section for a version, and never changes the file's other text (except
// with Rebuild, which regenerates all sections).
//
// The file is repository content: a path or link that leaves the work tree
// or enters .git/ is refused (a *config.Error at changelog.file when the
// configuration named it, else an error wrapping a *repofs.Error).
func Changelog(ctx context.Context, repo *git.Repo, opts ChangelogOptions) (*ChangelogReport, error) {
	rep := &ChangelogReport{Dropped: []string{}, Warnings: []string{}}
	file := notesOr(opts.File, opts.Config.File, config.DefaultChangelogFile)
	root := repo.Dir()
	refused := func(err error) error {
		if opts.File == "" && opts.Config.File != "" {
			return opts.Config.KeyError("file", "%v", err)
		}
		return fmt.Errorf("changelog file: %w", err)
	}
	clean, err := repofs.Clean(file)
	if err != nil {
		return nil, refused(err)
	}
	// Check the links along the path before any work: the read and the
	// write check them again, inside an os.Root.
	if _, err := repofs.Resolve(root, clean); err != nil {
		if repofs.IsRefused(err) {
			return nil, refused(err)
		}
		return nil, fmt.Errorf("reading the changelog: %w", err)
	}
	rep.Path = filepath.Join(root, filepath.FromSlash(clean))
	marker := notesOr(opts.Config.Marker, changelog.DefaultMarker)
	copts, noLinks, err := notesRenderOptions(ctx, repo, opts)
	if err != nil {
		return nil, err
	}
	if noLinks != "" {
		rep.Warnings = append(rep.Warnings, noLinks)
	}
	doc, err := repofs.ReadFile(root, clean, notesMaxChangelog)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case repofs.IsRefused(err):
		return nil, refused(err)
	case err != nil:
		return nil, fmt.Errorf("reading the changelog: %w", err)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}

	var out []byte
	if opts.Rebuild {
		if out, err = notesRebuild(ctx, repo, opts, doc, marker, now, copts, rep); err != nil {
			return nil, err
		}
	} else {
		rel, err := notesRelease(ctx, repo, opts, now, rep)
		if err != nil {
			return nil, err
		}
		if rel == nil {
			rep.Skipped = "nothing to release"
			return rep, nil
		}
		if rep.Context, err = changelog.Build(*rel, copts...); err != nil {
			return nil, fmt.Errorf("rendering the changelog of %s: %w", rel.Tag, err)
		}
		if rep.Section, err = changelog.RenderContext(rep.Context, copts...); err != nil {
			return nil, fmt.Errorf("rendering the changelog of %s: %w", rel.Tag, err)
		}
		var added bool
		if out, added = changelog.Insert(doc, rel.Version, rep.Section, marker); !added {
			rep.Skipped = fmt.Sprintf("%s already has a section for %s", file, rel.Version)
			return rep, nil
		}
	}
	// The file is committed and pushed: a token that reached the text
	// goes no further.
	rep.Section = opts.Redactor.String(rep.Section)
	if opts.DryRun {
		rep.Skipped = "dry run"
		return rep, nil
	}
	out = []byte(opts.Redactor.String(string(out)))
	if bytes.Equal(out, doc) {
		rep.Skipped = fmt.Sprintf("%s is up to date", file)
		return rep, nil
	}
	if err := changelog.WriteFileIn(root, clean, out, 0o644); err != nil {
		if repofs.IsRefused(err) {
			return nil, refused(err)
		}
		return nil, err
	}
	rep.Written = true
	return rep, nil
}

// notesMaxChangelog caps the changelog read: not a limit a real changelog
// meets (the audit's 300 MB one passes), a bound on what a file the
// repository names can make shipflow hold.
const notesMaxChangelog = 1 << 30

// ChangelogRenderOptions maps the `changelog:` section of .shipflow.yaml
// to rendering options: preset, sections and the template file. Links are
// left to the caller (WithRepository). A bad value is a *config.Error
// naming its key.
//
// The template is repository content, read through package repofs from
// dir, the work tree: a regular file inside it, outside .git/, of at most
// 1 MiB (D2: `template: /proc/self/environ` published GITHUB_TOKEN in the
// release notes).
func ChangelogRenderOptions(c config.Changelog, dir string) ([]changelog.Option, error) {
	var opts []changelog.Option
	bad := func(key, format string, a ...any) error {
		return c.KeyError(key, format, a...)
	}
	if c.Preset != "" {
		p := changelog.Preset(c.Preset)
		if p.Types() == nil {
			return nil, bad("preset", "unknown preset %q, valid presets are %s", c.Preset, strings.Join(changelog.PresetNames(), ", "))
		}
		opts = append(opts, changelog.WithPreset(p))
	}
	if c.Sections != nil {
		var types []changelog.Type
		for i, s := range c.Sections {
			if s.Type == "" || s.Section == "" {
				return nil, bad(fmt.Sprintf("sections[%d]", i), "needs both type and section")
			}
			types = append(types, changelog.Type{Type: s.Type, Section: s.Section, Hidden: s.Hidden})
		}
		opts = append(opts, changelog.WithTypes(types))
	}
	if c.Template != "" {
		text, err := repofs.ReadFile(dir, c.Template, repofs.DefaultMaxRead)
		if err != nil {
			return nil, bad("template", "%v", err)
		}
		opts = append(opts, changelog.WithTemplate(string(text)))
	}
	return opts, nil
}

// notesRenderOptions builds the rendering options of opts, with links to
// the forge: the repository changelog.repository-url names, else the
// `origin` remote's, when its host is a forge whose link shapes shipflow
// knows (see remoteLinks). The string says why there are no links, and is
// "" when there are.
func notesRenderOptions(ctx context.Context, repo *git.Repo, opts ChangelogOptions) ([]changelog.Option, string, error) {
	cfg := opts.Config
	if opts.Preset != "" {
		cfg.Preset = opts.Preset
	}
	copts, err := ChangelogRenderOptions(cfg, repo.Dir())
	if err != nil {
		return nil, "", err
	}
	if u := cfg.RepositoryURL; u != "" {
		r, err := configuredLinks(u)
		if err != nil {
			return nil, "", &config.Error{File: config.FileName, Message: "changelog.repository-url: " + err.Error()}
		}
		return append(copts, changelog.WithRepository(r)), "", nil
	}
	const remote = config.DefaultRemote
	u, none := notesRemoteURL(ctx, repo, remote)
	if none != "" {
		return copts, none, nil
	}
	r, none := remoteLinks(remote, u, opts.GitHubURLs)
	if none != "" {
		return copts, none, nil
	}
	return append(copts, changelog.WithRepository(r)), "", nil
}

// notesRemoteURL returns the URL of remote for the changelog's links, or
// why there is none, true to what git has: no such remote; a remote git
// cannot read (its reason); or one with no URL. A remote with only a push
// URL gives that URL.
func notesRemoteURL(ctx context.Context, repo *git.Repo, remote string) (string, string) {
	const noLinks = "the changelog has no links (set changelog.repository-url to add them)"
	u, err := repo.RemoteURL(ctx, remote)
	if err != nil {
		// git remote get-url fails for a remote that is not there, and
		// for one it cannot read: only the first is "no remote".
		out, cerr := repo.Run(ctx, "config", "--name-only", "--get-regexp", `^remote\.`+regexp.QuoteMeta(remote)+`\.`)
		if cerr == nil && len(bytes.TrimSpace(out)) > 0 {
			return "", fmt.Sprintf("cannot read the URL of remote %q (%s): %s", remote, gitReason(err), noLinks)
		}
		return "", fmt.Sprintf("no repository URL (no `%s` remote and no changelog.repository-url): the changelog has no links", remote)
	}
	if u != "" && u != remote {
		return u, ""
	}
	// git names a remote without a URL by its name.
	if _, set, err := repo.ConfigValue(ctx, "remote."+remote+".url"); err == nil && set && u != "" {
		return u, ""
	}
	if out, err := repo.Run(ctx, "remote", "get-url", "--push", "--", remote); err == nil {
		if push := strings.TrimSpace(string(out)); push != "" && push != remote {
			return push, ""
		}
	}
	return "", fmt.Sprintf("remote %q has no URL (remote.%s.url is not set): %s", remote, remote, noLinks)
}

// gitReason is the last line of what git said on stderr, else the error.
func gitReason(err error) string {
	var ge *git.Error
	if errors.As(err, &ge) && strings.TrimSpace(ge.Stderr) != "" {
		lines := strings.Split(strings.TrimSpace(ge.Stderr), "\n")
		return strings.TrimSpace(lines[len(lines)-1])
	}
	return err.Error()
}

// notesRelease reads the release to write: the plan's, or opts.Version's.
// It returns nil when nothing is releasable.
func notesRelease(ctx context.Context, repo *git.Repo, opts ChangelogOptions, now func() time.Time, rep *ChangelogReport) (*changelog.Release, error) {
	if opts.Version != "" {
		if rel, err := notesTaggedRelease(ctx, repo, opts, rep); rel != nil || err != nil {
			return rel, err
		}
	}
	plan, err := Plan(ctx, repo, opts.Plan)
	if err != nil {
		return nil, err
	}
	rep.Warnings = append(rep.Warnings, plan.Warnings...)
	rep.PreviousTag = plan.PreviousTag
	v, tag := "", plan.NextTag
	switch {
	case opts.Version != "":
		sv, err := semver.StrictNewVersion(strings.TrimPrefix(opts.Version, "v"))
		if err != nil {
			return nil, fmt.Errorf("version %q is not a semantic version: %w", opts.Version, err)
		}
		v, tag = sv.String(), plan.Prefix+sv.String()
	case plan.Next != nil && plan.NextTag != "":
		v = plan.Next.String()
	default:
		return nil, nil
	}
	rep.Version, rep.Tag, rep.Commits = v, tag, len(plan.Commits)
	var commits []changelog.Commit
	var dropped []string
	if plan.SinceTag == plan.PreviousTag {
		// The section lists the commits the plan counted: one selection.
		commits, dropped = notesDedupe(plan.selection)
	} else {
		// The plan counted from a prerelease tag; the notes list every
		// change since the last stable version of the commit planned
		// (plan.Head: HEAD, or --branch's tip), selected the same way:
		// those of the tags above it that HEAD holds without reaching
		// them (a squashed promotion) too, and none of the tags at or
		// below it (main's release of a squash of dev), nor of the
		// commits of HEAD that stand for a released tag's commits.
		revs := []string{plan.Head}
		released, _ := version.ParseTags(plan.Released, plan.Prefix)
		for _, t := range released {
			if plan.Previous == nil || t.Version.GreaterThan(plan.Previous) {
				revs = append(revs, "refs/tags/"+t.Name)
			} else {
				revs = append(revs, "^refs/tags/"+t.Name)
			}
		}
		if plan.PreviousTag != "" {
			revs = append(revs, "^refs/tags/"+plan.PreviousTag)
		}
		for _, h := range plan.releasedTwins {
			revs = append(revs, "^"+h)
		}
		var gcs []*git.Commit
		var parsed []*commitlint.Commit
		for c, err := range repo.Log(ctx, git.LogOptions{Revs: revs}) {
			if err != nil {
				return nil, fmt.Errorf("reading the commits of %s: %w", tag, err)
			}
			gcs = append(gcs, c)
			parsed = append(parsed, commitlint.Parse(c.Message))
		}
		rep.Commits = len(gcs)
		if commits, dropped, err = ChangelogCommits(ctx, repo, gcs, parsed, opts.Plan); err != nil {
			return nil, err
		}
	}
	rep.Dropped = append(rep.Dropped, dropped...)
	return &changelog.Release{Version: v, Tag: tag, PreviousTag: plan.PreviousTag, Date: now(), Commits: commits}, nil
}

// notesTaggedRelease is the release of an existing tag: the commits since
// the highest stable tag below it. It returns nil when the tag does not
// exist.
func notesTaggedRelease(ctx context.Context, repo *git.Repo, opts ChangelogOptions, rep *ChangelogReport) (*changelog.Release, error) {
	_, prefix, err := opts.Plan.rules()
	if err != nil {
		return nil, err
	}
	sv, err := semver.StrictNewVersion(strings.TrimPrefix(opts.Version, "v"))
	if err != nil {
		return nil, fmt.Errorf("version %q is not a semantic version: %w", opts.Version, err)
	}
	tag := prefix + sv.String()
	hash, err := repo.TagCommit(ctx, tag)
	if err != nil || hash == "" {
		return nil, err
	}
	tags, _, err := notesTags(ctx, repo, prefix, "refs/tags/"+tag)
	if err != nil {
		return nil, err
	}
	var prev *notesTag
	for i := range tags {
		if tags[i].version.LessThan(sv) && (prev == nil || prev.version.LessThan(tags[i].version)) {
			prev = &tags[i]
		}
	}
	rev := "refs/tags/" + tag
	rel := &changelog.Release{Version: sv.String(), Tag: tag}
	for _, t := range tags {
		if t.name == tag {
			rel.Date = t.date
		}
	}
	if prev != nil {
		rev = "refs/tags/" + prev.name + ".." + rev
		rel.PreviousTag = prev.name
	}
	var gcs []*git.Commit
	var parsed []*commitlint.Commit
	for c, err := range repo.Log(ctx, git.LogOptions{Revs: []string{rev}}) {
		if err != nil {
			return nil, fmt.Errorf("reading the commits of %s: %w", tag, err)
		}
		gcs = append(gcs, c)
		parsed = append(parsed, commitlint.Parse(c.Message))
	}
	if rel.Commits, rep.Dropped, err = ChangelogCommits(ctx, repo, gcs, parsed, opts.Plan); err != nil {
		return nil, err
	}
	rep.Version, rep.Tag, rep.PreviousTag, rep.Commits = rel.Version, rel.Tag, rel.PreviousTag, len(gcs)
	return rel, nil
}

// notesTag is a version tag with its commit and date.
type notesTag struct {
	name    string
	version *semver.Version
	commit  string
	date    time.Time
	// light is a lightweight tag of a rebuild (rebuildVersionTags): its
	// date is its commit's committer date, set once the log reads the
	// commit.
	light bool
}

// notesTags lists the stable version tags reachable from rev (all tags
// when rev is "") with one `git for-each-ref`, oldest version first, and
// the set of versions tagged (prereleases too). See notesVersionTags.
func notesTags(ctx context.Context, repo *git.Repo, prefix, rev string) ([]notesTag, map[string]bool, error) {
	tags, tagged, err := notesVersionTags(ctx, repo, prefix, rev)
	return slices.DeleteFunc(tags, func(t notesTag) bool { return t.version.Prerelease() != "" }), tagged, err
}

// notesRebuildWhole regenerates every section holding all of history: one
// `git log` of all history, each commit assigned to the oldest version tag
// that contains it, among the tags that get a section (every version tag
// HEAD reaches, prereleases too, unless changelog.prereleases folds them:
// notesFold). notesRebuild streams instead, and comes here when it cannot
// (folded prereleases, or a history whose order defeats the stream). tags
// and tagged are notesVersionTags' for every tag.
func notesRebuildWhole(ctx context.Context, repo *git.Repo, opts ChangelogOptions, doc []byte, marker string, now func() time.Time, copts []changelog.Option, rep *ChangelogReport, tags []notesTag, tagged map[string]bool) ([]byte, error) {
	rules, prefix, err := opts.Plan.rules()
	if err != nil {
		return nil, err
	}
	fold, err := opts.Config.FoldPrereleases()
	if err != nil {
		return nil, err
	}
	// Read all of history once; index commits and their parents.
	// Messages are parsed while git is still writing, so that the work
	// overlaps with git's.
	var all []*git.Commit
	var msgs []*commitlint.Commit
	index := map[string]int{}
	for c, err := range repo.Log(ctx, git.LogOptions{}) {
		if err != nil {
			return nil, fmt.Errorf("reading history: %w", err)
		}
		index[c.Hash] = len(all)
		all = append(all, c)
		msgs = append(msgs, commitlint.Parse(c.Message))
	}
	rep.Commits = len(all)
	// The sections select their commits as Plan does, but without patch
	// ids, which would diff every commit of history.
	selRules := opts.Plan.selectionRules(rules)
	selRules.patches = false
	facts, err := newSelectRange(all, msgs).read(ctx, repo, selRules)
	if err != nil {
		return nil, err
	}
	tags = slices.DeleteFunc(tags, func(t notesTag) bool { _, ok := index[t.commit]; return !ok })
	for i, t := range tags {
		if t.light {
			tags[i].date = all[index[t.commit]].CommitterDate
		}
	}
	var next *semver.Version
	if opts.Version != "" {
		if next, err = semver.StrictNewVersion(strings.TrimPrefix(opts.Version, "v")); err != nil {
			return nil, fmt.Errorf("version %q is not a semantic version: %w", opts.Version, err)
		}
		if n := len(tags); n > 0 && !tags[n-1].version.LessThan(next) {
			if !slices.ContainsFunc(tags, func(t notesTag) bool { return t.version.Equal(next) }) {
				return nil, fmt.Errorf("version %s is not above the last tag %s", next, tags[n-1].name)
			}
			next = nil // already tagged: its section comes from the tag
		}
	}

	owner := make([]int, len(all)) // 1 + index of the tag releasing the commit; 0 unreleased
	var stack []int
	for ti, t := range tags {
		i, ok := index[t.commit]
		if !ok {
			continue
		}
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if owner[i] != 0 {
				continue
			}
			owner[i] = ti + 1
			for _, p := range all[i].Parents {
				if j, ok := index[p]; ok && owner[j] == 0 {
					stack = append(stack, j)
				}
			}
		}
	}
	tags, remap := notesFold(tags, next, fold)
	for i, o := range owner {
		owner[i] = remap[o]
	}
	groups := make([][]*git.Commit, len(tags)+1)
	parsedGroups := make([][]*commitlint.Commit, len(tags)+1)
	for i, c := range all {
		groups[owner[i]] = append(groups[owner[i]], c)
		parsedGroups[owner[i]] = append(parsedGroups[owner[i]], msgs[i])
	}

	// One job per section, newest first; sections are independent, so they
	// are rendered on every core (git has finished by now).
	type job struct {
		version, tag, prev string
		date               time.Time
		commits            []*git.Commit
		parsed             []*commitlint.Commit
		section            string
		dropped            []string
		err                error
	}
	var jobs []*job
	if next != nil {
		prev := ""
		if len(tags) > 0 {
			prev = tags[len(tags)-1].name
		}
		rep.Version, rep.Tag, rep.PreviousTag = next.String(), prefix+next.String(), prev
		jobs = append(jobs, &job{version: next.String(), tag: prefix + next.String(), prev: prev, date: now(), commits: groups[0], parsed: parsedGroups[0]})
	}
	for ti := len(tags) - 1; ti >= 0; ti-- {
		t := tags[ti]
		prev := ""
		if ti > 0 {
			prev = tags[ti-1].name
		}
		jobs = append(jobs, &job{version: t.version.String(), tag: t.name, prev: prev, date: t.date, commits: groups[ti+1], parsed: parsedGroups[ti+1]})
	}
	var wg sync.WaitGroup
	work := make(chan *job)
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for j := range work {
				var commits []changelog.Commit
				sel := newSelectRange(j.commits, j.parsed).decide(selRules, facts)
				commits, j.dropped = notesDedupe(sel)
				j.section, j.err = changelog.Render(changelog.Release{Version: j.version, Tag: j.tag, PreviousTag: j.prev, Date: j.date, Commits: commits}, copts...)
			}
		})
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	var sections []string
	for _, j := range jobs {
		if j.err != nil {
			return nil, fmt.Errorf("rendering the changelog of %s: %w", j.tag, j.err)
		}
		rep.Dropped = append(rep.Dropped, j.dropped...)
		sections = append(sections, j.section)
	}
	if next == nil && len(tags) > 0 {
		t := tags[len(tags)-1]
		rep.Version, rep.Tag = t.version.String(), t.name
		if len(tags) > 1 {
			rep.PreviousTag = tags[len(tags)-2].name
		}
	}
	versions := make([]string, len(jobs))
	for i, j := range jobs {
		versions[i] = j.version
	}
	return notesRebuildDoc(doc, strings.Join(sections, "\n"), sections, versions, marker, prefix, tagged, opts.DryRun, rep), nil
}

// notesRebuildDoc sets rep.Section to section, the sections (newest
// first, of versions) joined by blank lines, and returns doc with them in
// place of its sections; nil with dryRun, which shows the sections alone.
func notesRebuildDoc(doc []byte, section string, sections, versions []string, marker, prefix string, tagged map[string]bool, dryRun bool, rep *ChangelogReport) []byte {
	rep.Section = section
	// A section of a version that has no tag (hand-written before the
	// history began, or a tag deleted since) is not ours to drop.
	rebuilt := make(map[string]bool, len(versions))
	for _, v := range versions {
		rebuilt[v] = true
	}
	keep := func(v string) bool { return !tagged[v] && !rebuilt[v] }
	var out []byte
	var kept []string
	if dryRun {
		kept = changelog.RebuildKept(doc, marker, keep)
	} else {
		out, kept = changelog.Rebuild(doc, sections, marker, keep)
	}
	if len(kept) > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("kept the %s of %s in %s as written: %s no %s tag to rebuild %s from", notesPlural(len(kept), "section", "sections"), strings.Join(kept, ", "), filepath.Base(rep.Path), notesPlural(len(kept), "it has", "they have"), prefix+"X.Y.Z", notesPlural(len(kept), "it", "them")))
	}
	return out
}

func notesPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ChangelogCommits turns the commits of a range (newest first, every
// parent followed, with their parsed messages; nil entries are parsed)
// into changelog input: the commits Plan counts under opts, selected the
// same way (see selection.go). Left out are release commits, promotion
// merges (dev into main: their commits count instead), the commits a
// merge with a Conventional message brought in (a GitHub merge stands for
// its pull request, titled by its body), second commits of one pull
// request ("(#12)") and cherry-picks (same `git patch-id --stable`). The
// second result says what was left out and why.
func ChangelogCommits(ctx context.Context, repo *git.Repo, commits []*git.Commit, parsed []*commitlint.Commit, opts PlanOptions) ([]changelog.Commit, []string, error) {
	rules, _, err := opts.rules()
	if err != nil {
		return nil, nil, err
	}
	sel, err := selectCommits(ctx, repo, commits, parsed, opts.selectionRules(rules))
	if err != nil {
		return nil, nil, err
	}
	out, dropped := notesDedupe(sel)
	return out, dropped, nil
}

// notesDedupe turns a selection into changelog input and the list of the
// duplicates left out ("abc1234: same pull request #12 as def5678"; not
// release commits and promotion merges, which are no change). A commit
// that makes a release is listed even when its type is hidden (see
// notesReleases).
func notesDedupe(sel []selected) ([]changelog.Commit, []string) {
	var out []changelog.Commit
	var dropped []string
	for _, s := range sel {
		if s.dropped != "" {
			if s.duplicate {
				dropped = append(dropped, s.commit.Short()+": "+s.dropped)
			}
			continue
		}
		out = append(out, changelog.Commit{Hash: s.commit.Hash, Commit: s.parsed, Merge: s.commit.IsMerge(), PR: s.pr, Releases: notesReleases(s.parsed)})
	}
	return out, dropped
}

// notesReleases reports whether a commit makes a release whatever its
// type, as version.Next counts it, so that the changelog lists it even
// when its type is hidden: a Release-As footer
// (conventional-changelog-conventionalcommits lists a `chore: release
// 2.0.0` that carries one), or a revert (of a change released earlier: a
// patch, GitHub's `Revert "..."` included). A type that the version rules
// bump but the changelog's sections leave out stays out, as
// conventional-changelog leaves it.
func notesReleases(msg *commitlint.Commit) bool {
	if msg == nil {
		return false
	}
	for _, f := range msg.Footers {
		if strings.EqualFold(f.Token, "Release-As") && strings.TrimSpace(f.Value) != "" {
			return true
		}
	}
	return msg.Revert != "" || (msg.HeaderError == nil && strings.EqualFold(msg.Type, "revert"))
}

// notesFooterText returns a message's footers as text: a pull-request
// title such as "fix: x (#3)" may have been read as a footer.
func notesFooterText(c *commitlint.Commit) string {
	var b strings.Builder
	for _, f := range c.Footers {
		b.WriteString("\n" + f.Token + f.Separator + f.Value)
	}
	return b.String()
}

// notesOr returns the first non-empty string.
func notesOr(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
