package release

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/Masterminds/semver/v3"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/internal/tmplexec"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
)

// cutPreflight is the first step: it runs the preflight checks in order,
// deciding the plan, before any step changes anything.
type cutPreflight struct{ c *cutter }

func (cutPreflight) String() string                        { return "preflight" }
func (cutPreflight) Skip(context.Context, *CutPlan) string { return "" }

// cutCheck is one named preflight check. A check refuses with an error
// wrapping ErrCutRefused (or a *config.Error), fails with any other error,
// and may complete the plan; the checks run in order, and each may rely on
// what the ones before it decided.
type cutCheck struct {
	name string
	// needsToken marks a check of the GitHub token: a dry run, which
	// needs none, and a local release skip such checks.
	needsToken bool
	// dryRunWithForge marks a token check that a dry run given a forge
	// (a token) runs too.
	dryRunWithForge bool
	check           func(ctx context.Context) error
}

// cutPreflightRun is what the preflight checks share besides the plan.
type cutPreflightRun struct {
	c *cutter
	p *CutPlan
	// head is the commit at HEAD; tip is the remote release branch's tip,
	// "" when the remote has none or cannot be read in a dry run.
	head *git.Commit
	tip  string
	// rc is the previous run's release commit (HEAD, or one ahead on the
	// remote branch), or head for a fresh release; tag is the tag rc
	// names, "" for a fresh release.
	rc  *git.Commit
	tag string
	// version is the resumed release's version.
	version *semver.Version
}

// resumed reports whether the preflight picks up a previous run's release
// commit.
func (s *cutPreflightRun) resumed() bool { return s.tag != "" }

// checks are the preflight checks, in the order they run. The order is
// part of the behaviour: the first refusal is the one reported, and the
// plan a refused run reports holds what the checks before it decided.
func (s *cutPreflightRun) checks() []cutCheck {
	return []cutCheck{
		{name: "settings", check: s.checkSettings},
		{name: "tag-prefix", check: s.checkTagPrefix},
		{name: "commit-template", check: s.checkCommitTemplate},
		{name: "commit-template skips no CI", check: s.checkPRCommitTemplate},
		{name: "branch", check: s.checkBranch},
		{name: "full-history", check: s.checkFullHistory},
		{name: "github-repository", check: s.checkGitHubRepository},
		{name: "merged release PR", check: s.checkMergedReleasePR},
		{name: "release-commit", check: s.findReleaseCommit},
		{name: "behind-remote", check: s.checkBehindRemote},
		{name: "version", check: s.checkVersion},
		{name: "clean-tree", check: s.checkCleanTree},
		{name: "tag-name", check: s.checkTagName},
		{name: "notes", check: s.checkNotes},
		{name: "tag-elsewhere", check: s.checkTagElsewhere},
		{name: "go-module", check: s.checkGoModule},
		{name: "floating-tag", check: s.checkFloatingTag},
		{name: "commit-message", check: s.checkCommitMessage},
		{name: "release PR", check: s.checkReleasePR},
		{name: "token", needsToken: true, check: s.checkToken},
		{name: "permissions", needsToken: true, check: s.checkPermissions},
		{name: "branch accepts the release push", needsToken: true, dryRunWithForge: true, check: s.checkBranchAcceptsPush},
	}
}

// Run runs the checks in order, stopping at the first refusal or failure,
// or when there is nothing to release. A dry run and a local release skip
// the checks that need a token, but for those a dry run given a forge
// runs too. A real run then fast-forwards HEAD to a previous run's
// release commit found one ahead on the remote branch.
func (s cutPreflight) Run(ctx context.Context, p *CutPlan) error {
	run := &cutPreflightRun{c: s.c, p: p}
	for _, ch := range run.checks() {
		if ch.needsToken && (p.DryRun || p.Local) && !(ch.dryRunWithForge && p.DryRun && !p.Local && s.c.forge != nil) {
			continue
		}
		if err := ch.check(ctx); err != nil {
			return err
		}
		if s.c.nothing != "" {
			return nil
		}
	}
	if p.DryRun || p.Local || s.c.pkg != nil {
		return nil // a package's release commit is HEAD or below it
	}
	if run.head.Hash != p.ReleaseCommit && p.ReleaseCommit != "" {
		if _, err := s.c.repo.Run(ctx, "merge", "--quiet", "--ff-only", p.ReleaseCommit); err != nil {
			return fmt.Errorf("fast-forwarding to release commit %s: %w", cutShort(p.ReleaseCommit), err)
		}
	}
	return nil
}

