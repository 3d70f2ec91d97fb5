package release

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/testreport"
)

// TestRunOptions are the inputs of TestRun.
type TestRunOptions struct {
	// Config is the `test:` section of .shipflow.yaml; the zero value means
	// the defaults. Its JUnit globs are repository content: relative to
	// Root, matching only files inside it and never under .git/.
	Config config.Test
	// Root is the repository's top-level directory: locations in the report
	// are relative to it, and the config's JUnit globs start from it.
	Root string
	// Dir is where the command runs and command-line JUnit globs start;
	// "" means Root.
	Dir string
	// Command, when not empty, replaces Config.Command.
	Command []string
	// JUnit are more globs of JUnit files, relative to Dir.
	JUnit []string
	// Env is the command's environment; nil means the current process's.
	Env []string
	// Stdout and Stderr receive the command's output live.
	Stdout, Stderr io.Writer
	// Progress, when set, is called with the totals as each test ends.
	Progress func(testreport.Counts)
	// Slowest is how many of the slowest tests the report's renderings
	// list (text, job summary); TestRun does not read it. ResolveTest sets
	// it from the input, test.slowest or TestDefaultSlowest.
	Slowest int
}

// TestDefaultSlowest is how many of the slowest tests a report lists when
// the config does not say.
const TestDefaultSlowest = 10

// TestSlowest is the number of slowest tests to list under c.
func TestSlowest(c config.Test) int {
	if c.Slowest == nil {
		return TestDefaultSlowest
	}
	return max(0, *c.Slowest)
}

// TestRun runs the configured or given test command and reads the JUnit
// files it wrote during this run, returning the report. A file an earlier
// run left is ignored (a warning says so). The config's JUnit globs bind
// the configured command: a command given instead (Command) is read from
// them when it wrote there, from its own report flag (pytest --junitxml)
// when it wrote there, and a glob it did not write to is no failure;
// JUnit (the --junit globs) must match a file of this run. A failing
// command is not an error; an error means nothing could run
// (*testreport.StartError: not found, not executable, exit status 127 or
// 126, `python -m pytest` without pytest; nothing to do).
func TestRun(ctx context.Context, opts TestRunOptions) (*testreport.Report, error) {
	dir := opts.Dir
	if dir == "" {
		dir = opts.Root
	}
	cmd := opts.command()
	globs := append([]string(nil), opts.JUnit...)
	// The configured globs say where the configured command writes its
	// reports. Another command (after --, the test-command input) may
	// write there or not: read them when it did, don't fail when it did
	// not (the command's own report flag, say pytest --junitxml, is read
	// the same way by testreport.Run).
	var maybe []string
	replaced := len(opts.Command) > 0 && !slices.Equal(opts.Command, opts.Config.Command)
	for i, g := range opts.Config.JUnit {
		// config.Parse refuses these already; a Test built in code gets the
		// same rule. The files they match are checked again, links
		// included, once the command has written them (WithRoot).
		if _, err := repofs.Clean(g); err != nil {
			return nil, opts.Config.KeyError(fmt.Sprintf("junit[%d]", i), "%v", err)
		}
		if replaced {
			maybe = append(maybe, testrunFromRoot(opts.Root, dir, g))
		} else {
			globs = append(globs, testrunFromRoot(opts.Root, dir, g))
		}
	}
	knobs := []testreport.Option{testreport.WithRoot(opts.Root)}
	if opts.Config.OutputLimit > 0 {
		knobs = append(knobs, testreport.WithOutputLimit(opts.Config.OutputLimit))
	}
	if opts.Progress != nil {
		knobs = append(knobs, testreport.WithProgress(opts.Progress))
	}
	return testreport.Run(ctx, testreport.RunOptions{
		Command:    cmd,
		Dir:        dir,
		Env:        opts.Env,
		JUnit:      globs,
		MaybeJUnit: maybe,
		Stdout:     opts.Stdout,
		Stderr:     opts.Stderr,
	}, knobs...)
}

// testrunFromRoot makes a root-relative glob usable from dir: absolute.
func testrunFromRoot(root, dir, glob string) string {
	if root == "" || root == dir {
		return glob
	}
	return root + "/" + glob
}

// TestFindings are the report's findings, as `shipflow test --format
// github` and the test Action annotate them: a warning per warning of the
// run (titled "shipflow test"), then an error per failure (see
// testreport.Report.Failures) at its file and line, titled
// "FAIL: suite.Test", its message cut to fit an annotation.
func TestFindings(rep *testreport.Report) []report.Finding {
	anns := testreport.Annotations(rep)
	out := make([]report.Finding, 0, len(anns))
	for _, a := range anns {
		f := report.Finding{Level: report.Error, File: a.File, Line: a.Line, Title: a.Title, Message: a.Message}
		if a.Level == "warning" {
			f.Level = report.Warning
		}
		if f.File != "" {
			f.Source = report.SourceFile
		}
		out = append(out, f)
	}
	return out
}
