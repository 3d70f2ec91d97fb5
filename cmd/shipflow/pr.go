package main

import (
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/actions"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/report"
	"github.com/spf13/cobra"
)

func newPRCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "pr",
		Short: "Check a whole pull request: title, every commit, the squash commit and the branches",
		Long: `Check a whole pull request in one report, linting what will land on the
base: its title, its commits in --base-sha..--head-sha (read from git, so
pull requests of any size work; the REST API lists at most 250 commits),
and the commit GitHub creates on "Squash and merge" (the title plus " (#N)",
or the single commit's message for a one-commit pull request: check its
header length!). With --head and --base, the branching model is checked too.

What lands depends on how the repository merges (--merge-method, else
pr.merge-method, else the repository's settings read with GITHUB_TOKEN or
GH_TOKEN in GITHUB_REPOSITORY, else all three):
  squash   the title and the squash commit, not the commits (a bad
           intermediate commit passes); a breaking commit squashed under a
           title without ! is an error [squash-drops-breaking]
  merge    the title and every commit
  rebase   every commit
Several methods lint the union; the report says what it linted and why.
--check title lints the title only (and a one-commit pull request's
message, when the squash commit takes it).

Drafts (--draft) and titles starting with WIP, [WIP] or wip: get --drafts
and --wip: check (the default), skip (nothing linted, exit 0) or pending
(linted and reported, exit 0). A label in --ignore-labels (--labels are the
pull request's) skips the check.

On a merge_group event (a merge queue) it lints exactly the commits the
queue adds (merge_group.base_sha..head_sha): no title, no branches.

The release preview (--preview, default pr.preview, else on; with --base)
says what merging releases, computed as next, changelog and release
compute it on the commit the merge will make: the squash commit when the
repository only squashes, GitHub's merge commit when it only makes merge
commits, else a plain merge. "merging releases v1.4.0 (minor: feat(api):
add search)" or "no release: why"; --format markdown and json have the
changelog section, the version files and the image tags too. A preview
that cannot be made is a note, never a failure.

--comment (default pr.comment, else never) keeps one pull request comment
with the findings, their fixes and the preview, as the pr Action does:
on-failure writes it while the check fails and deletes it once it passes;
always writes it every time. It needs GITHUB_TOKEN (or GH_TOKEN) and the
pull request of the event in GITHUB_REPOSITORY; what keeps it from being
written is a warning, never a failure.

In a pull_request workflow every value defaults to the event's, as in the
pr Action: --base-sha pull_request.base.sha, --head-sha ...head.sha,
--title ...title, --number ...number, --head ...head.ref, --base
...base.ref (never head.label or github.ref), --head-fork whether the
head is a fork's, --draft ...draft, --labels ...labels and --body ...body.
The checkout needs fetch-depth: 0.

Exit status: 0 clean (warnings allowed), skipped or pending, 1 problems
found (warnings too with --strict or lint.strict), 2 usage or
configuration error, 3 git failure.`,
		Example: `  shipflow pr --base-sha "$BASE" --head-sha "$HEAD" --title "feat: login" --number 12 --head feature/login --base dev
  shipflow pr --merge-method squash --title "feat: login" ...   # lint the title and the squash commit only
  shipflow pr   # in a pull_request or merge_group workflow: everything from the event`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runPR(e, cmd, format) },
	}
	fl := cmd.Flags()
	fl.String("base-sha", "", "the pull request's base `SHA` (default: pull_request.base.sha)")
	fl.String("head-sha", "", "the pull request's head `SHA` (default: pull_request.head.sha)")
	fl.String("title", "", "the pull request's `TITLE` (default: pull_request.title)")
	fl.Int("number", 0, "the pull request's `NUMBER`, appended to the squash commit's header as \" (#N)\" (default: pull_request.number)")
	fl.String("head", "", "the head `BRANCH` (default: pull_request.head.ref); with --base, checks the branching model")
	fl.String("base", "", "the base `BRANCH` (default: pull_request.base.ref)")
	addFormatFlag(fl, &format, "text, json, github (workflow annotations) or markdown (job summary, PR comment)")
	fl.Bool("strict", false, "warnings fail too (exit 1; default: lint.strict)")
	fl.Bool("head-fork", false, "the head branch lives in a fork: it may only target the integration branch, whatever its name (default: whether the pull_request event's head is a fork's)")
	fl.String("merge-method", "", "how the repository merges: `METHODS` squash, merge, rebase, comma-separated; decides what is linted (default: pr.merge-method, else the repository's settings with GITHUB_TOKEN, else all three)")
	fl.String("check", "", "`title` lints the title only (and a one-commit pull request's message the squash commit takes); all lints what lands (default: pr.check, else all)")
	fl.String("drafts", "", "what a draft gets: `MODE` check, skip or pending (default: pr.drafts, else check)")
	fl.String("wip", "", "what a WIP/[WIP]/wip: title gets: `MODE` check, skip or pending (default: pr.wip, else check)")
	fl.String("ignore-labels", "", "`LABELS` that skip the check, comma-separated (default: pr.ignore-labels)")
	fl.Bool("draft", false, "the pull request is a draft (default: pull_request.draft)")
	fl.String("labels", "", "the pull request's `LABELS`, comma-separated (default: pull_request.labels)")
	fl.String("body", "", "the pull request's description, the squash commit's body under PR_BODY (default: pull_request.body)")
	fl.Bool("preview", true, "preview what merging releases: version and bump, changelog section, version files, image tags (default: pr.preview, else true; never on merge_group)")
	fl.String("comment", "", "keep one pull request comment with the findings and the preview: `MODE` never, on-failure (deleted once the check passes) or always; needs GITHUB_TOKEN and the pull_request event (default: pr.comment, else never)")
	return cmd
}

