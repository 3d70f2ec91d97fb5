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
// GITHUB_REF, which name "owner:branch" and the merge ref. A head taken
// from a fork's pull request is checked as a fork's branch (feature work
// that may only target the integration branch): its name says nothing
// about this repository's branches.
//
// With the input `debt`, it also warns when the stable branch has commits
// the integration branch lacks (a hotfix not merged back), on any event;
// debt never fails the step.
func runBranch(ctx context.Context, s *step) (*Report, error) {
	head, base := s.r.Input("head"), s.r.Input("base")
	fork := false
	if pr := s.ev.PullRequest; pr != nil {
		if head == "" {
			head = pr.HeadRef
			fork = pr.FromFork()
		}
		if base == "" {
			base = pr.BaseRef
		}
	}
	debt, err := s.r.BoolInput("debt", false)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	var rep *Report
	if head == "" || base == "" {
		rep = &Report{
			Name: "shipflow branch", Conclusion: Skipped,
			Title:   fmt.Sprintf("no pull request in this %s event: nothing to check", orEvent(s.ev.Name)),
			Summary: "Set the `head` and `base` inputs, or run on `pull_request` (types: opened, edited, synchronize, reopened).",
		}
	} else {
		policy, err := release.BranchPolicy(s.config.Branches)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		opt := release.BranchCheckOptions{Head: head, Base: base, Policy: policy}
		if fork {
			opt.Fork = branchIntegration(s)
		}
		res, err := release.BranchCheck(ctx, nil, opt)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		rep = branchReport(res.Result)
		rep.Outputs = []Output{
			{"allowed", fmt.Sprint(res.Result.Allowed)},
			{"head", res.Result.Head},
			{"base", res.Result.Base},
			{"head-kind", res.Result.HeadKind},
		}
	}
	if debt {
		branchDebt(ctx, s, rep)
	}
	return rep, nil
}

// branchIntegration is the configured integration branch (default dev).
func branchIntegration(s *step) string {
	if b := s.config.Branches.Integration; b != "" {
		return b
	}
	return "dev"
}

// branchDebt adds the back-merge debt to rep: a warning and a summary
// section when the integration branch lacks commits of the stable branch,
// a warning saying why when it could not be checked. It never fails rep;
// a skipped branch check becomes a success that reports the debt.
func branchDebt(ctx context.Context, s *step, rep *Report) {
	stable := s.config.Branches.Stable
	if stable == "" {
		stable = "main"
	}
	opt := release.BranchDebtOptions{Stable: stable, Integration: branchIntegration(s)}
	if rep.Conclusion == Skipped {
		rep.Conclusion, rep.Title, rep.Summary = Success, fmt.Sprintf("%s → %s: no back-merge debt", opt.Stable, opt.Integration), ""
	}
	warn := func(msg string) {
		rep.Annotations = append(rep.Annotations, Annotation{Level: Warning, Title: "back-merge debt [branch-debt]", Message: msg})
	}
	repo, err := s.openRepo(ctx)
	var d release.BranchDebtReport
	if err == nil {
		d, err = release.BranchDebt(ctx, repo, opt)
	}
	if err != nil {
		warn(fmt.Sprintf("not checked: %v", err))
		rep.Outputs = append(rep.Outputs, Output{"debt", ""})
		return
	}
	rep.Outputs = append(rep.Outputs, Output{"debt", fmt.Sprint(len(d.Commits))})
	if !d.InDebt() {
		rep.Summary += fmt.Sprintf("\n`%s` holds every change of `%s`: no back-merge debt.\n", codeSpan(d.Integration), codeSpan(d.Stable))
		return
	}
	warn(d.Message())
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

// branchAnnotations turns the model's findings into failures.
func branchAnnotations(res branch.Result) []Annotation {
	var out []Annotation
	for _, f := range res.Findings {
		msg := f.Message
		if f.Fix != "" {
			msg += "; " + f.Fix
		}
		out = append(out, Annotation{Level: Failure, Title: fmt.Sprintf("%s [%s]", f.Branch, f.Rule), Message: msg})
	}
	return out
}

func branchReport(res branch.Result) *Report {
	rep := &Report{Name: "shipflow branch", Annotations: branchAnnotations(res)}
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
