package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/spf13/cobra"
)

func newHookCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Install or remove the commit-msg hook that lints every commit message",
	}
	var opts release.HookOptions
	var preCommit, unPreCommit bool
	install := &cobra.Command{
		Use:   "install",
		Short: "Write a commit-msg hook that runs 'shipflow lint --edit'",
		Long: `Write a commit-msg hook that runs 'shipflow lint --edit' on every commit
message. It honours core.hooksPath; a commit-msg hook that is already there
is kept and runs first. When husky or lefthook manage the hooks, it says
what to add to their configuration instead (or --force writes it anyway).

With --pre-commit it writes the pre-commit hook instead, which runs
'shipflow secrets --staged': a commit that adds a .env, a private key or a
secret gitleaks recognises is refused, with the file and line and never the
secret. It is installed and chained the same way.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			repo, err := openRepo(e)
			if err != nil {
				return err
			}
			if opts.Command == "" {
				opts.Command = hookCommand()
			}
			opts.Hook = hookName(preCommit)
			rep, err := release.InstallHook(e.ctx, repo, opts)
			if err != nil {
				return err
			}
			switch {
			case !rep.Changed:
				fmt.Fprintf(e.stdout, "%s hook already installed at %s\n", opts.Hook, rep.Path)
			case rep.Chained != "":
				fmt.Fprintf(e.stdout, "installed %s hook at %s\nthe hook that was there runs first, from %s\n", opts.Hook, rep.Path, rep.Chained)
			default:
				fmt.Fprintf(e.stdout, "installed %s hook at %s\n", opts.Hook, rep.Path)
			}
			if w := hookPathWarning(e, opts.Command); w != "" {
				fmt.Fprintf(e.stderr, "shipflow: warning: %s\n", w)
			}
			return nil
		},
	}
	install.Flags().StringVar(&opts.Command, "command", "", "shipflow `PATH` the hook runs (default: this binary, or 'shipflow' on PATH when run by 'go run')")
	install.Flags().BoolVar(&opts.Force, "force", false, "install even when husky or lefthook manage the hooks")
	install.Flags().BoolVar(&preCommit, "pre-commit", false, "install the pre-commit hook that runs 'shipflow secrets --staged' instead of the commit-msg hook")
	uninstall := &cobra.Command{
		Use:   "uninstall",
		Short: "Remove shipflow's commit-msg hook and restore a hook it chained",
		Long: `Remove the commit-msg hook that 'shipflow hook install' wrote and put back
the hook it had chained, if any. A commit-msg hook shipflow did not write is
left alone (and reported).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			repo, err := openRepo(e)
			if err != nil {
				return err
			}
			name := hookName(unPreCommit)
			rep, err := release.UninstallHook(e.ctx, repo, name)
			if err != nil {
				return err
			}
			switch {
			case !rep.Changed:
				fmt.Fprintf(e.stdout, "no shipflow %s hook at %s\n", name, rep.Path)
			case rep.Restored:
				fmt.Fprintf(e.stdout, "removed %s hook; restored the earlier hook at %s\n", name, rep.Path)
			default:
				fmt.Fprintf(e.stdout, "removed %s hook at %s\n", name, rep.Path)
			}
			return nil
		},
	}
	uninstall.Flags().BoolVar(&unPreCommit, "pre-commit", false, "remove the pre-commit hook instead of the commit-msg hook")
	cmd.AddCommand(install, uninstall)
	return cmd
}

// hookName is the git hook a --pre-commit flag picks.
func hookName(preCommit bool) string {
	if preCommit {
		return release.HookPreCommit
	}
	return release.HookCommitMsg
}

// hookCommand returns how the hook should call shipflow: this executable's
// absolute path when it stays there, else "shipflow" on PATH (see
// hookCommandFor).
func hookCommand() string {
	exe, err := os.Executable()
	if err != nil {
		return "shipflow"
	}
	return hookCommandFor(exe, os.TempDir())
}

// hookCommandFor returns exe when it is a stable place to run shipflow
// from at every commit, else "shipflow", which the hook looks up on PATH.
// Not stable: a relative path, a build of 'go run' or 'go test' (a
// go-build directory, a .test binary), and anything under tmp, /tmp or
// /var/tmp, whose files are cleaned away. The path is kept as given, not
// resolved through symbolic links: a package manager's link
// (/opt/homebrew/bin/shipflow) outlives the versioned directory it points
// into.
func hookCommandFor(exe, tmp string) string {
	if !filepath.IsAbs(exe) || strings.HasSuffix(exe, ".test") || strings.HasSuffix(exe, ".test.exe") {
		return "shipflow"
	}
	paths := []string{exe}
	if real, err := filepath.EvalSymlinks(exe); err == nil && real != exe {
		paths = append(paths, real)
	}
	for _, p := range paths {
		if strings.Contains(filepath.ToSlash(p), "/go-build") {
			return "shipflow"
		}
		for _, dir := range []string{tmp, "/tmp", "/var/tmp", "/private/tmp", "/private/var/tmp"} {
			if dir != "" && hookUnder(p, dir) {
				return "shipflow"
			}
		}
	}
	return exe
}

// hookUnder reports whether path is inside dir.
func hookUnder(path, dir string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// hookPathWarning says what the first commit would otherwise say: the hook
// runs command from PATH, and the PATH of this run has no such program.
// "" when command is a path or is found.
func hookPathWarning(e *env, command string) string {
	if strings.ContainsRune(command, '/') || strings.ContainsRune(command, filepath.Separator) {
		return ""
	}
	path := e.getenv("PATH")
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		if fi, err := os.Stat(filepath.Join(dir, command)); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return ""
		}
	}
	return fmt.Sprintf("the hook runs %q from PATH at every commit, and there is no %s on PATH (%s): until there is, commits stop with a message saying so; install it with 'go install github.com/shipflow/shipflow/cmd/shipflow@latest', or run 'shipflow hook install --command /path/to/shipflow'",
		command, command, path)
}

// openRepoConfig opens the work tree at e.dir and loads its .shipflow.yaml;
// a bad configuration is a usage error (exit 2) naming file, line and column.
func openRepoConfig(e *env) (*git.Repo, *config.Config, error) {
	repo, err := openRepo(e)
	if err != nil {
		return nil, nil, err
	}
	sf, _, err := config.Load(repo.Dir())
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	return repo, sf, nil
}

// openRepo opens the git work tree at e.dir; not being in one is a
// *git.NotRepoError, a usage error (exit 2) that says where shipflow
// looked.
func openRepo(e *env, opts ...git.Option) (*git.Repo, error) {
	return git.Open(e.ctx, e.dir, opts...)
}
