package release

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/release/image"
)

// WriteText writes the push as `shipflow image push` prints it: the image
// and what was uploaded, every tag (old → new digest, and what happened to
// it), the tags put right after a concurrent push, those not moved, then
// the plan's warnings.
//
// opErr is the error ImagePush returned with the report. A push that
// failed writes the image and its tags only, so that a refused or broken
// push shows what reached the registry, and nothing when no tag was
// planned; its warnings are left to the findings (ImagePushFindings).
func (r *ImagePushReport) WriteText(w io.Writer, opErr error) error {
	if opErr != nil && len(r.Tags) == 0 {
		return nil
	}
	t := &textWriter{w: w}
	imgPushText(t, &r.PushReport)
	if opErr == nil && len(r.Warnings) > 0 {
		t.printf("\nwarnings:\n")
		for _, s := range r.Warnings {
			t.printf("  ⚠ %s\n", s)
		}
	}
	return t.err
}

// WriteJSON writes the push as one indented JSON document, with opErr as
// for WriteText: a failed push is written only when it planned tags.
func (r *ImagePushReport) WriteJSON(w io.Writer, opErr error) error {
	if opErr != nil && len(r.Tags) == 0 {
		return nil
	}
	return writeJSON(w, r, false)
}

// WriteImagePushProgress writes the progress line of a push to a terminal
// ("\rpushing 1.2 MiB / 8.0 MiB "): it starts with a carriage return, so
// that each line replaces the last.
func WriteImagePushProgress(w io.Writer, p image.Progress) error {
	_, err := fmt.Fprintf(w, "\rpushing %s / %s ", imgBytes(p.Complete), imgBytes(p.Total))
	return err
}

func imgPushText(t *textWriter, rep *image.PushReport) {
	verb := "pushed"
	switch {
	case rep.DryRun:
		verb = "would push (dry run)"
	case !rep.Pushed:
		verb = "not pushed"
	}
	platforms := strings.Join(rep.Platforms, ", ")
	if platforms == "" {
		platforms = "no platform"
	}
	t.printf("%s %s@%s\n  version %s, %s, %s uploaded\n\ntags:\n", verb, rep.Repository, rep.Digest, rep.Version, platforms, imgBytes(rep.Uploaded))
	imgTagsText(t, rep.Tags, rep.DryRun)
	if len(rep.Repaired) > 0 {
		t.printf("\nput right after a concurrent push of a higher version:\n")
		imgTagsText(t, rep.Repaired, false)
	}
	if len(rep.Skipped) > 0 {
		t.printf("\nnot moved:\n")
		for _, s := range rep.Skipped {
			t.printf("  %s\n", s)
		}
	}
}

func imgTagsText(t *textWriter, tags []image.TagChange, dry bool) {
	for _, c := range tags {
		old := c.Old
		if old == "" {
			old = "(new)"
		}
		state := "moved"
		switch {
		case c.Restored:
			state = "put back after a failure"
		case !c.Moved():
			state = "unchanged"
		case dry && c.Old == "":
			state = "would create"
		case dry:
			state = "would move"
		case c.Written && c.Old == "":
			state = "created"
		case !c.Written:
			state = "not written"
		}
		t.printf("  %-12s %-9s %s → %s  %s\n", c.Tag, c.Kind, imgShort(old), imgShort(c.New), state)
	}
}

// imgShort cuts a digest to its algorithm and first 12 hex digits
// ("sha256:0123456789ab").
func imgShort(d string) string {
	if alg, hex, ok := strings.Cut(d, ":"); ok && len(hex) > 12 {
		return alg + ":" + hex[:12]
	}
	return d
}

func imgBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// ImageRollbackMoved reports whether a rollback left any tag moved: then
// its record is worth writing, for an undo.
func ImageRollbackMoved(rep *image.RollbackReport) bool {
	if rep == nil {
		return false
	}
	for _, c := range rep.Tags {
		if c.Written {
			return true
		}
	}
	return false
}

