package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/report"
	"github.com/spf13/cobra"
)

type changelogFlags struct {
	preset    string
	file      string
	dryRun    bool
	stdout    bool
	version   string
	rebuild   bool
	format    string
	tagPrefix string
	branch    string
}

func newChangelogCmd(e *env) *cobra.Command {
	var f changelogFlags
	cmd := &cobra.Command{
		Use:   "changelog",
		Short: "Write the next version's section into CHANGELOG.md, or print it as release notes",
		Long: `Render the changelog section of the next version (as 'shipflow next' plans
it) from the Conventional Commits since the last version tag, and insert it
into CHANGELOG.md above the first version heading (or below a
'<!-- shipflow:insert -->' line). Nothing else in the file changes, a
version that already has a section is left alone, and the file is replaced
atomically.

Presets: conventionalcommits (release-please's layout, the default),
angular (conventional-changelog's) and keepachangelog; a Go text/template
can replace the layout (changelog.template in .shipflow.yaml; --format json
prints the data it gets). Links point to the origin remote's GitHub or
GitHub Enterprise repository, or changelog.repository-url.

An untagged version is dated today, or by SOURCE_DATE_EPOCH (seconds since
1970, for reproducible output); a tagged one by its tag.

A merge and the commits it brought in, one pull request or one cherry-picked
patch seen twice are listed once; a commit and its revert are left out.

Exit status: 0 ok (also when nothing is releasable or the section exists),
1 the commits break the branch's rules, 2 usage or configuration error,
3 git or file system failure.`,
		Example: `  shipflow changelog
  shipflow changelog --stdout > notes.md
  shipflow changelog --version 1.4.0 --preset angular
  shipflow changelog --rebuild --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runChangelog(e, cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.preset, "preset", "", "layout `NAME`: "+strings.Join(changelog.PresetNames(), ", ")+" (default from .shipflow.yaml, else conventionalcommits)")
	fl.StringVar(&f.file, "file", "", "changelog `PATH` relative to the repository root, inside it (default from .shipflow.yaml, else CHANGELOG.md)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the section (the release notes) instead of writing the file")
	fl.BoolVar(&f.stdout, "stdout", false, "same as --dry-run")
	fl.StringVar(&f.version, "version", "", "write `VERSION` instead of the planned one (an existing tag's version renders that release)")
	fl.BoolVar(&f.rebuild, "rebuild", false, "regenerate every section from the version tags (replaces the sections below the file's header)")
	fl.StringVar(&f.format, "format", "text", "output `FORMAT`: text or json")
	fl.StringVar(&f.tagPrefix, "tag-prefix", "", "tag `PREFIX` before X.Y.Z (none for bare versions; default from .shipflow.yaml, else v)")
	fl.StringVar(&f.branch, "branch", "", "plan for `BRANCH` (default: the current branch)")
	return cmd
}

func runChangelog(e *env, cmd *cobra.Command, f changelogFlags) error {
	if f.format != "text" && f.format != "json" {
		return usageErr("unknown --format %q: use text or json", f.format)
	}
	if f.preset != "" && changelog.Preset(f.preset).Types() == nil {
		return usageErr("unknown --preset %q: use %s", f.preset, strings.Join(changelog.PresetNames(), ", "))
	}
	if f.version != "" {
		if _, err := semver.StrictNewVersion(strings.TrimPrefix(f.version, "v")); err != nil {
			return usageErr("--version %q is not a semantic version X.Y.Z", f.version)
		}
	}
	if f.file != "" {
		// The changelog is part of the repository: never outside it, never
		// .git/config (which would make the next git command run code).
		if _, err := repofs.Clean(f.file); err != nil {
			return usageErr("--file %v", err)
		}
	}
	repo, sf, err := openRepoConfig(e)
	if err != nil {
		return err
	}
	opts := release.ChangelogOptions{
		Config:  sf.Changelog,
		Plan:    release.PlanOptions{Config: sf.Version, Branch: f.branch},
		File:    f.file,
		Preset:  f.preset,
		Version: f.version,
		Rebuild: f.rebuild,
		DryRun:  f.dryRun || f.stdout,
		// A token in a commit message is not written to the file.
		Redactor: e.redact,
	}
	if cmd.Flags().Changed("tag-prefix") {
		opts.Plan.TagPrefix = &f.tagPrefix
	}
	if s := e.getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return usageErr("SOURCE_DATE_EPOCH %q is not a number of seconds", s)
		}
		opts.Now = func() time.Time { return time.Unix(sec, 0).UTC() }
	}
	// A rebuild holds every commit of history and the process ends right
	// after: collect garbage half as often, as next and lint do.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	rep, err := release.Changelog(e.ctx, repo, opts)
	if err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(e.stderr, "shipflow: warning: %s\n", w)
	}
	if f.format == "json" {
		return changelogJSON(e.stdout, rep)
	}
	if opts.DryRun {
		io.WriteString(e.stdout, rep.Section)
		if rep.Section == "" {
			fmt.Fprintf(e.stderr, "shipflow: %s\n", rep.Skipped)
		}
		return nil
	}
	rel, err := filepath.Rel(repo.Dir(), rep.Path)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = rep.Path
	}
	switch {
	case rep.Written && opts.Rebuild:
		fmt.Fprintf(e.stdout, "rebuilt %s from %d %s\n", rel, rep.Commits, report.Plural(rep.Commits, "commit", "commits"))
	case rep.Written:
		fmt.Fprintf(e.stdout, "wrote %s: %s (%d %s, %d %s left out)\n", rel, rep.Tag, rep.Commits, report.Plural(rep.Commits, "commit", "commits"), len(rep.Dropped), report.Plural(len(rep.Dropped), "duplicate", "duplicates"))
	default:
		fmt.Fprintf(e.stdout, "%s not changed: %s\n", rel, rep.Skipped)
	}
	return nil
}

func changelogJSON(w io.Writer, rep *release.ChangelogReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		return failure(fmt.Errorf("writing the changelog report: %w", err))
	}
	return nil
}
