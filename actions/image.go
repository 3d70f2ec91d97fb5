package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/image"
)

// runImage publishes a container image as the release version
// (release.ImagePush): by digest first, then X.Y.Z and sha-<short>, then the
// moving ones, putting tags back if a write fails. Outputs: pushed (false
// in a dry run), repository, version, digest and tags (one per line).
//
// Credentials: the `username` and `password` inputs for the target
// registry; the token (default github.token) for ghcr.io; else the
// runner's docker config.
func runImage(ctx context.Context, s *step) (*Report, error) {
	s.r.Mask(s.r.Input("password"))
	opts, err := release.ResolveImagePush(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, &InputError{Err: err}
	}
	opts.Dir = s.dir
	opts.Access.Token = s.r.Input("token")

	rep := &Report{Name: "shipflow image", Conclusion: Success}
	pr, err := release.ImagePush(ctx, s.repo, opts, image.WithUserAgent("shipflow-action"))
	rep.Annotations = release.ImagePushFindings(pr, err)
	if err != nil {
		var ie *image.InputError
		var ce *config.Error
		switch {
		case release.ImagePushRefused(err):
			rep.Conclusion, rep.Title = Failed, "not pushed: "+err.Error()
			rep.Outputs = []Output{{"pushed", "false"}}
			return rep, nil
		case errors.As(err, &ie) || errors.As(err, &ce) || errors.Is(err, release.ErrPlanBadTag):
			return nil, &InputError{Err: err}
		}
		return nil, err
	}
	var tags []string
	var b strings.Builder
	fmt.Fprintf(&b, "`%s` %s, %s\n\n| tag | kind | before | after |\n| --- | --- | --- | --- |\n",
		codeSpan(pr.Repository), codeSpan(pr.Digest), strings.Join(pr.Platforms, ", "))
	for _, tc := range pr.Tags {
		tags = append(tags, pr.Repository+":"+tc.Tag)
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", escapeCell(tc.Tag), tc.Kind, shortDigest(tc.Old), shortDigest(tc.New))
	}
	for _, tc := range pr.Repaired {
		fmt.Fprintf(&b, "\nput right after a concurrent push: %s %s → %s\n", escapeMarkdown(tc.Tag), shortDigest(tc.Old), shortDigest(tc.New))
	}
	for _, sk := range pr.Skipped {
		fmt.Fprintf(&b, "\nnot written: %s\n", escapeMarkdown(sk))
	}
	rep.Summary = b.String()
	rep.Title = fmt.Sprintf("pushed %s %s (%d tags)", pr.Repository, pr.Version, len(pr.Tags))
	if pr.DryRun {
		rep.Title = fmt.Sprintf("would push %s %s (%d tags, dry run)", pr.Repository, pr.Version, len(pr.Tags))
	}
	rep.Outputs = []Output{
		{"pushed", fmt.Sprint(!pr.DryRun)},
		{"repository", pr.Repository},
		{"version", pr.Version},
		{"digest", pr.Digest},
		{"tags", strings.Join(tags, "\n")},
	}
	return rep, nil
}

func shortDigest(d string) string {
	if d == "" {
		return "(none)"
	}
	if _, hex, ok := strings.Cut(d, ":"); ok && len(hex) > 12 {
		return d[:len(d)-len(hex)] + hex[:12]
	}
	return d
}
