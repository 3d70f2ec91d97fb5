package release_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// hookPath is a PATH with git and the shell's tools but no shipflow: the
// directories of git and sh only.
func hookPath(t *testing.T, extra ...string) string {
	t.Helper()
	dirs := append([]string(nil), extra...)
	for _, tool := range []string{"git", "sh"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s not found: %v", tool, err)
		}
		if d := filepath.Dir(p); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "shipflow")); err == nil && !strings.HasPrefix(d, os.TempDir()) {
			t.Skipf("shipflow is installed in %s: cannot make a PATH without it", d)
		}
	}
	return strings.Join(dirs, string(os.PathListSeparator))
}

// fakeShipflow writes an executable named shipflow into dir that records
// its arguments in dir/ran and accepts every message.
func fakeShipflow(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "shipflow")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"${0%/*}/ran\"\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// hookCommit runs `git commit` through the installed hook with PATH set to
// path; it returns stderr and the error.
func hookCommit(t *testing.T, r *gittest.Repo, path string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", "commit", "-q", "--allow-empty", "-m", "feat: add a thing")
	cmd.Dir = r.Dir
	cmd.Env = append(gittest.Env(), "PATH="+path,
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	return stderr.String(), err
}

func installHook(t *testing.T, r *gittest.Repo, command string) {
	t.Helper()
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := release.InstallHook(context.Background(), repo, release.HookOptions{Command: command}); err != nil {
		t.Fatal(err)
	}
}

// TestHookWithoutShipflowOnPath runs the installed commit-msg hook through
// a real `git commit` with a PATH that has no shipflow: the absolute path
// recorded at install is used; without it, shipflow on PATH; with
// neither, the commit stops with a message that says where the hook
// looked, how to install shipflow and how to commit without the check.
func TestHookWithoutShipflowOnPath(t *testing.T) {
	t.Run("recorded path", func(t *testing.T) {
		r := gittest.New(t)
		dir := filepath.Join(t.TempDir(), "opt dir", "it's $HOME")
		installHook(t, r, fakeShipflow(t, dir))
		if stderr, err := hookCommit(t, r, hookPath(t)); err != nil {
			t.Fatalf("git commit: %v\n%s", err, stderr)
		}
		ran, err := os.ReadFile(filepath.Join(dir, "ran"))
		if err != nil || !strings.HasPrefix(string(ran), "lint --edit ") {
			t.Errorf("recorded shipflow ran with %q, %v; want lint --edit", ran, err)
		}
	})
	t.Run("recorded path gone, shipflow on PATH", func(t *testing.T) {
		r := gittest.New(t)
		installHook(t, r, filepath.Join(t.TempDir(), "gone", "shipflow"))
		bin := filepath.Join(t.TempDir(), "bin")
		fakeShipflow(t, bin)
		if stderr, err := hookCommit(t, r, hookPath(t, bin)); err != nil {
			t.Fatalf("git commit: %v\n%s", err, stderr)
		}
		if _, err := os.Stat(filepath.Join(bin, "ran")); err != nil {
			t.Errorf("shipflow on PATH did not run: %v", err)
		}
	})
	for _, tt := range []struct {
		name, command string
		looked        []string
	}{
		{"recorded path gone", "/opt/shipflow 1.2/bin/shipflow", []string{"/opt/shipflow 1.2/bin/shipflow", "then on PATH"}},
		{"name on PATH", "shipflow", []string{"looked on PATH"}},
	} {
		t.Run("nowhere: "+tt.name, func(t *testing.T) {
			r := gittest.New(t)
			installHook(t, r, tt.command)
			path := hookPath(t)
			stderr, err := hookCommit(t, r, path)
			if err == nil {
				t.Fatalf("git commit succeeded without shipflow; stderr:\n%s", stderr)
			}
			want := append(tt.looked,
				"shipflow is not installed",
				path,
				"go install github.com/shipflow/shipflow/cmd/shipflow@latest",
				"git commit --no-verify",
				"shipflow hook uninstall",
			)
			for _, w := range want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			if out, err := r.TryGit("rev-parse", "-q", "--verify", "HEAD"); err == nil {
				t.Errorf("a commit was made: %s", out)
			}
		})
	}
}

// TestPreCommitHookChainsAndRestores: the pre-commit hook is its own file,
// next to the commit-msg hook; an existing pre-commit hook is chained and
// comes back on uninstall; a husky setup is told what to add.
func TestPreCommitHookChainsAndRestores(t *testing.T) {
	r := gittest.New(t)
	ctx := context.Background()
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	hooks := filepath.Join(r.Dir, ".git", "hooks")
	if err := os.MkdirAll(hooks, 0o755); err != nil {
		t.Fatal(err)
	}
	old := "#!/bin/sh\necho old pre-commit\n"
	if err := os.WriteFile(filepath.Join(hooks, "pre-commit"), []byte(old), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := release.InstallHook(ctx, repo, release.HookOptions{Command: "shipflow"}); err != nil {
		t.Fatal(err)
	}
	rep, err := release.InstallHook(ctx, repo, release.HookOptions{Command: "shipflow", Hook: release.HookPreCommit})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Path != filepath.Join(hooks, "pre-commit") || rep.Chained != filepath.Join(hooks, "pre-commit.shipflow-chained") {
		t.Errorf("report %+v, want pre-commit with the old hook chained", rep)
	}
	b, err := os.ReadFile(rep.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# shipflow pre-commit hook", `exec "$shipflow" secrets --staged`, "pre-commit.shipflow-chained", "shipflow hook uninstall --pre-commit"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("pre-commit hook lacks %q:\n%s", want, b)
		}
	}
	msg, err := os.ReadFile(filepath.Join(hooks, "commit-msg"))
	if err != nil || !strings.Contains(string(msg), `lint --edit "$1"`) {
		t.Errorf("commit-msg hook changed: %v\n%s", err, msg)
	}
	// Uninstalling the pre-commit hook leaves the commit-msg hook.
	if _, err := release.UninstallHook(ctx, repo, release.HookPreCommit); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(hooks, "pre-commit")); err != nil || string(b) != old {
		t.Errorf("pre-commit after uninstall = %q, %v; want the old hook back", b, err)
	}
	if _, err := os.Stat(filepath.Join(hooks, "commit-msg")); err != nil {
		t.Errorf("commit-msg hook gone: %v", err)
	}

	r.Git("config", "core.hooksPath", ".husky/_")
	_, err = release.InstallHook(ctx, repo, release.HookOptions{Command: "shipflow", Hook: release.HookPreCommit})
	var me *release.HookManagerError
	if !errors.As(err, &me) || !strings.Contains(me.Fix, "shipflow secrets --staged") || !strings.Contains(me.Fix, ".husky/pre-commit") {
		t.Errorf("husky: %v, want a HookManagerError saying to add 'shipflow secrets --staged' to .husky/pre-commit", err)
	}
	if _, err := release.InstallHook(ctx, repo, release.HookOptions{Command: "shipflow", Hook: "post-commit"}); err == nil {
		t.Error("installing a post-commit hook succeeded, want an error")
	}
}
