package release

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/version"
)

// notesVersionTags lists the version tags reachable from rev (all tags
// when rev is "") with one `git for-each-ref`, prereleases included,
// oldest version first, and the set of versions tagged. The date is the
// tagger's for annotated tags and the committer's for lightweight ones.
// A tag's commit is peeled through every level of tag, as git peels it
// (and as Plan does): for the rare tag of a tag, for-each-ref's
// %(*objectname) stops one level down, and `git show-ref -d` says the rest.
func notesVersionTags(ctx context.Context, repo *git.Repo, prefix, rev string) ([]notesTag, map[string]bool, error) {
	args := []string{"for-each-ref", "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(creatordate:iso-strict)%00%(*objecttype)"}
	if rev != "" {
		args = append(args, "--merged", rev)
	}
	out, err := repo.Run(ctx, append(args, "refs/tags")...)
	if err != nil {
		return nil, nil, fmt.Errorf("listing tags: %w", err)
	}
	var names []string
	fields := map[string][]string{}
	nested := false
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 5 {
			continue
		}
		names = append(names, f[0])
		fields[f[0]] = f
		nested = nested || f[4] == "tag"
	}
	var peeled map[string]string
	if nested {
		refs, err := repo.ListTags(ctx)
		if err != nil {
			return nil, nil, err
		}
		peeled = make(map[string]string, len(refs))
		for _, r := range refs {
			peeled[r.Name] = r.Target()
		}
	}
	parsed, _ := version.ParseTags(names, prefix)
	var tags []notesTag
	tagged := map[string]bool{}
	for _, t := range parsed {
		tagged[t.Version.String()] = true
		f := fields[t.Name]
		commit := f[2] // the tagged commit of an annotated tag
		switch {
		case f[4] == "tag" && peeled[t.Name] != "":
			commit = peeled[t.Name] // a tag of a tag
		case commit == "":
			commit = f[1]
		}
		date, _ := time.Parse(time.RFC3339, f[3])
		tags = append(tags, notesTag{name: t.Name, version: t.Version, commit: commit, date: date})
	}
	slices.SortFunc(tags, func(a, b notesTag) int { return a.version.Compare(b.version) })
	return tags, tagged, nil
}

// rebuildVersionTags lists every version tag for a rebuild, oldest
// version first, and the set of versions tagged, as notesVersionTags does
// for all tags, without reading a commit: `git show-ref` names the tags
// and their objects, and one `git cat-file --batch` reads the annotated
// ones' (their tagger's date; their commit is show-ref's fully peeled
// target, as notesVersionTags peels it). A lightweight tag's date is its commit's
// committer date, which the rebuild's log reads anyway (notesTag.light);
// for-each-ref's %(creatordate) would read every tagged commit first
// (0.2 s of renovate's 12k tags) before the log could start.
func rebuildVersionTags(ctx context.Context, repo *git.Repo, prefix string) ([]notesTag, map[string]bool, error) {
	p := version.TagParser{Prefix: prefix} // parses while git lists
	refs, err := repo.ListTagsEach(ctx, p.Add)
	if err != nil {
		return nil, nil, err
	}
	byName := make(map[string]git.TagRef, len(refs))
	for _, r := range refs {
		byName[r.Name] = r
	}
	parsed, _ := p.Sorted()
	tags := make([]notesTag, len(parsed))
	tagged := make(map[string]bool, len(parsed))
	var annotated []int
	var oids []string
	for i, t := range parsed {
		tagged[t.Version.String()] = true
		r := byName[t.Name]
		tags[i] = notesTag{name: t.Name, version: t.Version, commit: r.Target(), light: r.Peeled == ""}
		if r.Peeled != "" {
			annotated, oids = append(annotated, i), append(oids, r.Object)
		}
	}
	objs, err := repo.ReadTagObjects(ctx, oids)
	if err != nil {
		return nil, nil, fmt.Errorf("listing tags: %w", err)
	}
	for j, i := range annotated {
		tags[i].date = objs[j].Date
	}
	slices.SortFunc(tags, func(a, b notesTag) int { return a.version.Compare(b.version) })
	return tags, tagged, nil
}

