package actions

import (
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/version"
)

// TestNextSummarySince: the job summary's commit list says where the
// commits are counted from, as `shipflow next` does: the prerelease line
// above the last stable tag, or all of history.
func TestNextSummarySince(t *testing.T) {
	fix := release.PlanCommit{Commit: &git.Commit{Hash: "0123456789abcdef0123456789abcdef01234567"},
		Parsed: commitlint.Parse("fix: crash\n"), Bump: version.Patch, Reason: "fix → patch"}
	cases := []struct {
		name string
		plan *release.PlanReport
		want string
	}{
		{"prerelease line", &release.PlanReport{Branch: "main", Channel: "stable",
			Previous: semver.MustParse("1.8.1"), PreviousTag: "v1.8.1", SinceTag: "v45.0.0-nightly.3",
			Next: semver.MustParse("45.0.0"), NextTag: "v45.0.0", Bump: version.Major, Commits: []release.PlanCommit{fix}},
			"<summary>1 commit since v45.0.0-nightly.3 (last stable: v1.8.1)</summary>"},
		{"stable tag", &release.PlanReport{Branch: "main", Channel: "stable",
			Previous: semver.MustParse("1.2.3"), PreviousTag: "v1.2.3", SinceTag: "v1.2.3",
			Next: semver.MustParse("1.2.4"), NextTag: "v1.2.4", Bump: version.Patch, Commits: []release.PlanCommit{fix}},
			"<summary>1 commit since v1.2.3</summary>"},
		{"all of history", &release.PlanReport{Branch: "main", Channel: "stable",
			Next: semver.MustParse("0.1.0"), NextTag: "v0.1.0", Bump: version.Patch, Commits: []release.PlanCommit{fix}},
			"<summary>1 commit in all of history</summary>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := nextReport(c.plan).Summary; !strings.Contains(got, c.want) {
				t.Errorf("summary lacks %q:\n%s", c.want, got)
			}
		})
	}
}
