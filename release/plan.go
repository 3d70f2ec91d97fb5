package release

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/version"
	"github.com/shipflow/shipflow/release/versionfile"
)

// ErrPlanNoCommits is returned by Plan in a repository whose current branch
// has no commits yet.
var ErrPlanNoCommits = errors.New("HEAD has no commits yet: nothing to version")

// ErrPlanBadTag is returned by Plan and Cut when the tag to create is not a
// valid git ref name (`git check-ref-format`): the tag prefix is wrong, a
// configuration error, found before anything is written.
var ErrPlanBadTag = errors.New("not a valid tag name")

// PlanOptions are the inputs of Plan. The zero value plans the current
// branch with the default rules.
type PlanOptions struct {
	// Config is the `version:` section of .shipflow.yaml; the zero value
	// means the defaults.
	Config config.Version
	// TagPrefix, when not nil, overrides Config.TagPrefix (--tag-prefix).
	TagPrefix *string
	// Branch is the branch to plan for; "" means the checked-out branch,
	// and on a detached HEAD (a CI checkout) DetachedBranch. With neither
	// Plan fails with ErrPlanDetached, unless HEAD is a version tag's
	// commit. When another branch is checked out, Plan reads Branch's
	// history: its local branch, else Remote's branch of that name. On a
	// detached HEAD, Branch names the branch HEAD stands for.
	Branch string
	// Commit, when set, is the commit to plan instead of HEAD or Branch's
	// tip (a pull request's head, see PROptions.Plan), for Branch's
	// channel.
	Commit string
	// Remote is the remote whose branch Branch is read from when there is
	// no local one (release.remote); "" means config.DefaultRemote.
	Remote string
	// ReleaseCommitMessage is the release commit's message template
	// (release.commit-message); "" means DefaultCutCommitMessage. Plan
	// recognises release commits by it (PlanReport.UntaggedRelease).
	ReleaseCommitMessage string
	// Integration is the integration branch (branches.integration): a
	// merge of it into the branch planned is a promotion, whose commits
	// count on their own whatever the merge's title. Default
	// config.DefaultIntegrationBranch.
	Integration string
	// DetachedBranch is the branch a detached HEAD stands for, from the CI
	// context (a pull request's head branch, the pushed branch).
	DetachedBranch string
	// Major forces a major bump (and so 1.0.0 from 0.x).
	Major bool
	// AllowBump lifts a channel's largest bump (a feat on hotfix/*).
	AllowBump bool
	// NoFetch forbids deepening a shallow clone: Plan then fails with
	// git.ErrShallow instead of running `git fetch --unshallow`.
	NoFetch bool
	// VersionFiles are the configured version files
	// (release.version-files), listed with the detected ones when the
	// plan proposes a version; one that cannot be located fails Plan.
	VersionFiles []versionfile.Entry
}

// PlanReport is the next version of a repository, the commits it comes from
// and why. It is the input of changelog rendering and of cutting a release.
type PlanReport struct {
	// Dir is the repository's top-level directory.
	Dir string
	// Head is the full hash of the commit planned: HEAD, or the tip of
	// PlanOptions.Branch when another branch is checked out.
	Head string
	// Branch is the branch planned for ("" when HEAD is detached and none
	// was given); Channel the name of its release channel ("stable", "dev",
	// "hotfix", "feature", or "none" for a branch matching no channel).
	Branch  string
	Channel string
	// Prefix is the tag prefix used.
	Prefix string
	// Previous and PreviousTag are the highest stable version tag reachable
	// from HEAD; nil and "" when there is none. Release notes start there.
	Previous    *semver.Version
	PreviousTag string
	// SinceTag is the tag Commits start after: the highest version tag
	// reachable from HEAD, stable or prerelease (version.Input.Since). It
	// is PreviousTag unless a prerelease line is above it (nightlies on
	// main, dev merged into main); "" when HEAD reaches no version tag
	// (Commits are then all of history).
	SinceTag string
	// Next and NextTag are the version to release and its tag. Next is nil
	// when nothing is releasable; NextTag is "" then and on build channels,
	// whose Next carries the short HEAD hash as build metadata.
	Next    *semver.Version
	NextTag string
	// Bump is the largest bump of the commits (major under Major); None when
	// nothing is releasable. A Release-As footer sets Next (recorded in
	// ReleaseAs) without changing Bump.
	Bump      version.Bump
	ReleaseAs string
	// Commits are every commit in SinceTag..HEAD (all parents followed),
	// newest first, each with its parsed message, bump and reason.
	Commits []PlanCommit
	// IgnoredTags are the tags that are not the prefix followed by a strict
	// semantic version (foreign, malformed or other-prefix tags).
	IgnoredTags []string
	// Released are the stable version tags HEAD does not reach but whose
	// changes it holds (version.Input.Released): main tagged its merge of
	// dev, and dev was not merged back. Commits counts none of their
	// commits. Nil when there are none.
	Released []string
	// UntaggedRelease is the newest release commit of Commits whose tag
	// does not exist (a release whose tag push failed), for a version above
	// SinceTag; nil when there is none. A warning gives the fix.
	UntaggedRelease *PlanRelease
	// Warnings are things to know before releasing: an unreachable higher
	// tag, a proposed version moved past an existing tag, a deepened
	// shallow clone, an unknown branch.
	Warnings []string
	// Rules are the settings the plan used, in words, one per line.
	Rules []string
	// VersionFiles are the files in the work tree carrying the version
	// (versionfile.Detect and PlanOptions.VersionFiles), with the value
	// each has now, when the plan proposes a version (NextTag set); a
	// release writes Next into them. VersionFileSkips are the candidates
	// detection could not use, and why.
	VersionFiles     []versionfile.File
	VersionFileSkips []versionfile.Skip

	// selection is the commit selection Commits come from, which the
	// release notes reuse (selectCommits).
	selection []selected
	// releasedTwins are the commits of Head that stand for the commits of
	// Released (a squashed tag's tree, a rebase's originals): Plan leaves
	// them out of its count, and the notes leave them out too.
	releasedTwins []string
}

