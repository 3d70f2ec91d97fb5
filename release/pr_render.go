package release

import (
	"fmt"
	"io"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/report"
)

// WriteText writes the pull request as `shipflow pr` prints it: a line
// naming it, then a line per part (the title, the commits, the squash
// commit, the branches), ✔ when clean, else ✖ with the findings under it
// as the text writer shows them, and the counts when there are any. Clean
// commits are counted on one line; a squash commit whose only problems
// are its source's (the title, or the single commit) points at them.
func (r *PRReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	name := "pull request"
	if r.Number > 0 {
		name = fmt.Sprintf("pull request #%d", r.Number)
	}
	if r.MergeGroup {
		t.printf("merge group %s\n", r.Range)
	} else {
		t.printf("%s: %s\n", name, r.Title.Message)
	}
	for _, n := range r.Notes {
		t.printf("note: %s\n", n)
	}
	if r.Skipped != "" {
		t.printf("– skipped: %s\n", r.Skipped)
		return t.err
	}
	t.printf("%s\n", r.Linted)
	if r.Pending != "" {
		t.printf("pending: %s: the findings do not fail the check\n", r.Pending)
	}
	if r.LintsTitle {
		prPartText(t, "title", r.Title.Result)
	}
	bad := 0
	for _, c := range r.Commits {
		if len(c.Result.Findings) > 0 {
			bad++
			t.printf("✖ commit %s: %s\n", c.Commit.Short(), c.Result.Commit.Header)
			prFindingsText(t, c.Result)
		}
	}
	if bad == 0 && r.LintsCommits {
		t.printf("✔ %d %s\n", len(r.Commits), report.Plural(len(r.Commits), "commit", "commits"))
	}
	if sq := r.Squash.Result; !r.LintsSquash {
	} else if len(sq.Findings) == 0 && !r.OK() && r.squashInherits() {
		t.printf("✖ squash commit: %s (the problems above)\n", sq.Commit.Header)
	} else {
		prPartText(t, "squash commit", sq)
	}
	if b := r.Branch; b != nil {
		switch {
		case b.Skipped:
			t.printf("✔ branches %s → %s: skipped, %s\n", b.Head, b.Base, b.Note)
		case b.Allowed:
			t.printf("✔ branches %s → %s\n", b.Head, b.Base)
		default:
			t.printf("✖ branches %s → %s\n", b.Head, b.Base)
			brFindingsText(t, b.Findings, "    ")
		}
	}
	if r.Errors+r.Warnings > 0 {
		mark := "✖"
		if r.OK() {
			mark = "⚠"
		}
		t.printf("%s %s\n", mark, report.Counts(r.Errors, r.Warnings))
	}
	return t.err
}

// WriteMarkdown writes the pull request as the pr Action's job summary
// and `shipflow pr --format markdown` show it: a paragraph saying what was
// linted and why (or why nothing was: skipped; or that the findings do
// not fail the check: pending), the notes, then WriteFindings through
// report.NewMarkdown.
func (r *PRReport) WriteMarkdown(w io.Writer) error {
	t := &textWriter{w: w}
	switch {
	case r.Skipped != "":
		t.printf("**Skipped:** %s.\n\n", report.EscapeMarkdown(r.Skipped))
	default:
		t.printf("**Linted:** %s.\n\n", report.EscapeMarkdown(r.Linted))
		if r.Pending != "" {
			t.printf("**Pending:** %s: the findings do not fail the check.\n\n", report.EscapeMarkdown(r.Pending))
		}
	}
	for _, n := range r.Notes {
		t.printf("Note: %s\n\n", report.EscapeMarkdown(n))
	}
	if t.err != nil {
		return t.err
	}
	if r.Skipped != "" {
		return nil
	}
	return r.WriteFindings(report.NewMarkdown(w))
}

