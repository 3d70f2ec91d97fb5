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
	"github.com/shipflow/shipflow/release/jsconfig"
)

// LintConfig loads the lint configuration of the repository at dir:
// commitlint's configuration when there is one (JSON, YAML, or a
// JavaScript or TypeScript file evaluated in release/jsconfig's sandbox;
// config-conventional otherwise), with the `lint:` section of
// .shipflow.yaml on top, and a monorepo's package names as the allowed
// scopes (lintPackageScopes). LoadLintConfig also says which file it read and
// what it ignored.
func LintConfig(dir string, cfg *config.Config) (commitlint.Config, error) {
	res, err := LoadLintConfig(dir, cfg.Lint, LintConfigOptions{Packages: cfg.Packages})
	return res.Config, err
}

// LintConfigOptions tune LoadLintConfig.
type LintConfigOptions struct {
	// File is commitlint's --config: the configuration to read, relative
	// to dir. Empty means commitlint's search order.
	File string
	// CacheDir and Version key the cache of transformed TypeScript and
	// ES module configs (see jsconfig.Options); empty CacheDir caches
	// nothing.
	CacheDir, Version string
	// Packages are the monorepo's packages (config.Config.Packages): their
	// names and scopes fill scope-enum unless lint.package-scopes is off or
	// the commitlint configuration sets the rule itself.
	Packages []config.Package
}

// LintConfigResult is a loaded lint configuration.
type LintConfigResult struct {
	Config commitlint.Config
	// File is the commitlint configuration read, "" for none.
	File string
	// Warnings are keys and options read and ignored, as commitlint
	// ignores them.
	Warnings []string
}

// LoadLintConfig is LintConfig with options and the file and warnings.
func LoadLintConfig(dir string, sec config.Lint, opts LintConfigOptions) (LintConfigResult, error) {
	scripts := jsconfig.New(dir, jsconfig.Options{CacheDir: opts.CacheDir, Version: opts.Version})
	r, err := config.LoadCommitlintWith(dir, config.CommitlintOptions{File: opts.File, Scripts: scripts})
	res := LintConfigResult{File: r.File, Warnings: r.Warnings}
	if err != nil {
		return res, err
	}
	cfg := r.Config
	if sec.DefaultIgnores != nil {
		cfg.DefaultIgnores = *sec.DefaultIgnores
	}
	for i, pat := range sec.Ignores {
		re, err := regexp.Compile(pat)
		if err != nil {
			return res, &config.Error{File: config.FileName, Message: fmt.Sprintf("lint.ignores[%d]: %q is not a valid regular expression: %v", i, pat, err)}
		}
		cfg.Ignores = append(cfg.Ignores, re)
	}
	res.Config = lintPackageScopes(cfg, sec, opts.Packages)
	return res, nil
}

// LintRangeOptions selects the commits LintRange checks (ResolveLint
// makes them from a verb's inputs and the CI event).
type LintRangeOptions struct {
	// From is the exclusive lower end of the range; empty means the whole
	// history reachable from To, or with FromLastTag the last tag.
	From string
	// To is the inclusive upper end; empty means HEAD.
	To string
	// FromLastTag, when From is empty, starts the range at the most
	// recent tag reachable from To (the whole history without one).
	FromLastTag bool
	// Pushed says From..To are a push's before and after: when before is
	// all zeros (the push created the branch) or gone (a force push), only
	// the pushed commit is linted (To~1..To).
	Pushed bool
	// Config holds the rules.
	Config commitlint.Config
	// OnCommit, when set, is called for every commit in order (newest
	// first) as it is linted, so callers can stream output; the report then
	// keeps only counts (Bad stays empty).
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
	// Bad holds the commits with at least one finding, newest first. It
	// stays empty when LintRangeOptions.OnCommit is set: the caller has
	// seen every commit already, and memory stays flat.
	Bad []CommitLint
	// BadCount is the number of commits with at least one finding.
	BadCount int
	// Errors and Warnings count findings over all commits.
	Errors, Warnings int
}

