package release

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/version"
)

// The commit selection: `next` and `changelog` read the same commits of a
// range. Plan gives version.Next the commits selectCommits keeps, and the
// changelog lists the same ones, so a change is counted exactly when it is
// listed. A commit is left out when:
//
//   - it is a release commit (version.release-commit);
//   - it is a promotion merge, a merge of the integration branch
//     (branches.integration, dev) into another one (main): the merge is
//     transparent, the commits it brings in count on their own, whatever
//     its title ("chore: release sprint 12" would otherwise stand for, and
//     hide, the whole sprint);
//   - a merge whose message is a Conventional Commit (a GitHub merge whose
//     body is the pull request's title, "Merge pull request #12 from o/b"
//     then "feat: x") brought it in: the merge stands for it;
//   - it is a second commit of one pull request ("(#12)");
//   - it has the patch of another commit of the range with the same header
//     (`git patch-id --stable`: a cherry-pick), or a promotion merge brings
//     it in while the branch it is merged into has its patch already (a fix
//     cherry-picked to a hotfix branch, released there, and promoted again
//     with dev).
//
// A commit and its revert both in the range are left to version.Next and
// the changelog, which cancel them the same way.

// selected is one commit of a range as the selection sees it.
type selected struct {
	commit *git.Commit
	// parsed is the message that counts: a GitHub merge's pull request
	// title when it is a Conventional Commit, else the commit's own.
	parsed *commitlint.Commit
	// pr is the pull request the commit came from; 0 when unknown.
	pr int
	// dropped says why the commit does not count ("brought in by merge
	// abc1234 (feat: x)"); "" when it counts.
	dropped string
	// duplicate is true when the commit is dropped as a change listed
	// another way (a merge stands for it, one pull request or one patch
	// twice), not as a release commit or a promotion merge.
	duplicate bool
}

// selectRules are the settings of a selection.
type selectRules struct {
	// integration is the integration branch: a merge of it into another
	// branch is a promotion. "" recognises none.
	integration string
	// remote is the remote whose tracking branch of integration is read
	// too (a CI checkout has no local dev).
	remote string
	// releaseCommit matches the headers of release commits; nil: none.
	releaseCommit *regexp.Regexp
	// patches compares the patches of commits that may be copies of one
	// another (cherry-picks): one git run for the commits sharing a
	// header, plus one per promotion merge. Without it only pull requests
	// and merges find duplicates.
	patches bool
}

// selectionRules are the selection settings of o under rules: the
// integration branch and remote of o (defaults config.DefaultIntegrationBranch
// and config.DefaultRemote), rules' release commits, patch ids compared.
func (o PlanOptions) selectionRules(rules version.Rules) selectRules {
	return selectRules{
		integration:   cmp.Or(o.Integration, config.DefaultIntegrationBranch),
		remote:        cmp.Or(o.Remote, config.DefaultRemote),
		releaseCommit: rules.ReleaseCommit,
		patches:       true,
	}
}

// selectCommits selects the commits that count among commits (newest
// first, every parent followed, as `git log A..B` lists them) and their
// parsed messages (nil entries are parsed here). It asks git only what the
// messages cannot say: the integration branch's first-parent line when the
// range has merges, and patch ids when rules.patches.
func selectCommits(ctx context.Context, repo *git.Repo, commits []*git.Commit, parsed []*commitlint.Commit, rules selectRules) ([]selected, error) {
	r := newSelectRange(commits, parsed)
	facts, err := r.read(ctx, repo, rules)
	if err != nil {
		return nil, err
	}
	return r.decide(rules, facts), nil
}

// selectRange is a range being selected: its commits with the messages
// that count, their pull requests and positions.
type selectRange struct {
	commits []*git.Commit
	msgs    []*commitlint.Commit
	headers []string // the commits' own headers (a GitHub merge's "Merge pull request ...")
	prs     []int
	index   map[string]int
}

// selectFacts are what git says about a range beyond its messages.
type selectFacts struct {
	// line holds the commits of the range on the integration branch's
	// first-parent line.
	line map[string]bool
	// patchIDs maps commits that share a header with another to their
	// stable patch id.
	patchIDs map[string]string
	// copied maps a commit a promotion merge brings in to the merge, when
	// the branch it is merged into has its patch already.
	copied map[string]string
}

