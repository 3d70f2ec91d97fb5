package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// runNext plans the next version. Outputs:
//
//	current-version  highest stable version reachable from HEAD ("" when none)
//	current-tag      its tag
//	next-version     the version to release ("" when nothing is releasable)
//	next-tag         its tag ("" when nothing is releasable or on build channels)
//	bump             major, minor, patch or none
//	released         true when a release is due (next-tag is set)
//	channel          the branch's release channel (stable, dev, hotfix, feature, none)
//	breaking-notes   the commits' BREAKING CHANGE notes, one paragraph each
//
// In a monorepo (packages: in .shipflow.yaml) it plans every package, or
// those the package input names (see runNextPackages), and adds:
//
//	packages   JSON list of {name, next, next_tag, bump, released}
//	releasing  the packages that would release, comma-separated
func runNext(ctx context.Context, s *step) (*Report, error) {
	pk, err := release.ResolvePackages(s.inputs(), s.config)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	opts, err := release.ResolveNext(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if pk.Monorepo() {
		return runNextPackages(ctx, s, opts, pk)
	}
	plan, err := release.Plan(ctx, s.repo, opts)
	if err != nil {
		return nextError(err, release.NextFindings(nil, err))
	}
	return nextReport(plan), nil
}

// nextError is the report or error of a plan that failed: a refusal of
// the rules is a failed step with its annotation (findings), a bad
// setting an *InputError.
func nextError(err error, findings []report.Finding) (*Report, error) {
	if release.PlanRefused(err) {
		return &Report{
			Name: "shipflow next", Conclusion: Failed, Title: "no version: " + err.Error(),
			Annotations: findings,
		}, nil
	}
	// A detached HEAD without a branch, or a branch input naming no
	// branch, is the workflow's mistake as a bad setting is.
	if _, ok := err.(*config.Error); ok || errors.Is(err, release.ErrPlanBadTag) ||
		errors.Is(err, release.ErrPlanDetached) || errors.Is(err, git.ErrUnknownRevision) ||
		errors.Is(err, release.ErrUnknownPackage) {
		return nil, &InputError{Err: err}
	}
	return nil, err
}

func nextReport(p *release.PlanReport) *Report {
	rep := &Report{Name: "shipflow next", Conclusion: Success}
	cur, next := "", ""
	if p.Previous != nil {
		cur = p.Previous.String()
	}
	if p.Next != nil {
		next = p.Next.String()
	}
	var notes []string
	for _, c := range p.Commits {
		if c.Parsed != nil {
			for _, n := range c.Parsed.BreakingNotes {
				notes = append(notes, strings.TrimSpace(n))
			}
		}
	}
	rep.Outputs = []Output{
		{"current-version", cur},
		{"current-tag", p.PreviousTag},
		{"next-version", next},
		{"next-tag", p.NextTag},
		{"bump", p.Bump.String()},
		{"released", fmt.Sprint(p.NextTag != "")},
		{"channel", p.Channel},
		{"breaking-notes", strings.Join(notes, "\n\n")},
	}
	switch {
	case p.NextTag != "":
		rep.Title = fmt.Sprintf("next version: %s (%s bump from %s)", p.NextTag, p.Bump, orNone(p.PreviousTag))
	case next != "":
		rep.Title = fmt.Sprintf("build version %s on %s (no tag on the %s channel)", next, orNone(p.Branch), p.Channel)
	default:
		rep.Title = fmt.Sprintf("nothing to release since %s", orNone(p.PreviousTag))
	}
	rep.Annotations = release.NextFindings(p, nil)

	var b strings.Builder
	fmt.Fprintf(&b, "| current | next | bump | branch | channel |\n| --- | --- | --- | --- | --- |\n| %s | %s | %s | %s | %s |\n\n",
		escapeCell(orNone(p.PreviousTag)), escapeCell(orNone(nonEmpty(p.NextTag, next))), p.Bump, escapeCell(orNone(p.Branch)), escapeCell(p.Channel))
	if len(p.Commits) > 0 {
		fmt.Fprintf(&b, "<details><summary>%d %s %s</summary>\n\n| commit | header | bump | why |\n| --- | --- | --- | --- |\n",
			len(p.Commits), plural(len(p.Commits), "commit", "commits"), escapeMarkdown(p.Since()))
		for _, c := range p.Commits {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.Commit.Short(), escapeCell(headerOf(c.Commit)), c.Bump, escapeCell(c.Reason))
		}
		b.WriteString("\n</details>\n")
	}
	rep.Summary = b.String()
	return rep
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
