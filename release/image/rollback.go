package image

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// ErrNoTarget is wrapped by Rollback when there is nothing to roll back to:
// no release tag, no release below the bad one, or the target is what
// latest already names. A target version given in RollbackOptions.To that
// the repository does not have is an *InputError instead: the user named
// something that does not exist.
var ErrNoTarget = errors.New("nothing to roll back to")

// RollbackOptions are the inputs of Rollback.
type RollbackOptions struct {
	// Repository is REGISTRY/REPO.
	Repository string
	// To is the version to go back to, a stable X.Y.Z that the repository
	// has; "" means the highest stable version below the bad one. A higher
	// version rolls forward.
	To string
	// DryRun resolves the bad release, the target and the tags to move
	// (reading the registry) without writing; the report's tags are not
	// Written.
	DryRun bool
}

// RollbackReport is what a rollback moved. It is also the record that
// Undo reverses, so it marshals to JSON.
type RollbackReport struct {
	Repository string `json:"repository"`
	// From is the bad version: the one `latest` named (or, without
	// latest, the highest stable version); "" when no version tag names
	// FromDigest.
	From       string `json:"from"`
	FromDigest string `json:"from_digest"`
	// To is the version rolled back to.
	To       string `json:"to"`
	ToDigest string `json:"to_digest"`
	// Tags are the moving tags pointed at ToDigest (Old is FromDigest).
	Tags []TagChange `json:"tags"`
	// Untouched are the moving tags in the target's range left alone, and
	// why.
	Untouched []string `json:"untouched"`
	// Time is when the rollback was done.
	Time time.Time `json:"time"`
	// Undo is set on the report of Undo: the rollback it reversed.
	Undo bool `json:"undo,omitempty"`
	// Env is set on the report of Promote: the environment tag moved.
	Env string `json:"env,omitempty"`
}

