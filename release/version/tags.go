package version

import (
	"cmp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Tag is a tag whose name is the prefix followed by a strict semantic
// version.
type Tag struct {
	Name    string
	Version *semver.Version
}

// Stable reports whether the tag's version has no prerelease part.
func (t Tag) Stable() bool { return t.Version != nil && t.Version.Prerelease() == "" }

// ParseTags splits tag names into version tags, highest version first (equal
// versions by name), and the names that are not prefix + strict semver
// (foreign or malformed tags, such as "8.0.1" with prefix "v",
// "cocogitto-7.0.0" or "v1.2"), sorted.
//
// Versions are parsed with semver.StrictNewVersion, never the coercing
// parser: "v1.2" or "1.2.3.4" is not a version tag.
func ParseTags(names []string, prefix string) (tags []Tag, ignored []string) {
	p := TagParser{Prefix: prefix, tags: make([]Tag, 0, len(names))}
	for _, name := range names {
		p.Add(name)
	}
	return p.Sorted()
}

// TagParser is ParseTags one name at a time, for names that arrive while
// a listing runs: Add each, then Sorted.
type TagParser struct {
	Prefix  string
	tags    []Tag
	ignored []string
}

// Add parses one tag name.
func (p *TagParser) Add(name string) {
	if v, ok := parseTag(name, p.Prefix); ok {
		p.tags = append(p.tags, Tag{Name: name, Version: v})
	} else {
		p.ignored = append(p.ignored, name)
	}
}

// Sorted returns what ParseTags returns for the names added.
func (p *TagParser) Sorted() (tags []Tag, ignored []string) {
	sortTags(p.tags)
	slices.Sort(p.ignored)
	return p.tags, p.ignored
}

// ParsedTags is what ParseTags returns, for Input.Parsed.
type ParsedTags struct {
	Tags    []Tag
	Ignored []string
	// Reach, when not nil, is SubsetTags(Tags, prefix, Input.Reachable,
	// Input.Released), which the caller has already.
	Reach []Tag
}

// sortTags sorts tags highest version first; equal versions (v1.0.0 and
// v1.0.0+build) by name.
//
// It sorts packed keys read once per tag (semver's accessors copy the
// version at every call, which a comparison sort of 12k tags makes 170k
// times) and compares the versions only between equal numbers.
func sortTags(tags []Tag) {
	const bits = 21 // per number: major, minor and patch in one uint64
	type key struct {
		nums uint64
		at   int32
	}
	keys := make([]key, len(tags))
	for i, t := range tags {
		v := *t.Version
		if v.Major() >= 1<<bits || v.Minor() >= 1<<bits || v.Patch() >= 1<<bits {
			slices.SortFunc(tags, compareTags)
			return
		}
		keys[i] = key{v.Major()<<(2*bits) | v.Minor()<<bits | v.Patch(), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(b.nums, a.nums); c != 0 {
			return c
		}
		return compareTags(tags[a.at], tags[b.at])
	})
	sorted := make([]Tag, len(tags))
	for i, k := range keys {
		sorted[i] = tags[k.at]
	}
	copy(tags, sorted)
}

// compareTags orders a before b when its version is higher, or equal
// and its name sorts first.
func compareTags(a, b Tag) int {
	if c := b.Version.Compare(a.Version); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

func parseTag(name, prefix string) (*semver.Version, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return nil, false
	}
	v, err := semver.StrictNewVersion(rest)
	if err != nil {
		return nil, false
	}
	return v, true
}

// LatestStable returns the highest tag without a prerelease part, and false
// when there is none. tags must be sorted as ParseTags sorts them.
func LatestStable(tags []Tag) (Tag, bool) {
	for _, t := range tags {
		if t.Stable() {
			return t, true
		}
	}
	return Tag{}, false
}
