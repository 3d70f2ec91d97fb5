// Package actions is shipflow's GitHub Actions adapter: the only code that
// reads GITHUB_* and INPUT_* variables or speaks the runner's workflow
// commands. `shipflow action <verb>` uses it to read inputs and the event
// payload, call the same release operation as the CLI verb, and write step
// outputs, annotations, the job summary and, when the token allows, a check
// run or commit status.
//
// Everything the runner provides is injected (a getenv function, a writer
// for the log, an HTTP client), so tests run a whole step in-process
// against temporary files and a fake GitHub.
package actions

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/shipflow/shipflow/internal/redact"
)

// Runner is the environment of one step on a GitHub Actions runner.
type Runner struct {
	getenv func(string) string
	// log is the step's stdout seen through red; raw is the stdout itself,
	// for the ::add-mask:: commands that must name the secret.
	log io.Writer
	raw io.Writer
	gha *githubactions.Action
	// red is the one redaction place: the log, outputs, environment file,
	// job summary, check runs and statuses all pass through it.
	red *redact.Redactor
	// masked keeps the secrets already masked, so a secret is announced once.
	masked map[string]bool
}

// RunnerOption configures a Runner.
type RunnerOption func(*Runner)

// WithRedactor sets what the runner removes from everything it writes.
// The default knows the values of redact.KnownVariables (read through
// getenv) and GitHub token shapes; the CLI passes one that knows every
// secret variable of the environment.
func WithRedactor(red *redact.Redactor) RunnerOption {
	return func(r *Runner) { r.red = red }
}

// NewRunner returns the runner environment read through getenv, writing
// workflow commands and log lines to log (the step's stdout).
func NewRunner(getenv func(string) string, log io.Writer, opts ...RunnerOption) *Runner {
	r := &Runner{getenv: getenv, raw: log, masked: map[string]bool{}}
	for _, opt := range opts {
		opt(r)
	}
	if r.red == nil {
		r.red = redact.FromGetenv(getenv, redact.KnownVariables...)
	}
	// Every line written to the log is complete (workflow commands and
	// Log end in a newline), so the redacting writer holds nothing back
	// between calls and needs no flush.
	r.log = redact.NewWriter(log, r.red)
	r.gha = githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(r.log))
	return r
}

// Redactor returns the runner's one redaction place, for operations that
// write files or talk to servers themselves (release notes, changelogs).
func (r *Runner) Redactor() *redact.Redactor { return r.red }

// InActions reports whether the process runs as a GitHub Actions step
// (GITHUB_ACTIONS=true, which the runner and act both set).
func (r *Runner) InActions() bool { return r.getenv("GITHUB_ACTIONS") == "true" }

// Getenv returns the runner variable key. Callers use it for GITHUB_*
// values that have no dedicated accessor.
func (r *Runner) Getenv(key string) string { return r.getenv(key) }

// Input returns the action input name, trimmed. The runner upper-cases the
// name and keeps hyphens: input `tag-prefix` arrives as INPUT_TAG-PREFIX.
func (r *Runner) Input(name string) string {
	return r.gha.GetInput(name)
}

// BoolInput returns a boolean input; an empty input is def. The YAML 1.2
// core schema's spellings are accepted, as @actions/core getBooleanInput
// does: true, True, TRUE, false, False, FALSE.
func (r *Runner) BoolInput(name string, def bool) (bool, error) {
	v := r.Input(name)
	switch v {
	case "":
		return def, nil
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	}
	return false, fmt.Errorf("input %s: %q is not a boolean (use true or false)", name, v)
}

// Mask makes shipflow redact secret from everything it writes from now on
// and, on a runner, tells the runner to mask it in the rest of the job's
// log. A multi-line secret is masked line by line, as the runner matches
// lines. The ::add-mask:: command has to name the secret; the runner
// consumes it and never shows it. Outside Actions nothing would consume
// it, so it is not written there.
func (r *Runner) Mask(secret string) {
	r.red.Add(secret)
	for _, line := range strings.Split(secret, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || r.masked[line] {
			continue
		}
		r.masked[line] = true
		if r.InActions() {
			// go-githubactions' escaping of command data.
			fmt.Fprintf(r.raw, "::add-mask::%s\n", strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(line))
		}
	}
}

