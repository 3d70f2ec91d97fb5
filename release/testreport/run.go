package testreport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// RunOptions says what to run and where to look for results.
type RunOptions struct {
	// Command is the test command and its arguments. For `go test` the
	// stream is read natively: -json is added when missing, and the output
	// is echoed as plain `go test` text (as `go test -v` with -v; the JSON
	// itself when the caller passed -json). Empty: only read JUnit files.
	Command []string
	// Dir is the command's working directory and the base of relative JUnit
	// globs. The default is the current directory.
	Dir string
	// Env is the command's environment; nil means the current process's.
	Env []string
	// JUnit are globs of JUnit XML files to read once the command ended
	// (`**` matches any number of directories). With a command, only the
	// files it wrote count (see CommandJUnit's file for how that is told):
	// a glob that matches none of them is a failure, and a file left by an
	// earlier run is ignored with a warning.
	JUnit []string
	// MaybeJUnit are globs of JUnit files the command may write, read when
	// it wrote a matching file and otherwise ignored: the configured
	// globs when another command than the configured one runs. The files
	// the command's own arguments name (CommandJUnit) are read the same
	// way. Without a command they are read as JUnit.
	MaybeJUnit []string
	// Stdout and Stderr receive the command's output live; nil discards it.
	Stdout, Stderr io.Writer
}

// Validate reports whether the options can run.
func (o RunOptions) Validate() error {
	if len(o.Command) == 0 && len(o.JUnit) == 0 && len(o.MaybeJUnit) == 0 {
		return errors.New("nothing to do: give a test command or JUnit files")
	}
	if len(o.Command) > 0 && o.Command[0] == "" {
		return errors.New("empty command name")
	}
	return nil
}

// StartError is returned by Run when the command could not be started (not
// found, not executable): exec failed, or the command ended without a test
// result the way a shell ends when it cannot find or run a command (exit
// status 127 or 126) or python when the module to run is not installed
// (`python -m pytest`: "No module named pytest").
type StartError struct {
	Command string
	Err     error
	// ExitCode is the command's exit status when it ran; 0 when exec
	// failed.
	ExitCode int
	// Stderr is the end of what the command wrote on stderr.
	Stderr string
}

// Error says which command could not start and why, quoting its stderr.
func (e *StartError) Error() string {
	msg := fmt.Sprintf("starting %q: %v", e.Command, e.Err)
	if e.Stderr != "" {
		msg += ": it said:\n" + indent(e.Stderr)
	}
	return msg
}

// indent prefixes every line of s with four spaces.
func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// Unwrap returns the error from exec (e.g. exec.ErrNotFound).
func (e *StartError) Unwrap() error { return e.Err }

// InterruptGrace is how long Run lets the test command's process group
// finish, once ctx is done and the group was sent the signal, before it
// kills the group and stops reading the command's output: enough for
// `go test` to print the results its test binaries had, short enough that
// a CI job cancelled with SIGTERM (followed by SIGKILL a few seconds later
// on most runners) still gets the partial report.
const InterruptGrace = 5 * time.Second

