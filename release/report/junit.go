package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit writes a JUnit XML report, the format CI test-report viewers read:
// one testcase per entry (a commit, a message), failing with its error
// findings; warnings go to the testcase's system-out and an ignored
// message is skipped.
//
// The testsuite carries no tests/failures counts: they are known only at
// the end, and writing them first would mean holding every testcase in
// memory. Readers (Jenkins, GitLab, dorny/test-reporter) count the
// testcases themselves.
type JUnit struct {
	w       errWriter
	name    string
	started bool
}

// NewJUnit returns a junit writer on w whose testsuite is called name
// ("shipflow lint").
func NewJUnit(w io.Writer, name string) *JUnit { return &JUnit{w: errWriter{w: w}, name: name} }

// Begin writes the document's head.
func (j *JUnit) Begin(Run) error {
	if !j.started {
		j.started = true
		fmt.Fprintf(&j.w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"%s\">\n  <testsuite name=\"%s\">\n", xmlEscape(j.name), xmlEscape(j.name))
	}
	return j.w.err
}

// Write writes one testcase.
func (j *JUnit) Write(e Entry) error {
	name := e.Header
	switch {
	case e.Source == SourceCommit:
		name = e.Short() + " " + e.Header
	case e.File != "":
		name = e.File
	}
	fmt.Fprintf(&j.w, "    <testcase classname=\"%s\" name=\"%s\"", e.Source, xmlEscape(name))
	if e.Ignored {
		j.w.WriteString(">\n      <skipped message=\"ignored\"></skipped>\n    </testcase>\n")
		return j.w.err
	}
	if len(e.Findings) == 0 {
		j.w.WriteString("></testcase>\n")
		return j.w.err
	}
	j.w.WriteString(">\n")
	var fails, other strings.Builder
	var first *Finding
	for i, f := range e.Findings {
		b := &other
		if f.Level == Error {
			b = &fails
			if first == nil {
				first = &e.Findings[i]
			}
		}
		fmt.Fprintf(b, "%d:%d: %s: %s [%s]\n", f.Line, f.Column, f.Level, f.Message, f.Rule)
		if f.Fix != "" {
			fmt.Fprintf(b, "    fix: %s\n", f.Fix)
		}
		if f.URL != "" {
			fmt.Fprintf(b, "    help: %s\n", f.URL)
		}
	}
	if first != nil {
		fmt.Fprintf(&j.w, "      <failure type=\"%s\" message=\"%s\">%s</failure>\n", xmlEscape(first.Rule), xmlEscape(first.Message), xmlText(fails.String()))
	}
	if other.Len() > 0 {
		fmt.Fprintf(&j.w, "      <system-out>%s</system-out>\n", xmlText(other.String()))
	}
	j.w.WriteString("    </testcase>\n")
	return j.w.err
}

// End closes the document; a broken stream adds a testcase in error.
func (j *JUnit) End(_ Summary, err error) error {
	j.Begin(Run{})
	if err != nil {
		fmt.Fprintf(&j.w, "    <testcase classname=\"shipflow\" name=\"%s\">\n      <error message=\"%s\"></error>\n    </testcase>\n", xmlEscape(j.name), xmlEscape(err.Error()))
	}
	j.w.WriteString("  </testsuite>\n</testsuites>\n")
	return j.w.err
}

// xmlEscape escapes text for an attribute or element; characters XML
// cannot hold become U+FFFD.
func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(Visible(s)))
	return b.String()
}

// xmlText is xmlEscape for element content, where a newline can stay one.
func xmlText(s string) string { return strings.ReplaceAll(xmlEscape(s), "&#xA;", "\n") }
