// Package changelog renders one release's section of CHANGELOG.md from
// parsed Conventional Commits and inserts it into the bytes of an existing
// changelog. It is for the release operations (release.Changelog,
// release.Cut) and for anyone who wants release notes without touching git:
// it never runs git, reads the environment or prints; WriteFile is its only
// I/O.
//
// # Presets
//
// PresetConventionalCommits (the default) writes what release-please writes
// with conventional-changelog-conventionalcommits:
//
//	## [1.2.0](https://github.com/o/r/compare/v1.1.0...v1.2.0) (2024-05-01)
//
//
//	### ⚠ BREAKING CHANGES
//
//	* **api:** drop v1 endpoints
//
//	### Features
//
//	* **api:** add v2 endpoints ([#12](https://github.com/o/r/issues/12)) ([abc1234](https://github.com/o/r/commit/abc1234...))
//
// PresetAngular writes what conventional-changelog's angular preset writes
// (as vuejs/core's CHANGELOG.md shows): sections sorted by title, a `#`
// heading for minor and major versions, GitHub-style `Revert "..."` commits
// under Reverts, and BREAKING CHANGES last. PresetKeepAChangelog writes
// https://keepachangelog.com sections (Added, Changed, Removed, Fixed).
//
// # References
//
// Every preset takes an entry's references from the commit the same way.
// The issues after a closing keyword (GitHub's list: close, fixes,
// resolved, ...) on a line of the body or footers are closed: "Closes #10,
// #11", "Fixes: #7.", "fix o/r#3", as conventional-commits-parser reads
// them. A footer of another token lists the issues it starts with, which
// are referenced, not closed: "Refs: #12, #13", "See #14". Issues the
// subject already links are not repeated, and prose without a keyword is
// no reference. The layouts write them as
// conventional-changelog-conventionalcommits does:
//
//	### Bug Fixes
//
//	* **api:** add v2 ([abc1234](...)), closes [#10](...) [#11](...), references [#12](...)
//
// (release-please reads only single-issue footers and writes ", closes"
// for "Refs" too). Issue references ("#12", "owner/repo#12") and @user
// mentions in subjects and breaking notes are linked, except in code
// spans, fenced code, links and URLs; "#1a2b" is no reference. A breaking
// note's lines after the first are indented by two spaces, so that its
// lists and paragraphs stay inside its bullet.
//
// # Templates
//
// WithTemplate replaces the preset's layout by a Go text/template executed
// with a *Context (Build returns it); Preset.Layout returns a preset's own
// template as a starting point. `shipflow changelog --format json`
// prints it under "context", so a template can be developed against real
// data. Its fields (JSON names in brackets):
//
//	Version (version)              "1.2.0", without the tag prefix
//	Tag (tag)                      "v1.2.0"
//	PreviousTag (previous_tag)     "v1.1.0", or "" for the first release
//	Date (date)                    "2024-05-01", or "" when unknown
//	IsPatch (is_patch)             the patch number is not 0
//	RepositoryURL (repository_url) "https://github.com/o/r", or "" (no links)
//	CompareURL (compare_url)       ".../compare/v1.1.0...v1.2.0", or ""
//	Breaking (breaking)            []Note: one per breaking change
//	  Scope (scope), Hash (hash)
//	  Text (text)                  markdown for one bullet: references and
//	                               mentions linked, lines after the first
//	                               indented by two spaces
//	Sections (sections)            []Section, in the preset's order
//	  Title (title)                "Features"
//	  Types (types)                the commit types grouped here
//	  Entries (entries)            []Entry, by scope then subject, as
//	                               conventional-changelog sorts them
//	    Type (type), Scope (scope)
//	    Subject (subject)          markdown: issue and @user references linked
//	    Header (header)            the commit's raw first line
//	    Hash, ShortHash (hash, short_hash)
//	    CommitURL (commit_url)     "" without a repository
//	    PR (pr)                    pull-request number, 0 when unknown
//	    Breaking (breaking)        the commit is a breaking change
//	    References (references)    issues the commit closes or refers to
//	                               that its subject does not already link:
//	                               []Reference
//	      Issue (issue), Text (text) "#12" or "o/r#12", URL (url)
//	      Action (action)          "Closes", "fix", "Refs", as written; ""
//	                               for an issue in an unparsed header
//	      Closes (closes)          listed after ", closes"; the others
//	                               after ", references"
//
// # Writing
//
// Insert adds a section above the first version heading (`#`, `##` or `###`
// followed by a semver, linked or not) or below a marker line such as
// `<!-- shipflow:insert -->`, and never changes any other byte; it does
// nothing when the version already has a heading, so running a release twice
// adds nothing. Rebuild replaces everything from the first version heading
// on. WriteFile replaces a file atomically.
package changelog