// PlanCommit is one commit of a plan.
type PlanCommit struct {
	// Commit is the commit as git reports it (hash, parents, author, dates,
	// raw message).
	Commit *git.Commit
	// Parsed is its message, parsed by commitlint.Parse.
	Parsed *commitlint.Commit
	// Bump is what the commit alone asks for; None for ignored, cancelled
	// and non-releasing commits.
	Bump version.Bump
	// Reason says why, in a few words ("feat → minor", "reverted by
	// abc1234 in this range: both cancel out", "brought in by merge
	// abc1234 (feat: x)").
	Reason string
	// Dropped is why the commit does not count, neither in the version
	// nor in the changelog (a merge stands for it, a second copy of a pull
	// request or a patch, a promotion merge, a release commit); "" when it
	// counts. Reason says it too.
	Dropped string
}

// Plan computes the next version of repo: it reads the tags, the commits
// since the highest stable version tag reachable from HEAD, and the branch,
// and applies the rules of opts.Config (see config.Version). A shallow clone
// is deepened from its remote when it has one, or else fails with
// git.ErrShallow. A channel's bump limit is a *version.BumpError, a tag
// name git refuses ErrPlanBadTag and a bad setting a *config.Error; an
// invalid or stale Release-As footer is a warning.
func Plan(ctx context.Context, repo *git.Repo, opts PlanOptions) (*PlanReport, error) {
	rules, prefix, err := opts.rules()
	if err != nil {
		return nil, err
	}
	rep := &PlanReport{Dir: repo.Dir(), Prefix: prefix}
	rep.Rules = append([]string{fmt.Sprintf("tag prefix: %q", prefix)}, rules.Describe()...)

	// The tags are listed while HEAD's facts are read (each git run costs
	// a process start: planStart asks for several answers at once); a
	// shallow clone lists them again once deepened.
	type listing struct {
		tags *planTagSet
		err  error
	}
	listCtx, stopListing := context.WithCancel(ctx)
	defer stopListing()
	listed := make(chan listing, 1)
	go func() {
		tags, err := planListTags(listCtx, repo, prefix)
		listed <- listing{tags, err}
	}()
	shallow, head, err := planStart(ctx, repo, opts, rep)
	if err != nil || shallow {
		stopListing()
		<-listed
	}
	if err != nil {
		return nil, fmt.Errorf("planning next version: %w", err)
	}
	rep.Head = head
	var tags *planTagSet
	if shallow {
		if err := planDeepen(ctx, repo, opts.NoFetch, rep); err != nil {
			return nil, fmt.Errorf("planning next version: %w", err)
		}
		tags, err = planListTags(ctx, repo, prefix)
	} else {
		l := <-listed
		tags, err = l.tags, l.err
	}
	if err != nil {
		return nil, fmt.Errorf("planning next version: %w", err)
	}
	tags.head = head
	all := tags.names()
	// The tags at HEAD: those whose target is HEAD, checked with the
	// commits planHistory asks for, or at once when the branch depends on
	// them.
	atHead := tags.targeting(head)
	if rep.Branch == "" {
		if err := tags.need(ctx, repo, atHead...); err != nil {
			return nil, fmt.Errorf("planning next version: %w", err)
		}
		if !planAtVersion(tags.at(atHead, head), prefix) {
			return nil, fmt.Errorf("planning next version: %w", planDetachedError{})
		}
	}
	tags.want(atHead...)
	reach, h, err := planHistory(ctx, repo, tags, prefix, head)
	if err != nil {
		return nil, fmt.Errorf("planning next version: %w", err)
	}
	if err := tags.need(ctx, repo, atHead...); err != nil {
		return nil, fmt.Errorf("planning next version: %w", err)
	}
	headTags := tags.at(atHead, head)
	releaseRE := planReleaseRE(opts)
	parsed := tags.parsedTags(prefix)
	if rep.Released, rep.releasedTwins, h, err = planReleased(ctx, repo, tags, reach, prefix, head, rules, releaseRE, h); err != nil {
		return nil, fmt.Errorf("planning next version: %w", err)
	}
	parsed.Reach = reach
	if len(rep.Released) > 0 {
		names := make([]string, len(reach))
		for i, t := range reach {
			names[i] = t.Name
		}
		parsed.Reach = version.SubsetTags(parsed.Tags, prefix, names, rep.Released)
	}
	exists := func(tag string) bool { _, ok := slices.BinarySearch(all, tag); return ok } // all is sorted
	if u := planUntagged(h, releaseRE, prefix, exists, planSince(parsed.Reach)); u != nil {
		rep.UntaggedRelease = u
		rep.Warnings = append(rep.Warnings, planUntaggedWarning(u, opts.Remote))
	}
	gitCommits, in := h.git, h.parsed

	// version.Next counts the commits the changelog lists: one selection.
	sel, err := selectCommits(ctx, repo, gitCommits, planParsed(in), opts.selectionRules(rules))
	if err != nil {
		return nil, fmt.Errorf("planning next version: %w", err)
	}
	plan, err := version.Next(version.Input{
		Prefix: prefix, Tags: all, Parsed: parsed, Released: rep.Released, Commits: planCounted(sel), HeadTags: headTags,
		Branch: rep.Branch, Head: rep.Head, Major: opts.Major, AllowBump: opts.AllowBump,
	}, rules)
	if err != nil {
		return nil, fmt.Errorf("planning next version: %w", err)
	}
	rep.Channel = plan.Channel.Name
	rep.Previous, rep.PreviousTag, rep.SinceTag = plan.Current, plan.CurrentTag, plan.SinceTag
	rep.Next, rep.NextTag = plan.Next, plan.NextTag
	rep.Bump, rep.ReleaseAs = plan.Bump, plan.ReleaseAs
	rep.IgnoredTags = plan.IgnoredTags
	rep.Warnings = append(rep.Warnings, plan.Warnings...)
	rep.Commits, rep.selection = planDecided(sel, plan.Commits), sel
	// The tag name's check and go.mod's are a git run each: they run
	// while the work tree is searched for version files. Their errors and
	// warnings come in this order, as if one ran after the other.
	var tagErr, modErr error
	var modWarning string
	var wg sync.WaitGroup
	if rep.NextTag != "" {
		wg.Go(func() { tagErr = planCheckTag(ctx, repo, rep.NextTag, prefix) })
		wg.Go(func() { modWarning, modErr = planGoModule(ctx, repo, rep.Head, ".", rep.Next, rep.NextTag) })
	}
	before := len(rep.Warnings)
	vfErr := planVersionFiles(opts, rep)
	wg.Wait()
	for _, err := range []error{tagErr, modErr, vfErr} {
		if err != nil {
			return nil, fmt.Errorf("planning next version: %w", err)
		}
	}
	if modWarning != "" {
		rep.Warnings = slices.Insert(rep.Warnings, before, modWarning)
	}
	return rep, nil
}