// Rollback points the moving tags that name the bad release — the image
// `latest` names — back at an earlier release, by digest: nothing is
// uploaded and immutable tags are untouched. Only tags whose range holds
// the target move: latest, X when the target is X.*.*, X.Y when it is
// X.Y.*. A failed tag write puts the tags already moved back and is a
// *TagWriteError, returned with the report. A target that is not a stable
// version the repository has is an *InputError; nothing to roll back to
// wraps ErrNoTarget.
func Rollback(ctx context.Context, opts RollbackOptions, knobs ...Option) (*RollbackReport, error) {
	var target *semver.Version
	if opts.To != "" {
		v, err := semver.StrictNewVersion(opts.To)
		if err != nil {
			return nil, &InputError{Err: fmt.Errorf("target version %q is not X.Y.Z: %w", opts.To, err)}
		}
		if v.Prerelease() != "" || v.Metadata() != "" {
			return nil, &InputError{Err: fmt.Errorf("target version %q is not a stable release: a rollback goes to a stable X.Y.Z, which latest, X and X.Y may name", opts.To)}
		}
		target = v
	}
	repo, puller, pusher, err := retagClients(ctx, opts.Repository, knobs)
	var ne *name.ErrBadName
	if errors.As(err, &ne) {
		return nil, &InputError{Err: err}
	}
	if err != nil {
		return nil, err
	}
	tags, err := listTags(ctx, puller, repo)
	if err != nil {
		return nil, err
	}
	var stable []Version
	for _, v := range VersionTags(tags) {
		if v.Version.Prerelease() == "" {
			stable = append(stable, v)
		}
	}
	if len(stable) == 0 {
		return nil, fmt.Errorf("rolling back %s: the repository has no release tag (X.Y.Z): %w", repo.Name(), ErrNoTarget)
	}
	if target != nil && !slices.ContainsFunc(stable, func(v Version) bool { return v.Version.Equal(target) }) {
		var have []string
		for _, v := range stable {
			have = append(have, v.Tag)
		}
		return nil, &InputError{Err: fmt.Errorf("rolling back %s: version %q has no image (no tag %s); its releases are %s", repo.Name(), opts.To, target, strings.Join(have, ", "))}
	}
	digestOf := func(tag string) (string, error) {
		d, err := puller.Head(ctx, repo.Tag(tag))
		if err != nil {
			if isNotFound(err) {
				return "", nil
			}
			return "", wrap(err, repo.RegistryStr(), "reading tag %q", tag)
		}
		return d.Digest.String(), nil
	}

	rep := &RollbackReport{Repository: repo.Name(), Tags: []TagChange{}, Untouched: []string{}, Time: time.Now().UTC()}
	// The bad release is what latest names.
	if rep.FromDigest, err = digestOf("latest"); err != nil {
		return nil, err
	}
	var bad *semver.Version
	if rep.FromDigest == "" {
		bad = stable[0].Version
		rep.From = stable[0].Tag
		if rep.FromDigest, err = digestOf(rep.From); err != nil {
			return nil, err
		}
	} else {
		for _, v := range stable {
			d, err := digestOf(v.Tag)
			if err != nil {
				return nil, err
			}
			if d == rep.FromDigest {
				bad, rep.From = v.Version, v.Tag
				break
			}
		}
	}

	// The target: given, or the highest stable release below the bad one
	// (with an unknown bad one, the highest with another digest).
	if target == nil {
		for _, v := range stable {
			if bad != nil && v.Version.LessThan(bad) {
				target = v.Version
				break
			}
			if bad == nil {
				if d, err := digestOf(v.Tag); err != nil {
					return nil, err
				} else if d != rep.FromDigest {
					target = v.Version
					break
				}
			}
		}
		if target == nil {
			return nil, fmt.Errorf("rolling back %s: no release below %s: %w", repo.Name(), rep.From, ErrNoTarget)
		}
	}
	rep.To = target.String()
	desc, err := puller.Get(ctx, repo.Tag(rep.To))
	if err != nil {
		if isNotFound(err) {
			return nil, &InputError{Err: fmt.Errorf("rolling back %s: version %q has no image (no tag %s)", repo.Name(), rep.To, rep.To)}
		}
		return nil, wrap(err, repo.RegistryStr(), "reading target %s:%s", repo.Name(), rep.To)
	}
	rep.ToDigest = desc.Digest.String()
	if rep.ToDigest == rep.FromDigest {
		return nil, fmt.Errorf("rolling back %s: %s is already what latest names (%s): %w", repo.Name(), rep.To, rep.ToDigest, ErrNoTarget)
	}

	for _, t := range []string{fmt.Sprintf("%d.%d", target.Major(), target.Minor()), fmt.Sprint(target.Major()), "latest"} {
		d, err := digestOf(t)
		switch {
		case err != nil:
			return nil, err
		case d == "":
			rep.Untouched = append(rep.Untouched, t+": does not exist")
		case d == rep.ToDigest:
			rep.Untouched = append(rep.Untouched, t+": already names "+rep.To)
		case d != rep.FromDigest:
			rep.Untouched = append(rep.Untouched, fmt.Sprintf("%s: names %s, not the bad release", t, short(d)))
		default:
			rep.Tags = append(rep.Tags, TagChange{Tag: t, Kind: Moving, Old: d, New: rep.ToDigest, Reason: "back to " + rep.To})
		}
	}
	if len(rep.Tags) == 0 || opts.DryRun {
		return rep, nil
	}
	olds := map[string]*remote.Descriptor{}
	old, err := puller.Get(ctx, repo.Digest(rep.FromDigest))
	if err != nil {
		return nil, wrap(err, repo.RegistryStr(), "reading %s@%s", repo.Name(), rep.FromDigest)
	}
	for _, c := range rep.Tags {
		olds[c.Tag] = old
	}
	if err := writeTags(ctx, puller, pusher, repo, rep.Tags, desc, olds); err != nil {
		return rep, wrap(err, repo.RegistryStr(), "rolling back %s", repo.Name())
	}
	return rep, nil
}

