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
	var head, base, format string
	var debt, fork bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check that a pull request from --head into --base follows the branching model",
		Long: `Check that a pull request from --head into --base follows the branching
model (default: feature/* -> dev, dev -> main, hotfix/* -> main or dev,
main -> dev, dependabot/* and renovate/* -> dev; merge-queue branches are
skipped), and that the head's name is valid. The model is configured in the
branches section of .shipflow.yaml.

In GitHub Actions the branches default to $GITHUB_HEAD_REF and
$GITHUB_BASE_REF (the pull_request event's head.ref and base.ref).

Exit status: 0 allowed, 1 rejected, 2 usage or configuration error (with
--debt also an unknown branch), 3 git failure.`,
		Example: `  shipflow branch check --head feature/login --base dev
  shipflow branch check --head refs/heads/hotfix/cve --base main --debt --format github`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := branchFormatOK(format); err != nil {
				return err
			}
			if head == "" {
				head = e.getenv("GITHUB_HEAD_REF")
			}
			if base == "" {
				base = e.getenv("GITHUB_BASE_REF")
			}
			if head == "" || base == "" {
				return usageErr("branch check needs --head and --base (or $GITHUB_HEAD_REF and $GITHUB_BASE_REF in a pull_request workflow)")
			}
			repo, cfg, err := branchConfig(e, debt)
			if err != nil {
				return err
			}
			policy, err := release.BranchPolicy(cfg.Branches)
			if err != nil {
				return usageErr("%v", err)
			}
			opt := release.BranchCheckOptions{Head: head, Base: base, Policy: policy}
			if fork {
				opt.Fork = branchDebtOptions(cfg.Branches).Integration
			}
			if debt {
				d := branchDebtOptions(cfg.Branches)
				opt.Debt = &d
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
	fl.StringVar(&head, "head", "", "the pull request's head `BRANCH` (pull_request.head.ref; default $GITHUB_HEAD_REF)")
	fl.StringVar(&base, "base", "", "the pull request's base `BRANCH` (pull_request.base.ref; default $GITHUB_BASE_REF)")
	addFormatFlag(fl, &format, "text, json or github (workflow annotations)")
	fl.BoolVar(&debt, "debt", false, "also warn when the stable branch has commits the integration branch lacks")
	fl.BoolVar(&fork, "head-fork", false, "the head branch lives in a fork: it may only target the integration branch, whatever its name")
	return cmd
}

func newBranchDebtCmd(e *env) *cobra.Command {
	var format string
	var opt release.BranchDebtOptions
	cmd := &cobra.Command{
		Use:   "debt",
		Short: "Report commits of the stable branch (a hotfix) that the integration branch lacks",
		Long: `Report commits of the stable branch (main) whose changes the integration
branch (dev) lacks, typically a hotfix that was not merged back. Merge
commits, cherry-picked commits and changes that reached dev another way are
not counted. Branches are taken locally, else from origin's tracking
branches (fetch them in CI: actions/checkout with fetch-depth: 0).

Exit status: 0 no debt, 1 debt found, 2 usage or configuration error,
3 git failure.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := branchFormatOK(format); err != nil {
				return err
			}
			repo, cfg, err := branchConfig(e, true)
			if err != nil {
				return err
			}
			d := branchDebtOptions(cfg.Branches)
			if opt.Stable != "" {
				d.Stable = opt.Stable
			}
			if opt.Integration != "" {
				d.Integration = opt.Integration
			}
			d.Remote = opt.Remote
			rep, err := release.BranchDebt(e.ctx, repo, d)
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
	fl.StringVar(&opt.Stable, "stable", "", "the stable `BRANCH` (default: branches.stable, main)")
	fl.StringVar(&opt.Integration, "integration", "", "the integration `BRANCH` (default: branches.integration, dev)")
	fl.StringVar(&opt.Remote, "remote", "origin", "`REMOTE` whose tracking branches stand in for missing local branches")
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
// e.dir outside a repository). needRepo makes a missing repository a usage
// error.
func branchConfig(e *env, needRepo bool) (*git.Repo, *config.Config, error) {
	dir := e.dir
	repo, err := git.Open(e.ctx, e.dir)
	switch {
	case err == nil:
		dir = repo.Dir()
	case needRepo:
		return nil, nil, err // *git.NotRepoError: exit 2
	default:
		repo = nil
	}
	cfg, _, err := config.Load(dir)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	return repo, cfg, nil
}

// branchDebtOptions maps the config's stable and integration branches.
func branchDebtOptions(c config.Branches) release.BranchDebtOptions {
	d := release.BranchDebtOptions{Stable: c.Stable, Integration: c.Integration}
	if d.Stable == "" {
		d.Stable = "main"
	}
	if d.Integration == "" {
		d.Integration = "dev"
	}
	return d
}

func branchPrint(w io.Writer, format string, rep release.BranchCheckReport) error {
	switch format {
	case "json":
		return branchWriteJSON(w, branchJSONReport(rep))
	case "github":
		branchPrintGitHub(w, rep.Result)
		if rep.Debt != nil {
			branchPrintDebtGitHub(w, *rep.Debt)
		}
		return nil
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
		branchPrintDebtGitHub(w, rep)
		return nil
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
	fmt.Fprintf(w, "%s%s [back-merge-debt]\n", mark, rep.Message())
	for _, c := range rep.Commits {
		fmt.Fprintf(w, "    %.7s %s\n", c.Hash, c.Subject)
	}
}

func branchPrintGitHub(w io.Writer, r branch.Result) {
	if r.Note != "" {
		fmt.Fprintf(w, "::notice title=%s::%s\n", report.EscapeProperty("branch check"), report.EscapeData(r.Note))
	}
	for _, f := range r.Findings {
		msg := f.Branch + ": " + f.Message
		if f.Column > 0 {
			msg = fmt.Sprintf("%s: character %d: %s", f.Branch, f.Column, f.Message)
		}
		if f.Fix != "" {
			msg += "\n" + f.Fix
		}
		fmt.Fprintf(w, "::error title=%s::%s\n", report.EscapeProperty("branch "+f.Rule), report.EscapeData(msg))
	}
}

func branchPrintDebtGitHub(w io.Writer, rep release.BranchDebtReport) {
	if !rep.InDebt() {
		return
	}
	var b strings.Builder
	b.WriteString(rep.Message())
	for _, c := range rep.Commits {
		fmt.Fprintf(&b, "\n%.7s %s", c.Hash, c.Subject)
	}
	fmt.Fprintf(w, "::warning title=%s::%s\n", report.EscapeProperty("back-merge debt"), report.EscapeData(b.String()))
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
