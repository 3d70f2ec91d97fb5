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

// verbs are the constructors of the top-level commands, in one explicit
// list: a new verb is its file plus one line here. Every verb of `shipflow
// action` has the CLI verb of the same name (TestActionVerbsAreCLIVerbs).
var verbs = []func(*env) *cobra.Command{
	newLintCmd,
	newHookCmd,
	newBranchCmd,
	newPRCmd,
	newSecretsCmd,
	newNextCmd,
	newChangelogCmd,
	newReleaseCmd,
	newTestCmd,
	newImageCmd,
	newInitCmd,
	newDoctorCmd,
	newActionCmd,
}

// newRoot returns the command tree with every verb.
func newRoot(e *env) *cobra.Command { return newRootWith(e, verbs) }

// rootFor returns the command tree that runs args. The commit-msg hook
// runs `shipflow lint --edit FILE` at every commit, and building every
// verb's flags costs it more than linting the message: a command line
// whose verb is lint (after -C or not) gets a tree with that verb alone,
// which parses and answers it as the full tree does (see
// TestLintAloneAnswersAsTheFullTree). Any other command line, help and
// shell completion included, gets the full tree.
func rootFor(e *env, args []string) *cobra.Command {
	switch {
	case len(args) > 0 && (args[0] == "-C" || args[0] == "--chdir"):
		args = args[min(2, len(args)):]
	case len(args) > 0 && (strings.HasPrefix(args[0], "--chdir=") || strings.HasPrefix(args[0], "-C")):
		args = args[1:]
	}
	if len(args) > 0 && (args[0] == "lint" || args[0] == "commitlint") {
		return newRootWith(e, []func(*env) *cobra.Command{newLintCmd})
	}
	return newRoot(e)
}

// newRootWith returns the command tree with the verbs that ctors build.
func newRootWith(e *env, ctors []func(*env) *cobra.Command) *cobra.Command {
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
		defaultFormat(e, c.Flags())
		return nil
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return cobraUsage(c, err)
	})
	for _, v := range ctors {
		root.AddCommand(v(e))
	}
	requireSubcommands(root)
	// cobra adds these when it executes; add them now so that their
	// argument errors are typed too (and after requireSubcommands, so
	// `shipflow completion` alone still prints its help).
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	typeUsageErrors(root)
	return root
}

// cobraUsage is err, which cobra raised about c's command line, as a
// usage error (exit 2) that says where the usage is.
func cobraUsage(c *cobra.Command, err error) error {
	return &usageError{err: fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath())}
}

// typeUsageErrors makes the errors cobra raises itself about a command
// line usage errors, by where they come from rather than by their text:
// flag parsing goes through the root's FlagErrorFunc; argument validators,
// required flags and flag groups are wrapped here; an unknown command is
// found before anything runs (see runRedacted).
func typeUsageErrors(c *cobra.Command) {
	for _, sub := range c.Commands() {
		typeUsageErrors(sub)
	}
	if args := c.Args; args != nil {
		c.Args = func(cmd *cobra.Command, a []string) error {
			if err := args(cmd, a); err != nil {
				return cobraUsage(cmd, err)
			}
			return nil
		}
	}
	if c.Parent() != nil {
		return
	}
	// cobra runs the root's PersistentPreRunE before it checks required
	// flags and flag groups: check them first, the same way.
	pre := c.PersistentPreRunE
	c.PersistentPreRunE = func(cmd *cobra.Command, a []string) error {
		if err := cmd.ValidateRequiredFlags(); err != nil {
			return cobraUsage(cmd, err)
		}
		if err := cmd.ValidateFlagGroups(); err != nil {
			return cobraUsage(cmd, err)
		}
		if pre != nil {
			return pre(cmd, a)
		}
		return nil
	}
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
	return execute(e, rootFor(e, args), args)
}

// execute runs root, built for e, with args, and returns the exit code.
func execute(e *env, root *cobra.Command, args []string) int {
	root.SetArgs(args)
	var err error
	// An unknown command is the one error cobra raises before a command
	// runs: Find returns it, and ExecuteC would return the same. Shell
	// completion requests are commands cobra adds only when it executes.
	complete := len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
	if c, _, ferr := root.Find(args); ferr != nil && !complete {
		err = cobraUsage(c, ferr)
	} else {
		err = root.ExecuteContext(e.ctx)
	}
	var ee *exitError
	if err != nil && (!errors.As(err, &ee) || ee.err != nil) {
		fmt.Fprintf(e.stderr, "shipflow: %v\n", err)
	}
	return exitCode(err)
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
