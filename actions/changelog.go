package actions

import (
	"context"
	"errors"
	"fmt"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
)

// runChangelog writes the next version's section into CHANGELOG.md
// (release.Changelog): insert-only, idempotent per version. Outputs:
// version, tag, notes (the section), written (true when the file changed)
// and path.
func runChangelog(ctx context.Context, s *step) (*Report, error) {
	opts := release.ChangelogOptions{
		Config:  s.config.Changelog,
		Plan:    release.PlanOptions{Config: s.config.Version, Branch: s.r.Input("branch"), DetachedBranch: s.ci().Branch},
		File:    s.r.Input("file"),
		Preset:  s.r.Input("preset"),
		Version: s.r.Input("release-version"),
		// A token in a commit message is not written to the file.
		Redactor: s.r.Redactor(),
	}
	if p := s.r.Input("tag-prefix"); p != "" {
		opts.Plan.TagPrefix = &p
	}
	var err error
	if opts.DryRun, err = s.r.BoolInput("dry-run", false); err != nil {
		return nil, &InputError{Err: err}
	}
	if opts.File != "" {
		// The changelog is part of the repository: never outside it, never
		// .git/config (which would make the next git command run code).
		if _, err := repofs.Clean(opts.File); err != nil {
			return nil, inputErr("input file: %v", err)
		}
	}
	cl, err := release.Changelog(ctx, s.repo, opts)
	if errors.Is(err, release.ErrPlanBadTag) || errors.As(err, new(*config.Error)) || repofs.IsRefused(err) {
		return nil, &InputError{Err: err}
	}
	if err != nil {
		if release.PlanRefused(err) {
			return &Report{
				Name: "shipflow changelog", Conclusion: Failed, Title: "no changelog: " + err.Error(),
				Annotations: []Annotation{{Level: Failure, Title: "shipflow changelog", Message: err.Error()}},
			}, nil
		}
		return nil, err
	}
	rep := &Report{Name: "shipflow changelog", Conclusion: Success, Summary: cl.Section}
	switch {
	case cl.Version == "":
		rep.Title = "nothing to release: no changelog section"
	case cl.Written:
		rep.Title = fmt.Sprintf("%s: added the %s section", cl.Path, cl.Version)
	default:
		rep.Title = fmt.Sprintf("%s section not written: %s", cl.Version, cl.Skipped)
	}
	for _, w := range cl.Warnings {
		rep.Annotations = append(rep.Annotations, Annotation{Level: Warning, Title: "shipflow changelog", Message: w})
	}
	rep.Outputs = []Output{
		{"version", cl.Version},
		{"tag", cl.Tag},
		{"notes", cl.Section},
		{"written", fmt.Sprint(cl.Written)},
		{"path", cl.Path},
	}
	return rep, nil
}