// Undo reverses a rollback from its report: each tag it moved goes back
// to its old digest, if it still names what the rollback set (a tag moved
// since is left alone and listed in Untouched). A report that cannot be
// undone (no digests, a promote that created its tag, a repository that
// does not parse) is an *InputError: it is what the caller gave.
func Undo(ctx context.Context, rb *RollbackReport, knobs ...Option) (*RollbackReport, error) {
	if rb != nil && rb.Env != "" && rb.FromDigest == "" && rb.ToDigest != "" {
		return nil, &InputError{Err: fmt.Errorf("undoing the promote of %s: tag %s did not exist before it, so there is no earlier image to put back (registries cannot untag; delete it in the registry)", rb.To, rb.Env)}
	}
	if rb == nil || rb.Repository == "" || rb.FromDigest == "" || rb.ToDigest == "" {
		return nil, &InputError{Err: errors.New("undoing rollback: the record names no repository or digests")}
	}
	repo, puller, pusher, err := retagClients(ctx, rb.Repository, knobs)
	var ne *name.ErrBadName
	if errors.As(err, &ne) {
		return nil, &InputError{Err: err}
	}
	if err != nil {
		return nil, err
	}
	rep := &RollbackReport{
		Repository: rb.Repository, From: rb.To, FromDigest: rb.ToDigest, To: rb.From, ToDigest: rb.FromDigest,
		Tags: []TagChange{}, Untouched: []string{}, Time: time.Now().UTC(), Undo: true, Env: rb.Env,
	}
	back, err := puller.Get(ctx, repo.Digest(rb.FromDigest))
	if err != nil {
		return nil, wrap(err, repo.RegistryStr(), "reading %s@%s", repo.Name(), rb.FromDigest)
	}
	cur, err := puller.Get(ctx, repo.Digest(rb.ToDigest))
	if err != nil {
		return nil, wrap(err, repo.RegistryStr(), "reading %s@%s", repo.Name(), rb.ToDigest)
	}
	olds := map[string]*remote.Descriptor{}
	for _, c := range rb.Tags {
		if !c.Written {
			continue
		}
		d, err := puller.Head(ctx, repo.Tag(c.Tag))
		if err != nil && !isNotFound(err) {
			return nil, wrap(err, repo.RegistryStr(), "reading tag %q", c.Tag)
		}
		if err != nil || d.Digest.String() != rb.ToDigest {
			rep.Untouched = append(rep.Untouched, c.Tag+": moved since the rollback")
			continue
		}
		reason := "undo rollback"
		if rb.Env != "" {
			reason = "undo promote"
		}
		rep.Tags = append(rep.Tags, TagChange{Tag: c.Tag, Kind: Moving, Old: rb.ToDigest, New: c.Old, Reason: reason})
		olds[c.Tag] = cur
	}
	if err := writeTags(ctx, puller, pusher, repo, rep.Tags, back, olds); err != nil {
		return rep, wrap(err, repo.RegistryStr(), "undoing rollback of %s", repo.Name())
	}
	return rep, nil
}

// short is a digest cut for messages.
func short(digest string) string {
	if len(digest) > 19 {
		return digest[:19]
	}
	return digest
}

// retagClients parses repository and returns the puller and pusher that
// rollback and undo share: they read manifests and write tags, never blobs.
func retagClients(ctx context.Context, repository string, knobs []Option) (name.Repository, *remote.Puller, *remote.Pusher, error) {
	s := newSettings(knobs)
	repo, err := s.newRepository(repository)
	if err != nil {
		return name.Repository{}, nil, nil, fmt.Errorf("parsing repository %q: %w", repository, err)
	}
	ropts, err := s.remoteOptions(ctx, nil, nil)
	if err != nil {
		return name.Repository{}, nil, nil, err
	}
	puller, err := remote.NewPuller(ropts...)
	if err != nil {
		return name.Repository{}, nil, nil, err
	}
	pusher, err := remote.NewPusher(append(ropts, remote.Reuse(puller))...)
	if err != nil {
		return name.Repository{}, nil, nil, err
	}
	return repo, puller, pusher, nil
}
