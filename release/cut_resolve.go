package release

import (
	"context"
	"errors"
	"strings"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// ResolveRelease turns the inputs of `release` into CutOptions (see Inputs
// for the order):
//
//   - the plan's inputs as resolvePlan reads them (tag-prefix, branch,
//     major);
//   - dry-run (false by default); mode ("direct" or "pr") over
//     release.mode, else "direct"; draft and floating-major-tag over
//     release.draft and release.floating-major-tag, else false;
//   - assets, globs split at newlines and commas, over release.assets,
//     else none;
//   - repo, OWNER/NAME, else the CI context's repository
//     (GITHUB_REPOSITORY), else (in Cut) the release remote's URL;
//   - github-api-url, else the CI context's API (GITHUB_API_URL), through
//     ResolveAPIURL, which refuses a release.github-api-url that sends the
//     token elsewhere; repo is the repository whose remote names the API
//     when nothing else does (nil: github.com);
//   - the web root for links from the CI context (GITHUB_SERVER_URL), and
//     the release date from SOURCE_DATE_EPOCH.
//
// Every error is the caller's input or configuration: an *InputError, a
// *config.Error, an API URL ResolveAPIURL refuses, a SOURCE_DATE_EPOCH
// that is not a number. The forge client (built from the token) and the
// Redactor are left to the caller.
func ResolveRelease(ctx context.Context, in Inputs, cfg *config.Config, ci CI, repo *git.Repo) (CutOptions, error) {
	plan, err := resolvePlan(in, cfg, ci, "major")
	if err != nil {
		return CutOptions{}, err
	}
	o := CutOptions{Plan: plan, WebURL: ci.ServerURL}
	if cfg != nil {
		o.Config, o.Changelog = cfg.Release, cfg.Changelog
	}
	if o.DryRun, err = inputBool(in, "dry-run", false); err != nil {
		return o, err
	}
	if mode, given := inputString(in, "mode"); given {
		if mode != config.ReleaseModeDirect && mode != config.ReleaseModePR {
			return o, &InputError{Name: "mode", Value: mode, Want: `"direct" or "pr"`}
		}
		o.Config.Mode = mode
	}
	if o.Config.Draft, err = inputBool(in, "draft", o.Config.Draft); err != nil {
		return o, err
	}
	if o.Config.FloatingMajorTag, err = inputBool(in, "floating-major-tag", o.Config.FloatingMajorTag); err != nil {
		return o, err
	}
	o.Assets = o.Config.Assets
	if list, given := inputList(in, "assets"); given {
		o.Assets = list
	}
	full, given := inputString(in, "repo")
	if !given {
		full = ci.Repository
	}
	if full != "" {
		owner, name, ok := strings.Cut(full, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			want := "OWNER/NAME"
			if !given {
				want += " (the CI context's repository, GITHUB_REPOSITORY)"
			}
			return o, &InputError{Name: "repo", Value: full, Want: want}
		}
		o.Owner, o.Repo = owner, name
	}
	flag, _ := inputString(in, "github-api-url")
	// The token goes where the API URL points: decided before anything
	// changes, and never from a guess at the remote's host.
	if o.APIURL, err = ResolveAPIURL(ctx, APIURLOptions{Flag: flag, Env: ci.APIURL, Config: o.Config, Repo: repo}); err != nil {
		return o, err
	}
	if o.Now, err = ci.clock(); err != nil {
		return o, err
	}
	return o, nil
}

// ReleaseFindings returns what `shipflow release` reports besides its
// steps, titled "shipflow release" as both faces print them: an error when
// err is a refusal (ErrCutRefused: wrong branch, dirty tree, behind the
// remote; or a plan the branch's rules refuse), then a warning per warning
// of the plan. Other errors are not findings: the caller returns them. rep
// may be nil.
func ReleaseFindings(rep *CutReport, err error) []report.Finding {
	var warnings []string
	if rep != nil && rep.Plan != nil {
		warnings = rep.Plan.Warnings
	}
	return verbFindings("shipflow release", warnings, err, func(err error) bool {
		return errors.Is(err, ErrCutRefused) || PlanRefused(err)
	})
}