// notesFold returns the tags of a rebuild that get a section, oldest
// version first, from tags (the version tags HEAD reaches, oldest first),
// and remap, which maps the section of a commit in tags (1 + the tag's
// index; 0 for next, the version written for the commits since the last
// tag) to its section in the tags returned.
//
// Every tag gets its section, unless fold (changelog.prereleases: fold):
// then a prerelease tag with a stable version above it (a stable tag, or
// next when it is stable) gets none, and the commits its section would
// list go to the section of the lowest stable version above it, whether
// or not that tag contains them (a squashed promotion does not). So a
// stable section lists every commit since the previous stable tag. A
// prerelease with no stable version above it keeps its section: folding
// it into nothing would leave its commits out until the stable release.
func notesFold(tags []notesTag, next *semver.Version, fold bool) ([]notesTag, []int) {
	remap := make([]int, len(tags)+1)
	for i := range remap {
		remap[i] = i
	}
	if !fold {
		return tags, remap
	}
	var top *semver.Version // the highest stable version written
	if next != nil && next.Prerelease() == "" {
		top = next
	}
	for _, t := range tags {
		if t.version.Prerelease() == "" && (top == nil || top.LessThan(t.version)) {
			top = t.version
		}
	}
	folded := func(t notesTag) bool {
		return t.version.Prerelease() != "" && top != nil && t.version.LessThan(top)
	}
	var kept []notesTag
	into := make([]int, len(tags)) // index in tags of the section listing tags[i]'s commits; -1 next
	for i := len(tags) - 1; i >= 0; i-- {
		switch {
		case !folded(tags[i]):
			into[i] = i
		case i+1 < len(tags) && tags[i+1].version.Prerelease() == "":
			into[i] = i + 1 // the stable version right above
		case i+1 < len(tags):
			into[i] = into[i+1] // a folded prerelease: the same stable version
		default:
			into[i] = -1 // next
		}
	}
	at := make([]int, len(tags)) // index in kept of tags[i], when kept
	for i, t := range tags {
		if into[i] == i {
			at[i] = len(kept)
			kept = append(kept, t)
		}
	}
	for i := range tags {
		if into[i] >= 0 {
			remap[i+1] = at[into[i]] + 1
		} else {
			remap[i+1] = 0
		}
	}
	return kept, remap
}