// tagPrefixRE is what a tag prefix may be: empty, or letters, digits and
// . _ / @ + - that start with a letter, a digit or @ ("v", "release-",
// "api/v", "@scope/pkg@"). A prefix is written into tags, outputs that shell
// steps reuse and git arguments, so nothing option-shaped ("-"), no
// whitespace and no shell or glob metacharacter gets through.
var tagPrefixRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:[A-Za-z0-9@][A-Za-z0-9._/@+-]*)?$`) })

// NoTagPrefix is how a flag, an Action input or version.tag-prefix says
// "no prefix" (bare X.Y.Z tags), the same everywhere; an empty flag says
// it too.
const NoTagPrefix = config.NoTagPrefix

// rules returns the version rules of o.Config and the tag prefix, with
// o.TagPrefix (a flag or an input) over version.tag-prefix over "v", and
// NoTagPrefix read as "". It is the one place every operation that names
// tags (plan, changelog, cut, image) decides the prefix.
func (o PlanOptions) rules() (version.Rules, string, error) {
	rules, prefix, err := PlanRules(o.Config)
	if err != nil {
		return rules, "", err
	}
	if o.TagPrefix != nil {
		prefix = *o.TagPrefix
		if prefix == NoTagPrefix {
			prefix = ""
		}
		if err := CheckTagPrefix(prefix); err != nil {
			return rules, "", err
		}
	}
	return rules, prefix, nil
}

// CheckTagPrefix fails with ErrPlanBadTag when prefix cannot start a tag
// name safely (see tagPrefixRE), or when git would refuse the tags it
// makes (".." anywhere, "//", a trailing "." or "/").
func CheckTagPrefix(prefix string) error {
	bad := !tagPrefixRE().MatchString(prefix) || strings.Contains(prefix, "..") || strings.Contains(prefix, "//") ||
		strings.Contains(prefix, "@{") || strings.Contains(prefix, "/.") || strings.HasSuffix(prefix, ".lock/")
	if bad {
		return fmt.Errorf("tag prefix %q is %w: use letters, digits and . _ / @ + -, starting with a letter, a digit or @ (\"v\", \"release-\", \"api/v\"), or \"\" for bare versions", prefix, ErrPlanBadTag)
	}
	return nil
}

// configTagError is a bad version.tag-prefix: a *config.Error (exit 2, the
// key named) that is also ErrPlanBadTag, as the same prefix given as a flag is.
type configTagError struct {
	cfg *config.Error
	bad error
}

func (e configTagError) Error() string   { return e.cfg.Error() }
func (e configTagError) Unwrap() []error { return []error{e.cfg, e.bad} }

// planCheckTag fails with ErrPlanBadTag when git would refuse tag as a tag
// name ("v..1.0.0" from the prefix "v.."), so that a release stops before
// it commits anything rather than at `git tag`.
func planCheckTag(ctx context.Context, repo *git.Repo, tag, prefix string) error {
	_, err := repo.Run(ctx, "check-ref-format", "refs/tags/"+tag)
	var ge *git.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ge) && ge.ExitCode == 1:
		return fmt.Errorf("tag %q is %w (git check-ref-format): fix the tag prefix %q (--tag-prefix, or version.tag-prefix in %s)", tag, ErrPlanBadTag, prefix, config.FileName)
	default:
		return fmt.Errorf("checking tag name %q: %w", tag, err)
	}
}

// planHistory returns the tags reachable from HEAD and the commits since
// the highest version tag among them, stable or prerelease
// (version.Input.Since; all of history without one). HEAD is head, the
// commit planned (the tip of --branch when another branch is checked out).
//
// `git tag --merged HEAD` walks all of history when a tag is not reachable,
// as long as the log of the range itself; so first try the highest stable
// version tag of all: it is reachable exactly when HEAD is that tag's commit
// or one of the commits of `TAG..HEAD` has it as a parent (a path from HEAD
// down to it enters it from a commit that is not its ancestor). Then one
// walk is enough: a higher tag HEAD reaches is one on a commit of that range
// (dev's prereleases, merged into main), and the range is cut to the commits
// that tag does not hold; the tags below the stable one stand for the
// reachable ones, since only the highest count. (A higher prerelease tag on
// an ancestor of the stable tag's commit, an rc abandoned before a lower
// stable release, is missed: the stable tag holds its commits, so the range
// is right, but the plan may then propose a version below that rc.) Only when that tag is not reachable (main not
// merged back, stable releases tagged on branches, as electron's) does it
// take the tags HEAD reaches (`git tag --merged HEAD`, from one `git
// rev-list HEAD`) and a log from the highest tag among them, so that a line
// of nightlies above an old stable tag is read from its newest nightly, not
// from the stable tag. Tag commits are read only for the tags these steps
// compare (planTagSet).
func planHistory(ctx context.Context, repo *git.Repo, refs *planTagSet, prefix, head string) (reach []version.Tag, commits planCommits, err error) {
	tags := refs.versions(prefix)
	top, ok := version.LatestStable(tags)
	if !ok {
		// No stable tag: the log of all history holds every tag HEAD reaches.
		commits, err = planLog(ctx, repo, head, "", nil)
		if err != nil {
			return nil, commits, err
		}
		if err := refs.need(ctx, repo, refs.within(tags, commits, head)...); err != nil {
			return nil, commits, err
		}
		reach, commits = planCut(tags, refs.commit, nil, "", head, commits)
		return reach, commits, nil
	}
	// planCut reads the commits of the stable tag and of the tags above
	// it (prereleases of higher versions) only: the tags below it are
	// reachable with it, whatever their commits.
	var asked []string
	for _, t := range tags { // highest first
		asked = append(asked, t.Name)
		if t.Name == top.Name {
			break
		}
	}
	if err := refs.need(ctx, repo, asked...); err != nil {
		return nil, commits, err
	}
	// A tag that names no commit (a tree, say) is left to the slow path.
	if topCommit := refs.commit[top.Name]; topCommit != "" {
		seen := topCommit == head
		if !seen {
			commits, err = planLog(ctx, repo, "refs/tags/"+top.Name+".."+head, topCommit, &seen)
			if err != nil {
				return nil, commits, err
			}
		}
		if seen {
			reach, commits = planCut(tags, refs.commit, top.Version, topCommit, head, commits)
			return reach, commits, nil
		}
	}

	// The tags whose commit HEAD reaches, as `git tag --merged HEAD` lists
	// them, from one walk of HEAD's history (git tag --merged walks as
	// much and reads every tag object too).
	targets := make([]string, len(refs.refs))
	for i, t := range refs.refs {
		targets[i] = t.Target()
	}
	reached, err := repo.Reached(ctx, head, targets)
	if err != nil {
		return nil, commits, err
	}
	reach = make([]version.Tag, 0, len(tags))
	for _, t := range tags {
		if reached[refs.target[t.Name]] {
			reach = append(reach, t)
		}
	}
	rev := head
	if len(reach) > 0 {
		rev = "refs/tags/" + reach[0].Name + ".." + head
	}
	commits, err = planLog(ctx, repo, rev, "", nil)
	return reach, commits, err
}

