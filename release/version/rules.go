package version

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Rules say how commits turn into a bump and a bump into a version. The zero
// value is not useful; start from DefaultRules.
type Rules struct {
	// Types maps a commit type, lower case, to the bump it causes. Types not
	// in the map cause no release. Breaking changes, reverts and Release-As
	// footers are handled apart from this map.
	Types map[string]Bump
	// MajorOnZero makes a breaking change bump the major version while it is
	// 0.x too; by default it bumps the minor version then, and 1.0.0 comes
	// only from Input.Major or a `Release-As: 1.0.0` footer.
	MajorOnZero bool
	// MinorAsPatchOnZero makes a commit type that bumps the minor version
	// (feat) bump the patch version while it is 0.x, as release-please's
	// bump-patch-for-minor-pre-major does. Breaking changes are not
	// lowered by it.
	MinorAsPatchOnZero bool
	// Initial is the version proposed when no version tag is reachable.
	Initial *semver.Version
	// ReleaseCommit matches the headers of release commits (shipflow's own
	// `chore(release): v1.2.0`), which are ignored.
	ReleaseCommit *regexp.Regexp
	// Channels map branches to release channels; the first channel with a
	// matching pattern wins.
	Channels []Channel
}

// Channel is where a branch's releases go.
type Channel struct {
	// Name names the channel in plans ("stable", "dev", "hotfix", "feature").
	Name string
	// Branches are path.Match patterns ("main", "hotfix/*").
	Branches []string
	// Prerelease, when set, makes versions X.Y.Z-<Prerelease>.N, where X.Y.Z
	// is the bump from the newest tag HEAD reaches (a prerelease line
	// continues: see Next) and N is one more than the highest N already
	// tagged for X.Y.Z (among all tags, reachable or not).
	Prerelease string
	// MaxBump, when not None, is the largest bump the channel allows; a
	// larger one is a *BumpError unless Input.AllowBump is set.
	MaxBump Bump
	// Build channels get no tag: the version is the next (or current) one
	// with the short HEAD hash as build metadata ("1.3.0+abc1234"), for
	// images of work in progress.
	Build bool
}

// DefaultTypes is the type → bump map of DefaultRules: feat → minor,
// fix and perf → patch.
func DefaultTypes() map[string]Bump {
	return map[string]Bump{"feat": Minor, "fix": Patch, "perf": Patch}
}

// DefaultReleaseCommit matches shipflow's release commits,
// `chore(release): v1.2.0 [skip ci]`.
const DefaultReleaseCommit = `^chore\(release\)!?:`

// DefaultChannels is the branch model shipflow starts from: main releases
// stable versions, dev prereleases X.Y.Z-dev.N, hotfix/* patch releases
// only, release/* (release/1.x, a maintenance line below a newer major)
// patches and minors, and feature/* builds without a tag.
func DefaultChannels() []Channel {
	return []Channel{
		{Name: "stable", Branches: []string{"main"}},
		{Name: "dev", Branches: []string{"dev"}, Prerelease: "dev"},
		{Name: "hotfix", Branches: []string{"hotfix/*"}, MaxBump: Patch},
		{Name: "maintenance", Branches: []string{"release/*"}, MaxBump: Minor},
		{Name: "feature", Branches: []string{"feature/*"}, Build: true},
	}
}

// DefaultRules returns shipflow's default rules: DefaultTypes, breaking →
// minor while 0.x, first version 0.1.0, DefaultReleaseCommit and
// DefaultChannels.
func DefaultRules() Rules {
	return Rules{
		Types:         DefaultTypes(),
		Initial:       semver.New(0, 1, 0, "", ""),
		ReleaseCommit: regexp.MustCompile(DefaultReleaseCommit),
		Channels:      DefaultChannels(),
	}
}

// Validate checks that the rules are complete and consistent.
func (r Rules) Validate() error {
	if r.Initial == nil {
		return fmt.Errorf("initial version is not set")
	}
	if r.Initial.Prerelease() != "" || r.Initial.Metadata() != "" {
		return fmt.Errorf("initial version %q must be a plain X.Y.Z version", r.Initial.Original())
	}
	for t, b := range r.Types {
		if t != strings.ToLower(t) {
			return fmt.Errorf("commit type %q must be lower case", t)
		}
		if b < None || b > Major {
			return fmt.Errorf("commit type %q: invalid bump %d", t, int(b))
		}
	}
	for i, c := range r.Channels {
		if c.Name == "" {
			return fmt.Errorf("channel %d has no name", i+1)
		}
		if len(c.Branches) == 0 {
			return fmt.Errorf("channel %q has no branch patterns", c.Name)
		}
		for _, p := range c.Branches {
			if _, err := path.Match(p, ""); err != nil {
				return fmt.Errorf("channel %q: bad branch pattern %q: %w", c.Name, p, err)
			}
		}
		if c.Prerelease != "" {
			if _, err := semver.New(1, 0, 0, "", "").SetPrerelease(c.Prerelease + ".1"); err != nil {
				return fmt.Errorf("channel %q: bad prerelease identifier %q: %w", c.Name, c.Prerelease, err)
			}
			if c.Build {
				return fmt.Errorf("channel %q is both a prerelease and a build channel", c.Name)
			}
		}
	}
	return nil
}

// Channel returns the first channel with a pattern matching branch, and
// false when none matches.
func (r Rules) Channel(branch string) (Channel, bool) {
	for _, c := range r.Channels {
		for _, p := range c.Branches {
			if ok, _ := path.Match(p, branch); ok {
				return c, true
			}
		}
	}
	return Channel{}, false
}

// Describe returns the rules in words, one line each, so that a plan can
// echo every setting it used.
func (r Rules) Describe() []string {
	byBump := map[Bump][]string{}
	for t, b := range r.Types {
		byBump[b] = append(byBump[b], t)
	}
	var lines []string
	if r.MajorOnZero {
		lines = append(lines, "breaking change → major")
	} else {
		lines = append(lines, "breaking change → major; minor while 0.x (1.0.0 only by --major or a Release-As footer)")
	}
	if r.MinorAsPatchOnZero {
		lines = append(lines, "a minor bump is a patch while 0.x")
	}
	for _, b := range []Bump{Major, Minor, Patch} {
		if ts := byBump[b]; len(ts) > 0 {
			slices.Sort(ts)
			lines = append(lines, strings.Join(ts, ", ")+" → "+b.String())
		}
	}
	lines = append(lines,
		"other types and non-conventional commits → none",
		"a commit and its revert in the range cancel out; a revert of a released commit → patch",
		"Release-As: X.Y.Z footer → X.Y.Z",
	)
	if r.ReleaseCommit != nil {
		lines = append(lines, fmt.Sprintf("release commits ignored: /%s/", r.ReleaseCommit))
	}
	if r.Initial != nil {
		lines = append(lines, "first version: "+r.Initial.String())
	}
	for _, c := range r.Channels {
		lines = append(lines, fmt.Sprintf("branch %s → %s", strings.Join(c.Branches, ", "), c.describe()))
	}
	return lines
}

func (c Channel) describe() string {
	var s string
	switch {
	case c.Build:
		s = c.Name + ": no tag, X.Y.Z+<sha> build version"
	case c.Prerelease != "":
		s = fmt.Sprintf("%s: X.Y.Z-%s.N prereleases", c.Name, c.Prerelease)
	default:
		s = c.Name + ": X.Y.Z releases"
	}
	if c.MaxBump != None {
		s += ", " + c.MaxBump.String() + " bumps at most"
	}
	return s
}
