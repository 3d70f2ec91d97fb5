package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/actions"
	"github.com/shipflow/shipflow/internal/redact"
	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/testreport"
	planversion "github.com/shipflow/shipflow/release/version"
)

// TestExitCode is the README's "Exit codes" table over every kind of
// error a verb returns, wrapped as the verbs and the library wrap them.
func TestExitCode(t *testing.T) {
	_, refusedPath := repofs.Clean("../outside")
	if !repofs.IsRefused(refusedPath) {
		t.Fatalf("repofs.Clean(../outside) = %v, want a refused path", refusedPath)
	}
	wrap := func(err error) error { return fmt.Errorf("doing a thing: %w", err) }
	red := redact.New(nil)
	red.Add("s3cr3t-value")
	for _, c := range []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, exitOK},
		{"findings", findings(), exitFindings},
		{"explicit code", &exitError{code: 42}, 42},
		{"failure wins over its type", failure(wrap(&config.Error{File: ".shipflow.yaml"})), exitFailure},
		{"usage", usageErr("unknown --format %q", "xml"), exitUsage},

		{"config error", wrap(&config.Error{File: ".shipflow.yaml", Line: 3, Column: 1, Message: "bad"}), exitUsage},
		{"bad tag prefix", wrap(release.ErrPlanBadTag), exitUsage},
		{"no commits", wrap(release.ErrPlanNoCommits), exitUsage},
		{"unknown revision", wrap(&git.RevisionError{Rev: "v9.9.9", Dir: "/r"}), exitUsage},
		{"option as a revision", wrap(&git.RevisionError{Rev: "-n"}), exitUsage},
		{"unknown branch", wrap(fmt.Errorf("%w: branch %q not found", git.ErrUnknownRevision, "dev")), exitUsage},
		{"not a repository", wrap(&git.NotRepoError{Dir: "/tmp"}), exitUsage},
		{"path outside the work tree", wrap(refusedPath), exitUsage},
		{"hook manager", wrap(&release.HookManagerError{Manager: "husky"}), exitUsage},
		{"image input", wrap(&image.InputError{Err: errors.New("bad")}), exitUsage},
		{"action input", wrap(&actions.InputError{Err: errors.New("bad")}), exitUsage},

		{"release refused", wrap(fmt.Errorf("%w: dirty tree", release.ErrCutRefused)), exitFindings},
		{"bump refused", wrap(&planversion.BumpError{Branch: "hotfix/x"}), exitFindings},
		{"image tag conflict", wrap(&image.ConflictError{Tag: "1.0.0"}), exitFindings},
		{"image without target", wrap(image.ErrNoTarget), exitFindings},
		{"refusal wins over the setting it names", errors.Join(release.ErrCutRefused, &config.Error{}), exitFindings},
		{"redacted refusal", red.Error(fmt.Errorf("%w: token s3cr3t-value", release.ErrCutRefused)), exitFindings},

		{"shallow clone", wrap(git.ErrShallow), exitFailure},
		{"shallow clone hiding a revision", errors.Join(git.ErrShallow, &git.RevisionError{Rev: "v1"}), exitFailure},
		{"registry auth", wrap(&image.AuthError{Registry: "ghcr.io", Status: 401, Err: errors.New("denied")}), exitFailure},
		{"git failed", wrap(&git.Error{Args: []string{"push"}, ExitCode: 128}), exitFailure},
		{"test command did not start", wrap(&testreport.StartError{Command: "nope", Err: errors.New("not found")}), exitFailure},
		{"anything else", errors.New("boom"), exitFailure},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := exitCode(c.err); got != c.want {
				t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
			}
		})
	}
}

// TestCobraErrorsAreUsage runs command lines cobra itself rejects: each is
// a usage error by where it comes from, never by its text.
func TestCobraErrorsAreUsage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"lint", "--frobnicate"}, "unknown flag: --frobnicate"},
		{"unknown shorthand", []string{"lint", "-Z"}, "unknown shorthand flag"},
		{"flag needs an argument", []string{"lint", "--format"}, "flag needs an argument"},
		{"invalid argument", []string{"lint", "--strict=maybe"}, "invalid argument"},
		{"extra argument", []string{"lint", "extra"}, `unknown command "extra" for "shipflow lint"`},
		{"exact args", []string{"action"}, "accepts 1 arg(s)"},
		{"flags in a group", []string{"lint", "--message", "feat: a", "--from", "HEAD"}, "if any flags in the group"},
		{"group without a subcommand", []string{"branch"}, "needs a subcommand"},
		{"completion extra argument", []string{"completion", "bash", "extra"}, "unknown command"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"-C", dir}, c.args...), strings.NewReader(""), &out, &errb, func(string) string { return "" })
			stderr := errb.String()
			if code != exitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("shipflow %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, stderr, c.want)
			}
		})
	}
}