// planCut returns the tags HEAD reaches given the log pc of base..HEAD
// (base is the commit of the stable tag at version floor; "" and nil for
// all of history): the tags on a commit of pc, at base or at HEAD, and the
// tags at or below floor standing in for the others. It cuts pc to the
// commits the highest of them does not hold.
func planCut(tags []version.Tag, commitOf map[string]string, floor *semver.Version, base, head string, pc planCommits) ([]version.Tag, planCommits) {
	index := make(map[string]int, len(pc.git))
	for i, c := range pc.git {
		index[c.Hash] = i
	}
	reachable := make([]version.Tag, 0, len(tags))
	since := ""
	for _, t := range tags { // highest first
		c := commitOf[t.Name]
		_, inRange := index[c]
		held := c != "" && (inRange || c == base || c == head)
		if held && since == "" {
			since = c
		}
		if held || (floor != nil && !t.Version.GreaterThan(floor)) {
			reachable = append(reachable, t)
		}
	}
	i, ok := index[since]
	if !ok {
		return reachable, pc // the range starts at base already
	}
	// The commits of the range that since holds: its ancestors within the
	// range (a path from since to a commit of the range stays in it).
	held := make([]bool, len(pc.git))
	for stack := []int{i}; len(stack) > 0; {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if held[j] {
			continue
		}
		held[j] = true
		for _, parent := range pc.git[j].Parents {
			if k, ok := index[parent]; ok && !held[k] {
				stack = append(stack, k)
			}
		}
	}
	var cut planCommits
	for j := range pc.git {
		if !held[j] {
			cut.git = append(cut.git, pc.git[j])
			cut.parsed = append(cut.parsed, pc.parsed[j])
		}
	}
	return reachable, cut
}

