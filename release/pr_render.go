package release

import (
	"fmt"
	"io"
	"strings"

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
	prSecretsText(t, r.Secrets)
	if r.Errors+r.Warnings > 0 {
		mark := "✖"
		if r.OK() {
			mark = "⚠"
		}
		t.printf("%s %s\n", mark, report.Counts(r.Errors, r.Warnings))
	}
	if pv := r.Preview; pv != nil {
		t.printf("%s\n", report.Visible(pv.PreviewLine()))
		for _, f := range pv.VersionFiles {
			t.printf("    version file %s:%d (%s): %s → %s\n", report.Visible(f.Path), f.Line, report.Visible(f.Key), report.Visible(f.From), f.To)
		}
		if len(pv.ImageTags) > 0 {
			t.printf("    image tags: %s\n", report.Visible(strings.Join(pv.ImageTags, ", ")))
		}
		for _, w := range pv.Warnings {
			t.printf("    ⚠ %s\n", report.Visible(w))
		}
	}
	return t.err
}

// WriteMarkdown writes the pull request as the pr Action's job summary
// and `shipflow pr --format markdown` show it: a paragraph saying what was
// linted and why (or why nothing was: skipped; or that the findings do
// not fail the check: pending), the notes, then WriteFindings through
// report.NewMarkdown.
func (r *PRReport) WriteMarkdown(w io.Writer) error {
	if err := r.writeMarkdownHead(w); err != nil {
		return err
	}
	if r.Skipped != "" {
		return nil
	}
	if err := r.WriteFindings(report.NewMarkdown(w)); err != nil {
		return err
	}
	return r.writePreviewMarkdown(w)
}

// MarkdownWithin is WriteMarkdown's text in at most limit bytes (GitHub's
// limits: a check run's summary and a comment hold 65,535 characters):
// when it would not fit, the findings table keeps the rows that fit, the
// first ones, and counts the rest ("… and 37 more findings"); what is
// linted, the verdict and the preview are kept.
func (r *PRReport) MarkdownWithin(limit int) (string, error) {
	var all strings.Builder
	if err := r.WriteMarkdown(&all); err != nil {
		return "", err
	}
	if all.Len() <= limit {
		return all.String(), nil
	}
	var head, find, tail strings.Builder
	if err := r.writeMarkdownHead(&head); err != nil {
		return "", err
	}
	if err := r.WriteFindings(report.NewMarkdown(&find)); err != nil {
		return "", err
	}
	if err := r.writePreviewMarkdown(&tail); err != nil {
		return "", err
	}
	lines := strings.SplitAfter(find.String(), "\n")
	rows := 0
	for i := 2; i < len(lines) && strings.HasPrefix(lines[i], "| "); i++ {
		rows++
	}
	rest := strings.Join(lines[min(2+rows, len(lines)):], "")
	const more = "\n_… and %d more findings: the annotations and `shipflow pr` list every one._\n"
	room := limit - head.Len() - tail.Len() - len(rest) - len(more) - 40
	var b strings.Builder
	b.WriteString(head.String())
	kept := 0
	if len(lines) > 2 {
		room -= len(lines[0]) + len(lines[1])
		b.WriteString(lines[0] + lines[1])
		for kept < rows && len(lines[2+kept]) <= room {
			room -= len(lines[2+kept])
			b.WriteString(lines[2+kept])
			kept++
		}
	}
	fmt.Fprintf(&b, more, rows-kept)
	b.WriteString(rest)
	b.WriteString(tail.String())
	return b.String(), nil
}

// writeMarkdownHead writes what WriteMarkdown writes before the findings.
func (r *PRReport) writeMarkdownHead(w io.Writer) error {
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
	return t.err
}

// writePreviewMarkdown writes the release preview's section (see
// RenderPreviewMarkdown), when there is one.
func (r *PRReport) writePreviewMarkdown(w io.Writer) error {
	if r.Preview == nil {
		return nil
	}
	_, err := io.WriteString(w, "\n### Release preview\n\n"+RenderPreviewMarkdown(r.Preview))
	return err
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
	// Preview is what merging releases (PROptions.Preview), or null.
	Preview *ReleasePreview `json:"preview"`
	// Valid, FirstError, NextVersion, Bump and CommentURL are the pr
	// Action's outputs valid, first-error, next-version, bump and
	// comment-url.
	Valid       bool   `json:"valid"`
	FirstError  string `json:"first_error"`
	NextVersion string `json:"next_version"`
	Bump        string `json:"bump"`
	CommentURL  string `json:"comment_url,omitempty"`
	// Secrets are the secrets the commits add, as `shipflow secrets
	// --format json` lists them.
	Secrets []secretsJSONFinding `json:"secrets,omitempty"`
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
		Preview: r.Preview, Valid: r.Valid(), FirstError: r.FirstError(), CommentURL: r.CommentURL,
	}
	out.NextVersion, out.Bump = r.NextVersion()
	out.Secrets = secretsJSONFindings(r.Secrets, false)
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