// WriteFindings writes Entries through rw, one run with the pull
// request's counts: report.NewGitHub gives the pr Action's annotations,
// report.NewMarkdown its job summary.
func (r *PRReport) WriteFindings(rw report.Writer) error {
	if err := rw.Begin(report.Run{}); err != nil {
		return err
	}
	for _, e := range r.Entries() {
		if err := rw.Write(e); err != nil {
			return err
		}
	}
	return rw.End(report.Summary{Count: 1, Errors: r.Errors, Warnings: r.Warnings}, nil)
}

// squashInherits reports whether the squash commit's source (the title,
// or the single commit) has findings, which the squash commit then shares.
func (r *PRReport) squashInherits() bool {
	if one := prSingle(r.Commits); one != nil {
		return len(one.Result.Findings) > 0
	}
	return len(r.Title.Result.Findings) > 0
}

func prPartText(t *textWriter, what string, res commitlint.Result) {
	if len(res.Findings) == 0 {
		t.printf("✔ %s\n", what)
		return
	}
	t.printf("✖ %s: %s\n", what, res.Commit.Header)
	prFindingsText(t, res)
}

// prFindingsText writes one message's findings as the text writer does,
// indented under the line that names the message.
func prFindingsText(t *textWriter, res commitlint.Result) {
	report.WriteTextFindings(textSink{t}, "    ", "    ", report.LintEntry(report.SourceMessage, "", "", res))
}

// textSink lets a writer that does not return errors write through a
// textWriter, which keeps the first one.
type textSink struct{ t *textWriter }

func (s textSink) Write(b []byte) (int, error) {
	s.t.write(b)
	if s.t.err != nil {
		return 0, s.t.err
	}
	return len(b), nil
}

// prJSONMessage is a linted message of a pull request's JSON document:
// the text that was linted and its findings.
type prJSONMessage struct {
	Message string `json:"message"`
	report.JSONMessage
}

// prJSONReport is the JSON document of `shipflow pr --format json`.
type prJSONReport struct {
	Number   int                  `json:"number"`
	Range    string               `json:"range"`
	OK       bool                 `json:"ok"`
	Errors   int                  `json:"errors"`
	Warnings int                  `json:"warnings"`
	Title    prJSONMessage        `json:"title"`
	Commits  []report.JSONMessage `json:"commits"`
	Squash   prJSONMessage        `json:"squash"`
	Branch   *BranchResultJSON    `json:"branch,omitempty"`
	// Linted says what was linted and why; Methods are the merge methods
	// assumed; Skipped and Pending say why the check is neutral.
	Linted     string   `json:"linted"`
	Methods    []string `json:"merge_methods"`
	MergeGroup bool     `json:"merge_group,omitempty"`
	Skipped    string   `json:"skipped,omitempty"`
	Pending    string   `json:"pending,omitempty"`
	Notes      []string `json:"notes,omitempty"`
}

// WriteJSON writes the pull request as one indented JSON document: the
// verdict and counts, the title, each commit (with its full hash) and the
// squash commit with their findings, and the branches' verdict when they
// were checked (a BranchResultJSON).
func (r *PRReport) WriteJSON(w io.Writer) error {
	msg := func(res commitlint.Result) report.JSONMessage {
		return report.NewJSONMessage(report.LintEntry(report.SourceMessage, "", "", res))
	}
	out := prJSONReport{
		Number: r.Number, Range: r.Range, OK: r.OK(), Errors: r.Errors, Warnings: r.Warnings,
		Title:   prJSONMessage{Message: r.Title.Message, JSONMessage: msg(r.Title.Result)},
		Squash:  prJSONMessage{Message: r.Squash.Message, JSONMessage: msg(r.Squash.Result)},
		Commits: []report.JSONMessage{},
		Linted:  r.Linted, Methods: r.methods, MergeGroup: r.MergeGroup,
		Skipped: r.Skipped, Pending: r.Pending, Notes: r.Notes,
	}
	for _, c := range r.Commits {
		j := msg(c.Result)
		j.Commit = c.Commit.Hash
		out.Commits = append(out.Commits, j)
	}
	if r.Branch != nil {
		out.Branch = NewBranchResultJSON(*r.Branch)
	}
	return writeJSON(w, out, false)
}
