package actions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
)

// runChangelogPackages writes a monorepo's changelogs
// (release.ChangelogPackages): each package with changes (or those the
// package input names) gets its section in its own file. Outputs:
//
//	packages  JSON list of {name, version, tag, written, path}
//	written   true when any file changed
//	notes     every section, each under a "# NAME" heading
//
// With one package input, version, tag, notes and path describe it.
func runChangelogPackages(ctx context.Context, s *step, opts release.ChangelogOptions, pk release.NextPackages) (*Report, error) {
	cl, err := release.ChangelogPackages(ctx, s.repo, opts, release.PackagesOptions{Packages: pk.Packages, Only: pk.Only, BumpDependents: pk.BumpDependents})
	if errors.Is(err, release.ErrPackagesUnsupported) || errors.Is(err, release.ErrPlanBadTag) || errors.As(err, new(*config.Error)) || repofs.IsRefused(err) {
		return nil, &InputError{Err: err}
	}
	if err != nil {
		if release.PlanRefused(err) {
			return &Report{
				Name: "shipflow changelog", Conclusion: Failed, Title: "no changelog: " + err.Error(),
				Annotations: release.ChangelogPackagesFindings(nil, err),
			}, nil
		}
		return nil, err
	}
	type item struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Tag     string `json:"tag"`
		Written bool   `json:"written"`
		Path    string `json:"path"`
	}
	list := make([]item, 0, len(cl.Packages))
	var notes strings.Builder
	var written []string
	for _, p := range cl.Packages {
		list = append(list, item{p.Package, p.Version, p.Tag, p.Written, p.Path})
		if p.Written {
			written = append(written, p.Tag)
		}
	}
	if err := cl.WriteText(&notes, s.repo.Dir(), release.ChangelogOptions{DryRun: true}); err != nil {
		return nil, err
	}
	b, err := json.Marshal(list)
	if err != nil {
		return nil, fmt.Errorf("writing the packages output: %w", err)
	}
	rep := &Report{Name: "shipflow changelog", Conclusion: Success, Summary: notes.String()}
	switch {
	case !cl.Releasing():
		rep.Title = "nothing to release: no changelog section"
	case len(written) > 0:
		rep.Title = "added the sections of " + strings.Join(written, ", ")
	default:
		rep.Title = "no changelog changed"
	}
	rep.Annotations = release.ChangelogPackagesFindings(cl, nil)
	rep.Outputs = []Output{{"packages", string(b)}, {"written", fmt.Sprint(len(written) > 0)}, {"notes", notes.String()}}
	if pk.One() && len(cl.Packages) == 1 {
		p := cl.Packages[0]
		rep.Outputs = append(rep.Outputs, Output{"version", p.Version}, Output{"tag", p.Tag}, Output{"path", p.Path})
		rep.Outputs[2].Value = p.Section
	}
	return rep, nil
}
