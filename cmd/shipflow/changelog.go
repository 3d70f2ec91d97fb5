package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
)

// changelogFlags are the flags read by the command itself; the others are
// read by name by release.ResolveChangelog.
type changelogFlags struct {
	format string
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
prints the data it gets). Links point to the origin remote's repository
when it is on GitHub (github.com, *.ghe.com, or the Enterprise Server
GITHUB_SERVER_URL names) or gitlab.com, else to changelog.repository-url;
any other host gets no links rather than wrong ones.

An untagged version is dated today, or by SOURCE_DATE_EPOCH (seconds since
1970, for reproducible output); a tagged one by its tag.

The github format (the default in GitHub Actions) writes the warnings, or a
refused plan, as workflow annotations on stderr, the same lines the
changelog action writes; stdout stays the section or the status line.

A merge and the commits it brought in, one pull request or one cherry-picked
patch seen twice are listed once; a commit and its revert are left out.

With packages: in .shipflow.yaml (a monorepo), every package is planned in
one pass and each one with changes gets its section in its own changelog
(packages[].changelog, default CHANGELOG.md in its directory), with compare
links between its own tags; --package NAME limits it to those packages, and
--dry-run prints each section under a "# NAME" heading. --rebuild, --file
and --release-version are not per package and are refused.

Exit status: 0 ok (also when nothing is releasable or the section exists),
1 the commits break the branch's rules, 2 usage or configuration error,
3 git or file system failure.`,
		Example: `  shipflow changelog
  shipflow changelog --stdout > notes.md
  shipflow changelog --release-version 1.4.0 --preset angular
  shipflow changelog --rebuild --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runChangelog(e, cmd, f) },
	}
	// The flags are the changelog action's inputs, by name; --stdout and
	// --version are the older spellings of --dry-run and --release-version
	// (the action's `version` input is the shipflow release to install).
	fl := cmd.Flags()
	fl.String("preset", "", "layout `NAME`: "+strings.Join(changelog.PresetNames(), ", ")+" (default from .shipflow.yaml, else conventionalcommits)")
	fl.String("file", "", "changelog `PATH` relative to the repository root, inside it (default from .shipflow.yaml, else "+config.DefaultChangelogFile+")")
	fl.Bool("dry-run", false, "print the section (the release notes) instead of writing the file (also --stdout)")
	fl.String("release-version", "", "write `VERSION` instead of the planned one (an existing tag's version renders that release; also --version)")
	fl.Bool("rebuild", false, "regenerate every section from the version tags (replaces the sections below the file's header)")
	addFormatFlag(fl, &f.format, "text, json or github (warnings as workflow annotations on stderr)")
	fl.String("tag-prefix", "", "tag `PREFIX` before X.Y.Z (none for bare versions; default from .shipflow.yaml, else v)")
	fl.String("branch", "", "plan for `BRANCH` (default: the current branch)")
	fl.StringSlice("package", nil, "write only package `NAME`'s changelog, of .shipflow.yaml packages: (repeatable, or a comma list; default every package)")
	fl.SetNormalizeFunc(changelogAliases)
	return cmd
}

// changelogAliases maps the older flag spellings to the names the
// changelog action's inputs have.
func changelogAliases(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	switch name {
	case "stdout":
		name = "dry-run"
	case "version":
		name = "release-version"
	}
	return pflag.NormalizedName(name)
}

// rebuildMemoryLimit is the Go runtime's soft memory limit during
// `changelog --rebuild` (runtime/debug.SetMemoryLimit): the streamed
// rebuild's live heap stays well under it, so the collector runs more
// often rather than letting the heap double (bench/changelog: own peak RSS
// at 300k commits, binary included).
const rebuildMemoryLimit = 28 << 20

func runChangelog(e *env, cmd *cobra.Command, f changelogFlags) error {
	if !slices.Contains([]string{"text", "json", "github"}, f.format) {
		return usageErr("unknown --format %q: use text, json or github", f.format)
	}
	repo, sf, err := openRepoConfig(e)
	if err != nil {
		return err
	}
	ci, err := e.ci()
	if err != nil {
		return err
	}
	pk, err := release.ResolvePackages(flagInputs{cmd.Flags()}, sf)
	if err != nil {
		return err
	}
	opts, err := release.ResolveChangelog(flagInputs{cmd.Flags()}, sf, ci)
	if err != nil {
		return &usageError{err: err}
	}
	// A token in a commit message is not written to the file.
	opts.Redactor = e.redact
	if pk.Monorepo() {
		return runChangelogPackages(e, f, repo, opts, pk)
	}
	if opts.Rebuild && e.getenv("GOMEMLIMIT") == "" {
		// A rebuild streams the history and holds the sections still
		// open, about 15 MB on a 300k-commit history; the default GC
		// target (twice the live heap) would let the heap grow to twice
		// that before collecting. A soft limit keeps the process near its
		// live data (GOMEMLIMIT, when set, is the user's own choice).
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(rebuildMemoryLimit))
	}
	rep, err := release.Changelog(e.ctx, repo, opts)
	if f.format == "github" {
		// On stderr, which the runner reads workflow commands from too:
		// stdout is the section that `--dry-run > notes.md` keeps.
		if werr := writeAnnotations(e.stderr, release.ChangelogFindings(rep, err)); werr != nil {
			return failure(fmt.Errorf("writing the annotations: %w", werr))
		}
	}
	if err != nil {
		return err
	}
	if f.format != "github" {
		for _, w := range rep.Warnings {
			fmt.Fprintf(e.stderr, "shipflow: warning: %s\n", w)
		}
	}
	write := func(w io.Writer) error { return rep.WriteText(w, repo.Dir(), opts) }
	switch {
	case f.format == "json":
		write = rep.WriteJSON
	case opts.DryRun && rep.Section == "":
		// stdout is the (empty) notes; say why on stderr.
		fmt.Fprintf(e.stderr, "shipflow: %s\n", rep.Skipped)
	}
	if err := write(e.stdout); err != nil {
		return failure(fmt.Errorf("writing the changelog report: %w", err))
	}
	return nil
}
