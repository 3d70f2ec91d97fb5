package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
)

// lintAnnotations turns one message's findings into annotations titled
// with where the message came from ("commit 1a2b3c4", "PR title").
func lintAnnotations(where string, res commitlint.Result) []Annotation {
	var out []Annotation
	header := ""
	if res.Commit != nil {
		header = res.Commit.Header
	}
	for _, f := range res.Findings {
		lvl := Warning
		if f.Level == commitlint.Error {
			lvl = Failure
		}
		msg := f.Message
		if f.Line > 0 {
			msg = fmt.Sprintf("%d:%d: %s", f.Line, f.Column, msg)
		}
		if f.Fix != "" {
			msg += " (" + f.Fix + ")"
		}
		if header != "" {
			msg += "\n" + header
		}
		out = append(out, Annotation{Level: lvl, Title: fmt.Sprintf("%s [%s]", where, f.Rule), Message: msg})
	}
	return out
}

// lintRange picks the commits to lint: the inputs `from` and `to` when
// set; else a pull request's base.sha..head.sha; else a push's
// before..after (only the pushed commit when the branch is new or before
// is gone).
func (s *step) lintRange(ctx context.Context) (from, to string) {
	from, to = s.r.Input("from"), s.r.Input("to")
	if from != "" || to != "" {
		return from, to
	}
	switch {
	case s.ev.PullRequest != nil:
		return s.ev.PullRequest.BaseSHA, s.ev.PullRequest.HeadSHA
	case s.ev.Push != nil && s.ev.Push.After != "" && strings.Trim(s.ev.Push.After, "0") != "":
		if strings.Trim(s.ev.Push.Before, "0") != "" {
			// After a force push the old tip may be gone: lint the pushed
			// commit alone then.
			if _, err := s.repo.ResolveCommit(ctx, s.ev.Push.Before); err == nil {
				return s.ev.Push.Before, s.ev.Push.After
			}
		}
		if _, err := s.repo.ResolveCommit(ctx, s.ev.Push.After+"~1"); err == nil {
			return s.ev.Push.After + "~1", s.ev.Push.After
		}
		return "", s.ev.Push.After
	}
	return "", ""
}

func runCommitlint(ctx context.Context, s *step) (*Report, error) {
	cfg, err := release.LintConfig(s.dir, s.config.Lint)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	from, to := s.lintRange(ctx)
	if from == "" && to == "" {
		if from, err = release.LastTag(ctx, s.repo, "HEAD"); err != nil {
			return nil, err
		}
	}
	lr, err := release.LintRange(ctx, s.repo, release.LintRangeOptions{From: from, To: to, Config: cfg})
	if err != nil {
		return nil, err
	}
	rep := &Report{Name: "shipflow commitlint", Conclusion: Success}
	var b strings.Builder
	fmt.Fprintf(&b, "Linted %d %s in `%s`.\n\n", lr.Count, plural(lr.Count, "commit", "commits"), codeSpan(lr.Range))
	if len(lr.Bad) > 0 {
		b.WriteString("| commit | header | errors | warnings |\n| --- | --- | --- | --- |\n")
	}
	for _, c := range lr.Bad {
		rep.Annotations = append(rep.Annotations, lintAnnotations("commit "+c.Commit.Short(), c.Result)...)
		fmt.Fprintf(&b, "| %s | %s | %d | %d |\n", c.Commit.Short(), escapeCell(headerOf(c.Commit)), c.Errors(), c.Warnings())
	}
	rep.Summary = b.String()
	if lr.Errors > 0 {
		rep.Conclusion = Failed
	}
	rep.Title = fmt.Sprintf("%d %s, %d %s, %d %s in %d %s",
		lr.Errors, plural(lr.Errors, "error", "errors"), lr.Warnings, plural(lr.Warnings, "warning", "warnings"),
		len(lr.Bad), plural(len(lr.Bad), "bad commit", "bad commits"), lr.Count, plural(lr.Count, "commit", "commits"))
	rep.Outputs = []Output{{"errors", fmt.Sprint(lr.Errors)}, {"warnings", fmt.Sprint(lr.Warnings)}, {"commits", fmt.Sprint(lr.Count)}}
	return rep, nil
}

