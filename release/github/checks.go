package github

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	gh "github.com/google/go-github/v62/github"
)

// Limits GitHub puts on checks and statuses.
const (
	// MaxAnnotationsPerRequest is how many annotations one check run
	// create or update may carry; more are sent in further updates
	// (docs.github.com/rest/checks/runs#update-a-check-run).
	MaxAnnotationsPerRequest = 50
	// MaxSummary is the longest check run summary or text, in characters.
	MaxSummary = 65535
	// MaxStatusDescription is the longest commit status description.
	MaxStatusDescription = 140
)

// truncatedMarker ends a summary that was cut to MaxSummary.
const truncatedMarker = "\n\n… (truncated by shipflow: GitHub allows 65535 characters)"

// Annotation is one check run annotation.
type Annotation struct {
	Path               string
	StartLine, EndLine int // 1-based; EndLine defaults to StartLine
	// Level is "notice", "warning" or "failure".
	Level   string
	Title   string
	Message string
}

// CheckRun is a check run's content.
type CheckRun struct {
	Name    string
	HeadSHA string
	// Status is "queued", "in_progress" or "completed"; Conclusion (set
	// when completed) one of "success", "failure", "neutral", "cancelled",
	// "skipped", "timed_out", "action_required".
	Status, Conclusion string
	DetailsURL         string
	Title, Summary     string
	Text               string
	// Annotations may be any number; they are sent 50 per request.
	Annotations []Annotation
}

// truncate cuts s to at most n characters, ending it with marker when cut.
func truncate(s string, n int, marker string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	keep := n - utf8.RuneCountInString(marker)
	i := 0
	for j := range s {
		if keep == 0 {
			i = j
			break
		}
		keep--
	}
	return s[:i] + marker
}

func (cr *CheckRun) output(batch []Annotation) *gh.CheckRunOutput {
	if cr.Title == "" && cr.Summary == "" && cr.Text == "" && len(batch) == 0 {
		return nil
	}
	title := cr.Title
	if title == "" {
		title = cr.Name
	}
	out := &gh.CheckRunOutput{
		Title:   gh.String(title),
		Summary: gh.String(truncate(cr.Summary, MaxSummary, truncatedMarker)),
	}
	if cr.Text != "" {
		out.Text = gh.String(truncate(cr.Text, MaxSummary, truncatedMarker))
	}
	for _, a := range batch {
		end := a.EndLine
		if end < a.StartLine {
			end = a.StartLine
		}
		ann := &gh.CheckRunAnnotation{
			Path: gh.String(a.Path), StartLine: gh.Int(a.StartLine), EndLine: gh.Int(end),
			AnnotationLevel: gh.String(a.Level), Message: gh.String(a.Message),
		}
		if a.Title != "" {
			ann.Title = gh.String(a.Title)
		}
		out.Annotations = append(out.Annotations, ann)
	}
	return out
}

func batches(a []Annotation) [][]Annotation {
	var out [][]Annotation
	for len(a) > MaxAnnotationsPerRequest {
		out = append(out, a[:MaxAnnotationsPerRequest])
		a = a[MaxAnnotationsPerRequest:]
	}
	return append(out, a)
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return gh.String(s)
}

// CreateCheckRun creates a check run in owner/repo and returns its id. The
// summary is cut to MaxSummary characters; annotations beyond the first 50
// follow in updates of 50.
func (c *Client) CreateCheckRun(ctx context.Context, owner, repo string, cr CheckRun) (int64, error) {
	op := fmt.Sprintf("creating check run %q in %s/%s", cr.Name, owner, repo)
	bs := batches(cr.Annotations)
	opts := gh.CreateCheckRunOptions{
		Name: cr.Name, HeadSHA: cr.HeadSHA, DetailsURL: optString(cr.DetailsURL),
		Status: optString(cr.Status), Conclusion: optString(cr.Conclusion), Output: cr.output(bs[0]),
	}
	if cr.Conclusion != "" {
		opts.CompletedAt = &gh.Timestamp{Time: time.Now()}
	}
	run, resp, err := c.gh.Checks.CreateCheckRun(ctx, owner, repo, opts)
	if err != nil {
		return 0, c.wrap(op, resp, err)
	}
	id := run.GetID()
	return id, c.annotate(ctx, op, owner, repo, id, cr, bs[1:])
}

// UpdateCheckRun replaces check run id's status and output and adds its
// annotations, 50 per request.
func (c *Client) UpdateCheckRun(ctx context.Context, owner, repo string, id int64, cr CheckRun) error {
	op := fmt.Sprintf("updating check run %q (%d) in %s/%s", cr.Name, id, owner, repo)
	bs := batches(cr.Annotations)
	opts := gh.UpdateCheckRunOptions{
		Name: cr.Name, DetailsURL: optString(cr.DetailsURL),
		Status: optString(cr.Status), Conclusion: optString(cr.Conclusion), Output: cr.output(bs[0]),
	}
	if cr.Conclusion != "" {
		opts.CompletedAt = &gh.Timestamp{Time: time.Now()}
	}
	if _, resp, err := c.gh.Checks.UpdateCheckRun(ctx, owner, repo, id, opts); err != nil {
		return c.wrap(op, resp, err)
	}
	return c.annotate(ctx, op, owner, repo, id, cr, bs[1:])
}

// annotate sends the remaining annotation batches with the same output.
func (c *Client) annotate(ctx context.Context, op, owner, repo string, id int64, cr CheckRun, rest [][]Annotation) error {
	for i, b := range rest {
		opts := gh.UpdateCheckRunOptions{Name: cr.Name, Output: cr.output(b)}
		if _, resp, err := c.gh.Checks.UpdateCheckRun(ctx, owner, repo, id, opts); err != nil {
			return c.wrap(fmt.Sprintf("%s: sending annotations batch %d of %d", op, i+2, len(rest)+1), resp, err)
		}
	}
	return nil
}

// Status is a commit status.
type Status struct {
	// State is "error", "failure", "pending" or "success".
	State     string
	Context   string
	TargetURL string
	// Description is cut to MaxStatusDescription characters.
	Description string
}

// CreateStatus sets a commit status on sha in owner/repo.
func (c *Client) CreateStatus(ctx context.Context, owner, repo, sha string, st Status) error {
	in := &gh.RepoStatus{
		State: gh.String(st.State), Context: optString(st.Context), TargetURL: optString(st.TargetURL),
		Description: optString(truncate(strings.TrimSpace(st.Description), MaxStatusDescription, "…")),
	}
	if _, resp, err := c.gh.Repositories.CreateStatus(ctx, owner, repo, sha, in); err != nil {
		return c.wrap(fmt.Sprintf("setting status %q on %s in %s/%s", st.Context, shortSHA(sha), owner, repo), resp, err)
	}
	return nil
}

func shortSHA(s string) string {
	if len(s) > 7 {
		return s[:7]
	}
	return s
}
