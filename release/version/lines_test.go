package version

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// linesSummary is summary plus the tag the commit range starts at.
type linesSummary struct {
	Plan     summary
	SinceTag string
}

// TestNextLines covers prerelease lines, maintenance lines and tags
// released into HEAD without being reachable from it.
func TestNextLines(t *testing.T) {
	nightly := []string{"v1.8.1", "v44.0.0-nightly.20250101", "v45.0.0-nightly.20251001"}
	cases := []struct {
		name  string
		in    Input
		rules func(*Rules)
		want  linesSummary
	}{
		// Prerelease lines on a stable channel: the range starts at the
		// newest reachable tag, and a line X.Y.Z-pre graduates to X.Y.Z as
		// node-semver's inc does (a major bump of 45.0.0-nightly.N is 45.0.0).
		{
			name: "nightly line graduates on a fix",
			in:   Input{Prefix: "v", Branch: "main", Tags: nightly, Reachable: nightly, Commits: commits(tc{"a", "fix: x", false})},
			want: linesSummary{SinceTag: "v45.0.0-nightly.20251001", Plan: summary{Current: "1.8.1", CurrentTag: "v1.8.1", Next: "45.0.0", NextTag: "v45.0.0", Bump: "major", Channel: "stable",
				Reasons: []string{short("a") + " patch: fix → patch"}}},
		},
		{
			name: "breaking change after a nightly stays on its major",
			in:   Input{Prefix: "v", Branch: "main", Tags: nightly, Reachable: nightly, Commits: commits(tc{"a", "feat!: x", false})},
			want: linesSummary{SinceTag: "v45.0.0-nightly.20251001", Plan: summary{Current: "1.8.1", CurrentTag: "v1.8.1", Next: "45.0.0", NextTag: "v45.0.0", Bump: "major", Channel: "stable",
				Reasons: []string{short("a") + " major: breaking change → major"}}},
		},
		{
			name: "breaking change after a minor rc needs the next major",
			in: Input{Prefix: "v", Branch: "main", Tags: []string{"v1.2.0", "v1.3.0-rc.1"}, Reachable: []string{"v1.2.0", "v1.3.0-rc.1"},
				Commits: commits(tc{"a", "feat!: x", false})},
			want: linesSummary{SinceTag: "v1.3.0-rc.1", Plan: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "2.0.0", NextTag: "v2.0.0", Bump: "major", Channel: "stable",
				Reasons: []string{short("a") + " major: breaking change → major"}}},
		},
		{
			name: "feat after a patch rc needs the next minor",
			in: Input{Prefix: "v", Branch: "main", Tags: []string{"v1.2.0", "v1.2.1-rc.1"}, Reachable: []string{"v1.2.0", "v1.2.1-rc.1"},
				Commits: commits(tc{"a", "feat: x", false})},
			want: linesSummary{SinceTag: "v1.2.1-rc.1", Plan: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.3.0", NextTag: "v1.3.0", Bump: "minor", Channel: "stable",
				Reasons: []string{short("a") + " minor: feat → minor"}}},
		},
		{
			// dev merged into main: its prereleases are reachable, and
			// releasing them is a release even with nothing new since.
			name: "merged prerelease line graduates without new changes",
			in: Input{Prefix: "v", Branch: "main", Tags: []string{"v1.2.0", "v1.3.0-dev.1", "v1.3.0-dev.2"}, Reachable: []string{"v1.2.0", "v1.3.0-dev.1", "v1.3.0-dev.2"},
				Commits: commits(tc{"m", "Merge branch 'dev'", true})},
			want: linesSummary{SinceTag: "v1.3.0-dev.2", Plan: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.3.0", NextTag: "v1.3.0", Bump: "minor", Channel: "stable",
				Reasons: []string{short("m") + " none: merge commit without a conventional header → none"}}},
		},
		{
			name: "prereleases only, no stable tag yet",
			in: Input{Prefix: "v", Branch: "main", Tags: []string{"v0.1.0-dev.3"}, Reachable: []string{"v0.1.0-dev.3"},
				Commits: commits(tc{"a", "fix: x", false})},
			want: linesSummary{SinceTag: "v0.1.0-dev.3", Plan: summary{Next: "0.1.0", NextTag: "v0.1.0", Bump: "minor", Channel: "stable",
				Reasons: []string{short("a") + " patch: fix → patch"}}},
		},
		// A prerelease channel continues its line from its newest
		// reachable prerelease.
		{
			name: "dev continues its line after a fix",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.2.0", "v1.3.0-dev.1", "v1.3.0-dev.2"}, Reachable: []string{"v1.2.0", "v1.3.0-dev.1", "v1.3.0-dev.2"},
				Commits: commits(tc{"a", "fix: x", false})},
			want: linesSummary{SinceTag: "v1.3.0-dev.2", Plan: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.3.0-dev.3", NextTag: "v1.3.0-dev.3", Bump: "minor", Channel: "dev",
				Reasons: []string{short("a") + " patch: fix → patch"}}},
		},
		{
			name: "dev has nothing new since its prerelease",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.2.0", "v1.3.0-dev.2"}, Reachable: []string{"v1.2.0", "v1.3.0-dev.2"},
				Commits: commits(tc{"a", "docs: x", false})},
			want: linesSummary{SinceTag: "v1.3.0-dev.2", Plan: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Bump: "none", Channel: "dev",
				Reasons: []string{short("a") + " none: docs → none"}}},
		},
		{
			name: "dev re-run on its tagged head with no commits",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.2.0", "v1.3.0-dev.2"}, Reachable: []string{"v1.2.0", "v1.3.0-dev.2"},
				HeadTags: []string{"v1.3.0-dev.2"}},
			want: linesSummary{SinceTag: "v1.3.0-dev.2", Plan: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.3.0-dev.2", NextTag: "v1.3.0-dev.2", Bump: "minor", Channel: "dev",
				Warnings: []string{"HEAD is already tagged v1.3.0-dev.2: proposing it again"}}},
		},
		{
			name: "dev below a reachable rc of the same version warns",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.2.0", "v1.3.0-rc.1"}, Reachable: []string{"v1.2.0", "v1.3.0-rc.1"},
				Commits: commits(tc{"a", "fix: x", false})},
			want: linesSummary{SinceTag: "v1.3.0-rc.1", Plan: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.3.0-dev.1", NextTag: "v1.3.0-dev.1", Bump: "minor", Channel: "dev",
				Reasons:  []string{short("a") + " patch: fix → patch"},
				Warnings: []string{"v1.3.0-dev.1 sorts below v1.3.0-rc.1, which HEAD reaches (semver compares prerelease identifiers as text)"}}},
		},
		// A dev channel after main released its changes: main tagged
		// v1.1.0 on a merge of dev that dev does not reach; the caller
		// knows that v1.1.0's changes are all in dev (Input.Released).
		{
			name: "dev after main released its feat",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.0.0", "v1.1.0"}, Reachable: []string{"v1.0.0"}, Released: []string{"v1.1.0"},
				Commits: commits(tc{"b", "fix: b", false})},
			want: linesSummary{SinceTag: "v1.1.0", Plan: summary{Current: "1.1.0", CurrentTag: "v1.1.0", Next: "1.1.1-dev.1", NextTag: "v1.1.1-dev.1", Bump: "patch", Channel: "dev",
				Reasons: []string{short("b") + " patch: fix → patch"}}},
		},
		{
			name: "dev after main released, numbered after existing prereleases",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.0.0", "v1.1.0-dev.1", "v1.1.0", "v1.2.0-dev.1", "v1.2.0-dev.2"}, Reachable: []string{"v1.0.0", "v1.1.0-dev.1", "v1.2.0-dev.1"},
				Released: []string{"v1.1.0"}, Commits: commits(tc{"c", "feat: c", false})},
			want: linesSummary{SinceTag: "v1.2.0-dev.1", Plan: summary{Current: "1.1.0", CurrentTag: "v1.1.0", Next: "1.2.0-dev.3", NextTag: "v1.2.0-dev.3", Bump: "minor", Channel: "dev",
				Reasons: []string{short("c") + " minor: feat → minor"}}},
		},
		{
			name: "main released into dev, feat on dev",
			in: Input{Prefix: "v", Branch: "dev", Tags: []string{"v1.0.0", "v1.1.0"}, Reachable: []string{"v1.0.0"}, Released: []string{"v1.1.0"},
				Commits: commits(tc{"c", "feat: c", false})},
			want: linesSummary{SinceTag: "v1.1.0", Plan: summary{Current: "1.1.0", CurrentTag: "v1.1.0", Next: "1.2.0-dev.1", NextTag: "v1.2.0-dev.1", Bump: "minor", Channel: "dev",
				Reasons: []string{short("c") + " minor: feat → minor"}}},
		},
		// Maintenance lines propose their own next version.
		{
			name: "hotfix line stays below a higher line",
			in: Input{Prefix: "v", Branch: "hotfix/login", Tags: []string{"v1.4.3", "v2.0.0"}, Reachable: []string{"v1.4.3"},
				Commits: commits(tc{"a", "fix: x", false})},
			want: linesSummary{SinceTag: "v1.4.3", Plan: summary{Current: "1.4.3", CurrentTag: "v1.4.3", Next: "1.4.4", NextTag: "v1.4.4", Bump: "patch", Channel: "hotfix",
				Reasons: []string{short("a") + " patch: fix → patch"}}},
		},
		{
			name: "configured maintenance channel takes a feat on its major",
			in: Input{Prefix: "v", Branch: "release/1.x", Tags: []string{"v1.4.3", "v2.0.0", "v2.1.0"}, Reachable: []string{"v1.4.3"},
				Commits: commits(tc{"a", "feat: x", false})},
			rules: func(r *Rules) {
				r.Channels = append(r.Channels, Channel{Name: "maintenance", Branches: []string{"release/*"}, MaxBump: Minor})
			},
			want: linesSummary{SinceTag: "v1.4.3", Plan: summary{Current: "1.4.3", CurrentTag: "v1.4.3", Next: "1.5.0", NextTag: "v1.5.0", Bump: "minor", Channel: "maintenance",
				Reasons: []string{short("a") + " minor: feat → minor"}}},
		},
		{
			name: "older commit of main takes the next minor of its line when free",
			in: Input{Prefix: "v", Branch: "main", Tags: []string{"v3.5.39", "v3.5.40", "v3.5.41"}, Reachable: []string{"v3.5.39"},
				Commits: commits(tc{"a", "feat: x", false})},
			want: linesSummary{SinceTag: "v3.5.39", Plan: summary{Current: "3.5.39", CurrentTag: "v3.5.39", Next: "3.6.0", NextTag: "v3.6.0", Bump: "minor", Channel: "stable",
				Reasons:  []string{short("a") + " minor: feat → minor"},
				Warnings: []string{"v3.5.41 is higher than v3.5.39 but not reachable from HEAD: tagged on another branch that was never merged into main?"}}},
		},
		// 0.x options, named as release-please names them.
		{
			name:  "bump-patch-for-minor-pre-major: feat on 0.x is a patch",
			in:    Input{Prefix: "v", Branch: "main", Tags: []string{"v0.2.0"}, Reachable: []string{"v0.2.0"}, Commits: commits(tc{"a", "feat: x", false})},
			rules: func(r *Rules) { r.MinorAsPatchOnZero = true },
			want: linesSummary{SinceTag: "v0.2.0", Plan: summary{Current: "0.2.0", CurrentTag: "v0.2.0", Next: "0.2.1", NextTag: "v0.2.1", Bump: "patch", Channel: "stable",
				Reasons: []string{short("a") + " patch: feat → patch while 0.x"}}},
		},
		{
			name:  "bump-patch-for-minor-pre-major leaves breaking changes minor",
			in:    Input{Prefix: "v", Branch: "main", Tags: []string{"v0.2.0"}, Reachable: []string{"v0.2.0"}, Commits: commits(tc{"a", "feat!: x", false})},
			rules: func(r *Rules) { r.MinorAsPatchOnZero = true },
			want: linesSummary{SinceTag: "v0.2.0", Plan: summary{Current: "0.2.0", CurrentTag: "v0.2.0", Next: "0.3.0", NextTag: "v0.3.0", Bump: "minor", Channel: "stable",
				Reasons: []string{short("a") + " minor: breaking change → minor while 0.x (--major for 1.0.0)"}}},
		},
		{
			name:  "bump-patch-for-minor-pre-major ends at 1.0.0",
			in:    Input{Prefix: "v", Branch: "main", Tags: []string{"v1.2.0"}, Reachable: []string{"v1.2.0"}, Commits: commits(tc{"a", "feat: x", false})},
			rules: func(r *Rules) { r.MinorAsPatchOnZero = true },
			want: linesSummary{SinceTag: "v1.2.0", Plan: summary{Current: "1.2.0", CurrentTag: "v1.2.0", Next: "1.3.0", NextTag: "v1.3.0", Bump: "minor", Channel: "stable",
				Reasons: []string{short("a") + " minor: feat → minor"}}},
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
			got := linesSummary{Plan: summarize(p), SinceTag: p.SinceTag}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNextLineTagExists: a line that needs a version tagged elsewhere
// refuses rather than jump to another line.
func TestNextLineTagExists(t *testing.T) {
	cases := []struct {
		name string
		in   Input
		want string
	}{
		{
			name: "older commit of main",
			in: Input{Prefix: "v", Branch: "main", Tags: []string{"v3.5.39", "v3.5.40", "v3.5.41"}, Reachable: []string{"v3.5.39"},
				Commits: commits(tc{"a", "fix: x", false})},
			want: `v3.5.40 is tagged already, on a commit HEAD does not contain: HEAD is behind its own line (v3.5.41 is the newest 3.5.x tag: an older commit?), and shipflow does not jump past the line's tags; release from the line's newest commit, or name another version with a Release-As footer`,
		},
		{
			name: "hotfix line",
			in: Input{Prefix: "v", Branch: "hotfix/login", Tags: []string{"v1.4.3", "v1.4.4", "v2.0.0"}, Reachable: []string{"v1.4.3"},
				Commits: commits(tc{"a", "fix: x", false})},
			want: `v1.4.4 is tagged already, on a commit HEAD does not contain: branch "hotfix/login" (channel hotfix) is a maintenance line (patch bumps at most), and shipflow does not jump past the line's tags; release from the line's newest commit, or name another version with a Release-As footer`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Next(c.in, DefaultRules())
			if err == nil {
				t.Fatalf("Next = %+v, want error %q", summarize(p), c.want)
			}
			var te *TagExistsError
			if !errors.As(err, &te) {
				t.Fatalf("error %T %v is not a *TagExistsError", err, err)
			}
			if err.Error() != c.want {
				t.Errorf("error:\n got %s\nwant %s", err, c.want)
			}
		})
	}
}

