package release

import (
	"errors"
	"io"
	"path/filepath"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/image"
)

// ImagePromoteOptions are the options of an image promote (image.Promote,
// or image.Undo of its record).
type ImagePromoteOptions struct {
	// Promote (inputs repo, image-version, env, dry-run) is what to
	// promote; its Repository defaults to image.repository.
	Promote image.PromoteOptions
	// Undo (input undo) puts back the digest the record's environment
	// tag named before.
	Undo bool
	// Record (input record) is the record written after a promote that
	// moved the tag and read by an undo. Default DefaultImageRecord: a
	// promote is recorded like a rollback, so `image rollback --undo`
	// reverses it too.
	Record string
	// Access (ResolveImageAccess) is how to reach the registry; the
	// caller sets its Token.
	Access ImageAccess
	// OnPromote (input on-promote over image.on-promote) runs after the
	// promote moved the tag; an undo runs nothing.
	OnPromote ImageCommand
}

// ResolveImagePromote reads the inputs repo, image-version, env, undo,
// dry-run, record, on-promote and the registry access inputs over
// .shipflow.yaml's image section. Without undo, a repository, a version
// and a valid environment tag are needed.
func ResolveImagePromote(in Inputs, cfg *config.Config, ci CI) (ImagePromoteOptions, error) {
	var o ImagePromoteOptions
	var err error
	var img config.Image
	if cfg != nil {
		img = cfg.Image
	}
	if o.Undo, err = inputBool(in, "undo", false); err != nil {
		return o, err
	}
	if o.Promote.DryRun, err = inputBool(in, "dry-run", false); err != nil {
		return o, err
	}
	o.Promote.Repository, _ = inputString(in, "repo")
	if o.Promote.Repository == "" {
		o.Promote.Repository = img.Repository
	}
	o.Promote.Version, _ = inputString(in, "image-version")
	o.Promote.Env, _ = inputString(in, "env")
	o.Record, _ = inputString(in, "record")
	if o.Record == "" {
		o.Record = DefaultImageRecord
	}
	if o.OnPromote, err = resolveImageCommand(in, "on-promote", img, img.OnPromote); err != nil {
		return o, err
	}
	if o.Access, err = ResolveImageAccess(in, ci); err != nil {
		return o, err
	}
	if o.Undo {
		return o, nil
	}
	switch {
	case o.Promote.Repository == "":
		return o, &image.InputError{Err: errors.New("no repository: give repo REGISTRY/REPO or set image.repository in .shipflow.yaml")}
	case o.Promote.Version == "":
		return o, &image.InputError{Err: errors.New("no version: give the released version X.Y.Z to promote")}
	}
	if err := image.CheckEnvTag(o.Promote.Env); err != nil {
		return o, &image.InputError{Err: err}
	}
	return o, nil
}

// WriteImagePromoteText writes a promote as `shipflow image promote`
// prints it: the environment tag, from which release and digest to which,
// and the record an undo reads. In a dry run, the command that would run.
func WriteImagePromoteText(w io.Writer, rep *image.RollbackReport, dryRun bool, record string, cmd ImageCommand, opErr, recErr error) error {
	t := &textWriter{w: w}
	from := rep.From
	switch {
	case rep.FromDigest == "":
		from = "nothing (new tag)"
	case from == "":
		from = imgShort(rep.FromDigest)
	}
	verb := "promoted"
	if dryRun {
		verb = "dry run: would promote"
	}
	t.printf("%s %s %s to %s (was %s)\n", verb, rep.Repository, rep.To, rep.Env, from)
	if opErr != nil {
		t.printf("  FAILED: the tag below says whether it moved\n")
	}
	if len(rep.Tags) > 0 {
		t.printf("\ntags:\n")
		imgTagsText(t, rep.Tags, dryRun)
	}
	for _, s := range rep.Untouched {
		t.printf("  %s: nothing moved\n", s)
	}
	if dryRun {
		imgPlannedCommand(t, rep, cmd, nil)
		t.printf("\nnothing moved (dry run)\n")
		return t.err
	}
	switch {
	case recErr != nil:
		t.printf("\nrecord: NOT written (%v)\n", recErr)
	case ImageRollbackMoved(rep):
		t.printf("\nrecord: %s (undo with: shipflow image promote --undo --record %s)\n", filepath.Base(record), filepath.Base(record))
	}
	return t.err
}