// LintRange lints every commit message in From..To with one streamed git
// log, From being the last tag under FromLastTag and To~1 for a push whose
// before is all zeros or gone (Pushed). Memory stays flat as the range grows: only commits with findings are
// kept. A shallow clone is an error wrapping git.ErrShallow.
func LintRange(ctx context.Context, repo *git.Repo, opts LintRangeOptions) (*LintRangeReport, error) {
	from, to, err := opts.span(ctx, repo)
	if err != nil {
		return nil, err
	}
	if to == "" {
		to = "HEAD"
	}
	rng := to
	if from != "" {
		rng = from + ".." + to
	}
	// The range is checked while git log starts: nothing is reported
	// before the check passes, and its error wins.
	checked := make(chan error, 1)
	go func() { checked <- lintCheckRange(ctx, repo, from, to) }()
	rep := &LintRangeReport{Range: rng}
	err = lintPipeline(ctx, repo, rng, opts.Config, checked, func(cl CommitLint) {
		rep.Count++
		rep.Errors += cl.Errors()
		rep.Warnings += cl.Warnings()
		if opts.OnCommit != nil {
			opts.OnCommit(cl)
		}
		if len(cl.Findings) > 0 {
			rep.BadCount++
			if opts.OnCommit == nil {
				rep.Bad = append(rep.Bad, cl)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// lintCheckRange checks that from (when set) and to name commits and that
// the history is complete: a shallow clone silently hides commits, so it
// is refused rather than passed. One `git rev-parse` answers all three
// questions; when it fails, the checks run one by one for a precise error.
func lintCheckRange(ctx context.Context, repo *git.Repo, from, to string) error {
	revs := []string{to}
	if from != "" {
		revs = append(revs, from)
	}
	if lintQuickCheck(ctx, repo, revs) {
		return nil
	}
	for _, rev := range revs {
		if _, err := repo.ResolveCommit(ctx, rev); err != nil {
			return err
		}
	}
	return repo.CheckFullHistory(ctx)
}

// lintQuickCheck reports whether every rev names a commit and the
// repository is not shallow, with one git call; false means "look closer".
func lintQuickCheck(ctx context.Context, repo *git.Repo, revs []string) bool {
	args := []string{"rev-parse", "--is-shallow-repository"}
	for _, rev := range revs {
		if strings.HasPrefix(rev, "-") {
			return false
		}
		args = append(args, rev+"^{commit}")
	}
	// "--" makes git read every argument before it as a revision.
	out, err := repo.Run(ctx, append(args, "--")...)
	if err != nil {
		return false
	}
	// "false", one hash per revision, "--".
	f := strings.Fields(string(out))
	return len(f) == len(revs)+2 && f[0] == "false" && f[len(f)-1] == "--"
}

// lintBatch is how many commits travel together through the pipeline: big
// enough to amortise channel operations, small enough to keep memory flat.
const lintBatch = 256

// lintPipeline reads the range with one git log and lints it on every
// core while git is still streaming, then hands results to emit in log
// order once checked has delivered nil; an error from checked is
// returned instead. At most 2×GOMAXPROCS batches are in flight, so memory
// does not grow with the range.
func lintPipeline(ctx context.Context, repo *git.Repo, rng string, cfg commitlint.Config, checked <-chan error, emit func(CommitLint)) error {
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
		for c, err := range repo.Log(ctx, git.LogOptions{Revs: []string{rng}, NoDates: true}) {
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
	linter := commitlint.NewLinter(cfg)
	for range workers {
		go func() {
			for b := range jobs {
				b.results = make([]CommitLint, len(b.commits))
				for i, c := range b.commits {
					b.results[i] = CommitLint{Commit: c, Result: linter.Lint(c.Message, commitlint.Input{IsMerge: c.IsMerge(), Author: c.Author()})}
				}
				close(b.done)
			}
		}()
	}
	select {
	case err := <-checked:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
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
	if _, err := repo.ResolveCommit(ctx, rev); err != nil {
		return "", err
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
