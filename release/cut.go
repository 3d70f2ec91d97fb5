package release

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/shipflow/shipflow/internal/atomicfile"
	"github.com/shipflow/shipflow/internal/redact"
	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/internal/tmplexec"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
)

// DefaultCutCommitMessage is the release commit's message template.
const DefaultCutCommitMessage = "chore(release): {{.Tag}} [skip ci]"

// CutOptions are the inputs of Cut.
type CutOptions struct {
	// Config is `.shipflow.yaml`'s release section (branch, remote,
	// floating major tag, draft, commit message).
	Config config.Release
	// Plan are the options of the version plan (rules, tag prefix, --major).
	Plan PlanOptions
	// Changelog is `.shipflow.yaml`'s changelog section (file, marker,
	// preset, sections, template, links): the section is rendered by the
	// same operation as `shipflow changelog`, so both write the same text.
	// Links default to the GitHub repository being released.
	Changelog config.Changelog
	// GitHub is the client releases are made with. It may be nil for a dry run.
	GitHub *github.Client
	// Owner and Repo name the GitHub repository. The default is read from
	// the remote's URL.
	Owner, Repo string
	// WebURL is the GitHub web root for changelog links when the remote's
	// URL does not name one (a local path). The default is
	// "https://github.com".
	WebURL string
	// APIURL is the REST API that GitHub talks to, shown in the plan
	// (ResolveAPIURL picks it). The default is github.DefaultBaseURL.
	APIURL string
	// Redactor replaces secrets in the release notes before they are
	// written to the changelog, committed, pushed and published. The
	// default (nil) replaces GitHub token shapes; callers pass one that
	// also knows the environment's secrets.
	Redactor *redact.Redactor
	// DryRun plans and checks without changing anything: the mutating steps
	// are skipped with the reason "dry run", and no token is needed.
	DryRun bool
	// Now is the release date's clock. The default is time.Now.
	Now func() time.Time
}

// CutPlan is what the steps of a release share: decided by the preflight
// step, completed by later steps.
type CutPlan struct {
	Version     string `json:"version"`      // "1.2.0"
	Tag         string `json:"tag"`          // "v1.2.0"
	PreviousTag string `json:"previous_tag"` // "v1.1.0", "" for the first release
	Branch      string `json:"branch"`
	Remote      string `json:"remote"`
	Owner       string `json:"owner"`
	Repo        string `json:"repo"`
	// APIURL is the GitHub REST API the release goes to.
	APIURL string `json:"api_url"`
	// Base is the commit the release is cut from: HEAD before the release
	// commit.
	Base string `json:"base"`
	// ReleaseCommit is the release commit once made (or found at HEAD on a
	// re-run).
	ReleaseCommit string `json:"release_commit,omitempty"`
	// ChangelogFile is the changelog's path relative to the repository.
	ChangelogFile string `json:"changelog_file"`
	// Notes is the version's changelog section, the release notes.
	Notes         string `json:"notes"`
	CommitMessage string `json:"commit_message"`
	// FloatingTag is the major tag to move ("v1"); "" when disabled.
	FloatingTag string `json:"floating_tag,omitempty"`
	Draft       bool   `json:"draft"`
	DryRun      bool   `json:"dry_run"`
	// Resumed is true when a previous run's release commit was found at HEAD.
	Resumed bool `json:"resumed"`
	// ReleaseURL is the GitHub release's page once it exists.
	ReleaseURL string   `json:"release_url,omitempty"`
	Warnings   []string `json:"warnings"`
	// Next is the version plan a fresh release was decided by: every
	// commit since PreviousTag with its bump and reason. It is nil when a
	// previous run's release commit was resumed.
	Next *PlanReport `json:"-"`

	release *github.Release // found or made by the github-release step
}

// Step is one step of cutting a release. Skip returns why the step has
// nothing to do ("dry run", "tag v1.2.0 already pushed"), or "" to run it.
type Step interface {
	String() string
	Skip(ctx context.Context, p *CutPlan) string
	Run(ctx context.Context, p *CutPlan) error
}

// StepResult is what one step did.
type StepResult struct {
	Step string `json:"step"`
	// Skipped is the skip reason; "" when the step ran.
	Skipped string `json:"skipped,omitempty"`
	// Error is the step's failure; "" when it ran fine or was skipped.
	Error string `json:"error,omitempty"`
}

// CutReport is the outcome of Cut.
type CutReport struct {
	// Plan is nil when there was nothing to release.
	Plan  *CutPlan     `json:"plan"`
	Steps []StepResult `json:"steps"`
	// Nothing says why there is nothing to release; "" otherwise.
	Nothing string `json:"nothing,omitempty"`
}

