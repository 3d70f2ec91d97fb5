package version

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/commitlint"
)

// Commit is one commit of the range being planned.
type Commit struct {
	// Hash is the full commit hash.
	Hash string
	// Merge is true for a commit with two or more parents.
	Merge bool
	// Parsed is the commit message parsed by commitlint.Parse.
	Parsed *commitlint.Commit
}

// Short returns the first seven characters of the hash.
func (c Commit) Short() string {
	if len(c.Hash) > 7 {
		return c.Hash[:7]
	}
	return c.Hash
}

// Input is what Next plans from.
type Input struct {
	// Prefix is the tag prefix ("v"; "" for bare X.Y.Z tags).
	Prefix string
	// Tags are the names of every tag in the repository, reachable or not:
	// they keep the plan from proposing an existing version and number
	// prereleases.
	Tags []string
	// Parsed, when set, is ParseTags(Tags, Prefix), which the caller has
	// already: Next then uses it rather than parsing every tag again.
	Parsed *ParsedTags
	// Reachable are the names of the tags reachable from HEAD
	// (`git tag --merged HEAD`). Tags below the highest reachable one may
	// stand in for the unreachable ones (only the highest stable and the
	// highest of any kind count).
	Reachable []string
	// Released are tags that HEAD does not reach but whose changes HEAD
	// holds: main tagged v1.1.0 on its merge of dev, and dev was not merged
	// back. They count as Reachable ones do (Since, Current), so that
	// commits already released in them never count again. The caller
	// decides which tags these are; nil is fine.
	Released []string
	// Commits are the commits after the Since tag up to HEAD (all of
	// history when no tag is reachable), every parent followed, newest
	// first, as `git log SINCE..HEAD` lists them. Since picks that tag.
	Commits []Commit
	// Branch is the branch being released; "" when unknown (detached HEAD).
	Branch string
	// Head is the full hash of HEAD, used for build versions.
	Head string
	// Major forces a major bump (and so 1.0.0 from 0.x).
	Major bool
	// AllowBump lifts the channel's MaxBump (a feat on a hotfix branch).
	AllowBump bool
	// HeadTags are the tags pointing at HEAD (`git tag --points-at HEAD`):
	// when one of them is already this plan's prerelease X.Y.Z-<pre>.K, the
	// plan proposes it again instead of K+1, so a re-run on the same commit
	// does not mint a new prerelease.
	HeadTags []string
}

// Since returns the tag the commit range starts at: the highest version tag
// of Reachable and Released, stable or prerelease, of any channel, since
// the commits it holds are released already. It returns false when HEAD
// reaches no version tag (the range is then all of history).
func (in Input) Since() (Tag, bool) {
	tags, _ := ParseTags(append(slices.Clip(in.Reachable), in.Released...), in.Prefix)
	if len(tags) == 0 {
		return Tag{}, false
	}
	return tags[0], true
}

// Decision is what one commit contributes to the plan, and why.
type Decision struct {
	Commit Commit
	// Bump is the commit's own bump; None for ignored, cancelled and
	// non-releasing commits.
	Bump Bump
	// Reason says why in a few words ("feat → minor",
	// "reverted by abc1234 in this range").
	Reason string
}

// Plan is the next version of a repository and how it was reached.
type Plan struct {
	// Current and CurrentTag are the highest stable version tag reachable
	// from HEAD (or released into it, Input.Released); nil and "" when
	// there is none. Release notes of a stable version start there.
	Current    *semver.Version
	CurrentTag string
	// Since and SinceTag are the tag the commits are counted from
	// (Input.Since): the highest version tag reachable from HEAD or
	// released into it, stable or prerelease. They equal Current unless a
	// prerelease line is above it. nil and "" when there is none.
	Since    *semver.Version
	SinceTag string
	// Next is the proposed version; nil when nothing is releasable. A build
	// channel's Next carries build metadata and has no tag.
	Next *semver.Version
	// NextTag is the tag to create for Next; "" when there is none to
	// create (nothing releasable, or a build channel).
	NextTag string
	// Bump is the largest bump of the commits (Major under Input.Major), or
	// None; a Release-As footer sets Next without changing Bump. When Since
	// is a prerelease, Bump is at least the bump from Current to Next's
	// X.Y.Z, so that it still says how far Next is from the last stable
	// version.
	Bump Bump
	// Branch is Input.Branch; Channel the channel it maps to.
	Branch  string
	Channel Channel
	// ReleaseAs is the Release-As footer that set Next, or "".
	ReleaseAs string
	// Commits are the decisions for Input.Commits, in the same order.
	Commits []Decision
	// IgnoredTags are the Tags that are not prefix + strict semver.
	IgnoredTags []string
	// Warnings are things the user should know about ("v1.3.0 exists but
	// is not reachable from HEAD: main not merged back into dev?").
	Warnings []string
}

