package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/github"
)

type releaseFlags struct {
	dryRun    bool
	format    string
	repo      string
	apiURL    string
	tagPrefix string
	major     bool
	floating  bool
	draft     bool
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
  tag             annotated tag vX.Y.Z
  push            branch and tag, atomically
  github-release  find by tag, create as draft with the notes, publish
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

Exit status: 0 released (or nothing to release), 1 refused (wrong branch,
dirty tree, behind the remote, tag elsewhere, no permission), 2 usage or
configuration error (also a tag prefix that makes no valid tag name), 3 git,
network or GitHub failure (run again to resume).`,
		Example: `  shipflow release --dry-run
  shipflow release --dry-run --format json
  GITHUB_TOKEN=... shipflow release`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runRelease(e, cmd, f) },
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan and change nothing (no token needed)")
	fl.StringVar(&f.format, "format", "text", "output `FORMAT`: text or json")
	fl.StringVar(&f.repo, "repo", "", "GitHub repository `OWNER/NAME` (default: GITHUB_REPOSITORY, else the remote's URL)")
	fl.StringVar(&f.apiURL, "github-api-url", "", "GitHub REST API `URL`, for GitHub Enterprise Server")
	fl.StringVar(&f.tagPrefix, "tag-prefix", "", "tag `PREFIX` before X.Y.Z (none for bare versions; default from .shipflow.yaml, else v)")
	fl.BoolVar(&f.major, "major", false, "force a major bump (1.0.0 from 0.x)")
	fl.BoolVar(&f.floating, "floating-major-tag", false, "move the major tag (v1) to the release (default from .shipflow.yaml)")
	fl.BoolVar(&f.draft, "draft", false, "leave the GitHub release as a draft (default from .shipflow.yaml)")
	return cmd
}

func runRelease(e *env, cmd *cobra.Command, f releaseFlags) error {
	if f.format != "text" && f.format != "json" {
		return usageErr("unknown --format %q: use text or json", f.format)
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
	opts := release.CutOptions{
		Config:    sf.Release,
		Plan:      release.PlanOptions{Config: sf.Version, Major: f.major},
		Changelog: sf.Changelog,
		DryRun:    f.dryRun,
		Redactor:  e.redact,
	}
	// SOURCE_DATE_EPOCH (reproducible-builds.org) pins the release date.
	if s := e.getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return usageErr("SOURCE_DATE_EPOCH %q is not a number of seconds", s)
		}
		opts.Now = func() time.Time { return time.Unix(sec, 0).UTC() }
	}
	if cmd.Flags().Changed("tag-prefix") {
		opts.Plan.TagPrefix = &f.tagPrefix
	}
	if cmd.Flags().Changed("floating-major-tag") {
		opts.Config.FloatingMajorTag = f.floating
	}
	if cmd.Flags().Changed("draft") {
		opts.Config.Draft = f.draft
	}
	full := f.repo
	if full == "" {
		full = e.getenv("GITHUB_REPOSITORY")
	}
	if full != "" {
		owner, name, ok := strings.Cut(full, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			return usageErr("repository %q is not OWNER/NAME", full)
		}
		opts.Owner, opts.Repo = owner, name
	}
	// The token goes where the API URL points: decided before anything
	// changes, and never from a guess at the remote's host.
	if opts.APIURL, err = release.ResolveAPIURL(e.ctx, release.APIURLOptions{
		Flag: f.apiURL, Env: e.getenv("GITHUB_API_URL"), Config: sf.Release, Repo: repo,
	}); err != nil {
		return usageErr("%v", scrub(err))
	}
	if token != "" && !f.dryRun {
		if opts.GitHub, err = github.New(token, github.WithBaseURL(opts.APIURL)); err != nil {
			return usageErr("%v", scrub(err))
		}
		if s := e.getenv("GITHUB_SERVER_URL"); s != "" {
			opts.WebURL = s
		}
	}

	rep, err := release.Cut(e.ctx, repo, opts)
	if rep != nil {
		if f.format == "json" {
			if jerr := releaseJSON(e.stdout, rep); jerr != nil {
				return failure(jerr)
			}
		} else {
			releaseText(e.stdout, rep)
		}
	}
	return scrub(err)
}

func releaseJSON(w io.Writer, rep *release.CutReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func releaseText(w io.Writer, rep *release.CutReport) {
	if rep.Nothing != "" {
		fmt.Fprintln(w, rep.Nothing)
		return
	}
	p := rep.Plan
	if p == nil || p.Tag == "" {
		for _, s := range rep.Steps {
			if s.Error != "" {
				fmt.Fprintf(w, "✗ %s\n", s.Step)
			}
		}
		return
	}
	from := p.PreviousTag
	if from == "" {
		from = "first release"
	}
	mode := ""
	if p.DryRun {
		mode = " (dry run)"
	}
	gh := ""
	switch {
	case p.Owner == "":
		// A warning says why and what to pass.
	case p.APIURL != "" && p.APIURL != github.DefaultBaseURL:
		gh = fmt.Sprintf(", GitHub %s/%s at %s", p.Owner, p.Repo, p.APIURL)
	default:
		gh = fmt.Sprintf(", GitHub %s/%s", p.Owner, p.Repo)
	}
	fmt.Fprintf(w, "release %s (from %s) on %s → %s%s%s\n", p.Tag, from, p.Branch, p.Remote, gh, mode)
	for _, s := range rep.Steps {
		switch {
		case s.Error != "":
			fmt.Fprintf(w, "  ✗ %s\n", s.Step)
		case s.Skipped != "":
			fmt.Fprintf(w, "  - %s: %s\n", s.Step, s.Skipped)
		default:
			fmt.Fprintf(w, "  ✓ %s\n", s.Step)
		}
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if p.ReleaseURL != "" {
		fmt.Fprintf(w, "%s\n", p.ReleaseURL)
	}
	if p.DryRun {
		if p.Next != nil {
			fmt.Fprintln(w)
			nextCommits(w, p.Next)
		}
		fmt.Fprintf(w, "\ncommit message: %s\n", p.CommitMessage)
		if p.FloatingTag != "" {
			fmt.Fprintf(w, "floating tag: %s\n", p.FloatingTag)
		}
		fmt.Fprintf(w, "\n%s", p.Notes)
	}
}
