package config

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/shipflow/shipflow/internal/repofs"
)

// Package is one entry of the `packages:` section of .shipflow.yaml: a
// part of a monorepo versioned, tagged, changelogged and released on its
// own. Without a packages: section the repository is one package, as
// before.
//
//	packages:
//	  - name: api
//	    path: api                   # or a list; directories or globs
//	    tag-prefix: api/v           # default <name>-v; dir/v for a Go module at dir
//	    changelog: api/CHANGELOG.md # default <dir>/CHANGELOG.md
//	    version-files:
//	      - {path: api/openapi.json, json: info.version}
//	    scopes: [api, server]       # default [name]
//	    linked: backend             # released together, with one version
//	    image: ghcr.io/o/api
//
// A commit belongs to every package one of whose paths it touches, plus
// the packages whose scopes contain its scope. Of the plain directories
// holding a path, only the deepest counts: a package nested in another's
// directory (api/ under the root module ".") carves it out, as Go's nested
// modules do. Channels and branches are shared by all packages.
//
// The defaults that depend on the repository are resolved by methods:
// TagPrefixFor (the caller says whether the package's directory holds a
// go.mod, see HasGoMod), ChangelogFile and AllScopes.
type Package struct {
	// Name is the package's name, in its tags' default prefix, the
	// --package flag and commit scopes: [a-z0-9][a-z0-9._-]*, unique.
	// Required.
	Name string `yaml:"name"`
	// Path is what the package is made of: directories (everything below
	// them) or globs relative to the repository root, matched with
	// path.Match part by part, plus a trailing /** meaning everything
	// below. One string or a list. Paths are cleaned (./api/ is api);
	// never absolute, never out of the repository, never under .git/.
	// Required.
	Path Paths `yaml:"path"`
	// TagPrefix goes before X.Y.Z in the package's tags. Default
	// "<name>-v", or "<dir>/v" (v at the root) when the package's
	// directory holds a go.mod, as Go requires of nested modules.
	TagPrefix string `yaml:"tag-prefix"`
	// Changelog is the package's changelog file, relative to the
	// repository root. Default CHANGELOG.md in the package's directory
	// (the first path, which must then be a plain directory).
	Changelog string `yaml:"changelog"`
	// VersionFiles are the package's version files that detection does
	// not find, as release.version-files (paths relative to the
	// repository root). Detection also runs inside the package's
	// directory. Default none.
	VersionFiles []VersionFile `yaml:"version-files"`
	// Scopes are commit scopes that count for the package even when the
	// commit touches none of its paths. Default [name].
	Scopes []string `yaml:"scopes"`
	// Linked names a group: the packages of a group are released
	// together, with one version. A group of one package is fine.
	// Default none.
	Linked string `yaml:"linked"`
	// Image is the package's container image (image.name for it).
	// Default none.
	Image string `yaml:"image"`

	src   *source // where Parse read it; nil when built in code
	index int     // its index in packages:, for errors
}

// Paths is a list of paths that .shipflow.yaml may also spell as a single
// string.
type Paths []string

// UnmarshalYAML reads a scalar as a list of one.
func (p *Paths) UnmarshalYAML(n *yaml.Node) error {
	list, err := decodeScalarOrList(n, func(s string) []string { return []string{s} })
	if err != nil {
		return err
	}
	*p = list
	return nil
}

// decodeScalarOrList decodes a list of strings, or a scalar that split
// makes one (the spellings Paths and Command allow).
func decodeScalarOrList(n *yaml.Node, split func(string) []string) ([]string, error) {
	if n.Kind == yaml.ScalarNode {
		var s string
		if err := n.Decode(&s); err != nil {
			return nil, err
		}
		return split(s), nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return nil, err
	}
	return list, nil
}