// planCommits are the commits of a range as git reports them and as
// version reads them, index for index.
type planCommits struct {
	git    []*git.Commit
	parsed []version.Commit
}

// planLog reads the commits of rev, newest first, parsing each message as
// it arrives (so parsing overlaps with git walking history); when parent is
// set, *seen reports whether one of them has it as a parent.
func planLog(ctx context.Context, repo *git.Repo, rev, parent string, seen *bool) (planCommits, error) {
	return planLogWalk(ctx, repo, []string{rev}, parent, seen)
}

// planLogRevs reads the commits of revs ("HEAD", "^v1.0.0"), as planLog
// reads one range.
func planLogRevs(ctx context.Context, repo *git.Repo, revs []string) (planCommits, error) {
	return planLogWalk(ctx, repo, revs, "", nil)
}

func planLogWalk(ctx context.Context, repo *git.Repo, revs []string, parent string, seen *bool) (planCommits, error) {
	var pc planCommits
	for c, err := range repo.Log(ctx, git.LogOptions{Revs: revs}) {
		if err != nil {
			return planCommits{}, err
		}
		if parent != "" && !*seen && slices.Contains(c.Parents, parent) {
			*seen = true
		}
		pc.git = append(pc.git, c)
		pc.parsed = append(pc.parsed, version.Commit{Hash: c.Hash, Merge: c.IsMerge(), Parsed: commitlint.Parse(c.Message)})
	}
	return pc, nil
}

