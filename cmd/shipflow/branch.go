package main

import (
	"fmt"
	"io"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
	"github.com/spf13/cobra"
)

func newBranchCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "branch",
		Short: "Check branch names and pull request flows against the branching model",
	}
	cmd.AddCommand(newBranchCheckCmd(e), newBranchDebtCmd(e))
	return cmd
}

func newBranchCheckCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check that a pull request from --head into --base follows the branching model",
		Long: fmt.Sprintf(`Check that a pull request from --head into --base follows the branching
model (default: feature/* -> dev, dev -> main, hotfix/* -> main or dev,
main -> dev, dependabot/* and renovate/* -> dev, shipflow/* (release PRs) -> main;
merge-queue branches are skipped), and that the head's name is valid. The model is configured in the
branches section of .shipflow.yaml.

In GitHub Actions the branches default to the pull_request event's
head.ref and base.ref ($GITHUB_HEAD_REF and $GITHUB_BASE_REF), and a head
taken from a fork's pull request is checked as --head-fork, as the branch
Action does.

With --debt, the stable branch (branches.stable, else release.branch, else
%s) must have no commits the integration branch (branches.integration,
else %s) lacks; debt is a warning only.

Exit status: 0 allowed, 1 rejected, 2 usage or configuration error (with
--debt also an unknown branch), 3 git failure.`, config.DefaultReleaseBranch, config.DefaultIntegrationBranch),
		Example: `  shipflow branch check --head feature/login --base dev
  shipflow branch check --head refs/heads/hotfix/cve --base main --debt --format github`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := branchFormatOK(format); err != nil {
				return err
			}
			repo, cfg, err := branchConfig(e, false)
			if err != nil {
				return err
			}
			ci, err := e.ci()
			if err != nil {
				return err
			}
			opt, err := release.ResolveBranchCheck(flagInputs{cmd.Flags()}, cfg, ci)
			if err != nil {
				return usageErr("%v", err)
			}
			if opt.Head == "" || opt.Base == "" {
				return usageErr("branch check needs --head and --base (or $GITHUB_HEAD_REF and $GITHUB_BASE_REF in a pull_request workflow)")
			}
			if opt.Debt != nil && repo == nil {
				_, _, err := branchConfig(e, true) // why there is none
				return err
			}
			rep, err := release.BranchCheck(e.ctx, repo, opt)
			if err != nil {
				return err
			}
			if err := branchWrite(e.stdout, format, rep.WriteText, rep.WriteJSON, rep.Findings); err != nil {
				return failure(err)
			}
			if !rep.OK() {
				return findings()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.String("head", "", "the pull request's head `BRANCH` (default: the pull_request event's head.ref, $GITHUB_HEAD_REF)")
	fl.String("base", "", "the pull request's base `BRANCH` (default: the pull_request event's base.ref, $GITHUB_BASE_REF)")
	addFormatFlag(fl, &format, "text, json or github (workflow annotations)")
	fl.Bool("debt", false, "also warn when the stable branch has commits the integration branch lacks")
	fl.Bool("head-fork", false, "the head branch lives in a fork: it may only target the integration branch, whatever its name (default: whether the pull_request event's head is a fork's)")
	return cmd
}

func newBranchDebtCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "debt",
		Short: "Report commits of the stable branch (a hotfix) that the integration branch lacks",
		Long: fmt.Sprintf(`Report commits of the stable branch (%s) whose changes the integration
branch (%s) lacks, typically a hotfix that was not merged back. Merge
commits, cherry-picked commits and changes that reached the integration
branch another way are not counted. Branches are taken locally, else from
the remote's tracking branches (fetch them in CI: actions/checkout with
fetch-depth: 0).

Exit status: 0 no debt, 1 debt found, 2 usage or configuration error,
3 git failure.`, config.DefaultReleaseBranch, config.DefaultIntegrationBranch),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := branchFormatOK(format); err != nil {
				return err
			}
			repo, cfg, err := branchConfig(e, true)
			if err != nil {
				return err
			}
			// The CI context names no stable or integration branch.
			opt, err := release.ResolveBranchDebt(flagInputs{cmd.Flags()}, cfg, release.CI{})
			if err != nil {
				return usageErr("%v", err)
			}
			rep, err := release.BranchDebt(e.ctx, repo, opt)
			if err != nil {
				return err
			}
			if err := branchWrite(e.stdout, format, rep.WriteText, rep.WriteJSON, rep.Findings); err != nil {
				return failure(err)
			}
			if rep.InDebt() {
				return findings()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.String("stable", "", "the stable `BRANCH` (default: branches.stable, else release.branch, else "+config.DefaultReleaseBranch+")")
	fl.String("integration", "", "the integration `BRANCH` (default: branches.integration, else "+config.DefaultIntegrationBranch+")")
	fl.String("remote", "", "`REMOTE` whose tracking branches stand in for missing local branches (default: release.remote, else "+config.DefaultRemote+")")
	addFormatFlag(fl, &format, "text, json or github (workflow annotations)")
	return cmd
}

func branchFormatOK(format string) error {
	switch format {
	case "text", "json", "github":
		return nil
	}
	return usageErr("unknown --format %q: use text, json or github", format)
}

// branchConfig loads .shipflow.yaml from the repository's top level (or
// e.dir outside a repository, where repo is nil). needRepo makes a missing
// repository an error (*git.NotRepoError: exit 2).
func branchConfig(e *env, needRepo bool) (*git.Repo, *config.Config, error) {
	dir := e.dir
	repo, err := git.Open(e.ctx, e.dir)
	switch {
	case err == nil:
		dir = repo.Dir()
	case needRepo:
		return nil, nil, err
	default:
		repo = nil
	}
	cfg, _, err := config.Load(dir)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	return repo, cfg, nil
}

// branchWrite writes a check or debt report in format: as text, as JSON,
// or its findings as workflow annotations (the branch Action's lines).
func branchWrite(w io.Writer, format string, asText, asJSON func(io.Writer) error, findings func() []report.Finding) error {
	switch format {
	case "json":
		return asJSON(w)
	case "github":
		return writeAnnotations(w, findings())
	}
	return asText(w)
}
