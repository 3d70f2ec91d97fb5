package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
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
	opts := release.ImagePushOptions{
		Config: s.config.Image,
		Plan:   release.PlanOptions{Config: s.config.Version, Branch: s.r.Input("branch"), DetachedBranch: s.ci().Branch},
		Push: image.PushOptions{
			From:    s.r.Input("source"),
			To:      s.r.Input("repository"),
			Version: strings.TrimPrefix(s.r.Input("image-version"), "v"),
		},
	}
	if p := s.r.Input("tag-prefix"); p != "" {
		opts.Plan.TagPrefix = &p
	}
	var err error
	if opts.Push.DryRun, err = s.r.BoolInput("dry-run", false); err != nil {
		return nil, &InputError{Err: err}
	}
	for _, f := range s.r.ListInput("files") {
		file, err := image.ParseFile(f)
		if err != nil {
			return nil, inputErr("input files: %v", err)
		}
		opts.Push.Files = append(opts.Push.Files, file)
	}
	for _, l := range s.r.ListInput("labels") {
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			return nil, inputErr("input labels: %q is not KEY=VALUE", l)
		}
		if opts.Push.Labels.Extra == nil {
			opts.Push.Labels.Extra = map[string]string{}
		}
		opts.Push.Labels.Extra[k] = v
	}
	if opts.Push.From == "" {
		return nil, inputErr("input source: give the image to push (a docker save tarball, an OCI layout directory or an image reference)")
	}
	target := opts.Push.To
	if target == "" {
		target = opts.Config.Repository
	}
	knobs, err := release.ImageKnobs(opts.Config, target)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	knobs = append(knobs, image.WithUserAgent("shipflow-action"))
	if tok := s.r.Input("token"); tok != "" {
		knobs = append(knobs, image.WithGitHubToken(s.r.getenv("GITHUB_ACTOR"), tok))
	}
	user, pass := s.r.Input("username"), s.r.Input("password")
	s.r.Mask(pass)
	switch {
	case (user == "") != (pass == ""):
		return nil, inputErr("inputs username and password go together: give both or neither")
	case user != "":
		host, _, _ := strings.Cut(target, "/")
		knobs = append(knobs, image.WithBasicAuth(host, user, pass))
	}

	rep := &Report{Name: "shipflow image", Conclusion: Success}
	pr, err := release.ImagePush(ctx, s.repo, opts, knobs...)
	if err != nil {
		var ce *image.ConflictError
		var ie *image.InputError
		switch {
		case errors.As(err, &ce) || release.PlanRefused(err):
			rep.Conclusion, rep.Title = Failed, "not pushed: "+err.Error()
			rep.Annotations = []Annotation{{Level: Failure, Title: "shipflow image", Message: err.Error()}}
			rep.Outputs = []Output{{"pushed", "false"}}
			return rep, nil
		case errors.As(err, &ie):
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
