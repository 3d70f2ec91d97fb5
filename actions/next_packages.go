package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/version"
)

// runNextPackages plans a monorepo's packages in one pass (every package,
// or those the package input names). Outputs:
//
//	packages   JSON list of {name, next, next_tag, bump, released}, in
//	           packages: order
//	releasing  the names of the packages that would release, comma-separated
//
// With one package input, the outputs of runNext describe that package;
// otherwise released says whether any package releases, bump is the
// largest bump, channel the branch's channel, breaking-notes every
// package's (each commit once), and the version and tag outputs are empty.
func runNextPackages(ctx context.Context, s *step, opts release.PlanOptions, pk release.NextPackages) (*Report, error) {
	rep, err := release.PlanPackages(ctx, s.repo, opts, pk.Packages, pk.Only, pk.BumpDependents)
	if err != nil {
		return nextError(err, release.NextPackagesFindings(nil, err))
	}
	var out *Report
	if pk.One() && len(rep.Packages) == 1 {
		out = nextReport(rep.Packages[0].PlanReport)
		out.Title = "package " + rep.Packages[0].Package.Name + ": " + out.Title
	} else {
		out = nextPackagesReport(rep)
	}
	list, err := nextPackagesList(rep)
	if err != nil {
		return nil, err
	}
	var releasing []string
	for _, p := range rep.Releasing() {
		releasing = append(releasing, p.Package.Name)
	}
	out.Outputs = append(out.Outputs, Output{"packages", list}, Output{"releasing", strings.Join(releasing, ",")})
	out.Annotations = release.NextPackagesFindings(rep, nil)
	return out, nil
}

// nextPackageOutput is one package in the packages output.
type nextPackageOutput struct {
	Name     string `json:"name"`
	Next     string `json:"next"`
	NextTag  string `json:"next_tag"`
	Bump     string `json:"bump"`
	Released bool   `json:"released"`
}

// nextPackagesList is the packages output: compact JSON, one line.
func nextPackagesList(rep *release.PackagesReport) (string, error) {
	list := make([]nextPackageOutput, 0, len(rep.Packages))
	for _, p := range rep.Packages {
		o := nextPackageOutput{Name: p.Package.Name, NextTag: p.NextTag, Bump: p.Bump.String(), Released: p.NextTag != ""}
		if p.Next != nil {
			o.Next = p.Next.String()
		}
		list = append(list, o)
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", fmt.Errorf("writing the packages output: %w", err)
	}
	return string(b), nil
}

// nextPackagesReport is the report of every package's plan: a title
// naming the releases, the outputs of runNext for the whole repository,
// and a summary table with a row per package.
func nextPackagesReport(rep *release.PackagesReport) *Report {
	out := &Report{Name: "shipflow next", Conclusion: Success}
	var tags, notes []string
	bump := version.None
	seen := map[string]bool{}
	for _, p := range rep.Packages {
		if p.NextTag != "" {
			tags = append(tags, p.NextTag)
			bump = max(bump, p.Bump)
		}
		for _, c := range p.Commits {
			if c.Parsed == nil || seen[c.Commit.Hash] {
				continue
			}
			seen[c.Commit.Hash] = true
			for _, n := range c.Parsed.BreakingNotes {
				notes = append(notes, strings.TrimSpace(n))
			}
		}
	}
	out.Outputs = []Output{
		{"current-version", ""},
		{"current-tag", ""},
		{"next-version", ""},
		{"next-tag", ""},
		{"bump", bump.String()},
		{"released", fmt.Sprint(len(tags) > 0)},
		{"channel", rep.Channel},
		{"breaking-notes", strings.Join(notes, "\n\n")},
	}
	if len(tags) > 0 {
		out.Title = "next versions: " + strings.Join(tags, ", ")
	} else {
		out.Title = fmt.Sprintf("nothing to release in %d %s", len(rep.Packages), plural(len(rep.Packages), "package", "packages"))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Branch %s (channel %s).\n\n| package | current | next | bump | commits |\n| --- | --- | --- | --- | --- |\n",
		escapeCell(orNone(rep.Branch)), escapeCell(rep.Channel))
	for _, p := range rep.Packages {
		next := ""
		if p.Next != nil {
			next = nonEmpty(p.NextTag, p.Next.String())
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d |\n", escapeCell(p.Package.Name), escapeCell(orNone(p.PreviousTag)), escapeCell(orNone(next)), p.Bump, len(p.Commits))
	}
	out.Summary = b.String()
	return out
}
