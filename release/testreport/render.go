package testreport

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"
)

// TextOptions tune WriteText.
type TextOptions struct {
	// Slowest is how many of the slowest tests to list; 0 lists none.
	Slowest int
	// OutputLines is how many lines of each failure's output to show under
	// its message; 0 shows none (the output was already streamed live).
	OutputLines int
}

// WriteText writes the report for a terminal: each failure with its
// location and message, the slowest tests, and a closing count line.
func WriteText(w io.Writer, r *Report, opt TextOptions) error {
	ew := &errWriter{w: w}
	fails := r.Failures()
	if len(fails) > 0 {
		ew.printf("\nFailed tests:\n")
	}
	for _, c := range fails {
		ew.printf("--- FAIL: %s", c.Title())
		if c.Duration > 0 {
			ew.printf(" (%s)", fmtDuration(c.Duration))
		}
		ew.printf("\n")
		loc := c.Location()
		for i, line := range strings.Split(cmpOr(c.Message, "(no message)"), "\n") {
			switch {
			case i == 0 && loc != "":
				ew.printf("    %s: %s\n", loc, line)
			case i == 0:
				ew.printf("    %s\n", line)
			default:
				ew.printf("        %s\n", line)
			}
		}
		if opt.OutputLines > 0 && c.Output != "" {
			lines := strings.Split(strings.TrimRight(c.Output, "\n"), "\n")
			if len(lines) > opt.OutputLines {
				ew.printf("        [... %d lines omitted ...]\n", len(lines)-opt.OutputLines)
				lines = lines[len(lines)-opt.OutputLines:]
			}
			for _, l := range lines {
				ew.printf("        | %s\n", l)
			}
		}
	}
	if slow := r.Slowest(opt.Slowest); len(slow) > 0 && slow[0].Duration > 0 {
		ew.printf("\nSlowest tests:\n")
		for _, c := range slow {
			ew.printf("  %8s  %s\n", fmtDuration(c.Duration), c.Title())
		}
	}
	for _, w := range r.Warnings {
		ew.printf("\nwarning: %s\n", w)
	}
	n := r.Counts()
	verdict := "PASS"
	switch {
	case r.Interrupted != "":
		verdict = "INTERRUPTED"
		ew.printf("\nThe run was interrupted (%s): these are the results read until then.\n", r.Interrupted)
	case !r.Passed():
		verdict = "FAIL"
	}
	ew.printf("\n%s: %d passed, %d failed, %d skipped in %s", verdict, n.Passed, n.Failed, n.Skipped, fmtDuration(r.Duration))
	if r.ExitCode > 0 {
		ew.printf(" (exit status %d)", r.ExitCode)
	}
	ew.printf("\n")
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + "s"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	}
	return d.Round(time.Second).String()
}

