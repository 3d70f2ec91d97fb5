package release

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/internal/redact"
	"github.com/shipflow/shipflow/release/branch"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/secrets"
)

// PROptions describe a pull request as its pull_request event does
// (ResolvePR makes them from a verb's inputs and the CI event).
type PROptions struct {
	// BaseSHA and HeadSHA are pull_request.base.sha and head.sha; the PR's
	// commits are BaseSHA..HeadSHA, read from git (the REST API lists at
	// most 250 commits of a pull request). Required.
	BaseSHA, HeadSHA string
	// Title is the pull request's title. Required.
	Title string
	// Number is the pull request's number, which GitHub appends to the
	// squash commit's header as " (#N)". 0 when unknown: no suffix.
	Number int
	// Head and Base are pull_request.head.ref and base.ref (never
	// head.label or github.ref). When both are set the branch model is
	// checked too.
	Head, Base string
	// Lint holds the commitlint rules (see LintConfig).
	Lint commitlint.Config
	// Policy is the branching model (see BranchPolicy).
	Policy branch.Policy
	// Fork, when set, says the head branch lives in a fork (see
	// BranchCheckOptions.Fork): the integration branch it may target.
	Fork string
	// Strict makes warnings fail the pull request too (PRReport.Failed).
	Strict bool
	// Plan, when set with Base, plans the version that merging the pull
	// request releases (HeadSHA's history on Base's channel) and warns of
	// what `shipflow release` would then refuse: a major version of a Go
	// module whose path lacks /vN (PRReport.VersionWarnings). nil plans
	// nothing.
	Plan *PlanOptions

	// Merge is how the repository merges pull requests, which decides
	// what is linted (see PR); the zero PRMerge allows all three methods.
	Merge PRMerge
	// TitleOnly lints the title only (pr.check: title), plus the single
	// commit's message when the squash commit takes it.
	TitleOnly bool
	// Body is the pull request's description (the squash commit's body
	// under PR_BODY).
	Body string
	// Draft says the pull request is a draft; Drafts is what a draft gets
	// and WIP what a WIP-titled one gets (IsWIPTitle): "skip" (no lint,
	// PRReport.Skipped), "pending" (linted, PRReport.Pending: never
	// Failed), else checked.
	Draft       bool
	Drafts, WIP string
	// Labels are the pull request's labels; one of IgnoreLabels (any
	// case) skips the check.
	Labels, IgnoreLabels []string
	// MergeGroup checks a merge queue's group: BaseSHA..HeadSHA are the
	// commits the queue adds, every one is linted; no title, no squash
	// commit, no branch model.
	MergeGroup bool

	// Preview, with Plan and Base, previews what merging the pull request
	// releases (PreviewRelease, PRReport.Preview) on the commit its merge
	// method lands (see prPreview); never on a merge group or a skipped
	// pull request. Changelog and Image are the repository's sections;
	// Repository ("owner/name") names the pull request's head in GitHub's
	// merge message; Now, Redactor, Packages and BumpDependents are
	// PreviewOptions'.
	Preview        bool
	Changelog      config.Changelog
	Image          config.Image
	Repository     string
	Now            func() time.Time
	Redactor       *redact.Redactor
	Packages       []config.Package
	BumpDependents bool
	// Comment is when the caller keeps the sticky pull request comment:
	// "never", "on-failure" or "always" (ResolvePR: the input comment over
	// pr.comment). PR itself never comments.
	Comment string
}

// Validate reports missing or malformed inputs.
func (o PROptions) Validate() error {
	var problems []string
	if o.BaseSHA == "" {
		problems = append(problems, "missing base sha")
	}
	if o.HeadSHA == "" {
		problems = append(problems, "missing head sha")
	}
	if strings.TrimSpace(o.Title) == "" && !o.MergeGroup {
		problems = append(problems, "missing title")
	}
	if o.Number < 0 {
		problems = append(problems, fmt.Sprintf("pull request number %d is negative", o.Number))
	}
	if (o.Head == "") != (o.Base == "") {
		problems = append(problems, "head and base branches go together: give both or neither")
	}
	if len(problems) > 0 {
		return fmt.Errorf("checking pull request: %s", strings.Join(problems, "; "))
	}
	return nil
}