// TestNextNeverBelowReachable replays testdata/electron-tags.txt: at every
// tag made on main, a fix, a feat and a breaking change on top must each
// plan a version above every tag HEAD reaches and not an existing tag; a
// nightly line X.Y.Z-nightly.N plans X.Y.Z.
func TestNextNeverBelowReachable(t *testing.T) {
	f, err := os.Open("testdata/electron-tags.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var all, main []string
	checked := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tag, branch, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("bad fixture line %q", line)
		}
		all = append(all, tag)
		if branch != "main" {
			continue
		}
		main = append(main, tag)
		reach, _ := ParseTags(main, "v")
		top := reach[0]
		for _, msg := range []string{"fix: x", "feat: x", "feat!: x"} {
			in := Input{Prefix: "v", Branch: "main", Tags: all, Reachable: main, Commits: commits(tc{"a", msg, false})}
			p, err := Next(in, DefaultRules())
			if err != nil {
				t.Fatalf("at %s, %q: %v", tag, msg, err)
			}
			if p.Next == nil || !p.Next.GreaterThan(top.Version) {
				t.Fatalf("at %s, %q: Next = %v, not above the reachable %s; warnings %q", tag, msg, p.Next, top.Name, p.Warnings)
			}
			for _, name := range all {
				if name == p.NextTag {
					t.Fatalf("at %s, %q: Next %s exists already", tag, msg, name)
				}
			}
			if p.SinceTag != top.Name {
				t.Errorf("at %s, %q: range starts at %q, want %s", tag, msg, p.SinceTag, top.Name)
			}
			if !top.Stable() {
				if want := top.Version.Major(); p.Next.Major() != want || p.Next.Minor() != 0 || p.Next.Patch() != 0 {
					t.Errorf("at %s, %q: Next = %s, want %d.0.0", tag, msg, p.Next, want)
				}
			}
			checked++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if checked < 300 {
		t.Fatalf("checked %d plans, the fixture should give more than 300", checked)
	}
}

func TestDescribeMinorAsPatchOnZero(t *testing.T) {
	r := DefaultRules()
	r.MinorAsPatchOnZero = true
	got := r.Describe()
	if len(got) < 2 || got[1] != "a minor bump is a patch while 0.x" {
		t.Errorf("Describe = %q, want its second line to name the 0.x patch rule", got)
	}
}
