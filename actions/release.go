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
//	released     true when a release was made (or found made by an earlier run)
//	created      true when this run created the GitHub release
//	version      the version released ("1.2.0"), empty when nothing was due
//	tag          its tag ("v1.2.0")
//	major, minor, patch  the version's numbers
//	prerelease   true for a prerelease version (a GitHub prerelease)
//	sha          the release commit
//	release-id   the GitHub release's id
//	release-url  the GitHub release's page (html-url is the same)
//	upload-url   the GitHub release's asset upload URL (a URI template)
//	notes        the release notes (the version's CHANGELOG.md section)
func runRelease(ctx context.Context, s *step) (*Report, error) {
	// The runner sets GITHUB_API_URL to its own GitHub (Enterprise Server
	// included); a release.github-api-url naming another is refused, since
	// a pull request can change .shipflow.yaml. The plan shows where the
	// release goes.
	opts, err := release.ResolveRelease(ctx, s.inputs(), s.config, s.ci(), s.repo)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if token := s.r.Input("token"); token != "" && !opts.DryRun {
		if opts.Forge, err = s.r.client(ctx, PublishOptions{Token: token, HTTPClient: s.opt.HTTPClient, APIURL: opts.APIURL}); err != nil {
			return nil, &InputError{Err: err}
		}
	}
	// The notes are committed, pushed and published.
	opts.Redactor = s.r.Redactor()
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
	rep.Outputs = releaseOutputs(cut.Plan)
	switch p := cut.Plan; {
	case p == nil:
		rep.Title = "nothing to release: " + cut.Nothing
	case p.DryRun:
		rep.Title = fmt.Sprintf("would release %s (dry run)", p.Tag)
	default:
		rep.Title = fmt.Sprintf("released %s", p.Tag)
	}
	rep.Annotations = release.ReleaseFindings(cut, nil)
	return rep, nil
}

// releaseOutputs are the outputs of a release plan; p nil (nothing to
// release) sets them all empty, released and created false. A dry run
// sets the plan's values but not released.
func releaseOutputs(p *release.CutPlan) []Output {
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
	return []Output{
		{"released", fmt.Sprint(!p.DryRun)},
		{"created", fmt.Sprint(p.Created)},
		{"version", p.Version}, {"tag", p.Tag},
		{"major", num(p.Major)}, {"minor", num(p.Minor)}, {"patch", num(p.Patch)},
		{"prerelease", pre},
		{"sha", p.ReleaseCommit},
		{"release-id", id},
		{"release-url", p.ReleaseURL}, {"html-url", p.ReleaseURL}, {"upload-url", p.UploadURL},
		{"notes", p.Notes},
	}
}

func releaseSummary(cut *release.CutReport) string {
	var b strings.Builder
	if cut.Plan != nil {
		fmt.Fprintf(&b, "Release **%s** from `%s` (previous: %s).\n\n", escapeMarkdown(cut.Plan.Tag), codeSpan(cut.Plan.Branch), escapeMarkdown(orNone(cut.Plan.PreviousTag)))
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