// CutError is a step that failed; re-running Cut resumes from it.
type CutError struct {
	Step string
	Err  error
}

func (e *CutError) Error() string { return fmt.Sprintf("cutting release: %s: %v", e.Step, e.Err) }
func (e *CutError) Unwrap() error { return e.Err }

// ErrCutRefused wraps preflight findings: the repository is not in a state
// to release from (wrong branch, dirty tree, tag elsewhere, no permission).
var ErrCutRefused = errors.New("release refused")

// cutter holds what the steps need besides the plan.
type cutter struct {
	repo *git.Repo
	gh   *github.Client
	opts CutOptions
	// nothing is set by preflight when there is nothing to release.
	nothing string
	// prefix is the tag prefix; releaseRE matches release commit headers.
	prefix    string
	releaseRE *regexp.Regexp
}

// Cut releases the next version of repo from its release branch: preflight
// (branch, clean tree, full history, tag, token) → CHANGELOG.md → release
// commit → annotated tag → atomic push of branch and tag → GitHub release
// (draft, notes, publish) → floating major tag. A failed step is a
// *CutError; running Cut again resumes: each step skips what is already
// done, so the end state is the same as after an uninterrupted run.
func Cut(ctx context.Context, repo *git.Repo, opts CutOptions) (*CutReport, error) {
	c := &cutter{repo: repo, gh: opts.GitHub, opts: opts}
	return c.run(ctx, c.steps())
}

func (c *cutter) steps() []Step {
	return []Step{
		cutPreflight{c},
		cutMutating{cutChangelog{c}},
		cutMutating{cutCommit{c}},
		cutMutating{cutTag{c}},
		cutMutating{cutPush{c}},
		cutMutating{cutGitHubRelease{c}},
		cutMutating{cutFloatingTag{c}},
	}
}

func (c *cutter) run(ctx context.Context, steps []Step) (*CutReport, error) {
	p := &CutPlan{DryRun: c.opts.DryRun}
	rep := &CutReport{Plan: p}
	for _, s := range steps {
		res := StepResult{Step: s.String()}
		if res.Skipped = s.Skip(ctx, p); res.Skipped == "" {
			if err := s.Run(ctx, p); err != nil {
				res.Error = err.Error()
				rep.Steps = append(rep.Steps, res)
				return rep, &CutError{Step: s.String(), Err: err}
			}
		}
		rep.Steps = append(rep.Steps, res)
		if c.nothing != "" {
			rep.Plan, rep.Nothing = nil, c.nothing
			return rep, nil
		}
	}
	return rep, nil
}

// cutMutating skips a step that changes something in a dry run, so that no
// step has to check for one.
type cutMutating struct{ Step }

func (m cutMutating) Skip(ctx context.Context, p *CutPlan) string {
	if p.DryRun {
		// Steps whose skip check is local (a file, a commit, a tag) say
		// what is already done, so a dry run of a half-finished release
		// shows what a re-run would still do; the others would need the
		// network or a token.
		if _, local := m.Step.(cutLocalSkip); local {
			if why := m.Step.Skip(ctx, p); why != "" {
				return why
			}
		}
		return "dry run"
	}
	return m.Step.Skip(ctx, p)
}

// cutLocalSkip marks steps whose Skip reads only the work tree and the
// local repository.
type cutLocalSkip interface{ localSkip() }

func (cutChangelog) localSkip() {}
func (cutCommit) localSkip()    {}
func (cutTag) localSkip()       {}

// --- preflight ---

type cutPreflight struct{ c *cutter }

func (cutPreflight) String() string                        { return "preflight" }
func (cutPreflight) Skip(context.Context, *CutPlan) string { return "" }

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

