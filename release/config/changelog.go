package config

// Changelog is the `changelog:` section of .shipflow.yaml: how `shipflow
// changelog` (and `shipflow release`) write CHANGELOG.md and release notes.
// Every field is optional.
//
//	changelog:
//	  preset: conventionalcommits
//	  file: CHANGELOG.md
//	  marker: '<!-- shipflow:insert -->'
//	  repository-url: https://github.com/o/r
//	  sections:
//	    - {type: feat, section: Features}
//	    - {type: fix, section: Bug Fixes}
//	    - {type: docs, section: Documentation, hidden: true}
//	  template: .github/changelog.tmpl
//	  prereleases: sections
type Changelog struct {
	// Preset is the layout: conventionalcommits (release-please's),
	// angular (conventional-changelog's angular preset) or keepachangelog.
	// Default "conventionalcommits".
	Preset string `yaml:"preset"`
	// File is the changelog's path, relative to the repository root and
	// inside it (not under .git/; a symbolic link must stay inside too).
	// Default "CHANGELOG.md".
	File string `yaml:"file"`
	// Marker is a line of the changelog below which new sections are
	// inserted; without it they go above the first version heading.
	// Default "<!-- shipflow:insert -->".
	Marker string `yaml:"marker"`
	// RepositoryURL is the GitHub or GitHub Enterprise repository that
	// commit, issue and compare links point to (a web or git URL; on
	// gitlab.com, GitLab's link shapes). Default: the `origin` remote's
	// repository when its host is github.com, HOST.ghe.com, gitlab.com or
	// a GitHub Enterprise Server named by GITHUB_SERVER_URL,
	// GITHUB_API_URL or release.github-api-url; no links otherwise.
	RepositoryURL string `yaml:"repository-url"`
	// Sections maps commit types to section titles, in section order; when
	// set it replaces the preset's table. Hidden types are listed only when
	// they are breaking. Default: the preset's table (conventionalcommits:
	// feat Features, fix Bug Fixes, perf Performance Improvements, revert
	// Reverts; docs, style, chore, refactor, test, build and ci hidden).
	Sections []ChangelogSection `yaml:"sections"`
	// Template is the path of a Go text/template file that replaces the
	// preset's layout; it is executed with the context documented in
	// package release/changelog (`shipflow changelog --format json` prints
	// it). Like File it is relative to the repository root and inside it;
	// it must be a regular file of at most 1 MiB. Templates are data: they
	// have no function that reads files or the environment. Default "": the
	// preset's layout.
	Template string `yaml:"template"`
	// Prereleases is how `shipflow changelog --rebuild` writes the
	// versions of prerelease tags (v1.1.0-rc.1): "sections" gives each its
	// own section, listing the commits since the tag before it; "fold"
	// writes none and lists their commits in the section of the next
	// stable version, so that each stable section lists every commit
	// since the previous stable tag (prereleases above the last stable tag
	// keep their sections until a stable version, or the version given to
	// --rebuild, releases them). Read it through FoldPrereleases. Default
	// "sections".
	Prereleases string `yaml:"prereleases"`

	src *source // where Parse read the section; nil when built in code
}

// KeyError returns an *Error about the value of key, a key of this section
// ("file", "template", "sections[0]"): "FILE:LINE:COL: changelog.KEY:
// message", with the value's line and column when Parse read the section.
func (c Changelog) KeyError(key, format string, a ...any) *Error {
	return c.src.errorf("changelog."+key, format, a...)
}

// The values of changelog.prereleases.
const (
	// PrereleasesSections gives every prerelease tag its section.
	PrereleasesSections = "sections"
	// PrereleasesFold folds prerelease tags into the next stable section.
	PrereleasesFold = "fold"
)

// FoldPrereleases reports whether changelog.prereleases is fold. Any value
// but "", sections and fold is an *Error at the key (Parse refuses it
// already; this catches a section built in code).
func (c Changelog) FoldPrereleases() (bool, error) {
	switch c.Prereleases {
	case "", PrereleasesSections:
		return false, nil
	case PrereleasesFold:
		return true, nil
	}
	return false, c.KeyError("prereleases", "unknown value %q, valid values are %s (the default) and %s", c.Prereleases, PrereleasesSections, PrereleasesFold)
}

// ChangelogSection is one entry of `changelog.sections`.
type ChangelogSection struct {
	// Type is a commit type ("feat"). Required.
	Type string `yaml:"type"`
	// Section is the title of the section listing it ("Features").
	// Required.
	Section string `yaml:"section"`
	// Hidden leaves the type out unless a commit is breaking. Default false.
	Hidden bool `yaml:"hidden"`
}
