package actions

import (
	"cmp"
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
// Outputs: rolled-back, repository, from-version, version
// and digest (the release rolled back to), tags (the tags moved, one
// REPOSITORY:TAG per line) and record. Nothing to roll back to fails the
// step with an error annotation, as the CLI exits 1. After tags moved,
// the on-rollback (on-promote) command runs in the working directory; its
// failure fails the step, saying that the tags have moved. Input dry-run
// moves nothing and says what would move.
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
		rb, err = undoRecorded(ctx, s, opts.Access, opts.Record)
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
	if opts.Rollback.DryRun {
		var b strings.Builder
		_, cerr := opts.OnRollback.Render(release.ImageCommandDataOf(rb))
		if opts.OnRollback.Empty() {
			cerr = nil
		}
		_ = release.WriteImageRollbackPlanText(&b, rb, opts.OnRollback, cerr)
		rep.Title = fmt.Sprintf("dry run: would roll back %s to %s (%d tags), nothing moved", rb.Repository, rb.To, len(rb.Tags))
		rep.Summary = textBlock(b.String())
		rep.Outputs = []Output{{"rolled-back", "false"}, {"repository", rb.Repository}, {"from-version", rb.From}, {"version", rb.To}, {"digest", rb.ToDigest}}
		return rep, nil
	}
	rep, rerr := rollbackReport(s, rep, rb, opts.Record, err)
	if rerr != nil {
		return nil, rerr
	}
	if _, err := runImageCommand(ctx, s, opts.OnRollback, rb, opts.Record); err != nil {
		return nil, err
	}
	return rep, nil
}

