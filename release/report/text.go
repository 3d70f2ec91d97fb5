package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Text writes findings for people at a terminal, as compilers do:
// `line:col: message [rule]`, the line quoted with a caret under the
// column, the fix and the help URL. In a range each bad commit gets a line
// naming it (`1a2b3c4: header`) and its findings are indented; the stream
// ends with a one-line verdict. Control characters are made visible.
type Text struct {
	w     errWriter
	rng   bool
	lines []string
}

// NewText returns a text writer on w.
func NewText(w io.Writer) *Text { return &Text{w: errWriter{w: w}} }

// Begin starts the stream.
func (t *Text) Begin(r Run) error {
	t.rng = r.Range
	return t.w.err
}

// Write prints the entry's findings; a clean entry prints nothing.
func (t *Text) Write(e Entry) error {
	if len(e.Findings) == 0 {
		return t.w.err
	}
	if t.rng {
		fmt.Fprintf(&t.w, "%s: %s\n", e.Short(), Visible(e.Header))
		WriteTextFindings(&t.w, "  ", "  ", e)
		return t.w.err
	}
	prefix := ""
	if e.File != "" {
		prefix = filepath.ToSlash(e.File) + ":"
	}
	WriteTextFindings(&t.w, prefix, "", e)
	errs, warns := e.Counts()
	fmt.Fprintf(&t.w, "✖ %s\n", Counts(errs, warns))
	return t.w.err
}

// End prints a range's verdict; one message has none, and a broken stream
// prints nothing (the caller reports the error).
func (t *Text) End(s Summary, err error) error {
	if err != nil || !t.rng {
		return t.w.err
	}
	commits := Plural(s.Count, "commit", "commits")
	if s.Bad == 0 {
		fmt.Fprintf(&t.w, "✔ %d %s in %s: no problems\n", s.Count, commits, s.Range)
	} else {
		fmt.Fprintf(&t.w, "✖ %d of %d %s in %s with problems: %s\n", s.Bad, s.Count, commits, s.Range, Counts(s.Errors, s.Warnings))
	}
	return t.w.err
}

// Counts returns "N errors, M warnings".
func Counts(errs, warns int) string {
	return fmt.Sprintf("%d %s, %d %s", errs, Plural(errs, "error", "errors"), warns, Plural(warns, "warning", "warnings"))
}

// WriteTextFindings prints e's findings as the text writer does, each line
// starting with prefix and the quoted line, caret, fix and help with
// indent. Verbs that compose their own text output (shipflow pr) use it.
func WriteTextFindings(w io.Writer, prefix string, indent string, e Entry) {
	lines := strings.Split(e.Text, "\n")
	for _, f := range e.Findings {
		level := ""
		if f.Level == Warning {
			level = "warning: "
		}
		fmt.Fprintf(w, "%s%d:%d: %s%s [%s]\n", prefix, f.Line, f.Column, level, Visible(f.Message), f.Rule)
		if f.Line >= 1 && f.Line <= len(lines) {
			src := lines[f.Line-1]
			if utf8.RuneCountInString(src) > 200 {
				src = string([]rune(src)[:200]) + "…"
			}
			fmt.Fprintf(w, "%s    %s\n", indent, Visible(src))
			if f.Column >= 1 {
				fmt.Fprintf(w, "%s    %s^\n", indent, pad(lines[f.Line-1], f.Column-1))
			}
		}
		if f.Fix != "" {
			fmt.Fprintf(w, "%s    fix: %s\n", indent, Visible(f.Fix))
		}
		if f.URL != "" {
			fmt.Fprintf(w, "%s    help: %s\n", indent, f.URL)
		}
	}
}

// pad returns whitespace as wide as the first n characters of s, keeping
// tabs so the caret lines up.
func pad(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if n == 0 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n--
	}
	for ; n > 0; n-- {
		b.WriteByte(' ')
	}
	return b.String()
}
