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
	opts, err := release.ResolveChangelog(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, &InputError{Err: err}
	}
	// A token in a commit message is not written to the file.
	opts.Redactor = s.r.Redactor()
	pk, err := release.ResolvePackages(s.inputs(), s.config)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if pk.Monorepo() {
		return runChangelogPackages(ctx, s, opts, pk)
	}
	cl, err := release.Changelog(ctx, s.repo, opts)
	if errors.Is(err, release.ErrPlanBadTag) || errors.As(err, new(*config.Error)) || repofs.IsRefused(err) {
		return nil, &InputError{Err: err}
	}
	if err != nil {
		if release.PlanRefused(err) {
			return &Report{
				Name: "shipflow changelog", Conclusion: Failed, Title: "no changelog: " + err.Error(),
				Annotations: release.ChangelogFindings(nil, err),
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
	rep.Annotations = release.ChangelogFindings(cl, nil)
	rep.Outputs = []Output{
		{"version", cl.Version},
		{"tag", cl.Tag},
		{"notes", cl.Section},
		{"written", fmt.Sprint(cl.Written)},
		{"path", cl.Path},
	}
	return rep, nil
}