// packageName is what a package name may be (without "..", which tags
// refuse).
var packageName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`) })

// Package returns the package named name.
func (c *Config) Package(name string) (Package, bool) {
	for _, p := range c.Packages {
		if p.Name == name {
			return p, true
		}
	}
	return Package{}, false
}

// KeyError returns an *Error about the value of key, a key of this
// package ("tag-prefix", "path[1]"), with the value's line and column
// when Parse read it: "packages[N].KEY: message".
func (p Package) KeyError(key, format string, a ...any) *Error {
	k := fmt.Sprintf("packages[%d]", p.index)
	at := k
	if key != "" {
		k += "." + key
	}
	e := p.src.errorf(k, format, a...)
	if e.Line == 0 && p.src != nil {
		// A missing key: point at the package.
		pos := p.src.pos[at]
		e.Line, e.Column = pos.Line, pos.Column
	}
	return e
}

// Dir returns the package's directory: its first path when that is a
// plain directory (no glob characters; a trailing /** is dropped), "."
// for the root. ok is false when the first path is a glob or missing.
func (p Package) Dir() (dir string, ok bool) {
	if len(p.Path) == 0 {
		return "", false
	}
	d := strings.TrimSuffix(p.Path[0], "/**")
	if d == "**" {
		d = "."
	}
	if d == "" || strings.ContainsAny(d, `*?[\`) {
		return "", false
	}
	return d, true
}

// TagPrefixFor returns the package's tag prefix: TagPrefix when set, else
// "<dir>/v" ("v" at the root) when hasGoMod says the package's directory
// (Dir) holds a go.mod, else "<name>-v". A Go module in a major version
// subdirectory (sdk/v2, module example.com/sdk/v2) is tagged as Go looks
// for it: sdk/v2.0.0, so its prefix is "sdk/v".
func (p Package) TagPrefixFor(hasGoMod bool) string {
	if p.TagPrefix != "" {
		return p.TagPrefix
	}
	if d, ok := p.Dir(); ok && hasGoMod {
		if majorDir().MatchString(path.Base(d)) {
			d = path.Dir(d)
		}
		if d == "." {
			return DefaultTagPrefix
		}
		return d + "/" + DefaultTagPrefix
	}
	return p.Name + "-" + DefaultTagPrefix
}

// majorDir is a Go major version subdirectory's name (v2, v3, ...).
var majorDir = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v([2-9]|[1-9][0-9]+)$`) })

// ChangelogFile returns the package's changelog file: Changelog when set,
// else CHANGELOG.md in its directory (Dir), else "" (Parse refuses a
// package with neither).
func (p Package) ChangelogFile() string {
	if p.Changelog != "" {
		return p.Changelog
	}
	d, ok := p.Dir()
	if !ok {
		return ""
	}
	return path.Join(d, DefaultChangelogFile)
}

// AllScopes returns the commit scopes that count for the package: Scopes,
// or [Name] when unset.
func (p Package) AllScopes() []string {
	if p.Scopes != nil {
		return p.Scopes
	}
	return []string{p.Name}
}

