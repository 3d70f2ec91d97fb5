package release

// Cut, the release operation, is split by step group: this file holds its
// options, plan, report, the step list and the runner; cut_preflight.go the
// preflight checks; cut_resume.go how a re-run picks up a previous run's
// release commit; cut_commit.go the changelog, commit and tag steps;
// cut_push.go the push and the remote's refs; cut_github.go the GitHub
// release and the floating major tag.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/shipflow/shipflow/internal/redact"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/versionfile"
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
	// Forge is where releases are made (a *github.Client), and where
	// changelog links point. It may be nil for a dry run.
	Forge Forge
	// Owner and Repo name the GitHub repository. The default is read from
	// the remote's URL.
	Owner, Repo string
	// WebURL is the web root changelog links point to (GITHUB_SERVER_URL).
	// The default is the forge's (Forge.WebURL), else the one APIURL
	// names, else "https://github.com".
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
	// Local releases in the local repository only: the changelog, the
	// release commit and the tag, with no push, no GitHub release and no
	// token (for other forges, and for trying it out).
	Local bool
	// Assets are globs of files in the work tree (release.assets and the
	// assets input) uploaded to the GitHub release while it is a draft,
	// with a checksums.txt of them. The default is none.
	Assets []string
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
	// Mode is how the release reaches the branch: "direct" or "pr"
	// (config.ReleaseModeDirect, config.ReleaseModePR).
	Mode  string `json:"mode"`
	Owner string `json:"owner"`
	Repo  string `json:"repo"`
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
	// VersionFiles are the files the changelog step writes Version into
	// and the release commit holds (PlanReport.VersionFiles), with their
	// value before; none when a previous run's release commit is resumed.
	VersionFiles []versionfile.File `json:"version_files,omitempty"`
	// Notes is the version's changelog section, the release notes.
	Notes         string `json:"notes"`
	CommitMessage string `json:"commit_message"`
	// FloatingTag is the major tag to move ("v1"); "" when disabled.
	FloatingTag string `json:"floating_tag,omitempty"`
	Draft       bool   `json:"draft"`
	DryRun      bool   `json:"dry_run"`
	// Local is true for a release in the local repository only.
	Local bool `json:"local"`
	// Resumed is true when a previous run's release commit was found at HEAD.
	Resumed bool `json:"resumed"`
	// Major, Minor and Patch are the version's numbers.
	Major uint64 `json:"major"`
	Minor uint64 `json:"minor"`
	Patch uint64 `json:"patch"`
	// Prerelease is true for a prerelease version (a channel's
	// X.Y.Z-dev.N): the GitHub release is a prerelease.
	Prerelease bool `json:"prerelease"`
	// Latest is true when the version is the highest stable version among
	// the repository's tags: only then is the GitHub release made
	// "Latest" (make_latest), so a hotfix on an old line never is.
	Latest bool `json:"latest"`
	// ReleaseURL is the GitHub release's page once it exists.
	ReleaseURL string `json:"release_url,omitempty"`
	// ReleaseID and UploadURL are the GitHub release's id and asset
	// upload URL once it exists.
	ReleaseID int64  `json:"release_id,omitempty"`
	UploadURL string `json:"upload_url,omitempty"`
	// Assets are the files uploaded to the release, relative to the
	// repository, as the globs matched them.
	Assets []string `json:"assets,omitempty"`
	// Created is true when this run created the GitHub release.
	Created  bool     `json:"created"`
	Warnings []string `json:"warnings"`
	// Next is the version plan a fresh release was decided by: every
	// commit since PreviousTag with its bump and reason. It is nil when a
	// previous run's release commit was resumed.
	Next *PlanReport `json:"-"`

	release *github.Release // found or made by the github-release step
	// higherInMajor is a stable tag of the same major above this release
	// ("v1.1.0" for a v1.0.1 hotfix): the floating major tag stays there.
	higherInMajor string
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
	// ReleasePR is the release pull request a run in PR mode opened,
	// updated, closed or released; nil in direct mode, and when there is
	// none.
	ReleasePR *ReleasePR `json:"release_pr,omitempty"`
}

