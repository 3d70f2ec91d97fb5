package release

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/image"
)

// DefaultImageRecord is the rollback record a rollback writes and an undo
// reads, relative to the directory shipflow runs in.
const DefaultImageRecord = "shipflow-rollback.json"

// ImageRollbackOptions are the options of an image rollback (image.Rollback,
// or image.Undo of the record).
type ImageRollbackOptions struct {
	// Rollback (inputs repo and to) is what to roll back; its Repository
	// defaults to image.repository.
	Rollback image.RollbackOptions
	// Undo (input undo) reverses the rollback in Record instead.
	Undo bool
	// Record (input record) is the rollback record written after a
	// rollback and read by an undo. Default DefaultImageRecord.
	Record string
	// Access (ResolveImageAccess) is how to reach the registry; the
	// caller sets its Token.
	Access ImageAccess
	// OnRollback (input on-rollback over image.on-rollback) runs after a
	// rollback moved tags; empty when none is configured or the input is
	// "none". An undo runs nothing.
	OnRollback ImageCommand
}

// ResolveImageRollback reads the inputs repo, to, undo, record, dry-run,
// on-rollback and the registry access inputs (ResolveImageAccess) over
// .shipflow.yaml's image section. Without undo, a repository is needed.
// The CLI's `image rollback` flags and the image-rollback action's inputs
// are these names.
func ResolveImageRollback(in Inputs, cfg *config.Config, ci CI) (ImageRollbackOptions, error) {
	var o ImageRollbackOptions
	var err error
	if o.Undo, err = inputBool(in, "undo", false); err != nil {
		return o, err
	}
	if o.Rollback.DryRun, err = inputBool(in, "dry-run", false); err != nil {
		return o, err
	}
	var img config.Image
	if cfg != nil {
		img = cfg.Image
	}
	if o.OnRollback, err = resolveImageCommand(in, "on-rollback", img, img.OnRollback); err != nil {
		return o, err
	}
	o.Rollback.Repository, _ = inputString(in, "repo")
	if o.Rollback.Repository == "" && cfg != nil {
		o.Rollback.Repository = cfg.Image.Repository
	}
	o.Rollback.To, _ = inputString(in, "to")
	o.Record, _ = inputString(in, "record")
	if o.Record == "" {
		o.Record = DefaultImageRecord
	}
	if o.Access, err = ResolveImageAccess(in, ci); err != nil {
		return o, err
	}
	if !o.Undo && o.Rollback.Repository == "" {
		return o, &image.InputError{Err: errors.New("no repository: give repo REGISTRY/REPO or set image.repository in .shipflow.yaml")}
	}
	return o, nil
}

// ImageWatchOptions are the options of an image watch (image.Watch).
type ImageWatchOptions struct {
	// Watch: inputs health, failures, interval, timeout, max-duration
	// over image.watch, and repo over image.repository.
	Watch image.WatchOptions
	// Record (input record) is the rollback record written if the watch
	// rolls back. Default DefaultImageRecord.
	Record string
	// Access (ResolveImageAccess) is how to reach the registry; the
	// caller sets its Token.
	Access ImageAccess
	// OnRollback (input on-rollback over image.on-rollback) runs after
	// the watch rolled back.
	OnRollback ImageCommand
	// Incident (input incident) is the incident record written when the
	// watch rolls back. Default DefaultIncidentRecord.
	Incident string
}

// The defaults of a watch that neither inputs nor image.watch set.
const (
	DefaultWatchFailures    = 3
	DefaultWatchInterval    = 10 * time.Second
	DefaultWatchMaxDuration = 10 * time.Minute
)

// ResolveImageWatch reads the inputs health, failures, interval, timeout,
// max-duration, repo and record, and the registry access inputs, over
// .shipflow.yaml's image.watch and image.repository, then the defaults
// (DefaultWatchFailures and the rest; no timeout means the interval, at
// most 10s). A health URL and a repository are needed.
func ResolveImageWatch(in Inputs, cfg *config.Config, ci CI) (ImageWatchOptions, error) {
	var o ImageWatchOptions
	var img config.Image
	if cfg != nil {
		img = cfg.Image
	}
	w := img.Watch
	o.Watch = image.WatchOptions{Health: w.Health, Failures: w.Failures, Interval: w.Interval, Timeout: w.Timeout, MaxDuration: w.MaxDuration}
	if o.Watch.Failures == 0 {
		o.Watch.Failures = DefaultWatchFailures
	}
	if o.Watch.Interval == 0 {
		o.Watch.Interval = DefaultWatchInterval
	}
	if o.Watch.MaxDuration == 0 {
		o.Watch.MaxDuration = DefaultWatchMaxDuration
	}
	if v, ok := inputString(in, "health"); ok {
		o.Watch.Health = v
	}
	var err error
	if o.Watch.Failures, err = inputInt(in, "failures", o.Watch.Failures); err != nil {
		return o, err
	}
	for _, d := range []struct {
		name string
		to   *time.Duration
	}{{"interval", &o.Watch.Interval}, {"timeout", &o.Watch.Timeout}, {"max-duration", &o.Watch.MaxDuration}} {
		if *d.to, err = inputDuration(in, d.name, *d.to); err != nil {
			return o, err
		}
	}
	o.Watch.Rollback.Repository, _ = inputString(in, "repo")
	if o.Watch.Rollback.Repository == "" {
		o.Watch.Rollback.Repository = img.Repository
	}
	o.Record, _ = inputString(in, "record")
	if o.Record == "" {
		o.Record = DefaultImageRecord
	}
	o.Incident, _ = inputString(in, "incident")
	if o.Incident == "" {
		o.Incident = DefaultIncidentRecord
	}
	if o.OnRollback, err = resolveImageCommand(in, "on-rollback", img, img.OnRollback); err != nil {
		return o, err
	}
	if o.Access, err = ResolveImageAccess(in, ci); err != nil {
		return o, err
	}
	switch {
	case o.Watch.Health == "":
		return o, &image.InputError{Err: errors.New("no health URL: give health URL or set image.watch.health")}
	case o.Watch.Rollback.Repository == "":
		return o, &image.InputError{Err: errors.New("no repository: give repo REGISTRY/REPO or set image.repository in .shipflow.yaml")}
	case o.Watch.Failures < 1 || o.Watch.Interval <= 0 || o.Watch.MaxDuration <= 0 || o.Watch.Timeout < 0:
		return o, &image.InputError{Err: errors.New("failures, interval and max-duration must be positive")}
	}
	return o, nil
}

