package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/branch"
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
main -> dev, dependabot/* and renovate/* -> dev; merge-queue branches are
skipped), and that the head's name is valid. The model is configured in the
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
			if err := branchPrint(e.stdout, format, rep); err != nil {
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
			if err := branchPrintDebt(e.stdout, format, rep); err != nil {
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

func branchPrint(w io.Writer, format string, rep release.BranchCheckReport) error {
	switch format {
	case "json":
		return branchWriteJSON(w, branchJSONReport(rep))
	case "github":
		return branchWriteGitHub(w, rep.Findings())
	}
	r := rep.Result
	switch {
	case r.Skipped:
		fmt.Fprintf(w, "✔ %s → %s: skipped, %s\n", r.Head, r.Base, r.Note)
	case r.Allowed:
		fmt.Fprintf(w, "✔ %s → %s: allowed (%s → %s)\n", r.Head, r.Base, r.HeadKind, r.BaseKind)
	default:
		fmt.Fprintf(w, "✖ %s → %s: rejected\n", r.Head, r.Base)
		branchPrintFindings(w, r.Findings, "  ")
	}
	if rep.Debt != nil {
		branchPrintDebtText(w, *rep.Debt, true)
	}
	return nil
}

// branchPrintFindings prints `branch: message [rule]`, a caret under the
// offending character, the fix and the allowed values.
func branchPrintFindings(w io.Writer, fs []branch.Finding, indent string) {
	for _, f := range fs {
		if f.Column > 0 {
			fmt.Fprintf(w, "%s%s: character %d: %s [%s]\n", indent, f.Branch, f.Column, f.Message, f.Rule)
			fmt.Fprintf(w, "%s    %s\n%s    %s^\n", indent, f.Branch, indent, strings.Repeat(" ", f.Column-1))
		} else {
			fmt.Fprintf(w, "%s%s: %s [%s]\n", indent, f.Branch, f.Message, f.Rule)
		}
		if f.Fix != "" {
			fmt.Fprintf(w, "%s    fix: %s\n", indent, f.Fix)
		}
	}
}

func branchPrintDebt(w io.Writer, format string, rep release.BranchDebtReport) error {
	switch format {
	case "json":
		return branchWriteJSON(w, branchJSONDebt(rep))
	case "github":
		return branchWriteGitHub(w, rep.Findings())
	}
	branchPrintDebtText(w, rep, false)
	return nil
}

func branchPrintDebtText(w io.Writer, rep release.BranchDebtReport, warning bool) {
	if !rep.InDebt() {
		fmt.Fprintf(w, "✔ %s holds every change of %s: no back-merge debt\n", rep.Integration, rep.Stable)
		return
	}
	mark := "✖ "
	if warning {
		mark = "warning: "
	}
	fmt.Fprintf(w, "%s%s [%s]\n", mark, rep.Message(), release.BranchDebtRule)
	for _, c := range rep.Commits {
		fmt.Fprintf(w, "    %.7s %s\n", c.Hash, c.Subject)
	}
}

// branchWriteGitHub writes the findings of a branch check or debt as
// workflow commands, as the branch Action annotates them.
func branchWriteGitHub(w io.Writer, fs []report.Finding) error {
	gw := report.NewGitHub(w)
	for _, f := range fs {
		if err := gw.Write(report.Loose(f)); err != nil {
			return err
		}
	}
	return nil
}

type branchJSONFinding struct {
	Rule    string   `json:"rule"`
	Branch  string   `json:"branch"`
	Column  int      `json:"column"`
	Message string   `json:"message"`
	Fix     string   `json:"fix,omitempty"`
	Allowed []string `json:"allowed,omitempty"`
}

type branchJSONResult struct {
	Head     string              `json:"head"`
	Base     string              `json:"base"`
	HeadKind string              `json:"head_kind"`
	BaseKind string              `json:"base_kind"`
	Allowed  bool                `json:"allowed"`
	Skipped  bool                `json:"skipped"`
	Note     string              `json:"note,omitempty"`
	Findings []branchJSONFinding `json:"findings"`
	Debt     *branchJSONDebtRep  `json:"debt,omitempty"`
}

type branchJSONCommit struct {
	Hash    string `json:"hash"`
	Subject string `json:"subject"`
}

type branchJSONDebtRep struct {
	Stable      string             `json:"stable"`
	Integration string             `json:"integration"`
	InDebt      bool               `json:"in_debt"`
	Message     string             `json:"message,omitempty"`
	Commits     []branchJSONCommit `json:"commits"`
}

func branchJSONOf(r branch.Result) *branchJSONResult {
	out := &branchJSONResult{Head: r.Head, Base: r.Base, HeadKind: r.HeadKind, BaseKind: r.BaseKind,
		Allowed: r.Allowed, Skipped: r.Skipped, Note: r.Note, Findings: []branchJSONFinding{}}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, branchJSONFinding{Rule: f.Rule, Branch: f.Branch, Column: f.Column, Message: f.Message, Fix: f.Fix, Allowed: f.Allowed})
	}
	return out
}

func branchJSONReport(rep release.BranchCheckReport) *branchJSONResult {
	out := branchJSONOf(rep.Result)
	if rep.Debt != nil {
		out.Debt = branchJSONDebt(*rep.Debt)
	}
	return out
}

func branchJSONDebt(rep release.BranchDebtReport) *branchJSONDebtRep {
	out := &branchJSONDebtRep{Stable: rep.Stable, Integration: rep.Integration, InDebt: rep.InDebt(), Message: rep.Message(), Commits: []branchJSONCommit{}}
	for _, c := range rep.Commits {
		out.Commits = append(out.Commits, branchJSONCommit{Hash: c.Hash, Subject: c.Subject})
	}
	return out
}

func branchWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
