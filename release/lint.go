package release

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
)

// LintConfig loads the lint configuration of the repository at dir:
// `.commitlintrc.{json,yaml,yml}` when present (config-conventional
// otherwise), with the `lint:` section of .shipflow.yaml on top.
func LintConfig(dir string, sec config.Lint) (commitlint.Config, error) {
	cfg, _, err := config.LoadCommitlint(dir)
	if err != nil {
		return commitlint.Config{}, err
	}
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
	err := lintPipeline(ctx, repo, rng, opts.Config, func(cl CommitLint) {
		rep.Count++
		rep.Errors += cl.Errors()
		rep.Warnings += cl.Warnings()
		if opts.OnCommit != nil {
			opts.OnCommit(cl)
		}
		if len(cl.Findings) > 0 {
			rep.Bad = append(rep.Bad, cl)
		}
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// lintBatch is how many commits travel together through the pipeline: big
// enough to amortise channel operations, small enough to keep memory flat.
const lintBatch = 256

// lintPipeline reads the range with one git log and lints it on every
// core while git is still streaming, then hands results to emit in log
// order. At most 2×GOMAXPROCS batches are in flight, so memory does not
// grow with the range.
func lintPipeline(ctx context.Context, repo *git.Repo, rng string, cfg commitlint.Config, emit func(CommitLint)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	type batch struct {
		commits []*git.Commit
		results []CommitLint
		done    chan struct{}
	}
	jobs := make(chan *batch, workers)
	ordered := make(chan *batch, 2*workers)
	var readErr error
	go func() {
		defer close(jobs)
		defer close(ordered)
		cur := &batch{done: make(chan struct{})}
		flush := func() bool {
			select {
			case ordered <- cur:
			case <-ctx.Done():
				return false
			}
			select {
			case jobs <- cur:
			case <-ctx.Done():
				return false
			}
			cur = &batch{done: make(chan struct{})}
			return true
		}
		for c, err := range repo.Log(ctx, git.LogOptions{Revs: []string{rng}}) {
			if err != nil {
				readErr = err
				return
			}
			cur.commits = append(cur.commits, c)
			if len(cur.commits) == lintBatch && !flush() {
				return
			}
		}
		if len(cur.commits) > 0 {
			flush()
		}
	}()
	for range workers {
		go func() {
			for b := range jobs {
				b.results = make([]CommitLint, len(b.commits))
				for i, c := range b.commits {
					b.results[i] = CommitLint{Commit: c, Result: commitlint.Lint(c.Message, cfg, commitlint.Input{IsMerge: c.IsMerge(), Author: c.Author()})}
				}
				close(b.done)
			}
		}()
	}
	for b := range ordered {
		select {
		case <-b.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		for _, r := range b.results {
			emit(r)
		}
	}
	// ordered is closed after the reader stored readErr.
	return readErr
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
