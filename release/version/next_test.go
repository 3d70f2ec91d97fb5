package version

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-cmp/cmp"
)

// tc is a test commit: id names it (its hash is fakeHash(id)), and "@id" in
// msg is replaced by that commit's hash, for reverts.
type tc struct {
	id, msg string
	merge   bool
}

var atID = regexp.MustCompile(`@(\w+)`)

func commits(cs ...tc) []Commit {
	out := make([]Commit, len(cs))
	for i, c := range cs {
		msg := atID.ReplaceAllStringFunc(c.msg, func(s string) string { return fakeHash(s[1:]) })
		out[i] = Commit{Hash: fakeHash(c.id), Merge: c.merge, Parsed: parse(msg)}
	}
	return out
}

// summary is the part of a Plan the table checks.
type summary struct {
	Current, CurrentTag string
	Next, NextTag       string
	Bump                string
	Channel             string
	ReleaseAs           string
	Reasons             []string
	Warnings            []string
	Ignored             []string
}

func summarize(p *Plan) summary {
	s := summary{CurrentTag: p.CurrentTag, NextTag: p.NextTag, Bump: p.Bump.String(), Channel: p.Channel.Name, ReleaseAs: p.ReleaseAs, Warnings: p.Warnings, Ignored: p.IgnoredTags}
	if p.Current != nil {
		s.Current = p.Current.String()
	}
	if p.Next != nil {
		s.Next = p.Next.String()
	}
	for _, d := range p.Commits {
		s.Reasons = append(s.Reasons, d.Commit.Short()+" "+d.Bump.String()+": "+d.Reason)
	}
	return s
}

func short(id string) string { return fakeHash(id)[:7] }