// cutRefuse is a preflight refusal.
func cutRefuse(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrCutRefused, fmt.Sprintf(format, a...))
}

// checkSettings fills the plan's settings from the options and their
// defaults, and refuses a changelog path outside the work tree.
func (s *cutPreflightRun) checkSettings(context.Context) error {
	o, p := s.c.opts, s.p
	p.Branch = cutOr(o.Config.Branch, config.DefaultReleaseBranch)
	p.Mode = cutOr(o.Config.Mode, config.ReleaseModeDirect)
	if p.Local {
		p.Mode = config.ReleaseModeDirect // the local half of a direct release
	}
	p.Remote = cutOr(o.Config.Remote, config.DefaultRemote)
	p.ChangelogFile = cutOr(o.Changelog.File, config.DefaultChangelogFile)
	if s.c.pkg != nil {
		p.ChangelogFile = s.c.pkg.pkg.ChangelogFile()
	}
	if err := s.c.checkChangelogFile(p); err != nil {
		return err
	}
	p.Draft = o.Config.Draft
	p.APIURL = cutOr(o.APIURL, github.DefaultBaseURL)
	return nil
}

// checkTagPrefix decides the tag prefix: the configuration's, or the
// option's.
func (s *cutPreflightRun) checkTagPrefix(context.Context) error {
	c, o := s.c, s.c.opts
	if c.pkg != nil {
		c.prefix = c.pkg.prefix
		return nil
	}
	var err error
	_, c.prefix, err = o.Plan.rules()
	return err
}

// checkCommitTemplate refuses a commit message template that does not
// name the release in its first line, which a re-run recognises its
// commit by.
func (s *cutPreflightRun) checkCommitTemplate(context.Context) error {
	var err error
	s.c.releaseRE, err = cutReleaseRE(s.c.commitTemplate(s.p))
	if err == nil && s.c.pkg != nil {
		err = cutPackageTemplate(s.c.releaseRE, s.c.commitTemplate(s.p))
	}
	return err
}

// checkBranch refuses a checkout other than the release branch.
func (s *cutPreflightRun) checkBranch(ctx context.Context) error {
	p := s.p
	branch, err := s.c.repo.CurrentBranch(ctx)
	if err != nil {
		return err
	}
	if branch == p.Branch {
		return nil
	}
	patterns := s.c.opts.Config.MaintenanceBranches
	if patterns == nil {
		patterns = []string{config.DefaultMaintenanceBranches}
	}
	for _, pat := range patterns {
		if ok, _ := path.Match(pat, branch); ok && branch != "" {
			// A maintenance line: its channel plans its version.
			p.Branch = branch
			return nil
		}
	}
	if branch == "" {
		branch = "a detached HEAD"
	} else {
		branch = fmt.Sprintf("branch %q", branch)
	}
	also := ""
	if len(patterns) > 0 {
		also = fmt.Sprintf(" or a maintenance branch (%s)", strings.Join(patterns, ", "))
	}
	return cutRefuse("releases are cut from branch %q%s, but %s is checked out (release.branch and release.maintenance-branches in %s)", p.Branch, also, branch, config.FileName)
}

// checkFullHistory refuses a shallow clone.
func (s *cutPreflightRun) checkFullHistory(ctx context.Context) error {
	return s.c.repo.CheckFullHistory(ctx)
}

// checkGitHubRepository names the GitHub repository; a dry run without one
// warns.
func (s *cutPreflightRun) checkGitHubRepository(ctx context.Context) error {
	p := s.p
	if p.Local {
		return nil // no GitHub
	}
	var err error
	if p.Owner, p.Repo, err = s.c.githubRepo(ctx, p.Remote); err != nil {
		if !p.DryRun {
			return err
		}
		// A plan is still worth showing from a clone without a GitHub
		// remote; the real run stops here.
		p.Warnings = append(p.Warnings, fmt.Sprintf("no GitHub repository: %v; a real release stops here", cutTrimRefused(err)))
	}
	return nil
}

// checkBehindRemote refuses while the remote branch has commits that the
// release does not build on: the atomic push would be rejected after the
// release commit and tag are made, and a re-run would be rejected the
// same way.
func (s *cutPreflightRun) checkBehindRemote(ctx context.Context) error {
	return s.c.checkBehind(ctx, s.p, s.tip, s.rc, s.resumed())
}