// notesRebuild regenerates every section from one streamed `git log` of
// all history: each commit belongs to the section of the oldest version
// tag that contains it (among the version tags HEAD reaches, prereleases
// too), and a section is selected and rendered as soon as the stream has
// passed all of its commits, so that memory holds the open sections, not
// history (see rebuildStream). With changelog.prereleases: fold, or when
// the order of the log defeats the stream, it holds all of history
// instead (notesRebuildWhole): the answer is the same.
func notesRebuild(ctx context.Context, repo *git.Repo, opts ChangelogOptions, doc []byte, marker string, now func() time.Time, copts []changelog.Option, rep *ChangelogReport) ([]byte, error) {
	rules, prefix, err := opts.Plan.rules()
	if err != nil {
		return nil, err
	}
	fold, err := opts.Config.FoldPrereleases()
	if err != nil {
		return nil, err
	}
	// All tags: `--merged HEAD` would walk history a second time; the
	// tags reachable from HEAD are those whose commit the log reads.
	tags, tagged, err := rebuildVersionTags(ctx, repo, prefix)
	if err != nil {
		return nil, err
	}
	var next *semver.Version
	if opts.Version != "" {
		if next, err = semver.StrictNewVersion(strings.TrimPrefix(opts.Version, "v")); err != nil {
			return nil, fmt.Errorf("version %q is not a semantic version: %w", opts.Version, err)
		}
	}
	if fold {
		// Folding moves a prerelease's commits into a section chosen
		// among the tags HEAD reaches: known only at the end.
		return notesRebuildWhole(ctx, repo, opts, doc, marker, now, copts, rep, tags, tagged)
	}
	selRules := opts.Plan.selectionRules(rules)
	selRules.patches = false
	s := newRebuildStream(repo, tags, selRules, copts, next != nil)
	streamed, err := s.run(ctx)
	if err != nil {
		return nil, err
	}
	if !streamed {
		return notesRebuildWhole(ctx, repo, opts, doc, marker, now, copts, rep, tags, tagged)
	}
	// The tags HEAD reaches, oldest version first, as owners.
	var reached []int32
	for k := int32(1); k < s.none; k++ {
		if s.seen[k] {
			reached = append(reached, k)
		}
	}
	if next != nil && len(reached) > 0 {
		last := tags[reached[len(reached)-1]-1]
		if !last.version.LessThan(next) {
			if !slices.ContainsFunc(reached, func(k int32) bool { return tags[k-1].version.Equal(next) }) {
				return nil, fmt.Errorf("version %s is not above the last tag %s", next, last.name)
			}
			next = nil // already tagged: its section comes from the tag
		}
	}
	if err := s.finish(ctx, reached, next, prefix, now()); err != nil {
		return nil, err
	}
	rep.Commits = s.count
	var versions []string
	var secs []*rebuildSection
	if next != nil {
		sec := s.sections[s.none]
		rep.Version, rep.Tag, rep.PreviousTag = next.String(), prefix+next.String(), sec.prev
		secs, versions = append(secs, sec), append(versions, next.String())
		rep.Dropped = append(rep.Dropped, sec.dropped...)
	}
	for i := len(reached) - 1; i >= 0; i-- {
		sec := s.sections[reached[i]]
		secs, versions = append(secs, sec), append(versions, tags[reached[i]-1].version.String())
		rep.Dropped = append(rep.Dropped, sec.dropped...)
	}
	section, sections := s.text(secs)
	if next == nil && len(reached) > 0 {
		t := tags[reached[len(reached)-1]-1]
		rep.Version, rep.Tag = t.version.String(), t.name
		if len(reached) > 1 {
			rep.PreviousTag = tags[reached[len(reached)-2]-1].name
		}
	}
	clear(s.sections) // the texts are in section now
	return notesRebuildDoc(doc, section, sections, versions, marker, prefix, tagged, opts.DryRun, rep), nil
}

// rebuildStream assigns the commits of a streamed `git log` (newest
// first) to sections and selects and renders each section once the
// stream has passed it.
//
// Owners are tag positions: 1 + the index in tags (oldest version first)
// of the oldest tag that reaches the commit, none for the commits no tag
// reaches (the next version's). A commit's owner is the lowest among its
// own tags and its children's owners. git log shows a commit after at
// least one of its children; pending holds, for each parent not shown
// yet, the lowest owner among its children shown so far, and waiting
// counts them per owner. A section k is complete when its tag has been
// shown and no pending commit waits with owner k: any later commit that
// tag reaches is reached through a pending one, whose owner is then lower.
//
// That holds when every commit comes after all of its children; with
// clock skew git log may show a parent first, a few commits earlier.
// emitted keeps the owners of the last rebuildWindow commits shown (by
// hash; recent holds their keys), so such a late child is noticed: when
// its owner is lower than its parent's, the parent and the commits it
// reaches move to the child's section (lower), which the stream can do
// while their sections are open; otherwise run reports that the stream
// cannot answer and the caller reads the history whole. A section found
// complete stays open for lag (rebuildLag) more commits, for such late
// children. A parent shown before the window makes a pending entry that
// no commit ever clears; run reports the same for any left at the end,
// so memory stays bounded and the answer exact.
type rebuildStream struct {
	repo     *git.Repo
	tags     []notesTag
	rules    selectRules
	copts    []changelog.Option
	keepNext bool // the commits of none get a section (ChangelogOptions.Version)

	none     int32
	tagAt    map[string][]int32 // commit hash -> owners of its tags
	pending  map[string]int32
	waiting  []int32
	seen     []bool // per owner: its tag's commit was shown
	emitted  map[[20]byte]int32
	recent   [][20]byte // a ring: the oldest at shown % rebuildWindow once full
	shown    int
	sections []*rebuildSection // per owner; nil until its tag is seen or a commit assigned
	count    int

	line     map[string]bool // selectFacts.line, read on first need
	lineRead bool

	// ready lists the sections found complete, in the order found, with
	// the count of commits read then.
	ready []rebuildReady
	lag   int

	// out holds the sections rendered while reading, separated by blank
	// lines, in the order rendered: newest first in a linear history,
	// where it is the whole text and nothing is copied at the end.
	out strings.Builder
}

