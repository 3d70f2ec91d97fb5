// Package git is the only code in shipflow that runs git. It reads history
// with one streamed `git log -z` per read, keeps stderr apart from parsed
// output, and reports failures as *Error values carrying the arguments, the
// exit code and stderr.
//
// It shells out to the git binary instead of re-implementing git, so
// everything git honours (alternates, partial clones, replace refs, the
// user's config) keeps working.
package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrShallow is wrapped by errors about a shallow clone, where history (and
// so the last tag or the commits since it) is incomplete.
var ErrShallow = errors.New("the repository is a shallow clone: history is incomplete; fetch the full history (actions/checkout: `fetch-depth: 0`, or `git fetch --unshallow`)")

// ErrUnknownRevision is matched (errors.Is) by every error about a
// revision that names no commit: no such branch, tag or commit, or user
// input starting with "-", which is refused so that it never becomes an
// option. Such an error is the caller's mistake, not a broken git.
var ErrUnknownRevision = errors.New("unknown revision")

// RevisionError is a revision that names no commit. It matches
// ErrUnknownRevision.
type RevisionError struct {
	Rev string // the revision as given
	// Dir is the work tree searched; "" when Rev was refused before git
	// ran (it starts with "-").
	Dir string
}

// Error names the revision and, when git looked, where.
func (e *RevisionError) Error() string {
	if e.Dir == "" {
		return fmt.Sprintf("%q is not a revision", e.Rev)
	}
	return fmt.Sprintf("unknown revision %q: no such branch, tag or commit in %s", e.Rev, e.Dir)
}

// Is reports whether target is ErrUnknownRevision.
func (e *RevisionError) Is(target error) bool { return target == ErrUnknownRevision }

// maxStderr caps the stderr kept from one git run; git can be chatty on
// large fetches and a failure needs only its last words.
const maxStderr = 64 << 10

// Error is a failed git run.
type Error struct {
	Args     []string // arguments after "git"
	ExitCode int      // -1 when git did not start or was killed
	Stderr   string   // trimmed, capped
	Err      error    // the underlying exec error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("git %s", strings.Join(e.Args, " "))
	if e.ExitCode >= 0 {
		msg += fmt.Sprintf(": exit status %d", e.ExitCode)
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// NotRepoError says a directory is not inside a git work tree.
type NotRepoError struct {
	Dir string
	Err error
}

func (e *NotRepoError) Error() string {
	return fmt.Sprintf("%s is not a git repository (or any parent up to /): run shipflow inside a clone, or pass -C DIR", e.Dir)
}

func (e *NotRepoError) Unwrap() error { return e.Err }

// Repo is a git work tree.
type Repo struct {
	dir    string
	config []string // "-c", "k=v" pairs
	atTop  bool     // trust dir as the top level when it has .git
	env    []string // extra environment (WithObjectsIn)
}

// Option configures a Repo.
type Option func(*Repo)

// WithConfig adds `-c key=value` to every git run, e.g.
// WithConfig("safe.directory", "*") in containers where the work tree has
// another owner. The default is no extra configuration.
func WithConfig(key, value string) Option {
	return func(r *Repo) { r.config = append(r.config, "-c", key+"="+value) }
}

// AtTopLevel tells Open that dir is the work tree's top level, so it does
// not ask git: git starts hooks there, and a commit-msg hook has a
// millisecond budget. Open still checks that dir has a .git entry. The
// default is to ask git (`git rev-parse --show-toplevel`).
func AtTopLevel() Option {
	return func(r *Repo) { r.atTop = true }
}

// Open returns the work tree that contains dir.
func Open(ctx context.Context, dir string, opts ...Option) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening repository %q: %w", dir, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("opening repository: %w", err)
	}
	r := &Repo{dir: abs}
	for _, o := range opts {
		o(r)
	}
	if r.atTop {
		if _, err := os.Stat(filepath.Join(abs, ".git")); err == nil {
			return r, nil
		}
	}
	out, err := r.Run(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) && strings.Contains(ge.Stderr, "dubious ownership") {
			// Containers and CI runners check out as another user; git
			// refuses such a repository unless it is marked safe.
			return nil, fmt.Errorf("git refuses %s: it is owned by another user (dubious ownership); mark it safe with `git config --global --add safe.directory %s`: %w", abs, abs, err)
		}
		if errors.As(err, &ge) && ge.ExitCode > 0 {
			return nil, &NotRepoError{Dir: abs, Err: err}
		}
		return nil, fmt.Errorf("opening repository %q: %w", dir, err)
	}
	top := strings.TrimSpace(string(out))
	if top == "" {
		// A bare repository or the inside of .git has no top level.
		return nil, &NotRepoError{Dir: abs, Err: errors.New("no work tree")}
	}
	r.dir = top
	return r, nil
}

// Dir returns the top-level directory of the work tree.
func (r *Repo) Dir() string { return r.dir }

// command builds a git command for args; stdout and stderr are left to the caller.
func (r *Repo) command(ctx context.Context, args []string) *exec.Cmd {
	full := make([]string, 0, len(r.config)+len(args)+2)
	full = append(full, "-C", r.dir)
	full = append(full, r.config...)
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	// Never let git open an editor or a pager, or prompt for credentials.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat", "PAGER=cat", "GIT_EDITOR=true", "LC_ALL=C")
	cmd.Env = append(cmd.Env, r.env...)
	return cmd
}

