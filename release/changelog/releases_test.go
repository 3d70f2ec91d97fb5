package changelog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCommitReleases checks that a commit that makes the release (a
// Release-As footer, a revert of a released change) is listed in its type's
// section even when that type is hidden, and only then.
func TestCommitReleases(t *testing.T) {
	releaseAs := commit("aaaaaaa", "chore: release 2.0.0\n\nRelease-As: 2.0.0")
	revert := commit("bbbbbbb", "Revert \"feat: add search\"\n\nThis reverts commit "+hash("ccccccc")+".")
	for _, tt := range []struct {
		name     string
		preset   Preset
		releases bool
		want     []string
	}{
		{"hidden", PresetConventionalCommits, false, nil},
		{"listed", PresetConventionalCommits, true, []string{"Reverts: Revert \"feat: add search\"", "Miscellaneous Chores: release 2.0.0"}},
		{"angular lists GitHub reverts anyway", PresetAngular, false, []string{"Reverts: Revert \"feat: add search\""}},
		{"angular has no chore section", PresetAngular, true, []string{"chore: release 2.0.0", "Reverts: Revert \"feat: add search\""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, b := releaseAs, revert
			a.Releases, b.Releases = tt.releases, tt.releases
			c, err := Build(Release{Version: "2.0.0", Commits: []Commit{a, b}}, WithPreset(tt.preset))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range c.Sections {
				for _, e := range s.Entries {
					got = append(got, s.Title+": "+e.Subject)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}