// rebuildSection is one section of a rebuild: its commits while open,
// then what the selection keeps until it is rendered.
type rebuildSection struct {
	commits []*git.Commit
	parsed  []*commitlint.Commit
	seqs    []int // the commits' places in the log
	closed  bool
	listed  []changelog.Commit
	dropped []string
	// prev is the previous tag HEAD reaches; the rendered section is
	// text, or out[start:end] when inOut.
	prev       string
	text       string
	start, end int
	inOut      bool
	rendered   bool
}

// errRebuildOrder stops the stream when the log's order would give a
// commit to a section already complete.
var errRebuildOrder = errors.New("a commit came after its parent with a lower owner")

func newRebuildStream(repo *git.Repo, tags []notesTag, rules selectRules, copts []changelog.Option, keepNext bool) *rebuildStream {
	none := int32(len(tags) + 1)
	s := &rebuildStream{
		repo: repo, tags: tags, rules: rules, copts: copts, keepNext: keepNext,
		none:     none,
		tagAt:    make(map[string][]int32, len(tags)),
		pending:  map[string]int32{},
		waiting:  make([]int32, none+1),
		seen:     make([]bool, none+1),
		emitted:  make(map[[20]byte]int32, rebuildWindow),
		recent:   make([][20]byte, rebuildWindow),
		sections: make([]*rebuildSection, none+1),
		lag:      rebuildLag,
	}
	for i, t := range tags {
		s.tagAt[t.commit] = append(s.tagAt[t.commit], int32(i+1))
	}
	return s
}

// run reads the history. It returns false, and no error, when the order
// of the log defeats the stream (see rebuildStream).
func (s *rebuildStream) run(ctx context.Context) (bool, error) {
	for c, err := range s.repo.Log(ctx, git.LogOptions{}) {
		if err != nil {
			return false, fmt.Errorf("reading history: %w", err)
		}
		s.count++
		if err := s.add(ctx, c); err != nil {
			if errors.Is(err, errRebuildOrder) {
				return false, nil
			}
			return false, err
		}
	}
	// A parent shown before its child's window, or missing: its owner
	// is not known.
	if len(s.pending) > 0 {
		return false, nil
	}
	if err := s.closeReady(ctx, 0); err != nil {
		return false, err
	}
	return true, nil
}

// rebuildReady is a section found complete after at commits.
type rebuildReady struct {
	k  int32
	at int
}

// rebuildLag is how many commits a complete section stays open, so that
// a late child can still move commits out of it (lower).
const rebuildLag = 256

// rebuildWindow is how many of the last commits shown rebuildStream
// remembers: git log shows a parent before a child by clock skew a few
// commits apart (at most 22 in electron/electron's 31k commits).
const rebuildWindow = 1 << 14

// hashKey is the key of a hash in rebuildStream.emitted: its first 20
// bytes (all of a SHA-1; a SHA-256 cut to 160 bits).
func hashKey(h string) ([20]byte, bool) {
	var k [20]byte
	if len(h) < 40 {
		return k, false
	}
	_, err := hex.Decode(k[:], []byte(h[:40]))
	return k, err == nil
}

