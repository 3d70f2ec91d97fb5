package actions

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/github"
)

// ReportMode says where a step reports besides the log and job summary.
type ReportMode string

// Report modes (input `report`).
const (
	// ReportCheck creates a check run (needs `checks: write`).
	ReportCheck ReportMode = "check"
	// ReportStatus sets a commit status (needs `statuses: write`).
	ReportStatus ReportMode = "status"
	// ReportNone reports through annotations and the job summary only.
	ReportNone ReportMode = "none"
)

// PublishOptions say how Publish reaches GitHub.
type PublishOptions struct {
	// Mode picks the check run, the commit status or neither.
	Mode ReportMode
	// Token authenticates; empty means annotations and summary only.
	Token string
	// HTTPClient carries the requests; nil means http.DefaultClient's
	// transport.
	HTTPClient *http.Client
	// APIURL is the GitHub REST API to report to; empty means the one
	// release.ResolveAPIURL picks from GITHUB_API_URL (the runner's own
	// GitHub), else github.com's. A repository's configuration is not
	// consulted: check runs and statuses go to the GitHub the job runs on.
	APIURL string
	// SaveReport, when set, is where Publish also writes the report as
	// JSON (a SavedReport), for a later run to publish with
	// actions/publish: a path inside Workspace (relative to it, or
	// absolute), never outside it or under .git/.
	SaveReport string
	// Workspace is the directory SaveReport must be in (GITHUB_WORKSPACE).
	Workspace string
}

// Published says what Publish did with GitHub.
type Published struct {
	// CheckRunID is the created check run, or 0.
	CheckRunID int64
	// Status is true when a commit status was set.
	Status bool
	// Skipped says why nothing was sent to GitHub (no token, a fork's
	// read-only token, a forge that cannot show the report mode), or is
	// empty.
	Skipped string
	// Err is the error GitHub answered. It never fails the step: the
	// findings are in the annotations and summary already.
	Err error
}

// Publish writes rep to the runner — outputs, at most
// MaxStepAnnotations annotations per level, the job summary (naming the
// findings the log could not show) — and then, when opt allows, to GitHub as
// a check run or commit status on the event's commit.
//
// Reporting to GitHub never fails the step: a fork pull request (whose token
// is read-only), a missing token, a 403 or any other API error is written
// as a warning and Published says what happened. Only a failure to write
// the outputs or the saved report (opt.SaveReport) is an error, because
// later steps depend on them.
func (r *Runner) Publish(ctx context.Context, rep *Report, ev *Event, opt PublishOptions) (Published, error) {
	if opt.SaveReport != "" {
		if err := r.saveReport(rep, ev, opt.Workspace, opt.SaveReport); err != nil {
			return Published{}, err
		}
	}
	for _, o := range rep.Outputs {
		if err := r.SetOutput(o.Name, o.Value); err != nil {
			return Published{}, err
		}
	}
	if rep.Title != "" {
		if err := r.Log(rep.Name + ": " + rep.Title); err != nil {
			return Published{}, fmt.Errorf("writing the log: %w", err)
		}
	}
	left := r.Annotate(rep.Annotations)
	var pub Published
	switch {
	case opt.Mode == ReportNone || opt.Mode == "":
		pub.Skipped = "report is none"
	case opt.Token == "":
		pub.Skipped = "no token"
	case ev.ReadOnlyToken():
		pub.Skipped = fmt.Sprintf("pull request from the fork %s: its token is read-only", orUnknown(ev.PullRequest.HeadRepo))
	case ev.Repository == "" || ev.SHA == "":
		pub.Skipped = "no repository or commit (GITHUB_REPOSITORY, GITHUB_SHA)"
	default:
		pub = r.toGitHub(ctx, rep, ev, opt)
	}
	summary := SummaryMarkdown(rep, left)
	if ev.ReadOnlyToken() && opt.Mode != ReportNone && opt.Mode != "" {
		summary += "\n_Reported here and in the log only: " + escapeMarkdown(pub.Skipped) + "._\n"
		if opt.SaveReport != "" {
			summary += "_The report is saved as " + escapeMarkdown(opt.SaveReport) + " for a `workflow_run` job to publish as a check run (actions/publish)._\n"
		}
	}
	if pub.Err != nil {
		msg := fmt.Sprintf("shipflow could not report to GitHub, so the findings are in the log and this summary only: %v", pub.Err)
		if github.IsForbidden(pub.Err) {
			msg += fmt.Sprintf(" (grant the workflow `permissions: %s: write`, or set `report: none`)", permissionFor(opt.Mode))
		}
		r.Annotate([]Annotation{{Level: Warning, Title: rep.Name, Message: msg}})
		summary += "\n> [!WARNING]\n> " + escapeMarkdown(msg) + "\n"
	}
	if err := r.AppendSummary(summary); err != nil {
		r.Annotate([]Annotation{{Level: Warning, Title: rep.Name, Message: err.Error()}})
	}
	return pub, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(deleted repository)"
	}
	return s
}

