package release

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/report"
)

// ImageAccess is how the image verbs reach a registry: the inputs every
// one of them shares, and the CI context's user.
type ImageAccess struct {
	// Insecure (input insecure) allows plain HTTP and unverified TLS to
	// any registry, credentials included. Default false: only loopback
	// registries, and those in image.insecure-registries that no
	// credentials go to.
	Insecure bool
	// CAFile (input ca-file) is the caller's own PEM file of CAs to
	// trust, anywhere, relative to the directory shipflow runs in. It
	// replaces image.ca-file. Default image.ca-file, else the system pool.
	CAFile string
	// Username and Password (inputs username and password) are basic
	// credentials for the target's registry; they go together. Default
	// none: the GitHub token for ghcr.io, else the docker config.
	Username, Password string
	// Token is the GitHub token sent to ghcr.io, as Actor; the caller
	// sets it (GITHUB_TOKEN on the command line, the token input of the
	// Action). Actor is the CI context's user (GITHUB_ACTOR).
	Token, Actor string
}

// ResolveImageAccess reads the inputs insecure, ca-file, username and
// password, and the CI context's actor (see Inputs for the order). The
// token is left to the caller.
func ResolveImageAccess(in Inputs, ci CI) (ImageAccess, error) {
	a := ImageAccess{Actor: ci.Actor}
	var err error
	if a.Insecure, err = inputBool(in, "insecure", false); err != nil {
		return a, err
	}
	a.CAFile, _ = inputString(in, "ca-file")
	a.Username, _ = inputString(in, "username")
	if in != nil {
		// A password is taken as given: spaces may be part of it.
		a.Password, _ = in.Lookup("password")
	}
	if (a.Username == "") != (a.Password == "") {
		return a, &image.InputError{Err: errors.New("username and password go together: give both or neither")}
	}
	return a, nil
}

// Knobs are the registry options for reaching repository: those
// .shipflow.yaml's image section asks for (ImageKnobs, without its ca-file
// when a.CAFile is set), a.CAFile read relative to dir, insecure access,
// the basic credentials for repository's registry and the GitHub token.
// A CA file that cannot be read is an *image.InputError; a bad
// image.ca-file a *config.Error.
func (a ImageAccess) Knobs(cfg config.Image, dir, repository string) ([]image.Option, error) {
	if a.CAFile != "" {
		cfg.CAFile = "" // the input wins over image.ca-file
	}
	knobs, err := ImageKnobs(cfg, repository)
	if err != nil {
		return nil, err
	}
	if a.CAFile != "" {
		// The caller's own file, anywhere: only image.ca-file, which the
		// repository sets, is confined to the work tree.
		path := a.CAFile
		if !filepath.IsAbs(path) && dir != "" {
			path = filepath.Join(dir, path)
		}
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, &image.InputError{Err: fmt.Errorf("reading ca-file: %w", err)}
		}
		knobs = append(knobs, image.WithCACerts(pem))
	}
	if a.Insecure {
		knobs = append(knobs, image.WithInsecure(true))
	}
	if a.Token != "" {
		knobs = append(knobs, image.WithGitHubToken(a.Actor, a.Token))
	}
	if a.Username != "" {
		host, _, _ := strings.Cut(repository, "/")
		knobs = append(knobs, image.WithBasicAuth(host, a.Username, a.Password))
	}
	return knobs, nil
}

