package image

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlanTags(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	cases := []struct {
		name     string
		version  string
		revision string
		existing []string
		policy   TagPolicy
		want     []string
	}{
		{name: "first release fans out", version: "1.2.3", revision: rev, want: []string{"1.2.3", "sha-0123456", "1.2", "1", "latest"}},
		{name: "no revision no sha tag", version: "1.2.3", want: []string{"1.2.3", "1.2", "1", "latest"}},
		{name: "minor release moves latest and major", version: "1.3.0", existing: []string{"1.2.3", "1.2", "1", "latest"}, want: []string{"1.3.0", "1.3", "1", "latest"}},
		{name: "prerelease moves nothing", version: "1.4.0-dev.1", revision: rev, existing: []string{"1.2.3", "1.3.0"}, want: []string{"1.4.0-dev.1", "sha-0123456"}},
		{name: "prerelease of a new major moves nothing", version: "2.0.0-rc.1", existing: []string{"1.3.0"}, want: []string{"2.0.0-rc.1"}},
		{name: "backport moves only its minor", version: "1.2.4", existing: []string{"1.2.3", "1.3.0", "1.3", "1", "latest"}, want: []string{"1.2.4", "1.2"}},
		{name: "old major backport moves its major", version: "1.9.1", existing: []string{"1.9.0", "2.0.0"}, want: []string{"1.9.1", "1.9", "1"}},
		{name: "patch below an existing patch moves nothing", version: "1.2.2", existing: []string{"1.2.3"}, want: []string{"1.2.2"}},
		{name: "prereleases above do not block", version: "1.3.0", existing: []string{"1.4.0-dev.1", "2.0.0-rc.1", "1.2.3"}, want: []string{"1.3.0", "1.3", "1", "latest"}},
		{name: "rerun of the same version moves again", version: "1.3.0", existing: []string{"1.3.0", "1.2.3"}, want: []string{"1.3.0", "1.3", "1", "latest"}},
		{name: "junk tags are ignored", version: "1.0.0", existing: []string{"sha256-abc.sig", "sha256-abc.att", "sha256-0f.sbom", "v9.9.9", "latest", "9", "9.9", "nightly", "09.1.1"}, want: []string{"1.0.0", "1.0", "1", "latest"}},
		{name: "sorted by semver not text", version: "1.10.0", existing: []string{"1.9.0", "1.2.0"}, want: []string{"1.10.0", "1.10", "1", "latest"}},
		{name: "lower than 1.10 by semver", version: "1.9.1", existing: []string{"1.10.0"}, want: []string{"1.9.1", "1.9"}},
		{name: "no moving tags", version: "1.2.3", policy: TagPolicy{NoMoving: true}, want: []string{"1.2.3", "latest"}},
		{name: "no latest no sha", version: "1.2.3", revision: rev, policy: TagPolicy{NoLatest: true, NoSHA: true}, want: []string{"1.2.3", "1.2", "1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := PlanTags(c.version, c.revision, c.existing, c.policy)
			if err != nil {
				t.Fatal(err)
			}
			var tags []string
			for i, p := range got {
				tags = append(tags, p.Tag)
				want := Moving
				switch p.Tag {
				case c.version:
					want = Immutable
				case "sha-0123456":
					want = Commit
				}
				if p.Kind != want {
					t.Errorf("tag %d %q kind = %s, want %s", i, p.Tag, p.Kind, want)
				}
			}
			if diff := cmp.Diff(c.want, tags); diff != "" {
				t.Errorf("PlanTags(%q, %v) (-want +got):\n%s", c.version, c.existing, diff)
			}
		})
	}
}

func TestPlanTagsBadInput(t *testing.T) {
	cases := []struct{ name, version, revision, want string }{
		{"not semver", "1.2", "", `version "1.2" is not a semantic version`},
		{"v prefix", "v1.2.3", "", `version "v1.2.3" is not a semantic version`},
		{"metadata", "1.2.3+abc", "", "cannot contain '+'"},
		{"bad revision", "1.2.3", "main", `revision "main" is not a commit hash`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := PlanTags(c.version, c.revision, nil, TagPolicy{})
			if err == nil || !contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestVersionTags(t *testing.T) {
	got := VersionTags([]string{"1.2.0", "latest", "1.10.0", "1.2.0-rc.1", "sha256-ab.sig", "1.9.3", "v2.0.0", "1"})
	var tags []string
	for _, v := range got {
		tags = append(tags, v.Tag)
	}
	if diff := cmp.Diff([]string{"1.10.0", "1.9.3", "1.2.0", "1.2.0-rc.1"}, tags); diff != "" {
		t.Errorf("VersionTags (-want +got):\n%s", diff)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
