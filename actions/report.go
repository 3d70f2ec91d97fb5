package actions

import (
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/shipflow/shipflow/release/report"
)

// Level is an annotation's severity: release/report's levels, so an
// annotation is a finding of the one report model.
type Level = report.Level

// Annotation levels, mildest first.
const (
	Notice  = report.Info
	Warning = report.Warning
	Failure = report.Error
)

// checkLevel is the check-run annotation_level of l: "notice", "warning"
// or "failure".
func checkLevel(l Level) string {
	switch l {
	case Warning:
		return "warning"
	case Failure:
		return "failure"
	default:
		return "notice"
	}
}

// Annotation is one finding, placed on a file and line (File) or on
// nothing, for findings about a commit message or a branch name; Title
// heads it. Annotations are written by release/report's github writer, as
// `shipflow <verb> --format github` writes them, byte for byte.
type Annotation = report.Finding

// Conclusion is the overall outcome of a step, as a check run names it.
type Conclusion string

// Conclusions shipflow reports.
const (
	Success Conclusion = "success"
	Failed  Conclusion = "failure"
	Neutral Conclusion = "neutral"
	Skipped Conclusion = "skipped"
)

// Output is one step output.
type Output struct {
	Name, Value string
}

// Report is what a verb produced, ready to be written to the runner and to
// GitHub.
type Report struct {
	// Name is the check run's name ("shipflow next").
	Name string
	// Title is a one-line result ("next version: 1.3.0").
	Title string
	// Conclusion is the outcome; Failed makes the step fail.
	Conclusion Conclusion
	// Summary is Markdown for the job summary and the check run.
	Summary string
	// Annotations are the findings, in order of importance.
	Annotations []Annotation
	// SummaryListsFindings says Summary already lists every annotation
	// (a findings table): the job summary then counts the ones the log
	// could not show instead of listing them a second time.
	SummaryListsFindings bool
	// Outputs are set in order.
	Outputs []Output
}

// Counts returns the number of failure and warning annotations.
func (rep *Report) Counts() (failures, warnings int) {
	for _, a := range rep.Annotations {
		switch a.Level {
		case Failure:
			failures++
		case Warning:
			warnings++
		}
	}
	return failures, warnings
}

// Limits of the runner and the checks API.
const (
	// MaxStepAnnotations is how many annotations of each level (error,
	// warning, notice) the runner shows for one step; it drops the rest
	// ("docs: workflow commands, annotations limits": 10 error and 10
	// warning annotations per step).
	MaxStepAnnotations = 10
	// MaxCheckSummary is the longest check run output.summary, in
	// characters (the checks API rejects longer ones with 422).
	MaxCheckSummary = 65535
	// MaxCheckAnnotations is how many annotations one checks API request
	// may carry.
	MaxCheckAnnotations = 50
	// MaxStatusDescription is the longest commit status description.
	MaxStatusDescription = 140
	// MaxJobSummary is the runner's limit for one step's summary (1 MiB);
	// larger summaries are dropped with an error.
	MaxJobSummary = 1 << 20
)

// Annotate writes the report's annotations as workflow commands, through
// release/report's github writer: at most MaxStepAnnotations of each
// level, because the runner drops the rest. It returns the annotations it
// did not write, for the summary.
func (r *Runner) Annotate(anns []Annotation) (left []Annotation) {
	shown := map[Level]int{}
	gw := report.NewGitHub(r.log)
	for _, a := range anns {
		if shown[a.Level] >= MaxStepAnnotations {
			left = append(left, a)
			continue
		}
		shown[a.Level]++
		// A log that fails to take a line fails the step elsewhere; the
		// annotations are best effort, as the runner's own are.
		_ = gw.Write(report.Loose(a))
	}
	return left
}