// remember records that the commit of key was shown with owner o,
// forgetting the oldest beyond rebuildWindow.
func (s *rebuildStream) remember(key [20]byte, o int32) {
	at := s.shown % rebuildWindow
	if s.shown >= rebuildWindow {
		delete(s.emitted, s.recent[at])
	}
	s.recent[at] = key
	s.shown++
	s.emitted[key] = o
}

// add takes the next commit of the stream.
func (s *rebuildStream) add(ctx context.Context, c *git.Commit) error {
	key, ok := hashKey(c.Hash)
	if !ok {
		return fmt.Errorf("reading history: commit %q is not a hash", c.Hash)
	}
	var touched [4]int32
	cands := touched[:0]
	o := s.none
	if v, ok := s.pending[c.Hash]; ok {
		delete(s.pending, c.Hash)
		s.waiting[v]--
		o = v
		cands = append(cands, v)
	}
	for _, k := range s.tagAt[c.Hash] {
		s.seen[k] = true
		if t := &s.tags[k-1]; t.light {
			t.date = c.CommitterDate
		}
		if s.sections[k] == nil {
			s.sections[k] = &rebuildSection{}
		}
		o = min(o, k)
		cands = append(cands, k)
	}
	if _, dup := s.emitted[key]; dup {
		return errRebuildOrder
	}
	s.remember(key, o)
	for _, p := range c.Parents {
		pk, ok := hashKey(p)
		if !ok {
			return fmt.Errorf("reading history: parent %q of %s is not a hash", p, c.Hash)
		}
		if po, shown := s.emitted[pk]; shown {
			if o < po {
				// A late child with a lower owner: the parent, and
				// what it reaches, move to the child's section.
				if err := s.lower(p, o, &cands); err != nil {
					return err
				}
			}
			continue
		}
		s.pend(p, o, &cands)
	}
	if o != s.none || s.keepNext {
		sec := s.sections[o]
		if sec == nil {
			sec = &rebuildSection{}
			s.sections[o] = sec
		}
		if sec.closed {
			return errRebuildOrder
		}
		sec.commits = append(sec.commits, c)
		sec.parsed = append(sec.parsed, commitlint.Parse(c.Message))
		sec.seqs = append(sec.seqs, s.count)
	}
	for _, k := range cands {
		if k != s.none && s.seen[k] && s.waiting[k] == 0 && !s.sections[k].closed {
			s.ready = append(s.ready, rebuildReady{k, s.count})
		}
	}
	for _, k := range s.tagAt[c.Hash] {
		// The section above may have waited for its previous tag.
		if k+1 < s.none && s.sections[k+1] != nil && s.sections[k+1].closed && !s.sections[k+1].rendered {
			if err := s.render(k + 1); err != nil {
				return err
			}
		}
	}
	// Close the sections complete for rebuildLag commits: a late child
	// may still move commits out of them until then.
	return s.closeReady(ctx, s.lag)
}

// pend records that parent p, not shown yet, has a child with owner o:
// its pending owner becomes the lowest of its children's, and the owner
// it leaves, which may now be complete, goes to cands.
func (s *rebuildStream) pend(p string, o int32, cands *[]int32) {
	v, ok := s.pending[p]
	switch {
	case !ok:
		s.pending[p] = o
		s.waiting[o]++
	case o < v:
		s.pending[p] = o
		s.waiting[v]--
		s.waiting[o]++
		*cands = append(*cands, v)
	}
}

