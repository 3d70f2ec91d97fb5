package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/branch"
)

// runBranch checks the pull request's head and base against the branching
// model. Head and base come from the inputs `head` and `base` when set,
// else from pull_request.head.ref and base.ref — never head.label or
// GITHUB_REF, which name "owner:branch" and the merge ref — as
// release.ResolveBranchCheck resolves them for `shipflow branch check`
// too. A head taken from a fork's pull request is checked as a fork's
// branch (feature work that may only target the integration branch): its
// name says nothing about this repository's branches.
//
// With the input `debt`, it also warns when the stable branch has commits
// the integration branch lacks (a hotfix not merged back), on any event;
// debt never fails the step.
func runBranch(ctx context.Context, s *step) (*Report, error) {
	opt, err := release.ResolveBranchCheck(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, &InputError{Err: err}
	}
	// The debt is checked here, not by BranchCheck: it may fail to be
	// checked (no repository, a shallow checkout) without failing the step.
	debt := opt.Debt
	opt.Debt = nil
	var rep *Report
	if opt.Head == "" || opt.Base == "" {
		rep = &Report{
			Name: "shipflow branch", Conclusion: Skipped,
			Title:   fmt.Sprintf("no pull request in this %s event: nothing to check", orEvent(s.ev.Name)),
			Summary: "Set the `head` and `base` inputs, or run on `pull_request` (types: opened, edited, synchronize, reopened).",
		}
	} else {
		res, err := release.BranchCheck(ctx, nil, opt)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		rep = branchReport(res)
		rep.Outputs = []Output{
			{"allowed", fmt.Sprint(res.Result.Allowed)},
			{"head", res.Result.Head},
			{"base", res.Result.Base},
			{"head-kind", res.Result.HeadKind},
		}
	}
	if debt != nil {
		branchDebt(ctx, s, rep, *debt)
	}
	return rep, nil
}

// branchDebt adds the back-merge debt to rep: a warning and a summary
// section when the integration branch lacks commits of the stable branch,
// a warning saying why when it could not be checked. It never fails rep;
// a skipped branch check becomes a success that reports the debt.
func branchDebt(ctx context.Context, s *step, rep *Report, opt release.BranchDebtOptions) {
	if rep.Conclusion == Skipped {
		rep.Conclusion, rep.Title, rep.Summary = Success, fmt.Sprintf("%s → %s: no back-merge debt", opt.Stable, opt.Integration), ""
	}
	repo, err := s.openRepo(ctx)
	var d release.BranchDebtReport
	if err == nil {
		d, err = release.BranchDebt(ctx, repo, opt)
	}
	if err != nil {
		rep.Annotations = append(rep.Annotations, release.BranchDebtUnchecked(err))
		rep.Outputs = append(rep.Outputs, Output{"debt", ""})
		return
	}
	rep.Outputs = append(rep.Outputs, Output{"debt", fmt.Sprint(len(d.Commits))})
	if !d.InDebt() {
		rep.Summary += fmt.Sprintf("\n`%s` holds every change of `%s`: no back-merge debt.\n", codeSpan(d.Integration), codeSpan(d.Stable))
		return
	}
	rep.Annotations = append(rep.Annotations, d.Findings()...)
	if strings.HasSuffix(rep.Title, ": no back-merge debt") {
		rep.Title = d.Message()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Back-merge debt\n\n%s:\n\n", escapeMarkdown(d.Message()))
	for _, c := range d.Commits {
		fmt.Fprintf(&b, "- `%s` %s\n", codeSpan(shortHash(c.Hash)), escapeMarkdown(c.Subject))
	}
	rep.Summary += b.String()
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func orEvent(name string) string {
	if name == "" {
		return "local"
	}
	return name
}

// branchReport is the Action's report of a branch check: its findings
// as `shipflow branch check --format github` writes them, and a summary.
func branchReport(check release.BranchCheckReport) *Report {
	res := check.Result
	rep := &Report{Name: "shipflow branch", Annotations: check.Findings()}
	var b strings.Builder
	fmt.Fprintf(&b, "| head | base | verdict |\n| --- | --- | --- |\n| `%s` | `%s` | %s |\n",
		codeSpan(res.Head), codeSpan(res.Base), branchVerdict(res))
	if res.Note != "" {
		fmt.Fprintf(&b, "\n%s\n", escapeMarkdown(res.Note))
	}
	rep.Summary = b.String()
	switch {
	case res.Skipped:
		rep.Conclusion, rep.Title = Success, fmt.Sprintf("%s: not checked (%s)", res.Head, res.HeadKind)
	case res.Allowed:
		rep.Conclusion, rep.Title = Success, fmt.Sprintf("%s → %s is allowed", res.Head, res.Base)
	default:
		rep.Conclusion, rep.Title = Failed, fmt.Sprintf("%s → %s: %s", res.Head, res.Base, res.Findings[0].Message)
	}
	return rep
}

func branchVerdict(res branch.Result) string {
	switch {
	case res.Skipped:
		return "skipped"
	case res.Allowed:
		return "allowed"
	}
	return "rejected: " + escapeMarkdown(res.Findings[0].Message)
}

// codeSpan makes s safe inside a Markdown code span.
func codeSpan(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ", "\r", "").Replace(s)
}
