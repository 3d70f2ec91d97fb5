package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/internal/atomicfile"
	"github.com/shipflow/shipflow/release/git"
)

// The git hooks shipflow installs.
const (
	// HookCommitMsg lints the commit message: `shipflow lint --edit`.
	HookCommitMsg = "commit-msg"
	// HookPreCommit refuses staged secrets: `shipflow secrets --staged`.
	HookPreCommit = "pre-commit"
)

// hookMarker identifies a commit-msg hook that shipflow wrote.
const hookMarker = "# shipflow commit-msg hook"

// chainedSuffix is appended to the name of a hook that was already there
// when shipflow installed its own; shipflow's hook runs it first.
const chainedSuffix = ".shipflow-chained"

// hookKind is what differs between the hooks shipflow writes.
type hookKind struct {
	name    string // the git hook's file name
	marker  string // the line that says shipflow wrote it
	run     string // the shipflow arguments the hook ends with
	unsaid  string // what is left unchecked when shipflow is missing
	husky   string // what to add to .husky/<name>
	lefthk  string // what to add to lefthook.yml
	command string // the command a lefthook commit-msg file mentions
	flag    string // the flag of `shipflow hook install/uninstall` for it
}

// hookKinds are the hooks by name.
var hookKinds = map[string]hookKind{
	HookCommitMsg: {
		name: HookCommitMsg, marker: hookMarker, run: `lint --edit "$1"`,
		unsaid:  "the message was not checked",
		husky:   `add the line 'shipflow lint --edit "$1"' to .husky/commit-msg`,
		lefthk:  "commit-msg:\n    commands:\n      shipflow:\n        run: shipflow lint --edit {1}",
		command: "'shipflow lint --edit {1}'",
	},
	HookPreCommit: {
		name: HookPreCommit, marker: "# shipflow pre-commit hook", run: "secrets --staged",
		unsaid:  "the staged changes were not checked for secrets",
		husky:   "add the line 'shipflow secrets --staged' to .husky/pre-commit",
		lefthk:  "pre-commit:\n    commands:\n      shipflow:\n        run: shipflow secrets --staged",
		command: "'shipflow secrets --staged'", flag: " --pre-commit",
	},
}

// kindOf returns the hook named name ("" is the commit-msg hook).
func kindOf(name string) (hookKind, error) {
	if name == "" {
		name = HookCommitMsg
	}
	k, ok := hookKinds[name]
	if !ok {
		return hookKind{}, &InputError{Name: "hook", Value: name, Want: "commit-msg or pre-commit"}
	}
	return k, nil
}

// HookOptions configures InstallHook.
type HookOptions struct {
	// Command is how the hook runs shipflow: an absolute path or a name
	// looked up on PATH. Required.
	Command string
	// Force installs even when husky or lefthook manage the hooks.
	Force bool
	// Hook is the hook to write: HookCommitMsg (the default, also for
	// "") or HookPreCommit.
	Hook string
}

// HookReport says what InstallHook or UninstallHook did.
type HookReport struct {
	// Path is the hook file.
	Path string
	// Chained is the path an earlier hook was moved to, which shipflow's
	// hook now runs first; empty when there was none.
	Chained string
	// Manager names husky or lefthook when they manage the hooks directory.
	Manager string
	// Changed is false when the hook was already as wanted.
	Changed bool
	// Restored is true when uninstall put a chained hook back.
	Restored bool
}

// HookManagerError says that another tool manages the hooks directory, so
// a hook written there would be overwritten or ignored.
type HookManagerError struct {
	Manager string
	Dir     string
	Fix     string
}

func (e *HookManagerError) Error() string {
	return fmt.Sprintf("git hooks in %s are managed by %s: %s (or pass --force to write the hook anyway)", e.Dir, e.Manager, e.Fix)
}

// hookScriptFor returns the hook of kind k that runs a chained hook, then
// shipflow (`shipflow lint --edit` for commit-msg, `shipflow secrets
// --staged` for pre-commit). It runs the shipflow named by command (a path
// recorded at install, or a name looked up on PATH), else shipflow on
// PATH. When there is none it stops the commit with a message that says
// where it looked (the PATH included), how to install shipflow, and how
// to commit without the check. It needs nothing on PATH but sh: a commit
// made with a PATH that lacks the usual tools still gets that message.
func hookScriptFor(k hookKind, command string) string {
	return `#!/bin/sh
` + k.marker + ` (written by 'shipflow hook install` + k.flag + `'; remove it with 'shipflow hook uninstall` + k.flag + `').
# A hook that was here before is kept as ` + k.name + chainedSuffix + ` and runs first.
case $0 in */*) hook_dir=${0%/*} ;; *) hook_dir=. ;; esac
if [ -x "$hook_dir/` + k.name + chainedSuffix + `" ]; then
	"$hook_dir/` + k.name + chainedSuffix + `" "$@" || exit $?
fi
# The shipflow that installed this hook, or a name looked up on PATH.
recorded=` + hookShellQuote(command) + `
shipflow=
case $recorded in
*/* | *\\*) if [ -f "$recorded" ] && [ -x "$recorded" ]; then shipflow=$recorded; fi ;;
*) shipflow=$(command -v "$recorded" 2>/dev/null) || shipflow= ;;
esac
if [ -z "$shipflow" ]; then
	shipflow=$(command -v shipflow 2>/dev/null) || shipflow=
fi
if [ -z "$shipflow" ]; then
	case $recorded in
	*/* | *\\*) looked="looked for $recorded (where 'shipflow hook install' ran from), then on PATH" ;;
	*) looked="looked on PATH" ;;
	esac
	{
		printf '%s\n' "` + k.name + `: shipflow is not installed where this hook looks for it: ` + k.unsaid + ` and the commit is stopped."
		printf '  %s:\n    PATH=%s\n' "$looked" "$PATH"
		printf '%s\n' "  install it: go install github.com/shipflow/shipflow/cmd/shipflow@latest (or put a shipflow binary on PATH), then commit again"
		printf '%s\n' "  commit once without the check: git commit --no-verify"
		printf '%s\n' "  remove the hook: shipflow hook uninstall` + k.flag + ` (once shipflow is installed), or delete $0"
	} >&2
	exit 1
fi
exec "$shipflow" ` + k.run + `
`
}

func hookShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// hooksDir returns the directory git runs hooks from (core.hooksPath
// honoured) and the hook manager that owns it, if any.
func hooksDir(ctx context.Context, repo *git.Repo, k hookKind) (dir, manager, fix string, err error) {
	dir, err = repo.GitPath(ctx, "hooks")
	if err != nil {
		return "", "", "", err
	}
	hooksPath, _, err := repo.ConfigValue(ctx, "core.hooksPath")
	if err != nil {
		return "", "", "", err
	}
	switch {
	case strings.Contains(filepath.ToSlash(hooksPath), ".husky"):
		return dir, "husky", k.husky, nil
	}
	for _, f := range []string{"lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml"} {
		if _, err := os.Stat(filepath.Join(repo.Dir(), f)); err == nil {
			return dir, "lefthook", "add to " + f + ":\n  " + k.lefthk, nil
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, k.name)); err == nil && bytes.Contains(b, []byte("lefthook")) {
		return dir, "lefthook", "add a shipflow command running " + k.command + " to " + k.name + " in lefthook.yml", nil
	}
	return dir, "", "", nil
}

// InstallHook writes shipflow's commit-msg hook (or the hook opts.Hook
// names) into the repository's hooks directory. An existing hook that is
// not shipflow's is kept and chained: it is renamed and runs before
// shipflow. Installing twice changes nothing.
func InstallHook(ctx context.Context, repo *git.Repo, opts HookOptions) (*HookReport, error) {
	k, err := kindOf(opts.Hook)
	if err != nil {
		return nil, err
	}
	if opts.Command == "" {
		return nil, fmt.Errorf("installing %s hook: no shipflow command given", k.name)
	}
	dir, manager, fix, err := hooksDir(ctx, repo, k)
	if err != nil {
		return nil, fmt.Errorf("installing %s hook: %w", k.name, err)
	}
	rep := &HookReport{Path: filepath.Join(dir, k.name), Manager: manager}
	if manager != "" && !opts.Force {
		return rep, &HookManagerError{Manager: manager, Dir: dir, Fix: fix}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("installing %s hook: %w", k.name, err)
	}
	want := []byte(hookScriptFor(k, opts.Command))
	old, err := os.ReadFile(rep.Path)
	switch {
	case err == nil && bytes.Equal(old, want):
		if _, err := os.Stat(rep.Path + chainedSuffix); err == nil {
			rep.Chained = rep.Path + chainedSuffix
		}
		return rep, nil
	case err == nil && !bytes.Contains(old, []byte(k.marker)):
		chained := rep.Path + chainedSuffix
		if _, err := os.Stat(chained); err == nil {
			return nil, fmt.Errorf("installing %s hook: both %s and %s exist; move one of them away first", k.name, rep.Path, chained)
		}
		if err := os.Rename(rep.Path, chained); err != nil {
			return nil, fmt.Errorf("installing %s hook: keeping the existing hook: %w", k.name, err)
		}
		rep.Chained = chained
	case err == nil:
		// An older shipflow hook: rewrite it, keep any chained hook.
		if _, err := os.Stat(rep.Path + chainedSuffix); err == nil {
			rep.Chained = rep.Path + chainedSuffix
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("installing %s hook: %w", k.name, err)
	}
	if err := atomicfile.Write(rep.Path, want, 0o755); err != nil {
		return nil, fmt.Errorf("installing %s hook: %w", k.name, err)
	}
	// A rewritten hook keeps its old mode; git runs only executable hooks.
	if err := os.Chmod(rep.Path, 0o755); err != nil {
		return nil, fmt.Errorf("installing %s hook: %w", k.name, err)
	}
	rep.Changed = true
	return rep, nil
}

// UninstallHook removes shipflow's commit-msg hook (or the hook named by
// hook, HookCommitMsg or HookPreCommit) and puts back a hook it had
// chained. A hook shipflow did not write is left alone.
func UninstallHook(ctx context.Context, repo *git.Repo, hook ...string) (*HookReport, error) {
	name := ""
	if len(hook) > 0 {
		name = hook[0]
	}
	k, err := kindOf(name)
	if err != nil {
		return nil, err
	}
	dir, manager, _, err := hooksDir(ctx, repo, k)
	if err != nil {
		return nil, fmt.Errorf("removing %s hook: %w", k.name, err)
	}
	rep := &HookReport{Path: filepath.Join(dir, k.name), Manager: manager}
	old, err := os.ReadFile(rep.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return rep, nil
	}
	if err != nil {
		return nil, fmt.Errorf("removing %s hook: %w", k.name, err)
	}
	if !bytes.Contains(old, []byte(k.marker)) {
		return nil, fmt.Errorf("removing %s hook: %s was not written by shipflow; leaving it alone", k.name, rep.Path)
	}
	if err := os.Remove(rep.Path); err != nil {
		return nil, fmt.Errorf("removing %s hook: %w", k.name, err)
	}
	rep.Changed = true
	chained := rep.Path + chainedSuffix
	if _, err := os.Stat(chained); err == nil {
		if err := os.Rename(chained, rep.Path); err != nil {
			return nil, fmt.Errorf("removing %s hook: restoring %s: %w", k.name, chained, err)
		}
		rep.Restored = true
	}
	return rep, nil
}