// checkVersion decides the version: the resumed release's, or the next one
// from the commits since the last tag (or nothing to release).
func (s *cutPreflightRun) checkVersion(ctx context.Context) error {
	if s.resumed() {
		return s.resumeVersion()
	}
	if s.c.pkg != nil {
		return s.pkgVersion(ctx)
	}
	return s.c.planVersion(ctx, s.p)
}

// checkCleanTree refuses uncommitted changes; a dry run warns. A fresh
// release allows what a previous run's changelog step wrote for this very
// version before failing to commit it: the changelog with its section and
// version files that already hold the version.
func (s *cutPreflightRun) checkCleanTree(ctx context.Context) error {
	c, p := s.c, s.p
	if c.pkg != nil {
		return nil // CutPackages checked the tree for every package at once
	}
	dirty, err := c.dirtyFiles(ctx, p)
	if err != nil {
		return err
	}
	if len(dirty) == 0 {
		return nil
	}
	if !s.resumed() && cutOnlyChangelogStep(c, p, dirty) {
		return nil
	}
	err = fmt.Errorf("%w: the work tree has uncommitted changes (%s): commit or stash them first", ErrCutRefused, cutList(dirty, 10))
	if !p.DryRun {
		return err
	}
	p.Warnings = append(p.Warnings, cutTrimRefused(err))
	return nil
}

// checkTagName checks the resumed release's tag as the plan checks a new
// one, and then completes the plan from the release commit.
func (s *cutPreflightRun) checkTagName(ctx context.Context) error {
	if !s.resumed() {
		return nil // Plan checked it
	}
	return s.resumeTag(ctx)
}

// checkNotes decides the release notes.
func (s *cutPreflightRun) checkNotes(ctx context.Context) error {
	if s.resumed() {
		return s.resumeNotes(ctx)
	}
	if s.c.pkg != nil {
		return s.c.pkgNotes(ctx, s.p)
	}
	return s.c.planNotes(ctx, s.p)
}

// checkTagElsewhere refuses a tag, here or on the remote, that exists and
// is not this release's.
func (s *cutPreflightRun) checkTagElsewhere(ctx context.Context) error {
	c, p := s.c, s.p
	local, err := c.repo.TagCommit(ctx, p.Tag)
	if err != nil {
		return err
	}
	if local != "" && local != p.ReleaseCommit {
		return cutRefuse("tag %s already exists at %s, which is not this release's commit; if that release is good, there is nothing to do; otherwise delete the tag (git tag -d %s) and run again", p.Tag, cutShort(local), p.Tag)
	}
	if p.Local {
		return nil // no remote
	}
	remote, err := c.remoteRefs(ctx, p.Remote, "refs/tags/"+p.Tag)
	if err != nil && p.DryRun {
		p.Warnings = append(p.Warnings, fmt.Sprintf("tag %s not checked on the remote: %v", p.Tag, err))
	} else if err != nil {
		return err
	}
	if sha := remote["refs/tags/"+p.Tag]; sha != "" && (p.ReleaseCommit == "" || sha != p.ReleaseCommit) {
		return cutRefuse("tag %s already exists on %q at %s, which is not this release's commit: fetch the tags (git fetch --tags %s) and check whether this version was already released from another commit", p.Tag, p.Remote, cutShort(sha), p.Remote)
	}
	return nil
}

// checkGoModule refuses a v2+ release of a Go module whose path lacks /vN
// (go.dev/ref/mod#major-version-suffixes), as the plan warns of it.
func (s *cutPreflightRun) checkGoModule(ctx context.Context) error {
	p := s.p
	dir := "."
	if s.c.pkg != nil {
		// A package that is a Go module: its directory's go.mod.
		d, ok := s.c.pkg.pkg.Dir()
		if !ok {
			return nil
		}
		dir = d
	}
	msg, err := planGoModule(ctx, s.c.repo, s.rc.Hash, dir, semver.MustParse(p.Version), p.Tag)
	if err != nil || msg == "" {
		return err
	}
	p.Warnings = slices.DeleteFunc(p.Warnings, func(w string) bool { return w == msg })
	return cutRefuse("%s", msg)
}

// checkFloatingTag names the floating major tag to move, when enabled.
func (s *cutPreflightRun) checkFloatingTag(context.Context) error {
	p := s.p
	if s.c.opts.Config.FloatingMajorTag && s.c.pkg == nil {
		// v0 floats too: Actions users pin `@v0` while a tool is on 0.x.
		// Prereleases never move a floating tag.
		v := semver.MustParse(p.Version)
		if v.Prerelease() == "" {
			p.FloatingTag = strings.TrimSuffix(p.Tag, p.Version) + fmt.Sprint(v.Major())
		}
	}
	return nil
}

