package release

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"golang.org/x/sync/errgroup"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/version"
)

// What Plan reads: which commit (HEAD, or the tip of --branch), which tags
// count as released into it, and what the commits it reads say about the
// releases before (a release commit whose tag is missing, a Go module that
// a major version breaks).

// ErrPlanDetached is matched by the error of Plan on a detached HEAD with
// no branch to plan for (PlanOptions.Branch, DetachedBranch): the channel,
// and so the version, depend on it. The error is also an *InputError about
// the branch input (a usage error).
var ErrPlanDetached = errors.New("HEAD is detached and no branch was given")

// planDetachedError is ErrPlanDetached with the fix, and an *InputError
// about the branch input.
type planDetachedError struct{}

func (planDetachedError) Error() string {
	return ErrPlanDetached.Error() + ": the channel, and so the version, depend on the branch; pass --branch BRANCH (the branch input in an Action), or check out the branch"
}

func (planDetachedError) Unwrap() []error {
	return []error{ErrPlanDetached, &InputError{Name: "branch", Value: "", Want: "given: HEAD is detached"}}
}

// PlanRelease is a release commit: one whose message is the release
// commit template's (release.commit-message) for a version.
type PlanRelease struct {
	// Commit is the release commit's full hash.
	Commit string
	// Tag and Version are the release's tag and version.
	Tag     string
	Version *semver.Version
}

// planRev decides the branch rep is planned for (rep.Branch) and the
// revision Plan reads: opts.Commit when set; HEAD, or when opts.Branch is
// another branch than the checked-out one, its local branch, else the
// remote's branch of that name. A branch with neither is an error matching git.ErrUnknownRevision.
// On a detached HEAD opts.Branch (else DetachedBranch) is the branch HEAD
// stands for, as a CI checkout is.
func planRev(ctx context.Context, repo *git.Repo, opts PlanOptions, rep *PlanReport) (string, error) {
	current, err := repo.CurrentBranch(ctx)
	if err != nil {
		return "", err
	}
	return planRevFrom(ctx, repo, opts, rep, current)
}

// planStart is planRev then planHead: whether the clone is shallow and
// the commit of the revision Plan reads. Each git run
// costs a process start, so one `git rev-parse` first answers all three
// for HEAD and the branch checked out; the steps run one by one only when
// that run fails (an unborn branch, which they report), HEAD is a
// symbolic ref to something other than a branch, or another revision is
// read.
func planStart(ctx context.Context, repo *git.Repo, opts PlanOptions, rep *PlanReport) (shallow bool, head string, err error) {
	var rev string
	out, runErr := repo.Run(ctx, "rev-parse", "--is-shallow-repository", "HEAD^{commit}", "--symbolic-full-name", "HEAD")
	if lines := strings.Fields(string(out)); runErr == nil && len(lines) == 3 {
		current, isBranch := strings.CutPrefix(lines[2], "refs/heads/")
		if lines[2] == "HEAD" {
			current, isBranch = "", true // detached
		}
		if isBranch {
			if rev, err = planRevFrom(ctx, repo, opts, rep, current); err != nil {
				return false, "", err
			}
			if rev == "HEAD" {
				return lines[0] == "true", lines[1], nil
			}
			shallow, head, err = planHead(ctx, repo, rev)
			return shallow, head, err
		}
	}
	if rev, err = planRev(ctx, repo, opts, rep); err != nil {
		return false, "", err
	}
	shallow, head, err = planHead(ctx, repo, rev)
	return shallow, head, err
}

// planRevFrom is planRev with the branch checked out ("" when HEAD is
// detached) read already.
func planRevFrom(ctx context.Context, repo *git.Repo, opts PlanOptions, rep *PlanReport, current string) (string, error) {
	switch {
	case opts.Commit != "":
		rep.Branch = cmp.Or(opts.Branch, current, opts.DetachedBranch)
		return opts.Commit, nil
	case opts.Branch == "" && current != "":
		rep.Branch = current
		return "HEAD", nil
	case opts.Branch == "":
		rep.Branch = opts.DetachedBranch
		return "HEAD", nil
	}
	rep.Branch = opts.Branch
	if current == "" || current == opts.Branch {
		return "HEAD", nil
	}
	remote := opts.Remote
	if remote == "" {
		remote = config.DefaultRemote
	}
	local, tracking := "refs/heads/"+opts.Branch, "refs/remotes/"+remote+"/"+opts.Branch
	out, err := repo.Run(ctx, "for-each-ref", "--format=%(refname)", "--", local, tracking)
	if err != nil {
		return "", fmt.Errorf("finding branch %q: %w", opts.Branch, err)
	}
	refs := strings.Fields(string(out))
	for _, ref := range []string{local, tracking} {
		for _, r := range refs {
			if r == ref {
				return ref, nil
			}
		}
	}
	return "", fmt.Errorf("branch %q (--branch) is neither a local branch nor %s/%s (fetch it: git fetch %s %s): %w",
		opts.Branch, remote, opts.Branch, remote, opts.Branch, git.ErrUnknownRevision)
}