// AppendSummary appends Markdown to the job summary (GITHUB_STEP_SUMMARY),
// cut to the runner's 1 MiB limit. Without GITHUB_STEP_SUMMARY (a local run)
// it does nothing.
func (r *Runner) AppendSummary(markdown string) error {
	path := r.getenv("GITHUB_STEP_SUMMARY")
	if path == "" || markdown == "" {
		return nil
	}
	// The limit is for everything one step writes, so count what is there.
	room := MaxJobSummary
	if fi, err := os.Stat(path); err == nil {
		room -= int(fi.Size())
	}
	markdown = r.red.String(markdown)
	if !strings.HasSuffix(markdown, "\n") {
		markdown += "\n"
	}
	markdown = truncateBytes(markdown, room, "\n\n_… summary cut at the runner's 1 MiB limit_\n")
	if markdown == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("writing the job summary: %w", err)
	}
	_, werr := f.WriteString(markdown)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("writing the job summary: %w", werr)
	}
	return nil
}

// Truncate cuts s to at most max characters, ending it with tail (which
// counts towards max) when it had to cut. It never splits a character.
func Truncate(s string, max int, tail string) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	keep := max - utf8.RuneCountInString(tail)
	if keep < 0 {
		keep = 0
	}
	n := 0
	for i := range s {
		if n == keep {
			return s[:i] + tail
		}
		n++
	}
	return s + tail
}

// truncateBytes cuts s to at most max bytes, ending it with tail when it
// had to cut, without splitting a character.
func truncateBytes(s string, max int, tail string) string {
	if len(s) <= max {
		return s
	}
	keep := max - len(tail)
	if keep < 0 {
		return ""
	}
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + tail
}

// SummaryMarkdown renders the job summary of rep: its summary, then the
// annotations the log could not show (left), with how many were left out
// of the log; only their number when the summary lists every finding.
func SummaryMarkdown(rep *Report, left []Annotation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", escapeMarkdown(rep.Name))
	if rep.Title != "" {
		fmt.Fprintf(&b, "%s %s\n\n", summaryIcon(rep), escapeMarkdown(rep.Title))
	}
	if rep.Summary != "" {
		b.WriteString(strings.TrimRight(rep.Summary, "\n"))
		b.WriteString("\n\n")
	}
	switch {
	case len(left) == 0:
	case rep.SummaryListsFindings:
		fmt.Fprintf(&b, "%d more %s than the log shows (the runner shows %d errors and %d warnings per step): the table above lists every one.\n",
			len(left), plural(len(left), "finding", "findings"), MaxStepAnnotations, MaxStepAnnotations)
	default:
		fmt.Fprintf(&b, "%d more %s than the log shows (the runner shows %d errors and %d warnings per step):\n\n",
			len(left), plural(len(left), "finding", "findings"), MaxStepAnnotations, MaxStepAnnotations)
		b.WriteString(AnnotationTable(left))
	}
	return b.String()
}

// AnnotationTable renders annotations as a Markdown table.
func AnnotationTable(anns []Annotation) string {
	var b strings.Builder
	b.WriteString("| level | where | finding |\n| --- | --- | --- |\n")
	for _, a := range anns {
		where := a.Title
		if a.File != "" {
			where = a.File
			if a.Line > 0 {
				where += fmt.Sprintf(":%d", a.Line)
			}
			if a.Title != "" {
				where += " " + a.Title
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", checkLevel(a.Level), escapeCell(where), escapeCell(a.Message))
	}
	return b.String()
}

// summaryIcon is the mark in front of rep's title: a success with
// warnings is ⚠️, never ✅.
func summaryIcon(rep *Report) string {
	if _, warnings := rep.Counts(); rep.Conclusion == Success && warnings > 0 {
		return "⚠️"
	}
	return conclusionIcon(rep.Conclusion)
}

func conclusionIcon(c Conclusion) string {
	switch c {
	case Success:
		return "✅"
	case Failed:
		return "❌"
	case Skipped:
		return "⏭️"
	default:
		return "ℹ️"
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// escapeMarkdown keeps untrusted text (branch names, commit subjects) from
// turning into Markdown or HTML in the summary.
func escapeMarkdown(s string) string {
	r := strings.NewReplacer(
		`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
		"<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`, "\r", "", "\n", " ",
	)
	return r.Replace(s)
}

// escapeCell is escapeMarkdown for a table cell.
func escapeCell(s string) string { return escapeMarkdown(s) }