// BumpError says a channel does not allow the bump the commits need (a feat
// on a hotfix branch).
type BumpError struct {
	Branch  string
	Channel string
	Max     Bump
	Bump    Bump
	// Commits are the commits asking for more than Max.
	Commits []Decision
}

func (e *BumpError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "branch %q (channel %s) allows %s releases at most, but the commits need a %s release:", e.Branch, e.Channel, e.Max, e.Bump)
	for _, d := range e.Commits {
		fmt.Fprintf(&b, " %s %q (%s);", d.Commit.Short(), header(d.Commit), d.Reason)
	}
	b.WriteString(" move the change to dev, or override the limit (shipflow next --allow-bump)")
	return b.String()
}

// TagExistsError says that the version a line needs is tagged already, on
// a commit HEAD does not contain, and that the line may not jump past it: a
// maintenance line (a channel with a largest bump, such as hotfix/*), or a
// HEAD behind its own line (an older commit of main, where v3.5.40 and
// v3.5.41 exist and HEAD reaches v3.5.39).
type TagExistsError struct {
	// Tag is the existing tag the line needs ("v3.5.40").
	Tag string
	// Branch and Channel are the plan's.
	Branch  string
	Channel Channel
	// Newest is the newest stable tag of HEAD's X.Y line that HEAD does not
	// reach ("v3.5.41"), and Line that line ("3.5"); both "" when the
	// channel is a maintenance line.
	Newest, Line string
}

func (e *TagExistsError) Error() string {
	var why string
	if e.Newest != "" {
		why = fmt.Sprintf("HEAD is behind its own line (%s is the newest %s.x tag: an older commit?)", e.Newest, e.Line)
	} else {
		why = fmt.Sprintf("branch %q (channel %s) is a maintenance line (%s bumps at most)", e.Branch, e.Channel.Name, e.Channel.MaxBump)
	}
	return fmt.Sprintf("%s is tagged already, on a commit HEAD does not contain: %s, and shipflow does not jump past the line's tags; release from the line's newest commit, or name another version with a Release-As footer", e.Tag, why)
}

