package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes findings as GitHub-flavoured Markdown for a job summary
// or a pull-request comment: one table row per finding as it comes, then
// a verdict line. Every piece of untrusted text (headers, messages, paths)
// is escaped so it cannot turn into Markdown, HTML or a mention-like link.
type Markdown struct {
	w       errWriter
	rng     bool
	started bool
}

// NewMarkdown returns a markdown writer on w.
func NewMarkdown(w io.Writer) *Markdown { return &Markdown{w: errWriter{w: w}} }

// Begin starts the stream; it writes nothing.
func (m *Markdown) Begin(r Run) error {
	m.rng = r.Range
	return m.w.err
}

// Write adds one row per finding, writing the table's head first.
func (m *Markdown) Write(e Entry) error {
	for _, f := range e.Findings {
		if !m.started {
			m.w.WriteString("| where | level | rule | finding |\n| --- | --- | --- | --- |\n")
			m.started = true
		}
		where := ""
		switch {
		case e.Source == SourceCommit:
			where = "`" + codeSpan(e.Short()) + "` " + EscapeMarkdown(e.Header)
		case e.File != "":
			where = "`" + codeSpan(e.File) + "`"
		case f.Title != "":
			// A message that is no commit and no file is named by its
			// finding's title ("PR title: type-enum").
			where = EscapeMarkdown(f.Title)
		}
		if f.Line > 0 {
			where = strings.TrimSpace(fmt.Sprintf("%s %d:%d", where, f.Line, f.Column))
		}
		rule := "`" + codeSpan(f.Rule) + "`"
		if f.URL != "" {
			rule = "[" + rule + "](" + markdownURL(f.URL) + ")"
		}
		text := EscapeMarkdown(f.Message)
		if f.Fix != "" {
			text += "<br>fix: " + EscapeMarkdown(f.Fix)
		}
		fmt.Fprintf(&m.w, "| %s | %s | %s | %s |\n", where, markdownLevel(f.Level), rule, text)
	}
	return m.w.err
}

// End writes the verdict, or that the stream broke.
func (m *Markdown) End(s Summary, err error) error {
	if m.started {
		m.w.WriteString("\n")
	}
	switch {
	case err != nil:
		fmt.Fprintf(&m.w, "⚠️ stopped: %s\n", EscapeMarkdown(err.Error()))
	case !m.rng && s.Errors+s.Warnings == 0:
		m.w.WriteString("✅ no problems\n")
	case !m.rng:
		fmt.Fprintf(&m.w, "%s %s\n", verdictIcon(s), Counts(s.Errors, s.Warnings))
	case s.Bad == 0:
		fmt.Fprintf(&m.w, "✅ %d %s in `%s`: no problems\n", s.Count, Plural(s.Count, "commit", "commits"), codeSpan(s.Range))
	default:
		fmt.Fprintf(&m.w, "%s %d of %d %s in `%s` with problems: %s\n", verdictIcon(s), s.Bad, s.Count,
			Plural(s.Count, "commit", "commits"), codeSpan(s.Range), Counts(s.Errors, s.Warnings))
	}
	return m.w.err
}

func verdictIcon(s Summary) string {
	if s.Errors > 0 {
		return "❌"
	}
	return "⚠️"
}

func markdownLevel(l Level) string {
	switch l {
	case Error:
		return "❌ error"
	case Warning:
		return "⚠️ warning"
	default:
		return "ℹ️ info"
	}
}

var (
	markdownEscaper = strings.NewReplacer(
		`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
		"<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`, "@", "@\u200b", "\r", "", "\n", " ",
	)
	codeSpanEscaper = strings.NewReplacer("`", "'", "|", `\|`, "\n", " ", "\r", "")
)

// EscapeMarkdown keeps untrusted text (commit headers, messages, branch
// names) from turning into Markdown or HTML, or pinging someone (a
// zero-width space follows every @), on one line of a table cell.
func EscapeMarkdown(s string) string { return markdownEscaper.Replace(Visible(s)) }

// codeSpan makes s safe inside a one-backtick code span in a table cell.
func codeSpan(s string) string { return codeSpanEscaper.Replace(Visible(s)) }

// markdownURL keeps a link target from closing the link or the cell.
func markdownURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "|", "%7C", "<", "%3C", ">", "%3E").Replace(u)
}