// runImagePromote points the environment tag (input env) at the image of
// image-version, by digest, as `shipflow image promote`, recorded like a
// rollback; then runs the on-promote command. With undo, it puts back the
// digest the record's tag named before. Outputs: promoted, repository,
// env, from-version, version, digest and record.
func runImagePromote(ctx context.Context, s *step) (*Report, error) {
	s.r.Mask(s.r.Input("password"))
	opts, err := release.ResolveImagePromote(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, imageInputErr(err)
	}
	opts.Access.Token = s.r.Input("token")
	rep := &Report{Name: "shipflow image-promote", Conclusion: Success}
	var rb *image.RollbackReport
	if opts.Undo {
		if rb, err = undoRecorded(ctx, s, opts.Access, opts.Record); rb == nil {
			return nil, err
		}
		return promoteReport(s, rep, rb, false, opts, err)
	}
	knobs, err := imageOpKnobs(s, opts.Access, opts.Promote.Repository)
	if err != nil {
		return nil, err
	}
	if rb, err = image.Promote(ctx, opts.Promote, knobs...); rb == nil {
		return nil, imageInputErr(err)
	}
	if rep, err = promoteReport(s, rep, rb, opts.Promote.DryRun, opts, err); err != nil {
		return nil, err
	}
	if !opts.Promote.DryRun {
		if _, err := runImageCommand(ctx, s, opts.OnPromote, rb, opts.Record); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// promoteReport fills rep from a promote (or its undo), writing its
// record when the tag moved.
func promoteReport(s *step, rep *Report, rb *image.RollbackReport, dryRun bool, opts release.ImagePromoteOptions, opErr error) (*Report, error) {
	var recErr error
	if !dryRun {
		recErr = writeRollbackRecord(s.dir, opts.Record, rb)
	}
	var b strings.Builder
	if rb.Undo {
		_ = release.WriteImageRollbackText(&b, rb, opts.Record, opErr, recErr)
	} else {
		_ = release.WriteImagePromoteText(&b, rb, dryRun, opts.Record, opts.OnPromote, opErr, recErr)
	}
	rep.Summary = textBlock(b.String())
	if opErr != nil {
		return nil, opErr
	}
	if recErr != nil {
		return nil, recErr
	}
	moved := release.ImageRollbackMoved(rb)
	record := opts.Record
	switch {
	case dryRun:
		rep.Title = fmt.Sprintf("dry run: would promote %s %s to %s, nothing moved", rb.Repository, rb.To, rb.Env)
		record = ""
	case rb.Undo:
		rep.Title = fmt.Sprintf("undid the promote of %s: %s back to %s", rb.Repository, rb.Env, cmp.Or(rb.To, shortDigest(rb.ToDigest)))
	case moved:
		rep.Title = fmt.Sprintf("promoted %s %s to %s", rb.Repository, rb.To, rb.Env)
	default:
		rep.Title = fmt.Sprintf("%s already names %s %s: nothing moved", rb.Env, rb.Repository, rb.To)
		record = ""
	}
	rep.Outputs = []Output{
		{"promoted", fmt.Sprint(moved)},
		{"repository", rb.Repository},
		{"env", rb.Env},
		{"from-version", rb.From},
		{"version", rb.To},
		{"digest", rb.ToDigest},
		{"record", record},
	}
	return rep, nil
}

// runImageCommand runs the on-rollback or on-promote command after rb
// moved tags, in the working directory, its output in the step's log. A
// failure says that the tags have moved and how to put them back.
func runImageCommand(ctx context.Context, s *step, cmd release.ImageCommand, rb *image.RollbackReport, record string) (*release.ImageCommandRun, error) {
	if cmd.Empty() || !release.ImageRollbackMoved(rb) {
		return nil, nil
	}
	r := release.ImageCommandRunner{Dir: s.dir, Stdout: s.r.log, Stderr: s.r.log}
	run, err := r.Run(ctx, cmd, release.ImageCommandDataOf(rb))
	if err != nil {
		return run, release.ImageCommandMovedError(err, rb, record)
	}
	return run, nil
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
	var run *release.ImageCommandRun
	var cmdErr error
	if err == nil && w.Rollback != nil {
		run, cmdErr = runImageCommand(ctx, s, opts.OnRollback, w.Rollback, opts.Record)
	}
	inc, warn, incErr := s.incident(ctx, w, run, opts.Incident)
	var b strings.Builder
	_ = release.WriteImageWatchText(&b, w, opts.Watch, opts.Record, err, recErr)
	failed := 0
	for _, c := range w.Checks {
		if !c.Healthy {
			failed++
		}
	}
	rep := &Report{Name: "shipflow image-watch", Conclusion: Success, Summary: textBlock(b.String())}
	if inc != nil {
		rep.Summary += "\n" + inc.Markdown()
	}
	switch {
	case err != nil:
		return nil, err
	case cmdErr != nil:
		return nil, cmdErr
	case recErr != nil:
		return nil, recErr
	case incErr != nil:
		return nil, incErr
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
	if inc != nil {
		rep.Outputs = append(rep.Outputs, Output{"incident", opts.Incident}, Output{"issue", inc.Issue})
	}
	if warn != "" {
		rep.Annotations = append(rep.Annotations, Annotation{Level: Warning, Title: "shipflow image-watch", Message: warn})
	}
	return rep, nil
}

// incident keeps the incident record of a watch that rolled back: the
// issue opened with the step's token in the workflow's repository (a
// refusal is the warning returned), the JSON written to record in the
// working directory. nil when the watch did not roll back.
func (s *step) incident(ctx context.Context, w *image.WatchReport, run *release.ImageCommandRun, record string) (*release.Incident, string, error) {
	inc := release.NewIncident(w, run)
	if inc == nil {
		return nil, "", nil
	}
	var warn string
	var issueErr error
	if token, repo := s.r.Input("token"), s.ci().Repository; token != "" && repo != "" && !s.ev.ReadOnlyToken() {
		client, err := s.r.client(ctx, PublishOptions{Token: token, HTTPClient: s.opt.HTTPClient})
		if err == nil {
			warn, err = release.OpenIncidentIssue(ctx, client, repo, inc)
		}
		if err != nil {
			issueErr = fmt.Errorf("opening the incident issue: %w", err)
		}
	}
	b, err := inc.JSON()
	if err == nil {
		err = repofs.WriteFile(s.dir, filepath.FromSlash(record), b, 0o644)
	}
	if err != nil {
		return inc, warn, fmt.Errorf("writing the incident record %s: %w", record, err)
	}
	return inc, warn, issueErr
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
	if _, ok := err.(*InputError); ok {
		return err // classified already
	}
	var ie *image.InputError
	var ce *config.Error
	var be *release.InputError
	if errors.As(err, &ie) || errors.As(err, &ce) || errors.As(err, &be) {
		return &InputError{Err: err}
	}
	return err
}

// undoRecorded reverses the rollback or promote in the record (input
// undo) with image.Undo; an unreadable record, or one that cannot be
// undone, is an *InputError.
func undoRecorded(ctx context.Context, s *step, access release.ImageAccess, record string) (*image.RollbackReport, error) {
	prev, err := readRollbackRecord(s.dir, record)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	knobs, err := imageOpKnobs(s, access, prev.Repository)
	if err != nil {
		return nil, err
	}
	rb, err := image.Undo(ctx, prev, knobs...)
	if rb == nil {
		return nil, imageInputErr(err)
	}
	return rb, err
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
