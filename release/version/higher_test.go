package version

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNextHigherTagWarning: a higher tag HEAD does not reach is news on
// main and dev (main not merged back into dev), but a maintenance line
// expects higher lines' tags: it warns only of a tag of its own line.
func TestNextHigherTagWarning(t *testing.T) {
	// electron: a channel for the N-x-y release branches, which take
	// features on their major (max-bump: minor).
	electron := func(r *Rules) {
		r.Channels = append(r.Channels, Channel{Name: "release-line", Branches: []string{"*-x-y"}, MaxBump: Minor})
	}
	cases := []struct {
		name  string
		in    Input
		rules func(*Rules)
		want  []string
	}{
		{
			name:  "release branch below main's line",
			in:    Input{Prefix: "v", Branch: "42-x-y", Tags: []string{"v42.9.2", "v43.4.0", "v44.0.0-nightly.20260101"}, Reachable: []string{"v42.9.2"}, Commits: commits(tc{"a", "fix: x", false})},
			rules: electron,
		},
		{
			name: "hotfix line below a higher line",
			in:   Input{Prefix: "v", Branch: "hotfix/login", Tags: []string{"v1.4.3", "v2.0.0"}, Reachable: []string{"v1.4.3"}, Commits: commits(tc{"a", "fix: x", false})},
		},
		{
			name:  "release branch with a tag of its line made elsewhere",
			in:    Input{Prefix: "v", Branch: "42-x-y", Tags: []string{"v42.9.2", "v42.10.0", "v43.4.0"}, Reachable: []string{"v42.9.2"}, Commits: commits(tc{"a", "fix: x", false})},
			rules: electron,
			want:  []string{"v42.10.0 is higher than v42.9.2 but not reachable from HEAD: tagged on another branch that was never merged into 42-x-y?"},
		},
		{
			name: "older commit of main names its own line's tag",
			in:   Input{Prefix: "v", Branch: "main", Tags: []string{"v3.5.39", "v3.5.41", "v4.0.0"}, Reachable: []string{"v3.5.39"}, Commits: commits(tc{"a", "feat: x", false})},
			want: []string{"v3.5.41 is higher than v3.5.39 but not reachable from HEAD: tagged on another branch that was never merged into main?"},
		},
		{
			name: "dev behind main keeps the back-merge advice",
			in:   Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.2.3", "v1.3.0"}, Reachable: []string{"v1.2.3"}, Commits: commits(tc{"a", "feat: x", false})},
			want: []string{
				"v1.3.0 is higher than v1.2.3 but not reachable from HEAD: main not merged back into dev?",
				"v1.3.0 is at or below the existing tag v1.3.0: proposing v1.4.0 instead",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rules := DefaultRules()
			if c.rules != nil {
				c.rules(&rules)
			}
			p, err := Next(c.in, rules)
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if diff := cmp.Diff(c.want, p.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
