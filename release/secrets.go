package release

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/secrets"
)

// SecretsOptions says which changes ScanSecrets checks: exactly one of
// Staged, From (with To) and All.
type SecretsOptions struct {
	// Staged checks the index against HEAD: what `git commit` would add
	// (the pre-commit hook).
	Staged bool
	// From checks the commits after From up to To (HEAD when empty), as
	// `git log From..To`: a pull request, a push in CI.
	From, To string
	// All checks every commit reachable from any ref: adopting the check
	// on a repository with a history.
	All bool
}

// Validate checks that exactly one scope is given.
func (o SecretsOptions) Validate() error {
	n := 0
	for _, b := range []bool{o.Staged, o.From != "", o.All} {
		if b {
			n++
		}
	}
	switch {
	case n != 1:
		return &InputError{Name: "scope", Value: o.scope(), Want: "exactly one of staged, a range (from, to) and all"}
	case o.To != "" && o.From == "":
		return &InputError{Name: "to", Value: o.To, Want: "given without from"}
	}
	return nil
}

// scope names what is checked, for the report.
func (o SecretsOptions) scope() string {
	var parts []string
	if o.Staged {
		parts = append(parts, "staged changes")
	}
	if o.From != "" {
		parts = append(parts, o.From+".."+cmpOr(o.To, "HEAD"))
	}
	if o.All {
		parts = append(parts, "all history")
	}
	return strings.Join(parts, ", ")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// SecretsReport is what ScanSecrets found.
type SecretsReport struct {
	// Scope says what was checked: "staged changes", "v1.2.0..HEAD",
	// "all history".
	Scope string
	// Staged is true for the staged scope, where findings are removed
	// from the index rather than from history.
	Staged bool
	// Findings are the secrets, in the order of the patch stream (newest
	// commit first in a range). None holds the secret.
	Findings []secrets.Finding
}

// patchArgs are the options every patch shipflow reads is made with:
// added lines only (-U0, as gitleaks reads them), no colour, external
// diff or textconv, and the a/ b/ prefixes the parser expects whatever
// diff.noprefix, diff.mnemonicPrefix or diff.relative say.
var patchArgs = []string{"-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "--src-prefix=a/", "--dst-prefix=b/"}

// ScanSecrets checks the changes opts names for secrets with the work
// tree's gitleaks configuration (package secrets): one git process reads
// the patch — `git diff --cached` for the staged scope, one
// `git log -p` stream for a range or the whole history. A revision that
// names no commit is a *git.RevisionError (git.ErrUnknownRevision); a
// gitleaks config that cannot be used is a *secrets.ConfigError.
func ScanSecrets(ctx context.Context, repo *git.Repo, opts SecretsOptions) (*SecretsReport, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	rep := &SecretsReport{Scope: opts.scope(), Staged: opts.Staged}
	args, err := secretsArgs(ctx, repo, opts)
	if err != nil {
		return nil, fmt.Errorf("checking secrets in %s: %w", rep.Scope, err)
	}
	err = repo.Stream(ctx, func(r io.Reader) error {
		// Building gitleaks' rules (some 200 regular expressions) is
		// most of the pre-commit hook's time: it runs while git writes
		// the patch, not before git starts.
		sc, err := secrets.New(repo.Dir())
		if err != nil {
			return err
		}
		return sc.ScanPatch(ctx, r, func(f secrets.Finding) error {
			rep.Findings = append(rep.Findings, f)
			return nil
		})
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("checking secrets in %s: %w", rep.Scope, err)
	}
	return rep, nil
}

// secretsArgs returns the git command that writes the patch of opts'
// scope, its revisions checked first so a bad one is named.
func secretsArgs(ctx context.Context, repo *git.Repo, opts SecretsOptions) ([]string, error) {
	// Paths as they are (no octal quoting) so findings name them as the
	// user sees them.
	pre := []string{"-c", "core.quotePath=false"}
	if opts.Staged {
		return append(append(append(pre, "diff", "--cached"), patchArgs...), "--"), nil
	}
	log := append(append(pre, "-c", "log.showSignature=false", "log"), patchArgs...)
	log = append(log, "--format=medium", "--no-decorate", "--no-notes", "--no-mailmap")
	if opts.All {
		return append(log, "--all", "--"), nil
	}
	from, err := repo.ResolveCommit(ctx, opts.From)
	if err != nil {
		return nil, err
	}
	to, err := repo.ResolveCommit(ctx, cmpOr(opts.To, "HEAD"))
	if err != nil {
		return nil, err
	}
	return append(log, "--end-of-options", from+".."+to, "--"), nil
}

// prSecrets checks the commits of a pull request (BaseSHA..HeadSHA) for
// secrets: each is an error of the check. A gitleaks config that cannot
// be used, or a failed scan, is a note and a warning: the rest of the
// check still stands, and says the secrets were not checked.
func prSecrets(ctx context.Context, repo *git.Repo, opt PROptions, rep *PRReport) {
	sr, err := ScanSecrets(ctx, repo, SecretsOptions{From: opt.BaseSHA, To: opt.HeadSHA})
	if err != nil {
		rep.Notes = append(rep.Notes, "secrets not checked: "+err.Error())
		rep.Warnings++
		return
	}
	rep.Secrets = sr.Findings
	rep.Errors += len(sr.Findings)
}