// Run runs git with args in the work tree and returns its stdout. A failure
// is an *Error with the exit code and stderr.
func (r *Repo) Run(ctx context.Context, args ...string) ([]byte, error) {
	return r.RunInput(ctx, nil, args...)
}

// RunInput is Run with stdin.
func (r *Repo) RunInput(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	cmd := r.command(ctx, args)
	var stdout bytes.Buffer
	stderr := &cappedBuffer{max: maxStderr}
	cmd.Stdout = &stdout
	cmd.Stderr = stderr
	if stdin != nil {
		in, err := inputReader(stdin)
		if err != nil {
			return nil, err
		}
		if f, ok := in.(*os.File); ok {
			defer f.Close()
		}
		cmd.Stdin = in
	}
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), newError(args, err, stderr)
	}
	return stdout.Bytes(), nil
}

// inputReader is a git run's standard input. Input small enough for a
// pipe's buffer is written into one before git starts, so that git never
// waits on a goroutine of ours to be scheduled for it (os/exec copies
// any other reader from one); larger input is copied so.
func inputReader(stdin []byte) (io.Reader, error) {
	if len(stdin) > pipeBuffer || runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		return bytes.NewReader(stdin), nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("running git: %w", err)
	}
	_, err = w.Write(stdin)
	w.Close()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("running git: writing its input: %w", err)
	}
	return r, nil
}

// pipeBuffer is the least a pipe holds without a reader on Linux (a
// page, when the user's pipes are over their limit; 64 KiB otherwise)
// and macOS (16 KiB): input that fits is written before git starts.
const pipeBuffer = 4 << 10

func newError(args []string, err error, stderr *cappedBuffer) *Error {
	e := &Error{Args: append([]string(nil), args...), ExitCode: -1, Err: err, Stderr: strings.TrimSpace(stderr.String())}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.Exited() {
		e.ExitCode = ee.ExitCode()
	}
	return e
}

// cappedBuffer keeps the last max bytes written to it.
type cappedBuffer struct {
	max int
	buf []byte
	cut bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-b.max:]...)
		b.cut = true
	}
	return len(p), nil
}

func (b *cappedBuffer) String() string {
	if b.cut {
		return "..." + string(b.buf)
	}
	return string(b.buf)
}

// ResolveCommit returns the full hash of the commit rev names. A rev that
// names no commit, or starts with "-", is a *RevisionError
// (ErrUnknownRevision).
func (r *Repo) ResolveCommit(ctx context.Context, rev string) (string, error) {
	if strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("resolving: %w", &RevisionError{Rev: rev})
	}
	out, err := r.Run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) && ge.ExitCode == 1 {
			return "", &RevisionError{Rev: rev, Dir: r.dir}
		}
		return "", fmt.Errorf("resolving %q: %w", rev, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// IsShallow reports whether the repository is a shallow clone.
func (r *Repo) IsShallow(ctx context.Context) (bool, error) {
	out, err := r.Run(ctx, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return false, fmt.Errorf("checking for a shallow clone: %w", err)
	}
	return strings.TrimSpace(string(out)) == "true", nil
}

// CheckFullHistory returns an error wrapping ErrShallow when the repository
// is a shallow clone.
func (r *Repo) CheckFullHistory(ctx context.Context) error {
	shallow, err := r.IsShallow(ctx)
	if err != nil {
		return err
	}
	if shallow {
		return fmt.Errorf("%s: %w", r.dir, ErrShallow)
	}
	return nil
}

// CurrentBranch returns the short name of the checked-out branch, or "" when
// HEAD is detached.
func (r *Repo) CurrentBranch(ctx context.Context) (string, error) {
	out, err := r.Run(ctx, "symbolic-ref", "--quiet", "--short", "HEAD")
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) && ge.ExitCode == 1 {
			return "", nil
		}
		return "", fmt.Errorf("reading the current branch: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// IsClean reports whether the work tree and index have no changes to
// tracked files and no untracked files that are not ignored.
func (r *Repo) IsClean(ctx context.Context) (bool, error) {
	out, err := r.Run(ctx, "status", "--porcelain", "-z")
	if err != nil {
		return false, fmt.Errorf("checking for a clean work tree: %w", err)
	}
	return len(out) == 0, nil
}

// RemoteURL returns the URL of the named remote.
func (r *Repo) RemoteURL(ctx context.Context, remote string) (string, error) {
	out, err := r.Run(ctx, "remote", "get-url", "--", remote)
	if err != nil {
		return "", fmt.Errorf("reading the URL of remote %q: %w", remote, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// ConfigValue returns a git configuration value and whether it is set.
func (r *Repo) ConfigValue(ctx context.Context, key string) (string, bool, error) {
	out, err := r.Run(ctx, "config", "--get", key)
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) && ge.ExitCode == 1 {
			return "", false, nil
		}
		return "", false, fmt.Errorf("reading git config %q: %w", key, err)
	}
	return strings.TrimRight(string(out), "\n"), true, nil
}

// GitPath returns the absolute path of a file inside the repository's git
// directory as `git rev-parse --git-path` resolves it (e.g. "hooks"
// honours core.hooksPath and worktrees).
func (r *Repo) GitPath(ctx context.Context, name string) (string, error) {
	out, err := r.Run(ctx, "rev-parse", "--path-format=absolute", "--git-path", name)
	if err != nil {
		return "", fmt.Errorf("locating %q in the git directory: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}
