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
	for _, f := range e.Findings {
		title := f.Title
		switch {
		case title != "":
		case e.Source == SourceCommit:
			title = "commit " + e.Short() + ": " + f.Rule
		case f.Rule != "":
			title = "commitlint " + f.Rule
		}
		props := make([]string, 0, 5)
		if file := cmp.Or(f.File, e.File); file != "" {
			props = append(props, "file="+EscapeProperty(file))
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
		if e.Source == SourceCommit && f.Title == "" {
			msg = e.Short() + " " + e.Header + ": " + msg
		}
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
