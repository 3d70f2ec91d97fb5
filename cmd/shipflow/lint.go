package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
	"github.com/spf13/cobra"
)

// lintMaxMessage bounds what lint reads from a file or stdin; a commit
// message larger than this is not a commit message.
const lintMaxMessage = 64 << 20

// lintBOM is the UTF-8 byte order mark.
const lintBOM = "\ufeff"

type lintFlags struct {
	message     string
	edit        string
	from, to    string
	fromLastTag bool
	format      string
	strict      bool
	config      string
}

func newLintCmd(e *env) *cobra.Command {
	var f lintFlags
	cmd := &cobra.Command{
		Use: "lint",
		// The name of its action (actions/commitlint) and of the tool it
		// replaces.
		Aliases: []string{"commitlint"},
		Short:   "Lint commit messages as Conventional Commits with commitlint's rules",
		Long: `Lint commit messages as Conventional Commits 1.0 with commitlint's rules
(commitlint's own configuration file: .commitlintrc.json|yaml|yml, or
commitlint.config.js|cjs|mjs|ts and .commitlintrc.js|cjs|mjs|ts, evaluated
without Node in a sandbox; --config FILE picks one; without any,
@commitlint/config-conventional's defaults).

The message comes from stdin, --message, --edit FILE (the commit-msg hook: the
file is cleaned up as 'git commit --cleanup=strip' does), or a range of
commits (--from/--to, --from-last-tag). In GitHub Actions, with none of
these and nothing on stdin, the range is the event's, as in the commitlint
Action: a pull request's base.sha..head.sha, a push's before..after (the
pushed commit alone for a new branch or a force push).

Exit status: 0 clean, 1 errors found (warnings too with --strict),
2 usage or configuration error, 3 git or I/O failure.`,
		Example: `  echo "feat(core): add a thing" | shipflow lint
  shipflow lint --edit .git/COMMIT_EDITMSG
  shipflow lint --from-last-tag --format github
  shipflow lint --from origin/main --format sarif > lint.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLint(e, cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.message, "message", "m", "", "lint this message `TEXT`")
	fl.StringVarP(&f.edit, "edit", "e", "", "lint the message in `FILE` as the commit-msg hook does (comments and scissors stripped)")
	fl.StringVar(&f.from, "from", "", "lint commits after `REF` (exclusive)")
	fl.StringVar(&f.to, "to", "", "lint commits up to `REF` (inclusive; default HEAD)")
	fl.BoolVar(&f.fromLastTag, "from-last-tag", false, "lint commits since the most recent tag (all commits when there is none)")
	addFormatFlag(fl, &f.format, "text, json, github (workflow annotations), sarif (SARIF 2.1.0 for code scanning), markdown (job summary, PR comment) or junit")
	fl.BoolVar(&f.strict, "strict", false, "warnings fail too (exit 1)")
	fl.StringVar(&f.config, "config", "", "read commitlint's configuration from `FILE` (relative to the repository) instead of searching for it, as commitlint's --config does")
	cmd.MarkFlagsMutuallyExclusive("message", "edit", "from")
	cmd.MarkFlagsMutuallyExclusive("message", "edit", "from-last-tag")
	cmd.MarkFlagsMutuallyExclusive("from", "from-last-tag")
	return cmd
}

func runLint(e *env, cmd *cobra.Command, f lintFlags) error {
	switch f.format {
	case "text", "json", "github", "sarif", "markdown", "junit":
	default:
		return usageErr("unknown --format %q: use text, json, github, sarif, markdown or junit", f.format)
	}
	oneMessage := cmd.Flags().Changed("message") || f.edit != ""
	rangeFlags := f.from != "" || f.to != "" || f.fromLastTag
	if rangeFlags && oneMessage {
		return usageErr("--message and --edit lint one message; --from, --to and --from-last-tag lint a range: pick one")
	}

	// Configuration comes from the repository's top level when there is
	// one, else from the directory shipflow runs in.
	var repo *git.Repo
	dir := e.dir
	var openOpts []git.Option
	if f.edit != "" {
		// git runs the commit-msg hook in the top level: skip asking it.
		openOpts = append(openOpts, git.AtTopLevel())
	}
	r, openErr := git.Open(e.ctx, e.dir, openOpts...)
	if openErr == nil {
		repo, dir = r, r.Dir()
	} else if rangeFlags {
		return usageErr("%v", openErr)
	}
	commentChar := func() string { return "" }
	if f.edit != "" && repo != nil {
		commentChar = lintCommentChar(e, repo)
	}
	sf, _, err := config.Load(dir)
	if err != nil {
		return usageErr("%v", err)
	}
	lc, err := release.LoadLintConfig(dir, sf.Lint, release.LintConfigOptions{File: lintConfigFlag(e, dir, f.config), CacheDir: lintCacheDir(e), Version: buildVersion(), Packages: sf.Packages})
	if err != nil {
		return usageErr("%v", err)
	}
	for _, w := range lc.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	cfg := lc.Config
	// One message (the commit-msg hook) needs nothing of the CI.
	var ci release.CI
	if !oneMessage {
		if ci, err = e.ci(); err != nil {
			return err
		}
	}
	li, err := release.ResolveLint(flagInputs{cmd.Flags()}, sf, ci)
	if err != nil {
		return err
	}
	li.Range.Config = cfg

	var msg, source string
	switch {
	case cmd.Flags().Changed("message"):
		msg, source = f.message, ""
	case f.edit != "":
		path := f.edit
		if !filepath.IsAbs(path) {
			// Like every other path, --edit is relative to -C.
			path = filepath.Join(e.dir, path)
		}
		b, err := lintReadFile(path)
		if err != nil {
			return usageErr("%v", err)
		}
		comment := commentChar()
		// A byte order mark would hide a comment or blank first line
		// from the cleanup: it goes before, and comes back in front of
		// what is left so that Lint names it (git keeps it in the commit).
		text, bom := strings.CutPrefix(string(b), lintBOM)
		msg, source = commitlint.Strip(text, comment), f.edit
		if bom && msg != "" {
			msg = lintBOM + msg
		}
		// git's cleanup (core.commentChar) has removed the comments, as
		// commitlint's --edit puts git's comment character in place of
		// the config's: a config's commentChar does not apply again.
		if p := cfg.Parser; p != nil && p.CommentChar != "" {
			q := *p
			q.CommentChar = ""
			cfg.Parser = &q
		}
	case li.Origin == release.RangeInputs:
		return lintRange(e, repo, li, f.format)
	default:
		// A message piped in wins; in a CI run, where stdin is empty,
		// the event's range is linted, as the commitlint Action does.
		b, piped, err := lintReadStdin(e)
		if err != nil {
			return err
		}
		if len(b) == 0 && li.Origin == release.RangeEvent {
			if repo == nil {
				return usageErr("%v", openErr)
			}
			return lintRange(e, repo, li, f.format)
		}
		if !piped {
			return usageErr("no message to lint: pipe one in, or pass --message TEXT, --edit FILE, or a range (--from/--to, --from-last-tag)")
		}
		msg, source = string(b), "<stdin>"
	}
	if strings.TrimSpace(strings.TrimPrefix(msg, lintBOM)) == "" {
		if f.edit != "" {
			// An empty message after cleanup: git aborts the commit
			// itself ("Aborting commit due to empty commit message").
			return nil
		}
		// commitlint's verdict on no input.
		return &exitError{code: exitFindings, err: errors.New("input is required: supply a message via stdin or --message, or lint a file (--edit) or a range (--from/--to, --from-last-tag)")}
	}
	res := commitlint.Lint(msg, cfg, commitlint.Input{})
	if err := lintWriteOne(lintWriter(e.stdout, f.format), source, res); err != nil {
		return failure(err)
	}
	if res.Errors() > 0 || li.Strict && res.Warnings() > 0 {
		return findings()
	}
	return nil
}

// lintCommentChar starts asking git for core.commentChar and returns a
// function that waits for the answer: "" when it is unset or cannot be
// read. The commit-msg hook needs it at every commit; git runs while
// shipflow loads the configuration, so the hook waits for the slower of
// the two rather than for both.
func lintCommentChar(e *env, repo *git.Repo) func() string {
	ch := make(chan string, 1)
	go func() {
		v, ok, _ := repo.ConfigValue(e.ctx, "core.commentChar")
		if !ok {
			v = ""
		}
		ch <- v
	}()
	return sync.OnceValue(func() string { return <-ch })
}

// lintReadStdin reads the message piped in; piped is false, and nothing
// is read, when stdin is a terminal.
func lintReadStdin(e *env) (b []byte, piped bool, err error) {
	if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
		return nil, false, nil
	}
	b, err = io.ReadAll(io.LimitReader(e.stdin, lintMaxMessage+1))
	if err != nil {
		return nil, true, failure(fmt.Errorf("reading the message from stdin: %w", err))
	}
	if len(b) > lintMaxMessage {
		return nil, true, usageErr("stdin: the message is larger than %d MiB; that is not a commit message", lintMaxMessage>>20)
	}
	return b, true, nil
}

// lintReadFile reads a message file, refusing directories and files too
// large to be a commit message.
func lintReadFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--edit %s: no such file", path)
	}
	if err != nil {
		return nil, fmt.Errorf("--edit: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("--edit %s: is a directory, not a message file", path)
	}
	if fi.Size() > lintMaxMessage {
		return nil, fmt.Errorf("--edit %s: %d bytes is larger than %d MiB; that is not a commit message", path, fi.Size(), lintMaxMessage>>20)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--edit: %w", err)
	}
	return b, nil
}

// lintRange lints the commits li names and prints them as they come.
func lintRange(e *env, repo *git.Repo, li release.LintInputs, format string) error {
	opts := li.Range
	// Linting allocates a little per commit and keeps almost nothing: the
	// live heap is a few MB whatever the range. Collecting when it has
	// grown 3× instead of 2× saves most of the GC work (10% of the CPU on
	// 100k commits) for 2 MB more memory, still flat as the range grows.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	// Long ranges print a lot: one write per line would cost a system call
	// each.
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	defer out.Flush()
	w := lintWriter(out, format)
	w.Begin(report.Run{Range: true})
	opts.OnCommit = func(cl release.CommitLint) {
		w.Write(report.LintEntry(report.SourceCommit, cl.Commit.Hash, "", cl.Result))
	}
	rep, err := release.LintRange(e.ctx, repo, opts)
	if err != nil {
		// The json and sarif writers close what they started, so stdout
		// stays one valid document that says the run failed.
		w.End(report.Summary{}, err)
		return err
	}
	// Write errors are not this run's verdict: the findings decide the
	// exit code, as before the writers moved to package report.
	w.End(report.Summary{Range: rep.Range, Count: rep.Count, Bad: rep.BadCount, Errors: rep.Errors, Warnings: rep.Warnings}, nil)
	if rep.Errors > 0 || li.Strict && rep.Warnings > 0 {
		return findings()
	}
	return nil
}

// lintWriter picks the report writer for --format.
func lintWriter(w io.Writer, format string) report.Writer {
	switch format {
	case "json":
		return report.NewJSON(w)
	case "github":
		return report.NewGitHub(w)
	case "sarif":
		return report.NewSARIF(w, buildVersion())
	case "markdown":
		return report.NewMarkdown(w)
	case "junit":
		return report.NewJUnit(w, "shipflow lint")
	default:
		return report.NewText(w)
	}
}

// lintWriteOne writes the result of one message read from source: a file
// path, "<stdin>" or "" (--message).
func lintWriteOne(w report.Writer, source string, res commitlint.Result) error {
	src, file := report.SourceMessage, ""
	if source != "" && !strings.HasPrefix(source, "<") {
		src, file = report.SourceFile, source
	}
	e := report.LintEntry(src, "", file, res)
	errs, warns := e.Counts()
	bad := 0
	if len(e.Findings) > 0 {
		bad = 1
	}
	if err := w.Begin(report.Run{}); err != nil {
		return err
	}
	if err := w.Write(e); err != nil {
		return err
	}
	return w.End(report.Summary{Count: 1, Bad: bad, Errors: errs, Warnings: warns}, nil)
}

// lintConfigFlag makes --config relative to the repository: it is given
// relative to where shipflow runs (-C), like every other path.
func lintConfigFlag(e *env, dir, file string) string {
	if file == "" || filepath.IsAbs(file) {
		return file
	}
	abs, err := filepath.Abs(filepath.Join(e.dir, file))
	if err != nil {
		return file
	}
	if d, err := filepath.Abs(dir); err == nil {
		if rel, err := filepath.Rel(d, abs); err == nil {
			return rel
		}
	}
	return file
}

// lintCacheDir is where transformed script configs are cached, so the
// commit-msg hook transforms a TypeScript or ES module config once: the
// user's cache directory, never the repository.
func lintCacheDir(e *env) string {
	base := e.getenv("XDG_CACHE_HOME")
	if base == "" {
		if d, err := os.UserCacheDir(); err == nil {
			base = d
		}
	}
	if base == "" {
		return ""
	}
	return filepath.Join(base, "shipflow")
}