// Next plans the next version from in under rules. It returns a *BumpError
// when the channel forbids the bump. A Release-As footer that is not a plain
// X.Y.Z version, or not above the current version or an existing tag, is
// ignored with a warning naming the commit and the value, as release-please
// ignores it: a stale footer must not block every later release.
//
// Prerelease lines. The commits are counted from Since, the highest tag
// HEAD reaches, stable or prerelease (Input.Since). When it is a
// prerelease X.Y.Z-pre.N, the bump applies as node-semver's inc applies it
// (as standard-version and commit-and-tag-version bump out of a
// prerelease; release-please's default strategy instead keeps the suffix,
// 45.0.0-nightly.3 → 46.0.0-nightly.3, skipping a line never released):
// X.Y.Z already is the bump its line was opened for, so a patch gives X.Y.Z, a minor gives X.Y.Z
// when Z is 0, a major gives X.Y.Z when Y and Z are 0, and anything more
// bumps X.Y.Z as usual (a breaking change after 1.3.0-rc.1 gives 2.0.0, after
// 45.0.0-nightly.3 gives 45.0.0). On a stable channel a reachable
// prerelease line graduates to X.Y.Z even when nothing releasable came after
// it (dev merged into main); a prerelease channel continues its line
// (1.3.0-dev.3 after 1.3.0-dev.2 and a fix) and releases nothing when no
// releasable commit came after its newest tag. So no plan proposes a
// version below a tag HEAD reaches.
//
// Lines and existing tags. On main (a stable channel without a largest
// bump) and on prerelease channels, a version at or below the highest
// existing stable tag is raised above it with a warning: a tag made on a
// branch never merged is not proposed again, and dev stays ahead of main.
// A maintenance line never jumps like this: a stable channel with a largest
// bump (hotfix/*, a release/* channel), or a HEAD behind its own line (a
// stable tag above Since on Since's X.Y line that HEAD does not reach: an
// older commit). It proposes its own next version, and when that tag exists
// already Next returns a *TagExistsError naming it. Build channels make no
// tag and are never raised. A higher tag HEAD does not reach is a warning
// (on dev: main not merged back?), except on a maintenance line, where the
// higher lines' tags are expected: it warns only of a tag of its own line.
func Next(in Input, rules Rules) (*Plan, error) {
	if err := rules.Validate(); err != nil {
		return nil, fmt.Errorf("invalid version rules: %w", err)
	}
	p := &Plan{Branch: in.Branch}

	var all, reach []Tag
	var ignored []string
	if in.Parsed != nil {
		all, ignored, reach = in.Parsed.Tags, in.Parsed.Ignored, in.Parsed.Reach
	} else {
		all, ignored = ParseTags(in.Tags, in.Prefix)
	}
	if reach == nil {
		reach = SubsetTags(all, in.Prefix, in.Reachable, in.Released)
	}
	p.IgnoredTags = ignored
	if cur, ok := LatestStable(reach); ok {
		p.Current, p.CurrentTag = cur.Version, cur.Name
	}
	// Since: the highest of Reachable and Released (Input.Since).
	if len(reach) > 0 {
		p.Since, p.SinceTag = reach[0].Version, reach[0].Name
	}

	if p.Since == nil {
		if t, ok := otherPrefix(ignored); ok {
			p.Warnings = append(p.Warnings, fmt.Sprintf("no tag is %q + X.Y.Z, but %q looks like a version with another prefix: set the tag prefix (--tag-prefix, version.tag-prefix)", in.Prefix, t))
		}
	}

	ch, ok := rules.Channel(in.Branch)
	if !ok {
		name := "none"
		if in.Branch == "" {
			p.Warnings = append(p.Warnings, "HEAD is detached and no branch was given (--branch): building without a tag")
		} else {
			p.Warnings = append(p.Warnings, fmt.Sprintf("branch %q matches no channel (%s): building without a tag", in.Branch, channelList(rules.Channels)))
		}
		ch = Channel{Name: name, Branches: []string{in.Branch}, Build: true}
	}
	p.Channel = ch

	// While the version is 0.x (or will be, as the initial version) a
	// breaking change bumps the minor version unless MajorOnZero, and a
	// minor bump is a patch under MinorAsPatchOnZero.
	zero := (p.Since != nil && p.Since.Major() == 0) || (p.Since == nil && rules.Initial.Major() == 0)
	releaseAs, releaseAsFrom := decide(p, in.Commits, rules, zero, in.Prefix)
	if in.Major {
		p.Bump = Major
	}

	if ch.MaxBump != None && p.Bump > ch.MaxBump && !in.AllowBump {
		e := &BumpError{Branch: in.Branch, Channel: ch.Name, Max: ch.MaxBump, Bump: p.Bump}
		for _, d := range p.Commits {
			if d.Bump > ch.MaxBump {
				e.Commits = append(e.Commits, d)
			}
		}
		return nil, e
	}

	stable := ch.Prerelease == "" && !ch.Build
	// A maintenance line proposes its own next version, never one past a
	// higher line's tags.
	newest, behind := behindLine(all, p.Since)
	maintenance := stable && (ch.MaxBump != None || behind)

	// A Release-As at or below an existing tag (one not reachable from
	// HEAD: the current version was checked in decide) is stale too; on a
	// maintenance line only the very same tag is.
	highest, hasHighest := LatestStable(all)
	if releaseAs != nil && hasHighest {
		if t, ok := find(all, releaseAs); maintenance && ok {
			p.Warnings = append(p.Warnings, fmt.Sprintf("commit %s: Release-As: %q is the existing tag %s: ignored", releaseAsFrom, releaseAs.Original(), t.Name))
			releaseAs = nil
		} else if !maintenance && !releaseAs.GreaterThan(highest.Version) {
			p.Warnings = append(p.Warnings, fmt.Sprintf("commit %s: Release-As: %q is not above the existing tag %s: ignored", releaseAsFrom, releaseAs.Original(), highest.Name))
			releaseAs = nil
		}
	}

	// The stable version this plan leads to, before the channel shapes it.
	var base *semver.Version
	graduates := p.Since != nil && p.Since.Prerelease() != ""
	switch {
	case releaseAs != nil:
		base = releaseAs
		p.ReleaseAs = releaseAs.String()
	case p.Bump == None:
		if graduates && stable {
			base = apply(p.Since, Patch) // X.Y.Z of the line
		}
	case p.Since == nil:
		base = rules.Initial
		if in.Major && base.Major() == 0 {
			base = semver.New(1, 0, 0, "", "")
		}
	default:
		base = apply(p.Since, p.Bump)
	}

	// Never propose a version at or below an existing stable tag. A
	// maintenance line expects the higher lines' tags (main's v43.4.0
	// beside 42-x-y's v42.9.2): only a tag of its own line is news there.
	if maintenance && p.Since != nil {
		if t, ok := aboveOnLine(all, p.Since, ch.MaxBump); ok {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s is higher than %s but not reachable from HEAD: tagged on another branch that was never merged into %s?", t.Name, p.SinceTag, in.Branch))
		}
	} else if hasHighest && p.Since != nil && highest.Version.GreaterThan(p.Since) {
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s is higher than %s but not reachable from HEAD: %s", highest.Name, p.SinceTag, notMerged(ch, in.Branch)))
	} else if hasHighest && p.Since == nil {
		p.Warnings = append(p.Warnings, fmt.Sprintf("no version tag is reachable from HEAD, but %s exists: %s", highest.Name, notMerged(ch, in.Branch)))
	}
	if maintenance && base != nil {
		if t, ok := find(all, base); ok {
			e := &TagExistsError{Tag: t.Name, Branch: in.Branch, Channel: ch}
			if behind && ch.MaxBump == None {
				e.Newest, e.Line = newest.Name, fmt.Sprintf("%d.%d", newest.Version.Major(), newest.Version.Minor())
			}
			return nil, e
		}
	} else if !ch.Build && base != nil && hasHighest && !base.GreaterThan(highest.Version) {
		bump := p.Bump
		if bump == None {
			bump = Patch
		}
		raised := apply(highest.Version, bump)
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s%s is at or below the existing tag %s: proposing %s%s instead", in.Prefix, base, highest.Name, in.Prefix, raised))
		base = raised
	}

	switch {
	case ch.Build:
		v := base
		if v == nil {
			v = p.Since
		}
		if v == nil {
			v = rules.Initial
		}
		short := in.Head
		if len(short) > 7 {
			short = short[:7]
		}
		if short == "" {
			p.Warnings = append(p.Warnings, "HEAD hash unknown: build version has no metadata")
			p.Next = v
			break
		}
		nv, err := v.SetMetadata(short)
		if err != nil {
			return nil, fmt.Errorf("adding build metadata %q to %s: %w", short, v, err)
		}
		p.Next = &nv
	case ch.Prerelease != "":
		// A re-run on a tagged HEAD has no commits after its tag: the
		// line is the tag's own X.Y.Z then.
		line := base
		if line == nil && graduates {
			line = apply(p.Since, Patch)
		}
		if line != nil {
			if t, ok := headPrerelease(in.HeadTags, in.Prefix, line, ch.Prerelease); ok {
				p.Next, p.NextTag = t.Version, t.Name
				p.Warnings = append(p.Warnings, fmt.Sprintf("HEAD is already tagged %s: proposing it again", t.Name))
				break
			}
		}
		if base == nil {
			break
		}
		n := nextPrerelease(all, base, ch.Prerelease)
		nv, err := base.SetPrerelease(ch.Prerelease + "." + strconv.Itoa(n))
		if err != nil {
			return nil, fmt.Errorf("channel %q: %w", ch.Name, err)
		}
		p.Next = &nv
		p.NextTag = in.Prefix + nv.String()
		// Prerelease identifiers compare as text: 1.3.0-dev.1 < 1.3.0-rc.1.
		if p.Since != nil && !nv.GreaterThan(p.Since) {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s sorts below %s, which HEAD reaches (semver compares prerelease identifiers as text)", p.NextTag, p.SinceTag))
		}
	case base == nil:
	default:
		p.Next = base
		p.NextTag = in.Prefix + base.String()
	}
	if graduates && p.Next != nil && p.ReleaseAs == "" {
		if b := distance(p.Current, p.Next); b > p.Bump {
			p.Bump = b
		}
	}
	return p, nil
}

