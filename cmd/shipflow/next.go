package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shipflow/shipflow/release"
	"github.com/spf13/cobra"
)

type nextFlags struct {
	tagPrefix string
	branch    string
	major     bool
	allowBump bool
	noFetch   bool
	format    string
}

func newNextCmd(e *env) *cobra.Command {
	var f nextFlags
	cmd := &cobra.Command{
		Use:   "next",
		Short: "Print the next semver version and tag, with the reason for every commit",
		Long: `Print the next semantic version from the last version tag reachable from
HEAD and the Conventional Commits since it, and say why for every commit.

Default rules (configurable in the version: section of .shipflow.yaml, and
echoed in the output): breaking change → major, but minor while 0.x;
feat → minor; fix, perf → patch; a commit and its revert in the range cancel
out; a revert of a released commit → patch; anything else → no release.
A Release-As: X.Y.Z footer sets the version (one that is not X.Y.Z, or not
above the current version, is ignored with a warning). The first version is
0.1.0.

Branches: main → vX.Y.Z; dev → vX.Y.Z-dev.N; hotfix/* → patch releases only;
feature/* → a build version X.Y.Z+<sha> without a tag. A detached HEAD in
GitHub Actions uses GITHUB_HEAD_REF or GITHUB_REF_NAME as the branch.

A shallow clone is deepened from its remote (git fetch --unshallow) unless
--no-fetch is given.

The github format (the default in GitHub Actions) writes the plan's
warnings, or a refused plan, as workflow annotations, the same lines the
next action writes, and then the text plan.

Exit status: 0 ok (also when nothing is releasable: next is null), 1 the
commits break the branch's rules (a feat on hotfix/*), 2 usage or
configuration error (also a tag prefix that makes no valid tag name), 3 git
failure or incomplete history.`,
		Example: `  shipflow next
  shipflow next --format json
  shipflow next --branch dev --tag-prefix none`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runNext(e, cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.tagPrefix, "tag-prefix", "", "tag `PREFIX` before X.Y.Z (none for bare versions; default from .shipflow.yaml, else v)")
	fl.StringVar(&f.branch, "branch", "", "plan for `BRANCH` (default: the current branch)")
	fl.BoolVar(&f.major, "major", false, "force a major bump (1.0.0 from 0.x)")
	fl.BoolVar(&f.allowBump, "allow-bump", false, "allow a bump larger than the branch's channel allows (a feat on hotfix/*)")
	fl.BoolVar(&f.noFetch, "no-fetch", false, "fail on a shallow clone instead of fetching the full history")
	addFormatFlag(fl, &f.format, "text, json or github (workflow annotations, then the text plan)")
	return cmd
}

func runNext(e *env, cmd *cobra.Command, f nextFlags) error {
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
	opts, err := release.ResolveNext(flagInputs{cmd.Flags()}, sf, ci)
	if err != nil {
		return err
	}
	// A plan holds every commit of the range (100k on big histories) and
	// the process ends right after: collect garbage half as often (a few
	// percent of the run time on bench/next, for a larger peak heap).
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	rep, err := release.Plan(e.ctx, repo, opts)
	if f.format == "github" {
		if werr := writeAnnotations(e.stdout, release.NextFindings(rep, err)); werr != nil {
			return failure(fmt.Errorf("writing the annotations: %w", werr))
		}
	}
	if err != nil {
		return err
	}
	if f.format == "json" {
		return nextJSON(e.stdout, rep)
	}
	// One write per line would make a 100k-commit plan 100k syscalls.
	bw := bufio.NewWriterSize(e.stdout, 64<<10)
	nextText(bw, rep)
	if err := bw.Flush(); err != nil {
		return failure(fmt.Errorf("writing the plan: %w", err))
	}
	return nil
}

// nextJSONReport is the --format json document.
type nextJSONReport struct {
	Current     *string          `json:"current"`
	CurrentTag  *string          `json:"current_tag"`
	Next        *string          `json:"next"`
	NextTag     *string          `json:"next_tag"`
	Bump        string           `json:"bump"`
	Branch      string           `json:"branch"`
	Channel     string           `json:"channel"`
	ReleaseAs   *string          `json:"release_as"`
	Commits     []nextJSONCommit `json:"commits"`
	Warnings    []string         `json:"warnings"`
	IgnoredTags []string         `json:"ignored_tags"`
	Rules       []string         `json:"rules"`
}

type nextJSONCommit struct {
	Commit   string `json:"commit"`
	Type     string `json:"type"`
	Scope    string `json:"scope"`
	Breaking bool   `json:"breaking"`
	Bump     string `json:"bump"`
	Reason   string `json:"reason"`
	Header   string `json:"header"`
}

func nextJSON(w io.Writer, rep *release.PlanReport) error {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := nextJSONReport{
		CurrentTag: opt(rep.PreviousTag), NextTag: opt(rep.NextTag), ReleaseAs: opt(rep.ReleaseAs),
		Bump: rep.Bump.String(), Branch: rep.Branch, Channel: rep.Channel,
		Commits: []nextJSONCommit{}, Warnings: append([]string{}, rep.Warnings...),
		IgnoredTags: append([]string{}, rep.IgnoredTags...), Rules: rep.Rules,
	}
	if rep.Previous != nil {
		out.Current = opt(rep.Previous.String())
	}
	if rep.Next != nil {
		out.Next = opt(rep.Next.String())
	}
	for _, c := range rep.Commits {
		out.Commits = append(out.Commits, nextJSONCommit{
			Commit: c.Commit.Hash, Type: c.Parsed.Type, Scope: c.Parsed.Scope,
			Breaking: c.Parsed.Breaking && c.Parsed.HeaderError == nil,
			Bump:     c.Bump.String(), Reason: c.Reason, Header: c.Parsed.Header,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return failure(fmt.Errorf("writing the plan: %w", err))
	}
	return nil
}

func nextText(w io.Writer, rep *release.PlanReport) {
	current := "none (no version tag reachable from HEAD)"
	if rep.PreviousTag != "" {
		current = rep.PreviousTag
	}
	fmt.Fprintf(w, "current  %s\n", current)
	switch {
	case rep.Next == nil:
		fmt.Fprintf(w, "next     none: nothing releasable (bump none)\n")
	case rep.NextTag == "":
		fmt.Fprintf(w, "next     %s (build version, no tag; bump %s)\n", rep.Next, rep.Bump)
	case rep.ReleaseAs != "":
		fmt.Fprintf(w, "next     %s (Release-As footer; bump %s)\n", rep.NextTag, rep.Bump)
	default:
		fmt.Fprintf(w, "next     %s (bump %s)\n", rep.NextTag, rep.Bump)
	}
	branch := rep.Branch
	if branch == "" {
		branch = "(detached HEAD)"
	}
	fmt.Fprintf(w, "branch   %s (channel %s)\n", branch, rep.Channel)
	fmt.Fprintln(w)
	nextCommits(w, rep)
	if len(rep.Warnings) > 0 {
		fmt.Fprintf(w, "\nwarnings:\n")
		for _, s := range rep.Warnings {
			fmt.Fprintf(w, "  ⚠ %s\n", s)
		}
	}
	if len(rep.IgnoredTags) > 0 {
		fmt.Fprintf(w, "\nignored tags (not %q + X.Y.Z): %s\n", rep.Prefix, strings.Join(rep.IgnoredTags, ", "))
	}
	fmt.Fprintf(w, "\nrules:\n")
	for _, s := range rep.Rules {
		fmt.Fprintf(w, "  %s\n", s)
	}
}

// nextCommits lists the commits of a plan, one line each with its bump
// and reason; `shipflow release --dry-run` prints the same list.
func nextCommits(w io.Writer, rep *release.PlanReport) {
	since := "in all of history"
	if rep.PreviousTag != "" {
		since = "since " + rep.PreviousTag
	}
	if len(rep.Commits) == 0 {
		fmt.Fprintf(w, "no commits %s\n", since)
	} else {
		fmt.Fprintf(w, "%d %s %s:\n", len(rep.Commits), nextPlural(len(rep.Commits), "commit", "commits"), since)
	}
	// Plain writes: a plan may list 100k commits.
	var line []byte
	for _, c := range rep.Commits {
		b := c.Bump.String()
		line = append(line[:0], "  "...)
		line = append(line, c.Commit.Short()...)
		line = append(line, ' ')
		line = append(line, b...)
		line = append(line, "      "[:6-len(b)]...)
		line = append(line, nextOneLine(c.Parsed.Header, 72)...)
		line = append(line, "  ← "...)
		line = append(line, c.Reason...)
		line = append(line, '\n')
		w.Write(line)
	}
}

// nextOneLine cuts s to at most n characters.
func nextOneLine(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func nextPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
