package config

import "fmt"

// Version is the `version:` section of .shipflow.yaml: how `shipflow next`
// (and the changelog and release built on it) turns tags and commits into
// the next version. Every field is optional; `shipflow next` echoes the
// settings it used.
//
//	version:
//	  tag-prefix: v
//	  initial: 0.1.0
//	  types: {feat: minor, fix: patch, perf: patch, deps: patch}
//	  bump-minor-pre-major: true
//	  bump-patch-for-minor-pre-major: false
//	  release-commit: '^chore\(release\)!?:'
//	  channels:
//	    - {name: stable, branches: [main]}
//	    - {name: dev, branches: [dev], prerelease: dev}
//	    - {name: hotfix, branches: ['hotfix/*'], max-bump: patch}
//	    - {name: feature, branches: ['feature/*'], build: true}
//
// While the version is 0.x, with the defaults above, a breaking change
// bumps the minor version (0.3.0 → 0.4.0) and a feat the minor version too
// (0.3.0 → 0.4.0): the keys are release-please's. A project that starts at
// 1.0.0 sets `initial: 1.0.0`; one that wants feats to stay patches until
// 1.0.0 sets `bump-patch-for-minor-pre-major: true` (0.3.0 → 0.3.1); one
// that wants a breaking change to leave 0.x sets `bump-minor-pre-major:
// false` (0.3.0 → 1.0.0), the same as the older `major-on-zero: true`.
//
// Lines. Commits are counted from the highest version tag HEAD reaches,
// stable or prerelease. A reachable prerelease line (v45.0.0-nightly.N,
// v1.3.0-dev.2 after dev is merged into main) graduates on a stable branch
// to its X.Y.Z (45.0.0), or beyond when the commits since need more (a
// breaking change after v1.3.0-rc.1 gives 2.0.0), as node-semver's inc
// does. A maintenance line (a channel with max-bump, such as hotfix/*, or a
// commit behind newer tags of its own X.Y line) proposes its own next
// version and fails when that tag exists already, rather than jump to
// another line; main and prerelease channels are raised above the highest
// existing stable tag instead.
type Version struct {
	// TagPrefix goes before X.Y.Z in tag names; tags are the prefix plus a
	// strict semantic version, other tags are ignored. Default "v"; none
	// (or "") for bare X.Y.Z tags, spelled as the --tag-prefix flag and the
	// Actions' tag-prefix input spell it (unset and "" differ, hence the
	// pointer).
	TagPrefix *string `yaml:"tag-prefix"`
	// Initial is the first version, proposed when no version tag is
	// reachable from HEAD: a plain X.Y.Z such as 0.1.0 or 1.0.0. Default
	// "0.1.0". Read it through InitialSetting.
	Initial string `yaml:"initial"`
	// InitialVersion is the older spelling of Initial, still read.
	InitialVersion string `yaml:"initial-version"`
	// Types maps commit types to the bump they cause: none, patch, minor or
	// major. When set it replaces the default map; types not in it cause no
	// release. Default {feat: minor, fix: patch, perf: patch}. Breaking
	// changes, reverts and Release-As footers do not depend on it.
	Types map[string]string `yaml:"types"`
	// MajorOnZero makes a breaking change bump the major version while it is
	// 0.x too. Default false: breaking changes bump the minor version of a
	// 0.x version, and 1.0.0 comes only from `shipflow next --major` or a
	// `Release-As: 1.0.0` footer. It is the same as `bump-minor-pre-major:
	// false`; read both through MajorOnZeroSetting.
	MajorOnZero bool `yaml:"major-on-zero"`
	// BumpMinorPreMajor makes a breaking change bump the minor version while
	// it is 0.x (release-please's bump-minor-pre-major). Default true;
	// false is major-on-zero: true. Unset and false differ, hence the
	// pointer.
	BumpMinorPreMajor *bool `yaml:"bump-minor-pre-major"`
	// BumpPatchForMinorPreMajor makes a commit type that bumps the minor
	// version (feat) bump the patch version while it is 0.x
	// (release-please's bump-patch-for-minor-pre-major). Default false.
	BumpPatchForMinorPreMajor bool `yaml:"bump-patch-for-minor-pre-major"`
	// ReleaseCommit is a regular expression (Go syntax) matching the headers
	// of release commits, which are ignored. Default `^chore\(release\)!?:`,
	// shipflow's own `chore(release): v1.2.0 [skip ci]`.
	ReleaseCommit string `yaml:"release-commit"`
	// Channels map branches to release channels; the first channel with a
	// matching branch pattern wins. When set it replaces the default list:
	// main → stable X.Y.Z; dev → prerelease X.Y.Z-dev.N; hotfix/* → X.Y.Z,
	// patch bumps at most; feature/* → build version X.Y.Z+<sha>, no tag.
	// Branches matching no channel get a build version and a warning.
	Channels []VersionChannel `yaml:"channels"`
}

// VersionChannel is one entry of `version.channels`.
type VersionChannel struct {
	// Name names the channel in plans. Required.
	Name string `yaml:"name"`
	// Branches are branch name patterns (Go path.Match syntax: `hotfix/*`).
	// Required.
	Branches []string `yaml:"branches"`
	// Prerelease, when set, makes versions X.Y.Z-<prerelease>.N, numbered
	// after the highest existing tag for X.Y.Z. Default "" (stable versions).
	Prerelease string `yaml:"prerelease"`
	// MaxBump is the largest bump the channel allows (patch, minor, major);
	// a larger one fails unless `shipflow next --allow-bump`. Default ""
	// (no limit).
	MaxBump string `yaml:"max-bump"`
	// Build channels create no tag: their version is X.Y.Z+<short sha>, for
	// images of work in progress. Default false.
	Build bool `yaml:"build"`
}

// InitialSetting returns the first version, from initial or its older
// spelling initial-version, and the key it came from; "" and "" when
// neither is set. Both set to different values is an error.
func (v Version) InitialSetting() (value, key string, err error) {
	switch {
	case v.Initial != "" && v.InitialVersion != "" && v.Initial != v.InitialVersion:
		return "", "initial", fmt.Errorf("initial %q and initial-version %q disagree: keep initial (initial-version is its older spelling)", v.Initial, v.InitialVersion)
	case v.Initial != "":
		return v.Initial, "initial", nil
	case v.InitialVersion != "":
		return v.InitialVersion, "initial-version", nil
	}
	return "", "", nil
}

// MajorOnZeroSetting reports whether a breaking change bumps the major
// version while it is 0.x: major-on-zero: true, or bump-minor-pre-major:
// false. The two set to opposite meanings is an error.
func (v Version) MajorOnZeroSetting() (bool, error) {
	if v.BumpMinorPreMajor == nil {
		return v.MajorOnZero, nil
	}
	if v.MajorOnZero && *v.BumpMinorPreMajor {
		return false, fmt.Errorf("major-on-zero: true and bump-minor-pre-major: true disagree: keep one (bump-minor-pre-major: false is major-on-zero: true)")
	}
	return !*v.BumpMinorPreMajor, nil
}