// checkCommitMessage renders the release commit's message.
func (s *cutPreflightRun) checkCommitMessage(context.Context) error {
	msg, err := cutMessage(s.c.commitTemplate(s.p), s.p)
	if err != nil {
		return err
	}
	s.p.CommitMessage = msg
	return nil
}

// checkBranchAcceptsPush refuses, before anything changes, a release whose
// push the release branch refuses (a ruleset or classic protection
// requiring pull requests, status checks, signatures): the release commit
// and tag would be made and the push then rejected. It asks the forge when
// it can tell (BranchProtection), a dry run too when it has one; a forge
// that cannot tell (classic protection unreadable without the
// administration permission) is a warning. A local release pushes nothing,
// nor does a re-run whose release commit is on the remote branch already.
func (s *cutPreflightRun) checkBranchAcceptsPush(ctx context.Context) error {
	p := s.p
	bp, ok := s.c.forge.(BranchProtection)
	if !ok || p.Local || p.prMode() || p.Owner == "" || p.Repo == "" {
		return nil
	}
	if s.resumed() && s.tip != "" && (s.tip == s.rc.Hash || s.c.isAncestor(ctx, s.rc.Hash, s.tip)) {
		return nil // pushed already
	}
	protected, reason, err := bp.BranchProtected(ctx, p.Owner, p.Repo, p.Branch)
	switch {
	case err != nil && (github.IsForbidden(err) || github.IsNotFound(err) || p.DryRun):
		p.Warnings = append(p.Warnings, fmt.Sprintf("cannot tell whether branch %s accepts the release push: %v; if its rules refuse direct pushes, the push fails after the release commit and tag are made (release through a pull request instead: release.mode: pr)", p.Branch, err))
		return nil
	case err != nil:
		return fmt.Errorf("checking whether branch %s accepts the release push: %w", p.Branch, err)
	case !protected:
		return nil
	}
	msg := fmt.Sprintf("the release branch %s refuses direct pushes (%s): release through a pull request (release.mode: pr) or let the token bypass the rule", p.Branch, reason)
	if p.DryRun {
		p.Warnings = append(p.Warnings, msg+"; a real release stops here")
		return nil
	}
	return cutRefuse("%s", msg)
}

// checkToken refuses a real run without a GitHub client.
func (s *cutPreflightRun) checkToken(context.Context) error {
	if s.c.forge == nil {
		return cutRefuse("no GitHub token: set GITHUB_TOKEN (or use --dry-run)")
	}
	return nil
}

// checkPermissions refuses a token that cannot push to the repository or
// write its releases; one whose permissions GitHub does not tell warns.
func (s *cutPreflightRun) checkPermissions(ctx context.Context) error {
	p := s.p
	perms, err := s.c.forge.Permissions(ctx, p.Owner, p.Repo)
	if err != nil {
		if github.IsForbidden(err) || github.IsNotFound(err) {
			return cutRefuse("the token cannot read %s/%s: %v", p.Owner, p.Repo, err)
		}
		return err
	}
	switch {
	case !perms.Known:
		p.Warnings = append(p.Warnings, fmt.Sprintf("GitHub does not tell this token's permissions in %s/%s (an app or Actions token): make sure it has contents: write", p.Owner, p.Repo))
	case !perms.CanPush():
		return cutRefuse("the token may not push to %s/%s or write its releases (it needs contents: write, or the repo scope)", p.Owner, p.Repo)
	}
	return nil
}

// planVersion decides a fresh release's version from the commits since
// the last tag, or that there is nothing to release.
func (c *cutter) planVersion(ctx context.Context, p *CutPlan) error {
	pr, err := Plan(ctx, c.repo, c.planOptions(p))
	if err != nil {
		return err
	}
	p.Warnings = append(p.Warnings, pr.Warnings...)
	p.Next = pr
	if u := pr.UntaggedRelease; u != nil {
		// Releasing again would put the changes of u's release in a second
		// one; tagging u is the release that failed half-way, finished.
		// (A release commit at HEAD, or one ahead, is resumed instead:
		// findReleaseCommit.)
		p.Warnings = slices.DeleteFunc(p.Warnings, func(w string) bool { return w == planUntaggedWarning(u, p.Remote) })
		return cutRefuse("%s is the release commit of %s, but tag %s does not exist (its push failed?), and commits landed after it: tag that commit and push the tag, then run again: %s",
			cutShort(u.Commit), u.Tag, u.Tag, planUntaggedFix(u, p.Remote))
	}
	if pr.Next == nil || pr.NextTag == "" {
		c.nothing = fmt.Sprintf("nothing to release: no releasable commit since %s", cutOr(pr.PreviousTag, "the first commit"))
		return nil
	}
	p.Version, p.Tag, p.PreviousTag, p.Base = pr.Next.String(), pr.NextTag, pr.PreviousTag, pr.Head
	p.ReleaseCommit = ""
	return nil
}

