package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/report"
)

// releaseFlags are the flags read by the command itself; the others are
// read by name by release.ResolveRelease.
type releaseFlags struct {
	format string
	local  bool
	pr     bool // --pr, the same as --mode pr
}

// releaseInputs are the release command's flags, with --pr read as the
// mode input it abbreviates.
type releaseInputs struct {
	flagInputs
	pr bool
}

func (r releaseInputs) Lookup(name string) (string, bool) {
	if name == "mode" && r.pr {
		return config.ReleaseModePR, true
	}
	return r.flagInputs.Lookup(name)
}

func newReleaseCmd(e *env) *cobra.Command {
	var f releaseFlags
	cmd := &cobra.Command{
		Use:   "release",
		Short: "Cut the next release from main: CHANGELOG.md, commit, tag, push, GitHub release",
		Long: `Cut the next release from the release branch (main by default):

  preflight       branch, clean tree, full history, not behind the remote,
                  valid tag name, tag free, token permissions
  changelog       insert the version's section into CHANGELOG.md
  commit          chore(release): vX.Y.Z [skip ci]
  tag             annotated tag vX.Y.Z (signed with release.sign-tags)
  push            branch and tag, atomically
  github-release  find by tag, create as draft with the notes (a prerelease
                  for a prerelease version; Latest only for the highest
                  version), upload the assets and checksums.txt, publish
  floating-tag    move vN to the release (release.floating-major-tag)

Nothing changes before preflight passes. A failed run can be run again: each
step skips what is already done, so no second tag, release or changelog
section is made. --dry-run prints the plan (every commit with its bump and
reason, the commit message, the notes) and needs no token.

The token comes from GITHUB_TOKEN (or GH_TOKEN); the repository from --repo,
GITHUB_REPOSITORY or the remote's URL; the API from --github-api-url, else
GITHUB_API_URL, else release.github-api-url, else the remote's host when it
is github.com (https://api.github.com/) or HOST.ghe.com
(https://api.HOST.ghe.com/). A remote on any other host needs the API named:
shipflow never guesses where to send the token. .shipflow.yaml is repository
content, so a release.github-api-url that differs from GITHUB_API_URL is
refused. The token goes over HTTPS only (plain HTTP to this machine
excepted), never follows a redirect to another host, and never appears in
the output or the release notes. The release date is today, or
SOURCE_DATE_EPOCH when set.

The github format (the default in GitHub Actions) writes the warnings, or a
refusal, as workflow annotations, the same lines the release action writes,
and then the text report.

Exit status: 0 released (or nothing to release), 1 refused (wrong branch,
dirty tree, behind the remote, tag elsewhere, no permission), 2 usage or
configuration error (also a tag prefix that makes no valid tag name), 3 git,
network or GitHub failure (run again to resume).

--local releases in this repository only: CHANGELOG.md, the release commit
and the tag, with no push, no GitHub release and no token, on any forge or
none. Push them yourself (git push --atomic origin main vX.Y.Z).

--mode pr (or --pr, or release.mode: pr) releases through a pull request,
for a main that refuses direct pushes:

  release-pr         make the release commit (CHANGELOG.md, version files)
                     through GitHub's git data API on main's tip, force the
                     branch shipflow/release-main there, open or update the
                     pull request (labelled autorelease: pending, its body
                     the plan); close it when nothing is left to release
  after its merge:   tag the merge, push the tag only, github-release,
                     floating-tag, relabel it autorelease: tagged

The merged pull request is found by its branch and label, and its tag in
the line shipflow wrote into its description.

With packages: in .shipflow.yaml (a monorepo), every package is planned in
one pass (linked groups and dependents decided there) and each package that
has changes is released on its own: its section into its own changelog, its
version files, its release commit (chore(release): api/v2.0.0), its tag with
its prefix, its GitHub release. --package NAME releases only those packages
(a linked group's members together). Every release commit is made before
any tag, so a re-run resumes from the release commits on HEAD with the
versions the first run decided. Floating major tags are not moved for
packages. In PR mode one release pull request holds every package's
release (its description lists each package's section; its merge is
tagged once per package), or, with release.pr-per-package: true, each
package has its own (branch shipflow/release-main-NAME).`,
		Example: `  shipflow release --dry-run
  shipflow release --pr
  shipflow release --local
  shipflow release --dry-run --format json
  GITHUB_TOKEN=... shipflow release`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runRelease(e, cmd, f) },
	}
	// The flags are the release action's inputs, by name.
	fl := cmd.Flags()
	fl.Bool("dry-run", false, "print the plan and change nothing (no token needed)")
	addFormatFlag(fl, &f.format, "text, json or github (workflow annotations, then the text report)")
	fl.String("repo", "", "GitHub repository `OWNER/NAME` (default: GITHUB_REPOSITORY, else the remote's URL)")
	fl.String("github-api-url", "", "GitHub REST API `URL`, for GitHub Enterprise Server")
	fl.String("tag-prefix", "", "tag `PREFIX` before X.Y.Z (none for bare versions; default from .shipflow.yaml, else v)")
	fl.Bool("major", false, "force a major bump (1.0.0 from 0.x)")
	fl.String("branch", "", "plan for `BRANCH`'s release channel (default: the current branch; releases are cut only from release.branch)")
	fl.String("mode", "", "how the release reaches the release branch: `direct` (push the release commit and tag) or pr (keep a release pull request; merging it is the release) (default release.mode, else direct)")
	fl.BoolVar(&f.pr, "pr", false, "the same as --mode pr")
	fl.Bool("floating-major-tag", false, "move the major tag (v1) to the release (default from .shipflow.yaml)")
	fl.Bool("draft", false, "leave the GitHub release as a draft (default from .shipflow.yaml)")
	fl.String("assets", "", "`GLOBS` of files to upload to the GitHub release before it is published, with a checksums.txt (comma-separated; default release.assets)")
	// Not an action input: a workflow releases to its GitHub.
	fl.BoolVar(&f.local, "local", false, "release in this repository only: CHANGELOG.md, commit and tag; no push, no GitHub, no token")
	fl.StringSlice("package", nil, "release only package `NAME` of .shipflow.yaml packages: (repeatable, or a comma list; a linked group's members together; default every package with changes)")
	return cmd
}

