package release

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
)

// LintConfig loads the lint configuration of the repository at dir:
// `.commitlintrc.{json,yaml,yml}` when present (config-conventional
// otherwise), with the `lint:` section of .shipflow.yaml on top.
func LintConfig(dir string, sec config.Lint) (commitlint.Config, error) {
	cfg := commitlint.ConventionalConfig()
	if sec.DefaultIgnores != nil {
		cfg.DefaultIgnores = *sec.DefaultIgnores
	}
	for i, pat := range sec.Ignores {
		re, err := regexp.Compile(pat)
		if err != nil {
			return commitlint.Config{}, &config.Error{File: config.FileName, Message: fmt.Sprintf("lint.ignores[%d]: %q is not a valid regular expression: %v", i, pat, err)}
		}
		cfg.Ignores = append(cfg.Ignores, re)
	}
	return cfg, nil
}

// LintRangeOptions selects the commits LintRange checks.
type LintRangeOptions struct {
	// From is the exclusive lower end of the range; empty means the whole
	// history reachable from To.
	From string
	// To is the inclusive upper end; empty means HEAD.
	To string
	// Config holds the rules.
	Config commitlint.Config
	// OnCommit, when set, is called for every commit in order (newest
	// first) as it is linted, so callers can stream output; the report then
	// keeps only commits with findings.
	OnCommit func(CommitLint)
}

// CommitLint is one linted commit.
type CommitLint struct {
	Commit *git.Commit
	commitlint.Result
}

// LintRangeReport is the outcome of LintRange.
type LintRangeReport struct {
	// Range is the git range that was read ("v1.2.0..HEAD").
	Range string
	// Count is the number of commits linted (ignored ones included).
	Count int
	// Bad holds the commits with at least one finding, newest first.
	Bad []CommitLint
	// Errors and Warnings count findings over all commits.
	Errors, Warnings int
}

// LintRange lints every commit message in From..To with one streamed git
// log. Memory stays flat as the range grows: only commits with findings are
// kept. A shallow clone is an error wrapping git.ErrShallow.
func LintRange(ctx context.Context, repo *git.Repo, opts LintRangeOptions) (*LintRangeReport, error) {
	to := opts.To
	if to == "" {
		to = "HEAD"
	}
	if _, err := repo.ResolveCommit(ctx, to); err != nil {
		return nil, err
	}
	rng := to
	if opts.From != "" {
		if _, err := repo.ResolveCommit(ctx, opts.From); err != nil {
			return nil, err
		}
		rng = opts.From + ".." + to
	}
	// A shallow clone silently hides commits; refuse rather than pass.
	if err := repo.CheckFullHistory(ctx); err != nil {
		return nil, err
	}
	rep := &LintRangeReport{Range: rng}
	for c, err := range repo.Log(ctx, git.LogOptions{Revs: []string{rng}}) {
		if err != nil {
			return nil, err
		}
		res := commitlint.Lint(c.Message, opts.Config, commitlint.Input{IsMerge: c.IsMerge(), Author: c.Author()})
		cl := CommitLint{Commit: c, Result: res}
		rep.Count++
		rep.Errors += res.Errors()
		rep.Warnings += res.Warnings()
		if opts.OnCommit != nil {
			opts.OnCommit(cl)
		}
		if len(res.Findings) > 0 {
			rep.Bad = append(rep.Bad, cl)
		}
	}
	return rep, nil
}

// LastTag returns the most recent tag reachable from rev (`git describe
// --tags --abbrev=0`), or "" when there is none.
func LastTag(ctx context.Context, repo *git.Repo, rev string) (string, error) {
	if rev == "" {
		rev = "HEAD"
	}
	out, err := repo.Run(ctx, "describe", "--tags", "--abbrev=0", "--end-of-options", rev)
	if err != nil {
		var ge *git.Error
		if errors.As(err, &ge) && ge.ExitCode == 128 && strings.Contains(ge.Stderr, "No names found") || errors.As(err, &ge) && strings.Contains(ge.Stderr, "No tags can describe") {
			return "", nil
		}
		return "", fmt.Errorf("finding the last tag: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