// apply bumps v as node-semver's inc does; Bump has already been lowered
// for 0.x where the rules say so. On a stable v it is the usual increment.
// A prerelease X.Y.Z-pre already stands for the bump that opened its line:
// a patch gives X.Y.Z, a minor gives X.Y.Z when Z is 0, a major gives X.Y.Z
// when Y and Z are 0; anything more increments as usual.
func apply(v *semver.Version, b Bump) *semver.Version {
	pre := v.Prerelease() != ""
	major, minor, patch := v.Major(), v.Minor(), v.Patch()
	switch b {
	case Major:
		if !pre || minor != 0 || patch != 0 {
			major++
		}
		minor, patch = 0, 0
	case Minor:
		if !pre || patch != 0 {
			minor++
		}
		patch = 0
	default:
		if !pre {
			patch++
		}
	}
	return semver.New(major, minor, patch, "", "")
}

// distance is the bump from the stable version from (nil: none yet, as
// 0.0.0) to the X.Y.Z of to.
func distance(from, to *semver.Version) Bump {
	if from == nil {
		from = semver.New(0, 0, 0, "", "")
	}
	switch {
	case to.Major() != from.Major():
		return Major
	case to.Minor() != from.Minor():
		return Minor
	default:
		return Patch
	}
}

// find returns the tag of tags whose version is v.
func find(tags []Tag, v *semver.Version) (Tag, bool) {
	for _, t := range tags {
		if t.Version.Equal(v) {
			return t, true
		}
	}
	return Tag{}, false
}

