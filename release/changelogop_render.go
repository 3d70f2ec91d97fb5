package release

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/release/report"
)

// WriteText writes what Changelog did as `shipflow changelog` prints it,
// for the opts it was called with. With opts.DryRun that is the section
// itself, the release notes (nothing when there is none: Skipped says
// why); else one line: the file rebuilt, the section written with how many
// commits it holds and left out, or why the file was not changed. root is
// the repository's top level: the file's path is shown relative to it.
func (r *ChangelogReport) WriteText(w io.Writer, root string, opts ChangelogOptions) error {
	if opts.DryRun {
		_, err := io.WriteString(w, r.Section)
		return err
	}
	t := &textWriter{w: w}
	rel, err := filepath.Rel(root, r.Path)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = r.Path
	}
	switch {
	case r.Written && opts.Rebuild:
		t.printf("rebuilt %s from %d %s\n", rel, r.Commits, report.Plural(r.Commits, "commit", "commits"))
	case r.Written:
		t.printf("wrote %s: %s (%d %s, %d %s left out)\n", rel, r.Tag, r.Commits, report.Plural(r.Commits, "commit", "commits"), len(r.Dropped), report.Plural(len(r.Dropped), "duplicate", "duplicates"))
	default:
		t.printf("%s not changed: %s\n", rel, r.Skipped)
	}
	return t.err
}

// WriteJSON writes the report as one indented JSON document; its Context
// is the data a changelog.template is rendered from.
func (r *ChangelogReport) WriteJSON(w io.Writer) error {
	return writeJSON(w, r, false)
}