// WriteJSON writes the report as one JSON object: the Report's fields plus
// "passed" and "counts". It streams: each case is encoded on its own, so
// 100k cases are not first built into one document and then indented.
func WriteJSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	// The fields before "cases", then the cases, then those after, in the
	// order encoding the whole struct would give.
	head, err := json.MarshalIndent(struct {
		Passed   bool          `json:"passed"`
		Counts   Counts        `json:"counts"`
		Command  []string      `json:"command,omitempty"`
		ExitCode int           `json:"exit_code"`
		Duration time.Duration `json:"duration"`
		Suites   []Suite       `json:"suites,omitempty"`
	}{r.Passed(), r.Counts(), r.Command, r.ExitCode, r.Duration, r.Suites}, "", "  ")
	if err != nil {
		return err
	}
	bw.Write(bytes.TrimSuffix(head, []byte("\n}")))
	bw.WriteString(",\n  \"cases\": ")
	switch {
	case r.Cases == nil:
		bw.WriteString("null")
	case len(r.Cases) == 0:
		bw.WriteString("[]")
	default:
		bw.WriteString("[")
		for i, c := range r.Cases {
			b, err := json.MarshalIndent(c, "    ", "  ")
			if err != nil {
				return err
			}
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			bw.Write(b)
		}
		bw.WriteString("\n  ]")
	}
	tail, err := json.MarshalIndent(struct {
		Output      string   `json:"output,omitempty"`
		Interrupted string   `json:"interrupted,omitempty"`
		Warnings    []string `json:"warnings,omitempty"`
	}{r.Output, r.Interrupted, r.Warnings}, "", "  ")
	if err != nil {
		return err
	}
	if string(tail) != "{}" {
		bw.WriteString(",")
		bw.Write(bytes.TrimSuffix(bytes.TrimPrefix(tail, []byte("{")), []byte("\n}")))
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// Annotation is one failure to show on a file and line of a pull request.
type Annotation struct {
	// Level is "error" or "warning".
	Level string `json:"level"`
	// File is repository-relative; "" annotates the run, not a file.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// maxAnnotationMessage bounds an annotation's message; GitHub's check-run
// API takes at most 64 KB per annotation message.
const maxAnnotationMessage = 4000

// Annotations lists one error annotation per failure (see Report.Failures)
// and one warning annotation per warning. Package release turns them into
// release/report findings (release.TestFindings), which both faces of
// shipflow write as workflow commands.
func Annotations(r *Report) []Annotation {
	var out []Annotation
	for _, w := range r.Warnings {
		out = append(out, Annotation{Level: "warning", Title: "shipflow test", Message: truncate(w, maxAnnotationMessage)})
	}
	for _, c := range r.Failures() {
		msg := c.Message
		if msg == "" {
			msg = lastLines(c.Output, 10)
		}
		out = append(out, Annotation{
			Level:   "error",
			File:    c.File,
			Line:    c.Line,
			Title:   "FAIL: " + c.Title(),
			Message: truncate(cmpOr(msg, "failed"), maxAnnotationMessage),
		})
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// The replacers are built once: building one per call was most of the
// cost of rendering thousands of failures.
var (
	// html.EscapeString's replacements and the Markdown ones in one pass:
	// no replacement's output holds another's key, so it is the same as
	// escaping HTML first.
	cellEscaper = strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", "'", "&#39;", `"`, "&#34;",
		"|", `\|`, "\r", "", "\n", "<br>", "`", "&#96;", "*", `\*`, "_", `\_`, "[", `\[`)
	textEscaper = strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", "*", `\*`, "_", `\_`, "`", "&#96;", "[", `\[`, "\n", " ")
)

// SummaryLimit is the default size cap of WriteSummary: GitHub rejects a
// step summary over 1 MiB, and a little room is left for others writing to
// the same step's summary.
// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#step-isolation-and-limits
const SummaryLimit = 1<<20 - 16<<10

// CheckRunSummaryLimit is the size cap for a check run's output summary
// (65,535 characters).
const CheckRunSummaryLimit = 65535

// SummaryOptions tune WriteSummary.
type SummaryOptions struct {
	// Title heads the summary; the default is "Test results".
	Title string
	// Slowest is how many of the slowest tests to list; 0 lists none.
	Slowest int
	// MaxBytes caps the summary's size; 0 means SummaryLimit.
	MaxBytes int
}

// maxCell bounds one table cell of the summary.
const maxCell = 500

// WriteSummary writes the report as GitHub-flavoured Markdown: the counts,
// every failure (test, location, message) and, space allowing, their output
// and the slowest tests — never more than opt.MaxBytes bytes. Failures that
// do not fit are counted in a closing line.
func WriteSummary(w io.Writer, r *Report, opt SummaryOptions) error {
	limit := opt.MaxBytes
	if limit <= 0 {
		limit = SummaryLimit
	}
	const reserve = 200 // for the closing "not shown" line
	var b strings.Builder
	n := r.Counts()
	mark, verdict := "✅", "passed"
	switch {
	case r.Interrupted != "":
		mark, verdict = "❌", "interrupted"
	case !r.Passed():
		mark, verdict = "❌", "failed"
	}
	title := cmpOr(opt.Title, "Test results")
	fmt.Fprintf(&b, "### %s %s: %s\n\n", mark, mdText(title), verdict)
	fmt.Fprintf(&b, "| Passed | Failed | Skipped | Duration |\n|---:|---:|---:|---:|\n| %d | %d | %d | %s |\n\n",
		n.Passed, n.Failed, n.Skipped, fmtDuration(r.Duration))
	if r.Interrupted != "" {
		fmt.Fprintf(&b, "The run was interrupted (%s): these are the results read until then.\n\n", mdText(r.Interrupted))
	}
	if r.ExitCode > 0 {
		fmt.Fprintf(&b, "The test command exited with status %d.\n\n", r.ExitCode)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "> [!WARNING]\n> %s\n\n", mdText(w))
	}
	fails := r.Failures()
	shown := 0
	if len(fails) > 0 {
		b.WriteString("#### Failed tests\n\n| Test | Location | Message |\n|---|---|---|\n")
		for _, c := range fails {
			row := "| " + mdCell(c.Title()) + " | " + mdCode(c.Location()) + " | " + mdCell(c.Message) + " |\n"
			if b.Len()+len(row)+reserve > limit {
				break
			}
			b.WriteString(row)
			shown++
		}
		b.WriteString("\n")
		for _, c := range fails[:shown] {
			room := limit - reserve - b.Len()
			if room < len(detailsBlock("", "")) {
				break // full: rendering the rest only to drop it costs as much again
			}
			if c.Output == "" {
				continue
			}
			// Escaping never shortens, so output longer than the room
			// cannot fit: skip rendering it.
			out := c.Output
			if len(out) >= room {
				// Try the tail of the output before giving up on it.
				if out = lastLines(out, 40); len(out) >= room {
					continue
				}
			}
			block := detailsBlock(c.Title(), out)
			if len(block) > room && out == c.Output {
				out = lastLines(out, 40)
				block = detailsBlock(c.Title(), out)
			}
			if len(block) > room {
				continue
			}
			b.WriteString(block)
		}
	}
	if slow := r.Slowest(opt.Slowest); len(slow) > 0 && slow[0].Duration > 0 {
		var s strings.Builder
		s.WriteString("#### Slowest tests\n\n| Test | Duration |\n|---|---:|\n")
		for _, c := range slow {
			fmt.Fprintf(&s, "| %s | %s |\n", mdCell(c.Title()), fmtDuration(c.Duration))
		}
		s.WriteString("\n")
		if b.Len()+s.Len()+reserve <= limit {
			b.WriteString(s.String())
		}
	}
	if left := len(fails) - shown; left > 0 {
		fmt.Fprintf(&b, "%d more failed tests are not shown: the summary is limited to %d bytes. See the job log.\n", left, limit)
	}
	out := b.String()
	if len(out) > limit { // only when limit is smaller than the header
		out = truncate(out, limit-len("…"))
	}
	_, err := io.WriteString(w, out)
	return err
}

// mdCell makes text safe for one Markdown table cell: HTML-escaped, pipes
// escaped, newlines as <br>, length bounded.
func mdCell(s string) string {
	return cellEscaper.Replace(truncate(strings.TrimSpace(s), maxCell))
}

// mdCode renders s as inline code for a table cell, or "" for "".
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	return "<code>" + html.EscapeString(strings.ReplaceAll(s, "|", "&#124;")) + "</code>"
}

// mdText escapes text for a Markdown heading.
func mdText(s string) string {
	return textEscaper.Replace(s)
}

func detailsBlock(title, output string) string {
	return "<details><summary>" + html.EscapeString(title) + "</summary>\n\n<pre>" +
		html.EscapeString(strings.TrimRight(output, "\n")) + "</pre>\n</details>\n\n"
}

// WriteJUnit writes the report as JUnit XML, one <testsuite> per suite in
// order of first appearance, with file and line attributes on failures.
func WriteJUnit(w io.Writer, r *Report) error {
	type problem struct {
		Message string `xml:"message,attr,omitempty"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",cdata"`
	}
	type tcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      string   `xml:"time,attr"`
		File      string   `xml:"file,attr,omitempty"`
		Line      int      `xml:"line,attr,omitempty"`
		Failure   *problem `xml:"failure,omitempty"`
		Skipped   *problem `xml:"skipped,omitempty"`
	}
	type tsuite struct {
		Name     string  `xml:"name,attr"`
		Tests    int     `xml:"tests,attr"`
		Failures int     `xml:"failures,attr"`
		Errors   int     `xml:"errors,attr"`
		Skipped  int     `xml:"skipped,attr"`
		Time     string  `xml:"time,attr"`
		Cases    []tcase `xml:"testcase"`
	}
	type tsuites struct {
		XMLName  xml.Name  `xml:"testsuites"`
		Tests    int       `xml:"tests,attr"`
		Failures int       `xml:"failures,attr"`
		Errors   int       `xml:"errors,attr"`
		Skipped  int       `xml:"skipped,attr"`
		Time     string    `xml:"time,attr"`
		Suites   []*tsuite `xml:"testsuite"`
	}
	secs := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }
	doc := tsuites{Time: secs(r.Duration)}
	bySuite := map[string]*tsuite{}
	for _, s := range r.Suites {
		if bySuite[s.Name] == nil {
			bySuite[s.Name] = &tsuite{Name: s.Name, Time: secs(s.Duration)}
			doc.Suites = append(doc.Suites, bySuite[s.Name])
		}
	}
	for _, c := range r.Cases {
		s := bySuite[c.Suite]
		if s == nil {
			s = &tsuite{Name: c.Suite, Time: secs(0)}
			bySuite[c.Suite] = s
			doc.Suites = append(doc.Suites, s)
		}
		tc := tcase{Name: cmpOr(c.Name, "(suite)"), Classname: c.Suite, Time: secs(c.Duration), File: c.File, Line: c.Line}
		switch c.Status {
		case Failed:
			tc.Failure = &problem{Message: c.Message, Type: "failure", Text: xmlSafe(c.Output)}
			s.Failures++
		case Skipped:
			tc.Skipped = &problem{Message: c.Message}
			s.Skipped++
		}
		s.Tests++
		s.Cases = append(s.Cases, tc)
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JUnit XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// xmlSafe drops characters XML 1.0 cannot carry (test output may hold any
// byte), which encoding/xml would otherwise replace silently or reject.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}