// PRMessage is one message of a pull request that was linted: its title or
// the squash commit GitHub will create.
type PRMessage struct {
	// Message is the text that was linted.
	Message string
	// Result holds the parsed message and the findings.
	Result commitlint.Result
}

// PRCommit is one commit of the pull request, linted.
type PRCommit struct {
	Commit *git.Commit
	Result commitlint.Result
}

// PRReport is the whole pull request in one report.
type PRReport struct {
	// Number is the pull request's number (0 when unknown).
	Number int
	// Range is the git range the commits were read from ("base..head").
	Range string
	// Title is the linted pull request title.
	Title PRMessage
	// Commits are the pull request's commits, oldest first, merges
	// included (commitlint ignores them by default).
	Commits []PRCommit
	// Squash is the commit GitHub creates on "Squash and merge": for a
	// pull request with one (non-merge) commit, that commit's header plus
	// " (#N)" and its body; otherwise the title plus " (#N)" and a list of
	// the commit messages. Its findings leave out those already reported
	// on the title (or the single commit) at the same line. See
	// https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/incorporating-changes-from-a-pull-request/about-pull-request-merges#merge-message-for-a-squash-merge
	Squash PRMessage
	// Branch is the branch model's verdict, or nil when the head and base
	// branches were not given.
	Branch *branch.Result
	// VersionWarnings say what the version that merging the pull request
	// releases would break (PROptions.Plan): a major version of a Go module
	// whose path lacks /vN.
	VersionWarnings []string
	// Errors and Warnings count lint findings over the title, the commits
	// and the squash message; Errors also counts branch findings, and
	// Warnings VersionWarnings.
	Errors, Warnings int
	// Strict is PROptions.Strict.
	Strict bool

	// Linted says what was linted and why ("only squash is allowed
	// (pr.merge-method): linting the title and the squash commit").
	Linted string
	// LintsTitle, LintsSquash and LintsCommits say which parts were
	// linted; a part not linted has no findings and is not shown.
	LintsTitle, LintsSquash, LintsCommits bool
	// Notes are remarks for the reader (the repository's merge settings
	// could not be read).
	Notes []string
	// Skipped, when set, says why nothing was linted ("draft (pr.drafts:
	// skip)", "label skip-lint (pr.ignore-labels)"): a neutral check.
	Skipped string
	// Pending, when set, says why findings do not fail the check
	// ("draft", "WIP title"): a neutral check.
	Pending string
	// MergeGroup is PROptions.MergeGroup.
	MergeGroup bool
	// Preview is what merging the pull request releases, when
	// PROptions.Preview asked for it and it could be made (else a note
	// says why); nil otherwise.
	Preview *ReleasePreview
	// CommentURL is the sticky pull request comment's address, when the
	// caller kept one (the JSON document shows it).
	CommentURL string
	// Secrets are the secrets the pull request's commits add (shipflow
	// secrets over the range); each counts as an error.
	Secrets []secrets.Finding

	methods []string
}

// OK reports whether nothing in the pull request is wrong (warnings allowed).
func (r PRReport) OK() bool { return r.Errors == 0 }

// Failed reports whether the pull request fails the check: it has errors,
// or warnings under Strict.
// A skipped or pending pull request never fails.
func (r PRReport) Failed() bool {
	return r.Skipped == "" && r.Pending == "" && (r.Errors > 0 || r.Strict && r.Warnings > 0)
}

// Neutral reports whether the check's conclusion is neutral: the pull
// request was skipped or is pending.
func (r PRReport) Neutral() bool { return r.Skipped != "" || r.Pending != "" }

