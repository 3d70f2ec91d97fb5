package report

import (
	"cmp"
	"fmt"
	"io"
	"strings"
)

// GitHub writes findings as GitHub Actions workflow commands
// (`::error file=F,line=L,col=C,title=T::message`), which the runner turns
// into annotations. Messages and properties are escaped as the Actions
// toolkit does, so a commit message cannot end the command or forge
// another one. A commit of a range has no file: its short sha and header
// lead the message and name the title.
type GitHub struct {
	w errWriter
}

// NewGitHub returns a github writer on w.
func NewGitHub(w io.Writer) *GitHub { return &GitHub{w: errWriter{w: w}} }

// Begin starts the stream; it writes nothing.
func (g *GitHub) Begin(Run) error { return g.w.err }

// Write writes one workflow command per finding.
func (g *GitHub) Write(e Entry) error {
	for _, f := range e.Standalone() {
		title := f.Title
		props := make([]string, 0, 5)
		if f.File != "" {
			props = append(props, "file="+EscapeProperty(f.File))
		}
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line))
			if f.EndLine > f.Line {
				props = append(props, fmt.Sprintf("endLine=%d", f.EndLine))
			}
		}
		if f.Column > 0 {
			props = append(props, fmt.Sprintf("col=%d", f.Column))
		}
		if title != "" {
			props = append(props, "title="+EscapeProperty(title))
		}
		msg := f.Message
		if f.Fix != "" {
			msg += "\n" + f.Fix
		}
		cmd := githubCommand(f.Level)
		if len(props) > 0 {
			cmd += " " + strings.Join(props, ",")
		}
		fmt.Fprintf(&g.w, "::%s::%s\n", cmd, EscapeData(Visible(msg)))
	}
	return g.w.err
}

// Standalone returns e's findings as the github writer writes them, each
// carrying what it takes from e: the file, a title ("commit 1a2b3c4:
// type-enum" in a range, "commitlint type-enum" for one message) and, for a
// commit, the short sha and header leading the message. Writing Loose(f)
// for each prints the same workflow commands as writing e, which is how
// the Actions annotate what the CLI writes with --format github.
func (e *Entry) Standalone() []Finding {
	out := make([]Finding, len(e.Findings))
	for i, f := range e.Findings {
		f.File = cmp.Or(f.File, e.File)
		switch {
		case f.Title != "":
		case e.Source == SourceCommit:
			f.Title = "commit " + e.Short() + ": " + f.Rule
			f.Message = e.Short() + " " + e.Header + ": " + f.Message
		case f.Rule != "":
			f.Title = "commitlint " + f.Rule
		}
		out[i] = f
	}
	return out
}

// End ends the stream; it writes nothing.
func (g *GitHub) End(Summary, error) error { return g.w.err }

// githubCommand is the workflow command of a level.
func githubCommand(l Level) string {
	switch l {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "notice"
	}
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// EscapeData escapes a workflow command's message as the runner expects
// (actions/toolkit packages/core/src/command.ts escapeData).
func EscapeData(s string) string { return dataEscaper.Replace(s) }

// EscapeProperty escapes a workflow command property (escapeProperty).
func EscapeProperty(s string) string { return propertyEscaper.Replace(s) }
