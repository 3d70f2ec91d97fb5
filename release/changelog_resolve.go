package release

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/report"
)

// ResolveChangelog turns the inputs of `changelog` into ChangelogOptions
// (see Inputs for the order): the plan's inputs as resolvePlan reads them
// (tag-prefix, branch), file (over changelog.file, else
// config.DefaultChangelogFile), preset (over changelog.preset),
// release-version, and the booleans rebuild and dry-run (false by
// default). The CI context gives the branch of a detached HEAD and
// SOURCE_DATE_EPOCH, which dates an untagged version.
//
// Every error is the caller's input: an *InputError, a file that leaves
// the repository (a *repofs.Error), or a SOURCE_DATE_EPOCH that is not a
// number. The Redactor is left to the caller, which knows the
// environment's secrets.
func ResolveChangelog(in Inputs, cfg *config.Config, ci CI) (ChangelogOptions, error) {
	plan, err := resolvePlan(in, cfg, ci)
	if err != nil {
		return ChangelogOptions{}, err
	}
	// The GitHub the CI context or the configuration names gets links
	// when the remote is on its host (nothing is sent there).
	o := ChangelogOptions{Plan: plan}
	urls := []string{ci.ServerURL, ci.APIURL}
	if cfg != nil {
		o.Config = cfg.Changelog
		urls = append(urls, cfg.Release.GitHubAPIURL)
	}
	for _, u := range urls {
		if u != "" {
			o.GitHubURLs = append(o.GitHubURLs, u)
		}
	}
	if o.File, _ = inputString(in, "file"); o.File != "" {
		// The changelog is part of the repository: never outside it, never
		// .git/config (which would make the next git command run code).
		// Changelog checks the links along the path too.
		if _, err := repofs.Clean(o.File); err != nil {
			return o, fmt.Errorf("input file: %w", err)
		}
	}
	if o.Preset, _ = inputString(in, "preset"); o.Preset != "" && changelog.Preset(o.Preset).Types() == nil {
		return o, &InputError{Name: "preset", Value: o.Preset, Want: "one of " + strings.Join(changelog.PresetNames(), ", ")}
	}
	if o.Version, _ = inputString(in, "release-version"); o.Version != "" {
		if _, err := semver.StrictNewVersion(strings.TrimPrefix(o.Version, "v")); err != nil {
			return o, &InputError{Name: "release-version", Value: o.Version, Want: "a semantic version X.Y.Z (1.2.0 or v1.2.0)"}
		}
	}
	if o.Rebuild, err = inputBool(in, "rebuild", false); err != nil {
		return o, err
	}
	if o.DryRun, err = inputBool(in, "dry-run", false); err != nil {
		return o, err
	}
	if o.Now, err = ci.clock(); err != nil {
		return o, err
	}
	return o, nil
}

// clock returns a clock stopped at SOURCE_DATE_EPOCH
// (reproducible-builds.org), or nil (time.Now) when it is not set.
func (ci CI) clock() (func() time.Time, error) {
	s := strings.TrimSpace(ci.SourceDateEpoch)
	if s == "" {
		return nil, nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", ci.SourceDateEpoch)
	}
	t := time.Unix(sec, 0).UTC()
	return func() time.Time { return t }, nil
}

// ChangelogFindings returns what `shipflow changelog` reports besides the
// section, titled "shipflow changelog" as both faces print them: an error
// when err is a plan the branch's rules refuse (PlanRefused), else a
// warning per warning of rep. Other errors are not findings: the caller
// returns them. rep may be nil.
func ChangelogFindings(rep *ChangelogReport, err error) []report.Finding {
	var warnings []string
	if rep != nil {
		warnings = rep.Warnings
	}
	return verbFindings("shipflow changelog", warnings, err, PlanRefused)
}

// verbFindings is the findings of a verb titled title: an error finding
// for err when refused says the operation refused the user's input, then
// a warning finding per warning.
func verbFindings(title string, warnings []string, err error, refused func(error) bool) []report.Finding {
	var out []report.Finding
	if err != nil && refused(err) {
		out = append(out, report.Finding{Title: title, Level: report.Error, Message: err.Error()})
	}
	for _, w := range warnings {
		out = append(out, report.Finding{Title: title, Level: report.Warning, Message: w})
	}
	return out
}