// Titles of the findings of a pull request's own messages; its commits'
// are titled as in a range ("commit 1a2b3c4: RULE").
const (
	prTitleTitle  = "PR title"
	prSquashTitle = "squash commit"
	// prVersionTitle heads the warnings about the version the merge
	// releases.
	prVersionTitle = "next version"
)

// Entries are the pull request's findings as release/report entries, which
// every format of `shipflow pr` and the pr Action write: the title, each
// commit (oldest first), the squash commit, then the branches (see
// BranchCheckReport.Findings). The title's and the squash commit's
// findings are titled with the part and the rule ("PR title: type-enum",
// "squash commit: header-max-length"), and their messages led by the
// header, as a commit's are.
func (r *PRReport) Entries() []report.Entry {
	part := func(what string, m PRMessage) report.Entry {
		e := report.LintEntry(report.SourceMessage, "", "", m.Result)
		for i := range e.Findings {
			f := &e.Findings[i]
			f.Title = what + ": " + f.Rule
			f.Message = e.Header + ": " + f.Message
		}
		return e
	}
	out := make([]report.Entry, 0, len(r.Commits)+3)
	if r.Skipped != "" {
		return out
	}
	if r.LintsTitle {
		out = append(out, part(prTitleTitle, r.Title))
	}
	for _, c := range r.Commits {
		out = append(out, report.LintEntry(report.SourceCommit, c.Commit.Hash, "", c.Result))
	}
	if r.LintsSquash {
		out = append(out, part(prSquashTitle, r.Squash))
	}
	if r.Branch != nil {
		for _, f := range (BranchCheckReport{Result: *r.Branch}).Findings() {
			out = append(out, report.Loose(f))
		}
	}
	for _, w := range r.VersionWarnings {
		out = append(out, report.Loose(report.Finding{Title: prVersionTitle, Rule: "go-module-path", Level: report.Warning, Message: w}))
	}
	out = append(out, secretEntries(r.Secrets, false)...)
	return out
}