func (s cutPreflight) Run(ctx context.Context, p *CutPlan) error {
	c := s.c
	o := c.opts
	refuse := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrCutRefused, fmt.Sprintf(format, a...))
	}
	p.Branch = cutOr(o.Config.Branch, "main")
	p.Remote = cutOr(o.Config.Remote, "origin")
	p.ChangelogFile = cutOr(o.Changelog.File, "CHANGELOG.md")
	if err := c.checkChangelogFile(p); err != nil {
		return err
	}
	p.Draft = o.Config.Draft
	p.APIURL = cutOr(o.APIURL, github.DefaultBaseURL)
	var err error
	if _, c.prefix, err = PlanRules(o.Plan.Config); err != nil {
		return err
	}
	if o.Plan.TagPrefix != nil {
		c.prefix = *o.Plan.TagPrefix
	}
	if c.releaseRE, err = cutReleaseRE(cutOr(o.Config.CommitMessage, DefaultCutCommitMessage)); err != nil {
		return err
	}

	branch, err := c.repo.CurrentBranch(ctx)
	if err != nil {
		return err
	}
	if branch != p.Branch {
		if branch == "" {
			branch = "a detached HEAD"
		} else {
			branch = fmt.Sprintf("branch %q", branch)
		}
		return refuse("releases are cut from branch %q, but %s is checked out (release.branch in %s)", p.Branch, branch, config.FileName)
	}
	if err := c.repo.CheckFullHistory(ctx); err != nil {
		return err
	}
	if p.Owner, p.Repo, err = c.githubRepo(ctx, p.Remote); err != nil {
		if !p.DryRun {
			return err
		}
		// A plan is still worth showing from a clone without a GitHub
		// remote; the real run stops here.
		p.Warnings = append(p.Warnings, fmt.Sprintf("no GitHub repository: %v; a real release stops here", cutTrimRefused(err)))
	}

	// A re-run finds the previous run's release commit at HEAD, or, when
	// it checked out the commit the release was cut from (GitHub Actions
	// re-runs a workflow at its original sha), one commit ahead on the
	// remote branch.
	head, err := c.commitAt(ctx, "HEAD")
	if err != nil {
		return err
	}
	tip, err := c.remoteTip(ctx, p)
	if err != nil {
		return err
	}
	rc, tag := head, c.releaseTag(head)
	if tag == "" {
		if ahead, err := c.releaseAhead(ctx, tip, head); err != nil {
			return err
		} else if ahead != nil {
			rc, tag = ahead, c.releaseTag(ahead)
			p.Warnings = append(p.Warnings, fmt.Sprintf("HEAD %s is where release commit %s on %q was cut from (a re-run?): continuing that release", cutShort(head.Hash), cutShort(ahead.Hash), p.Remote))
		}
	}
	// The atomic push would be rejected after the release commit and tag
	// are made, and a re-run would be rejected the same way: refuse while
	// the remote branch has commits that the release does not build on.
	if err := c.checkBehind(ctx, p, tip, rc, tag != ""); err != nil {
		return err
	}
	if tag != "" {
		if err := c.resume(ctx, p, rc, tag); err != nil {
			return err
		}
	} else if err := c.plan(ctx, p); err != nil || c.nothing != "" {
		return err
	}

	// The tag, here or on the remote, must be ours or not exist yet.
	local, err := c.repo.TagCommit(ctx, p.Tag)
	if err != nil {
		return err
	}
	if local != "" && local != p.ReleaseCommit {
		return refuse("tag %s already exists at %s, which is not this release's commit; if that release is good, there is nothing to do; otherwise delete the tag (git tag -d %s) and run again", p.Tag, cutShort(local), p.Tag)
	}
	remote, err := c.remoteRefs(ctx, p.Remote, "refs/tags/"+p.Tag)
	if err != nil && p.DryRun {
		p.Warnings = append(p.Warnings, fmt.Sprintf("tag %s not checked on the remote: %v", p.Tag, err))
	} else if err != nil {
		return err
	}
	if sha := remote["refs/tags/"+p.Tag]; sha != "" && (p.ReleaseCommit == "" || sha != p.ReleaseCommit) {
		return refuse("tag %s already exists on %q at %s, which is not this release's commit: fetch the tags (git fetch --tags %s) and check whether this version was already released from another commit", p.Tag, p.Remote, cutShort(sha), p.Remote)
	}

	if err := c.checkGoModule(p); err != nil {
		return err
	}
	if o.Config.FloatingMajorTag {
		// v0 floats too: Actions users pin `@v0` while a tool is on 0.x.
		// Prereleases never move a floating tag.
		v := semver.MustParse(p.Version)
		if v.Prerelease() == "" {
			p.FloatingTag = strings.TrimSuffix(p.Tag, p.Version) + fmt.Sprint(v.Major())
		}
	}
	msg, err := cutMessage(cutOr(o.Config.CommitMessage, DefaultCutCommitMessage), p)
	if err != nil {
		return err
	}
	p.CommitMessage = msg

	if p.DryRun {
		return nil
	}
	if c.gh == nil {
		return refuse("no GitHub token: set GITHUB_TOKEN (or use --dry-run)")
	}
	perms, err := c.gh.Permissions(ctx, p.Owner, p.Repo)
	if err != nil {
		if github.IsForbidden(err) || github.IsNotFound(err) {
			return refuse("the token cannot read %s/%s: %v", p.Owner, p.Repo, err)
		}
		return err
	}
	switch {
	case !perms.Known:
		p.Warnings = append(p.Warnings, fmt.Sprintf("GitHub does not tell this token's permissions in %s/%s (an app or Actions token): make sure it has contents: write", p.Owner, p.Repo))
	case !perms.CanPush():
		return refuse("the token may not push to %s/%s or write its releases (it needs contents: write, or the repo scope)", p.Owner, p.Repo)
	}
	if head.Hash != p.ReleaseCommit && p.ReleaseCommit != "" {
		if _, err := c.repo.Run(ctx, "merge", "--quiet", "--ff-only", p.ReleaseCommit); err != nil {
			return fmt.Errorf("fast-forwarding to release commit %s: %w", cutShort(p.ReleaseCommit), err)
		}
	}
	return nil
}