func TestNext(t *testing.T) {
	main := []string{"v1.2.3"}
	zero := []string{"v0.2.0"}
	cases := []struct {
		name  string
		in    Input
		rules func(*Rules)
		want  summary
	}{
		{
			name: "first version",
			in:   Input{Prefix: "v", Branch: "main", Commits: commits(tc{"a", "feat: start", false}, tc{"b", "chore: init", false})},
			want: summary{Next: "0.1.0", NextTag: "v0.1.0", Bump: "minor", Channel: "stable", Reasons: []string{
				short("a") + " minor: feat → minor", short("b") + " none: chore → none"}},
		},
		{
			name: "first version configured",
			in:   Input{Prefix: "v", Branch: "main", Commits: commits(tc{"a", "fix: x", false})},
			rules: func(r *Rules) {
				r.Initial = mustVersion(t, "1.0.0")
			},
			want: summary{Next: "1.0.0", NextTag: "v1.0.0", Bump: "patch", Channel: "stable", Reasons: []string{short("a") + " patch: fix → patch"}},
		},
		{
			name: "nothing releasable without tags",
			in:   Input{Prefix: "v", Branch: "main", Commits: commits(tc{"a", "docs: readme", false}, tc{"b", "initial import", false})},
			want: summary{Bump: "none", Channel: "stable", Reasons: []string{short("a") + " none: docs → none", short("b") + " none: not a conventional commit → none"}},
		},
		{
			name: "fix is a patch",
			in:   Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(tc{"a", "fix(api): x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4", NextTag: "v1.2.4", Bump: "patch", Channel: "stable", Reasons: []string{short("a") + " patch: fix → patch"}},
		},
		{
			name: "perf is a patch",
			in:   Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(tc{"a", "perf: faster", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4", NextTag: "v1.2.4", Bump: "patch", Channel: "stable", Reasons: []string{short("a") + " patch: perf → patch"}},
		},
		{
			name: "largest bump wins and types ignore case",
			in:   Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(tc{"a", "fix: x", false}, tc{"b", "FEAT: y", false}, tc{"c", "Merge pull request #1 from a/b", true})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.3.0", NextTag: "v1.3.0", Bump: "minor", Channel: "stable", Reasons: []string{
				short("a") + " patch: fix → patch", short("b") + " minor: feat → minor", short("c") + " none: merge commit without a conventional header → none"}},
		},
		{
			name: "breaking bang is major",
			in:   Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(tc{"a", "refactor!: drop node 16", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "2.0.0", NextTag: "v2.0.0", Bump: "major", Channel: "stable", Reasons: []string{short("a") + " major: breaking change → major"}},
		},
		{
			name: "breaking footer is minor while 0.x",
			in:   Input{Prefix: "v", Branch: "main", Tags: zero, Reachable: zero, Commits: commits(tc{"a", "feat: x\n\nBREAKING CHANGE: y", false})},
			want: summary{Current: "0.2.0", CurrentTag: "v0.2.0", Next: "0.3.0", NextTag: "v0.3.0", Bump: "minor", Channel: "stable", Reasons: []string{short("a") + " minor: breaking change → minor while 0.x (--major for 1.0.0)"}},
		},
		{
			name: "major flag leaves 0.x",
			in:   Input{Prefix: "v", Branch: "main", Tags: zero, Reachable: zero, Major: true, Commits: commits(tc{"a", "fix: x", false})},
			want: summary{Current: "0.2.0", CurrentTag: "v0.2.0", Next: "1.0.0", NextTag: "v1.0.0", Bump: "major", Channel: "stable", Reasons: []string{short("a") + " patch: fix → patch"}},
		},
		{
			name:  "major on zero rule",
			in:    Input{Prefix: "v", Branch: "main", Tags: zero, Reachable: zero, Commits: commits(tc{"a", "feat!: x", false})},
			rules: func(r *Rules) { r.MajorOnZero = true },
			want:  summary{Current: "0.2.0", CurrentTag: "v0.2.0", Next: "1.0.0", NextTag: "v1.0.0", Bump: "major", Channel: "stable", Reasons: []string{short("a") + " major: breaking change → major"}},
		},
		{
			name: "release-as footer",
			in:   Input{Prefix: "v", Branch: "main", Tags: zero, Reachable: zero, Commits: commits(tc{"a", "chore: stable at last\n\nRelease-As: 1.0.0", false})},
			want: summary{Current: "0.2.0", CurrentTag: "v0.2.0", Next: "1.0.0", NextTag: "v1.0.0", Bump: "none", Channel: "stable", ReleaseAs: "1.0.0", Reasons: []string{short("a") + " none: chore → none; Release-As: 1.0.0"}},
		},
		{
			// release-please ignores a Release-As it cannot use; so does
			// shipflow, or the footer would block every release after it.
			name: "release-as not a version is ignored",
			in:   Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(tc{"a", "fix: x\n\nRelease-As: banana", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4", NextTag: "v1.2.4", Bump: "patch", Channel: "stable",
				Reasons:  []string{short("a") + ` patch: fix → patch; Release-As: "banana" ignored`},
				Warnings: []string{`commit ` + short("a") + `: Release-As: "banana" is not a strict X.Y.Z version: ignored`}},
		},
		{
			name: "release-as with a prerelease is ignored",
			in:   Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(tc{"a", "chore: x\n\nRelease-As: 2.0.0-rc.1", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Bump: "none", Channel: "stable",
				Reasons:  []string{short("a") + ` none: chore → none; Release-As: "2.0.0-rc.1" ignored`},
				Warnings: []string{`commit ` + short("a") + `: Release-As: "2.0.0-rc.1" is not a plain X.Y.Z version (channels add prerelease parts): ignored`}},
		},
		{
			name: "stale release-as below current is ignored",
			in: Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main,
				Commits: commits(tc{"b", "feat: y", false}, tc{"a", "chore: x\n\nRelease-As: v1.0.0", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.3.0", NextTag: "v1.3.0", Bump: "minor", Channel: "stable",
				Reasons:  []string{short("b") + " minor: feat → minor", short("a") + ` none: chore → none; Release-As: "v1.0.0" ignored`},
				Warnings: []string{`commit ` + short("a") + `: Release-As: "v1.0.0" is not above the current version v1.2.3: ignored`}},
		},
		{
			name: "release-as equal to current is ignored",
			in:   Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(tc{"a", "fix: x\n\nRelease-As: v1.2.3", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4", NextTag: "v1.2.4", Bump: "patch", Channel: "stable",
				Reasons:  []string{short("a") + ` patch: fix → patch; Release-As: "v1.2.3" ignored`},
				Warnings: []string{`commit ` + short("a") + `: Release-As: "v1.2.3" is not above the current version v1.2.3: ignored`}},
		},
		{
			name: "release-as below an unreachable tag is ignored",
			in:   Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.2.3", "v2.0.0"}, Reachable: main, Commits: commits(tc{"a", "fix: x\n\nRelease-As: 2.0.0", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "2.0.1-dev.1", NextTag: "v2.0.1-dev.1", Bump: "patch", Channel: "dev",
				Reasons: []string{short("a") + " patch: fix → patch; Release-As: 2.0.0"},
				Warnings: []string{
					`commit ` + short("a") + `: Release-As: "2.0.0" is not above the existing tag v2.0.0: ignored`,
					"v2.0.0 is higher than v1.2.3 but not reachable from HEAD: main not merged back into dev?",
					"v1.2.4 is at or below the existing tag v2.0.0: proposing v2.0.1 instead",
				}},
		},
		{
			name: "revert in range cancels out",
			in: Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(
				tc{"r", "Revert \"feat: x\"\n\nThis reverts commit @f.", false},
				tc{"d", "docs: y", false},
				tc{"f", "feat: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Bump: "none", Channel: "stable", Reasons: []string{
				short("r") + " none: reverts " + short("f") + " in this range: both cancel out",
				short("d") + " none: docs → none",
				short("f") + " none: reverted by " + short("r") + " in this range: both cancel out"}},
		},
		{
			name: "revert of a released commit is a patch",
			in: Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(
				tc{"r", "revert: feat: x\n\nThis reverts commit @old.", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4", NextTag: "v1.2.4", Bump: "patch", Channel: "stable", Reasons: []string{
				short("r") + " patch: reverts " + short("old") + ", released earlier → patch"}},
		},
		{
			name: "revert of a revert restores",
			in: Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(
				tc{"rr", "Reapply \"feat: x\"\n\nThis reverts commit @r.", false},
				tc{"r", "Revert \"feat: x\"\n\nThis reverts commit @f.", false},
				tc{"f", "feat: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.3.0", NextTag: "v1.3.0", Bump: "minor", Channel: "stable", Reasons: []string{
				short("rr") + " none: reverts the revert " + short("r") + ", restoring " + short("f"),
				short("r") + " none: reverts " + short("f") + ", itself reverted by " + short("rr") + " in this range",
				short("f") + " minor: feat → minor (restored: its revert was reverted by " + short("rr") + ")"}},
		},
		{
			name: "release commits are ignored",
			in: Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(
				tc{"a", "chore(release)!: v1.2.3 [skip ci]\n\nRelease-As: 9.0.0", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Bump: "none", Channel: "stable", Reasons: []string{short("a") + " none: release commit, ignored"}},
		},
		{
			name: "breaking footer on a non-conventional header does not count",
			in: Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(
				tc{"a", "support multiple scopes (#2806)\n\nBREAKING CHANGE: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Bump: "none", Channel: "stable", Reasons: []string{short("a") + " none: not a conventional commit → none"}},
		},
		{
			// v1.3.0-rc.1 is reachable: a fix after it releases 1.3.0 (see
			// TestNextLines), never 1.2.5, below it.
			name: "highest reachable stable tag is current, foreign tags listed",
			in: Input{Prefix: "v", Branch: "main",
				Tags:      []string{"v1.2.3", "v1.2.4", "v1.3.0-rc.1", "v1.2", "cocogitto-7.0.0", "8.0.1"},
				Reachable: []string{"v1.2.3", "v1.2.4", "v1.3.0-rc.1", "v1.2", "cocogitto-7.0.0", "8.0.1"},
				Commits:   commits(tc{"a", "fix: x", false})},
			want: summary{Current: "1.2.4", CurrentTag: "v1.2.4", Next: "1.3.0", NextTag: "v1.3.0", Bump: "minor", Channel: "stable", Reasons: []string{short("a") + " patch: fix → patch"},
				Ignored: []string{"8.0.1", "cocogitto-7.0.0", "v1.2"}},
		},
		{
			name: "empty prefix",
			in: Input{Prefix: "", Branch: "main", Tags: []string{"1.2.3", "v9.0.0"}, Reachable: []string{"1.2.3", "v9.0.0"},
				Commits: commits(tc{"a", "feat: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "1.2.3", Next: "1.3.0", NextTag: "1.3.0", Bump: "minor", Channel: "stable", Reasons: []string{short("a") + " minor: feat → minor"},
				Ignored: []string{"v9.0.0"}},
		},
		{
			name: "prefix matching no tag",
			in: Input{Prefix: "v", Branch: "main", Tags: []string{"1.2.3", "nightly"}, Reachable: []string{"1.2.3", "nightly"},
				Commits: commits(tc{"a", "fix: x", false})},
			want: summary{Next: "0.1.0", NextTag: "v0.1.0", Bump: "patch", Channel: "stable", Reasons: []string{short("a") + " patch: fix → patch"},
				Ignored: []string{"1.2.3", "nightly"},
				Warnings: []string{
					`no tag is "v" + X.Y.Z, but "1.2.3" looks like a version with another prefix: set the tag prefix (--tag-prefix, version.tag-prefix)`}},
		},
		{
			name: "unreachable higher tag is never proposed again",
			in: Input{Prefix: "v", Branch: "main", Tags: []string{"v1.2.0", "v1.3.0"}, Reachable: []string{"v1.2.0"},
				Commits: commits(tc{"a", "feat: x", false})},
			want: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.4.0", NextTag: "v1.4.0", Bump: "minor", Channel: "stable", Reasons: []string{short("a") + " minor: feat → minor"},
				Warnings: []string{
					"v1.3.0 is higher than v1.2.0 but not reachable from HEAD: tagged on another branch that was never merged into main?",
					"v1.3.0 is at or below the existing tag v1.3.0: proposing v1.4.0 instead"}},
		},
		{
			name: "dev prerelease numbers past dev.9",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.2.0", "v1.3.0-dev.9", "v1.3.0-dev.10", "v1.3.0-rc.20", "v1.4.0-dev.30"}, Reachable: []string{"v1.2.0", "v1.3.0-dev.9"},
				Commits: commits(tc{"a", "feat: x", false})},
			want: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.3.0-dev.11", NextTag: "v1.3.0-dev.11", Bump: "minor", Channel: "dev", Reasons: []string{short("a") + " minor: feat → minor"}},
		},
		{
			name: "dev re-run on a tagged commit",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.2.0", "v1.3.0-dev.1", "v1.3.0-dev.2"}, Reachable: []string{"v1.2.0", "v1.3.0-dev.1", "v1.3.0-dev.2"},
				HeadTags: []string{"v1.3.0-dev.2", "v1.2.0-dev.7", "nightly"},
				Commits:  commits(tc{"a", "feat: x", false})},
			want: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.3.0-dev.2", NextTag: "v1.3.0-dev.2", Bump: "minor", Channel: "dev", Reasons: []string{short("a") + " minor: feat → minor"},
				Warnings: []string{"HEAD is already tagged v1.3.0-dev.2: proposing it again"}},
		},
		{
			name: "dev first prerelease",
			in: Input{Prefix: "v", Branch: "dev", Tags: main, Reachable: main,
				Commits: commits(tc{"a", "fix: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4-dev.1", NextTag: "v1.2.4-dev.1", Bump: "patch", Channel: "dev", Reasons: []string{short("a") + " patch: fix → patch"}},
		},
		{
			name: "hotfix patch",
			in: Input{Prefix: "v", Branch: "hotfix/login", Tags: main, Reachable: main,
				Commits: commits(tc{"a", "fix: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4", NextTag: "v1.2.4", Bump: "patch", Channel: "hotfix", Reasons: []string{short("a") + " patch: fix → patch"}},
		},
		{
			name: "hotfix feat allowed by override",
			in: Input{Prefix: "v", Branch: "hotfix/login", Tags: main, Reachable: main, AllowBump: true,
				Commits: commits(tc{"a", "feat: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.3.0", NextTag: "v1.3.0", Bump: "minor", Channel: "hotfix", Reasons: []string{short("a") + " minor: feat → minor"}},
		},
		{
			name: "feature build version",
			in: Input{Prefix: "v", Branch: "feature/cache", Tags: main, Reachable: main, Head: fakeHash("head"),
				Commits: commits(tc{"a", "feat: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.3.0+" + short("head"), Bump: "minor", Channel: "feature", Reasons: []string{short("a") + " minor: feat → minor"}},
		},
		{
			name: "feature build version without changes",
			in: Input{Prefix: "v", Branch: "feature/cache", Tags: main, Reachable: main, Head: fakeHash("head"),
				Commits: commits(tc{"a", "docs: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.3+" + short("head"), Bump: "none", Channel: "feature", Reasons: []string{short("a") + " none: docs → none"}},
		},
		{
			name: "unknown branch builds",
			in: Input{Prefix: "v", Branch: "renovate/go", Tags: main, Reachable: main, Head: fakeHash("head"),
				Commits: commits(tc{"a", "fix: x", false})},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4+" + short("head"), Bump: "patch", Channel: "none", Reasons: []string{short("a") + " patch: fix → patch"},
				Warnings: []string{`branch "renovate/go" matches no channel (main; dev; hotfix/*; release/*; feature/*): building without a tag`}},
		},
		{
			name: "custom types",
			in:   Input{Prefix: "v", Branch: "main", Tags: main, Reachable: main, Commits: commits(tc{"a", "deps: bump x", false}, tc{"b", "perf: y", false})},
			rules: func(r *Rules) {
				r.Types = map[string]Bump{"feat": Minor, "fix": Patch, "deps": Patch}
			},
			want: summary{Current: "1.2.3", CurrentTag: "v1.2.3", Next: "1.2.4", NextTag: "v1.2.4", Bump: "patch", Channel: "stable", Reasons: []string{short("a") + " patch: deps → patch", short("b") + " none: perf → none"}},
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
			if diff := cmp.Diff(c.want, summarize(p)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNextErrors(t *testing.T) {
	main := []string{"v1.2.3"}
	cases := []struct {
		name string
		in   Input
		want string
		as   any
	}{
		{
			name: "hotfix refuses feat",
			in:   Input{Prefix: "v", Branch: "hotfix/x", Tags: main, Reachable: main, Commits: commits(tc{"a", "feat: x", false}, tc{"b", "fix: y", false})},
			want: `branch "hotfix/x" (channel hotfix) allows patch releases at most, but the commits need a minor release: ` + short("a") + ` "feat: x" (feat → minor); move the change to dev, or override the limit (shipflow next --allow-bump)`,
			as:   new(*BumpError),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Next(c.in, DefaultRules())
			if err == nil {
				t.Fatalf("Next = %+v, want error %q", p, c.want)
			}
			if err.Error() != c.want {
				t.Errorf("error:\n got %s\nwant %s", err, c.want)
			}
			if !errors.As(err, c.as) {
				t.Errorf("error %T is not a %T", err, c.as)
			}
		})
	}
}

func TestRulesValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Rules)
		error string
	}{
		{"defaults", func(*Rules) {}, ""},
		{"no initial", func(r *Rules) { r.Initial = nil }, "initial version is not set"},
		{"prerelease initial", func(r *Rules) { r.Initial = mustVersion(t, "1.0.0-rc.1") }, `initial version "1.0.0-rc.1" must be a plain X.Y.Z version`},
		{"upper-case type", func(r *Rules) { r.Types["Feat"] = Minor }, `commit type "Feat" must be lower case`},
		{"bad pattern", func(r *Rules) { r.Channels[0].Branches = []string{"[main"} }, `channel "stable": bad branch pattern "[main": syntax error in pattern`},
		{"bad prerelease", func(r *Rules) { r.Channels[1].Prerelease = "dév" }, `channel "dev": bad prerelease identifier "dév": invalid prerelease string`},
		{"unnamed channel", func(r *Rules) { r.Channels[1].Name = "" }, `channel 2 has no name`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := DefaultRules()
			c.edit(&r)
			err := r.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != c.error {
				t.Errorf("Validate() = %q, want %q", got, c.error)
			}
		})
	}
}

func TestParseTags(t *testing.T) {
	tags, ignored := ParseTags([]string{"v1.10.0", "v1.9.0", "v1.10.0-dev.10", "v1.10.0-dev.9", "v01.2.3", "v1.2.3+build", "x", "v"}, "v")
	var names []string
	for _, tg := range tags {
		names = append(names, tg.Name)
	}
	if diff := cmp.Diff([]string{"v1.10.0", "v1.10.0-dev.10", "v1.10.0-dev.9", "v1.9.0", "v1.2.3+build"}, names); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"v", "v01.2.3", "x"}, ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
	if got, _ := LatestStable(tags); got.Name != "v1.10.0" {
		t.Errorf("LatestStable = %q, want v1.10.0", got.Name)
	}

	// A TagParser fed the names one at a time, in any order, answers
	// the same.
	p := TagParser{Prefix: "v"}
	for _, name := range []string{"x", "v1.2.3+build", "v", "v1.10.0-dev.9", "v1.9.0", "v01.2.3", "v1.10.0", "v1.10.0-dev.10"} {
		p.Add(name)
	}
	if ptags, pignored := p.Sorted(); !cmp.Equal(tags, ptags) || !cmp.Equal(ignored, pignored) {
		t.Errorf("TagParser = %v, %v; want %v, %v", ptags, pignored, tags, ignored)
	}
}

func TestDescribe(t *testing.T) {
	got := strings.Join(DefaultRules().Describe(), "\n")
	want := `breaking change → major; minor while 0.x (1.0.0 only by --major or a Release-As footer)
feat → minor
fix, perf → patch
other types and non-conventional commits → none
a commit and its revert in the range cancel out; a revert of a released commit → patch
Release-As: X.Y.Z footer → X.Y.Z
release commits ignored: /^chore\(release\)!?:/
first version: 0.1.0
branch main → stable: X.Y.Z releases
branch dev → dev: X.Y.Z-dev.N prereleases
branch hotfix/* → hotfix: X.Y.Z releases, patch bumps at most
branch release/* → maintenance: X.Y.Z releases, minor bumps at most
branch feature/* → feature: no tag, X.Y.Z+<sha> build version`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Describe (-want +got):\n%s", diff)
	}
}

func mustVersion(t *testing.T, s string) *semver.Version {
	t.Helper()
	v, err := semver.StrictNewVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseBump(t *testing.T) {
	for _, b := range []Bump{None, Patch, Minor, Major} {
		got, err := ParseBump(strings.ToUpper(b.String()))
		if err != nil || got != b {
			t.Errorf("ParseBump(%q) = %v, %v; want %v", b, got, err, b)
		}
	}
	if _, err := ParseBump("huge"); err == nil || err.Error() != `unknown bump "huge": valid bumps are none, patch, minor and major` {
		t.Errorf("ParseBump(huge) error = %v", err)
	}
}