// planHead reports whether the clone is shallow and resolves rev (HEAD,
// or the ref planRev found), in one git run.
func planHead(ctx context.Context, repo *git.Repo, rev string) (shallow bool, head string, err error) {
	out, err := repo.Run(ctx, "rev-parse", "--is-shallow-repository", "--verify", "--end-of-options", rev+"^{commit}")
	if err != nil && rev != "HEAD" {
		return false, "", fmt.Errorf("reading %s: %w", rev, err)
	}
	if err != nil {
		// An unborn branch: HEAD names a branch that does not exist yet.
		_, verr := repo.Run(ctx, "rev-parse", "--verify", "--quiet", "HEAD")
		if _, serr := repo.Run(ctx, "symbolic-ref", "--quiet", "HEAD"); verr != nil && serr == nil {
			return false, "", ErrPlanNoCommits
		}
		return false, "", fmt.Errorf("reading HEAD: %w", err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2 {
		return false, "", fmt.Errorf("reading HEAD: unexpected git rev-parse output %q", out)
	}
	return lines[0] == "true", lines[1], nil
}

// planTagSet is every tag, listed without reading tag objects
// (git.Repo.ListTags), and the commits of the tags Plan asked for
// (git.Repo.TagCommits). A tag's commit is its target or none, so a
// comparison with the targets picks the few tags to ask for.
type planTagSet struct {
	refs   []git.TagRef
	target map[string]string
	// head is the commit planned, known to be a commit: a tag naming
	// it needs no git run to say so.
	head string
	// commit holds the commits asked for so far ("" for a tag that names
	// no commit); wanted are names to ask for with the next need.
	commit map[string]string
	wanted []string
	// parsed are the version tags for parsedPrefix (versions), and
	// ignored the other names.
	parsed       []version.Tag
	ignored      []string
	parsedPrefix *string
}

// planListTags lists every tag, in one git run, and parses the version
// tags for prefix while git lists them.
func planListTags(ctx context.Context, repo *git.Repo, prefix string) (*planTagSet, error) {
	p := version.TagParser{Prefix: prefix}
	refs, err := repo.ListTagsEach(ctx, p.Add)
	if err != nil {
		return nil, err
	}
	s := &planTagSet{refs: refs, target: make(map[string]string, len(refs)), commit: map[string]string{}}
	for _, t := range refs {
		s.target[t.Name] = t.Target()
	}
	s.parsed, s.ignored = p.Sorted()
	s.parsedPrefix = &prefix
	return s, nil
}

// names returns every tag's name, sorted.
func (s *planTagSet) names() []string {
	out := make([]string, len(s.refs))
	for i, t := range s.refs {
		out[i] = t.Name
	}
	return out
}

// versions returns the version tags for prefix, highest first
// (version.ParseTags), parsed once per plan.
func (s *planTagSet) versions(prefix string) []version.Tag {
	return s.parsedTags(prefix).Tags
}

// parsedTags is versions with the names that are not version tags, for
// version.Input.Parsed.
func (s *planTagSet) parsedTags(prefix string) *version.ParsedTags {
	if s.parsedPrefix == nil || *s.parsedPrefix != prefix {
		s.parsed, s.ignored = version.ParseTags(s.names(), prefix)
		s.parsedPrefix = &prefix
	}
	return &version.ParsedTags{Tags: s.parsed, Ignored: s.ignored}
}

// targeting returns the tags whose target is oid, sorted: the tags whose
// commit may be oid.
func (s *planTagSet) targeting(oid string) []string {
	var out []string
	for _, t := range s.refs {
		if t.Target() == oid {
			out = append(out, t.Name)
		}
	}
	return out
}

// within returns the tags of tags whose commit may be one of pc's, or
// head.
func (s *planTagSet) within(tags []version.Tag, pc planCommits, head string) []string {
	in := make(map[string]bool, len(pc.git)+1)
	for _, c := range pc.git {
		in[c.Hash] = true
	}
	in[head] = true
	var out []string
	for _, t := range tags {
		if in[s.target[t.Name]] {
			out = append(out, t.Name)
		}
	}
	return out
}

// want adds names to the next need.
func (s *planTagSet) want(names ...string) { s.wanted = append(s.wanted, names...) }

// need reads the commits of names, and of those wanted, that were not read
// yet, in one git run (none when all were).
func (s *planTagSet) need(ctx context.Context, repo *git.Repo, names ...string) error {
	var ask []string
	asked := map[string]bool{}
	for _, n := range append(s.wanted, names...) {
		if _, ok := s.commit[n]; !ok && !asked[n] {
			asked[n] = true
			ask = append(ask, n)
		}
	}
	s.wanted = nil
	if len(ask) == 0 {
		return nil
	}
	refs := make([]git.TagRef, 0, len(ask))
	for _, n := range ask {
		i, ok := slices.BinarySearchFunc(s.refs, n, func(t git.TagRef, n string) int { return strings.Compare(t.Name, n) })
		switch {
		case !ok:
			s.commit[n] = ""
		case s.refs[i].Target() == s.head && s.head != "":
			// A tag of HEAD's commit (a release's own tag, on the commit
			// planned): its target is a commit, no git run needed.
			s.commit[n] = s.head
		default:
			refs = append(refs, s.refs[i])
		}
	}
	if len(refs) == 0 {
		return nil
	}
	commits, err := repo.TagCommits(ctx, refs)
	if err != nil {
		return err
	}
	for _, t := range refs {
		s.commit[t.Name] = commits[t.Name]
	}
	return nil
}

// at returns the names among names (asked for already) whose commit is
// oid.
func (s *planTagSet) at(names []string, oid string) []string {
	var out []string
	for _, n := range names {
		if s.commit[n] == oid {
			out = append(out, n)
		}
	}
	return out
}

// planDeepen makes a shallow clone whole: `git fetch --unshallow --tags`
// from origin (or the only remote), so that the last tag and every commit
// since it are seen. Without a remote, or with NoFetch, it fails with the
// `fetch-depth: 0` fix.
func planDeepen(ctx context.Context, repo *git.Repo, noFetch bool, rep *PlanReport) error {
	if noFetch {
		return fmt.Errorf("%s: %w", repo.Dir(), git.ErrShallow)
	}
	out, err := repo.Run(ctx, "remote")
	if err != nil {
		return fmt.Errorf("listing remotes: %w", err)
	}
	remotes := strings.Fields(string(out))
	remote := ""
	for _, r := range remotes {
		if r == config.DefaultRemote {
			remote = r
		}
	}
	if remote == "" && len(remotes) == 1 {
		remote = remotes[0]
	}
	if remote == "" {
		return fmt.Errorf("%s has no remote to deepen it from (%d remotes): %w", repo.Dir(), len(remotes), git.ErrShallow)
	}
	if _, err := repo.Run(ctx, "fetch", "--quiet", "--unshallow", "--tags", "--", remote); err != nil {
		return fmt.Errorf("deepening the shallow clone from %q: %v: %w", remote, err, git.ErrShallow)
	}
	rep.Warnings = append(rep.Warnings, fmt.Sprintf("the clone was shallow: fetched the full history from %q (set `fetch-depth: 0` in actions/checkout to skip this)", remote))
	return nil
}

// PlanRules maps the `version:` section of .shipflow.yaml to the rules of
// package version and the tag prefix. A bad value is a *config.Error naming
// its key.
func PlanRules(c config.Version) (version.Rules, string, error) {
	rules := version.DefaultRules()
	prefix := "v"
	bad := func(key, format string, a ...any) error {
		if key != "" {
			key = "." + key
		}
		return &config.Error{File: config.FileName, Message: "version" + key + ": " + fmt.Sprintf(format, a...)}
	}
	if c.TagPrefix != nil {
		prefix = *c.TagPrefix
		if prefix == NoTagPrefix {
			prefix = ""
		}
		if err := CheckTagPrefix(prefix); err != nil {
			return rules, "", configTagError{bad("tag-prefix", "%v", err).(*config.Error), err}
		}
	}
	initial, key, err := c.InitialSetting()
	if err != nil {
		return rules, "", bad(key, "%v", err)
	}
	if initial != "" {
		v, err := semver.StrictNewVersion(strings.TrimPrefix(initial, prefix))
		if err != nil || v.Prerelease() != "" || v.Metadata() != "" {
			return rules, "", bad(key, "%q is not a plain X.Y.Z version", initial)
		}
		rules.Initial = v
	}
	if c.Types != nil {
		rules.Types = map[string]version.Bump{}
		for t, s := range c.Types {
			b, err := version.ParseBump(s)
			if err != nil {
				return rules, "", bad("types."+t, "%v", err)
			}
			rules.Types[strings.ToLower(t)] = b
		}
	}
	if rules.MajorOnZero, err = c.MajorOnZeroSetting(); err != nil {
		return rules, "", bad("bump-minor-pre-major", "%v", err)
	}
	rules.MinorAsPatchOnZero = c.BumpPatchForMinorPreMajor
	if c.ReleaseCommit != "" {
		re, err := regexp.Compile(c.ReleaseCommit)
		if err != nil {
			return rules, "", bad("release-commit", "%q is not a valid regular expression: %v", c.ReleaseCommit, err)
		}
		rules.ReleaseCommit = re
	}
	if c.Channels != nil {
		rules.Channels = nil
		for i, ch := range c.Channels {
			vc := version.Channel{Name: ch.Name, Branches: ch.Branches, Prerelease: ch.Prerelease, Build: ch.Build}
			if ch.MaxBump != "" {
				b, err := version.ParseBump(ch.MaxBump)
				if err != nil {
					return rules, "", bad(fmt.Sprintf("channels[%d].max-bump", i), "%v", err)
				}
				vc.MaxBump = b
			}
			rules.Channels = append(rules.Channels, vc)
		}
	}
	if err := rules.Validate(); err != nil {
		return rules, "", bad("", "%v", err)
	}
	return rules, prefix, nil
}

// PlanRefused reports whether err is a plan the rules refuse (a channel's
// bump limit, a line whose next tag exists elsewhere): the user's commits
// or checkout are wrong, not the tool.
func PlanRefused(err error) bool {
	var be *version.BumpError
	var te *version.TagExistsError
	return errors.As(err, &be) || errors.As(err, &te)
}

// ResolveNext turns the inputs of `next` into PlanOptions (see Inputs for
// the order): the plan's inputs as resolvePlan reads them, and major,
// allow-bump and no-fetch (booleans, false by default).
func ResolveNext(in Inputs, cfg *config.Config, ci CI) (PlanOptions, error) {
	return resolvePlan(in, cfg, ci, "major", "allow-bump", "no-fetch")
}

// resolvePlan reads the plan's inputs every verb that plans a version
// shares: tag-prefix (over version.tag-prefix), branch (else the
// checked-out branch, else on a detached HEAD the CI context's branch),
// the integration branch whose merges are promotions (branches.integration,
// no input), and of the booleans major, allow-bump and no-fetch those the verb
// offers (a verb reads only the inputs its flags and action name).
func resolvePlan(in Inputs, cfg *config.Config, ci CI, bools ...string) (PlanOptions, error) {
	o := PlanOptions{TagPrefix: inputTagPrefix(in), DetachedBranch: ci.Branch}
	if cfg != nil {
		o.Config = cfg.Version
		o.Integration = cfg.Branches.Integration
		o.Remote, o.ReleaseCommitMessage = cfg.Release.Remote, cfg.Release.CommitMessage
		o.VersionFiles = planVersionFileEntries(cfg.Release.VersionFiles)
	}
	o.Branch, _ = inputString(in, "branch")
	to := map[string]*bool{"major": &o.Major, "allow-bump": &o.AllowBump, "no-fetch": &o.NoFetch}
	for _, name := range bools {
		v, err := inputBool(in, name, false)
		if err != nil {
			return o, err
		}
		*to[name] = v
	}
	return o, nil
}

// NextFindings returns what `shipflow next` reports besides the plan,
// titled "shipflow next" as both faces print them: an error when err is a
// plan the branch's rules refuse (PlanRefused: a feat on hotfix/*), else a
// warning per warning of rep. Other errors are not findings: the caller
// returns them. rep may be nil.
func NextFindings(rep *PlanReport, err error) []report.Finding {
	var warnings []string
	if rep != nil {
		warnings = rep.Warnings
	}
	return verbFindings("shipflow next", warnings, err, PlanRefused)
}
