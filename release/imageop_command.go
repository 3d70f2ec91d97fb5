package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"text/template"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/internal/tmplexec"
	"github.com/shipflow/shipflow/release/image"
)

// The command an image rollback, watch or promote runs after it moved
// tags (image.on-rollback, image.on-promote, or --on-rollback /
// --on-promote): the repository's own deploy step, so that the running
// service follows the tags. The configuration is the repository's, which
// is untrusted (SECURITY.md), so:
//   - only the verbs that exist to run it run it (image rollback, watch and
//     promote), never next, changelog, lint, pr or release;
//   - its program is a literal argument (never a template), a bare command
//     name looked up in PATH or a path inside the work tree (a symbolic
//     link out of it, or into .git/, is refused), never option-shaped;
//   - no shell ever reads it: each argument is one argv entry, rendered as
//     a text/template (data, bounded by internal/tmplexec) over values
//     validated first (a version, sha256 digests, a repository name, tag
//     names), so nothing option- or shell-shaped comes from the registry.

// ImageCommandData are the values the arguments of an image command see.
type ImageCommandData struct {
	// Version is the version the moved tags name now (X.Y.Z).
	Version string
	// Tag is the tag the service follows: the environment tag of a
	// promote; latest for a rollback that moved it, else the first tag it
	// moved.
	Tag string
	// Digest is what the moved tags name now (sha256:...).
	Digest string
	// Previous is the digest they named before; "" when a promote created
	// the tag.
	Previous string
	// Repository is REGISTRY/REPO.
	Repository string
	// Env is the environment of a promote; "" for a rollback.
	Env string
}

// ImageCommandDataOf are the values of a rollback or promote that moved
// tags.
func ImageCommandDataOf(rb *image.RollbackReport) ImageCommandData {
	d := ImageCommandData{Version: rb.To, Digest: rb.ToDigest, Previous: rb.FromDigest, Repository: rb.Repository, Env: rb.Env}
	for _, c := range rb.Tags {
		if d.Tag == "" || c.Tag == "latest" {
			d.Tag = c.Tag
		}
	}
	return d
}

// digestRE and tagRE are compiled on first use: package init stays cheap.
var (
	digestRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^sha256:[0-9a-f]{64}$`) })
	tagRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`) })
)

// check refuses values that could be read as an option or by a shell:
// they come from a registry, which is untrusted.
func (d ImageCommandData) check() error {
	if v, err := semver.StrictNewVersion(d.Version); err != nil || v.Original() != v.String() {
		return fmt.Errorf("version %q is not X.Y.Z", d.Version)
	}
	if !digestRE().MatchString(d.Digest) {
		return fmt.Errorf("digest %q is not sha256:<64 hex digits>", d.Digest)
	}
	if d.Previous != "" && !digestRE().MatchString(d.Previous) {
		return fmt.Errorf("previous digest %q is not sha256:<64 hex digits>", d.Previous)
	}
	for _, t := range []struct{ what, v string }{{"tag", d.Tag}, {"environment", d.Env}} {
		if t.v != "" && !tagRE().MatchString(t.v) {
			return fmt.Errorf("%s %q is not a tag name", t.what, t.v)
		}
	}
	if image.CheckRepository(d.Repository) != nil {
		return fmt.Errorf("repository %q is not REGISTRY/REPO", d.Repository)
	}
	return nil
}

// ImageCommand is a command to run after tags moved.
type ImageCommand struct {
	// From names where it came from, for messages: "image.on-rollback"
	// or "--on-rollback".
	From string
	// Args are the program and its argument templates.
	Args []string
}

// Empty says there is no command to run.
func (c ImageCommand) Empty() bool { return len(c.Args) == 0 }

// String is the command as configured.
func (c ImageCommand) String() string { return strings.Join(c.Args, " ") }