// behindLine returns the newest stable tag on the X.Y line of since that
// is above since, which HEAD does not reach since it is above the highest
// tag HEAD reaches: HEAD is an older commit of its line (or a sibling of
// it).
func behindLine(all []Tag, since *semver.Version) (Tag, bool) {
	if since == nil {
		return Tag{}, false
	}
	for _, t := range all {
		v := t.Version
		if t.Stable() && v.Major() == since.Major() && v.Minor() == since.Minor() && v.GreaterThan(since) {
			return t, true
		}
	}
	return Tag{}, false
}

// aboveOnLine returns the highest stable tag above since that HEAD does
// not reach, on since's line: X.Y when the line takes patches only (widest
// the largest bump of its channel, None for a HEAD behind its own line),
// X when it takes minors too, any line when it takes majors.
func aboveOnLine(all []Tag, since *semver.Version, widest Bump) (Tag, bool) {
	for _, t := range all {
		v := t.Version
		if !t.Stable() || !v.GreaterThan(since) {
			continue
		}
		if widest < Major && v.Major() != since.Major() || widest < Minor && v.Minor() != since.Minor() {
			continue
		}
		return t, true
	}
	return Tag{}, false
}

// otherPrefix returns a tag that is a version with no prefix or a "v"
// prefix, the usual mistake when the configured prefix matches no tag.
func otherPrefix(ignored []string) (string, bool) {
	for _, name := range ignored {
		if _, err := semver.StrictNewVersion(strings.TrimPrefix(name, "v")); err == nil {
			return name, true
		}
	}
	return "", false
}

// SubsetTags returns the version tags named in the lists, sorted as
// ParseTags sorts them, each once. all is ParseTags of a list that holds
// most of them (every tag of the repository): its parsed tags are kept in
// place of parsing the names again, which on a history of 12k tags is
// most of what planning costs; a name all lacks is parsed.
func SubsetTags(all []Tag, prefix string, lists ...[]string) []Tag {
	want := make(map[string]bool)
	for _, l := range lists {
		for _, n := range l {
			want[n] = true
		}
	}
	out := make([]Tag, 0, min(len(want), len(all)))
	for _, t := range all {
		if want[t.Name] {
			out = append(out, t)
			delete(want, t.Name)
		}
	}
	if len(want) == 0 {
		return out
	}
	// Names that are not among all's tags: parse them and merge.
	rest := make([]string, 0, len(want))
	for n := range want {
		rest = append(rest, n)
	}
	extra, _ := ParseTags(rest, prefix)
	if len(extra) == 0 {
		return out
	}
	out = append(out, extra...)
	sortTags(out)
	return out
}

