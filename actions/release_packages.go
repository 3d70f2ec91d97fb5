package actions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
)

// runReleasePackages releases a monorepo's packages (release.CutPackages):
// every package with changes, or those the package input names, each with
// its own changelog, release commit, tag and GitHub release. Outputs:
//
//	released   true when every package released has its GitHub release
//	           (false in a dry run and when nothing was due)
//	packages   JSON list of {name, version, tag, released, created,
//	           release_url, sha}, in the order of the release commits
//	releasing  the tags released (or, in a dry run, to release),
//	           comma-separated
//
// With one package input, the outputs of runRelease describe that package
// too.
func runReleasePackages(ctx context.Context, s *step, opts release.CutOptions, pk release.NextPackages) (*Report, error) {
	cuts, err := release.CutPackages(ctx, s.repo, opts, release.PackagesOptions{Packages: pk.Packages, Only: pk.Only, BumpDependents: pk.BumpDependents})
	if errors.Is(err, release.ErrPlanBadTag) || errors.Is(err, release.ErrPackagesUnsupported) {
		return nil, &InputError{Err: err}
	}
	rep := &Report{Name: "shipflow release", Conclusion: Success}
	if cuts != nil {
		rep.Summary = releasePackagesSummary(cuts)
	}
	if err != nil {
		if errors.Is(err, release.ErrCutRefused) || release.PlanRefused(err) {
			rep.Conclusion, rep.Title = Failed, "release refused"
			rep.Annotations = release.ReleasePackagesFindings(cuts, err)
			rep.Outputs = []Output{{"released", "false"}}
			return rep, nil
		}
		return nil, err
	}
	outs, err := releasePackagesOutputs(cuts)
	if err != nil {
		return nil, err
	}
	if pk.One() && len(cuts.Packages) == 1 {
		outs = append(releaseOutputs(cuts.Packages[0].CutReport), outs[1:]...)
	}
	rep.Outputs = outs
	rep.Title = releasePackagesTitle(cuts)
	rep.Annotations = release.ReleasePackagesFindings(cuts, nil)
	return rep, nil
}

// releasePackagesTitle says what the run released, or would, or which
// release PRs it keeps.
func releasePackagesTitle(cuts *release.PackagesCutReport) string {
	if cuts.Nothing != "" {
		return cuts.Nothing
	}
	var tags, made, pending []string
	dry := false
	for _, p := range cuts.Packages {
		if p.Plan == nil {
			continue
		}
		tags = append(tags, p.Plan.Tag)
		dry = p.Plan.DryRun
		switch {
		case releaseMade(p.Plan):
			made = append(made, p.Plan.Tag)
		case p.ReleasePR != nil && p.ReleasePR.Number != 0:
			pending = append(pending, fmt.Sprintf("#%d %s for %s", p.ReleasePR.Number, p.ReleasePR.Action, p.Plan.Tag))
		}
	}
	switch pr := cuts.ReleasePR; {
	case dry:
		return fmt.Sprintf("would release %s (dry run)", strings.Join(tags, ", "))
	case len(made) > 0:
		return "released " + strings.Join(made, ", ")
	case pr != nil && pr.Number != 0:
		return fmt.Sprintf("release PR #%d %s for %s", pr.Number, pr.Action, strings.Join(tags, ", "))
	case len(pending) > 0:
		return "release PRs " + strings.Join(pending, ", ")
	}
	return "released nothing"
}

// releasePackageOutput is one package in the packages output.
type releasePackageOutput struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Tag        string `json:"tag"`
	Released   bool   `json:"released"`
	Created    bool   `json:"created"`
	ReleaseURL string `json:"release_url"`
	SHA        string `json:"sha"`
}

// releasePackagesOutputs are released, packages and releasing.
func releasePackagesOutputs(cuts *release.PackagesCutReport) ([]Output, error) {
	list := make([]releasePackageOutput, 0, len(cuts.Packages))
	var tags []string
	all := len(cuts.Packages) > 0
	for _, p := range cuts.Packages {
		made := releaseMade(p.Plan)
		all = all && made
		tags = append(tags, p.Plan.Tag)
		list = append(list, releasePackageOutput{Name: p.Package, Version: p.Plan.Version, Tag: p.Plan.Tag, Released: made, Created: p.Plan.Created, ReleaseURL: p.Plan.ReleaseURL, SHA: p.Plan.ReleaseCommit})
	}
	b, err := json.Marshal(list)
	if err != nil {
		return nil, fmt.Errorf("writing the packages output: %w", err)
	}
	return []Output{{"released", fmt.Sprint(all)}, {"packages", string(b)}, {"releasing", strings.Join(tags, ",")}}, nil
}

// releasePackagesSummary is each package's release summary under its
// name.
func releasePackagesSummary(cuts *release.PackagesCutReport) string {
	var b strings.Builder
	if cuts.Nothing != "" {
		fmt.Fprintf(&b, "%s\n\n", escapeMarkdown(cuts.Nothing))
	}
	for _, p := range cuts.Packages {
		fmt.Fprintf(&b, "### Package %s\n\n%s\n", escapeMarkdown(p.Package), releaseSummary(p.CutReport))
	}
	return b.String()
}