// planAtVersion reports whether one of headTags, the tags at HEAD, is a
// version tag: a detached HEAD there is a release's checkout, with nothing
// to release whatever the branch.
func planAtVersion(headTags []string, prefix string) bool {
	tags, _ := version.ParseTags(headTags, prefix)
	return len(tags) > 0
}

// planReleaseRE is the pattern of release commits' first lines that
// Plan recognises: the template's (see cutReleaseRE), or nil when the
// template names no version (cut refuses it).
func planReleaseRE(opts PlanOptions) *regexp.Regexp {
	msg := opts.ReleaseCommitMessage
	if msg == "" {
		msg = DefaultCutCommitMessage
	}
	re, err := cutReleaseRE(msg)
	if err != nil {
		return nil
	}
	return re
}

// planReleaseTag returns the tag that the release commit c names under re,
// and its version; "" when c is no release commit (a merge, another
// message, or a tag that is not prefix + X.Y.Z).
func planReleaseTag(c *git.Commit, re *regexp.Regexp, prefix string) (string, *semver.Version) {
	if re == nil || len(c.Parents) != 1 {
		return "", nil
	}
	m := re.FindStringSubmatch(cutFirstLine(c.Message))
	if m == nil {
		return "", nil
	}
	tag := ""
	if i := re.SubexpIndex("tag"); i > 0 && m[i] != "" {
		tag = m[i]
	} else if i := re.SubexpIndex("version"); i > 0 {
		tag = prefix + m[i]
	}
	if !strings.HasPrefix(tag, prefix) {
		return "", nil
	}
	v, err := semver.StrictNewVersion(strings.TrimPrefix(tag, prefix))
	if err != nil {
		return "", nil
	}
	return tag, v
}