// headPrerelease returns the highest of tags that is base-pre.K.
func headPrerelease(tags []string, prefix string, base *semver.Version, pre string) (Tag, bool) {
	parsed, _ := ParseTags(tags, prefix)
	for _, t := range parsed {
		v := t.Version
		if v.Major() == base.Major() && v.Minor() == base.Minor() && v.Patch() == base.Patch() && strings.HasPrefix(v.Prerelease(), pre+".") {
			if _, err := strconv.Atoi(strings.TrimPrefix(v.Prerelease(), pre+".")); err == nil {
				return t, true
			}
		}
	}
	return Tag{}, false
}

// nextPrerelease returns one more than the highest N of the tags
// base-pre.N, or 1.
func nextPrerelease(tags []Tag, base *semver.Version, pre string) int {
	high := 0
	for _, t := range tags {
		v := t.Version
		if v.Major() != base.Major() || v.Minor() != base.Minor() || v.Patch() != base.Patch() {
			continue
		}
		rest, ok := strings.CutPrefix(v.Prerelease(), pre+".")
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n > high {
			high = n
		}
	}
	return high + 1
}

// decide fills p.Commits and p.Bump and returns the highest Release-As
// version with the short hash of its commit.
func decide(p *Plan, commits []Commit, rules Rules, zero bool, prefix string) (*semver.Version, string) {
	p.Commits = make([]Decision, len(commits))
	for i, c := range commits {
		p.Commits[i] = Decision{Commit: c}
	}
	var index map[string]int // hash → position, built at the first revert
	// Walk oldest first so that a revert meets the commit it reverts.
	active := make([]bool, len(commits))
	cancels := make(map[int]int)  // revert index → index of the commit it cancelled
	restored := make(map[int]int) // commit index → index of the revert of its revert
	for i := len(commits) - 1; i >= 0; i-- {
		c := commits[i]
		d := &p.Commits[i]
		if c.Parsed == nil {
			d.Reason = "message not parsed"
			continue
		}
		if rules.ReleaseCommit != nil && rules.ReleaseCommit.MatchString(c.Parsed.Header) {
			d.Reason = "release commit, ignored"
			continue
		}
		active[i] = true
		target := c.Parsed.Revert
		if target == "" {
			continue
		}
		if index == nil {
			index = make(map[string]int, len(commits))
			for k, c := range commits {
				index[c.Hash] = k
			}
		}
		j, ok := lookup(index, commits, target)
		if !ok || j <= i {
			continue // reverts a released commit; classified below
		}
		switch {
		case active[j]:
			active[i], active[j] = false, false
			cancels[i] = j
			d.Reason = "reverts " + commits[j].Short() + " in this range: both cancel out"
			p.Commits[j].Bump = None
			p.Commits[j].Reason = "reverted by " + c.Short() + " in this range: both cancel out"
		case hasKey(cancels, j):
			// Reverting a revert restores the commit it had cancelled.
			k := cancels[j]
			active[i], active[k] = false, true
			delete(cancels, j)
			restored[k] = i
			d.Reason = "reverts the revert " + commits[j].Short() + ", restoring " + commits[k].Short()
			p.Commits[j].Reason = "reverts " + commits[k].Short() + ", itself reverted by " + c.Short() + " in this range"
		default:
			active[i] = false
			d.Reason = "reverts " + commits[j].Short() + ", which is already cancelled"
		}
	}

	var releaseAs *semver.Version
	var releaseAsFrom string
	reasons := map[string]string{} // "type → bump" strings, built once per type
	for i, c := range commits {
		if !active[i] {
			continue
		}
		d := &p.Commits[i]
		d.Bump, d.Reason = classify(c, rules, zero, reasons)
		if r, ok := restored[i]; ok {
			d.Reason += " (restored: its revert was reverted by " + commits[r].Short() + ")"
		}
		if v, raw, ok := releaseAsFooter(c.Parsed, prefix); raw != "" {
			why := ""
			switch {
			case !ok:
				why = "is not a strict X.Y.Z version"
			case v.Prerelease() != "" || v.Metadata() != "":
				why = "is not a plain X.Y.Z version (channels add prerelease parts)"
			case p.Since != nil && !v.GreaterThan(p.Since):
				why = "is not above the current version " + p.SinceTag
			}
			if why != "" {
				p.Warnings = append(p.Warnings, fmt.Sprintf("commit %s: Release-As: %q %s: ignored", c.Short(), raw, why))
				d.Reason += fmt.Sprintf("; Release-As: %q ignored", raw)
			} else {
				d.Reason += "; Release-As: " + v.String()
				if releaseAs == nil || v.GreaterThan(releaseAs) {
					releaseAs, releaseAsFrom = v, c.Short()
				}
			}
		}
		if d.Bump > p.Bump {
			p.Bump = d.Bump
		}
	}
	return releaseAs, releaseAsFrom
}

