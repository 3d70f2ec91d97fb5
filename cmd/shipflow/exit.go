package main

import (
	"errors"
	"fmt"

	"github.com/shipflow/shipflow/actions"
	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/image"
)

// Exit codes, one table for every verb (README "Exit codes"). Scripts and
// the commit-msg hook rely on 1 meaning "your input is wrong", never "git
// crashed".
const (
	exitOK       = 0 // nothing wrong
	exitFindings = 1 // findings: the commit, branch or tests are wrong
	exitUsage    = 2 // bad invocation or bad configuration
	exitFailure  = 3 // git, I/O, network or registry broke
)

// exitCode maps what a verb returned to the process exit code. It is the
// one place that decides: verbs return the library's typed errors as they
// are (wrapped with what they were doing), and mark only what they find
// themselves: usageErr for a bad invocation, findings() after a report
// with problems, failure() when writing the report broke, an exitError
// with the test command's own status. cobra's own errors are typed where
// they arise (newRoot), never recognised by their text.
//
// The order matters where a chain could hold two kinds: a refusal wins
// over the configuration it names, and a shallow clone (git's history is
// incomplete: a failure to fix in the checkout) over the revision it hid.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, new(*usageError)):
		return exitUsage
	case refused(err):
		return exitFindings
	case errors.Is(err, git.ErrShallow), errors.As(err, new(*image.AuthError)):
		return exitFailure
	case badInput(err):
		return exitUsage
	}
	return exitFailure
}

// refused reports whether err is the operation saying no to the user's
// input: a release preflight finding, a bump the branch's channel does not
// allow, a tag that already points elsewhere, an image with nowhere to go.
func refused(err error) bool {
	return errors.Is(err, release.ErrCutRefused) ||
		release.PlanRefused(err) || // *version.BumpError
		errors.As(err, new(*image.ConflictError)) ||
		errors.Is(err, image.ErrNoTarget)
}

// badInput reports whether err is about what the user gave or configured:
// a .shipflow.yaml setting (with file:line:col), a revision that names no
// commit, a tag prefix that makes no tag, a path outside the work tree, a
// directory that is no repository, a bad action input or image option.
func badInput(err error) bool {
	return errors.As(err, new(*config.Error)) ||
		errors.Is(err, git.ErrUnknownRevision) ||
		errors.As(err, new(*git.NotRepoError)) ||
		errors.Is(err, release.ErrPlanBadTag) ||
		errors.Is(err, release.ErrPlanNoCommits) ||
		errors.As(err, new(*release.HookManagerError)) ||
		repofs.IsRefused(err) ||
		errors.As(err, new(*image.InputError)) ||
		errors.As(err, new(*release.InputError)) ||
		errors.As(err, new(*actions.InputError))
}

// usageError is a bad invocation: a flag cobra could not parse, a missing
// or unknown argument, flags that exclude each other, a value a verb does
// not take. It exits 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErr is a usageError with the message.
func usageErr(format string, a ...any) error {
	return &usageError{err: fmt.Errorf(format, a...)}
}

// exitError carries an explicit exit code out of a verb: findings it
// already printed, or the test command's own status.
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

// failure ends a verb with exit code 3 and the error, whatever it wraps:
// writing the report failed, so the run is broken even if err is typed.
func failure(err error) error { return &exitError{code: exitFailure, err: err} }