// planReleased returns the version tags above the highest tag HEAD
// reaches (stable ones above the highest stable tag it reaches) that HEAD
// does not reach but whose changes it holds, their twins in HEAD (see
// below), and pc
// without the commits they released. A tag is released into HEAD when each
// of its commits that HEAD lacks is a merge or a release commit (the
// release commit template's, re, or version.release-commit's, rules): main
// released dev's changes as v1.1.0 (dev merged, a release commit, the tag)
// and dev was not merged back. GitHub's other promotions give main other
// commits with dev's changes: a squash, one commit whose tree HEAD has had
// (or the tag's own tree is one HEAD has had), and a rebase, copies of
// dev's commits (`git log --cherry-mark`). A stable tag released those; a
// prerelease only when HEAD has no copy of its commits with the same
// header to count instead (squashed, not rebased). One `git log` reads the
// commits of every candidate that HEAD lacks; HEAD's trees cost one more
// when a candidate has commits other than merges and release commits, and
// the patches one per tag still undecided (planMaxCopies at most).
//
// pc is then read again as head --not since --not released --not their
// twins in HEAD (the commits of HEAD with the trees, or the copies, of
// their commits) --not the tags HEAD reaches on a commit of pc (lower than
// since but not held by it: dev's prereleases after a squashed or rebased
// promotion was merged back), so that no commit released already counts
// again.
//
// reach are the version tags HEAD reaches, highest first
// (version.SubsetTags of reachable).
func planReleased(ctx context.Context, repo *git.Repo, refs *planTagSet, reach []version.Tag, prefix, head string,
	rules version.Rules, re *regexp.Regexp, pc planCommits) (released, twins []string, _ planCommits, err error) {
	all := refs.versions(prefix)
	// The candidates are above the highest tag HEAD reaches, or stable and
	// above the highest stable tag it reaches: main's release of a squash
	// of dev, below the prerelease dev tagged since, is dev's previous
	// version.
	var stableReach *semver.Version
	if i := slices.IndexFunc(reach, func(t version.Tag) bool { return t.Version.Prerelease() == "" }); i >= 0 {
		stableReach = reach[i].Version
	}
	// None of them is in reach: a stable one is above the highest stable
	// tag of reach, a prerelease above reach's highest.
	var unreached []version.Tag
	for _, t := range all { // highest first
		if stableReach != nil && !t.Version.GreaterThan(stableReach) {
			break
		}
		if len(reach) > 0 && !t.Version.GreaterThan(reach[0].Version) && t.Version.Prerelease() != "" {
			continue
		}
		unreached = append(unreached, t)
	}
	inRange := make(map[string]bool, len(pc.git))
	for _, c := range pc.git {
		inRange[c.Hash] = true
	}
	// The commits asked for: the candidates', the highest reachable
	// tag's, and those of the other reachable tags that may be on a
	// commit of pc.
	var ask []string
	for _, t := range unreached {
		ask = append(ask, t.Name)
	}
	if len(reach) > 0 {
		ask = append(ask, reach[0].Name)
	}
	for _, t := range reach[min(1, len(reach)):] {
		if inRange[refs.target[t.Name]] {
			ask = append(ask, t.Name)
		}
	}
	if err := refs.need(ctx, repo, ask...); err != nil {
		return nil, nil, pc, err
	}
	commitOf := refs.commit
	var cands []version.Tag
	for _, t := range unreached {
		if commitOf[t.Name] != "" {
			cands = append(cands, t)
		}
	}
	released, twins, err = planReleasedTags(ctx, repo, cands, commitOf, prefix, head, rules, re)
	if err != nil {
		return nil, nil, pc, err
	}

	not := slices.Clone(twins)
	for _, t := range released {
		not = append(not, commitOf[t])
	}
	for _, t := range reach[min(1, len(reach)):] {
		if c := commitOf[t.Name]; c != "" && inRange[c] {
			not = append(not, c)
		}
	}
	if len(not) == 0 {
		return released, twins, pc, nil
	}
	revs := []string{head}
	if len(reach) > 0 && commitOf[reach[0].Name] != "" {
		revs = append(revs, "^"+commitOf[reach[0].Name])
	}
	for _, c := range not {
		revs = append(revs, "^"+c)
	}
	pc, err = planLogRevs(ctx, repo, revs)
	return released, twins, pc, err
}

// planMaxCopies caps the `git log --cherry-mark` runs of one plan: each
// compares the patches of a tag's commits with HEAD's, and only the
// highest tags released matter.
const planMaxCopies = 3

// planSide is the commits of tags that HEAD lacks, as planReleasedTags
// reads them.
type planSide struct {
	parents map[string][]string
	tree    map[string]string
	// plain are the commits that are neither merges nor release commits.
	plain map[string]bool
}

