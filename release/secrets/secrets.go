// Package secrets finds secrets in changes on their way into git: a
// staged change, the patches of a range of commits, a whole history. It
// is for shipflow's secrets operation (package release), which runs git
// and hands this package the patch stream.
//
// Content is checked by gitleaks' detector (github.com/zricethezav/
// gitleaks/v8) with its default rules, or the repository's .gitleaks.toml
// and its allowlists, and .gitleaksignore fingerprints: shipflow has no
// regular expressions of its own for secrets. What gitleaks does not judge
// by content is judged by name here: a committed .env (any .env, or
// .env.* but the .env.template and .env.example that document one) and
// an SSH private key file (id_rsa, id_ed25519, ...).
//
// A Finding never holds the secret, the matched text or its line: what
// this package returns cannot leak into a report.
package secrets

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gitleaks/go-gitdiff/gitdiff"
	"github.com/rs/zerolog"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/logging"
	"github.com/zricethezav/gitleaks/v8/report"
)

// Rules of shipflow's own, by file name.
const (
	// RuleEnvFile is a committed .env file.
	RuleEnvFile = "env-file"
	// RulePrivateKeyFile is a committed SSH private key file.
	RulePrivateKeyFile = "private-key-file"
)

// Kind says what a finding is about, which decides how to fix it.
type Kind int

// Kinds of findings.
const (
	// Content is a secret in a file's text, found by a gitleaks rule.
	Content Kind = iota
	// Path is a file that must not be committed at all, by its name.
	Path
	// Template is a secret-looking value in a .env.template or
	// .env.example, which should hold placeholders only.
	Template
)

// Finding is one secret, placed; it never holds the secret itself.
type Finding struct {
	// File is the slash-separated path in the work tree.
	File string
	// Line and Column are 1-based, where the secret starts in the file
	// as committed (staged).
	Line, Column int
	// Commit is the full sha of the commit that added it; empty for a
	// staged change.
	Commit string
	// Rule is gitleaks' rule id ("aws-access-token") or one of
	// shipflow's (RuleEnvFile, RulePrivateKeyFile).
	Rule string
	// Description is the rule's description ("AWS Access Key ...").
	Description string
	// Kind says whether content, a file name or a template is wrong.
	Kind Kind
}

// Scanner checks patches with one work tree's configuration. It is safe
// for concurrent use.
type Scanner struct {
	det *detect.Detector
	// mu guards det's findings list, which AddFinding (the only way to
	// apply .gitleaksignore) appends to.
	mu sync.Mutex
}

// quietOnce silences gitleaks' package logger (logging.Logger, a global
// console logger on stderr at info level): a library prints nothing, and
// its debug lines carry secrets.
var quietOnce sync.Once

// New returns a scanner for the work tree at root: its .gitleaks.toml
// (else gitleaks' default rules) and its .gitleaksignore, both read
// confined to root and capped in size. A config that cannot be used is a
// *ConfigError; a config or extend.path outside the tree is refused
// (repofs), as is extend.url.
func New(root string) (*Scanner, error) {
	quietOnce.Do(func() { logging.Logger = zerolog.Nop() })
	cfg, err := loadConfig(root)
	if err != nil {
		return nil, err
	}
	det := detect.NewDetector(cfg)
	// Redact everything gitleaks keeps, in case a finding ever reaches
	// a log; shipflow's Finding copies none of it anyway.
	det.Redact = 100
	det.MaxDecodeDepth = 5 // gitleaks' CLI default (--max-decode-depth)
	ign, cleanup, err := ignoreFile(root)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if ign != "" {
		if err := det.AddGitleaksIgnore(ign); err != nil {
			return nil, &ConfigError{File: IgnoreFile, Err: err}
		}
	}
	return &Scanner{det: det}, nil
}

// PathRule returns the rule a file's name breaks, or "" when it may be
// committed. Only the last element counts: a .env is refused in any
// directory.
func PathRule(name string) string {
	base := path.Base(name)
	switch {
	case base == ".env":
		return RuleEnvFile
	case strings.HasPrefix(base, ".env.") && !isTemplate(base):
		return RuleEnvFile
	}
	switch base {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk":
		return RulePrivateKeyFile
	}
	return ""
}

