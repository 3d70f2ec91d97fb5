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
	install := &cobra.Command{
		Use:   "install",
		Short: "Write a commit-msg hook that runs 'shipflow lint --edit'",
		Long: `Write a commit-msg hook that runs 'shipflow lint --edit' on every commit
message. It honours core.hooksPath; a commit-msg hook that is already there
is kept and runs first. When husky or lefthook manage the hooks, it says
what to add to their configuration instead (or --force writes it anyway).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			repo, err := openRepo(e)
			if err != nil {
				return err
			}
			if opts.Command == "" {
				opts.Command = hookCommand()
			}
			rep, err := release.InstallHook(e.ctx, repo, opts)
			if err != nil {
				return err
			}
			switch {
			case !rep.Changed:
				fmt.Fprintf(e.stdout, "commit-msg hook already installed at %s\n", rep.Path)
			case rep.Chained != "":
				fmt.Fprintf(e.stdout, "installed commit-msg hook at %s\nthe hook that was there runs first, from %s\n", rep.Path, rep.Chained)
			default:
				fmt.Fprintf(e.stdout, "installed commit-msg hook at %s\n", rep.Path)
			}
			return nil
		},
	}
	install.Flags().StringVar(&opts.Command, "command", "", "shipflow `PATH` the hook runs (default: this binary, or 'shipflow' on PATH when run by 'go run')")
	install.Flags().BoolVar(&opts.Force, "force", false, "install even when husky or lefthook manage the hooks")
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
			rep, err := release.UninstallHook(e.ctx, repo)
			if err != nil {
				return err
			}
			switch {
			case !rep.Changed:
				fmt.Fprintf(e.stdout, "no shipflow commit-msg hook at %s\n", rep.Path)
			case rep.Restored:
				fmt.Fprintf(e.stdout, "removed commit-msg hook; restored the earlier hook at %s\n", rep.Path)
			default:
				fmt.Fprintf(e.stdout, "removed commit-msg hook at %s\n", rep.Path)
			}
			return nil
		},
	}
	cmd.AddCommand(install, uninstall)
	return cmd
}

// hookCommand returns how the hook should call shipflow: this executable's
// absolute path, unless it is a temporary 'go run' build.
func hookCommand() string {
	exe, err := os.Executable()
	if err != nil {
		return "shipflow"
	}
	if strings.Contains(exe, "go-build") || strings.HasPrefix(exe, os.TempDir()) {
		return "shipflow"
	}
	if abs, err := filepath.EvalSymlinks(exe); err == nil {
		return abs
	}
	return exe
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