func hasKey(m map[int]int, k int) bool {
	_, ok := m[k]
	return ok
}

// lookup finds the range commit a (possibly abbreviated) revert target
// names.
func lookup(index map[string]int, commits []Commit, target string) (int, bool) {
	target = strings.ToLower(target)
	if i, ok := index[target]; ok {
		return i, true
	}
	if len(target) < 7 || len(target) >= 40 {
		return 0, false
	}
	for i, c := range commits {
		if strings.HasPrefix(c.Hash, target) {
			return i, true
		}
	}
	return 0, false
}

// classify gives an active commit its bump and reason.
func classify(c Commit, rules Rules, zero bool, reasons map[string]string) (Bump, string) {
	pc := c.Parsed
	typ := strings.ToLower(pc.Type)
	isRevert := pc.Revert != "" || (pc.HeaderError == nil && typ == "revert")
	if pc.HeaderError != nil && !isRevert {
		if c.Merge {
			return None, "merge commit without a conventional header → none"
		}
		return None, "not a conventional commit → none"
	}
	var b Bump
	var reason string
	switch {
	case pc.HeaderError == nil && pc.Breaking:
		if zero && !rules.MajorOnZero {
			b, reason = Minor, "breaking change → minor while 0.x (--major for 1.0.0)"
		} else {
			b, reason = Major, "breaking change → major"
		}
	default:
		if pc.HeaderError == nil {
			b = rules.Types[typ] // None when absent
			lowered := zero && rules.MinorAsPatchOnZero && b == Minor
			if lowered {
				b = Patch
			}
			var ok bool
			if reason, ok = reasons[typ]; !ok {
				label := typ
				if label == "" {
					label = "no type"
				}
				reason = label + " → " + b.String()
				if lowered {
					reason += " while 0.x"
				}
				reasons[typ] = reason
			}
		}
	}
	if isRevert && b < Patch {
		b = Patch
		what := "a released commit"
		if pc.Revert != "" {
			what = shortHash(pc.Revert) + ", released earlier"
		}
		reason = "reverts " + what + " → patch"
	}
	return b, reason
}

func shortHash(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// releaseAsFooter returns the version of a Release-As footer; raw is "" when
// there is none.
func releaseAsFooter(pc *commitlint.Commit, prefix string) (v *semver.Version, raw string, ok bool) {
	for _, f := range pc.Footers {
		if !strings.EqualFold(f.Token, "Release-As") {
			continue
		}
		raw = strings.TrimSpace(f.Value)
	}
	if raw == "" {
		return nil, "", false
	}
	s := raw
	if prefix != "" {
		s = strings.TrimPrefix(s, prefix)
	}
	s = strings.TrimPrefix(s, "v")
	v, err := semver.StrictNewVersion(s)
	if err != nil {
		return nil, raw, false
	}
	return v, raw, true
}

func header(c Commit) string {
	if c.Parsed == nil {
		return ""
	}
	return c.Parsed.Header
}

func channelList(cs []Channel) string {
	var s []string
	for _, c := range cs {
		s = append(s, strings.Join(c.Branches, ", "))
	}
	if len(s) == 0 {
		return "none configured"
	}
	return strings.Join(s, "; ")
}

// notMerged guesses why a higher tag is not reachable: on a stable
// channel's branch it was tagged elsewhere; on any other branch the stable
// branch was not merged back.
func notMerged(ch Channel, branch string) string {
	if branch == "" {
		return "main not merged back into this commit?"
	}
	if ch.Prerelease == "" && !ch.Build && ch.MaxBump == None {
		return "tagged on another branch that was never merged into " + branch + "?"
	}
	return "main not merged back into " + branch + "?"
}