// Run runs the test command, if any, reads the JUnit files, and returns the
// report. The command failing is not an error: it shows in the report's
// ExitCode and cases. Errors are for a command that could not start
// (*StartError) and invalid options.
//
// The command runs in its own process group. When ctx is done, Run sends
// the group a signal — the one in ctx's cause when the cause has a
// Signal() os.Signal method (a CLI's SIGTERM or SIGINT, forwarded), else
// SIGINT — waits at most InterruptGrace for it to end, then kills the
// group, and returns what it read so far with Report.Interrupted set.
func Run(ctx context.Context, opts RunOptions, knobs ...Option) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	o := makeOptions(knobs)
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	loc := newLocator(dir, o.root)
	rep := &Report{ExitCode: -1}
	start := time.Now()
	globs := make([]junitGlob, 0, len(opts.JUnit)+len(opts.MaybeJUnit))
	for _, g := range opts.JUnit {
		globs = append(globs, junitGlob{pattern: g})
	}
	maybe := append(slices.Clone(opts.MaybeJUnit), CommandJUnit(opts.Command)...)
	for _, g := range maybe {
		globs = append(globs, junitGlob{pattern: g, maybe: len(opts.Command) > 0})
	}
	var before snapshot
	if len(opts.Command) > 0 {
		var all []string
		for _, g := range globs {
			all = append(all, g.pattern)
		}
		before = takeSnapshot(dir, all)
		var err error
		rep, err = runCommand(ctx, dir, opts, o)
		if err != nil {
			return nil, err
		}
	}
	var missing []missingGlob // required globs that matched no file of this run
	if len(globs) > 0 {
		j, m := readJUnitGlobs(ctx, dir, globs, before, loc, o)
		missing = m
		rep.merge(j)
		rep.Warnings = append(rep.Warnings, j.Warnings...)
		if len(opts.Command) == 0 {
			rep.Duration = j.Duration
		}
	}
	// No result at all, and the command ended the way one that never
	// started the tests does: say that, not "no report file".
	if why := cannotStart(rep.ExitCode, rep.stderr); why != "" && len(opts.Command) > 0 && len(rep.Cases) == 0 && rep.Interrupted == "" {
		return nil, &StartError{
			Command:  rep.Command[0],
			Err:      fmt.Errorf("exit status %d (%s)", rep.ExitCode, why),
			ExitCode: rep.ExitCode,
			Stderr:   tail(rep.stderr, 10, 2000),
		}
	}
	if len(opts.Command) > 0 {
		rep.Duration = time.Since(start)
		if rep.ExitCode != 0 && len(rep.Cases) == 0 {
			// Ran, failed, and no result at all: one failure saying so,
			// with the end of what the command said, rather than a
			// "no file" per glob that hides why.
			msg := fmt.Sprintf("command exited with status %d", rep.ExitCode) + lastLine(rep.Output)
			if len(globs) > 0 {
				var looked []string
				for _, g := range globs {
					looked = append(looked, g.pattern)
				}
				msg = fmt.Sprintf("command exited with status %d and wrote no test report (looked for %s)", rep.ExitCode, quoteList(looked))
				if t := tail(rep.stderr, 5, 1000); t != "" {
					msg += "; its stderr ends:\n" + t
				} else {
					msg += lastLine(rep.Output)
				}
			}
			if rep.Interrupted != "" {
				msg = fmt.Sprintf("interrupted (%s); the command exited with status %d", rep.Interrupted, rep.ExitCode)
			}
			rep.Cases = append(rep.Cases, &Case{
				Suite:   strings.Join(opts.Command, " "),
				Status:  Failed,
				Message: msg,
			})
			missing = nil
		}
	}
	for _, m := range missing {
		rep.Cases = append(rep.Cases, &Case{Suite: m.suite, Status: Failed, Message: m.message})
	}
	if len(opts.Command) > 0 {
		if rep.ExitCode != 0 && rep.Counts().Failed == 0 {
			// A failing command must never read as a pass, even when it
			// reported no failing test (bad flags, no packages, a crash).
			msg := fmt.Sprintf("command exited with status %d", rep.ExitCode) + lastLine(rep.Output)
			if rep.Interrupted != "" {
				msg = fmt.Sprintf("interrupted (%s); the command exited with status %d", rep.Interrupted, rep.ExitCode)
			}
			rep.Cases = append(rep.Cases, &Case{
				Suite:   strings.Join(opts.Command, " "),
				Status:  Failed,
				Message: msg,
			})
		}
	}
	if err := context.Cause(ctx); err != nil && rep.Interrupted == "" {
		rep.Interrupted = err.Error()
	}
	if len(opts.Command) > 0 && rep.ExitCode == 0 && rep.Interrupted == "" && len(rep.Cases) == 0 {
		// Exit 0 with nothing read is no proof the tests passed: a runner
		// that printed nothing, garbage instead of `go test -json`, or
		// JUnit files the command did not write.
		rep.Warnings = append(rep.Warnings, noResultsWarning(opts.Command, len(opts.JUnit) > 0, maybe))
	}
	return rep, nil
}

// noResultsWarning says that command exited 0 but no test result was read.
func noResultsWarning(command []string, junit bool, maybe []string) string {
	msg := fmt.Sprintf("%q exited 0 but no test result was read", strings.Join(command, " "))
	if _, isGo, _, _ := GoTestCommand(command); isGo {
		return msg + ": no test ran, or the output was not a `go test -json` stream"
	}
	if junit {
		return msg + " from its JUnit files"
	}
	if len(maybe) > 0 {
		return msg + ": it wrote no JUnit file matching " + quoteList(maybe) + "; the test run is not checked: have the runner write JUnit XML there (pytest: --junitxml=FILE) or pass its files with --junit"
	}
	return msg + ": the test run is not checked; have the runner write JUnit XML and pass it with --junit"
}

