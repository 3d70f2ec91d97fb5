package release_test

import (
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/version"
)

// nightlyPlan is electron's main: the last stable tag it reaches is
// v1.8.1, the nightlies above it are where the commits are counted from.
func nightlyPlan(commits ...release.PlanCommit) *release.PlanReport {
	return &release.PlanReport{
		Branch: "main", Channel: "stable", Prefix: "v",
		Previous: semver.MustParse("1.8.1"), PreviousTag: "v1.8.1", SinceTag: "v45.0.0-nightly.3",
		Next: semver.MustParse("45.0.0"), NextTag: "v45.0.0", Bump: version.Major,
		Commits: commits, Rules: []string{`tag prefix: "v"`},
	}
}

var planFix = release.PlanCommit{
	Commit: &git.Commit{Hash: "0123456789abcdef0123456789abcdef01234567"},
	Parsed: commitlint.Parse("fix: crash\n"), Bump: version.Patch, Reason: "fix → patch",
}

// TestPlanReportWriteText: the line over the commits names the tag they
// are counted from, and the last stable tag when that is another one (a
// prerelease line above it).
func TestPlanReportWriteText(t *testing.T) {
	stable := &release.PlanReport{
		Branch: "main", Channel: "stable", Prefix: "v",
		Previous: semver.MustParse("1.2.3"), PreviousTag: "v1.2.3", SinceTag: "v1.2.3",
		Next: semver.MustParse("1.2.4"), NextTag: "v1.2.4", Bump: version.Patch,
		Commits: []release.PlanCommit{planFix}, Rules: []string{`tag prefix: "v"`},
	}
	prereleasesOnly := &release.PlanReport{
		Branch: "dev", Channel: "dev", Prefix: "v", SinceTag: "v0.1.0-dev.1", Rules: []string{`tag prefix: "v"`},
	}
	rules := "\nrules:\n  tag prefix: \"v\"\n"
	cases := []struct {
		name string
		rep  *release.PlanReport
		want string
	}{
		{"from the last stable tag", stable,
			"current  v1.2.3\nnext     v1.2.4 (bump patch)\nbranch   main (channel stable)\n\n" +
				"1 commit since v1.2.3:\n  0123456 patch fix: crash  ← fix → patch\n" + rules},
		{"from a prerelease above the last stable tag", nightlyPlan(planFix),
			"current  v1.8.1\nnext     v45.0.0 (bump major)\nbranch   main (channel stable)\n\n" +
				"1 commit since v45.0.0-nightly.3 (last stable: v1.8.1):\n  0123456 patch fix: crash  ← fix → patch\n" + rules},
		{"nothing since a prerelease", nightlyPlan(),
			"current  v1.8.1\nnext     v45.0.0 (bump major)\nbranch   main (channel stable)\n\n" +
				"no commits since v45.0.0-nightly.3 (last stable: v1.8.1)\n" + rules},
		{"prereleases only", prereleasesOnly,
			"current  none (no stable version tag reachable from HEAD)\nnext     none: nothing releasable (bump none)\nbranch   dev (channel dev)\n\n" +
				"no commits since v0.1.0-dev.1 (no stable version yet)\n" + rules},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, renderString(t, c.rep.WriteText)); diff != "" {
				t.Errorf("WriteText (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanReportWriteJSON: since_tag is the tag the commits are counted
// from, beside current_tag, the last stable one; null for all of history.
func TestPlanReportWriteJSON(t *testing.T) {
	cases := []struct {
		name string
		rep  *release.PlanReport
		want map[string]any
	}{
		{"prerelease line", nightlyPlan(planFix), map[string]any{"current_tag": "v1.8.1", "since_tag": "v45.0.0-nightly.3", "next_tag": "v45.0.0"}},
		{"all of history", &release.PlanReport{Branch: "main", Channel: "stable"}, map[string]any{"current_tag": nil, "since_tag": nil, "next_tag": nil}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got map[string]any
			if err := json.Unmarshal([]byte(renderString(t, c.rep.WriteJSON)), &got); err != nil {
				t.Fatal(err)
			}
			for k, want := range c.want {
				if v, ok := got[k]; !ok || !cmp.Equal(v, want) {
					t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
				}
			}
		})
	}
}

// TestPlanAndPRWriteErrors: the next and pr renderers say when their
// writer failed, as the others do (TestRenderersReturnWriteErrors).
func TestPlanAndPRWriteErrors(t *testing.T) {
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"PlanReport.WriteText", nightlyPlan(planFix).WriteText},
		{"PlanReport.WriteJSON", nightlyPlan(planFix).WriteJSON},
		{"PRReport.WriteText", (&release.PRReport{Number: 1}).WriteText},
	}
	for _, c := range writers {
		t.Run(c.name, func(t *testing.T) {
			if err := c.write(brokenWriter{}); !errors.Is(err, errBroken) {
				t.Errorf("error = %v, want the writer's", err)
			}
		})
	}
}
