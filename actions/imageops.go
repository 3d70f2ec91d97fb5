package actions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/image"
)

// The image-rollback and image-watch verbs run what `shipflow image
// rollback` and `shipflow image watch` run (image.Rollback, image.Undo,
// image.Watch), with the inputs release.ResolveImageRollback and
// release.ResolveImageWatch read, which are the CLI's flags by name. The
// rollback record is a file of the working directory, read and written
// through repofs like every repository file.

// runImageRollback points the moving tags of the bad release back at an
// earlier one, or (input undo) reverses the rollback in the record.
// Outputs: rolled-back, repository, from-version, version and digest (the
// release rolled back to), tags (the tags moved, one REPOSITORY:TAG per
// line) and record. Nothing to roll back to fails the step with an error
// annotation, as the CLI exits 1.
func runImageRollback(ctx context.Context, s *step) (*Report, error) {
	s.r.Mask(s.r.Input("password"))
	opts, err := release.ResolveImageRollback(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, imageInputErr(err)
	}
	opts.Access.Token = s.r.Input("token")
	rep := &Report{Name: "shipflow image-rollback", Conclusion: Success}
	var rb *image.RollbackReport
	if opts.Undo {
		prev, err := readRollbackRecord(s.dir, opts.Record)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		knobs, err := imageOpKnobs(s, opts.Access, prev.Repository)
		if err != nil {
			return nil, err
		}
		rb, err = image.Undo(ctx, prev, knobs...)
		if rb == nil {
			return nil, err
		}
		return rollbackReport(s, rep, rb, opts.Record, err)
	}
	knobs, err := imageOpKnobs(s, opts.Access, opts.Rollback.Repository)
	if err != nil {
		return nil, err
	}
	rb, err = image.Rollback(ctx, opts.Rollback, knobs...)
	if rb == nil {
		if errors.Is(err, image.ErrNoTarget) {
			rep.Conclusion, rep.Title = Failed, "not rolled back: "+err.Error()
			rep.Annotations = []Annotation{{Level: Failure, Title: "shipflow image-rollback", Message: err.Error()}}
			rep.Outputs = []Output{{"rolled-back", "false"}, {"repository", opts.Rollback.Repository}}
			return rep, nil
		}
		return nil, imageInputErr(err)
	}
	return rollbackReport(s, rep, rb, opts.Record, err)
}

// rollbackReport fills rep from a rollback (or undo) that ran, writing
// its record when tags stayed moved. opErr is the error that stopped it
// partway: returned after the record is written, so that an undo can
// reverse what moved.
func rollbackReport(s *step, rep *Report, rb *image.RollbackReport, record string, opErr error) (*Report, error) {
	recErr := writeRollbackRecord(s.dir, record, rb)
	var b strings.Builder
	_ = release.WriteImageRollbackText(&b, rb, record, opErr, recErr)
	rep.Summary = textBlock(b.String())
	if opErr != nil {
		return nil, opErr
	}
	if recErr != nil {
		return nil, recErr
	}
	moved := release.ImageRollbackMoved(rb)
	var tags []string
	for _, tc := range rb.Tags {
		if tc.Written {
			tags = append(tags, rb.Repository+":"+tc.Tag)
		}
	}
	from := rb.From
	if from == "" {
		from = shortDigest(rb.FromDigest)
	}
	verb := "rolled back"
	if rb.Undo {
		verb = "undid the rollback of"
	}
	rep.Title = fmt.Sprintf("%s %s from %s to %s (%d tags moved)", verb, rb.Repository, from, rb.To, len(tags))
	if !moved {
		rep.Title = fmt.Sprintf("%s: no tag named %s, nothing moved", rb.Repository, from)
		record = ""
	}
	rep.Outputs = []Output{
		{"rolled-back", fmt.Sprint(moved)},
		{"repository", rb.Repository},
		{"from-version", rb.From},
		{"version", rb.To},
		{"digest", rb.ToDigest},
		{"tags", strings.Join(tags, "\n")},
		{"record", record},
	}
	return rep, nil
}