// SetOutput sets the step output name to value in the GITHUB_OUTPUT file.
// See writeFileCommand for why this does not use go-githubactions.
func (r *Runner) SetOutput(name, value string) error {
	return r.writeFileCommand("GITHUB_OUTPUT", name, value)
}

// SetEnv exports name=value to the following steps through GITHUB_ENV.
func (r *Runner) SetEnv(name, value string) error {
	return r.writeFileCommand("GITHUB_ENV", name, value)
}

// ErrDelimiterInValue is wrapped when a value to write to GITHUB_OUTPUT or
// GITHUB_ENV contains the delimiter that would end it early.
var ErrDelimiterInValue = errors.New("value contains the heredoc delimiter")

// writeFileCommand appends `name<<DELIM\nvalue\nDELIM` to the file named
// by the variable fileVar.
//
// go-githubactions v1.3.1 always uses the fixed delimiter
// "_GitHubActionsFileCommandDelimeter_", so a value an attacker controls (a
// commit body, a PR title) can contain that line and then `name=value`
// lines: the runner ends the heredoc early and reads the forged outputs.
// As @actions/core does (toolkit file-command.ts), each write here picks a
// fresh random `ghadelimiter_<hex>` and refuses a value that contains it
// (with 128 random bits that only happens to a value crafted after the
// fact, never by chance).
func (r *Runner) writeFileCommand(fileVar, name, value string) error {
	path := r.getenv(fileVar)
	if path == "" {
		return fmt.Errorf("writing %s %q: %s is not set (shipflow needs a runner with environment files, actions/runner 2.297.0 or later)", fileKind(fileVar), name, fileVar)
	}
	if name == "" || strings.ContainsAny(name, "=\r\n") || strings.Contains(name, "<<") {
		return fmt.Errorf("writing %s %q: a name must be non-empty and contain no '=', '<<' or line break", fileKind(fileVar), name)
	}
	value = r.red.String(value)
	delim, err := newDelimiterFunc()
	if err != nil {
		return fmt.Errorf("writing %s %q: %w", fileKind(fileVar), name, err)
	}
	if strings.Contains(name, delim) || strings.Contains(value, delim) {
		return fmt.Errorf("writing %s %q: %w", fileKind(fileVar), name, ErrDelimiterInValue)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s %q: %w", fileKind(fileVar), name, err)
	}
	_, werr := fmt.Fprintf(f, "%s<<%s\n%s\n%s\n", name, delim, value, delim)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("writing %s %q: %w", fileKind(fileVar), name, err)
	}
	return nil
}

func fileKind(fileVar string) string {
	if fileVar == "GITHUB_ENV" {
		return "environment variable"
	}
	return "output"
}

// newDelimiterFunc makes the delimiters of writeFileCommand; tests replace it.
var newDelimiterFunc = newDelimiter

// newDelimiter returns "ghadelimiter_" and 32 random hex digits.
func newDelimiter() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("making a heredoc delimiter: %w", err)
	}
	return "ghadelimiter_" + hex.EncodeToString(b[:]), nil
}

// Log writes untrusted text (commit messages, branch names) to the step
// log. Lines starting with `::` would be read by the runner as workflow
// commands, so the text is wrapped in ::stop-commands:: with a random token.
func (r *Runner) Log(text string) error {
	if text == "" {
		return nil
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if !strings.Contains(text, "::") {
		_, err := io.WriteString(r.log, text)
		return err
	}
	tok, err := newDelimiter()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(r.log, "::stop-commands::%s\n%s::%s::\n", tok, text, tok)
	return err
}

// Group runs fn inside a collapsible log group titled title.
func (r *Runner) Group(title string, fn func() error) error {
	r.gha.Group(title)
	defer r.gha.EndGroup()
	return fn()
}