// selectGitHubMergeRE is GitHub's merge commit header: the pull request
// and its head branch (after the owner).
var selectGitHubMergeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^Merge pull request #([0-9]+) from [^\s/]+/(\S+)`) })

// selectBranchMergeRE is git's and GitLab's merge header ("Merge branch
// 'dev'", "Merge branch 'dev' into 'main'", "Merge remote-tracking branch
// 'origin/dev'"); selectBitbucketMergeRE is Bitbucket's ("Merged in dev
// (pull request #13)").
var (
	selectBranchMergeRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^Merge (remote-tracking )?branch '([^']+)'`) })
	selectBitbucketMergeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^Merged in (\S+) \(pull request #[0-9]+\)`) })
)

// newSelectRange reads the messages of commits: a GitHub merge counts as
// its pull request, titled by its body when that is a Conventional Commit.
func newSelectRange(commits []*git.Commit, parsed []*commitlint.Commit) *selectRange {
	n := len(commits)
	r := &selectRange{commits: commits, msgs: make([]*commitlint.Commit, n), headers: make([]string, n), prs: make([]int, n), index: make(map[string]int, n)}
	for i, c := range commits {
		r.index[c.Hash] = i
		msg := parsed[i]
		if msg == nil {
			msg = commitlint.Parse(c.Message)
		}
		r.msgs[i], r.headers[i] = msg, msg.Header
		m := selectGitHubMergeRE().FindStringSubmatch(msg.Header)
		if m == nil {
			r.prs[i] = changelog.PullRequest(msg.Header)
			continue
		}
		r.prs[i], _ = strconv.Atoi(m[1])
		// GitHub puts the pull request's title in the merge's body; a
		// title such as "fix: x (#3)" may have been read as a footer.
		if title := commitlint.Parse(strings.TrimSpace(msg.Body + notesFooterText(msg))); title.Type != "" {
			r.msgs[i] = title
		}
	}
	return r
}

// namesIntegration reports whether a merge header names the integration
// branch as the branch merged.
func (rules selectRules) namesIntegration(header string) bool {
	if rules.integration == "" {
		return false
	}
	if m := selectGitHubMergeRE().FindStringSubmatch(header); m != nil {
		return m[2] == rules.integration
	}
	if m := selectBranchMergeRE().FindStringSubmatch(header); m != nil {
		name := m[2]
		if m[1] != "" { // remote-tracking: "origin/dev"
			_, name, _ = strings.Cut(name, "/")
		}
		return name == rules.integration
	}
	if m := selectBitbucketMergeRE().FindStringSubmatch(header); m != nil {
		return m[1] == rules.integration
	}
	return false
}

// promotion reports whether commit i is a promotion merge: its message
// names the integration branch, or its second parent is on that branch's
// first-parent line. (Merely reachable from the branch would take feature
// merges into dev for promotions too: dev reaches their feature tips.)
func (r *selectRange) promotion(i int, rules selectRules, line map[string]bool) bool {
	c := r.commits[i]
	return c.IsMerge() && (rules.namesIntegration(r.headers[i]) || line[c.Parents[1]])
}

// read asks git what the selection of r needs under rules.
func (r *selectRange) read(ctx context.Context, repo *git.Repo, rules selectRules) (selectFacts, error) {
	var facts selectFacts
	var err error
	if facts.line, err = r.readLine(ctx, repo, rules); err != nil {
		return facts, err
	}
	if !rules.patches {
		return facts, nil
	}
	if facts.patchIDs, err = r.readPatchIDs(ctx, repo); err != nil {
		return facts, err
	}
	for i, c := range r.commits {
		if !r.promotion(i, rules, facts.line) {
			continue
		}
		copies, err := selectCopies(ctx, repo, c)
		if err != nil {
			return facts, err
		}
		for _, h := range copies {
			if facts.copied == nil {
				facts.copied = map[string]string{}
			}
			facts.copied[h] = c.Hash
		}
	}
	return facts, nil
}