// HasGoMod reports whether dir, relative to the repository root, holds a
// go.mod: a regular file reached without leaving the tree or entering
// .git/.
func HasGoMod(root, dir string) bool {
	rel, err := repofs.Resolve(root, path.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil && fi.Mode().IsRegular()
}

// checkPackages refuses a packages: section that cannot work, at the
// offending value, and cleans the paths. hasGoMod says whether a directory
// holds a go.mod; nil means unknown (Parse), and then the tag prefixes
// that depend on it are left for Load to check.
func (c *Config) checkPackages(hasGoMod func(dir string) bool) error {
	names := map[string]int{}
	prefixes := map[string]int{}
	changelogs := map[string]int{}
	for i := range c.Packages {
		p := &c.Packages[i]
		p.index = i
		if err := p.checkName(names); err != nil {
			return err
		}
		if err := p.checkPaths(); err != nil {
			return err
		}
		if err := p.checkRest(); err != nil {
			return err
		}
		d, isDir := p.Dir()
		if p.TagPrefix != "" || !isDir || hasGoMod != nil {
			prefix := p.TagPrefixFor(isDir && hasGoMod != nil && hasGoMod(d))
			if err := p.checkTagPrefix(prefix); err != nil {
				return err
			}
			if j, ok := prefixes[prefix]; ok {
				return p.KeyError("", "its tag prefix %q is also the tag prefix of %s: give one of them another tag-prefix", prefix, c.Packages[j].where())
			}
			prefixes[prefix] = i
		}
		cl := path.Clean(p.ChangelogFile())
		if j, ok := changelogs[cl]; ok {
			return p.KeyError("", "its changelog %q is also the changelog of %s: give one of them another changelog", cl, c.Packages[j].where())
		}
		changelogs[cl] = i
	}
	return nil
}

// where names the package and its line, for errors about two packages.
func (p Package) where() string {
	s := fmt.Sprintf("packages[%d]", p.index)
	if p.src != nil {
		if pos := p.src.pos[s]; pos.Line > 0 {
			s += fmt.Sprintf(" (line %d)", pos.Line)
		}
	}
	return s
}

func (p *Package) checkName(seen map[string]int) error {
	switch {
	case p.Name == "":
		return p.KeyError("name", "is missing: give the package a name ([a-z0-9][a-z0-9._-]*), used in its tags, --package and commit scopes")
	case !packageName().MatchString(p.Name) || strings.Contains(p.Name, ".."):
		return p.KeyError("name", "%q is not a package name: use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit", p.Name)
	}
	if j, ok := seen[p.Name]; ok {
		other := Package{src: p.src, index: j}
		return p.KeyError("name", "%q is also the name of %s: package names are unique", p.Name, other.where())
	}
	seen[p.Name] = p.index
	return nil
}

// checkPaths refuses a missing, empty, escaping or malformed path and
// cleans the others.
func (p *Package) checkPaths() error {
	if len(p.Path) == 0 {
		return p.KeyError("path", "is missing: give the package's directory (or directories, or globs) relative to the repository root")
	}
	for j, raw := range p.Path {
		key := "path"
		if p.src != nil {
			if _, list := p.src.pos[fmt.Sprintf("packages[%d].path[0]", p.index)]; list {
				key = fmt.Sprintf("path[%d]", j)
			}
		}
		if raw == "" {
			return p.KeyError(key, "is empty: give a directory or glob relative to the repository root")
		}
		clean, err := repofs.Clean(raw)
		if err != nil {
			return p.KeyError(key, "%v", err)
		}
		parts := strings.Split(clean, "/")
		for k, part := range parts {
			if strings.Contains(part, "**") && (part != "**" || k != len(parts)-1) {
				return p.KeyError(key, "%q: ** is only allowed as the last part (dir/** is everything below dir)", raw)
			}
			if _, err := path.Match(part, ""); err != nil {
				return p.KeyError(key, "%q is not a valid glob (path.Match): %v", raw, err)
			}
		}
		p.Path[j] = clean
	}
	if p.Changelog == "" {
		if _, ok := p.Dir(); !ok {
			return p.KeyError("changelog", "is needed: the first path %q is not a plain directory to hold CHANGELOG.md", p.Path[0])
		}
	}
	return nil
}

// checkRest checks the changelog, version files, scopes and linked group.
func (p *Package) checkRest() error {
	if p.Changelog != "" {
		if _, err := repofs.Clean(p.Changelog); err != nil {
			return p.KeyError("changelog", "%v", err)
		}
	}
	if err := checkVersionFileList(p.src, fmt.Sprintf("packages[%d].version-files", p.index), p.VersionFiles); err != nil {
		return err
	}
	for j, s := range p.Scopes {
		if strings.TrimSpace(s) == "" {
			return p.KeyError(fmt.Sprintf("scopes[%d]", j), "is empty: give a commit scope")
		}
	}
	if p.src != nil {
		if _, set := p.src.pos[fmt.Sprintf("packages[%d].linked", p.index)]; set && strings.TrimSpace(p.Linked) == "" {
			return p.KeyError("linked", "is empty: name the group of packages released together, or leave it out")
		}
	}
	return nil
}

// checkTagPrefix refuses a tag prefix that makes tag names git refuses
// (git check-ref-format on refs/tags/<prefix>1.0.0), at the tag-prefix
// key, or at the path when the prefix is a Go module's default.
func (p *Package) checkTagPrefix(prefix string) error {
	why := refFormatProblem(prefix + "1.0.0")
	if why == "" {
		return nil
	}
	if p.TagPrefix != "" {
		return p.KeyError("tag-prefix", "%q makes tag names git refuses (%s): see git-check-ref-format(1)", prefix, why)
	}
	key := "path"
	if p.src != nil {
		if _, list := p.src.pos[fmt.Sprintf("packages[%d].path[0]", p.index)]; list {
			key = "path[0]"
		}
	}
	return p.KeyError(key, "the Go module's default tag prefix %q makes tag names git refuses (%s): set tag-prefix", prefix, why)
}

// refFormatProblem says why `git check-ref-format refs/tags/<tag>` would
// refuse tag, or returns "": git's check_refname_format rules.
func refFormatProblem(tag string) string {
	if tag == "@" {
		return `"@" alone`
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		switch {
		case c < 0x20 || c == 0x7f:
			return "a control character"
		case strings.IndexByte(" ~^:?[\\*", c) >= 0:
			return fmt.Sprintf("%q", rune(c))
		}
	}
	switch {
	case strings.Contains(tag, ".."):
		return `".."`
	case strings.Contains(tag, "@{"):
		return `"@{"`
	case strings.HasSuffix(tag, "."):
		return "a trailing '.'"
	}
	for part := range strings.SplitSeq(tag, "/") {
		switch {
		case part == "":
			return "an empty part (// or a leading or trailing /)"
		case part[0] == '.':
			return "a part starting with '.'"
		case strings.HasSuffix(part, ".lock"):
			return `a part ending in ".lock"`
		}
	}
	return ""
}
