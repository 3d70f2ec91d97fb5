package image

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// PromoteOptions are the inputs of Promote.
type PromoteOptions struct {
	// Repository is REGISTRY/REPO.
	Repository string
	// Version is the released version X.Y.Z (or a prerelease) whose image
	// the environment tag is pointed at; the repository must have its
	// tag.
	Version string
	// Env is the environment tag to move: prod, staging. It must be a tag
	// name that is not one shipflow manages itself (X.Y.Z, X.Y, X,
	// latest, sha-*).
	Env string
	// DryRun resolves the digests without writing.
	DryRun bool
}

// envTag is what an environment tag may be: a registry tag name
// (distribution's grammar), starting with a letter so that it can never
// be read as an option, a version or a digest.
var envTag = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,127}$`) })

// CheckEnvTag accepts an environment tag name: letters, digits, '_', '.'
// and '-', starting with a letter, at most 128 characters, and not latest
// or sha-*, which shipflow's pushes move.
func CheckEnvTag(env string) error {
	switch {
	case env == "":
		return errors.New("no environment: give one such as prod or staging")
	case !envTag().MatchString(env):
		return fmt.Errorf("environment %q is not a tag name: letters, digits, '_', '.' and '-', starting with a letter, at most 128 characters", env)
	case env == "latest" || strings.HasPrefix(env, "sha-"):
		return fmt.Errorf("environment %q is a tag that image push moves itself: use a name of your own, such as prod or staging", env)
	}
	return nil
}

// Promote points the environment tag opts.Env at the image of the
// released version opts.Version, by digest: the X.Y.Z tag's manifest is
// tagged again, nothing is uploaded. Its report is a RollbackReport (From
// and FromDigest what the tag named before, "" when it did not exist; Env
// set), so that Undo puts the previous digest back. A version the
// repository has no tag for, or a bad environment name, is an
// *InputError; a tag that already names the version moves nothing.
func Promote(ctx context.Context, opts PromoteOptions, knobs ...Option) (*RollbackReport, error) {
	v, err := semver.StrictNewVersion(opts.Version)
	if err != nil || v.Original() != v.String() {
		return nil, &InputError{Err: fmt.Errorf("version %q is not X.Y.Z", opts.Version)}
	}
	if err := CheckEnvTag(opts.Env); err != nil {
		return nil, &InputError{Err: err}
	}
	repo, puller, pusher, err := retagClients(ctx, opts.Repository, knobs)
	var ne *name.ErrBadName
	if errors.As(err, &ne) {
		return nil, &InputError{Err: err}
	}
	if err != nil {
		return nil, err
	}
	desc, err := puller.Get(ctx, repo.Tag(opts.Version))
	if err != nil {
		if isNotFound(err) {
			return nil, &InputError{Err: fmt.Errorf("promoting %s to %s: version %s has no image (no tag %s in %s)", opts.Version, opts.Env, opts.Version, opts.Version, repo.Name())}
		}
		return nil, wrap(err, repo.RegistryStr(), "reading %s:%s", repo.Name(), opts.Version)
	}
	rep := &RollbackReport{
		Repository: repo.Name(), To: opts.Version, ToDigest: desc.Digest.String(), Env: opts.Env,
		Tags: []TagChange{}, Untouched: []string{}, Time: time.Now().UTC(),
	}
	cur, err := puller.Get(ctx, repo.Tag(opts.Env))
	switch {
	case err != nil && !isNotFound(err):
		return nil, wrap(err, repo.RegistryStr(), "reading tag %q", opts.Env)
	case err == nil:
		rep.FromDigest = cur.Digest.String()
		if rep.From, err = versionOf(ctx, puller, repo, rep.FromDigest); err != nil {
			return nil, err
		}
	}
	if rep.FromDigest == rep.ToDigest {
		rep.Untouched = append(rep.Untouched, opts.Env+": already names "+opts.Version)
		return rep, nil
	}
	rep.Tags = append(rep.Tags, TagChange{Tag: opts.Env, Kind: Moving, Old: rep.FromDigest, New: rep.ToDigest, Reason: "promote " + opts.Version})
	if opts.DryRun {
		return rep, nil
	}
	olds := map[string]*remote.Descriptor{}
	if cur != nil {
		olds[opts.Env] = cur
	}
	if err := writeTags(ctx, puller, pusher, repo, rep.Tags, desc, olds); err != nil {
		return rep, wrap(err, repo.RegistryStr(), "promoting %s to %s", opts.Version, opts.Env)
	}
	return rep, nil
}

// versionOf is the highest version tag of repo naming digest; "" when
// none does.
func versionOf(ctx context.Context, puller *remote.Puller, repo name.Repository, digest string) (string, error) {
	tags, err := listTags(ctx, puller, repo)
	if err != nil {
		return "", err
	}
	for _, v := range VersionTags(tags) {
		d, err := puller.Head(ctx, repo.Tag(v.Tag))
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return "", wrap(err, repo.RegistryStr(), "reading tag %q", v.Tag)
		}
		if d.Digest.String() == digest {
			return v.Tag, nil
		}
	}
	return "", nil
}

// CheckRepository accepts a repository name REGISTRY/REPO as a registry
// client reads it strictly, not starting with '-'.
func CheckRepository(repository string) error {
	if strings.HasPrefix(repository, "-") {
		return fmt.Errorf("repository %q looks like an option", repository)
	}
	if _, err := name.NewRepository(repository, name.StrictValidation); err != nil {
		return fmt.Errorf("repository %q is not REGISTRY/REPO: %w", repository, err)
	}
	return nil
}
