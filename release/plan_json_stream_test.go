package release

import (
	"bytes"
	"testing"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/version"
)

// TestPlanWriteJSONStreamsCommits: WriteJSON, which encodes the commits
// one at a time into their place, writes the bytes that encoding the
// whole document at once writes, for no commit, one and several: HTML
// characters unescaped, a header that is not valid UTF-8, and a warning
// that holds the commits field's own line.
func TestPlanWriteJSONStreamsCommits(t *testing.T) {
	commit := func(hash, header string, bump version.Bump, reason string) PlanCommit {
		return PlanCommit{Commit: &git.Commit{Hash: hash, Message: header + "\n"}, Parsed: commitlint.Parse(header), Bump: bump, Reason: reason}
	}
	commits := []PlanCommit{
		commit("1111111111111111111111111111111111111111", "feat(ui)!: <b>bold</b> & more", version.Major, "breaking change → major"),
		commit("2222222222222222222222222222222222222222", "fix: naïve \xff byte", version.Patch, "fix → patch"),
		commit("3333333333333333333333333333333333333333", "not conventional", version.None, "other types and non-conventional commits → none"),
	}
	base := func(n int) *PlanReport {
		return &PlanReport{
			Branch: "main", Channel: "stable", Prefix: "v",
			Previous: semver.MustParse("1.2.3"), PreviousTag: "v1.2.3", SinceTag: "v1.2.3",
			Next: semver.MustParse("2.0.0"), NextTag: "v2.0.0", Bump: version.Major,
			Commits:  commits[:n],
			Warnings: []string{"a warning\n  \"commits\": [],\nthat looks like the field"},
			Rules:    []string{"feat → minor"},
		}
	}
	for n := range len(commits) + 1 {
		rep := base(n)
		var want, got bytes.Buffer
		if err := writeJSON(&want, rep.json(), false); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d commits: WriteJSON wrote\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
}
