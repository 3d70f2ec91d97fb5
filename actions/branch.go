package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/branch"
)

func init() {
	register(verb{name: "branch", run: runBranch})
}

// runBranch checks the pull request's head and base against the branching
// model. Head and base come from the inputs `head` and `base` when set,
// else from pull_request.head.ref and base.ref — never head.label or
// GITHUB_REF, which name "owner:branch" and the merge ref.
func runBranch(ctx context.Context, s *step) (*Report, error) {
	head, base := s.r.Input("head"), s.r.Input("base")
	if pr := s.ev.PullRequest; pr != nil {
		if head == "" {
			head = pr.HeadRef
		}
		if base == "" {
			base = pr.BaseRef
		}
	}
	if head == "" || base == "" {
		return &Report{
			Name: "shipflow branch", Conclusion: Skipped,
			Title:   fmt.Sprintf("no pull request in this %s event: nothing to check", orEvent(s.ev.Name)),
			Summary: "Set the `head` and `base` inputs, or run on `pull_request` (types: opened, edited, synchronize, reopened).",
		}, nil
	}
	policy, err := release.BranchPolicy(s.config.Branches)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	res, err := release.BranchCheck(ctx, nil, release.BranchCheckOptions{Head: head, Base: base, Policy: policy})
	if err != nil {
		return nil, &InputError{Err: err}
	}
	rep := branchReport(res.Result)
	rep.Outputs = []Output{
		{"allowed", fmt.Sprint(res.Result.Allowed)},
		{"head", res.Result.Head},
		{"base", res.Result.Base},
		{"head-kind", res.Result.HeadKind},
	}
	return rep, nil
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
