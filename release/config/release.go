package config

import (
	"fmt"

	"github.com/shipflow/shipflow/internal/repofs"
)

// Release is the `release:` section of .shipflow.yaml: how `shipflow
// release` cuts a release from main. Every field is optional.
//
//	release:
//	  mode: pr
//	  branch: main
//	  maintenance-branches: [release/*]
//	  remote: origin
//	  floating-major-tag: false
//	  draft: false
//	  sign-tags: false
//	  github-api-url: https://api.github.com/
//	  commit-message: 'chore(release): {{.Tag}} [skip ci]'
//	  assets: [dist/*.tar.gz]
//	  version-files:
//	    - {path: deploy/values.yaml, yaml: image.tag}
//	  pr-per-package: false   # with packages:
//	  bump-dependents: true   # with packages:
type Release struct {
	// Mode is how the release commit reaches the release branch: "direct"
	// pushes it with the tag (the release branch must accept the push),
	// "pr" keeps a release pull request holding the changelog section and
	// the bumped version files, and tags its merge. Default "direct".
	Mode string `yaml:"mode"`
	// Branch is the only branch releases are cut from. Default "main".
	Branch string `yaml:"branch"`
	// MaintenanceBranches are patterns (path.Match: release/*) of the
	// other branches releases are cut from, maintenance lines such as
	// release/1.x: each releases the version its version.channels entry
	// plans (the default maintenance channel: patches and minors of its
	// own line, never Latest above a newer major). Default [release/*];
	// [] for none.
	MaintenanceBranches []string `yaml:"maintenance-branches"`
	// Remote is the git remote the release commit and tag are pushed to.
	// Default "origin".
	Remote string `yaml:"remote"`
	// FloatingMajorTag moves a major-version tag (`v1`) to every new
	// stable release, as GitHub Actions authors publish. Default false.
	FloatingMajorTag bool `yaml:"floating-major-tag"`
	// SignTags signs the release tag (git tag --sign) with the key git is
	// configured with: user.signingkey, and gpg.format ssh for an SSH key
	// (a runner's deploy key), else GPG. Default false: annotated,
	// unsigned tags.
	SignTags bool `yaml:"sign-tags"`
	// Draft leaves the GitHub release as a draft for a human to publish.
	// Default false: the release is published.
	Draft bool `yaml:"draft"`
	// GitHubAPIURL is the REST API base URL, for GitHub Enterprise Server
	// (`https://ghe.example.com/api/v3/`). Default $GITHUB_API_URL when set
	// (GitHub Actions sets it), else `https://api.github.com/`.
	GitHubAPIURL string `yaml:"github-api-url"`
	// CommitMessage is the release commit's message, a Go text/template
	// with {{.Version}} (1.2.0) and {{.Tag}} (v1.2.0). Default
	// `chore(release): {{.Tag}} [skip ci]`. Its first line must name the
	// tag or version (a re-run recognises its release commit by it), and
	// should match version.release-commit so release commits are not
	// counted as changes.
	CommitMessage string `yaml:"commit-message"`
	// Assets are globs of files, relative to the repository (dist/*.tar.gz),
	// uploaded to the GitHub release before it is published, with a
	// checksums.txt of their SHA-256 sums. Each glob must match a file.
	// Default none.
	Assets []string `yaml:"assets"`
	// VersionFiles are files carrying the version that detection does not
	// find, each with exactly one of json (a dotted JSON path), toml (a
	// dotted TOML key) and yaml (a dotted YAML path). The release bumps
	// them with the detected ones. Default none.
	VersionFiles []VersionFile `yaml:"version-files"`
	// PRPerPackage opens one release pull request per package (see
	// Config.Packages) instead of one for all of them (mode: pr). Default
	// false.
	PRPerPackage bool `yaml:"pr-per-package"`
	// BumpDependents gives a package a patch release when a package of the
	// repository it depends on (a workspace package.json dependency, a Go
	// require of another module of the repository) is released. Default
	// true; read it through BumpDependentsOn.
	BumpDependents *bool `yaml:"bump-dependents"`

	src *source // where Parse read the section; nil when built in code
}

// KeyError returns an *Error about the value of key, a key of this section
// ("github-api-url"), with the value's line and column when Parse read the
// section.
func (c Release) KeyError(key, format string, a ...any) *Error {
	return c.src.errorf("release."+key, format, a...)
}

// VersionFile is one release.version-files entry: a file relative to the
// repository and exactly one of JSON, TOML and YAML naming the value as a
// dotted path (a."b.c".d; a numeric segment indexes a sequence). It
// mirrors versionfile.Entry, which the release layer converts it to.
type VersionFile struct {
	Path string `yaml:"path"`
	JSON string `yaml:"json"`
	TOML string `yaml:"toml"`
	YAML string `yaml:"yaml"`
}

// BumpDependentsOn reports whether dependents are bumped (default true).
func (c Release) BumpDependentsOn() bool { return c.BumpDependents == nil || *c.BumpDependents }

// checkMode refuses a mode other than "direct" and "pr", at its line and
// column.
func (c Release) checkMode() error {
	switch c.Mode {
	case "", ReleaseModeDirect, ReleaseModePR:
		return nil
	}
	return c.src.errorf("release.mode", "is %q: use %q (push the release commit to the release branch) or %q (open a release pull request)", c.Mode, ReleaseModeDirect, ReleaseModePR)
}

// checkVersionFiles refuses an entry without a path, with a path that
// leaves the repository or enters .git/, or without exactly one key, at
// the entry's line and column.
func (c Release) checkVersionFiles() error {
	return checkVersionFileList(c.src, "release.version-files", c.VersionFiles)
}

// checkVersionFileList checks version-files entries read at key
// (release.version-files, packages[N].version-files).
func checkVersionFileList(src *source, list string, files []VersionFile) error {
	for i, e := range files {
		key := fmt.Sprintf("%s[%d]", list, i)
		if e.Path == "" {
			return src.errorf(key, "has no path: give the file, relative to the repository root")
		}
		if _, err := repofs.Clean(e.Path); err != nil {
			return src.errorf(key+".path", "%v", err)
		}
		n := 0
		for _, k := range []string{e.JSON, e.TOML, e.YAML} {
			if k != "" {
				n++
			}
		}
		if n != 1 {
			return src.errorf(key, "give exactly one of json, toml and yaml (the value's dotted path in %s), not %d", e.Path, n)
		}
	}
	return nil
}