// isTemplate reports whether base names a .env template, which documents
// the variables with placeholder values.
func isTemplate(base string) bool {
	return base == ".env.template" || base == ".env.example"
}

// ScanPatch reads a patch stream — `git diff --cached -U0` or
// `git log -p -U0` output — and calls fn for each finding in the order
// of the stream: only what a patch adds is checked, so a secret is
// reported in the commit that brought it. fn's error stops the scan and is
// returned. The stream is always read to its end, so the process writing
// it never blocks.
func (s *Scanner) ScanPatch(ctx context.Context, r io.Reader, fn func(Finding) error) error {
	files, err := gitdiff.Parse(r)
	if err != nil {
		return fmt.Errorf("reading the patch: %w", err)
	}
	var stop error
	for f := range files {
		if stop != nil || f.IsDelete {
			continue // drain: the parser's goroutine sends every file
		}
		if err := ctx.Err(); err != nil {
			stop = err
			continue
		}
		for _, fd := range s.scanFile(ctx, f) {
			if err := fn(fd); err != nil {
				stop = err
				break
			}
		}
	}
	return stop
}

// scanFile returns the findings in one file of a patch.
func (s *Scanner) scanFile(ctx context.Context, f *gitdiff.File) []Finding {
	commit := ""
	if f.PatchHeader != nil {
		commit = f.PatchHeader.SHA
	}
	var out []Finding
	if rule := PathRule(f.NewName); rule != "" {
		desc := "a .env file holds the environment's secrets and stays out of git"
		if rule == RulePrivateKeyFile {
			desc = "an SSH private key file"
		}
		if s.keep(report.Finding{RuleID: rule, File: f.NewName, Commit: commit, StartLine: 1}) {
			out = append(out, Finding{File: f.NewName, Line: 1, Column: 1, Commit: commit, Rule: rule, Description: desc, Kind: Path})
		}
	}
	kind := Content
	if isTemplate(path.Base(f.NewName)) {
		kind = Template
	}
	for _, tf := range f.TextFragments {
		if tf == nil {
			continue
		}
		frag := detect.Fragment{
			Raw:       tf.Raw(gitdiff.OpAdd),
			FilePath:  f.NewName,
			CommitSHA: commit,
			StartLine: int(tf.NewPosition),
		}
		for _, gf := range s.det.DetectContext(ctx, frag) {
			if !s.keep(gf) {
				continue
			}
			out = append(out, Finding{
				File: f.NewName, Line: gf.StartLine, Column: column(frag, gf), Commit: commit,
				Rule: gf.RuleID, Description: gf.Description, Kind: kind,
			})
		}
	}
	// gitleaks runs its rules in map order: sort for a stable report.
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

// column returns the 1-based column, in characters, where a gitleaks
// finding starts. gitleaks counts bytes, and on every line of a fragment
// but the first it counts the newline before the line too
// (detect/location.go: start - prevNewLine + 1 with prevNewLine the
// newline's index).
func column(frag detect.Fragment, gf report.Finding) int {
	n := gf.StartLine - frag.StartLine // line within the fragment, 0-based
	byteCol := gf.StartColumn
	if n > 0 {
		byteCol--
	}
	lines := strings.SplitN(frag.Raw, "\n", n+2)
	if n < 0 || n >= len(lines) || byteCol < 1 || byteCol-1 > len(lines[n]) {
		return byteCol
	}
	return utf8.RuneCountInString(lines[n][:byteCol-1]) + 1
}

// keep reports whether a finding survives .gitleaksignore, whose
// fingerprints (file:rule:line, commit:file:rule:line) gitleaks applies
// in Detector.AddFinding.
func (s *Scanner) keep(f report.Finding) bool {
	// Only what the fingerprint needs: the secret stays out of the
	// detector's list.
	f = report.Finding{RuleID: f.RuleID, File: f.File, Commit: f.Commit, StartLine: f.StartLine}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.det.Findings())
	s.det.AddFinding(f)
	return len(s.det.Findings()) > n
}

// IsConfigError reports whether err is a gitleaks configuration that
// cannot be used.
func IsConfigError(err error) bool {
	var ce *ConfigError
	return errors.As(err, &ce)
}