// ReleasePR is a release pull request (release.mode: pr): it holds the
// release commit, the changelog section and the bumped version files, on
// branch shipflow/release-<release branch>; merging it is the release.
type ReleasePR struct {
	Number int    `json:"number,omitempty"` // 0 before it is opened (a dry run)
	URL    string `json:"url,omitempty"`
	// Branch is its head branch (shipflow/release-main).
	Branch string `json:"branch"`
	// Action is what this run did with it: "opened", "updated",
	// "unchanged", "closed" (nothing left to release), "merged" (merged,
	// its release under way), "released" (this run tagged its merge and
	// made the release), or, in a dry run, "would open", "would update",
	// "would open or update" (no token to look), "would close", "would
	// release".
	Action string `json:"action"`
	// Commit is the release commit on Branch (made through the forge's
	// API); MergeCommit the commit its merge made on the release branch.
	Commit      string `json:"commit,omitempty"`
	MergeCommit string `json:"merge_commit,omitempty"`
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
	repo  *git.Repo
	forge Forge
	opts  CutOptions
	// nothing is set by preflight when there is nothing to release.
	nothing string
	// prefix is the tag prefix; releaseRE matches release commit headers.
	prefix    string
	releaseRE *regexp.Regexp
	// In PR mode: the merged release PR this run releases, the open one it
	// updates, and what the report says of the release PR.
	mergedPR, openPR *github.PullRequest
	releasePR        *ReleasePR
	// plan is the run's plan, kept when the report drops it (nothing to
	// release).
	plan *CutPlan
	// pkg is the package of a monorepo this cut releases (CutPackages);
	// nil for a repository's release.
	pkg *cutPackage
	// multi are the packages' plans of the one release PR of all packages
	// (CutPackages in PR mode); nil otherwise.
	multi []cutNamedPlan
}

// Cut releases the next version of repo from its release branch: preflight
// (branch, clean tree, full history, tag, token) → CHANGELOG.md → release
// commit → annotated tag → atomic push of branch and tag → GitHub release
// (draft, notes, publish) → floating major tag. A failed step is a
// *CutError; running Cut again resumes: each step skips what is already
// done, so the end state is the same as after an uninterrupted run.
func Cut(ctx context.Context, repo *git.Repo, opts CutOptions) (*CutReport, error) {
	c := &cutter{repo: repo, forge: opts.Forge, opts: opts}
	return c.cut(ctx)
}

// cut runs every step of the release, direct or through a release PR.
func (c *cutter) cut(ctx context.Context) (*CutReport, error) {
	steps := c.steps()
	if c.opts.Config.Mode == config.ReleaseModePR && !c.opts.Local {
		steps = c.prSteps()
	}
	rep, err := c.run(ctx, steps)
	if rep != nil && rep.ReleasePR == nil {
		rep.ReleasePR = c.releasePR
	}
	if err == nil && rep.Nothing != "" && c.plan.prMode() {
		err = c.closeReleasePR(ctx, c.plan, rep)
	}
	return rep, err
}

func (c *cutter) steps() []Step {
	return []Step{
		cutPlanned{cutPreflight{c}},
		cutMutating{cutChangelog{c}},
		cutMutating{cutCommit{c}},
		cutMutating{cutTag{c}},
		cutMutating{cutRemote{cutPush{c}}},
		cutMutating{cutRemote{cutGitHubRelease{c}}},
		cutMutating{cutRemote{cutFloatingTag{c}}},
	}
}

func (c *cutter) run(ctx context.Context, steps []Step) (*CutReport, error) {
	p := &CutPlan{DryRun: c.opts.DryRun, Local: c.opts.Local}
	c.plan = p
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

// cutPlanned completes the plan preflight decided with what follows from
// its version: its numbers, whether it is a prerelease, and whether it is
// the repository's latest.
type cutPlanned struct{ cutPreflight }

func (s cutPlanned) Run(ctx context.Context, p *CutPlan) error {
	if err := s.cutPreflight.Run(ctx, p); err != nil || s.c.nothing != "" || p.Version == "" {
		return err
	}
	if p.Next != nil {
		p.VersionFiles = p.Next.VersionFiles
	}
	if err := s.c.classify(ctx, p); err != nil {
		return err
	}
	return s.c.resolveAssets(p)
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
		if why := cutPlanSkip(m.Step, p); why != "" {
			return why
		}
		return "dry run"
	}
	return m.Step.Skip(ctx, p)
}

// cutRemote skips a step that changes the remote or the forge in a local
// release.
type cutRemote struct{ Step }

func (r cutRemote) Skip(ctx context.Context, p *CutPlan) string {
	if p.Local {
		return "local release (--local)"
	}
	return r.Step.Skip(ctx, p)
}

// cutLocalSkip marks steps whose Skip reads only the work tree and the
// local repository.
type cutLocalSkip interface{ localSkip() }

func (cutChangelog) localSkip() {}
func (cutCommit) localSkip()    {}
func (cutTag) localSkip()       {}

// --- helpers ---

func cutOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

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
