package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipflow/shipflow/internal/redact"
)

// Exit codes, one table for every verb. Scripts and the commit-msg hook rely
// on 1 meaning "your input is wrong", never "git crashed".
const (
	exitOK       = 0 // nothing wrong
	exitFindings = 1 // findings: the commit, branch or tests are wrong
	exitUsage    = 2 // bad invocation or bad configuration
	exitFailure  = 3 // git, I/O, network or registry broke
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// buildVersion is version, or the module version `go install
// github.com/shipflow/shipflow/cmd/shipflow@vX.Y.Z` recorded in the binary.
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// env is what a verb may touch of the outside world. Verbs never read os.*
// directly, so every surface runs in-process in tests.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// redact knows the environment's secrets; stdout and stderr already
	// pass through it, and verbs hand it to what writes files or talks to
	// servers (release notes).
	redact *redact.Redactor
	// dir is the working directory the verb acts on ("." by default).
	dir string
}

// verbs holds the constructors of the top-level commands; each verb's file
// appends its own in an init function, so adding a verb touches one file.
var verbs []func(*env) *cobra.Command

// exitError carries an exit code out of a cobra RunE.
type exitError struct {
	code int
	err  error // nil when the verb already printed everything
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// findings ends a verb with exit code 1 after it printed its report.
func findings() error { return &exitError{code: exitFindings} }

// usageErr ends a verb with exit code 2 and the message.
func usageErr(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// failure ends a verb with exit code 3 and the error.
func failure(err error) error { return &exitError{code: exitFailure, err: err} }

// withCode wraps err with an explicit exit code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "shipflow",
		Short: "Release process as code: commit lint, branch policy, versions, changelogs, releases, test reports, images",
		Long: `shipflow turns a team's release process into checks and automation:
Conventional Commits lint (commit-msg hook and CI), branch rules, the next
semver tag, CHANGELOG.md, releases from main, test reports and versioned
container images — one static binary, also usable as GitHub Actions.`,
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetVersionTemplate("shipflow {{.Version}}\n")
	root.PersistentFlags().StringVarP(&e.dir, "chdir", "C", ".", "run as if shipflow was started in `DIR`")
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
		// A -C that names nothing must not fall back to the current
		// directory and check the wrong repository.
		if fi, err := os.Stat(e.dir); err != nil || !fi.IsDir() {
			return usageErr("-C %s: no such directory", e.dir)
		}
		return nil
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath())}
	})
	for _, v := range verbs {
		root.AddCommand(v(e))
	}
	requireSubcommands(root)
	return root
}

// requireSubcommands makes every command that only groups others (branch,
// hook, image) a usage error (exit 2) naming its subcommands when it is
// run alone, instead of printing help and exiting 0.
func requireSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		requireSubcommands(sub)
	}
	if c.Parent() == nil || !c.HasSubCommands() || c.RunE != nil || c.Run != nil {
		return
	}
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	c.Args = cobra.NoArgs
	c.RunE = func(cmd *cobra.Command, _ []string) error {
		return usageErr("%s needs a subcommand: %s", cmd.CommandPath(), strings.Join(names, ", "))
	}
}

// run executes shipflow with args and returns the process exit code. The
// values of redact.KnownVariables, and anything shaped like a GitHub token,
// never reach stdout or stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return runEnviron(ctx, args, stdin, stdout, stderr, getenv, nil)
}

// runEnviron is run that also knows the whole environment, as "KEY=VALUE"
// pairs (os.Environ): the value of every variable whose name contains
// TOKEN, SECRET, PASSWORD or PASSWD is redacted from every output too.
func runEnviron(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, environ []string) int {
	red := redact.New(environ)
	for _, name := range redact.KnownVariables {
		red.Add(getenv(name))
	}
	// One redaction place for everything the CLI prints: flushed when the
	// verb ends, since a line is held until it is complete.
	rout, rerr := redact.NewWriter(stdout, red), redact.NewWriter(stderr, red)
	defer rerr.Flush()
	defer rout.Flush()
	return runRedacted(ctx, args, stdin, rout, rerr, getenv, red)
}

func runRedacted(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, red *redact.Redactor) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, redact: red, dir: "."}
	root := newRoot(e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "shipflow: %v\n", ee.err)
		}
		return ee.code
	}
	// Errors cobra raises itself (unknown command, bad args, flag groups,
	// required flags) are usage errors.
	msg := err.Error()
	for _, s := range []string{"unknown command", "arg(s)", "unknown flag", "unknown shorthand", "flags in the group", "required flag", "invalid argument", "flag needs an argument"} {
		if strings.Contains(msg, s) {
			fmt.Fprintf(stderr, "shipflow: %v\nrun 'shipflow --help' for usage\n", err)
			return exitUsage
		}
	}
	fmt.Fprintf(stderr, "shipflow: %v\n", err)
	return exitFailure
}

// isTerminal reports whether w (or the writer a redacting writer writes
// to) is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	if u, ok := w.(interface{ Unwrap() io.Writer }); ok {
		w = u.Unwrap()
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
