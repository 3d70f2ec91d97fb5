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
	if err := prPrint(e.stdout, format, rep); err != nil {
		return failure(err)
	}
	if rep.Failed() {
		return findings()
	}
	return nil
}

// prPrint writes the pull request's report. text and json keep their
// own layout (a line per part); every format's findings are
// release.PRReport.Entries, and github and markdown write them as the pr
// Action annotates them and renders its job summary.
func prPrint(w io.Writer, format string, rep *release.PRReport) error {
	switch format {
	case "json":
		return branchWriteJSON(w, prJSON(rep))
	case "github", "markdown":
		var rw report.Writer = report.NewGitHub(w)
		if format == "markdown" {
			rw = report.NewMarkdown(w)
		}
		if err := rw.Begin(report.Run{}); err != nil {
			return err
		}
		for _, e := range rep.Entries() {
			if err := rw.Write(e); err != nil {
				return err
			}
		}
		return rw.End(report.Summary{Count: 1, Errors: rep.Errors, Warnings: rep.Warnings}, nil)
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
			prPrintFindings(w, c.Result)
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
	prPrintFindings(w, res)
}

// prPrintFindings prints one message's findings as the text writer does,
// indented under the line that names the message.
func prPrintFindings(w io.Writer, res commitlint.Result) {
	report.WriteTextFindings(w, "    ", "    ", report.LintEntry(report.SourceMessage, "", "", res))
}

type prJSONMessage struct {
	Message string `json:"message"`
	report.JSONMessage
}

type prJSONReport struct {
	Number   int                  `json:"number"`
	Range    string               `json:"range"`
	OK       bool                 `json:"ok"`
	Errors   int                  `json:"errors"`
	Warnings int                  `json:"warnings"`
	Title    prJSONMessage        `json:"title"`
	Commits  []report.JSONMessage `json:"commits"`
	Squash   prJSONMessage        `json:"squash"`
	Branch   *branchJSONResult    `json:"branch,omitempty"`
}

func prJSON(rep *release.PRReport) prJSONReport {
	msg := func(res commitlint.Result) report.JSONMessage {
		return report.NewJSONMessage(report.LintEntry(report.SourceMessage, "", "", res))
	}
	out := prJSONReport{
		Number: rep.Number, Range: rep.Range, OK: rep.OK(), Errors: rep.Errors, Warnings: rep.Warnings,
		Title:   prJSONMessage{Message: rep.Title.Message, JSONMessage: msg(rep.Title.Result)},
		Squash:  prJSONMessage{Message: rep.Squash.Message, JSONMessage: msg(rep.Squash.Result)},
		Commits: []report.JSONMessage{},
	}
	for _, c := range rep.Commits {
		j := msg(c.Result)
		j.Commit = c.Commit.Hash
		out.Commits = append(out.Commits, j)
	}
	if rep.Branch != nil {
		out.Branch = branchJSONOf(*rep.Branch)
	}
	return out
}