// planOptions are the version plan's options for a release from
// p.Branch; the preflight fetched what it needs already.
func (c *cutter) planOptions(p *CutPlan) PlanOptions {
	po := c.opts.Plan
	po.Branch = p.Branch
	po.NoFetch = true
	po.Remote = p.Remote
	if c.opts.Config.CommitMessage != "" {
		po.ReleaseCommitMessage = c.opts.Config.CommitMessage
	}
	return po
}

// planNotes renders a fresh release's notes: what `shipflow changelog`
// would write (same dedupe, preset, template and links), or the section a
// previous run already wrote into the changelog.
func (c *cutter) planNotes(ctx context.Context, p *CutPlan) error {
	o := c.opts
	cc := o.Changelog
	if cc.RepositoryURL == "" && p.Owner != "" {
		cc.RepositoryURL = c.webRepo(p).URL()
	}
	crep, err := Changelog(ctx, c.repo, ChangelogOptions{Config: cc, Plan: c.planOptions(p), File: p.ChangelogFile, Version: p.Version, DryRun: true, Now: o.Now, Redactor: o.Redactor})
	if err != nil {
		return fmt.Errorf("rendering the changelog of %s: %w", p.Tag, err)
	}
	p.Notes = crep.Section
	if doc, err := c.readChangelog(p); err == nil && changelog.HasVersion(doc, p.Version) {
		p.Notes = cutSection(doc, p.Version)
	}
	// The notes are committed, pushed and published: a token that reached
	// them (a commit message, a template) must go no further.
	p.Notes = o.Redactor.String(p.Notes)
	return nil
}

// cutReleaseRE turns the commit message template into a pattern matching
// the headers of the release commits it makes, with the tag or version
// captured, so that a re-run recognises its own commit.
func cutReleaseRE(text string) (*regexp.Regexp, error) {
	const tag, ver = "\x00tag\x00", "\x00version\x00"
	msg, err := cutMessage(text, &CutPlan{Version: ver, Tag: tag})
	if err != nil {
		return nil, err
	}
	q := regexp.QuoteMeta(cutFirstLine(msg))
	if !strings.Contains(q, tag) && !strings.Contains(q, ver) {
		return nil, fmt.Errorf("%w: release.commit-message %q must name {{.Tag}} or {{.Version}} in its first line", ErrCutRefused, text)
	}
	q = strings.Replace(q, tag, `(?P<tag>\S+)`, 1)
	q = strings.Replace(q, ver, `(?P<version>\S+)`, 1)
	q = strings.NewReplacer(tag, `\S+`, ver, `\S+`).Replace(q)
	return regexp.Compile("^" + q + "$")
}

// checkChangelogFile refuses a changelog path that leaves the work tree
// or enters .git/, by its name or through a symbolic link (D1, D4): a
// *config.Error at changelog.file when the configuration named it.
func (c *cutter) checkChangelogFile(p *CutPlan) error {
	clean, err := repofs.Clean(p.ChangelogFile)
	if err == nil {
		_, err = repofs.Resolve(c.repo.Dir(), clean)
	}
	switch {
	case err == nil:
		p.ChangelogFile = clean
		return nil
	case !repofs.IsRefused(err):
		return err
	case c.pkg != nil:
		return pkgChangelogRefused(c.pkg.pkg, err)
	case c.opts.Changelog.File != "":
		return c.opts.Changelog.KeyError("file", "%v", err)
	default:
		return fmt.Errorf("%w: changelog file: %v", ErrCutRefused, err)
	}
}

