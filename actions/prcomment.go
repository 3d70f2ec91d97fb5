package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/internal/redact"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/github"
)

// PRCommentMarker starts the one pull request comment `shipflow pr` and
// the pr Action keep (github.Client.StickyComment): only a bot's comment
// starting with it is ever updated or deleted.
const PRCommentMarker = "<!-- shipflow:pr -->"

// The comment modes (input and flag `comment`, pr.comment:
// release.PROptions.Comment).
const (
	CommentNever     = "never"
	CommentOnFailure = "on-failure"
	CommentAlways    = "always"
)

// MaxComment is the longest comment body GitHub takes, in characters.
const MaxComment = 65536

// PRCommentBody is the sticky comment's body for pr, or "" when mode
// wants no comment (never; on-failure on a pull request that passes):
// the marker, a heading with the verdict line (title), then the
// findings with their fixes and the release preview (PRReport's
// Markdown, within GitHub's comment limit).
func PRCommentBody(mode string, pr *release.PRReport, title string) (string, error) {
	if mode == CommentNever || mode == CommentOnFailure && !pr.Failed() {
		return "", nil
	}
	icon := "✅"
	switch {
	case pr.Failed():
		icon = "❌"
	case pr.Neutral():
		icon = "ℹ️"
	case pr.Warnings > 0:
		icon = "⚠️"
	}
	head := fmt.Sprintf("%s\n### shipflow pr\n\n%s %s\n\n", PRCommentMarker, icon, escapeMarkdown(title))
	// Characters, not bytes, are GitHub's limit; bytes are never fewer.
	md, err := pr.MarkdownWithin(MaxComment - len(head) - 200)
	if err != nil {
		return "", err
	}
	return Truncate(head+md, MaxComment, "\n\n_… cut at GitHub's comment limit_\n"), nil
}

// PRComment is what keeping the comment did.
type PRComment struct {
	// Did is github.StickyCreated, StickyUpdated, StickyUnchanged,
	// StickyDeleted or StickyNone; "" when nothing was asked of GitHub.
	Did string
	// URL is the comment's address while there is one.
	URL string
	// Skipped says why no comment was tried (a fork's read-only token, no
	// token or pull request); Err is GitHub's refusal (a 403). Neither
	// fails the check.
	Skipped string
	Err     error
}

// PRCommentTarget is where the comment goes.
type PRCommentTarget struct {
	// Client reaches GitHub, nil without a token.
	Client *github.Client
	// Repository is "owner/name"; Number the pull request's.
	Repository string
	Number     int
	// ReadOnly says the token cannot write (a pull_request from a fork).
	ReadOnly bool
	// Redactor replaces secrets in the body, as in the log and the check
	// run; nil replaces GitHub token shapes.
	Redactor *redact.Redactor
}

// KeepPRComment keeps the one sticky comment on the pull request as mode
// asks (see PRCommentBody): written while wanted, deleted when not (the
// on-failure comment of a pull request that now passes). Never is
// nothing at all. It never returns an error: what went wrong is in
// PRComment.Err or Skipped, for a warning.
func KeepPRComment(ctx context.Context, t PRCommentTarget, mode string, pr *release.PRReport, title string) PRComment {
	if mode == CommentNever || mode == "" {
		return PRComment{}
	}
	owner, name, ok := strings.Cut(t.Repository, "/")
	switch {
	case pr.MergeGroup || t.Number <= 0:
		return PRComment{Skipped: "no pull request number"}
	case !ok:
		return PRComment{Skipped: "no repository (GITHUB_REPOSITORY)"}
	case t.ReadOnly:
		return PRComment{Skipped: "the pull request is from a fork: its token is read-only (the summary and annotations have the findings)"}
	case t.Client == nil:
		return PRComment{Skipped: "no token"}
	}
	body, err := PRCommentBody(mode, pr, title)
	if err != nil {
		return PRComment{Err: err}
	}
	// What goes to GitHub is output too: redacted like the log.
	body = t.Redactor.String(body)
	did, cm, err := t.Client.StickyComment(ctx, owner, name, t.Number, PRCommentMarker, body)
	if err != nil {
		return PRComment{Err: err}
	}
	out := PRComment{Did: did}
	if did != github.StickyDeleted && did != github.StickyNone {
		out.URL = cm.HTMLURL
	}
	return out
}

// Note says, for the summary, why there is no comment; "" when all went
// well.
func (c PRComment) Note() string {
	switch {
	case c.Skipped != "":
		return "no pull request comment: " + c.Skipped
	case c.Err != nil:
		msg := fmt.Sprintf("shipflow could not keep the pull request comment: %v", c.Err)
		if github.IsForbidden(c.Err) {
			msg += " (grant the workflow `permissions: pull-requests: write`, or set `comment: never`)"
		}
		return msg
	}
	return ""
}