func headerOf(c *git.Commit) string {
	h, _, _ := strings.Cut(c.Message, "\n")
	return h
}

// runPR checks a whole pull request: its title, every commit of
// base.sha..head.sha (from git: the API lists at most 250), the squash
// commit GitHub will make and the branch model.
func runPR(ctx context.Context, s *step) (*Report, error) {
	pr := s.ev.PullRequest
	if pr == nil {
		return &Report{
			Name: "shipflow pr", Conclusion: Skipped,
			Title:   fmt.Sprintf("no pull request in this %s event: nothing to check", orEvent(s.ev.Name)),
			Summary: "Run `shipflow action pr` on `pull_request` (types: opened, edited, synchronize, reopened).",
		}, nil
	}
	cfg, err := release.LintConfig(s.dir, s.config.Lint)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	policy, err := release.BranchPolicy(s.config.Branches)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	pr2, err := release.PR(ctx, s.repo, release.PROptions{
		BaseSHA: pr.BaseSHA, HeadSHA: pr.HeadSHA, Title: pr.Title, Number: pr.Number,
		Head: pr.HeadRef, Base: pr.BaseRef, Lint: cfg, Policy: policy,
		Fork: prForkIntegration(s, pr),
	})
	if err != nil {
		return nil, err
	}
	rep := &Report{Name: "shipflow pr", Conclusion: Success}
	var b strings.Builder
	b.WriteString("| checked | result |\n| --- | --- |\n")
	row := func(what string, res commitlint.Result) {
		fmt.Fprintf(&b, "| %s | %s |\n", escapeCell(what), lintVerdict(res))
	}
	rep.Annotations = append(rep.Annotations, lintAnnotations("PR title", pr2.Title.Result)...)
	row("PR title: "+pr.Title, pr2.Title.Result)
	for _, c := range pr2.Commits {
		rep.Annotations = append(rep.Annotations, lintAnnotations("commit "+c.Commit.Short(), c.Result)...)
		row(c.Commit.Short()+" "+headerOf(c.Commit), c.Result)
	}
	sqHeader, _, _ := strings.Cut(pr2.Squash.Message, "\n")
	rep.Annotations = append(rep.Annotations, lintAnnotations("squash commit", pr2.Squash.Result)...)
	row("squash commit: "+sqHeader, pr2.Squash.Result)
	if pr2.Branch != nil {
		rep.Annotations = append(rep.Annotations, branchAnnotations(*pr2.Branch)...)
		fmt.Fprintf(&b, "| branch `%s` → `%s` | %s |\n", codeSpan(pr2.Branch.Head), codeSpan(pr2.Branch.Base), branchVerdict(*pr2.Branch))
	}
	rep.Summary = b.String()
	if !pr2.OK() {
		rep.Conclusion = Failed
	}
	rep.Title = fmt.Sprintf("#%d: %d %s, %d %s over the title, %d %s, the squash commit and the branches",
		pr.Number, pr2.Errors, plural(pr2.Errors, "error", "errors"), pr2.Warnings, plural(pr2.Warnings, "warning", "warnings"),
		len(pr2.Commits), plural(len(pr2.Commits), "commit", "commits"))
	rep.Outputs = []Output{{"errors", fmt.Sprint(pr2.Errors)}, {"warnings", fmt.Sprint(pr2.Warnings)}, {"commits", fmt.Sprint(len(pr2.Commits))}}
	return rep, nil
}

func lintVerdict(res commitlint.Result) string {
	switch {
	case res.Ignored:
		return "ignored"
	case len(res.Findings) == 0:
		return "✅ ok"
	}
	return fmt.Sprintf("❌ %d %s, %d %s", res.Errors(), plural(res.Errors(), "error", "errors"), res.Warnings(), plural(res.Warnings(), "warning", "warnings"))
}

// prForkIntegration is the integration branch a fork's pull request may
// target, or "" when the head branch is this repository's.
func prForkIntegration(s *step, pr *PullRequest) string {
	if pr.FromFork() {
		return branchIntegration(s)
	}
	return ""
}
