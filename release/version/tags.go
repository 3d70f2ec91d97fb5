package version

import (
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
	for _, name := range names {
		v, ok := parseTag(name, prefix)
		if !ok {
			ignored = append(ignored, name)
			continue
		}
		tags = append(tags, Tag{Name: name, Version: v})
	}
	slices.SortFunc(tags, func(a, b Tag) int {
		if c := b.Version.Compare(a.Version); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	slices.Sort(ignored)
	return tags, ignored
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
