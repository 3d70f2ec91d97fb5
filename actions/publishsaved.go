package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shipflow/shipflow/internal/repofs"
)

// PublishVerb is the `shipflow action` verb of actions/publish: it creates
// the check run of a report another run saved (input `save-report`). It is
// no operation of its own — no CLI verb, no repository, no configuration —
// so it is not one of Verbs.
const PublishVerb = "publish"

// SavedReportVersion is the format version of a saved report.
const SavedReportVersion = 1

// Limits of a saved report. The file comes from a run on a fork's pull
// request, whose workflow file and code the fork controls, so everything in
// it is untrusted: each field is capped and the whole file strictly parsed.
const (
	// MaxSavedReport is the largest report file accepted, in bytes.
	MaxSavedReport = 1 << 20
	// MaxSavedAnnotations is how many annotations one report may carry.
	MaxSavedAnnotations = 1000
	// MaxSavedOutputs is how many outputs one report may carry.
	MaxSavedOutputs = 20
	maxSavedName    = 100
	maxSavedTitle   = 1000
	maxSavedAnnText = 4096
	maxSavedAnnHead = 255
	maxSavedPath    = 1024
	maxSavedLine    = 10_000_000
)

// SavedReport is a step's Report as `save-report` writes it, for a later,
// trusted run to publish (actions/publish). It names no repository and no
// API URL: the publishing run reports to its own repository on its own
// GitHub, whatever the file says.
type SavedReport struct {
	Version     int               `json:"version"`
	Name        string            `json:"name"`
	Title       string            `json:"title"`
	Conclusion  Conclusion        `json:"conclusion"`
	Summary     string            `json:"summary"`
	Annotations []SavedAnnotation `json:"annotations"`
	Outputs     []SavedOutput     `json:"outputs"`
	// HeadSHA is the commit the report is about (the event's SHA).
	HeadSHA string `json:"head_sha"`
	// PullRequest is the pull request's number, or 0.
	PullRequest int `json:"pull_request,omitempty"`
}