func runPR(e *env, cmd *cobra.Command, format string) error {
	switch format {
	case "text", "json", "github", "markdown":
	default:
		return usageErr("unknown --format %q: use text, json, github or markdown", format)
	}
	repo, cfg, err := openRepoConfig(e)
	if err != nil {
		return err
	}
	ci, err := e.ci()
	if err != nil {
		return err
	}
	opt, err := release.ResolvePR(flagInputs{cmd.Flags()}, cfg, ci)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := opt.Validate(); err != nil {
		return usageErr("%v", err)
	}
	opt.Redactor = e.redact
	if opt.Lint, err = release.LintConfig(repo.Dir(), cfg); err != nil {
		return usageErr("%v", err)
	}
	if !opt.MergeGroup && opt.Merge == (release.PRMerge{}) {
		opt.Merge = prMergeSettings(e, repo, cfg, ci)
	}
	rep, err := release.PR(e.ctx, repo, opt)
	if err != nil {
		return err
	}
	prComment(e, repo, cfg, ci, opt.Comment, rep)
	switch format {
	case "json":
		err = rep.WriteJSON(e.stdout)
	case "github":
		err = rep.WriteFindings(report.NewGitHub(e.stdout))
	case "markdown":
		err = rep.WriteMarkdown(e.stdout)
	default:
		err = rep.WriteText(e.stdout)
	}
	if err != nil {
		return failure(err)
	}
	if rep.Failed() {
		return findings()
	}
	return nil
}

// prMergeSettings reads the repository's merge settings as `release`
// reaches GitHub: GITHUB_TOKEN (or GH_TOKEN), the repository
// GITHUB_REPOSITORY, the API URL as release.ResolveAPIURL decides. No
// token or repository: the zero PRMerge (all three methods); a failure
// falls back to all three with a note in the report, never an error.
func prMergeSettings(e *env, repo *git.Repo, cfg *config.Config, ci release.CI) release.PRMerge {
	token := e.getenv("GITHUB_TOKEN")
	if token == "" {
		token = e.getenv("GH_TOKEN")
	}
	owner, name, ok := strings.Cut(ci.Repository, "/")
	if token == "" || !ok {
		return release.PRMerge{}
	}
	api, err := release.ResolveAPIURL(e.ctx, release.APIURLOptions{Env: ci.APIURL, Config: cfg.Release, Repo: repo})
	if err != nil {
		return release.PRMergeFromRepo(github.MergeSettings{}, e.redact.Error(err))
	}
	client, err := github.New(token, github.WithBaseURL(api))
	if err != nil {
		return release.PRMergeFromRepo(github.MergeSettings{}, e.redact.Error(err))
	}
	ms, err := client.MergeSettings(e.ctx, owner, name)
	return release.PRMergeFromRepo(ms, e.redact.Error(err))
}

// prComment keeps the sticky pull request comment as the pr Action does
// (actions.KeepPRComment), when mode asks for one: with GITHUB_TOKEN (or
// GH_TOKEN) on the pull request of the event, in GITHUB_REPOSITORY. What
// keeps it from being written is a warning on stderr, never a failure;
// its address goes into the report (the JSON's comment_url).
func prComment(e *env, repo *git.Repo, cfg *config.Config, ci release.CI, mode string, rep *release.PRReport) {
	if mode == actions.CommentNever {
		return
	}
	t := actions.PRCommentTarget{Repository: ci.Repository, Number: rep.Number, Redactor: e.redact}
	token := e.getenv("GITHUB_TOKEN")
	if token == "" {
		token = e.getenv("GH_TOKEN")
	}
	var c actions.PRComment
	if token != "" {
		api, err := release.ResolveAPIURL(e.ctx, release.APIURLOptions{Env: ci.APIURL, Config: cfg.Release, Repo: repo})
		if err == nil {
			t.Client, err = github.New(token, github.WithBaseURL(api))
		}
		if err != nil {
			c.Err = e.redact.Error(err)
		}
	}
	if c.Err == nil {
		c = actions.KeepPRComment(e.ctx, t, mode, rep, actions.PRCheckTitle(rep))
	}
	rep.CommentURL = c.URL
	if note := c.Note(); note != "" {
		fmt.Fprintf(e.stderr, "shipflow: warning: %s\n", e.redact.String(note))
	}
}