func runRelease(e *env, cmd *cobra.Command, f releaseFlags) error {
	if !slices.Contains([]string{"text", "json", "github"}, f.format) {
		return usageErr("unknown --format %q: use text, json or github", f.format)
	}
	token := e.getenv("GITHUB_TOKEN")
	if token == "" {
		token = e.getenv("GH_TOKEN")
	}
	// Nothing shipflow prints may carry the token, whatever a server or git
	// put into an error (stdout and stderr are redacted too; this keeps the
	// error values clean for whoever else reads them).
	scrub := e.redact.Error

	repo, sf, err := openRepoConfig(e)
	if err != nil {
		return err
	}
	ci, err := e.ci()
	if err != nil {
		return err
	}
	if mode, given := (flagInputs{cmd.Flags()}).Lookup("mode"); given && f.pr && mode != config.ReleaseModePR {
		return usageErr("--pr and --mode %s contradict each other: give one", mode)
	}
	pk, err := release.ResolvePackages(flagInputs{cmd.Flags()}, sf)
	if err != nil {
		return err
	}
	opts, err := release.ResolveRelease(e.ctx, releaseInputs{flagInputs{cmd.Flags()}, f.pr}, sf, ci, repo)
	if err != nil {
		return &usageError{err: scrub(err)}
	}
	// The notes are committed, pushed and published.
	opts.Redactor = e.redact
	opts.Local = f.local
	// A dry run given a token reads GitHub too (the branch's rules, in the
	// preflight), and never writes to it; a local release has no GitHub.
	if token != "" && !opts.Local {
		if opts.Forge, err = github.New(token, github.WithBaseURL(opts.APIURL)); err != nil {
			return usageErr("%v", scrub(err))
		}
	}
	if pk.Monorepo() {
		return runReleasePackages(e, f, repo, opts, pk)
	}

	rep, err := release.Cut(e.ctx, repo, opts)
	err = scrub(err)
	var written releaseReport
	if rep != nil {
		written = rep
	}
	return writeReleaseOutcome(e, f.format, func() []report.Finding { return release.ReleaseFindings(rep, err) }, written, err)
}

// releaseReport is what a release writes: a CutReport or, for packages,
// a PackagesCutReport.
type releaseReport interface {
	WriteText(io.Writer) error
	WriteJSON(io.Writer) error
}

// writeReleaseOutcome writes a release's annotations (format github: the
// findings) and its report (nil: none), text or JSON, and returns err. The report is
// written even when the release failed (the steps say where); then that
// failure is the verdict, not a write error.
func writeReleaseOutcome(e *env, format string, findings func() []report.Finding, rep releaseReport, err error) error {
	if format == "github" {
		if werr := writeAnnotations(e.stdout, findings()); werr != nil {
			return failure(fmt.Errorf("writing the annotations: %w", werr))
		}
	}
	if rep != nil {
		write := rep.WriteText
		if format == "json" {
			write = rep.WriteJSON
		}
		if werr := write(e.stdout); werr != nil && err == nil {
			return failure(fmt.Errorf("writing the report: %w", werr))
		}
	}
	return err
}
