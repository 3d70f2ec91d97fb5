package release

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/report"
)

// DefaultIncidentRecord is the incident record `image watch` writes when
// it rolls back, next to the rollback record.
const DefaultIncidentRecord = "shipflow-incident.json"

// IncidentLabel is the label of the issue an incident opens.
const IncidentLabel = "incident"

// Incident is the seed's incident record of a rollback `image watch` did:
// when, which image, from which version and digest to which, the failed
// checks that triggered it, what was done and what the on-rollback
// command answered. It renders as JSON (the record file) and as Markdown
// (the body of the issue it opens).
type Incident struct {
	// Time is when the rollback was done.
	Time       time.Time `json:"time"`
	Repository string    `json:"repository"`
	// Health is the URL that failed.
	Health string `json:"health"`
	// From is the bad release (its version "" when no version tag named
	// it); To the release rolled back to.
	From IncidentImage `json:"from"`
	To   IncidentImage `json:"to"`
	// FailedChecks are the failed checks in a row that triggered the
	// rollback, oldest first; Checks counts every check of the watch.
	FailedChecks []image.Check `json:"failed_checks"`
	Checks       int           `json:"checks"`
	// Action says what was done: the tags moved, or why none did.
	Action string   `json:"action"`
	Tags   []string `json:"tags"`
	// Command is the on-rollback command's run; nil when none is
	// configured.
	Command *ImageCommandRun `json:"command"`
	// Issue is the address of the issue opened for it; "" when none was.
	Issue string `json:"issue,omitempty"`
}

// IncidentImage is a version and its digest.
type IncidentImage struct {
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// NewIncident is the incident record of a watch that rolled back; nil
// when it did not. run is the on-rollback command's run (nil when none
// ran).
func NewIncident(w *image.WatchReport, run *ImageCommandRun) *Incident {
	if w == nil || w.Rollback == nil {
		return nil
	}
	rb := w.Rollback
	inc := &Incident{
		Time: rb.Time, Repository: rb.Repository, Health: w.Health,
		From: IncidentImage{rb.From, rb.FromDigest}, To: IncidentImage{rb.To, rb.ToDigest},
		FailedChecks: []image.Check{}, Checks: len(w.Checks), Tags: []string{}, Command: run,
	}
	for i := len(w.Checks) - 1; i >= 0 && !w.Checks[i].Healthy; i-- {
		inc.FailedChecks = append([]image.Check{w.Checks[i]}, inc.FailedChecks...)
	}
	for _, c := range rb.Tags {
		if c.Written {
			inc.Tags = append(inc.Tags, c.Tag)
		}
	}
	if len(inc.Tags) > 0 {
		inc.Action = fmt.Sprintf("rolled back: %s moved to %s (%s)", strings.Join(inc.Tags, ", "), rb.To, rb.ToDigest)
	} else {
		inc.Action = "rollback attempted: no tag moved"
	}
	return inc
}

// Title is the issue's title: "Incident: rollback of REPO from X to Y".
func (i *Incident) Title() string {
	from := i.From.Version
	if from == "" {
		from = imgShort(i.From.Digest)
	}
	return fmt.Sprintf("Incident: rollback of %s from %s to %s", i.Repository, from, i.To.Version)
}

// JSON is the record, indented, with a final newline.
func (i *Incident) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(i, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("writing the incident record: %w", err)
	}
	return append(b, '\n'), nil
}

// Markdown is the record as the issue's body. Everything that came from
// outside (the registry's names, the health endpoint's answers, the
// command's error) goes through report.EscapeMarkdown, so that it can
// neither mention anyone nor break the layout.
func (i *Incident) Markdown() string {
	var b strings.Builder
	esc := report.EscapeMarkdown
	fmt.Fprintf(&b, "## %s\n\n", esc(i.Title()))
	fmt.Fprintf(&b, "| | |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| time | %s |\n", i.Time.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "| image | %s |\n", esc(i.Repository))
	fmt.Fprintf(&b, "| from | %s %s |\n", esc(i.From.Version), esc(i.From.Digest))
	fmt.Fprintf(&b, "| to | %s %s |\n", esc(i.To.Version), esc(i.To.Digest))
	fmt.Fprintf(&b, "| health | %s |\n", esc(i.Health))
	fmt.Fprintf(&b, "| action | %s |\n", esc(i.Action))
	fmt.Fprintf(&b, "| command | %s |\n", esc(i.commandResult()))
	fmt.Fprintf(&b, "\n### Failed checks (%d in a row, of %d)\n\n", len(i.FailedChecks), i.Checks)
	fmt.Fprintf(&b, "| time | status | result |\n| --- | --- | --- |\n")
	for _, c := range i.FailedChecks {
		status := "no answer"
		if c.Status != 0 {
			status = fmt.Sprint(c.Status)
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Time.UTC().Format(time.RFC3339), status, esc(c.Result))
	}
	fmt.Fprintf(&b, "\nUndo the rollback with `shipflow image rollback --undo` (the rollback record).\n")
	return b.String()
}

// WriteIncidentText writes the incident as `shipflow image watch` prints
// it after its report: where the record went, the Markdown, and the
// issue's address when one was opened.
func WriteIncidentText(w io.Writer, i *Incident, record string) error {
	t := &textWriter{w: w}
	t.printf("\nincident record: %s\n\n%s", filepath.Base(record), i.Markdown())
	if i.Issue != "" {
		t.printf("\nissue: %s\n", i.Issue)
	}
	return t.err
}

// commandResult says what the on-rollback command did.
func (i *Incident) commandResult() string {
	switch {
	case i.Command == nil:
		return "none configured"
	case i.Command.Error != "":
		return fmt.Sprintf("%s: FAILED (%s)", strings.Join(i.Command.Args, " "), i.Command.Error)
	}
	return fmt.Sprintf("%s: exit 0", strings.Join(i.Command.Args, " "))
}

// IssueForge is a forge that opens issues: `image watch` opens one for
// an incident. *github.Client is one.
type IssueForge interface {
	// CreateIssue opens an issue and returns its number and address.
	CreateIssue(ctx context.Context, owner, repo string, ni github.NewIssue) (*github.Issue, error)
}

var _ IssueForge = (*github.Client)(nil)

// OpenIncidentIssue opens the incident's issue in repository (OWNER/NAME),
// labelled incident, and sets i.Issue. A token that may not (403) or a
// repository without issues (404, 410) is a warning, returned as the
// second result with no error: the record is kept all the same.
func OpenIncidentIssue(ctx context.Context, f IssueForge, repository string, i *Incident) (string, error) {
	owner, name, ok := strings.Cut(repository, "/")
	if !ok || owner == "" || name == "" {
		return "", fmt.Errorf("opening the incident issue: repository %q is not OWNER/NAME", repository)
	}
	is, err := f.CreateIssue(ctx, owner, name, github.NewIssue{Title: i.Title(), Body: i.Markdown(), Labels: []string{IncidentLabel}})
	if err != nil {
		var ge *github.Error
		if github.IsForbidden(err) || github.IsNotFound(err) || (errors.As(err, &ge) && ge.StatusCode == http.StatusGone) {
			return fmt.Sprintf("no incident issue opened (%v): the token needs issues: write, and the repository issues turned on", err), nil
		}
		return "", err
	}
	i.Issue = is.HTMLURL
	return "", nil
}