// WriteImageRollbackText writes a rollback (or its undo) as `shipflow
// image rollback` prints it: what moved from where to where, the tags, the
// ones left alone, and where the record went. record is the record file's
// path (its base name is shown); opErr is the error that stopped the
// rollback partway (the tags then say what moved and what was put back),
// recErr the error writing its record.
func WriteImageRollbackText(w io.Writer, rep *image.RollbackReport, record string, opErr, recErr error) error {
	t := &textWriter{w: w}
	imgRollbackText(t, rep, record, opErr, recErr)
	return t.err
}

func imgRollbackText(t *textWriter, rep *image.RollbackReport, record string, opErr, recErr error) {
	what := "rolled back"
	if rep.Undo {
		what = "undid rollback:"
	}
	from := rep.From
	if from == "" {
		from = imgShort(rep.FromDigest)
	}
	t.printf("%s %s from %s to %s\n", what, rep.Repository, from, rep.To)
	if opErr != nil {
		t.printf("  FAILED partway: the tags below say what moved and what was put back\n")
	}
	if len(rep.Tags) == 0 {
		t.printf("  no tag named the bad release: nothing moved\n")
	} else {
		t.printf("\ntags:\n")
		imgTagsText(t, rep.Tags, false)
	}
	if len(rep.Untouched) > 0 {
		t.printf("\nuntouched:\n")
		for _, s := range rep.Untouched {
			t.printf("  %s\n", s)
		}
	}
	switch {
	case recErr != nil:
		t.printf("\nrecord: NOT written (%v)\n", recErr)
		if rep.From != "" {
			t.printf("  to reverse it: shipflow image rollback --repo %s --to %s\n", rep.Repository, rep.From)
		}
	case ImageRollbackMoved(rep):
		t.printf("\nrecord: %s (undo with: shipflow image rollback --undo --record %s)\n", filepath.Base(record), filepath.Base(record))
	case len(rep.Tags) > 0:
		t.printf("\nrecord: none written: no tag stayed moved\n")
	}
}

// WriteImageRollbackJSON writes a rollback as one indented JSON document.
func WriteImageRollbackJSON(w io.Writer, rep *image.RollbackReport) error {
	return writeJSON(w, rep, false)
}

// WriteImageWatchText writes a watch as `shipflow image watch` prints it:
// the checks, the rollback target and the outcome, with the rollback as
// WriteImageRollbackText writes it when there was one. opts are the
// watch's (its failures and duration are quoted); record, opErr and recErr
// are the rollback's.
func WriteImageWatchText(w io.Writer, rep *image.WatchReport, opts image.WatchOptions, record string, opErr, recErr error) error {
	t := &textWriter{w: w}
	failed := 0
	for _, c := range rep.Checks {
		if !c.Healthy {
			failed++
		}
	}
	last := "none"
	if n := len(rep.Checks); n > 0 {
		last = rep.Checks[n-1].Result
	}
	t.printf("watched %s: %d checks, %d failed, last %s\n", rep.Health, len(rep.Checks), failed, last)
	t.printf("rollback target: %s\n", rep.Target)
	switch rep.Outcome {
	case "healthy":
		t.printf("healthy: never %d failures in a row within %s; nothing rolled back\n", opts.Failures, opts.MaxDuration)
	case "stopped":
		t.printf("stopped before the end; nothing rolled back\n")
	case "rolled back":
		t.printf("%d failures in a row: ", opts.Failures)
		if rep.Rollback != nil {
			imgRollbackText(t, rep.Rollback, record, opErr, recErr)
		} else {
			t.printf("rollback failed\n")
		}
	}
	return t.err
}

// WriteImageWatchJSON writes a watch as one indented JSON document.
func WriteImageWatchJSON(w io.Writer, rep *image.WatchReport) error {
	return writeJSON(w, rep, false)
}