// planReleasedTags returns the names of the tags of cands (highest first)
// released into head, and the commits of head that they released as other
// commits (twins: a squash's tree, a rebase's originals), whose history
// counts no more; see planReleased.
func planReleasedTags(ctx context.Context, repo *git.Repo, cands []version.Tag, commitOf map[string]string, prefix, head string,
	rules version.Rules, re *regexp.Regexp) (released, twins []string, err error) {
	if len(cands) == 0 {
		return nil, nil, nil
	}
	if none, err := planNoneReleased(ctx, repo, cands, commitOf, prefix, head, rules, re); err != nil || none {
		return nil, nil, err
	}
	args := []string{"log", "-z", "--format=" + planTreeFormat, "--end-of-options"}
	for _, t := range cands {
		args = append(args, commitOf[t.Name])
	}
	args = append(args, "^"+head, "--")
	out, err := repo.Run(ctx, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the commits of tags HEAD does not reach: %w", err)
	}
	side := planSide{parents: map[string][]string{}, tree: map[string]string{}, plain: map[string]bool{}}
	for _, rec := range strings.Split(string(out), "\x00") {
		c, tree, ok := planTreeCommit(rec)
		if !ok {
			continue
		}
		side.parents[c.Hash], side.tree[c.Hash] = c.Parents, tree
		if !c.IsMerge() {
			side.plain[c.Hash] = planPlain(c, re, prefix, rules)
		}
	}

	// The trees HEAD has had (tree → HEAD's newest commit with it), read
	// only when a plain commit needs them.
	headTrees := map[string]string{}
	if slices.Contains(slices.Collect(maps.Values(side.plain)), true) {
		if headTrees, err = planHeadTrees(ctx, repo, cands, commitOf, head); err != nil {
			return nil, nil, err
		}
	}
	// A commit or tag with a tree HEAD has had holds nothing HEAD lacks,
	// unless it changes nothing (an empty commit has its parent's tree).
	parentTree, err := planParentTrees(ctx, repo, side, headTrees)
	if err != nil {
		return nil, nil, err
	}
	twin := func(h string) string {
		if t := side.tree[h]; t != parentTree[h] {
			return headTrees[t]
		}
		return ""
	}
	change := map[string]bool{}
	for h, plain := range side.plain {
		change[h] = plain && twin(h) == ""
	}
	holdsPlain, holds := planHolds(side.parents, side.plain), planHolds(side.parents, change)

	runs := 0
	for _, t := range cands {
		c := commitOf[t.Name]
		if side.parents[c] == nil {
			continue // HEAD reaches it after all
		}
		if !holdsPlain(c) { // merges and release commits only
			released = append(released, t.Name)
			continue
		}
		stable := t.Version.Prerelease() == ""
		switch {
		case !holds(c) || twin(c) != "":
			// HEAD has had the trees of the tag's commits, or the tag's
			// tree: a squashed or rebased promotion. A stable tag released
			// them; a prerelease only when HEAD has no copies of its
			// commits to count (squashed, not rebased).
			if !stable {
				if runs++; runs > planMaxCopies {
					continue
				}
				copied, copies, err := planCherry(ctx, repo, c, head, side.parents)
				if err != nil {
					return nil, nil, err
				}
				if slices.ContainsFunc(slices.Collect(maps.Values(copied)), func(h string) bool { return slices.Contains(slices.Collect(maps.Values(copies)), h) }) {
					continue // the same patch and header: rebased
				}
			}
			released = append(released, t.Name)
			twins = append(twins, planTwins(c, side.parents, twin)...)
		case stable && runs < planMaxCopies:
			// Rebased copies released in a stable tag.
			runs++
			copied, copies, err := planCherry(ctx, repo, c, head, side.parents)
			if err != nil {
				return nil, nil, err
			}
			uncopied := map[string]bool{}
			for h, ch := range change {
				_, isCopied := copied[h]
				uncopied[h] = ch && !isCopied
			}
			if !planHolds(side.parents, uncopied)(c) {
				released = append(released, t.Name)
				twins = append(twins, planTwins(c, side.parents, twin)...)
				twins = slices.AppendSeq(twins, maps.Keys(copies))
			}
		}
	}
	return released, twins, nil
}

