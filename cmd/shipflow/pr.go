package main

import (
	"fmt"
	"io"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/report"
	"github.com/spf13/cobra"
)

func newPRCmd(e *env) *cobra.Command {
	var opt release.PROptions
	var format string
	var strict, fork bool
	cmd := &cobra.Command{
		Use:   "pr",
		Short: "Check a whole pull request: title, every commit, the squash commit and the branches",
		Long: `Check a whole pull request in one report: lint its title, every commit in
--base-sha..--head-sha (read from git, so pull requests of any size work;
the REST API lists at most 250 commits), and the commit GitHub creates on
"Squash and merge" (the title plus " (#N)", or the single commit's message
for a one-commit pull request: check its header length!). With --head and
--base, the branching model is checked too.

In a pull_request workflow pass the event's values: --base-sha
${{ github.event.pull_request.base.sha }}, --head-sha ...head.sha, --title
...title, --number ...number, --head ...head.ref, --base ...base.ref
(never head.label or github.ref). The checkout needs fetch-depth: 0.

Exit status: 0 clean (warnings allowed), 1 problems found (warnings too
with --strict or lint.strict), 2 usage or configuration error, 3 git failure.`,
		Example: `  shipflow pr --base-sha "$BASE" --head-sha "$HEAD" --title "feat: login" --number 12 --head feature/login --base dev`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := branchFormatOK(format); err != nil {
				return err
			}
			if err := opt.Validate(); err != nil {
				return usageErr("%v", err)
			}
			repo, cfg, err := branchConfig(e, true)
			if err != nil {
				return err
			}
			if opt.Lint, err = release.LintConfig(repo.Dir(), cfg.Lint); err != nil {
				return usageErr("%v", err)
			}
			if fork {
				opt.Fork = branchDebtOptions(cfg.Branches).Integration
			}
			if opt.Policy, err = release.BranchPolicy(cfg.Branches); err != nil {
				return usageErr("%v", err)
			}
			rep, err := release.PR(e.ctx, repo, opt)
			if err != nil {
				return err
			}
			if err := prPrint(e.stdout, format, rep); err != nil {
				return failure(err)
			}
			if !rep.OK() || (strict || cfg.Lint.Strict) && rep.Warnings > 0 {
				return findings()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opt.BaseSHA, "base-sha", "", "the pull request's base `SHA` (pull_request.base.sha)")
	fl.StringVar(&opt.HeadSHA, "head-sha", "", "the pull request's head `SHA` (pull_request.head.sha)")
	fl.StringVar(&opt.Title, "title", "", "the pull request's `TITLE`")
	fl.IntVar(&opt.Number, "number", 0, "the pull request's `NUMBER`, appended to the squash commit's header as \" (#N)\"")
	fl.StringVar(&opt.Head, "head", "", "the head `BRANCH` (pull_request.head.ref); with --base, checks the branching model")
	fl.StringVar(&opt.Base, "base", "", "the base `BRANCH` (pull_request.base.ref)")
	addFormatFlag(fl, &format, "text, json or github (workflow annotations)")
	fl.BoolVar(&strict, "strict", false, "warnings fail too (exit 1)")
	fl.BoolVar(&fork, "head-fork", false, "the head branch lives in a fork: it may only target the integration branch, whatever its name")
	return cmd
}

func prPrint(w io.Writer, format string, rep *release.PRReport) error {
	switch format {
	case "json":
		return branchWriteJSON(w, prJSON(rep))
	case "github":
		prPrintGitHub(w, rep)
		return nil
	}
	name := "pull request"
	if rep.Number > 0 {
		name = fmt.Sprintf("pull request #%d", rep.Number)
	}
	fmt.Fprintf(w, "%s: %s\n", name, rep.Title.Message)
	prPrintPart(w, "title", rep.Title.Result)
	bad := 0
	for _, c := range rep.Commits {
		if len(c.Result.Findings) > 0 {
			bad++
			fmt.Fprintf(w, "✖ commit %s: %s\n", c.Commit.Short(), c.Result.Commit.Header)
			lintPrintTextPrefixed(w, "    ", c.Result, "    ")
		}
	}
	if bad == 0 {
		fmt.Fprintf(w, "✔ %d %s\n", len(rep.Commits), report.Plural(len(rep.Commits), "commit", "commits"))
	}
	if sq := rep.Squash.Result; len(sq.Findings) == 0 && !rep.OK() && prSquashInherits(rep) {
		fmt.Fprintf(w, "✖ squash commit: %s (the problems above)\n", sq.Commit.Header)
	} else {
		prPrintPart(w, "squash commit", sq)
	}
	if b := rep.Branch; b != nil {
		switch {
		case b.Skipped:
			fmt.Fprintf(w, "✔ branches %s → %s: skipped, %s\n", b.Head, b.Base, b.Note)
		case b.Allowed:
			fmt.Fprintf(w, "✔ branches %s → %s\n", b.Head, b.Base)
		default:
			fmt.Fprintf(w, "✖ branches %s → %s\n", b.Head, b.Base)
			branchPrintFindings(w, b.Findings, "    ")
		}
	}
	if rep.Errors+rep.Warnings > 0 {
		mark := "✖"
		if rep.OK() {
			mark = "⚠"
		}
		fmt.Fprintf(w, "%s %s\n", mark, report.Counts(rep.Errors, rep.Warnings))
	}
	return nil
}

// prSquashInherits reports whether the squash commit's source (the title,
// or the single commit) has findings, which the squash commit then shares.
func prSquashInherits(rep *release.PRReport) bool {
	n := 0
	var one *release.PRCommit
	for i := range rep.Commits {
		if !rep.Commits[i].Commit.IsMerge() {
			n++
			one = &rep.Commits[i]
		}
	}
	if n == 1 {
		return len(one.Result.Findings) > 0
	}
	return len(rep.Title.Result.Findings) > 0
}

func prPrintPart(w io.Writer, what string, res commitlint.Result) {
	if len(res.Findings) == 0 {
		fmt.Fprintf(w, "✔ %s\n", what)
		return
	}
	fmt.Fprintf(w, "✖ %s: %s\n", what, res.Commit.Header)
	lintPrintTextPrefixed(w, "    ", res, "    ")
}

// prPrintGitHub prints one workflow command per finding, titled with the
// part of the pull request it is about.
func prPrintGitHub(w io.Writer, rep *release.PRReport) {
	lint := func(part string, res commitlint.Result) {
		for _, f := range res.Findings {
			kind := "error"
			if f.Level == commitlint.Warning {
				kind = "warning"
			}
			msg := f.Message
			if f.Line > 0 {
				msg = fmt.Sprintf("line %d, column %d: %s", f.Line, f.Column, msg)
			}
			if f.Fix != "" {
				msg += "\n" + f.Fix
			}
			fmt.Fprintf(w, "::%s title=%s::%s\n", kind, report.EscapeProperty(part+": "+f.Rule), report.EscapeData(res.Commit.Header+"\n"+msg))
		}
	}
	lint("PR title", rep.Title.Result)
	for _, c := range rep.Commits {
		lint("commit "+c.Commit.Short(), c.Result)
	}
	lint("squash commit", rep.Squash.Result)
	if rep.Branch != nil {
		branchPrintGitHub(w, *rep.Branch)
	}
}

type prJSONMessage struct {
	Message string `json:"message"`
	lintJSONResult
}

type prJSONReport struct {
	Number   int               `json:"number"`
	Range    string            `json:"range"`
	OK       bool              `json:"ok"`
	Errors   int               `json:"errors"`
	Warnings int               `json:"warnings"`
	Title    prJSONMessage     `json:"title"`
	Commits  []lintJSONResult  `json:"commits"`
	Squash   prJSONMessage     `json:"squash"`
	Branch   *branchJSONResult `json:"branch,omitempty"`
}

func prJSON(rep *release.PRReport) prJSONReport {
	out := prJSONReport{
		Number: rep.Number, Range: rep.Range, OK: rep.OK(), Errors: rep.Errors, Warnings: rep.Warnings,
		Title:   prJSONMessage{Message: rep.Title.Message, lintJSONResult: lintJSON(rep.Title.Result)},
		Squash:  prJSONMessage{Message: rep.Squash.Message, lintJSONResult: lintJSON(rep.Squash.Result)},
		Commits: []lintJSONResult{},
	}
	for _, c := range rep.Commits {
		j := lintJSON(c.Result)
		j.Commit = c.Commit.Hash
		out.Commits = append(out.Commits, j)
	}
	if rep.Branch != nil {
		out.Branch = branchJSONOf(*rep.Branch)
	}
	return out
}