// ResolveImagePush turns the inputs of `image push` (and `image build`)
// and of the image action into ImagePushOptions (see Inputs for the
// order):
//
//   - the plan's inputs as resolvePlan reads them (tag-prefix, branch; a
//     detached HEAD stands for the CI context's branch), used when no
//     version is given and no version tag names HEAD;
//   - source, the image to push (required); files, one [PLATFORM=]SRC:DST
//     per line; labels, one KEY=VALUE per line (a value may hold commas);
//   - user, the user the image runs as (default: the base's);
//     entrypoint, one argument per line (default: the base's; given, it
//     clears the base's Cmd);
//   - repository, else image.repository;
//   - image-version, a leading "v" dropped;
//   - no-moving-tags, no-latest and no-sha-tag, else image.moving-tags,
//     image.latest and image.sha-tag turned off, else false;
//   - dry-run, false by default;
//   - the registry access (ResolveImageAccess).
//
// Relative paths stay as given: ImagePush reads them relative to Dir,
// which the caller sets, as it sets Access.Token. Every error is the
// caller's input or configuration: an *InputError, an *image.InputError,
// a bad tag prefix (ErrPlanBadTag).
func ResolveImagePush(in Inputs, cfg *config.Config, ci CI) (ImagePushOptions, error) {
	plan, err := resolvePlan(in, cfg, ci)
	if err != nil {
		return ImagePushOptions{}, err
	}
	if _, _, err := plan.rules(); err != nil {
		return ImagePushOptions{}, err
	}
	o := ImagePushOptions{Plan: plan}
	if cfg != nil {
		o.Config = cfg.Image
	}
	p := &o.Push
	var ok bool
	if p.From, ok = inputString(in, "source"); !ok {
		return o, &image.InputError{Err: errors.New("no image to push: give --source (the source input; with files, the base image): a docker save tarball, an OCI layout directory or an image reference")}
	}
	if p.To, ok = inputString(in, "repository"); !ok {
		p.To = o.Config.Repository
	}
	if v, ok := inputString(in, "image-version"); ok {
		p.Version = strings.TrimPrefix(v, "v")
	}
	for _, s := range inputLines(in, "files") {
		file, err := image.ParseFile(s)
		if err != nil {
			return o, &image.InputError{Err: fmt.Errorf("input files: %w", err)}
		}
		p.Files = append(p.Files, file)
	}
	p.User, _ = inputString(in, "user")
	p.Entrypoint = inputLines(in, "entrypoint")
	for _, s := range inputLines(in, "labels") {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return o, &InputError{Name: "labels", Value: s, Want: "KEY=VALUE"}
		}
		if p.Labels.Extra == nil {
			p.Labels.Extra = map[string]string{}
		}
		p.Labels.Extra[k] = v
	}
	for _, b := range []struct {
		name string
		cfg  *bool // on when nil
		to   *bool
	}{
		{"no-moving-tags", o.Config.MovingTags, &p.Tags.NoMoving},
		{"no-latest", o.Config.Latest, &p.Tags.NoLatest},
		{"no-sha-tag", o.Config.SHATag, &p.Tags.NoSHA},
	} {
		if *b.to, err = inputBool(in, b.name, b.cfg != nil && !*b.cfg); err != nil {
			return o, err
		}
	}
	if p.DryRun, err = inputBool(in, "dry-run", false); err != nil {
		return o, err
	}
	if o.Access, err = ResolveImageAccess(in, ci); err != nil {
		return o, err
	}
	return o, nil
}

// inputLines returns the input name split at newlines, items trimmed and
// empty ones dropped. Unlike inputList it keeps commas: a label's value
// ("a, b") and a path may hold them.
func inputLines(in Inputs, name string) []string {
	v, ok := inputString(in, name)
	if !ok {
		return nil
	}
	var out []string
	for _, line := range strings.Split(v, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// ImagePushFindings returns what `image push` reports besides its tags,
// titled "shipflow image" as both faces print them: an error when err is
// a refused push (a version already published with another image, a plan
// the branch's rules refuse), then a warning per warning of rep (the
// plan's, and each moving tag put right after a concurrent push). Other
// errors are not findings: the caller returns them. rep may be nil.
func ImagePushFindings(rep *ImagePushReport, err error) []report.Finding {
	var warnings []string
	if rep != nil {
		warnings = append(warnings, rep.Warnings...)
		for _, c := range rep.Repaired {
			warnings = append(warnings, fmt.Sprintf("tag %q of %s was put right after a concurrent push of a higher version (%s → %s): push to one repository one at a time (a workflow concurrency group with cancel-in-progress: false)",
				c.Tag, rep.Repository, cmp.Or(imgShort(c.Old), "(none)"), imgShort(c.New)))
		}
	}
	return verbFindings("shipflow image", warnings, err, ImagePushRefused)
}

// ImagePushRefused reports whether err is ImagePush saying no to what it
// was asked: a version already published with another image
// (*image.ConflictError), or a plan the branch's rules refuse
// (PlanRefused). Nothing was written then.
func ImagePushRefused(err error) bool {
	return errors.As(err, new(*image.ConflictError)) || PlanRefused(err)
}
