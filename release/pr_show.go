package release

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// prPreview sets rep.Preview when opt asks for it: PreviewRelease on the
// commit the pull request lands as — the squash commit when the
// repository squash-merges only, GitHub's merge commit ("Merge pull
// request #N from owner/branch" and the title) when it makes merge
// commits only, else a plain merge of the head (each commit counts). A
// preview that cannot be made is a note: it never fails the check.
func prPreview(ctx context.Context, repo *git.Repo, opt PROptions, commits []PRCommit, rep *PRReport) {
	if !opt.Preview || opt.Plan == nil || opt.Base == "" || opt.MergeGroup || rep.Skipped != "" {
		return
	}
	po := PreviewOptions{
		Plan: *opt.Plan, Changelog: opt.Changelog, Image: opt.Image,
		Base: opt.Base, BaseSHA: opt.BaseSHA, HeadSHA: opt.HeadSHA,
		Now: opt.Now, Redactor: opt.Redactor, Packages: opt.Packages, BumpDependents: opt.BumpDependents,
	}
	switch squash, merge, rebase := opt.Merge.methods(); {
	case squash && !merge && !rebase:
		po.Squash = opt.Merge.SquashCommit(opt.Title, opt.Body, opt.Number, commits)
	case merge && !squash && !rebase:
		po.MergeMessage = prMergeMessage(opt)
	}
	pv, err := PreviewRelease(ctx, repo, po)
	if err != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("no release preview: %v", err))
		return
	}
	rep.Preview = pv
}

// PreviewLine says in one line what merging releases: "merging releases
// v1.4.0 (minor: feat(api): add search)", or "no release: why".
func (pv *ReleasePreview) PreviewLine() string {
	if pv.Nothing == "" && len(pv.Packages) > 0 {
		return pv.packagesLine()
	}
	if pv.Nothing != "" || pv.Tag == "" {
		return "no release: " + cutOr(pv.Nothing, "nothing to release")
	}
	why := pv.Reason
	if pv.DecidedBy != "" {
		why = pv.Bump + ": " + pv.DecidedBy
	}
	if why == "" {
		return "merging releases " + pv.Tag
	}
	return fmt.Sprintf("merging releases %s (%s)", pv.Tag, why)
}

// prMergeMessage is GitHub's message for "Create a merge commit": the
// head named owner/branch (the repository's owner when unknown), then the
// title.
func prMergeMessage(opt PROptions) string {
	owner, _, _ := strings.Cut(opt.Repository, "/")
	head := opt.Head
	if owner != "" {
		head = owner + "/" + head
	}
	return fmt.Sprintf("Merge pull request #%d from %s\n\n%s", opt.Number, head, strings.TrimSpace(opt.Title))
}

// Valid reports whether the pull request passes the check: it does not
// fail (a skipped or pending one is valid).
func (r *PRReport) Valid() bool { return !r.Failed() }

// FirstError is the first error's title and message on one line
// ("commit 1a2b3c4: subject-empty: 1a2b3c4 Fixed stuff: …"), or "".
func (r *PRReport) FirstError() string {
	for _, e := range r.Entries() {
		for _, f := range e.Standalone() {
			if f.Level == report.Error {
				line := f.Message
				if f.Title != "" {
					line = f.Title + ": " + f.Message
				}
				return strings.Join(strings.Fields(report.Visible(line)), " ")
			}
		}
	}
	return ""
}

// NextVersion is the version merging releases and its bump ("1.4.0",
// "minor"), from the preview; both empty when there is no preview or no
// release.
func (r *PRReport) NextVersion() (version, bump string) {
	if r.Preview == nil || r.Preview.Nothing != "" {
		return "", ""
	}
	return r.Preview.Version, r.Preview.Bump
}