// runImageWatch polls the health URL and rolls back after the failures
// in a row, as `shipflow image watch`. Outputs: outcome (healthy, rolled
// back or stopped), rolled-back, target (the version a rollback goes
// to), checks and failed-checks, and after a rollback version, digest,
// tags and record as image-rollback sets them. A watch that rolled back
// fails the step, so that the workflow notices. Without a health URL
// (input or image.watch.health) the step is skipped: outcome skipped.
// With nothing to roll back to (the first release) it does not watch:
// outcome "not watched", a warning, a neutral conclusion — where the CLI
// exits 1 — so that a release workflow's first release does not fail.
func runImageWatch(ctx context.Context, s *step) (*Report, error) {
	s.r.Mask(s.r.Input("password"))
	if s.r.Input("health") == "" && s.config.Image.Watch.Health == "" {
		// The release workflow runs the watch after every image push;
		// a project without a health URL has nothing to watch.
		return &Report{Name: "shipflow image-watch", Conclusion: Skipped,
			Title:   "nothing to watch: no health input and no image.watch.health in .shipflow.yaml",
			Outputs: []Output{{"outcome", "skipped"}, {"rolled-back", "false"}}}, nil
	}
	opts, err := release.ResolveImageWatch(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, imageInputErr(err)
	}
	opts.Access.Token = s.r.Input("token")
	knobs, err := imageOpKnobs(s, opts.Access, opts.Watch.Rollback.Repository)
	if err != nil {
		return nil, err
	}
	w, err := image.Watch(ctx, opts.Watch, knobs...)
	if w == nil {
		if errors.Is(err, image.ErrNoTarget) {
			// The first release has nothing to go back to: the watch could
			// not protect it, which is worth a warning, not a failed release.
			return &Report{Name: "shipflow image-watch", Conclusion: Neutral, Title: "not watched: " + err.Error(),
				Annotations: []Annotation{{Level: Warning, Title: "shipflow image-watch", Message: "not watched: " + err.Error()}},
				Outputs:     []Output{{"outcome", "not watched"}, {"rolled-back", "false"}}}, nil
		}
		return nil, imageInputErr(err)
	}
	var recErr error
	if w.Rollback != nil {
		recErr = writeRollbackRecord(s.dir, opts.Record, w.Rollback)
	}
	var b strings.Builder
	_ = release.WriteImageWatchText(&b, w, opts.Watch, opts.Record, err, recErr)
	failed := 0
	for _, c := range w.Checks {
		if !c.Healthy {
			failed++
		}
	}
	rep := &Report{Name: "shipflow image-watch", Conclusion: Success, Summary: textBlock(b.String())}
	if err != nil {
		return nil, err
	}
	if recErr != nil {
		return nil, recErr
	}
	rep.Title = fmt.Sprintf("%s: %d checks of %s, %d failed", w.Outcome, len(w.Checks), w.Health, failed)
	rep.Outputs = []Output{
		{"outcome", w.Outcome},
		{"rolled-back", fmt.Sprint(release.ImageRollbackMoved(w.Rollback))},
		{"target", w.Target},
		{"checks", fmt.Sprint(len(w.Checks))},
		{"failed-checks", fmt.Sprint(failed)},
	}
	if rb := w.Rollback; rb != nil {
		var tags []string
		for _, tc := range rb.Tags {
			if tc.Written {
				tags = append(tags, rb.Repository+":"+tc.Tag)
			}
		}
		rep.Outputs = append(rep.Outputs, Output{"version", rb.To}, Output{"digest", rb.ToDigest},
			Output{"tags", strings.Join(tags, "\n")}, Output{"record", opts.Record})
	}
	if w.Outcome == "rolled back" {
		rep.Conclusion = Failed
		rep.Annotations = []Annotation{{Level: Failure, Title: "shipflow image-watch",
			Message: fmt.Sprintf("%s failed %d checks in a row: rolled %s back to %s", w.Health, opts.Watch.Failures, opts.Watch.Rollback.Repository, w.Target)}}
	}
	return rep, nil
}

// imageOpKnobs are the registry options for repository: the access
// inputs, .shipflow.yaml's image section, the token for ghcr.io.
func imageOpKnobs(s *step, access release.ImageAccess, repository string) ([]image.Option, error) {
	knobs, err := access.Knobs(s.config.Image, s.dir, repository)
	if err != nil {
		return nil, imageInputErr(err)
	}
	return append(knobs, image.WithUserAgent("shipflow-action")), nil
}

// imageInputErr makes the workflow's and the configuration's mistakes
// input errors, and passes the rest on.
func imageInputErr(err error) error {
	var ie *image.InputError
	var ce *config.Error
	var be *release.InputError
	if errors.As(err, &ie) || errors.As(err, &ce) || errors.As(err, &be) {
		return &InputError{Err: err}
	}
	return err
}

// readRollbackRecord reads the rollback an undo reverses, from the working
// directory.
func readRollbackRecord(dir, name string) (*image.RollbackReport, error) {
	b, err := repofs.ReadFile(dir, filepath.FromSlash(name), repofs.DefaultMaxRead)
	if err != nil {
		return nil, fmt.Errorf("reading the rollback record: %w", err)
	}
	var rb image.RollbackReport
	if err := json.Unmarshal(b, &rb); err != nil {
		return nil, fmt.Errorf("reading the rollback record %s: %w", name, err)
	}
	return &rb, nil
}

// writeRollbackRecord saves a rollback that left tags moved, for an undo;
// one that moved nothing writes nothing, so that it does not overwrite
// the record of an earlier one.
func writeRollbackRecord(dir, name string, rb *image.RollbackReport) error {
	if !release.ImageRollbackMoved(rb) {
		return nil
	}
	b, err := json.MarshalIndent(rb, "", "  ")
	if err != nil {
		return fmt.Errorf("writing the rollback record: %w", err)
	}
	if err := repofs.WriteFile(dir, filepath.FromSlash(name), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing the rollback record: %w", err)
	}
	return nil
}

// textBlock is text as a Markdown code block whose fence no line of it
// can close.
func textBlock(text string) string {
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	return fence + "text\n" + strings.TrimRight(text, "\n") + "\n" + fence + "\n"
}