func permissionFor(m ReportMode) string {
	if m == ReportStatus {
		return "statuses"
	}
	return "checks"
}

// toGitHub sends rep as a check run or a commit status to the GitHub the
// runner names.
func (r *Runner) toGitHub(ctx context.Context, rep *Report, ev *Event, opt PublishOptions) Published {
	owner, name, ok := strings.Cut(ev.Repository, "/")
	if !ok {
		return Published{Skipped: fmt.Sprintf("repository %q is not owner/name", ev.Repository)}
	}
	client, err := r.client(ctx, opt)
	if err != nil {
		return Published{Err: err}
	}
	return r.toForge(ctx, client, owner, name, rep, ev, opt)
}

// toForge sends rep to forge as a check run (release.Checks) or a commit
// status (release.Statuses), as opt.Mode asks; a forge that cannot show
// that is skipped, with the reason.
func (r *Runner) toForge(ctx context.Context, forge release.Forge, owner, name string, rep *Report, ev *Event, opt PublishOptions) Published {
	// What goes to the forge is output too: redacted like the log.
	red := r.red.String
	if opt.Mode == ReportStatus {
		statuses, ok := forge.(release.Statuses)
		if !ok {
			return Published{Skipped: "the forge has no commit statuses"}
		}
		st := github.Status{
			State:       statusState(rep.Conclusion),
			Context:     red(rep.Name),
			TargetURL:   r.runURL(),
			Description: Truncate(red(rep.Title), MaxStatusDescription, "…"),
		}
		if err := statuses.CreateStatus(ctx, owner, name, ev.SHA, st); err != nil {
			return Published{Err: err}
		}
		return Published{Status: true}
	}
	checks, ok := forge.(release.Checks)
	if !ok {
		return Published{Skipped: "the forge has no check runs"}
	}
	cr := github.CheckRun{
		Name:       red(rep.Name),
		HeadSHA:    ev.SHA,
		Status:     "completed",
		Conclusion: string(rep.Conclusion),
		DetailsURL: r.runURL(),
		Title:      Truncate(red(rep.Title), 1000, "…"),
		Summary:    Truncate(red(checkSummary(rep)), MaxCheckSummary, "\n\n_… cut at GitHub's 65,535-character limit_"),
	}
	for _, a := range rep.Annotations {
		// The checks API places annotations on files; findings about
		// commits and branches are in the summary's table instead.
		if a.File == "" {
			continue
		}
		line := max(a.Line, 1)
		cr.Annotations = append(cr.Annotations, github.Annotation{
			Path: a.File, StartLine: line, EndLine: max(a.EndLine, line),
			Level: checkLevel(a.Level), Title: red(a.Title), Message: red(a.Message),
		})
	}
	id, err := checks.CreateCheckRun(ctx, owner, name, cr)
	return Published{CheckRunID: id, Err: err}
}

// checkSummary is the check run's summary: the report's summary and the
// findings that have no file to sit on.
func checkSummary(rep *Report) string {
	var pathless []Annotation
	for _, a := range rep.Annotations {
		if a.File == "" {
			pathless = append(pathless, a)
		}
	}
	s := strings.TrimRight(rep.Summary, "\n")
	if len(pathless) > 0 && !rep.SummaryListsFindings {
		s += "\n\n" + AnnotationTable(pathless)
	}
	if s == "" {
		s = rep.Title
	}
	return s
}

func statusState(c Conclusion) string {
	if c == Failed {
		return "failure"
	}
	return "success"
}

// client builds the GitHub client (the forge) for opt.APIURL, or for what
// release.ResolveAPIURL makes of GITHUB_API_URL (GitHub Enterprise Server
// sets https://HOST/api/v3) when that is empty.
func (r *Runner) client(ctx context.Context, opt PublishOptions) (*github.Client, error) {
	api := opt.APIURL
	if api == "" {
		var err error
		if api, err = release.ResolveAPIURL(ctx, release.APIURLOptions{Env: r.getenv("GITHUB_API_URL")}); err != nil {
			return nil, err
		}
	}
	opts := []github.Option{github.WithBaseURL(api)}
	if opt.HTTPClient != nil {
		opts = append(opts, github.WithHTTPClient(opt.HTTPClient))
	}
	return github.New(opt.Token, opts...)
}

// runURL is the link to the workflow run, or "" outside Actions.
func (r *Runner) runURL() string {
	server, repo, run := r.getenv("GITHUB_SERVER_URL"), r.getenv("GITHUB_REPOSITORY"), r.getenv("GITHUB_RUN_ID")
	if server == "" || repo == "" || run == "" {
		return ""
	}
	return fmt.Sprintf("%s/%s/actions/runs/%s", strings.TrimSuffix(server, "/"), repo, run)
}