// PR lints a pull request: its title, every commit in BaseSHA..HeadSHA (read
// from git with one streamed log), the squash commit GitHub will create, and
// the branch model when the branches are given. A shallow clone is an error
// wrapping git.ErrShallow; an unknown SHA says to fetch it.
func PR(ctx context.Context, repo *git.Repo, opt PROptions) (*PRReport, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	for _, s := range []struct{ what, sha string }{{"base", opt.BaseSHA}, {"head", opt.HeadSHA}} {
		if _, err := repo.ResolveCommit(ctx, s.sha); err != nil {
			return nil, fmt.Errorf("checking pull request: %s sha: %w (fetch the full history: actions/checkout with `fetch-depth: 0`)", s.what, err)
		}
	}
	if err := repo.CheckFullHistory(ctx); err != nil {
		return nil, fmt.Errorf("checking pull request: %w", err)
	}
	rep := &PRReport{Number: opt.Number, Range: opt.BaseSHA + ".." + opt.HeadSHA, Strict: opt.Strict, MergeGroup: opt.MergeGroup, methods: PRMergeMethods(opt.Merge)}
	if opt.Merge.Note != "" {
		rep.Notes = append(rep.Notes, opt.Merge.Note)
	}
	rep.Title = PRMessage{Message: opt.Title}
	if rep.Skipped, rep.Pending = prHold(opt); rep.Skipped != "" {
		rep.Linted = "skipped: " + rep.Skipped
		return rep, nil
	}
	var commits []PRCommit
	for c, err := range repo.Log(ctx, git.LogOptions{Revs: []string{rep.Range}}) {
		if err != nil {
			return nil, fmt.Errorf("checking pull request: reading commits %s: %w", rep.Range, err)
		}
		res := commitlint.Lint(c.Message, opt.Lint, commitlint.Input{IsMerge: c.IsMerge(), Author: c.Author()})
		commits = append(commits, PRCommit{Commit: c, Result: res})
	}
	slices.Reverse(commits) // git log is newest first; GitHub lists oldest first

	what := prWhat(opt, commits)
	rep.Linted = what.why
	rep.LintsTitle, rep.LintsCommits, rep.LintsSquash = what.title, what.commits, what.squash || what.single
	if what.commits {
		rep.Commits = commits
		for _, c := range commits {
			rep.count(c.Result)
		}
	}
	if what.title {
		rep.Title.Result = commitlint.Lint(opt.Title, opt.Lint, commitlint.Input{})
		rep.count(rep.Title.Result)
	}
	if rep.LintsSquash {
		sq := opt.Merge.SquashCommit(opt.Title, opt.Body, opt.Number, commits)
		sqRes := commitlint.Lint(sq, opt.Lint, commitlint.Input{})
		// Report only what is new in the squash commit: the problems of
		// the title (or of the single commit) it was made from are
		// reported there, when that was linted.
		var src []commitlint.Finding
		if c := prSingle(commits); c != nil && opt.Merge.takesCommit(commits) {
			if what.commits {
				src = c.Result.Findings
			}
		} else if what.title {
			src = rep.Title.Result.Findings
		}
		sqRes.Findings = slices.DeleteFunc(sqRes.Findings, func(f commitlint.Finding) bool {
			return slices.ContainsFunc(src, func(s commitlint.Finding) bool { return s.Rule == f.Rule && s.Line == f.Line })
		})
		if what.squash {
			if f := squashDropsBreaking(sq, opt.Title, commits); f != nil {
				sqRes.Findings = append(sqRes.Findings, *f)
			}
		}
		rep.Squash = PRMessage{Message: sq, Result: sqRes}
		rep.count(rep.Squash.Result)
	}

	prSecrets(ctx, repo, opt, rep)
	if opt.MergeGroup {
		return rep, nil
	}
	if opt.Head != "" {
		b := branch.Check(opt.Head, opt.Base, opt.Policy, branchForkOption(opt.Fork)...)
		rep.Branch = &b
		rep.Errors += len(b.Findings)
	}
	if err := prVersion(ctx, repo, opt, rep); err != nil {
		return nil, fmt.Errorf("checking pull request: %w", err)
	}
	prPreview(ctx, repo, opt, commits, rep)
	return rep, nil
}

// prVersion plans the version that merging the pull request releases, when
// opt.Plan asks for it, and warns as Plan does of a major version of a Go
// module whose path lacks /vN. A plan the base's channel refuses (a feat
// into hotfix/*) is the branch check's to report, not this one's.
func prVersion(ctx context.Context, repo *git.Repo, opt PROptions, rep *PRReport) error {
	if opt.Plan == nil || opt.Base == "" {
		return nil
	}
	po := *opt.Plan
	po.Branch, po.Commit, po.NoFetch = opt.Base, opt.HeadSHA, true
	plan, err := Plan(ctx, repo, po)
	if PlanRefused(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if plan.NextTag == "" {
		return nil
	}
	w, err := planGoModule(ctx, repo, plan.Head, ".", plan.Next, plan.NextTag)
	if w != "" {
		rep.VersionWarnings = append(rep.VersionWarnings, w)
		rep.Warnings++
	}
	return err
}

// prSingle returns the only non-merge commit, or nil when there are none
// or several.
func prSingle(commits []PRCommit) *PRCommit {
	var one *PRCommit
	for i := range commits {
		if commits[i].Commit.IsMerge() {
			continue
		}
		if one != nil {
			return nil
		}
		one = &commits[i]
	}
	return one
}

func (r *PRReport) count(res commitlint.Result) {
	r.Errors += res.Errors()
	r.Warnings += res.Warnings()
}

// PRSquashMessage returns the message GitHub proposes for "Squash and merge"
// with the default settings (COMMIT_OR_PR_TITLE, COMMIT_MESSAGES): see
// PRMerge.SquashCommit. commits are oldest first; number 0 adds no suffix.
func PRSquashMessage(title string, number int, commits []PRCommit) string {
	return PRMerge{}.SquashCommit(title, "", number, commits)
}
