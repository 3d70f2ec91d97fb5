package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/shipflow/shipflow/actions"
	"github.com/shipflow/shipflow/internal/redact"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/testreport"
	"github.com/spf13/cobra"
)

// testFlags are the flags that choose how the report is written; the
// ones that say what to run (--test-command, --junit, --slowest) are
// read by release.ResolveTest.
type testFlags struct {
	junitOut string
	format   string
	summary  string
	progress string
}

func newTestCmd(e *env) *cobra.Command {
	var f testFlags
	cmd := &cobra.Command{
		Use:   "test [flags] [-- command [args...]]",
		Short: "Run the tests and report failures with their file and line",
		Long: `Run a test command, stream its output, and report the result: every
failure with its repository-relative file:line and message, the counts, the
duration and the slowest tests.

go test is understood natively: -json is added when missing and the output
is shown as plain go test text (all of it with -v; the JSON itself if you
passed -json). Other runners report through JUnit XML files (--junit GLOB,
'**' matches any number of directories): pytest --junitxml, Maven Surefire,
jest-junit, node --test-reporter=junit... --junit works without a command
too. The test: section of .shipflow.yaml can set the command, JUnit globs
and the number of slowest tests; --test-command gives the command as one
string split at spaces (the test Action's test-command input), and a command
after -- replaces it.

Only the reports the command wrote during this run are read: a file a
glob matches that was there before and was not rewritten (same size,
modification time and inode) is from an earlier run, ignored with a
warning. test.junit says where the configured command writes; a command
given instead is read from there when it wrote there, and from its own
report flag (pytest --junitxml, node --test-reporter-destination with the
junit reporter) when it wrote that, and a configured path it did not
write is no failure. A --junit glob must match a file of this run.

Panics, build failures, timeouts, a killed test binary and a cut-off
stream all count as failures; a --junit glob that matches no file of the
run, or a file that does not parse, is a failure too: a broken run never
reads as a pass. A command that failed and wrote no report is one failure
with its exit status and the end of its stderr.

Formats: text (the default), json (the report on stdout; the command's
output then goes to stderr), github (text plus GitHub Actions error
annotations — the runner shows 10 per step, the job summary lists all; the
default in GitHub Actions, where GITHUB_ACTIONS=true).
--summary FILE writes a Markdown job summary (capped under GitHub's 1 MiB);
in the github format it defaults to $GITHUB_STEP_SUMMARY, appended to, so a
plain 'shipflow test -- go test ./...' step in a workflow annotates the
failures and fills the job summary; --format text turns both off.

Exit status: 0 the tests passed; when the command fails, its own exit status
(killed by signal N: 128+N), whatever it is; 1 when the command exited 0
but the report has failures (or with only --junit, any failure); 2 usage or
configuration error; 3 the command could not be started (not found, not
executable; also when it exits 127 or 126 without a test result, as a
shell does for "pytest: command not found", or python says "No module
named pytest"), with what it said on stderr, or a report file could not
be written.

Interrupted (SIGINT, SIGTERM): the signal is forwarded to the test
command's process group, which gets 5 seconds to end before it is killed;
then the report of what was read so far is printed, marked INTERRUPTED,
the --summary and --junit-out files are written, and shipflow exits
128+N (130 for SIGINT, 143 for SIGTERM).

A command that exits 0 without a single test result read (no test ran,
output that is not go test -json, no JUnit file given) passes with a
warning.`,
		Example: `  shipflow test -- go test ./...
  shipflow test --junit 'reports/**/*.xml' -- python3 -m pytest --junitxml=reports/py.xml
  shipflow test --junit target/surefire-reports/*.xml
  shipflow test --format github --junit-out junit.xml -- go test -race ./...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			dash := cmd.ArgsLenAtDash()
			if len(args) > 0 && dash != 0 {
				return usageErr("put the test command after --: shipflow test [flags] -- %s", args[0])
			}
			return runTest(e, cmd, f, args)
		},
	}
	fl := cmd.Flags()
	fl.String("test-command", "", "the test `COMMAND`, split into words at spaces (default: the command after --, else test.command)")
	fl.StringArray("junit", nil, "read JUnit XML files matching `GLOB` (repeatable, or comma-separated), with test.junit's")
	fl.StringVar(&f.junitOut, "junit-out", "", "also write the report as JUnit XML to `FILE`")
	addFormatFlag(fl, &f.format, "text, json or github (text plus workflow annotations)")
	fl.StringVar(&f.summary, "summary", "", "write a Markdown job summary to `FILE` (github format: default $GITHUB_STEP_SUMMARY)")
	fl.Int("slowest", 0, fmt.Sprintf("list the `N` slowest tests (default: test.slowest, else %d)", release.TestDefaultSlowest))
	fl.StringVar(&f.progress, "progress", "auto", "progress line on stderr: `auto` (when a terminal), always or never")
	return cmd
}

func runTest(e *env, cmd *cobra.Command, f testFlags, command []string) error {
	if !slices.Contains([]string{"text", "json", "github"}, f.format) {
		return usageErr("unknown --format %q: use text, json or github", f.format)
	}
	if !slices.Contains([]string{"auto", "always", "never"}, f.progress) {
		return usageErr("unknown --progress %q: use auto, always or never", f.progress)
	}
	dir, err := filepath.Abs(e.dir)
	if err != nil {
		return failure(err)
	}
	root := dir
	repo, err := git.Open(e.ctx, dir)
	switch {
	case err == nil:
		root = repo.Dir()
	case errors.As(err, new(*git.NotRepoError)):
		// Not in a repository: locations are relative to the directory.
	default:
		return failure(err)
	}
	sf, _, err := config.Load(root)
	if err != nil {
		return usageErr("%v", err)
	}
	opts, err := release.ResolveTest(flagInputs{cmd.Flags()}, sf, release.CI{})
	if err != nil {
		return usageErr("%v", err)
	}
	if len(command) > 0 {
		opts.Command = command
	}
	// Check what TestRun will check, so that its errors are only the ones
	// of running (a command that cannot start) and of the configuration.
	if err := opts.Validate(); err != nil {
		return usageErr("%v", err)
	}
	slowest := opts.Slowest

	stdout, stderr := e.stdout, e.stderr
	live := stdout
	if f.format == "json" {
		live = stderr // keep stdout for the JSON report
	}
	opts.Root, opts.Dir, opts.Stdout, opts.Stderr = root, dir, live, stderr
	var prog *testProgress
	if f.progress == "always" || f.progress == "auto" && f.format == "text" && isTerminal(stderr) {
		prog = &testProgress{out: live, status: stderr, start: time.Now()}
		opts.Stdout, opts.Progress = prog, prog.update
	}
	rep, err := release.TestRun(e.ctx, opts)
	if prog != nil {
		prog.clear()
	}
	if err != nil {
		// A *testreport.StartError exits 3, a bad test: setting 2.
		return err
	}

	switch f.format {
	case "json":
		err = testreport.WriteJSON(stdout, rep)
	case "github":
		if err = testreport.WriteText(stdout, rep, testreport.TextOptions{Slowest: slowest}); err == nil {
			err = testWriteGitHub(stdout, release.TestFindings(rep))
		}
	default:
		opt := testreport.TextOptions{Slowest: slowest}
		if len(opts.Command) == 0 && len(sf.Test.Command) == 0 {
			opt.OutputLines = 20 // nothing was streamed: show some output
		}
		err = testreport.WriteText(stdout, rep, opt)
	}
	if err != nil {
		return failure(fmt.Errorf("writing the report: %w", err))
	}
	if err := testWriteFiles(e, f, rep, slowest); err != nil {
		return failure(err)
	}
	switch {
	case rep.Interrupted != "":
		// The partial report and its files are written: now end as the
		// signal would have ended us.
		return &exitError{code: interruptedCode(e.ctx)}
	case rep.ExitCode > 0:
		return &exitError{code: min(rep.ExitCode, 255)}
	case !rep.Passed():
		return findings()
	}
	return nil
}

// testWriteGitHub writes the findings as workflow commands, as the test
// Action annotates them: at most actions.MaxStepAnnotations of each level,
// since the runner drops the rest, then a line saying how many were left
// to the report above and the job summary.
func testWriteGitHub(w io.Writer, fs []report.Finding) error {
	gw := report.NewGitHub(w)
	shown := map[report.Level]int{}
	left := 0
	for _, f := range fs {
		if shown[f.Level] >= actions.MaxStepAnnotations {
			left++
			continue
		}
		shown[f.Level]++
		if err := gw.Write(report.Loose(f)); err != nil {
			return err
		}
	}
	if left > 0 {
		_, err := fmt.Fprintf(w, "%d more %s not annotated (the runner shows %d per step); the report above and the job summary list them all\n",
			left, report.Plural(left, "finding is", "findings are"), actions.MaxStepAnnotations)
		return err
	}
	return nil
}

// testWriteFiles writes the --summary and --junit-out files.
func testWriteFiles(e *env, f testFlags, rep *testreport.Report, slowest int) error {
	summary, appendTo := f.summary, false
	if summary == "" && f.format == "github" {
		summary, appendTo = e.getenv("GITHUB_STEP_SUMMARY"), true
	}
	if summary != "" {
		err := testWriteFile(testPath(e, summary), appendTo, e.redact, func(w io.Writer) error {
			return testreport.WriteSummary(w, rep, testreport.SummaryOptions{Slowest: slowest})
		})
		if err != nil {
			return fmt.Errorf("writing the job summary: %w", err)
		}
	}
	if f.junitOut != "" {
		err := testWriteFile(testPath(e, f.junitOut), false, e.redact, func(w io.Writer) error {
			return testreport.WriteJUnit(w, rep)
		})
		if err != nil {
			return fmt.Errorf("writing JUnit XML: %w", err)
		}
	}
	return nil
}

// testPath resolves a file name given on the command line against -C.
func testPath(e *env, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(e.dir, name)
}

// testWriteFile writes name through red: a test's output may hold a secret.
func testWriteFile(name string, appendTo bool, red *redact.Redactor, write func(io.Writer) error) error {
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	file, err := os.OpenFile(name, flag, 0o644)
	if err != nil {
		return err
	}
	rw := redact.NewWriter(file, red)
	if err := errors.Join(write(rw), rw.Flush()); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// testProgress keeps a one-line status ("12 passed, 1 failed ... 8s") at
// the bottom of a terminal while the command's output scrolls above it.
type testProgress struct {
	mu     sync.Mutex
	out    io.Writer // the command's live output
	status io.Writer // where the status line is drawn
	start  time.Time
	counts testreport.Counts
	shown  bool
	last   time.Time
}

func (p *testProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	n, err := p.out.Write(b)
	if len(b) > 0 && b[len(b)-1] == '\n' {
		p.draw()
	}
	return n, err
}

func (p *testProgress) update(c testreport.Counts) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts = c
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.erase()
	p.draw()
}

func (p *testProgress) erase() {
	if p.shown {
		io.WriteString(p.status, "\r\033[K")
		p.shown = false
	}
}

func (p *testProgress) draw() {
	c := p.counts
	fmt.Fprintf(p.status, "running: %d passed, %d failed, %d skipped (%s)",
		c.Passed, c.Failed, c.Skipped, time.Since(p.start).Round(time.Second))
	p.shown, p.last = true, time.Now()
}

func (p *testProgress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
}
