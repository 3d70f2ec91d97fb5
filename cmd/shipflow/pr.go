package main

import (
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/report"
	"github.com/spf13/cobra"
)

func newPRCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "pr",
		Short: "Check a whole pull request: title, every commit, the squash commit and the branches",
		Long: `Check a whole pull request in one report: lint its title, every commit in
--base-sha..--head-sha (read from git, so pull requests of any size work;
the REST API lists at most 250 commits), and the commit GitHub creates on
"Squash and merge" (the title plus " (#N)", or the single commit's message
for a one-commit pull request: check its header length!). With --head and
--base, the branching model is checked too.

In a pull_request workflow every value defaults to the event's, as in the
pr Action: --base-sha pull_request.base.sha, --head-sha ...head.sha,
--title ...title, --number ...number, --head ...head.ref, --base
...base.ref (never head.label or github.ref), and --head-fork whether the
head is a fork's. The checkout needs fetch-depth: 0.

Exit status: 0 clean (warnings allowed), 1 problems found (warnings too
with --strict or lint.strict), 2 usage or configuration error, 3 git failure.`,
		Example: `  shipflow pr --base-sha "$BASE" --head-sha "$HEAD" --title "feat: login" --number 12 --head feature/login --base dev
  shipflow pr   # in a pull_request workflow: everything from the event`,
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
	if opt.Lint, err = release.LintConfig(repo.Dir(), cfg.Lint); err != nil {
		return usageErr("%v", err)
	}
	rep, err := release.PR(e.ctx, repo, opt)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		err = rep.WriteJSON(e.stdout)
	case "github":
		err = rep.WriteFindings(report.NewGitHub(e.stdout))
	case "markdown":
		err = rep.WriteFindings(report.NewMarkdown(e.stdout))
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
