package main

import (
	"bufio"
	"fmt"
	"io"
	"runtime/debug"
	"slices"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/spf13/cobra"
)

type nextFlags struct {
	packages  []string
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
feature/* → a build version X.Y.Z+<sha> without a tag. --branch BRANCH
plans BRANCH's history (its local branch, else origin/BRANCH) when another
branch is checked out. A detached HEAD in GitHub Actions uses
GITHUB_HEAD_REF or GITHUB_REF_NAME as the branch; elsewhere it needs
--branch, unless it is a version tag's commit.

Tags that HEAD does not reach but whose changes it holds (main released
dev's changes, not merged back yet) count as reached: their commits never
count again. A release commit whose tag is missing is a warning with the
command that tags it.

A shallow clone is deepened from its remote (git fetch --unshallow) unless
--no-fetch is given.

In a monorepo (packages: in .shipflow.yaml) every package is planned in
one pass, from its own last tag and the commits that touch it: one block
per package, or in JSON {"packages": [...], "head", "branch", "channel"}.
--package NAME (repeatable, or a comma list) plans only those packages;
with one --package the plan has a repository's shape plus the package's
name. --tag-prefix does not apply: each package has its own.

The github format (the default in GitHub Actions) writes the plan's
warnings, or a refused plan, as workflow annotations, the same lines the
next action writes, and then the text plan.

Exit status: 0 ok (also when nothing is releasable: next is null), 1 the
commits break the branch's rules (a feat on hotfix/*), 2 usage or
configuration error (also a tag prefix that makes no valid tag name, a
--branch with no branch, a detached HEAD without --branch, an unknown
--package), 3 git
failure or incomplete history.`,
		Example: `  shipflow next
  shipflow next --format json
  shipflow next --branch dev --tag-prefix none
  shipflow next --package api,web --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runNext(e, cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.packages, "package", nil, "plan only package `NAME` of .shipflow.yaml packages: (repeatable, or a comma list; default every package)")
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
	in := flagInputs{cmd.Flags()}
	pk, err := release.ResolvePackages(in, sf)
	if err != nil {
		return err
	}
	opts, err := release.ResolveNext(in, sf, ci)
	if err != nil {
		return err
	}
	if pk.Monorepo() {
		return runNextPackages(e, f, repo, opts, pk)
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
		if err := rep.WriteJSON(e.stdout); err != nil {
			return failure(fmt.Errorf("writing the plan: %w", err))
		}
		return nil
	}
	return writeNextText(e, rep)
}

// writeNextText writes a text plan through one buffer: one write per line
// would make a 100k-commit plan 100k syscalls.
func writeNextText(e *env, rep interface{ WriteText(io.Writer) error }) error {
	bw := bufio.NewWriterSize(e.stdout, 64<<10)
	if err := rep.WriteText(bw); err != nil {
		return failure(fmt.Errorf("writing the plan: %w", err))
	}
	if err := bw.Flush(); err != nil {
		return failure(fmt.Errorf("writing the plan: %w", err))
	}
	return nil
}

// runNextPackages plans a monorepo's packages (all, or those --package
// names) in one pass; with one --package its plan is shown as a
// repository's, with the package's name.
func runNextPackages(e *env, f nextFlags, repo *git.Repo, opts release.PlanOptions, pk release.NextPackages) error {
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	rep, err := release.PlanPackages(e.ctx, repo, opts, pk.Packages, pk.Only, pk.BumpDependents)
	if f.format == "github" {
		if werr := writeAnnotations(e.stdout, release.NextPackagesFindings(rep, err)); werr != nil {
			return failure(fmt.Errorf("writing the annotations: %w", werr))
		}
	}
	if err != nil {
		return err
	}
	var out interface {
		WriteText(io.Writer) error
		WriteJSON(io.Writer) error
	} = rep
	if pk.One() && len(rep.Packages) == 1 {
		out = rep.Packages[0]
	}
	if f.format == "json" {
		if err := out.WriteJSON(e.stdout); err != nil {
			return failure(fmt.Errorf("writing the plan: %w", err))
		}
		return nil
	}
	return writeNextText(e, out)
}