// inputDuration returns the duration input name (Go syntax: 10s, 2m30s),
// or def when it was not given.
func inputDuration(in Inputs, name string, def time.Duration) (time.Duration, error) {
	v, ok := inputString(in, name)
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return def, &InputError{Name: name, Value: v, Want: "a duration (such as 10s or 2m)"}
	}
	return d, nil
}

// resolveImageCommand is the command of input name (split at white space;
// "none" runs nothing) over configured, image.NAME in .shipflow.yaml; its
// shape is checked before anything moves (CheckImageCommand).
func resolveImageCommand(in Inputs, name string, img config.Image, configured config.Command) (ImageCommand, error) {
	if v, ok := inputString(in, name); ok {
		if v == "none" {
			return ImageCommand{}, nil
		}
		args := strings.Fields(v)
		if err := CheckImageCommand(args); err != nil {
			return ImageCommand{}, &InputError{Name: name, Value: v, Want: fmt.Sprintf("a command to run (%v)", err)}
		}
		return ImageCommand{From: "--" + name, Args: args}, nil
	}
	if len(configured) == 0 {
		return ImageCommand{}, nil
	}
	if err := CheckImageCommand(configured); err != nil {
		return ImageCommand{}, img.KeyError(name, "%v", err)
	}
	return ImageCommand{From: "image." + name, Args: configured}, nil
}

// WriteImageRollbackPlanText writes a rollback dry run: what would move
// from which digest to which, the tags left alone, and the command that
// would run (rendered; cmdErr when it could not be). Nothing moved.
func WriteImageRollbackPlanText(w io.Writer, rep *image.RollbackReport, cmd ImageCommand, cmdErr error) error {
	t := &textWriter{w: w}
	from := rep.From
	if from == "" {
		from = imgShort(rep.FromDigest)
	}
	t.printf("dry run: would roll back %s from %s (%s) to %s (%s)\n", rep.Repository, from, rep.FromDigest, rep.To, rep.ToDigest)
	if len(rep.Tags) == 0 {
		t.printf("  no tag names the bad release: nothing would move\n")
	} else {
		t.printf("\ntags:\n")
		imgTagsText(t, rep.Tags, true)
	}
	if len(rep.Untouched) > 0 {
		t.printf("\nuntouched:\n")
		for _, s := range rep.Untouched {
			t.printf("  %s\n", s)
		}
	}
	imgPlannedCommand(t, rep, cmd, cmdErr)
	t.printf("\nnothing moved (dry run)\n")
	return t.err
}

// imgPlannedCommand says which command a dry run would run.
func imgPlannedCommand(t *textWriter, rep *image.RollbackReport, cmd ImageCommand, cmdErr error) {
	switch {
	case cmd.Empty():
		t.printf("\ncommand: none configured\n")
	case len(rep.Tags) == 0:
		t.printf("\ncommand: %s would not run: nothing would move\n", cmd.From)
	case cmdErr != nil:
		t.printf("\ncommand: %s could not run: %v\n", cmd.From, cmdErr)
	default:
		args, _ := cmd.Render(ImageCommandDataOf(rep))
		t.printf("\nwould run (%s): %s\n", cmd.From, strings.Join(args, " "))
	}
}

// ImageCommandMovedError is the error of a command that failed after its
// tags moved: it says that they did, and how to put them back.
func ImageCommandMovedError(err error, rep *image.RollbackReport, record string) error {
	var moved []string
	for _, c := range rep.Tags {
		if c.Written {
			moved = append(moved, c.Tag)
		}
	}
	return fmt.Errorf("%w; the tags HAVE moved (%s now name %s %s): run the command again by hand, or put them back with: shipflow image rollback --undo --record %s", err, strings.Join(moved, ", "), rep.To, rep.ToDigest, record)
}