// SavedAnnotation is one annotation of a saved report; Level is a check
// run's annotation_level ("notice", "warning", "failure").
type SavedAnnotation struct {
	Level   string `json:"level"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	EndLine int    `json:"end_line,omitempty"`
	Title   string `json:"title,omitempty"`
	Message string `json:"message"`
}

// SavedOutput is one step output of a saved report.
type SavedOutput struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// saveReport writes rep, about ev's commit, as JSON to name inside root
// (the workspace): a relative name, or an absolute one inside root; never
// outside it or under .git/.
func (r *Runner) saveReport(rep *Report, ev *Event, root, name string) error {
	if root == "" {
		return inputErr("input save-report: no workspace to write %s in (GITHUB_WORKSPACE)", name)
	}
	if filepath.IsAbs(name) {
		absRoot, err := filepath.Abs(root)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(absRoot, name)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return inputErr("input save-report: %s is outside the workspace %s", name, absRoot)
		}
		name = rel
	}
	sr := SavedReport{
		Version: SavedReportVersion, Name: rep.Name, Title: rep.Title, Conclusion: rep.Conclusion,
		Summary: rep.Summary, HeadSHA: ev.SHA, Annotations: []SavedAnnotation{}, Outputs: []SavedOutput{},
	}
	if ev.PullRequest != nil {
		sr.PullRequest = ev.PullRequest.Number
	}
	for _, a := range rep.Annotations {
		sr.Annotations = append(sr.Annotations, SavedAnnotation{
			Level: checkLevel(a.Level), File: a.File, Line: a.Line, EndLine: a.EndLine, Title: a.Title, Message: a.Message,
		})
	}
	for _, o := range rep.Outputs {
		sr.Outputs = append(sr.Outputs, SavedOutput(o))
	}
	data, err := json.MarshalIndent(sr, "", "  ")
	if err != nil {
		return err
	}
	// What leaves the step is output too: redacted like the log.
	data = []byte(r.red.String(string(data)) + "\n")
	if err := repofs.WriteFile(root, name, data, 0o644); err != nil {
		if repofs.IsRefused(err) {
			return inputErr("input save-report: %v", err)
		}
		return fmt.Errorf("saving the report: %w", err)
	}
	return nil
}

// hexSHA and outputName are compiled on first use, so that starting shipflow (the commit-msg
// hook, at every commit) does not pay for them.
var (
	hexSHA     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{40}$`) })
	outputName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9-]{0,63}$`) })
)

// ParseSavedReport reads a saved report strictly: one JSON object of the
// known fields (an unknown one, such as a repository or URL, is refused),
// nothing after it, every field within its cap.
func ParseSavedReport(data []byte) (*SavedReport, error) {
	if len(data) > MaxSavedReport {
		return nil, fmt.Errorf("the report is %d bytes, more than the %d allowed", len(data), MaxSavedReport)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("the report is not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var sr SavedReport
	if err := dec.Decode(&sr); err != nil {
		return nil, fmt.Errorf("the report is not a shipflow report: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("the report has data after its JSON object")
	}
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if sr.Version != SavedReportVersion {
		bad("version %d is not %d", sr.Version, SavedReportVersion)
	}
	checkText := func(field, s string, max int, oneLine bool) {
		if n := utf8.RuneCountInString(s); n > max {
			bad("%s has %d characters, more than the %d allowed", field, n, max)
		}
		if oneLine && strings.ContainsAny(s, "\r\n") {
			bad("%s has a line break", field)
		}
		if strings.ContainsRune(s, 0) {
			bad("%s has a NUL character", field)
		}
	}
	if sr.Name == "" {
		bad("name is empty")
	}
	checkText("name", sr.Name, maxSavedName, true)
	checkText("title", sr.Title, maxSavedTitle, true)
	checkText("summary", sr.Summary, MaxCheckSummary, false)
	if !slices.Contains([]Conclusion{Success, Failed, Neutral, Skipped}, sr.Conclusion) {
		bad("conclusion %q is not success, failure, neutral or skipped", sr.Conclusion)
	}
	if !hexSHA().MatchString(sr.HeadSHA) {
		bad("head_sha %q is not a full commit SHA", sr.HeadSHA)
	}
	if sr.PullRequest < 0 {
		bad("pull_request %d is negative", sr.PullRequest)
	}
	if n := len(sr.Annotations); n > MaxSavedAnnotations {
		bad("%d annotations, more than the %d allowed", n, MaxSavedAnnotations)
	} else {
		for i, a := range sr.Annotations {
			f := fmt.Sprintf("annotations[%d]", i)
			if !slices.Contains([]string{"notice", "warning", "failure"}, a.Level) {
				bad("%s.level %q is not notice, warning or failure", f, a.Level)
			}
			if a.File != "" {
				if _, err := repofs.Clean(a.File); err != nil {
					bad("%s.file: %v", f, err)
				}
			}
			checkText(f+".file", a.File, maxSavedPath, true)
			checkText(f+".title", a.Title, maxSavedAnnHead, true)
			checkText(f+".message", a.Message, maxSavedAnnText, false)
			if a.Line < 0 || a.Line > maxSavedLine || a.EndLine < 0 || a.EndLine > maxSavedLine {
				bad("%s: line %d, end_line %d out of range", f, a.Line, a.EndLine)
			}
		}
	}
	if n := len(sr.Outputs); n > MaxSavedOutputs {
		bad("%d outputs, more than the %d allowed", n, MaxSavedOutputs)
	} else {
		for i, o := range sr.Outputs {
			if !outputName().MatchString(o.Name) {
				bad("outputs[%d].name %q is not a lower-case output name", i, o.Name)
			}
			checkText(fmt.Sprintf("outputs[%d].value", i), o.Value, maxSavedAnnText, false)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("the report is refused: %w", errors.Join(errs...))
	}
	return &sr, nil
}

// report is the Report sr describes, without its outputs: they are the
// fork's values, and later steps of the publishing (trusted) workflow
// must not read them as their own.
func (sr *SavedReport) report() *Report {
	rep := &Report{Name: sr.Name, Title: sr.Title, Conclusion: sr.Conclusion, Summary: sr.Summary}
	for _, a := range sr.Annotations {
		level := Notice
		switch a.Level {
		case "warning":
			level = Warning
		case "failure":
			level = Failure
		}
		rep.Annotations = append(rep.Annotations, Annotation{
			Level: level, File: a.File, Line: a.Line, EndLine: a.EndLine, Title: a.Title, Message: a.Message,
		})
	}
	return rep
}

// runPublishSaved is `shipflow action publish`: it reads the report file
// (input `report-file`, inside the workspace) a pull_request run saved and
// creates its check run on the commit of input `sha` — by default the
// head of the workflow_run event's run, or of a pull_request_target
// event's pull request — in the repository the workflow runs in, on the
// GitHub it runs on. The file decides neither.
//
// The commit is checked against the event: the file must be about that
// commit, and when the event names pull requests (workflow_run lists those
// of branches of this repository; pull_request_target has one) the commit
// must be the head of one of them, and the file's pull request number
// theirs. The step succeeds when the check run is created; the check run
// carries the report's conclusion (output `conclusion`). Input `report`
// picks a check run (the default) or a commit status; input `strict`
// publishes a report that passed with warnings as failed.
func runPublishSaved(ctx context.Context, r *Runner, opt Options) (*Report, error) {
	token := r.Input("token")
	r.Mask(token)
	ev, err := r.Event()
	if err != nil {
		return nil, &InputError{Err: err}
	}
	name := r.Input("report-file")
	if name == "" {
		return nil, inputErr("input report-file: give the report file a pull_request run saved with save-report (downloaded with actions/download-artifact)")
	}
	root := r.getenv("GITHUB_WORKSPACE")
	if root == "" {
		root = opt.Dir
	}
	if root == "" {
		root = "."
	}
	if filepath.IsAbs(name) {
		if rel, err := filepath.Rel(root, name); err == nil {
			name = rel
		}
	}
	data, err := repofs.ReadFile(root, name, MaxSavedReport)
	if err != nil {
		return nil, inputErr("input report-file: %v", err)
	}
	sr, err := ParseSavedReport(data)
	if err != nil {
		return nil, inputErr("input report-file %s: %v", name, err)
	}
	sha, err := publishSHA(r, ev, sr)
	if err != nil {
		return nil, err
	}
	mode := ReportMode(r.Input("report"))
	switch mode {
	case "":
		mode = ReportCheck
	case ReportCheck, ReportStatus:
	default:
		return nil, inputErr("input report: %q is not check or status", mode)
	}
	strict, err := r.BoolInput("strict", false)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	rep := sr.report()
	if n := r.Input("check-name"); n != "" {
		rep.Name = n
	}
	if _, warnings := rep.Counts(); strict && warnings > 0 && rep.Conclusion == Success {
		rep.Conclusion = Failed
	}
	target := *ev
	target.SHA = sha
	pub, err := r.Publish(ctx, rep, &target, PublishOptions{Mode: mode, Token: token, HTTPClient: opt.HTTPClient})
	if err != nil {
		return nil, err
	}
	switch {
	case pub.Err != nil:
		return nil, fmt.Errorf("publishing %q on %.7s: %w", rep.Name, sha, pub.Err)
	case pub.CheckRunID == 0 && !pub.Status:
		return nil, inputErr("nothing published: %s", pub.Skipped)
	}
	id := ""
	if pub.CheckRunID != 0 {
		id = fmt.Sprint(pub.CheckRunID)
	}
	outs := []Output{{"check-run-id", id}, {"conclusion", string(rep.Conclusion)}}
	for _, o := range outs {
		if err := r.SetOutput(o.Name, o.Value); err != nil {
			return nil, err
		}
	}
	return &Report{
		Name: "shipflow " + PublishVerb, Conclusion: Success, Outputs: outs,
		Title: fmt.Sprintf("published %s (%s) on %.7s", rep.Name, rep.Conclusion, sha),
	}, nil
}

// publishSHA is the commit to publish sr on: input `sha`, else the
// event's head, checked against the event and the report.
func publishSHA(r *Runner, ev *Event, sr *SavedReport) (string, error) {
	sha := strings.ToLower(r.Input("sha"))
	switch {
	case sha != "":
	case ev.WorkflowRun != nil:
		sha = ev.WorkflowRun.HeadSHA
	case ev.Name == "pull_request_target" && ev.PullRequest != nil:
		sha = ev.PullRequest.HeadSHA
	default:
		return "", inputErr("input sha: empty, and a %s event names no commit to publish on (run on workflow_run or pull_request_target, or give sha)", orEvent(ev.Name))
	}
	if !hexSHA().MatchString(sha) {
		return "", inputErr("input sha: %q is not a full commit SHA", sha)
	}
	if sr.HeadSHA != sha {
		return "", inputErr("the report is about commit %.12s, not %.12s: it comes from another run", sr.HeadSHA, sha)
	}
	type pr struct {
		number int
		head   string
	}
	var prs []pr
	switch {
	case ev.WorkflowRun != nil:
		for _, p := range ev.WorkflowRun.PullRequests {
			prs = append(prs, pr{p.Number, p.HeadSHA})
		}
	case ev.PullRequest != nil:
		prs = append(prs, pr{ev.PullRequest.Number, ev.PullRequest.HeadSHA})
	}
	if len(prs) == 0 {
		return sha, nil
	}
	for _, p := range prs {
		if strings.EqualFold(p.head, sha) {
			if sr.PullRequest != 0 && sr.PullRequest != p.number {
				return "", inputErr("the report names pull request #%d, but commit %.12s is the head of #%d", sr.PullRequest, sha, p.number)
			}
			return sha, nil
		}
	}
	return "", inputErr("commit %.12s is not the head of the event's pull request (#%d at %.12s)", sha, prs[0].number, prs[0].head)
}