// GoTestCommand reports whether args run `go test`, and returns the args to
// run: with -json added when missing. raw says the caller asked for -json
// and wants the JSON itself; verbose that they asked for -v.
func GoTestCommand(args []string) (run []string, isGo, raw, verbose bool) {
	if len(args) < 2 || filepath.Base(args[0]) != "go" || args[1] != "test" {
		return args, false, false, false
	}
	flags := args[2:]
	if i := slices.Index(flags, "-args"); i >= 0 {
		flags = flags[:i]
	}
	for _, a := range flags {
		name, val, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		name = strings.TrimPrefix(name, "-")
		on := val == "" || val == "true"
		switch name {
		case "json":
			raw = raw || on
		case "v", "test.v":
			verbose = verbose || on
		}
	}
	if raw {
		return args, true, true, verbose
	}
	run = append([]string{args[0], "test", "-json"}, args[2:]...)
	return run, true, false, verbose
}

// stderrKeep is how much of the command's stderr is kept apart for the
// message of a command that could not start or failed without a report.
const stderrKeep = 8 << 10

type bufWriter struct{ b *capBuffer }

func (w bufWriter) Write(p []byte) (int, error) { w.b.WriteString(string(p)); return len(p), nil }

func runCommand(ctx context.Context, dir string, opts RunOptions, o options) (*Report, error) {
	args, isGo, raw, verbose := GoTestCommand(opts.Command)
	stdout, stderr := opts.Stdout, opts.Stderr
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	// Keep what the command said outside the tests; one lock serializes
	// the command's two output streams and the stream parser's echo.
	var mu sync.Mutex
	own := newCapBuffer(o.outputLimit)
	errTail := newCapBuffer(stderrKeep)
	lock := func(w io.Writer) io.Writer { return &sharedLockWriter{mu: &mu, w: w} }

	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = opts.Env
	cmd.SysProcAttr = groupAttr()
	cmd.Cancel = func() error { return signalGroup(cmd.Process.Pid, interruptSignal(ctx)) }
	// After the grace, Wait kills the command and stops reading its pipes
	// (a process that left the group may still hold them); the group is
	// killed below.
	cmd.WaitDelay = InterruptGrace
	cmd.Stderr = lock(io.MultiWriter(stderr, bufWriter{own}, bufWriter{errTail}))
	var gs *goStream
	if isGo {
		o.echo, o.echoAll, o.echoRaw = stdout, verbose, raw
		gs = newGoStream(dir, o)
		cmd.Stdout = lock(gs)
	} else {
		cmd.Stdout = lock(io.MultiWriter(stdout, bufWriter{own}))
	}
	if err := cmd.Start(); err != nil {
		return nil, &StartError{Command: args[0], Err: err}
	}
	// Read the pid once, here: cmd.Process is written by Start, and the
	// func below runs on another goroutine.
	pid := cmd.Process.Pid
	done := make(chan struct{})
	stopKill := context.AfterFunc(ctx, func() {
		// Kill whatever of the group ignored the signal, after the grace.
		t := time.NewTimer(InterruptGrace)
		defer t.Stop()
		select {
		case <-t.C:
		case <-done:
			return
		}
		signalGroup(pid, syscall.SIGKILL)
	})
	err := cmd.Wait()
	close(done)
	stopKill()
	if ctx.Err() != nil {
		// Interrupted: leave no process of the group behind, even one that
		// ended its leader's wait early by closing its output.
		signalGroup(pid, syscall.SIGKILL)
	}
	code := 0
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
		}
	case cmd.ProcessState == nil:
		return nil, &StartError{Command: args[0], Err: err}
	default:
		// The process ended but waiting for it failed (e.g. WaitDelay
		// expired with the pipes still open).
		code = cmd.ProcessState.ExitCode()
		if code == 0 {
			code = 1
		}
		own.WriteString(err.Error() + "\n")
	}
	rep := &Report{ExitCode: -1}
	if gs != nil {
		mu.Lock()
		rep = gs.Close()
		mu.Unlock()
		if rep.Output != "" {
			own.WriteString(rep.Output)
		}
	}
	rep.Command = args
	rep.ExitCode = code
	rep.Output = own.String()
	rep.stderr = errTail.String()
	if cause := context.Cause(ctx); cause != nil {
		rep.Interrupted = cause.Error()
	}
	return rep, nil
}

// interruptSignal is the signal to forward when ctx is done: the one its
// cause names, else SIGINT (what a terminal's Ctrl-C sends).
func interruptSignal(ctx context.Context) syscall.Signal {
	var s interface{ Signal() os.Signal }
	if errors.As(context.Cause(ctx), &s) {
		if sig, ok := s.Signal().(syscall.Signal); ok {
			return sig
		}
	}
	return syscall.SIGINT
}

type sharedLockWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *sharedLockWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lastLine returns ": " and the last non-empty line of s, or "".
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return ": " + truncate(strings.TrimSpace(s), 300)
}
