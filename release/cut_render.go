package release

import (
	"fmt"
	"io"
	"strings"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/github"
)

// cutRenderListMax caps the names a list in the release report shows.
const cutRenderListMax = 5

// WriteText writes the release as `shipflow release` prints it: the tag,
// where it goes (and how: "pr mode", "local", "dry run") and a line per
// step (✓ ran, - skipped with why, ✗ failed), the kind of GitHub release
// (prerelease, latest or not), its assets, the warnings, the release pull
// request's line and the release's page; a dry run adds the plan's
// commits, its version files, the commit message, the floating tag and the
// notes. With nothing to release it writes why, and what became of the
// release pull request; a run that failed before it had a tag writes its
// failed steps.
func (r *CutReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	if r.Nothing != "" {
		t.printf("%s\n", r.Nothing)
		r.writePR(t)
		return t.err
	}
	p := r.Plan
	if p == nil || p.Tag == "" {
		for _, s := range r.Steps {
			if s.Error != "" {
				t.printf("✗ %s\n", s.Step)
			}
		}
		return t.err
	}
	from := p.PreviousTag
	if from == "" {
		from = "first release"
	}
	var modes []string
	if p.Mode == config.ReleaseModePR && !p.Local {
		modes = append(modes, "pr mode")
	}
	if p.Local {
		modes = append(modes, "local")
	}
	if p.DryRun {
		modes = append(modes, "dry run")
	}
	mode := ""
	if len(modes) > 0 {
		mode = " (" + strings.Join(modes, ", ") + ")"
	}
	gh := ""
	switch {
	case p.Owner == "" || p.Local:
		// A warning says why and what to pass.
	case p.APIURL != "" && p.APIURL != github.DefaultBaseURL:
		gh = fmt.Sprintf(", GitHub %s/%s at %s", p.Owner, p.Repo, p.APIURL)
	default:
		gh = fmt.Sprintf(", GitHub %s/%s", p.Owner, p.Repo)
	}
	if p.Local {
		t.printf("release %s (from %s) on %s%s\n", p.Tag, from, p.Branch, mode)
	} else {
		t.printf("release %s (from %s) on %s → %s%s%s\n", p.Tag, from, p.Branch, p.Remote, gh, mode)
	}
	for _, s := range r.Steps {
		switch {
		case s.Error != "":
			t.printf("  ✗ %s\n", s.Step)
		case s.Skipped != "":
			t.printf("  - %s: %s\n", s.Step, s.Skipped)
		default:
			t.printf("  ✓ %s\n", s.Step)
		}
	}
	if kind := cutReleaseKind(p); kind != "" {
		when := ""
		if r.ReleasePR != nil && r.ReleasePR.pending() {
			when = " once the release PR is merged"
		}
		t.printf("GitHub release%s: %s\n", when, kind)
	}
	if len(p.Assets) > 0 && !p.Local {
		files := "files"
		if len(p.Assets) == 1 {
			files = "file"
		}
		t.printf("assets: %d %s + %s (%s)\n", len(p.Assets), files, cutChecksumsName, cutList(p.Assets, cutRenderListMax))
	}
	for _, warn := range p.Warnings {
		t.printf("warning: %s\n", warn)
	}
	r.writePR(t)
	if p.ReleaseURL != "" {
		t.printf("%s\n", p.ReleaseURL)
	}
	if p.DryRun {
		if p.Next != nil {
			t.printf("\n")
			if t.err == nil {
				t.err = p.Next.WriteCommits(w)
			}
			if t.err == nil {
				t.err = p.Next.WriteVersionFiles(w)
			}
		}
		t.printf("\ncommit message: %s\n", p.CommitMessage)
		if p.FloatingTag != "" {
			t.printf("floating tag: %s\n", p.FloatingTag)
		}
		t.printf("\n%s", p.Notes)
	}
	return t.err
}

// cutReleaseKind says what kind of GitHub release the version is, or will
// be: a prerelease, or a stable version made "Latest" or not (a hotfix on
// an older line); a draft says so. It is "" for a local release and a plan
// without a version.
func cutReleaseKind(p *CutPlan) string {
	if p.Local || p.Version == "" {
		return ""
	}
	var kind []string
	if p.Draft {
		kind = append(kind, "draft")
	}
	switch {
	case p.Prerelease:
		kind = append(kind, "prerelease")
	case p.Latest:
		kind = append(kind, "latest")
	case p.higherInMajor != "":
		kind = append(kind, fmt.Sprintf("not latest: %s is higher", p.higherInMajor))
	default:
		kind = append(kind, "not latest: a higher version is tagged")
	}
	return strings.Join(kind, ", ")
}

// writePR writes the line of the release pull request, if any: what this
// run did with it, or would do in a dry run.
func (r *CutReport) writePR(t *textWriter) {
	pr := r.ReleasePR
	if pr == nil {
		return
	}
	name := "release PR"
	if pr.Number != 0 {
		name = fmt.Sprintf("release PR #%d", pr.Number)
	}
	url := ""
	if pr.URL != "" {
		url = ": " + pr.URL
	}
	tag := ""
	if r.Plan != nil {
		tag = r.Plan.Tag
	}
	switch pr.Action {
	case "":
		// A run that failed before it knew.
	case "would open", "would open or update":
		t.printf("%s a release PR from %s\n", pr.Action, pr.Branch)
	case "would update", "would close":
		why := url
		if pr.Action == "would close" {
			why = ": nothing left to release"
		}
		t.printf("%s %s (%s)%s\n", pr.Action, name, pr.Branch, why)
	case "closed":
		t.printf("%s closed: nothing left to release\n", name)
	case "released", "would release", "merged":
		merged := ""
		if pr.MergeCommit != "" {
			merged = " as " + cutShort(pr.MergeCommit)
		}
		switch pr.Action {
		case "released":
			t.printf("%s merged%s: released %s\n", name, merged, tag)
		case "would release":
			t.printf("%s merged%s: would release %s\n", name, merged, tag)
		default: // the release of the merge failed: a re-run resumes it
			t.printf("%s merged%s: releasing %s\n", name, merged, tag)
		}
	default: // opened, updated, unchanged
		t.printf("%s %s%s\n", name, pr.Action, url)
	}
}

// pending reports whether the release PR is still to be merged: the
// GitHub release is made when it is.
func (pr *ReleasePR) pending() bool {
	switch pr.Action {
	case "opened", "updated", "unchanged", "would open", "would update", "would open or update":
		return true
	}
	return false
}

// WriteJSON writes the release as one indented JSON document (the plan,
// the steps, or why there is nothing to release).
func (r *CutReport) WriteJSON(w io.Writer) error {
	return writeJSON(w, r, true)
}