// readLine returns the commits of r on the first-parent line of the
// integration branch (its local branch and its remote's tracking branch,
// whichever exist), with one `git rev-list` that stops at the range's
// start. It asks nothing when r has no merge that its message does not
// already name a promotion.
func (r *selectRange) readLine(ctx context.Context, repo *git.Repo, rules selectRules) (map[string]bool, error) {
	if rules.integration == "" || strings.HasPrefix(rules.integration, "-") || strings.HasPrefix(rules.remote, "-") {
		return nil, nil
	}
	ask := false
	var boundary []string
	seen := map[string]bool{}
	for i, c := range r.commits {
		if c.IsMerge() && !rules.namesIntegration(r.headers[i]) {
			ask = true
		}
		for _, p := range c.Parents {
			if _, in := r.index[p]; !in && !seen[p] {
				seen[p] = true
				boundary = append(boundary, "^"+p)
			}
		}
	}
	if !ask {
		return nil, nil
	}
	// --ignore-missing: either ref may be absent; no option follows the
	// refs, which start with "refs/" or "^" and a hash.
	args := append([]string{"rev-list", "--ignore-missing", "--first-parent",
		"refs/heads/" + rules.integration, "refs/remotes/" + rules.remote + "/" + rules.integration}, boundary...)
	out, err := repo.Run(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the first-parent line of %q: %w", rules.integration, err)
	}
	line := map[string]bool{}
	for h := range strings.FieldsSeq(string(out)) {
		if _, in := r.index[h]; in {
			line[h] = true
		}
	}
	return line, nil
}

// readPatchIDs returns the stable patch ids of the non-merge commits of r
// whose Conventional header another one shares (a cherry-pick keeps its
// message), with one `git log -p` of just those.
func (r *selectRange) readPatchIDs(ctx context.Context, repo *git.Repo) (map[string]string, error) {
	byHeader := map[string][]string{}
	for i, c := range r.commits {
		if !c.IsMerge() && r.msgs[i].Type != "" {
			byHeader[r.headers[i]] = append(byHeader[r.headers[i]], c.Hash)
		}
	}
	var stdin strings.Builder
	for _, hashes := range byHeader {
		if len(hashes) > 1 {
			for _, h := range hashes {
				stdin.WriteString(h + "\n")
			}
		}
	}
	if stdin.Len() == 0 {
		return nil, nil
	}
	patches, err := repo.RunInput(ctx, []byte(stdin.String()), "-c", "log.showSignature=false", "log", "--no-walk=unsorted", "--stdin", "-p", "--no-color", "--format=commit %H")
	if err != nil {
		return nil, fmt.Errorf("computing patch ids: %w", err)
	}
	out, err := repo.RunInput(ctx, patches, "patch-id", "--stable")
	if err != nil {
		return nil, fmt.Errorf("computing patch ids: %w", err)
	}
	ids := map[string]string{}
	for line := range strings.SplitSeq(string(out), "\n") {
		if id, hash, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			ids[hash] = id
		}
	}
	return ids, nil
}

// selectCopies returns the commits merge brings in whose patch the branch
// it is merged into has already (`git rev-list --cherry-mark`): a fix
// cherry-picked from dev to a hotfix branch and released from main comes
// back with dev's promotion.
func selectCopies(ctx context.Context, repo *git.Repo, merge *git.Commit) ([]string, error) {
	out, err := repo.Run(ctx, "rev-list", "--cherry-mark", "--right-only", "--no-merges", merge.Parents[0]+"..."+merge.Parents[1])
	if err != nil {
		return nil, fmt.Errorf("comparing the patches merge %s brings in: %w", merge.Short(), err)
	}
	var copies []string
	for f := range strings.FieldsSeq(string(out)) {
		if h, ok := strings.CutPrefix(f, "="); ok {
			copies = append(copies, h)
		}
	}
	return copies, nil
}

