package release

import (
	"fmt"
	"io"

	"github.com/shipflow/shipflow/release/github"
)

// WriteText writes the release as `shipflow release` prints it: the tag,
// where it goes and a line per step (✓ ran, - skipped with why, ✗
// failed), the warnings and the release's page; a dry run adds the plan's
// commits, its version files, the commit message, the floating tag and the notes. With
// nothing to release it writes why; a run that failed before it had a tag
// writes its failed steps.
func (r *CutReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	if r.Nothing != "" {
		t.printf("%s\n", r.Nothing)
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
	mode := ""
	switch {
	case p.Local && p.DryRun:
		mode = " (local, dry run)"
	case p.Local:
		mode = " (local)"
	case p.DryRun:
		mode = " (dry run)"
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
	for _, warn := range p.Warnings {
		t.printf("warning: %s\n", warn)
	}
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

// WriteJSON writes the release as one indented JSON document (the plan,
// the steps, or why there is nothing to release).
func (r *CutReport) WriteJSON(w io.Writer) error {
	return writeJSON(w, r, true)
}
