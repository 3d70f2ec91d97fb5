package config

// The defaults of the settings more than one verb reads, in one place: the
// resolvers of package release apply them after flags or Action inputs,
// .shipflow.yaml and the event (see release.Inputs), and help texts quote
// them from here.
const (
	// DefaultReleaseBranch is release.branch: the branch releases are cut
	// from and the stable line of the branch model.
	DefaultReleaseBranch = "main"
	// DefaultMaintenanceBranches is release.maintenance-branches: the
	// other branches releases are cut from (release/1.x).
	DefaultMaintenanceBranches = "release/*"
	// DefaultIntegrationBranch is the branch features are merged into,
	// which must hold every change of the release branch (branch debt).
	DefaultIntegrationBranch = "dev"
	// ReleaseModeDirect and ReleaseModePR are release.mode's values; a
	// configuration without one releases directly.
	ReleaseModeDirect = "direct"
	ReleaseModePR     = "pr"
	// ReleasePRBranchPrefix names a release pull request's head branch:
	// the prefix and the release branch (shipflow/release-main).
	ReleasePRBranchPrefix = "shipflow/release-"
	// DefaultRemote is release.remote: the remote releases are pushed to
	// and whose tracking branches stand in for missing local ones.
	DefaultRemote = "origin"
	// DefaultChangelogFile is changelog.file.
	DefaultChangelogFile = "CHANGELOG.md"
	// DefaultTagPrefix is version.tag-prefix.
	DefaultTagPrefix = "v"
	// NoTagPrefix is how a flag, an Action input or version.tag-prefix
	// says "no prefix" (bare X.Y.Z tags): an empty input cannot, since an
	// Action cannot tell an empty input from an unset one.
	NoTagPrefix = "none"
)