// commitAt reads one commit.
func (c *cutter) commitAt(ctx context.Context, rev string) (*git.Commit, error) {
	for cm, err := range c.repo.Log(ctx, git.LogOptions{Revs: []string{rev}, Max: 1}) {
		if err != nil {
			return nil, err
		}
		return cm, nil
	}
	return nil, fmt.Errorf("%w: no commit at %s", ErrCutRefused, rev)
}

// releaseTag returns the tag a release commit names, or "" for any other
// commit.
func (c *cutter) releaseTag(cm *git.Commit) string {
	if len(cm.Parents) != 1 {
		return ""
	}
	m := c.releaseRE.FindStringSubmatch(cutFirstLine(cm.Message))
	if m == nil {
		return ""
	}
	if i := c.releaseRE.SubexpIndex("tag"); i > 0 && m[i] != "" {
		return m[i]
	}
	return c.prefix + m[c.releaseRE.SubexpIndex("version")]
}

// remoteTip returns the remote release branch's tip, fetched when it is
// not here yet; "" when the remote has no such branch, or when it cannot be
// read in a dry run (the remote tag check reports that).
func (c *cutter) remoteTip(ctx context.Context, p *CutPlan) (string, error) {
	ref := "refs/heads/" + p.Branch
	refs, err := c.remoteRefs(ctx, p.Remote, ref)
	if err != nil && p.DryRun {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	tip := refs[ref]
	if tip == "" {
		return "", nil
	}
	if _, err := c.repo.Run(ctx, "cat-file", "-e", tip+"^{commit}"); err != nil {
		if _, err := c.repo.Run(ctx, "fetch", "--quiet", "--no-tags", p.Remote, ref); err != nil {
			return "", fmt.Errorf("fetching %s from %q: %w", p.Branch, p.Remote, err)
		}
	}
	return tip, nil
}

// releaseAhead returns the remote branch's tip when it is a release commit
// whose parent is head; nil otherwise.
func (c *cutter) releaseAhead(ctx context.Context, tip string, head *git.Commit) (*git.Commit, error) {
	if tip == "" || tip == head.Hash {
		return nil, nil
	}
	cm, err := c.commitAt(ctx, tip)
	if err != nil {
		return nil, err
	}
	if c.releaseTag(cm) == "" || cm.Parents[0] != head.Hash {
		return nil, nil
	}
	return cm, nil
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

// isAncestor reports whether commit a is an ancestor of (or is) b; false
// when git cannot tell (b not fetched).
func (c *cutter) isAncestor(ctx context.Context, a, b string) bool {
	_, err := c.repo.Run(ctx, "merge-base", "--is-ancestor", a, b)
	return err == nil
}

// plan decides a fresh release from the commits since the last tag.
func (c *cutter) plan(ctx context.Context, p *CutPlan) error {
	o := c.opts
	po := o.Plan
	po.Branch = p.Branch
	po.NoFetch = true
	pr, err := Plan(ctx, c.repo, po)
	if err != nil {
		return err
	}
	p.Warnings = append(p.Warnings, pr.Warnings...)
	p.Next = pr
	if pr.Next == nil || pr.NextTag == "" {
		c.nothing = fmt.Sprintf("nothing to release: no releasable commit since %s", cutOr(pr.PreviousTag, "the first commit"))
		return nil
	}
	p.Version, p.Tag, p.PreviousTag, p.Base = pr.Next.String(), pr.NextTag, pr.PreviousTag, pr.Head
	p.ReleaseCommit = ""

	// The tree must be clean, except for a changelog a previous run wrote
	// for this very version before failing to commit it.
	dirty, err := c.dirtyFiles(ctx, p)
	if err != nil {
		return err
	}
	if len(dirty) > 0 {
		doc, _ := c.readChangelog(p)
		if len(dirty) != 1 || dirty[0] != filepath.ToSlash(p.ChangelogFile) || !changelog.HasVersion(doc, p.Version) {
			err := fmt.Errorf("%w: the work tree has uncommitted changes (%s): commit or stash them first", ErrCutRefused, cutList(dirty, 10))
			if !p.DryRun {
				return err
			}
			p.Warnings = append(p.Warnings, cutTrimRefused(err))
		}
	}

	// The notes are what `shipflow changelog` would write: same dedupe,
	// preset, template and links.
	cc := o.Changelog
	if cc.RepositoryURL == "" && p.Owner != "" {
		cc.RepositoryURL = c.webRepo(ctx, p).URL()
	}
	crep, err := Changelog(ctx, c.repo, ChangelogOptions{Config: cc, Plan: po, File: p.ChangelogFile, Version: p.Version, DryRun: true, Now: o.Now, Redactor: o.Redactor})
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

// resume picks up the release whose commit is head (HEAD, or one ahead).
func (c *cutter) resume(ctx context.Context, p *CutPlan, head *git.Commit, tag string) error {
	prefix := c.prefix
	v, err := semver.StrictNewVersion(strings.TrimPrefix(tag, prefix))
	if err != nil || !strings.HasPrefix(tag, prefix) {
		return fmt.Errorf("%w: %s is a release commit for %q, which is not %q followed by a version", ErrCutRefused, cutShort(head.Hash), tag, prefix)
	}
	dirty, err := c.dirtyFiles(ctx, p)
	if err != nil {
		return err
	}
	if len(dirty) > 0 {
		err := fmt.Errorf("%w: the work tree has uncommitted changes (%s): commit or stash them first", ErrCutRefused, cutList(dirty, 10))
		if !p.DryRun {
			return err
		}
		p.Warnings = append(p.Warnings, cutTrimRefused(err))
	}
	if err := planCheckTag(ctx, c.repo, tag, prefix); err != nil {
		return err
	}
	p.Resumed = true
	p.Version, p.Tag, p.Base, p.ReleaseCommit = v.String(), tag, head.Parents[0], head.Hash
	reachable, err := c.repo.Tags(ctx, p.Base)
	if err != nil {
		return err
	}
	p.PreviousTag = cutLatestTag(reachable, prefix)
	doc, err := c.repo.Run(ctx, "show", head.Hash+":"+filepath.ToSlash(p.ChangelogFile))
	if err != nil || !changelog.HasVersion(doc, p.Version) {
		return fmt.Errorf("%w: %s is the release commit of %s but its %s has no section for it", ErrCutRefused, cutShort(head.Hash), tag, p.ChangelogFile)
	}
	p.Notes = c.opts.Redactor.String(cutSection(doc, p.Version))
	return nil
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

// cutIsStaleTemp reports whether name, an untracked file, is a temporary
// file of package atomicfile: any with its ".shipflow-" marker, and one of
// the changelog's in shipflow 0.1's pattern (".CHANGELOG.md.4242.tmp"),
// which a user's file could share, so it counts only beside the changelog.
func cutIsStaleTemp(name, changelogFile string) bool {
	if !atomicfile.IsTemp(name) {
		return false
	}
	dir, base := path.Split(name)
	cdir, cbase := path.Split(changelogFile)
	return strings.Contains(base, ".shipflow-") || dir == cdir && strings.HasPrefix(base, "."+cbase+".")
}

// removeFile removes name, relative to the work tree, without following a
// link out of it.
func (c *cutter) removeFile(name string) error {
	r, err := os.OpenRoot(c.repo.Dir())
	if err != nil {
		return err
	}
	defer r.Close()
	return r.Remove(filepath.FromSlash(name))
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
	case c.opts.Changelog.File != "":
		return c.opts.Changelog.KeyError("file", "%v", err)
	default:
		return fmt.Errorf("%w: changelog file: %v", ErrCutRefused, err)
	}
}

// readChangelog reads the changelog through package repofs.
func (c *cutter) readChangelog(p *CutPlan) ([]byte, error) {
	return repofs.ReadFile(c.repo.Dir(), p.ChangelogFile, notesMaxChangelog)
}

// cutList joins names, naming at most n of them.
func cutList(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// cutTrimRefused drops ErrCutRefused's text from err's message.
func cutTrimRefused(err error) string {
	return strings.TrimPrefix(err.Error(), ErrCutRefused.Error()+": ")
}

// githubRepo returns the GitHub owner and name, from the options or the
// remote's URL.
func (c *cutter) githubRepo(ctx context.Context, remote string) (string, string, error) {
	if c.opts.Owner != "" && c.opts.Repo != "" {
		return c.opts.Owner, c.opts.Repo, nil
	}
	u, err := c.repo.RemoteURL(ctx, remote)
	if err != nil {
		return "", "", fmt.Errorf("%w (pass --repo OWNER/NAME)", err)
	}
	r, err := changelog.ParseRepositoryURL(u)
	if err != nil {
		return "", "", fmt.Errorf("%w: cannot tell the GitHub repository from remote %q: %v (pass --repo OWNER/NAME)", ErrCutRefused, remote, err)
	}
	// GitLab's subgroups (gitlab.com/group/sub/r) have no GitHub
	// counterpart: GitHub repositories are OWNER/NAME.
	if strings.Contains(r.Owner, "/") {
		return "", "", fmt.Errorf("%w: remote %q names %s/%s, which is not a GitHub repository (OWNER/NAME) (pass --repo OWNER/NAME)", ErrCutRefused, remote, r.Owner, r.Name)
	}
	return r.Owner, r.Name, nil
}

// webRepo is where changelog links point.
func (c *cutter) webRepo(ctx context.Context, p *CutPlan) changelog.Repository {
	if u, err := c.repo.RemoteURL(ctx, p.Remote); err == nil {
		if r, err := changelog.ParseRepositoryURL(u); err == nil && r.Owner == p.Owner && r.Name == p.Repo {
			return r
		}
	}
	return changelog.Repository{Host: strings.TrimSuffix(cutOr(c.opts.WebURL, "https://github.com"), "/"), Owner: p.Owner, Name: p.Repo}
}

// remoteRefs lists refs (and their peeled commits) on the remote.
func (c *cutter) remoteRefs(ctx context.Context, remote string, refs ...string) (map[string]string, error) {
	if strings.HasPrefix(remote, "-") {
		return nil, fmt.Errorf("remote %q is not a remote name", remote)
	}
	args := []string{"ls-remote", remote}
	for _, r := range refs {
		// A pattern matches the tag object only; ask for its commit too.
		args = append(args, r)
		if strings.HasPrefix(r, "refs/tags/") {
			args = append(args, r+"^{}")
		}
	}
	out, err := c.repo.Run(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("reading refs of remote %q: %w", remote, err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		sha, ref, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		// An annotated tag lists the tag object and then, with ^{}, its commit.
		if base, peeled := strings.CutSuffix(ref, "^{}"); peeled {
			m[base] = sha
		} else if _, seen := m[ref]; !seen {
			m[ref] = sha
		}
	}
	return m, nil
}

// checkGoModule refuses a v2+ release of a Go module whose path lacks /vN
// (go.dev/ref/mod#major-version-suffixes).
func (c *cutter) checkGoModule(p *CutPlan) error {
	data, err := os.ReadFile(filepath.Join(c.repo.Dir(), "go.mod"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading go.mod: %w", err)
	}
	v := semver.MustParse(p.Version)
	if v.Major() < 2 {
		return nil
	}
	mod := ""
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			mod = strings.Trim(f[1], `"`)
			break
		}
	}
	if want := fmt.Sprintf("/v%d", v.Major()); !strings.HasSuffix(mod, want) {
		return fmt.Errorf("%w: %s is a major version of Go module %q, whose path must then end in %q (go.mod:1); change the module path to %s%s or release a lower version", ErrCutRefused, p.Tag, mod, want, strings.TrimSuffix(mod, fmt.Sprintf("/v%d", v.Major()-1)), want)
	}
	return nil
}

// --- changelog ---

type cutChangelog struct{ c *cutter }

func (cutChangelog) String() string { return "changelog" }

func (s cutChangelog) Skip(_ context.Context, p *CutPlan) string {
	doc, err := s.c.readChangelog(p)
	if err == nil && changelog.HasVersion(doc, p.Version) {
		return fmt.Sprintf("%s already has %s", p.ChangelogFile, p.Version)
	}
	return ""
}

func (s cutChangelog) Run(_ context.Context, p *CutPlan) error {
	doc, err := s.c.readChangelog(p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", p.ChangelogFile, err)
	}
	out, _ := changelog.Insert(doc, p.Version, p.Notes, cutOr(s.c.opts.Changelog.Marker, changelog.DefaultMarker))
	return repofs.WriteFileHooked(s.c.repo.Dir(), p.ChangelogFile, out, 0o644, cutWriteHook)
}

// cutWriteHook, when set by tests, runs inside the changelog step's atomic
// write, after the data is in the temporary file and before the rename:
// the SIGKILL test blocks there.
var cutWriteHook func(*os.File) error

// --- commit ---

type cutCommit struct{ c *cutter }

func (cutCommit) String() string { return "commit" }

func (cutCommit) Skip(_ context.Context, p *CutPlan) string {
	if p.ReleaseCommit != "" {
		return fmt.Sprintf("release commit %s already at HEAD", cutShort(p.ReleaseCommit))
	}
	return ""
}

func (s cutCommit) Run(ctx context.Context, p *CutPlan) error {
	r := s.c.repo
	if _, err := r.Run(ctx, "add", "--", p.ChangelogFile); err != nil {
		return fmt.Errorf("staging %s: %w", p.ChangelogFile, err)
	}
	// --allow-empty: a changelog already holding the section still gets its
	// release commit, which is what a re-run recognises.
	if _, err := r.Run(ctx, "commit", "--quiet", "--allow-empty", "-m", p.CommitMessage); err != nil {
		return fmt.Errorf("committing %s: %w", p.Tag, err)
	}
	sha, err := r.ResolveCommit(ctx, "HEAD")
	if err != nil {
		return err
	}
	p.ReleaseCommit = sha
	return nil
}

// --- tag ---

type cutTag struct{ c *cutter }

func (cutTag) String() string { return "tag" }

func (s cutTag) Skip(ctx context.Context, p *CutPlan) string {
	if sha, err := s.c.repo.TagCommit(ctx, p.Tag); err == nil && sha != "" && sha == p.ReleaseCommit {
		return fmt.Sprintf("tag %s already at %s", p.Tag, cutShort(sha))
	}
	return ""
}

func (s cutTag) Run(ctx context.Context, p *CutPlan) error {
	// A clone without the tags of a release already pushed takes the
	// remote's tag rather than making a second, different tag object.
	ref := "refs/tags/" + p.Tag
	if refs, err := s.c.remoteRefs(ctx, p.Remote, ref); err == nil && refs[ref] == p.ReleaseCommit {
		if _, err := s.c.repo.Run(ctx, "fetch", "--quiet", "--no-tags", p.Remote, ref+":"+ref); err != nil {
			return fmt.Errorf("fetching tag %s from %q: %w", p.Tag, p.Remote, err)
		}
		return nil
	}
	if _, err := s.c.repo.Run(ctx, "tag", "--annotate", "--message", "Release "+p.Tag, "--", p.Tag, p.ReleaseCommit); err != nil {
		return fmt.Errorf("tagging %s: %w", p.Tag, err)
	}
	return nil
}

// --- push ---

type cutPush struct{ c *cutter }

func (cutPush) String() string { return "push" }

func (s cutPush) Skip(ctx context.Context, p *CutPlan) string {
	refs, err := s.c.remoteRefs(ctx, p.Remote, "refs/heads/"+p.Branch, "refs/tags/"+p.Tag)
	if err != nil || refs["refs/tags/"+p.Tag] != p.ReleaseCommit {
		return ""
	}
	// Others may have pushed on top of the release commit since.
	if tip := refs["refs/heads/"+p.Branch]; tip == p.ReleaseCommit || (tip != "" && s.c.isAncestor(ctx, p.ReleaseCommit, tip)) {
		return fmt.Sprintf("%s and %s already on %q", p.Branch, p.Tag, p.Remote)
	}
	return ""
}

func (s cutPush) Run(ctx context.Context, p *CutPlan) error {
	// Atomic: the remote gets both the branch and the tag, or neither.
	if _, err := s.c.repo.Run(ctx, "push", "--quiet", "--atomic", "--", p.Remote,
		"refs/heads/"+p.Branch+":refs/heads/"+p.Branch, "refs/tags/"+p.Tag+":refs/tags/"+p.Tag); err != nil {
		return fmt.Errorf("pushing %s and %s to %q: %w", p.Branch, p.Tag, p.Remote, err)
	}
	return nil
}

// --- GitHub release ---

type cutGitHubRelease struct{ c *cutter }

func (cutGitHubRelease) String() string { return "github-release" }

func (s cutGitHubRelease) Skip(ctx context.Context, p *CutPlan) string {
	rel, err := s.c.gh.ReleaseByTag(ctx, p.Owner, p.Repo, p.Tag)
	if err != nil || rel == nil {
		return "" // Run looks again and reports the error
	}
	p.release, p.ReleaseURL = rel, rel.HTMLURL
	if rel.Body == p.Notes && rel.Draft == p.Draft {
		state := "published"
		if rel.Draft {
			state = "a draft"
		}
		return fmt.Sprintf("release %s already %s with these notes", p.Tag, state)
	}
	return ""
}

func (s cutGitHubRelease) Run(ctx context.Context, p *CutPlan) error {
	gh := s.c.gh
	rel := p.release
	if rel == nil {
		var err error
		if rel, err = gh.ReleaseByTag(ctx, p.Owner, p.Repo, p.Tag); err != nil {
			return err
		}
	}
	var err error
	switch {
	case rel == nil:
		// A draft first, published once the notes are in: watchers see one
		// complete release, and a failure leaves only a draft behind.
		rel, err = gh.CreateRelease(ctx, p.Owner, p.Repo, github.NewRelease{Tag: p.Tag, Target: p.ReleaseCommit, Name: p.Tag, Body: p.Notes, Draft: true})
	case rel.Body != p.Notes:
		rel, err = gh.UpdateReleaseNotes(ctx, p.Owner, p.Repo, rel.ID, p.Tag, p.Notes)
	}
	if err != nil {
		return err
	}
	if rel.Draft && !p.Draft {
		if rel, err = gh.PublishRelease(ctx, p.Owner, p.Repo, rel.ID); err != nil {
			return err
		}
	}
	p.release, p.ReleaseURL = rel, rel.HTMLURL
	return nil
}

// --- floating major tag ---

type cutFloatingTag struct{ c *cutter }

func (cutFloatingTag) String() string { return "floating-tag" }

func (s cutFloatingTag) Skip(ctx context.Context, p *CutPlan) string {
	if p.FloatingTag == "" {
		if s.c.opts.Config.FloatingMajorTag {
			return fmt.Sprintf("%s is a prerelease version", p.Tag)
		}
		return "floating major tag disabled (release.floating-major-tag)"
	}
	refs, err := s.c.remoteRefs(ctx, p.Remote, "refs/tags/"+p.FloatingTag)
	local, lerr := s.c.repo.TagCommit(ctx, p.FloatingTag)
	if err == nil && lerr == nil && local == p.ReleaseCommit && refs["refs/tags/"+p.FloatingTag] == p.ReleaseCommit {
		return fmt.Sprintf("%s already at %s on %q", p.FloatingTag, p.Tag, p.Remote)
	}
	return ""
}

func (s cutFloatingTag) Run(ctx context.Context, p *CutPlan) error {
	r := s.c.repo
	if _, err := r.Run(ctx, "tag", "--force", "--annotate", "--message", p.FloatingTag+" → "+p.Tag, "--", p.FloatingTag, p.ReleaseCommit); err != nil {
		return fmt.Errorf("moving tag %s: %w", p.FloatingTag, err)
	}
	if _, err := r.Run(ctx, "push", "--quiet", "--force", "--", p.Remote, "refs/tags/"+p.FloatingTag+":refs/tags/"+p.FloatingTag); err != nil {
		return fmt.Errorf("pushing tag %s to %q: %w", p.FloatingTag, p.Remote, err)
	}
	return nil
}

// --- helpers ---

func cutOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func cutNow(o CutOptions) time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
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

func cutFirstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

func cutShort(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// cutLatestTag returns the highest stable version tag among names.
func cutLatestTag(names []string, prefix string) string {
	var best *semver.Version
	tag := ""
	for _, n := range names {
		if !strings.HasPrefix(n, prefix) {
			continue
		}
		v, err := semver.StrictNewVersion(strings.TrimPrefix(n, prefix))
		if err != nil || v.Prerelease() != "" {
			continue
		}
		if best == nil || v.GreaterThan(best) {
			best, tag = v, n
		}
	}
	return tag
}

// cutHeadingRE matches a version heading as package changelog does.
var cutHeadingRE = regexp.MustCompile(`^#{1,3}[ \t]+\[?v?([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(?:\]|[ \t(]|$)`)

// cutSection returns version's section of a changelog: its heading line up
// to the next version heading, ending in one newline.
func cutSection(doc []byte, version string) string {
	lines := strings.SplitAfter(string(doc), "\n")
	var b strings.Builder
	in, fenced := false, false
	for _, line := range lines {
		t := strings.TrimLeft(line, " ")
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fenced = !fenced
		}
		if !fenced {
			if m := cutHeadingRE.FindStringSubmatch(strings.TrimRight(line, "\r\n")); m != nil {
				if in {
					break
				}
				in = m[1] == version
			}
		}
		if in {
			b.WriteString(line)
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}
