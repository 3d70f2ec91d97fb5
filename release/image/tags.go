package image

import (
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// TagKind says whether a tag is written once (a version), follows one
// commit (sha-<short>) or moves from release to release (X.Y, X, latest).
type TagKind string

const (
	// Immutable tags name one release forever: X.Y.Z. A push that would
	// point one at another image is refused (*ConflictError).
	Immutable TagKind = "immutable"
	// Commit tags (sha-<short>) name the newest image pushed from a
	// commit. They name a commit, not a version, so they move when the
	// same commit is pushed again as another version (1.2.4-rc.1, then
	// 1.2.4); they are written with the immutable tags and, like them,
	// are not put back when a later tag write fails (the image they name
	// is an image of that commit either way).
	Commit TagKind = "commit"
	// Moving tags follow the highest release in their range: X.Y, X, latest.
	Moving TagKind = "moving"
)

// TagPolicy says which tags a push writes besides X.Y.Z. The zero value is
// the default: every tag.
type TagPolicy struct {
	// NoSHA skips the sha-<short> tag.
	NoSHA bool
	// NoMoving skips the X.Y and X tags.
	NoMoving bool
	// NoLatest skips the latest tag.
	NoLatest bool
}

// PlannedTag is one tag a push writes, and why.
type PlannedTag struct {
	Tag    string
	Kind   TagKind
	Reason string
}

// Version is a release version found among a repository's tags.
type Version struct {
	Tag     string
	Version *semver.Version
}

// VersionTags returns the tags that are strict semantic versions (1.2.3,
// 1.4.0-dev.1; no "v"), highest first. Everything else — latest, 1.2,
// sha-abc1234, sha256-<hex>.sig/.att/.sbom — is not a version.
func VersionTags(tags []string) []Version {
	var out []Version
	for _, t := range tags {
		v, err := semver.StrictNewVersion(t)
		if err != nil || v.Original() != v.String() {
			continue
		}
		out = append(out, Version{Tag: t, Version: v})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Version.GreaterThan(out[j].Version) })
	return out
}

// isCommitHash reports whether s is 7 to 64 lowercase hex digits (a
// regexp for it would be compiled at every start of the binary).
func isCommitHash(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// PlanTags says which tags a push of version (with commit revision, which
// may be empty) writes into a repository that already has the tags
// existing. X.Y.Z and sha-<short> (a Commit tag) are always written; the moving tags only
// for a stable version, and each only when the version is the highest
// stable one in its range counting the existing tags:
//
//   - X.Y when no existing X.Y.* release is higher (so a backport 1.2.4
//     moves 1.2 even after 1.3.0);
//   - X when no existing X.*.* release is higher;
//   - latest when no existing release at all is higher.
//
// Prereleases never move anything. Tags come in write order: X.Y.Z, then
// sha-<short>, then the moving ones from the narrowest to latest.
func PlanTags(version, revision string, existing []string, p TagPolicy) ([]PlannedTag, error) {
	v, err := semver.StrictNewVersion(version)
	if err != nil {
		return nil, fmt.Errorf("version %q is not a semantic version X.Y.Z[-pre]: %w", version, err)
	}
	if v.Metadata() != "" {
		return nil, fmt.Errorf("version %q has build metadata: image tags cannot contain '+'", version)
	}
	tags := []PlannedTag{{Tag: v.String(), Kind: Immutable, Reason: "the version"}}
	if revision != "" && !p.NoSHA {
		if !isCommitHash(revision) {
			return nil, fmt.Errorf("revision %q is not a commit hash", revision)
		}
		tags = append(tags, PlannedTag{Tag: "sha-" + revision[:7], Kind: Commit, Reason: "the commit"})
	}
	if v.Prerelease() != "" {
		return tags, nil
	}
	var minor, major, all bool = true, true, true
	for _, e := range VersionTags(existing) {
		if e.Version.Prerelease() != "" || !e.Version.GreaterThan(v) {
			continue
		}
		all = false
		if e.Version.Major() == v.Major() {
			major = false
			if e.Version.Minor() == v.Minor() {
				minor = false
			}
		}
	}
	if !p.NoMoving && minor {
		tags = append(tags, PlannedTag{Tag: fmt.Sprintf("%d.%d", v.Major(), v.Minor()), Kind: Moving, Reason: fmt.Sprintf("highest %d.%d.* release", v.Major(), v.Minor())})
	}
	if !p.NoMoving && major {
		tags = append(tags, PlannedTag{Tag: fmt.Sprint(v.Major()), Kind: Moving, Reason: fmt.Sprintf("highest %d.*.* release", v.Major())})
	}
	if !p.NoLatest && all {
		tags = append(tags, PlannedTag{Tag: "latest", Kind: Moving, Reason: "highest release"})
	}
	return tags, nil
}

// statusCode is the HTTP status of a registry error, or 0.
func statusCode(err error) int {
	var te *transport.Error
	if errors.As(err, &te) {
		return te.StatusCode
	}
	return 0
}

// isNotFound says whether err is a registry's "no such repository, tag or
// manifest".
func isNotFound(err error) bool {
	var te *transport.Error
	if !errors.As(err, &te) {
		return false
	}
	if te.StatusCode == http.StatusNotFound {
		return true
	}
	for _, d := range te.Errors {
		switch d.Code {
		case transport.NameUnknownErrorCode, transport.ManifestUnknownErrorCode:
			return true
		}
	}
	return false
}