// CheckImageCommand checks a command's shape before anything moves: a
// program that is a literal bare name or relative path (no template, not
// option-shaped, not absolute, not leaving the work tree or entering
// .git/), and arguments that parse as templates.
func CheckImageCommand(args []string) error {
	if len(args) == 0 {
		return errors.New("is empty")
	}
	prog := args[0]
	switch {
	case strings.Contains(prog, "{{"):
		return fmt.Errorf("program %q is a template: the program must be literal, a command name or a path inside the work tree", prog)
	case strings.HasPrefix(prog, "-"):
		return fmt.Errorf("program %q looks like an option", prog)
	case strings.ContainsAny(prog, `/\`):
		if _, err := repofs.Clean(prog); err != nil {
			return fmt.Errorf("program %v: give a command name or a path inside the work tree", err)
		}
	}
	for i, a := range args[1:] {
		if _, err := template.New("arg").Option("missingkey=error").Parse(a); err != nil {
			return fmt.Errorf("argument %d %q: %v", i+1, a, err)
		}
	}
	return nil
}

// Render checks the values and renders each argument; the program is
// kept as given.
func (c ImageCommand) Render(d ImageCommandData) ([]string, error) {
	if err := CheckImageCommand(c.Args); err != nil {
		return nil, fmt.Errorf("%s: %w", c.From, err)
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("%s: refusing to run it: %w", c.From, err)
	}
	out := []string{c.Args[0]}
	for i, a := range c.Args[1:] {
		t, err := template.New("arg").Option("missingkey=error").Parse(a)
		if err != nil {
			return nil, fmt.Errorf("%s: argument %d: %w", c.From, i+1, err)
		}
		s, err := tmplexec.Execute(t, d, 4<<10, 10_000)
		if err != nil {
			return nil, fmt.Errorf("%s: argument %d %q: %w", c.From, i+1, a, err)
		}
		if strings.ContainsRune(s, 0) {
			return nil, fmt.Errorf("%s: argument %d %q renders a NUL byte", c.From, i+1, a)
		}
		out = append(out, s)
	}
	return out, nil
}

// ImageCommandRun is a command that ran.
type ImageCommandRun struct {
	// Args are the rendered arguments, program first.
	Args []string `json:"args"`
	// ExitCode is its exit status; -1 when it did not start or was
	// killed.
	ExitCode int `json:"exit_code"`
	// Error says why it failed; "" when it exited 0.
	Error string `json:"error,omitempty"`
}

// ImageCommandError is an image command that failed after the tags moved.
type ImageCommandError struct {
	From string
	Run  ImageCommandRun
	Err  error
}

func (e *ImageCommandError) Error() string {
	return fmt.Sprintf("%s %q: %v", e.From, strings.Join(e.Run.Args, " "), e.Err)
}

func (e *ImageCommandError) Unwrap() error { return e.Err }

// ImageCommandRunner is where and how an image command runs.
type ImageCommandRunner struct {
	// Dir is the work tree: where it runs, and what a program path is
	// relative to.
	Dir string
	// Env is its environment; nil means the process's.
	Env []string
	// Stdout and Stderr receive its output as it comes; nil discards it.
	Stdout, Stderr io.Writer
}

// Run renders c over d and runs it in r.Dir, without a shell. A program
// path is resolved inside the work tree (links followed only while they
// stay in it); a bare name is looked up in PATH (never in the current
// directory). A command that cannot be rendered or started, or exits
// non-zero, is an *ImageCommandError with the run.
func (r ImageCommandRunner) Run(ctx context.Context, c ImageCommand, d ImageCommandData) (*ImageCommandRun, error) {
	args, err := c.Render(d)
	if err != nil {
		return nil, err
	}
	run := &ImageCommandRun{Args: args, ExitCode: -1}
	fail := func(err error) (*ImageCommandRun, error) {
		run.Error = err.Error()
		return run, &ImageCommandError{From: c.From, Run: *run, Err: err}
	}
	prog := args[0]
	if strings.ContainsAny(prog, `/\`) {
		rel, err := repofs.Resolve(r.Dir, prog)
		if err != nil {
			return fail(err)
		}
		root, err := filepath.EvalSymlinks(r.Dir)
		if err != nil {
			return fail(err)
		}
		prog = filepath.Join(root, filepath.FromSlash(rel))
	}
	cmd := exec.CommandContext(ctx, prog, args[1:]...)
	cmd.Dir, cmd.Env = r.Dir, r.Env
	cmd.Stdout, cmd.Stderr = r.Stdout, r.Stderr
	err = cmd.Run()
	if cmd.ProcessState != nil {
		run.ExitCode = cmd.ProcessState.ExitCode()
	}
	if err != nil {
		return fail(err)
	}
	return run, nil
}