// checkBehind refuses a release whose commit rc (HEAD, or the release
// commit found one ahead) lacks commits of the remote branch's tip: the
// push would be rejected. resumed says rc is a previous run's release
// commit, which must then be dropped before pulling. A dry run warns.
func (c *cutter) checkBehind(ctx context.Context, p *CutPlan, tip string, rc *git.Commit, resumed bool) error {
	if tip == "" || tip == rc.Hash {
		return nil
	}
	_, err := c.repo.Run(ctx, "merge-base", "--is-ancestor", tip, rc.Hash)
	var ge *git.Error
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &ge) || ge.ExitCode != 1:
		return fmt.Errorf("comparing %s with %s/%s: %w", p.Branch, p.Remote, p.Branch, err)
	}
	msg := fmt.Sprintf("%s is behind %s/%s (at %s), which has commits %s lacks: pull, then run again", p.Branch, p.Remote, p.Branch, cutShort(tip), cutShort(rc.Hash))
	if resumed {
		// Pushed already, and others pushed on top: nothing is behind.
		if c.isAncestor(ctx, rc.Hash, tip) {
			return nil
		}
		tag := c.releaseTag(rc)
		msg = fmt.Sprintf("%s is behind %s/%s (at %s), which has commits that the unpushed release commit %s of %s lacks: drop that commit and its tag (git reset --hard %s; git tag -d %s), pull, then run again", p.Branch, p.Remote, p.Branch, cutShort(tip), cutShort(rc.Hash), tag, cutShort(rc.Parents[0]), tag)
	}
	if p.DryRun {
		p.Warnings = append(p.Warnings, msg+"; a real release stops here")
		return nil
	}
	return fmt.Errorf("%w: %s", ErrCutRefused, msg)
}

// dirtyFiles lists the work tree's uncommitted changes. A temporary file
// that a killed atomic write left (cutIsStaleTemp) is not a change: it is
// removed and the plan says so (D5: after a SIGKILL mid-write,
// ".CHANGELOG.md.4242.tmp" refused every re-run until deleted by hand).
// A dry run changes nothing: it only warns.
func (c *cutter) dirtyFiles(ctx context.Context, p *CutPlan) ([]string, error) {
	out, err := c.repo.Run(ctx, "status", "--porcelain", "-z", "--untracked-files=all")
	if err != nil {
		return nil, fmt.Errorf("checking for a clean work tree: %w", err)
	}
	var files []string
	for _, e := range strings.Split(string(out), "\x00") {
		if len(e) <= 3 {
			continue
		}
		name := e[3:]
		if e[:2] != "??" || !cutIsStaleTemp(name, p.ChangelogFile) {
			files = append(files, name)
			continue
		}
		if p.DryRun {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s is a temporary file that an interrupted run left; the release removes it", name))
			continue
		}
		if err := c.removeFile(name); err != nil {
			return nil, fmt.Errorf("removing %s, a temporary file that an interrupted run left: %w", name, err)
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("removed %s, a temporary file that an interrupted run left", name))
	}
	return files, nil
}

// cutMessage renders release.commit-message, a template from the
// repository. It is data, not a program: no FuncMap, and the data is two
// strings (no method or func value for `call`), so it cannot read a file
// or the environment; its output is capped, as `{{range 1000000000}}`
// would otherwise write gigabytes.
func cutMessage(text string, p *CutPlan) (string, error) {
	t, err := template.New("commit-message").Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("%w: release.commit-message %q: %v", ErrCutRefused, text, err)
	}
	msg, err := tmplexec.Execute(t, struct{ Version, Tag string }{p.Version, p.Tag}, cutMaxMessage, tmplexec.DefaultMaxSteps)
	if err != nil {
		return "", fmt.Errorf("%w: release.commit-message %q: %v", ErrCutRefused, text, err)
	}
	return msg, nil
}

// cutMaxMessage caps a rendered commit message: git takes more, no one
// writes more.
const cutMaxMessage = 64 << 10

// cutOnlyChangelogStep reports whether every dirty file is one the
// changelog step writes and already holds p.Version: the changelog with
// the version's section, a version file whose value is the version.
func cutOnlyChangelogStep(c *cutter, p *CutPlan, dirty []string) bool {
	ok := map[string]bool{}
	if doc, _ := c.readChangelog(p); changelog.HasVersion(doc, p.Version) {
		ok[filepath.ToSlash(p.ChangelogFile)] = true
	}
	if p.Next != nil {
		for _, f := range p.Next.VersionFiles {
			if strings.TrimPrefix(f.Value, "v") == p.Version {
				ok[f.Path] = true
			}
		}
	}
	for _, d := range dirty {
		if !ok[d] {
			return false
		}
	}
	return true
}