// decide selects the commits of r under rules and facts, in r's order.
func (r *selectRange) decide(rules selectRules, facts selectFacts) []selected {
	n := len(r.commits)
	drop := make([]string, n)
	skipped := make([]bool, n) // dropped, but no duplicate
	hasMerge := false
	for i, c := range r.commits {
		switch {
		case rules.releaseCommit != nil && rules.releaseCommit.MatchString(r.headers[i]):
			drop[i], skipped[i] = "release commit, ignored", true
		case r.promotion(i, rules, facts.line):
			drop[i], skipped[i] = fmt.Sprintf("promotion merge of %s: the commits it brings in count, not the merge", rules.integration), true
		case c.IsMerge():
			hasMerge = true
		}
	}
	if hasMerge {
		r.dropBroughtIn(drop)
	}
	for i, c := range r.commits {
		if m, ok := facts.copied[c.Hash]; ok && drop[i] == "" {
			drop[i] = fmt.Sprintf("same patch as a commit on the first-parent side of promotion merge %.7s (cherry-pick)", m)
		}
	}
	// One pull request, one patch: the newest commit stays.
	firstPR := map[int]int{}
	firstPatch := map[string]int{}
	for i, c := range r.commits {
		if drop[i] != "" || r.msgs[i].Type == "" {
			continue
		}
		if pr := r.prs[i]; pr > 0 {
			if k, ok := firstPR[pr]; ok {
				drop[i] = fmt.Sprintf("same pull request #%d as %s", pr, r.commits[k].Short())
				continue
			}
			firstPR[pr] = i
		}
		if id := facts.patchIDs[c.Hash]; id != "" {
			if k, ok := firstPatch[id]; ok {
				drop[i] = fmt.Sprintf("same patch as %s (cherry-pick)", r.commits[k].Short())
				continue
			}
			firstPatch[id] = i
		}
	}
	out := make([]selected, n)
	for i, c := range r.commits {
		out[i] = selected{commit: c, parsed: r.msgs[i], pr: r.prs[i], dropped: drop[i], duplicate: drop[i] != "" && !skipped[i]}
	}
	return out
}

// dropBroughtIn marks, for every merge that stands for its commits (a
// Conventional message, not dropped already), the commits it brought in:
// those of the range its second parents reach and its first parent does
// not, as `git log M^1..M` lists them. A merge brought in by another is
// left out with its commits: the outer one stands for both.
func (r *selectRange) dropBroughtIn(drop []string) {
	type merge struct {
		i      int
		brings map[int]bool
	}
	var merges []merge
	for i, c := range r.commits {
		if !c.IsMerge() || r.msgs[i].Type == "" || drop[i] != "" {
			continue
		}
		base := r.reach(c.Parents[:1], nil)
		if brings := r.reach(c.Parents[1:], base); len(brings) > 0 {
			merges = append(merges, merge{i, brings})
		}
	}
	// Outer merges first: an outer merge brings in more than any merge
	// it brings in.
	slices.SortStableFunc(merges, func(a, b merge) int { return len(b.brings) - len(a.brings) })
	for _, m := range merges {
		if drop[m.i] != "" {
			continue
		}
		for j := range m.brings {
			if drop[j] == "" {
				drop[j] = fmt.Sprintf("brought in by merge %s (%s)", r.commits[m.i].Short(), r.msgs[m.i].Header)
			}
		}
	}
}

// reach returns the positions of the range's commits reachable from tips
// within the range without passing through those of skip (nil: none).
func (r *selectRange) reach(tips []string, skip map[int]bool) map[int]bool {
	seen := map[int]bool{}
	var stack []int
	for _, h := range tips {
		if j, ok := r.index[h]; ok {
			stack = append(stack, j)
		}
	}
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[j] || skip[j] {
			continue
		}
		seen[j] = true
		for _, p := range r.commits[j].Parents {
			if k, ok := r.index[p]; ok && !seen[k] {
				stack = append(stack, k)
			}
		}
	}
	return seen
}

// planParsed returns the parsed messages of a plan's commits.
func planParsed(in []version.Commit) []*commitlint.Commit {
	parsed := make([]*commitlint.Commit, len(in))
	for i, c := range in {
		parsed[i] = c.Parsed
	}
	return parsed
}

// planCounted returns the commits of sel that count, as version.Next
// reads them.
func planCounted(sel []selected) []version.Commit {
	var in []version.Commit
	for _, s := range sel {
		if s.dropped == "" {
			in = append(in, version.Commit{Hash: s.commit.Hash, Merge: s.commit.IsMerge(), Parsed: s.parsed})
		}
	}
	return in
}

// planDecided returns every commit of sel with its decision: ds are
// version.Next's decisions for planCounted(sel), in order; a commit left
// out has no bump and its reason.
func planDecided(sel []selected, ds []version.Decision) []PlanCommit {
	out := make([]PlanCommit, len(sel))
	k := 0
	for i, s := range sel {
		pc := PlanCommit{Commit: s.commit, Parsed: s.parsed, Dropped: s.dropped, Reason: s.dropped}
		if s.dropped == "" && k < len(ds) {
			pc.Bump, pc.Reason = ds[k].Bump, ds[k].Reason
			k++
		}
		out[i] = pc
	}
	return out
}
