package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
)

// runRelease cuts the next release (release.Cut): CHANGELOG.md, release
// commit, tag, push, GitHub release, floating major tag. Outputs:
//
//	released     true when the GitHub release exists (made by this run or an
//	             earlier one); false in a dry run and when a run in PR mode
//	             opened or updated the release PR
//	created      true when this run created the GitHub release
//	version      the version released ("1.2.0"), or that the release PR
//	             will release; empty when nothing was due
//	tag          its tag ("v1.2.0")
//	major, minor, patch  the version's numbers
//	prerelease   true for a prerelease version (a GitHub prerelease)
//	sha          the release commit
//	release-id   the GitHub release's id
//	release-url  the GitHub release's page (html-url is the same)
//	upload-url   the GitHub release's asset upload URL (a URI template)
//	notes        the release notes (the version's CHANGELOG.md section)
//	release-pr-number, release-pr-url  the release PR (PR mode), empty when none
//	release-pr-action  what the run did with it: opened, updated, unchanged,
//	             closed, released (or would open, would update, would
//	             close, would release in a dry run); empty when none
func runRelease(ctx context.Context, s *step) (*Report, error) {
	// The runner sets GITHUB_API_URL to its own GitHub (Enterprise Server
	// included); a release.github-api-url naming another is refused, since
	// a pull request can change .shipflow.yaml. The plan shows where the
	// release goes.
	opts, err := release.ResolveRelease(ctx, s.inputs(), s.config, s.ci(), s.repo)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	// A dry run given a token reads the forge too (the branch's
	// protection); it never writes to it.
	if token := s.r.Input("token"); token != "" {
		if opts.Forge, err = s.r.client(ctx, PublishOptions{Token: token, HTTPClient: s.opt.HTTPClient, APIURL: opts.APIURL}); err != nil {
			return nil, &InputError{Err: err}
		}
	}
	// The notes are committed, pushed and published.
	opts.Redactor = s.r.Redactor()
	pk, err := release.ResolvePackages(s.inputs(), s.config)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if pk.Monorepo() {
		return runReleasePackages(ctx, s, opts, pk)
	}
	cut, err := release.Cut(ctx, s.repo, opts)
	if errors.Is(err, release.ErrPlanBadTag) {
		return nil, &InputError{Err: err}
	}
	rep := &Report{Name: "shipflow release", Conclusion: Success}
	if cut != nil {
		rep.Summary = releaseSummary(cut)
	}
	if err != nil {
		if errors.Is(err, release.ErrCutRefused) || release.PlanRefused(err) {
			rep.Conclusion, rep.Title = Failed, "release refused"
			rep.Annotations = release.ReleaseFindings(cut, err)
			rep.Outputs = []Output{{"released", "false"}}
			return rep, nil
		}
		return nil, err
	}
	rep.Outputs = releaseOutputs(cut)
	switch p := cut.Plan; {
	case p == nil:
		rep.Title = "nothing to release: " + cut.Nothing
	case p.DryRun:
		rep.Title = fmt.Sprintf("would release %s (dry run)", p.Tag)
	case !releaseMade(p):
		rep.Title = fmt.Sprintf("release PR for %s", p.Tag)
		if pr := cut.ReleasePR; pr != nil && pr.Number != 0 {
			rep.Title = fmt.Sprintf("release PR #%d %s for %s", pr.Number, pr.Action, p.Tag)
		}
	default:
		rep.Title = fmt.Sprintf("released %s", p.Tag)
	}
	rep.Annotations = release.ReleaseFindings(cut, nil)
	return rep, nil
}

// releaseOutputs are the outputs of a release; no plan (nothing to
// release) sets the release's all empty, released and created false. A
// dry run, and a run in PR mode that opened or updated the release PR,
// set the plan's values but not released: no GitHub release exists.
func releaseOutputs(cut *release.CutReport) []Output {
	p := cut.Plan
	if p == nil {
		p = &release.CutPlan{DryRun: true}
	}
	num := func(n uint64) string {
		if p.Version == "" {
			return ""
		}
		return fmt.Sprint(n)
	}
	id := ""
	if p.ReleaseID != 0 {
		id = fmt.Sprint(p.ReleaseID)
	}
	pre := ""
	if p.Version != "" {
		pre = fmt.Sprint(p.Prerelease)
	}
	var prNumber, prURL, prAction string
	if pr := cut.ReleasePR; pr != nil {
		prURL, prAction = pr.URL, pr.Action
		if pr.Number != 0 {
			prNumber = fmt.Sprint(pr.Number)
		}
	}
	return []Output{
		{"released", fmt.Sprint(releaseMade(p))},
		{"created", fmt.Sprint(p.Created)},
		{"version", p.Version}, {"tag", p.Tag},
		{"major", num(p.Major)}, {"minor", num(p.Minor)}, {"patch", num(p.Patch)},
		{"prerelease", pre},
		{"sha", p.ReleaseCommit},
		{"release-id", id},
		{"release-url", p.ReleaseURL}, {"html-url", p.ReleaseURL}, {"upload-url", p.UploadURL},
		{"notes", p.Notes},
		{"release-pr-number", prNumber}, {"release-pr-url", prURL}, {"release-pr-action", prAction},
	}
}

// releaseMade reports whether the plan's GitHub release exists: made or
// found by a real run. A dry run finds none, and a run in PR mode that
// opened or updated the release PR makes none.
func releaseMade(p *release.CutPlan) bool {
	return !p.DryRun && (p.ReleaseID != 0 || p.ReleaseURL != "")
}

func releaseSummary(cut *release.CutReport) string {
	var b strings.Builder
	if cut.Plan != nil {
		fmt.Fprintf(&b, "Release **%s** from `%s` (previous: %s).\n\n", escapeMarkdown(cut.Plan.Tag), codeSpan(cut.Plan.Branch), escapeMarkdown(orNone(cut.Plan.PreviousTag)))
	}
	if pr := cut.ReleasePR; pr != nil {
		name := "Release PR from `" + codeSpan(pr.Branch) + "`"
		if pr.Number != 0 {
			name = fmt.Sprintf("Release PR #%d", pr.Number)
			if pr.URL != "" {
				name = fmt.Sprintf("[%s](%s)", name, strings.NewReplacer(")", "%29", " ", "%20", "\n", "").Replace(pr.URL))
			}
		}
		fmt.Fprintf(&b, "%s: %s.\n\n", name, escapeMarkdown(pr.Action))
	}
	if len(cut.Steps) > 0 {
		b.WriteString("| step | result |\n| --- | --- |\n")
		for _, st := range cut.Steps {
			res := "done"
			switch {
			case st.Error != "":
				res = "❌ " + st.Error
			case st.Skipped != "":
				res = "skipped: " + st.Skipped
			}
			fmt.Fprintf(&b, "| %s | %s |\n", escapeCell(st.Step), escapeCell(res))
		}
	}
	if cut.Plan != nil && cut.Plan.Notes != "" {
		fmt.Fprintf(&b, "\n<details><summary>Release notes</summary>\n\n%s\n\n</details>\n", cut.Plan.Notes)
	}
	return b.String()
}