// planNoneReleased reports whether planReleasedTags would find no tag of
// cands released, from facts cheaper than the commits of every candidate
// and the patches of three: false means it does not know. It knows when
// each candidate's own commit is a change (planSide.plain, with a tree
// HEAD has not had), so that each tag holds a change, and no tree makes it
// a squash; the prereleases are then not released, nor the stable tags
// past the planMaxCopies that planCherry compares; and each of those has
// a change without a copy in HEAD. A commit has no copy when it changes
// nothing (an empty commit is no copy) or when no commit of HEAD's side
// changes the same set of paths (git's patch ids cover the paths of the
// diff, so two commits with the same patch change the same paths): one
// `git log --raw` of TAG...HEAD says, with no patch read.
func planNoneReleased(ctx context.Context, repo *git.Repo, cands []version.Tag, commitOf map[string]string, prefix, head string,
	rules version.Rules, re *regexp.Regexp) (bool, error) {
	var stdin strings.Builder
	for _, t := range cands {
		stdin.WriteString(commitOf[t.Name] + "\n")
	}
	// HEAD's trees are read while the candidates' commits are: two git
	// runs side by side; the trees go unused when a candidate is no change.
	var headTrees map[string]string
	var treesErr error
	treesCtx, stopTrees := context.WithCancel(ctx)
	defer stopTrees()
	trees := make(chan struct{})
	go func() {
		defer close(trees)
		headTrees, treesErr = planHeadTrees(treesCtx, repo, cands, commitOf, head)
	}()
	dropTrees := func() { stopTrees(); <-trees }
	out, err := repo.RunInput(ctx, []byte(stdin.String()), "log", "--no-walk=unsorted", "--stdin", "-z", "--format="+planTreeFormat)
	if err != nil {
		dropTrees()
		return false, fmt.Errorf("reading the commits of tags HEAD does not reach: %w", err)
	}
	tagTrees := map[string]string{}
	for _, rec := range strings.Split(string(out), "\x00") {
		c, tree, ok := planTreeCommit(rec)
		if !ok {
			continue
		}
		if !planPlain(c, re, prefix, rules) {
			dropTrees()
			return false, nil
		}
		tagTrees[c.Hash] = tree
	}
	<-trees
	if treesErr != nil {
		return false, treesErr
	}
	for _, t := range cands {
		if tree, ok := tagTrees[commitOf[t.Name]]; !ok || headTrees[tree] != "" {
			return false, nil
		}
	}
	// One `git log` per stable candidate (at most planMaxCopies), run side
	// by side: each walks its tag's branch and HEAD's since they forked.
	var stable []version.Tag
	for _, t := range cands {
		if t.Version.Prerelease() == "" && len(stable) < planMaxCopies {
			stable = append(stable, t)
		}
	}
	uncopied := make([]bool, len(stable))
	// All at once (planMaxCopies at most): on fewer cores they share
	// them, which ends sooner than a round of two and then one.
	g, gctx := errgroup.WithContext(ctx)
	for i, t := range stable {
		g.Go(func() error {
			var err error
			uncopied[i], err = planUncopied(gctx, repo, commitOf[t.Name], head, headTrees, re, prefix, rules)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return false, err
	}
	return !slices.Contains(uncopied, false), nil
}

// planTreeFormat is the `git log` format planTreeCommit reads: a commit's
// hash, tree, parents and message, one per line.
const planTreeFormat = "%H%n%T%n%P%n%B"

// planTreeCommit reads one record of planTreeFormat: the commit and its
// tree; false when rec is not one.
func planTreeCommit(rec string) (c *git.Commit, tree string, ok bool) {
	f := strings.SplitN(rec, "\n", 4)
	if len(f) < 4 {
		return nil, "", false
	}
	return &git.Commit{Hash: f[0], Parents: strings.Fields(f[2]), Message: f[3]}, f[1], true
}

// planPlain reports whether c is neither a merge nor a release commit (re,
// the release commit template's, or rules.ReleaseCommit).
func planPlain(c *git.Commit, re *regexp.Regexp, prefix string, rules version.Rules) bool {
	if c.IsMerge() {
		return false
	}
	tag, _ := planReleaseTag(c, re, prefix)
	return tag == "" && (rules.ReleaseCommit == nil || !rules.ReleaseCommit.MatchString(cutFirstLine(c.Message)))
}

// planHeadTrees returns the trees HEAD has had since the candidates: tree
// → HEAD's newest commit with it (`git log HEAD --not TAGS`).
func planHeadTrees(ctx context.Context, repo *git.Repo, cands []version.Tag, commitOf map[string]string, head string) (map[string]string, error) {
	var stdin strings.Builder
	stdin.WriteString(head + "\n")
	for _, t := range cands {
		stdin.WriteString("^" + commitOf[t.Name] + "\n")
	}
	out, err := repo.RunInput(ctx, []byte(stdin.String()), "log", "--format=%T %H", "--stdin")
	if err != nil {
		return nil, fmt.Errorf("reading the trees of HEAD: %w", err)
	}
	headTrees := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if tree, hash, ok := strings.Cut(line, " "); ok && headTrees[tree] == "" {
			headTrees[tree] = hash
		}
	}
	return headTrees, nil
}

// planUncopied reports whether the tag at commit tag has a change (a
// plain commit whose tree HEAD has not had, see planReleasedTags) that
// `git log --cherry-mark TAG...HEAD` would find no copy of: it changes
// nothing, or no commit of HEAD's side changes the same paths. False
// means it does not know.
func planUncopied(ctx context.Context, repo *git.Repo, tag, head string, headTrees map[string]string, re *regexp.Regexp, prefix string, rules version.Rules) (bool, error) {
	out, err := repo.Run(ctx, "log", "--left-right", "--no-merges", "--no-renames", "--raw", "-z",
		"--format=%x01%m"+planTreeFormat, "--end-of-options", tag+"..."+head, "--")
	if err != nil {
		return false, fmt.Errorf("reading the paths the commits of %s change: %w", cutShort(tag), err)
	}
	type side struct {
		commit *git.Commit
		tree   string
		left   bool
		paths  []string
	}
	var commits []*side
	expectPath := false
	for tok := range strings.SplitSeq(string(out), "\x00") {
		if expectPath {
			commits[len(commits)-1].paths = append(commits[len(commits)-1].paths, tok)
			expectPath = false
			continue
		}
		tok = strings.TrimPrefix(tok, "\n") // before a commit's first raw line
		switch {
		case strings.HasPrefix(tok, ":") && len(commits) > 0:
			expectPath = true
		case strings.HasPrefix(tok, "\x01") && len(tok) > 2:
			c, tree, ok := planTreeCommit(tok[2:])
			if !ok {
				return false, nil
			}
			commits = append(commits, &side{commit: c, tree: tree, left: tok[1] == '<'})
		case tok == "":
		default:
			return false, nil // not the output expected: do not guess
		}
	}
	key := func(s *side) string {
		slices.Sort(s.paths)
		return strings.Join(s.paths, "\x00")
	}
	changed := map[string]bool{} // the path sets HEAD's side changes
	for _, s := range commits {
		if !s.left {
			changed[key(s)] = true
		}
	}
	for _, s := range commits {
		if !s.left || len(s.commit.Parents) != 1 || headTrees[s.tree] != "" || !planPlain(s.commit, re, prefix, rules) {
			continue
		}
		if len(s.paths) == 0 || !changed[key(s)] {
			return true, nil
		}
	}
	return false, nil
}

// planTwins returns the commits of HEAD whose trees the commits of tag
// (and their ancestors that HEAD lacks) have: twin gives each, or "".
func planTwins(tag string, parents map[string][]string, twin func(string) string) []string {
	var out []string
	seen := map[string]bool{}
	for stack := []string{tag}; len(stack) > 0; {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		if t := twin(h); t != "" {
			out = append(out, t)
		}
		for _, p := range parents[h] {
			if _, in := parents[p]; in {
				stack = append(stack, p)
			}
		}
	}
	return out
}

// planParentTrees returns the tree of the first parent of each commit of
// side whose tree is one HEAD has had: from side, or from one `git
// rev-parse` for parents HEAD reaches.
func planParentTrees(ctx context.Context, repo *git.Repo, side planSide, headTrees map[string]string) (map[string]string, error) {
	out := map[string]string{}
	var ask, of []string
	for h, t := range side.tree {
		ps := side.parents[h]
		if headTrees[t] == "" || len(ps) == 0 {
			continue
		}
		if pt, ok := side.tree[ps[0]]; ok {
			out[h] = pt
			continue
		}
		ask, of = append(ask, ps[0]+"^{tree}"), append(of, h)
	}
	if len(ask) == 0 {
		return out, nil
	}
	res, err := repo.Run(ctx, append([]string{"rev-parse"}, ask...)...) // full hashes: never an option
	if err != nil {
		return nil, fmt.Errorf("reading the trees of parents: %w", err)
	}
	trees := strings.Fields(string(res))
	if len(trees) != len(ask) {
		return nil, fmt.Errorf("reading the trees of parents: %d trees for %d commits", len(trees), len(ask))
	}
	for i, h := range of {
		out[h] = trees[i]
	}
	return out, nil
}

// planCherry compares the patches of the commits of tag that head lacks
// with those of the commits of head that tag lacks (`git log
// --cherry-mark`): copied are the former with a copy among the latter,
// copies those copies, each with its header. Empty commits are no copies:
// git finds every two of them equivalent. side are the commits of tag that
// head lacks.
func planCherry(ctx context.Context, repo *git.Repo, tag, head string, side map[string][]string) (copied, copies map[string]string, err error) {
	out, err := repo.Run(ctx, "log", "--cherry-mark", "--no-merges", "--format=%x01%m%H %s", "--shortstat", "--end-of-options", tag+"..."+head, "--")
	if err != nil {
		return nil, nil, fmt.Errorf("comparing the patches of %s with HEAD's: %w", cutShort(tag), err)
	}
	copied, copies = map[string]string{}, map[string]string{}
	for _, rec := range strings.Split(string(out), "\x01") {
		line, stat, _ := strings.Cut(rec, "\n")
		if len(line) < 2 || line[0] != '=' || strings.TrimSpace(stat) == "" {
			continue
		}
		h, header, _ := strings.Cut(line[1:], " ")
		if side[h] != nil {
			copied[h] = header
		} else {
			copies[h] = header
		}
	}
	return copied, copies, nil
}

// planHolds returns whether a commit of the graph parents (commit →
// parents, the commits HEAD lacks; parents outside it are HEAD's) has a
// change among itself and its ancestors in the graph. Each commit is
// visited once over all calls, without recursion (histories are deep).
func planHolds(parents map[string][]string, change map[string]bool) func(string) bool {
	memo := make(map[string]bool, len(parents))
	type frame struct {
		hash string
		next int
	}
	return func(start string) bool {
		stack := []frame{{hash: start}}
		for len(stack) > 0 {
			top := len(stack) - 1
			h := stack[top].hash
			if _, done := memo[h]; done {
				stack = stack[:top]
				continue
			}
			if change[h] {
				memo[h] = true
				stack = stack[:top]
				continue
			}
			pushed := false
			ps := parents[h]
			for stack[top].next < len(ps) {
				p := ps[stack[top].next]
				if _, in := parents[p]; !in {
					stack[top].next++
					continue
				}
				held, done := memo[p]
				if !done {
					stack = append(stack, frame{hash: p})
					pushed = true
					break
				}
				stack[top].next++
				if held {
					memo[h] = true
					break
				}
			}
			if pushed {
				continue
			}
			if _, done := memo[h]; !done {
				memo[h] = false
			}
			stack = stack[:top]
		}
		return memo[start]
	}
}

// planUntagged returns the newest release commit of pc (re, the release
// commit template's pattern) for a version above since whose tag does not
// exist: a release whose tag push failed, with commits landed after it.
func planUntagged(pc planCommits, re *regexp.Regexp, prefix string, exists func(tag string) bool, since *semver.Version) *PlanRelease {
	for _, c := range pc.git {
		tag, v := planReleaseTag(c, re, prefix)
		if tag == "" || exists(tag) || since != nil && !v.GreaterThan(since) {
			continue
		}
		return &PlanRelease{Commit: c.Hash, Tag: tag, Version: v}
	}
	return nil
}

// planUntaggedFix is the command that tags an untagged release commit and
// pushes the tag, as a release would have.
func planUntaggedFix(u *PlanRelease, remote string) string {
	if remote == "" {
		remote = config.DefaultRemote
	}
	return fmt.Sprintf("git tag -a -m \"Release %s\" %s %s && git push %s %s", u.Tag, u.Tag, cutShort(u.Commit), remote, u.Tag)
}

// planUntaggedWarning says what an untagged release commit means for the
// plan, and the fix.
func planUntaggedWarning(u *PlanRelease, remote string) string {
	return fmt.Sprintf("%s is the release commit of %s, but tag %s does not exist (its push failed?): its commits are counted again and `shipflow release` refuses until it is tagged; tag it: %s",
		cutShort(u.Commit), u.Tag, u.Tag, planUntaggedFix(u, remote))
}

// planSince returns the highest version of reach, the tags reachable and
// released (version.SubsetTags), stable or prerelease; nil when there is
// none.
func planSince(reach []version.Tag) *semver.Version {
	tags := reach
	if len(tags) == 0 {
		return nil
	}
	return tags[0].Version
}

// planGoModule returns why the release of v as tag from the commit rev
// breaks the Go module in dir ("." for the repository's root, a
// package's directory in a monorepo): v2 and up must be in a module whose
// path ends in /vN (go.dev/ref/mod#major-version-suffixes). It returns ""
// when there is no go.mod, v is below 2.0.0 or the path is right.
// `shipflow release` refuses with this message; Plan warns with it.
func planGoModule(ctx context.Context, repo *git.Repo, rev, dir string, v *semver.Version, tag string) (string, error) {
	if v == nil || v.Major() < 2 {
		return "", nil
	}
	// --batch answers "<rev>:go.mod missing" for a commit without one.
	name := pathJoinSlash(dir, "go.mod")
	bodies, err := repo.ReadObjects(ctx, []string{rev + ":" + name})
	if err != nil {
		return "", fmt.Errorf("reading %s at %s: %w", name, cutShort(rev), err)
	}
	return goModuleWarning(bodies[0], v, tag), nil
}
