package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/report"
)

// runCommitlint lints a range of commits: the inputs `from` and `to`
// when set; else a pull request's base.sha..head.sha; else a push's
// before..after (only the pushed commit when the branch is new or before
// is gone); a merge_group's base_sha..head_sha (the commits the queue
// adds); else since the last tag (release.ResolveLint). Its
// annotations and job summary are what `shipflow lint --format github`
// and `--format markdown` print for the same range. Outputs: errors,
// warnings, commits.
func runCommitlint(ctx context.Context, s *step) (*Report, error) {
	li, err := release.ResolveLint(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if li.Range.Config, err = release.LintConfig(s.dir, s.config); err != nil {
		return nil, &InputError{Err: err}
	}
	rep := &Report{Name: "shipflow commitlint", Conclusion: Success}
	var md strings.Builder
	w := report.NewMarkdown(&md)
	w.Begin(report.Run{Range: true})
	li.Range.OnCommit = func(cl release.CommitLint) {
		if len(cl.Findings) == 0 {
			return
		}
		e := report.LintEntry(report.SourceCommit, cl.Commit.Hash, "", cl.Result)
		rep.Annotations = append(rep.Annotations, e.Standalone()...)
		w.Write(e)
	}
	if s.ci().MergeGroup && li.Origin == release.RangeEvent {
		// A merge queue's group is base_sha..head_sha, both there.
		li.Range.Pushed = false
	}
	lr, err := release.LintRange(ctx, s.repo, li.Range)
	if err != nil {
		return nil, err
	}
	w.End(report.Summary{Range: lr.Range, Count: lr.Count, Bad: lr.BadCount, Errors: lr.Errors, Warnings: lr.Warnings}, nil)
	rep.Summary, rep.SummaryListsFindings = md.String(), true
	if lr.Errors > 0 || li.Strict && lr.Warnings > 0 {
		rep.Conclusion = Failed
	}
	rep.Title = fmt.Sprintf("%d %s, %d %s, %d %s in %d %s",
		lr.Errors, plural(lr.Errors, "error", "errors"), lr.Warnings, plural(lr.Warnings, "warning", "warnings"),
		lr.BadCount, plural(lr.BadCount, "bad commit", "bad commits"), lr.Count, plural(lr.Count, "commit", "commits"))
	rep.Outputs = []Output{{"errors", fmt.Sprint(lr.Errors)}, {"warnings", fmt.Sprint(lr.Warnings)}, {"commits", fmt.Sprint(lr.Count)}}
	return rep, nil
}

func headerOf(c *git.Commit) string {
	h, _, _ := strings.Cut(c.Message, "\n")
	return h
}

// runPR checks a whole pull request as it will land, with the values of
// release.ResolvePR (the inputs, named as `shipflow pr`'s flags, else the
// pull_request or merge_group event). Without a merge-method input or
// pr.merge-method, the repository's merge settings are read with the
// step's token (prMerge). On merge_group it lints the queue's commits
// under the same check name. A skipped or pending pull request (drafts,
// WIP titles, ignore labels) is neutral. Its annotations and job summary
// are what `shipflow pr --format github` and `--format markdown` print,
// with the release preview (input preview) and, as the input comment
// asks, the sticky pull request comment (KeepPRComment). Outputs: see
// prOutputs.
func runPR(ctx context.Context, s *step) (*Report, error) {
	opts, err := release.ResolvePR(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if opts.BaseSHA == "" && opts.HeadSHA == "" {
		return &Report{
			Name: "shipflow pr", Conclusion: Skipped,
			Title:   fmt.Sprintf("no pull request in this %s event: nothing to check", orEvent(s.ev.Name)),
			Summary: "Run `shipflow action pr` on `pull_request` (types: opened, edited, synchronize, reopened, ready_for_review, labeled, unlabeled) and `merge_group`.",
		}, nil
	}
	if err := opts.Validate(); err != nil {
		return nil, &InputError{Err: err}
	}
	opts.Redactor = s.r.red
	if opts.Lint, err = release.LintConfig(s.dir, s.config); err != nil {
		return nil, &InputError{Err: err}
	}
	if !opts.MergeGroup && opts.Merge == (release.PRMerge{}) {
		opts.Merge = s.prMerge(ctx)
	}
	pr, err := release.PR(ctx, s.repo, opts)
	if err != nil {
		return nil, err
	}
	rep := &Report{Name: "shipflow pr", Conclusion: Success}
	for _, e := range pr.Entries() {
		rep.Annotations = append(rep.Annotations, e.Standalone()...)
	}
	// The check run's summary is the job summary's: both list every
	// finding that fits GitHub's 65,535 characters (the heading, title
	// and notes take the rest), and count the others.
	md, err := pr.MarkdownWithin(MaxCheckSummary - prSummaryReserve)
	if err != nil {
		return nil, err
	}
	rep.Summary, rep.SummaryListsFindings = md, true
	switch {
	case pr.Neutral():
		rep.Conclusion = Neutral
	case pr.Failed():
		rep.Conclusion = Failed
	}
	rep.Title = PRCheckTitle(pr)
	comment := s.prComment(ctx, opts.Comment, pr, rep.Title)
	pr.CommentURL = comment.URL
	if note := comment.Note(); note != "" {
		if comment.Err != nil {
			s.r.Annotate([]Annotation{{Level: Warning, Title: rep.Name, Message: note}})
		}
		rep.Summary = strings.TrimRight(rep.Summary, "\n") + "\n\n_" + escapeMarkdown(note) + "._\n"
	}
	rep.Outputs = prOutputs(pr)
	return rep, nil
}

// prSummaryReserve is the room the pr check's summary leaves, under
// GitHub's check-run limit, for the heading, the title and the notes
// Publish adds.
const prSummaryReserve = 4000

// prOutputs are the pr Action's outputs, as `shipflow pr --format json`
// names them: valid (true when the check does not fail), errors,
// warnings, commits, first-error (the first error's title and message,
// one line), next-version and bump (from the release preview; empty when
// merging releases nothing) and comment-url (the sticky comment, while
// there is one).
func prOutputs(pr *release.PRReport) []Output {
	next, bump := pr.NextVersion()
	return []Output{
		{"valid", fmt.Sprint(pr.Valid())},
		{"errors", fmt.Sprint(pr.Errors)}, {"warnings", fmt.Sprint(pr.Warnings)}, {"commits", fmt.Sprint(len(pr.Commits))},
		{"first-error", pr.FirstError()},
		{"next-version", next}, {"bump", bump},
		{"comment-url", pr.CommentURL},
	}
}

// prComment keeps the sticky pull request comment as mode asks, with the
// step's token, on the event's pull request (KeepPRComment).
func (s *step) prComment(ctx context.Context, mode string, pr *release.PRReport, title string) PRComment {
	if mode == CommentNever {
		return PRComment{}
	}
	t := PRCommentTarget{Repository: s.ci().Repository, Number: pr.Number, ReadOnly: s.ev.ReadOnlyToken(), Redactor: s.r.red}
	if token := s.r.Input("token"); token != "" && !t.ReadOnly {
		client, err := s.r.client(ctx, PublishOptions{Token: token, HTTPClient: s.opt.HTTPClient})
		if err != nil {
			return PRComment{Err: err}
		}
		t.Client = client
	}
	return KeepPRComment(ctx, t, mode, pr, title)
}

// prMerge reads the repository's merge settings with the step's token:
// the zero PRMerge (all three methods) without a token or a repository;
// any failure falls back to all three with a note (release.PRMergeFromRepo),
// never an error.
func (s *step) prMerge(ctx context.Context) release.PRMerge {
	token := s.r.Input("token")
	owner, name, ok := strings.Cut(s.ci().Repository, "/")
	if token == "" || !ok {
		return release.PRMerge{}
	}
	client, err := s.r.client(ctx, PublishOptions{Token: token, HTTPClient: s.opt.HTTPClient})
	if err != nil {
		return release.PRMergeFromRepo(github.MergeSettings{}, err)
	}
	return release.PRMergeFromRepo(client.MergeSettings(ctx, owner, name))
}

// PRCheckTitle is the pr check's one-line verdict, its check run's title
// and the sticky comment's: "#12: 1 error, 0 warnings; what was linted",
// "#12 skipped: why", "#12 pending (draft): …", "merge group: …".
func PRCheckTitle(pr *release.PRReport) string {
	counts := fmt.Sprintf("%d %s, %d %s", pr.Errors, plural(pr.Errors, "error", "errors"), pr.Warnings, plural(pr.Warnings, "warning", "warnings"))
	switch {
	case pr.Skipped != "":
		return fmt.Sprintf("#%d skipped: %s", pr.Number, pr.Skipped)
	case pr.MergeGroup:
		return fmt.Sprintf("merge group: %s in %d %s", counts, len(pr.Commits), plural(len(pr.Commits), "commit", "commits"))
	case pr.Pending != "":
		return fmt.Sprintf("#%d pending (%s): %s", pr.Number, pr.Pending, counts)
	}
	return fmt.Sprintf("#%d: %s; %s", pr.Number, counts, pr.Linted)
}
