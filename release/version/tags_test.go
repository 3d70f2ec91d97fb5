package version

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortTags: the packed-key sort gives the order of semver's own
// comparison (highest first, prereleases below their release, build
// metadata ignored, equal versions by name), also with numbers too large
// to pack, and SubsetTags keeps that order with names all lacks.
func TestSortTags(t *testing.T) {
	names := []string{
		"v1.0.0", "v1.0.0-rc.1", "v1.0.0-rc.10", "v1.0.0-rc.2", "v1.0.0-beta", "v1.0.0+build.5",
		"v0.9.12", "v0.10.0", "v2.0.0-alpha.1", "v10.0.0", "v2.0.0", "v1.10.0", "v1.9.99",
		"v0.0.1", "v3.0.0-0", "v3.0.0-0.a", "v3.0.0",
	}
	want := func(tags []Tag) []string {
		sorted := slices.Clone(tags)
		slices.SortFunc(sorted, compareTags)
		return tagNames(sorted)
	}
	for _, extra := range [][]string{nil, {"v4194304.0.0", "v1.4194304.0", "v1.0.4194304"}} {
		all := append(slices.Clone(names), extra...)
		for range 20 {
			rand.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
			tags, _ := ParseTags(all, "v")
			if len(tags) != len(all) {
				t.Fatalf("parsed %d of %d tags", len(tags), len(all))
			}
			if got, w := tagNames(tags), want(tags); !slices.Equal(got, w) {
				t.Fatalf("ParseTags order:\n got %q\nwant %q", got, w)
			}
		}
	}

	all, _ := ParseTags(names, "v")
	sub := SubsetTags(all[3:], "v", []string{"v3.0.0", "v1.0.0-rc.2", "v0.0.1"}, []string{"v10.0.0", "v0.0.1", "v9.9.9", "x1.0.0"})
	if got, w := tagNames(sub), []string{"v10.0.0", "v9.9.9", "v3.0.0", "v1.0.0-rc.2", "v0.0.1"}; !slices.Equal(got, w) {
		t.Errorf("SubsetTags = %q, want %q", got, w)
	}
}

func tagNames(tags []Tag) []string {
	out := make([]string, len(tags))
	for i, tg := range tags {
		out[i] = tg.Name
	}
	return out
}
