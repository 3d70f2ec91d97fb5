package config

// Version is the `version:` section of .shipflow.yaml: how `shipflow next`
// (and the changelog and release built on it) turns tags and commits into
// the next version. Every field is optional; `shipflow next` echoes the
// settings it used.
//
//	version:
//	  tag-prefix: v
//	  initial-version: 0.1.0
//	  types: {feat: minor, fix: patch, perf: patch, deps: patch}
//	  major-on-zero: false
//	  release-commit: '^chore\(release\)!?:'
//	  channels:
//	    - {name: stable, branches: [main]}
//	    - {name: dev, branches: [dev], prerelease: dev}
//	    - {name: hotfix, branches: ['hotfix/*'], max-bump: patch}
//	    - {name: feature, branches: ['feature/*'], build: true}
type Version struct {
	// TagPrefix goes before X.Y.Z in tag names; tags are the prefix plus a
	// strict semantic version, other tags are ignored. Default "v"; none
	// (or "") for bare X.Y.Z tags, spelled as the --tag-prefix flag and the
	// Actions' tag-prefix input spell it (unset and "" differ, hence the
	// pointer).
	TagPrefix *string `yaml:"tag-prefix"`
	// InitialVersion is proposed when no version tag is reachable from HEAD.
	// Default "0.1.0".
	InitialVersion string `yaml:"initial-version"`
	// Types maps commit types to the bump they cause: none, patch, minor or
	// major. When set it replaces the default map; types not in it cause no
	// release. Default {feat: minor, fix: patch, perf: patch}. Breaking
	// changes, reverts and Release-As footers do not depend on it.
	Types map[string]string `yaml:"types"`
	// MajorOnZero makes a breaking change bump the major version while it is
	// 0.x too. Default false: breaking changes bump the minor version of a
	// 0.x version, and 1.0.0 comes only from `shipflow next --major` or a
	// `Release-As: 1.0.0` footer.
	MajorOnZero bool `yaml:"major-on-zero"`
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
