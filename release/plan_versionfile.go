package release

import (
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/versionfile"
)

// planVersionFiles lists the files carrying the version when the plan
// proposes one (rep.NextTag set): the detected ones (versionfile.Detect)
// and the configured ones (opts.VersionFiles, which must be found), in
// the work tree of rep.Dir. A file whose value is neither the last
// release's version nor the version of the tag the commits start after is
// a warning naming its file:line:col: the release writes the new version
// over it, and should not do so silently.
func planVersionFiles(opts PlanOptions, rep *PlanReport) error {
	if rep.Next == nil || rep.NextTag == "" {
		return nil
	}
	found, skips, err := versionfile.Detect(rep.Dir)
	if err != nil {
		return fmt.Errorf("detecting version files: %w", err)
	}
	explicit, err := versionfile.Explicit(rep.Dir, opts.VersionFiles)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, f := range append(found, explicit...) {
		id := f.Path + "\x00" + f.Key
		if seen[id] {
			continue
		}
		seen[id] = true
		rep.VersionFiles = append(rep.VersionFiles, f)
	}
	rep.VersionFileSkips = skips
	if rep.Previous == nil {
		return nil // a first release: there is no version to disagree with
	}
	since := strings.TrimPrefix(rep.SinceTag, rep.Prefix)
	for _, f := range versionfile.Disagree(rep.VersionFiles, rep.Previous.String()) {
		if since != "" && len(versionfile.Disagree([]versionfile.File{f}, since)) == 0 {
			continue
		}
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("version file %s:%d:%d has %s = %q, not %s (the last release %s): the release writes %s over it",
			f.Path, f.Line, f.Column, f.Key, f.Value, rep.Previous, rep.PreviousTag, rep.Next))
	}
	return nil
}

// planVersionFileEntries converts release.version-files to the entries
// package versionfile locates.
func planVersionFileEntries(fs []config.VersionFile) []versionfile.Entry {
	var out []versionfile.Entry
	for _, f := range fs {
		out = append(out, versionfile.Entry{Path: f.Path, JSON: f.JSON, TOML: f.TOML, YAML: f.YAML})
	}
	return out
}
