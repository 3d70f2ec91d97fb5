// Package report is shipflow's one model of findings and its writers, one
// file per output format: text, json, github (workflow-command
// annotations), sarif (SARIF 2.1.0), markdown (job summary, PR comment) and
// junit. It is for the CLI and the Actions adapter, which only pick a
// writer; operations produce the entries.
//
// Writers stream: Begin, then one Write per checked subject (a message, a
// commit, a file) with its findings, then End. A writer keeps at most a
// few bytes per rule, so a range of 100k commits is written with flat
// memory.
//
// A new format is one file here plus its golden tests in testdata; a new
// rule never touches a writer (its description comes from commitlint's
// rule table through commitlint.RuleDoc).
package report

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shipflow/shipflow/commitlint"
)

// Source is the kind of thing a finding is about.
type Source int

// Sources of findings.
const (
	// SourceMessage is a commit message with no commit yet and no file
	// (stdin, --message, a PR title).
	SourceMessage Source = iota
	// SourceCommit is a commit of the repository, named by its sha.
	SourceCommit
	// SourceFile is a file, named by its path (a message file given to
	// the commit-msg hook, a config file).
	SourceFile
)

// String returns "message", "commit" or "file".
func (s Source) String() string {
	switch s {
	case SourceCommit:
		return "commit"
	case SourceFile:
		return "file"
	default:
		return "message"
	}
}

// Level is a finding's severity.
type Level int

// Levels, mildest first.
const (
	Info Level = iota
	Warning
	Error
)

// String returns "info", "warning" or "error".
func (l Level) String() string {
	switch l {
	case Warning:
		return "warning"
	case Error:
		return "error"
	default:
		return "info"
	}
}

// Finding is one problem, placed on its source.
type Finding struct {
	// Source says whether Commit or File names the place (neither for a
	// message).
	Source Source
	// Commit is the full sha of the commit, for SourceCommit.
	Commit string
	// File is the path of the file, as given, for SourceFile.
	File string
	// Line and Column are 1-based; 0 when unknown. Columns count
	// characters (Unicode code points). EndLine is the last line of a
	// finding that spans several (a failed test's output), or 0.
	Line, Column, EndLine int
	// Title heads the finding in annotations ("shipflow next",
	// "feature/x [branch-flow]"); empty means one made of the rule and
	// the commit, as commit lint titles its findings.
	Title string
	// Rule is the rule's name ("type-enum").
	Rule string
	// Level is the severity.
	Level Level
	// Message says what is wrong, naming the bad value.
	Message string
	// Fix says how to fix it, or is empty.
	Fix string
	// URL links the rule's documentation, or is empty.
	URL string
}

// Entry is one checked subject — a message, a commit or a file — with its
// findings, in the order a writer receives them. Entries without findings
// are written too: the json and junit writers list every subject.
type Entry struct {
	// Source, Commit and File name the subject, as in Finding.
	Source Source
	Commit string
	File   string
	// Text is the subject's text (the raw message), from which the text
	// writer quotes the line of a finding.
	Text string
	// Header is the message's first line.
	Header string
	// Type, Scope and Breaking are the parsed Conventional Commits header.
	Type, Scope string
	Breaking    bool
	// Ignored is true when the message matched an ignore pattern and was
	// not linted.
	Ignored bool
	// Findings are the problems, in the order of the text.
	Findings []Finding
}

// Short returns the commit's sha cut to 7 characters, as git log --oneline.
func (e *Entry) Short() string {
	if len(e.Commit) > 7 {
		return e.Commit[:7]
	}
	return e.Commit
}

// Counts returns the number of error and warning findings.
func (e *Entry) Counts() (errs, warns int) {
	for _, f := range e.Findings {
		switch f.Level {
		case Error:
			errs++
		case Warning:
			warns++
		}
	}
	return errs, warns
}

// Run says what a stream of entries is.
type Run struct {
	// Range is true for the commits of a range, false for one message.
	Range bool
}

// Summary closes a stream with totals.
type Summary struct {
	// Range is the git range that was read ("v1.2.0..HEAD"), for a range.
	Range string
	// Count is the number of entries written (ignored ones included);
	// Bad is how many of them had findings.
	Count, Bad int
	// Errors and Warnings count findings over all entries.
	Errors, Warnings int
}

// Writer renders a stream of entries in one format.
//
// Begin comes first, then Write once per entry, then End exactly once. End
// with a non-nil err means the stream broke (git failed half way): the
// writer then closes what it opened so the output stays a valid document
// where the format has one, and says it failed. The Summary given with an
// err is ignored. Methods return the first error of the underlying
// io.Writer.
type Writer interface {
	Begin(Run) error
	Write(Entry) error
	End(Summary, error) error
}

// LintEntry turns commitlint's result for one message into an entry of
// source src: sha names a SourceCommit, file a SourceFile.
func LintEntry(src Source, sha, file string, res commitlint.Result) Entry {
	e := Entry{Source: src, Commit: sha, File: file, Ignored: res.Ignored}
	if c := res.Commit; c != nil {
		e.Text, e.Header = c.Raw, c.Header
		e.Type, e.Scope, e.Breaking = c.Type, c.Scope, c.Breaking
	}
	if len(res.Findings) > 0 {
		e.Findings = make([]Finding, len(res.Findings))
		for i, f := range res.Findings {
			lvl := Info
			switch f.Level {
			case commitlint.Error:
				lvl = Error
			case commitlint.Warning:
				lvl = Warning
			}
			e.Findings[i] = Finding{
				Source: src, Commit: sha, File: file,
				Line: f.Line, Column: f.Column, Rule: f.Rule, Level: lvl,
				Message: f.Message, Fix: f.Fix, URL: f.URL,
			}
		}
	}
	return e
}

// ruleDescription is a rule's short description from commitlint's rule
// table, or a generic one for a rule it does not know.
func ruleDescription(rule string) string {
	if d := commitlint.RuleDoc(rule); d != "" {
		return d
	}
	return "commitlint rule " + rule
}

// Visible replaces control characters (other than tab and newline) with a
// visible stand-in of the same width: U+2400..U+241F and U+2421 for C0 and
// DEL, U+FFFD for C1. Commit messages come from anyone; an escape sequence
// in one must not drive the terminal that lints it.
func Visible(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r <= 0x9f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r < 0x20:
			return 0x2400 + r
		case r == 0x7f:
			return 0x2421
		case r >= 0x80 && r <= 0x9f:
			return utf8.RuneError
		}
		return r
	}, s)
}

// Plural returns one when n is 1, else many.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errWriter remembers the first write error so writers can write without
// checking each call and report it once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

func (e *errWriter) WriteString(s string) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := io.WriteString(e.w, s)
	if err != nil {
		e.err = err
	}
	return n, err
}

// Loose is the entry of one finding that stands alone (a warning of a
// plan, a branch rule broken): a subject with that one finding.
func Loose(f Finding) Entry {
	return Entry{Source: f.Source, Commit: f.Commit, File: f.File, Findings: []Finding{f}}
}