// closeReady closes the sections complete for lag commits or more.
func (s *rebuildStream) closeReady(ctx context.Context, lag int) error {
	for len(s.ready) > 0 && s.count-s.ready[0].at >= lag {
		k := s.ready[0].k
		s.ready = s.ready[1:]
		if s.waiting[k] == 0 && !s.sections[k].closed {
			if err := s.close(ctx, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// lower gives commit h owner o when o is lower than its own, and so the
// commits it reaches: a pending one waits with o, one shown moves from
// its open section to o's, keeping the order of the log. It returns
// errRebuildOrder when a commit to move is out of reach: in a section
// already complete, left out (no version for the next commits), or shown
// before the window. cands collects the owners whose sections may be
// complete now.
func (s *rebuildStream) lower(h string, o int32, cands *[]int32) error {
	key, ok := hashKey(h)
	if !ok {
		return fmt.Errorf("reading history: parent %q is not a hash", h)
	}
	po, shown := s.emitted[key]
	if !shown {
		s.pend(h, o, cands)
		return nil
	}
	if po <= o {
		return nil
	}
	from := s.sections[po]
	if from == nil || from.closed {
		return errRebuildOrder
	}
	i := slices.IndexFunc(from.commits, func(c *git.Commit) bool { return c.Hash == h })
	if i < 0 {
		return errRebuildOrder
	}
	c, msg, seq := from.commits[i], from.parsed[i], from.seqs[i]
	from.commits = slices.Delete(from.commits, i, i+1)
	from.parsed = slices.Delete(from.parsed, i, i+1)
	from.seqs = slices.Delete(from.seqs, i, i+1)
	to := s.sections[o]
	if to == nil {
		to = &rebuildSection{}
		s.sections[o] = to
	}
	if to.closed {
		return errRebuildOrder
	}
	at, _ := slices.BinarySearch(to.seqs, seq)
	to.commits = slices.Insert(to.commits, at, c)
	to.parsed = slices.Insert(to.parsed, at, msg)
	to.seqs = slices.Insert(to.seqs, at, seq)
	s.emitted[key] = o
	*cands = append(*cands, po)
	for _, p := range c.Parents {
		if err := s.lower(p, o, cands); err != nil {
			return err
		}
	}
	return nil
}

// close selects section k's commits and renders it when its previous tag
// is known.
func (s *rebuildStream) close(ctx context.Context, k int32) error {
	sec := s.sections[k]
	sec.closed = true
	if err := s.readLine(ctx, sec); err != nil {
		return err
	}
	sel := newSelectRange(sec.commits, sec.parsed).decide(s.rules, selectFacts{line: s.line})
	sec.listed, sec.dropped = notesDedupe(sel)
	sec.commits, sec.parsed, sec.seqs = nil, nil, nil
	if k == 1 || (k < s.none && s.seen[k-1]) {
		return s.render(k)
	}
	return nil
}

// readLine reads the integration branch's first-parent line the first
// time a section has a merge whose message does not name the branch: the
// fact selectRange.read finds for the whole range (the line's commits
// that the range holds; the lookups are of parents of the range's
// commits, so the line need not be cut to the range).
func (s *rebuildStream) readLine(ctx context.Context, sec *rebuildSection) error {
	if s.lineRead || s.rules.integration == "" || strings.HasPrefix(s.rules.integration, "-") || strings.HasPrefix(s.rules.remote, "-") {
		return nil
	}
	ask := false
	for i, c := range sec.commits {
		if c.IsMerge() && !s.rules.namesIntegration(sec.parsed[i].Header) {
			ask = true
			break
		}
	}
	if !ask {
		return nil
	}
	s.lineRead = true
	out, err := s.repo.Run(ctx, "rev-list", "--ignore-missing", "--first-parent",
		"refs/heads/"+s.rules.integration, "refs/remotes/"+s.rules.remote+"/"+s.rules.integration)
	if err != nil {
		return fmt.Errorf("reading the first-parent line of %q: %w", s.rules.integration, err)
	}
	s.line = map[string]bool{}
	for h := range strings.FieldsSeq(string(out)) {
		s.line[h] = true
	}
	return nil
}

// render renders closed section k (a tag's), after the previous tag HEAD
// reaches (prev is set by finish for the sections rendered at the end).
func (s *rebuildStream) render(k int32) error {
	sec, t := s.sections[k], s.tags[k-1]
	if k > 1 && s.seen[k-1] {
		sec.prev = s.tags[k-2].name
	}
	if err := s.renderAs(sec, t.version.String(), t.name, t.date); err != nil {
		return err
	}
	if s.out.Len() > 0 {
		s.out.WriteByte('\n')
	}
	sec.start = s.out.Len()
	s.out.WriteString(sec.text)
	sec.end, sec.inOut, sec.text = s.out.Len(), true, ""
	return nil
}

// renderAs renders sec as the section of version and tag, dated date,
// into sec.text.
func (s *rebuildStream) renderAs(sec *rebuildSection, version, tag string, date time.Time) error {
	text, err := changelog.Render(changelog.Release{Version: version, Tag: tag, PreviousTag: sec.prev, Date: date, Commits: sec.listed}, s.copts...)
	if err != nil {
		return fmt.Errorf("rendering the changelog of %s: %w", tag, err)
	}
	sec.text, sec.rendered, sec.listed = text, true, nil
	return nil
}

// text returns the rendered sections secs joined by blank lines, and
// each one's text: out itself when it holds them in that order, else a
// copy.
func (s *rebuildStream) text(secs []*rebuildSection) (string, []string) {
	out := s.out.String()
	sections := make([]string, len(secs))
	inOrder, at, size := true, 0, 0
	for i, sec := range secs {
		if sec.inOut {
			sections[i] = out[sec.start:sec.end]
			inOrder = inOrder && sec.start == at
			at = sec.end + 1
		} else {
			sections[i] = sec.text
			inOrder = false
		}
		size += len(sections[i]) + 1
	}
	if inOrder && at >= len(out) {
		return out, sections
	}
	var b strings.Builder
	b.Grow(size)
	for i, text := range sections {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(text)
	}
	return b.String(), sections
}

// finish closes the sections the stream left open (the parents of a
// shallow history's first commits never come) and renders those left:
// the sections whose previous tag was not known when they closed, and
// next's, when next is set (reached are the owners of the tags HEAD
// reaches, oldest first). They are independent: they are rendered on
// every core.
func (s *rebuildStream) finish(ctx context.Context, reached []int32, next *semver.Version, prefix string, date time.Time) error {
	type job struct {
		sec                *rebuildSection
		version, tag, prev string
		date               time.Time
	}
	var jobs []job
	for i, k := range reached {
		sec := s.sections[k]
		if !sec.closed {
			if err := s.close(ctx, k); err != nil {
				return err
			}
		}
		if sec.rendered {
			continue
		}
		prev := ""
		if i > 0 {
			prev = s.tags[reached[i-1]-1].name
		}
		t := s.tags[k-1]
		jobs = append(jobs, job{sec, t.version.String(), t.name, prev, t.date})
	}
	if next != nil {
		sec := s.sections[s.none]
		if sec == nil {
			sec = &rebuildSection{}
			s.sections[s.none] = sec
		}
		if err := s.readLine(ctx, sec); err != nil {
			return err
		}
		sel := newSelectRange(sec.commits, sec.parsed).decide(s.rules, selectFacts{line: s.line})
		sec.listed, sec.dropped = notesDedupe(sel)
		sec.commits, sec.parsed = nil, nil
		prev := ""
		if len(reached) > 0 {
			prev = s.tags[reached[len(reached)-1]-1].name
		}
		jobs = append(jobs, job{sec, next.String(), prefix + next.String(), prev, date})
	}
	errs := make([]error, len(jobs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for i := range work {
				j := jobs[i]
				j.sec.prev = j.prev
				errs[i] = s.renderAs(j.sec, j.version, j.tag, j.date)
			}
		})
	}
	for i := range jobs {
		work <- i
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}
