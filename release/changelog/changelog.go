package changelog

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shipflow/shipflow/commitlint"
)

// Release is one version's changes: the input of Build and Render.
type Release struct {
	// Version is the version without the tag prefix ("1.2.0"). Required.
	Version string
	// Tag is the version's tag; the default is "v" + Version.
	Tag string
	// PreviousTag is the tag the range starts from ("v1.1.0"), or empty for
	// the first release (the heading then has no compare link).
	PreviousTag string
	// Date is the release date; the zero time leaves the date out. It is
	// printed in its own location, as YYYY-MM-DD.
	Date time.Time
	// Commits are the commits in the range, newest first as git log lists
	// them. Commits without a parsed message are skipped.
	Commits []Commit
}

// Commit is one commit of a release.
type Commit struct {
	// Hash is the full commit hash.
	Hash string
	// Commit is the parsed message.
	Commit *commitlint.Commit
	// Merge is true for a merge commit.
	Merge bool
	// PR is the pull-request number the commit came from, 0 when unknown;
	// when 0 it is taken from a trailing "(#123)" in the header.
	PR int
	// Releases lists the commit even when its type is hidden or has no
	// section, in its type's section (a GitHub `Revert "..."` under
	// revert): it makes the release on its own (a Release-As footer, as
	// conventional-changelog-conventionalcommits lists it; a revert of a
	// released change).
	Releases bool
}

// Validate reports what is missing or malformed in r.
func (r Release) Validate() error {
	if r.Version == "" {
		return errors.New("release has no version")
	}
	if _, _, _, ok := splitVersion(r.Version); !ok {
		return fmt.Errorf("version %q is not a semantic version", r.Version)
	}
	return nil
}

// Context is the data a section is rendered from: what templates see and
// what `--format json` prints. The package documentation lists its fields
// with examples.
type Context struct {
	Version       string    `json:"version"`        // "1.2.0"
	Tag           string    `json:"tag"`            // "v1.2.0"
	PreviousTag   string    `json:"previous_tag"`   // "v1.1.0", "" for the first release
	Date          string    `json:"date"`           // "2024-05-01", "" when unknown
	IsPatch       bool      `json:"is_patch"`       // the patch number is not 0
	RepositoryURL string    `json:"repository_url"` // "" without a repository
	CompareURL    string    `json:"compare_url"`    // "" without a repository or previous tag
	Breaking      []Note    `json:"breaking"`       // sorted by text
	Sections      []Section `json:"sections"`       // in the preset's order
}

// Note is one breaking change.
type Note struct {
	Scope string `json:"scope"` // the commit's scope, or ""
	// Text is the BREAKING CHANGE footer, or the subject for `!`, as
	// Markdown for one bullet: references and mentions linked, lines
	// after the first indented by two spaces.
	Text string `json:"text"`
	Hash string `json:"hash"` // the commit's full hash
}

// Section is one group of entries, such as "Features".
type Section struct {
	Title   string   `json:"title"`   // "Features"
	Types   []string `json:"types"`   // the commit types listed here, lower case
	Entries []Entry  `json:"entries"` // by scope then subject
}

// Entry is one commit listed in a section.
type Entry struct {
	Type       string      `json:"type"`       // "feat", lower case
	Scope      string      `json:"scope"`      // "" for none (and for `*`)
	Subject    string      `json:"subject"`    // markdown, references linked
	Header     string      `json:"header"`     // the raw first line
	Hash       string      `json:"hash"`       // full hash
	ShortHash  string      `json:"short_hash"` // first 7 digits
	CommitURL  string      `json:"commit_url"` // "" without a repository
	PR         int         `json:"pr"`         // pull request, 0 when unknown
	Breaking   bool        `json:"breaking"`   // the commit is breaking
	References []Reference `json:"references"` // issues closed or referred to, not in Subject
}

// Reference is an issue an entry closes or refers to.
type Reference struct {
	Issue string `json:"issue"` // "12"
	Text  string `json:"text"`  // "#12" or "owner/repo#12"
	URL   string `json:"url"`   // "" without a repository
	// Action is the word that introduced the reference, as written: a
	// closing keyword ("Closes", "fix"), a footer token ("Refs", "See"),
	// or "" for an issue in a header that did not parse.
	Action string `json:"action"`
	// Closes is true when the layouts list the reference after ", closes":
	// a closing keyword introduced it, or it is in a header that did not
	// parse (GitHub's `Revert "..." (#12)`, as conventional-changelog
	// lists it). The others follow ", references".
	Closes bool `json:"closes"`
}

// Type maps a commit type to the section that lists it.
type Type struct {
	// Type is the commit type, matched case-insensitively ("feat").
	Type string
	// Section is the section title ("Features").
	Section string
	// Hidden leaves commits of this type out, unless they are breaking.
	Hidden bool
}

// Option configures Build and Render.
type Option func(*options)

type options struct {
	preset   Preset
	repo     Repository
	tmpl     string
	types    []Type
	hasTypes bool
}

// WithPreset selects the layout. The default is PresetConventionalCommits.
func WithPreset(p Preset) Option { return func(o *options) { o.preset = p } }

// WithRepository sets the repository that commit, issue and compare links
// point to. The default is no repository, and so no links.
func WithRepository(r Repository) Option { return func(o *options) { o.repo = r } }

// WithTemplate replaces the preset's layout by a text/template executed with
// a *Context; the preset still decides grouping, sorting and references. The
// default is the preset's own layout.
func WithTemplate(text string) Option { return func(o *options) { o.tmpl = text } }

// WithTypes replaces the preset's table of commit types and sections; the
// order of the table is the order of the sections (except for
// PresetAngular, which sorts sections by title). The default is the
// preset's table (see Preset.Types).
func WithTypes(types []Type) Option {
	return func(o *options) { o.types, o.hasTypes = types, true }
}

func newOptions(opts []Option) (*options, error) {
	o := &options{preset: PresetConventionalCommits}
	for _, opt := range opts {
		opt(o)
	}
	if _, ok := presets[o.preset]; !ok {
		return nil, fmt.Errorf("unknown changelog preset %q, valid presets are %s", o.preset, strings.Join(PresetNames(), ", "))
	}
	if !o.hasTypes {
		o.types = o.preset.Types()
	}
	return o, nil
}

// Render returns rel's changelog section: markdown ending in one newline.
func Render(rel Release, opts ...Option) (string, error) {
	o, err := newOptions(opts)
	if err != nil {
		return "", err
	}
	c, err := build(rel, o)
	if err != nil {
		return "", err
	}
	return execute(c, o)
}

// RenderContext renders a context made by Build with the same options;
// Build then RenderContext is Render, for callers that need both.
func RenderContext(c *Context, opts ...Option) (string, error) {
	o, err := newOptions(opts)
	if err != nil {
		return "", err
	}
	return execute(c, o)
}

// Build returns the data Render renders rel from.
func Build(rel Release, opts ...Option) (*Context, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	return build(rel, o)
}

func build(rel Release, o *options) (*Context, error) {
	if err := rel.Validate(); err != nil {
		return nil, err
	}
	p := presets[o.preset]
	tag := rel.Tag
	if tag == "" {
		tag = "v" + rel.Version
	}
	_, _, patch, _ := splitVersion(rel.Version)
	c := &Context{
		Version:       rel.Version,
		Tag:           tag,
		PreviousTag:   rel.PreviousTag,
		IsPatch:       patch != "0",
		RepositoryURL: o.repo.URL(),
		Breaking:      []Note{},
		Sections:      []Section{},
	}
	if !rel.Date.IsZero() {
		c.Date = rel.Date.Format(time.DateOnly)
	}
	if rel.PreviousTag != "" {
		c.CompareURL = o.repo.CompareURL(rel.PreviousTag, tag)
	}

	types := map[string]int{}
	for i, t := range o.types {
		if _, dup := types[strings.ToLower(t.Type)]; !dup {
			types[strings.ToLower(t.Type)] = i
		}
	}
	sections := map[string]*Section{}
	var order []string
	for _, cm := range dropRevertedPairs(rel.Commits) {
		msg := cm.Commit
		typ := strings.ToLower(msg.Type)
		if (p.angular || cm.Releases) && typ == "" && msg.Revert != "" {
			typ = "revert" // GitHub's `Revert "..."`: the angular parser's revertPattern
		}
		notes := p.notes(msg)
		idx, known := types[typ]
		if typ == "" || (len(notes) == 0 && !cm.Releases && (!known || o.types[idx].Hidden)) {
			continue
		}
		title := msg.Type
		if known {
			title = o.types[idx].Section
		}
		e := p.entry(cm, o.repo)
		e.Breaking = msg.Breaking
		for _, n := range notes {
			c.Breaking = append(c.Breaking, Note{Scope: e.Scope, Text: noteText(n, o.repo), Hash: cm.Hash})
		}
		s := sections[title]
		if s == nil {
			s = &Section{Title: title}
			sections[title] = s
			order = append(order, title)
		}
		if !slices.Contains(s.Types, typ) {
			s.Types = append(s.Types, typ)
		}
		s.Entries = append(s.Entries, e)
	}
	rank := func(title string) int {
		for i, t := range o.types {
			if t.Section == title {
				return i
			}
		}
		return -1
	}
	slices.SortStableFunc(order, func(a, b string) int {
		if p.sectionsByTitle {
			return collate(a, b)
		}
		return rank(a) - rank(b)
	})
	for _, title := range order {
		s := sections[title]
		sortEntries(s.Entries)
		c.Sections = append(c.Sections, *s)
	}
	slices.SortStableFunc(c.Breaking, func(a, b Note) int { return collate(a.Text, b.Text) })
	return c, nil
}

// sortEntries sorts a section's entries (in git log order, newest first)
// the way conventional-changelog-writer does: Array.prototype.sort with
// compare-func(["scope", "subject"]). That comparator says "after" both
// ways between a scoped and an unscoped entry, so the result depends on
// the sort algorithm: below 64 entries V8's TimSort is a binary insertion
// sort after detecting the first run, which jsSort reproduces step for
// step. Larger sections get a consistent stable sort with unscoped entries
// last.
func sortEntries(entries []Entry) {
	idx := make([]int, len(entries))
	for i := range idx {
		idx[i] = i
	}
	if len(entries) < 64 {
		jsSort(idx, func(a, b int) int { return jsCompareEntries(&entries[a], &entries[b]) })
	} else {
		slices.SortFunc(idx, func(a, b int) int {
			if c := compareEntries(&entries[a], &entries[b]); c != 0 {
				return c
			}
			return a - b
		})
	}
	sorted := make([]Entry, len(entries))
	for i, k := range idx {
		sorted[i] = entries[k]
	}
	copy(entries, sorted)
}

// jsSort is V8's TimSort for arrays shorter than 64: count (and reverse,
// when strictly descending) the first run, then binary insertion sort of
// the rest. It is stable, and with an inconsistent comparator it puts
// elements where V8 puts them.
func jsSort(a []int, cmp func(x, y int) int) {
	n := len(a)
	if n < 2 {
		return
	}
	run := 2
	descending := cmp(a[1], a[0]) < 0
	for i := 2; i < n; i++ {
		order := cmp(a[i], a[i-1])
		if (descending && order >= 0) || (!descending && order < 0) {
			break
		}
		run++
	}
	if descending {
		slices.Reverse(a[:run])
	}
	for start := run; start < n; start++ {
		pivot := a[start]
		left, right := 0, start
		for left < right {
			mid := left + (right-left)/2
			if cmp(pivot, a[mid]) < 0 {
				right = mid
			} else {
				left = mid + 1
			}
		}
		copy(a[left+1:start+1], a[left:start])
		a[left] = pivot
	}
}

// jsCompareEntries is compare-func(["scope", "subject"]) on entries whose
// missing scope is null: two strings compare with localeCompare, null and
// a string compare as "after" in both orders.
func jsCompareEntries(a, b *Entry) int {
	switch {
	case (a.Scope == "") != (b.Scope == ""):
		return 1
	case a.Scope != b.Scope:
		if c := collate(a.Scope, b.Scope); c != 0 {
			return c
		}
	}
	if a.Subject == b.Subject {
		return 0
	}
	return collate(a.Subject, b.Subject)
}

// compareEntries is a consistent version of jsCompareEntries: entries
// without a scope come after scoped ones.
func compareEntries(a, b *Entry) int {
	switch {
	case a.Scope == "" && b.Scope != "":
		return 1
	case a.Scope != "" && b.Scope == "":
		return -1
	}
	if c := collate(a.Scope, b.Scope); c != 0 {
		return c
	}
	return collate(a.Subject, b.Subject)
}

// collate approximates JavaScript's localeCompare (ICU root collation) for
// the ASCII text of scopes and subjects: punctuation before digits before
// letters, letters compared case-insensitively first, then lower case
// before upper case.
func collate(a, b string) int {
	key := func(r rune) (int, rune) {
		switch {
		case r >= '0' && r <= '9':
			return 1, r
		case r >= 'a' && r <= 'z':
			return 2, r
		case r >= 'A' && r <= 'Z':
			return 2, r + ('a' - 'A')
		case r > 127:
			return 3, r
		}
		return 0, r
	}
	i, j := 0, 0
	tertiary := 0
	for i < len(a) && j < len(b) {
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, nb := utf8.DecodeRuneInString(b[j:])
		i, j = i+na, j+nb
		if ra == rb {
			continue
		}
		ca, ka := key(ra)
		cb, kb := key(rb)
		if ca != cb {
			return ca - cb
		}
		if ka != kb {
			return int(ka - kb)
		}
		if tertiary == 0 {
			// Same letter in another case: lower case sorts first.
			tertiary = 1
			if ra >= 'a' && ra <= 'z' {
				tertiary = -1
			}
		}
	}
	switch {
	case i < len(a):
		return 1
	case j < len(b):
		return -1
	}
	return tertiary
}

// dropRevertedPairs leaves out commits without a parsed message, and every
// commit whose revert is also in the range together with that revert.
func dropRevertedPairs(commits []Commit) []Commit {
	var byShort map[string][]int // first 7 hex digits → commits
	dropped := map[int]bool{}
	for i, c := range commits {
		if c.Commit == nil || len(c.Commit.Revert) < 7 {
			continue
		}
		if byShort == nil {
			byShort = make(map[string][]int, len(commits))
			for j, d := range commits {
				byShort[short(d.Hash)] = append(byShort[short(d.Hash)], j)
			}
		}
		for _, j := range byShort[c.Commit.Revert[:7]] {
			if j != i && !dropped[j] && strings.HasPrefix(commits[j].Hash, c.Commit.Revert) {
				dropped[i], dropped[j] = true, true
				break
			}
		}
	}
	out := make([]Commit, 0, len(commits))
	for i, c := range commits {
		if c.Commit != nil && !dropped[i] {
			out = append(out, c)
		}
	}
	return out
}

// refRE finds issue references in a closing sentence: "#12" or
// "owner/repo#12", the number ending a word ("#1a2b" is none).
var refRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?:([\w.-]+)/([\w.-]+))?#([0-9]+)\b`) })

// PullRequest returns the number in a trailing "(#123)" of a header, as
// GitHub writes squash merges, or 0.
func PullRequest(header string) int {
	h := strings.TrimRight(header, " \t\r")
	if !strings.HasSuffix(h, ")") {
		return 0
	}
	i := strings.LastIndex(h, "(#")
	if i < 0 {
		return 0
	}
	digits := h[i+2 : len(h)-1]
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0
	}
	n, _ := strconv.Atoi(digits)
	return n
}

// linkSubject links the issue references ("#12", "owner/repo#12") and
// @user mentions of s, the way conventional-changelog's references
// formatter does, and returns the text of every issue reference it found
// ("#12", "owner/repo#12"), linked or, without a repository, not. Like the
// formatter it leaves code spans, fenced code, Markdown links and URLs as
// written ("`@vue-ignore`" is no user). Unlike it, a reference must stand
// as a word: "#1a2b", "abc#12" and "&#39;" are none, as on GitHub.
func linkSubject(s string, repo Repository) (string, []string) {
	if strings.IndexByte(s, '#') < 0 && strings.IndexByte(s, '@') < 0 {
		return s, nil // most subjects: this runs for every entry
	}
	var b strings.Builder
	var found []string
	last := 0  // s[:last] is in b
	floor := 0 // a reference starts at or after floor (not in code)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '`', '~', '[', 'h':
			if end := protectedEnd(s, i); end > i {
				i, floor = end-1, end
			}
		case '#':
			digits := 0
			for i+1+digits < len(s) && isDigit(s[i+1+digits]) {
				digits++
			}
			end := i + 1 + digits
			if digits == 0 || (end < len(s) && isWordByte(s[end])) {
				continue
			}
			start := i
			owner, name, at := refOwnerRepo(s, i, floor)
			if at >= 0 {
				start = at
			}
			if start > floor && !refMayFollow(s[start-1]) {
				continue
			}
			r := reference(owner, name, s[i+1:end], repo)
			found = append(found, r.Text)
			if r.URL != "" {
				b.WriteString(s[last:start])
				b.WriteString("[" + r.Text + "](" + r.URL + ")")
				last = end
			}
			i, floor = end-1, end
		case '@':
			if i > 0 && isWordByte(s[i-1]) {
				continue // \B: "foo@bar" is an address
			}
			end := mentionEnd(s, i+1)
			if end == i+1 {
				continue
			}
			if user := s[i+1 : end]; repo.Host != "" && !strings.Contains(user, "/") {
				b.WriteString(s[last:i])
				b.WriteString("[@" + user + "](" + repo.Host + "/" + user + ")")
				last = end
			}
			i, floor = end-1, end
		}
	}
	if last == 0 {
		return s, found
	}
	b.WriteString(s[last:])
	return b.String(), found
}

// mentionEnd returns where conventional-changelog's mention pattern,
// [a-z0-9](?:-?[a-z0-9/]){0,38}, ends when it starts at s[i]; i when it
// does not match.
func mentionEnd(s string, i int) int {
	user := func(c byte) bool { return 'a' <= c && c <= 'z' || isDigit(c) }
	if i >= len(s) || !user(s[i]) {
		return i
	}
	j := i + 1
	for range 38 {
		switch {
		case j+1 < len(s) && s[j] == '-' && (user(s[j+1]) || s[j+1] == '/'):
			j += 2
		case j < len(s) && (user(s[j]) || s[j] == '/'):
			j++
		default:
			return j
		}
	}
	return j
}

// refOwnerRepo reads "owner/repo" right before s[hash], not before floor,
// and returns where it starts, or -1.
func refOwnerRepo(s string, hash, floor int) (owner, name string, at int) {
	k := hash
	for k > floor && (isWordByte(s[k-1]) || s[k-1] == '.' || s[k-1] == '-') {
		k--
	}
	if k == hash || k <= floor || s[k-1] != '/' {
		return "", "", -1
	}
	slash := k - 1
	j := slash
	for j > floor && (isWordByte(s[j-1]) || s[j-1] == '-') {
		j--
	}
	if j == slash || (j > floor && !refMayFollow(s[j-1])) {
		return "", "", -1
	}
	return s[j:slash], s[k:hash], j
}

// refMayFollow reports whether a reference may start after c: not inside
// a word, a path or an HTML entity ("&#39;").
func refMayFollow(c byte) bool {
	return !(isWordByte(c) || c == '&' || c == '/' || c == '.' || c == '-' || c == '#')
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWordByte is JavaScript's \w.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '_'
}

// protectedEnd returns the end of the Markdown segment conventional-
// changelog leaves as written that starts at s[i] (a code span, fenced
// code, a link or a URL), or i when none starts there.
func protectedEnd(s string, i int) int {
	switch c := s[i]; c {
	case '`', '~':
		run := i
		for run < len(s) && s[run] == c {
			run++
		}
		n := run - i
		if n >= 3 && atLineStart(s, i) {
			// A fence: up to a line holding the same fence only.
			fence := s[i:run]
			for off := run; ; {
				nl := strings.IndexByte(s[off:], '\n')
				if nl < 0 {
					break
				}
				off += nl + 1
				end := off + strings.IndexByte(s[off:]+"\n", '\n')
				if strings.TrimRight(strings.TrimLeft(s[off:end], " \t"), " \t\r") == fence {
					return end
				}
			}
		}
		if c == '~' {
			return i
		}
		// A code span: up to the next run of as many backticks on the line.
		for j := run; j < len(s) && s[j] != '\n'; {
			if s[j] != '`' {
				j++
				continue
			}
			k := j
			for k < len(s) && s[k] == '`' {
				k++
			}
			if k-j == n {
				return k
			}
			j = k
		}
		return run // an unclosed run is text, and so are its backticks
	case '[':
		end := bracketEnd(s, i, '[', ']')
		if end < 0 || end >= len(s) {
			return i
		}
		switch s[end] {
		case '(':
			if e := bracketEnd(s, end, '(', ')'); e > 0 {
				return e
			}
		case '[':
			if e := strings.IndexAny(s[end+1:], "[]\n"); e >= 0 && s[end+1+e] == ']' {
				return end + 2 + e
			}
		}
	case 'h':
		j := i
		switch rest := s[i:]; {
		case strings.HasPrefix(rest, "https://"):
			j += len("https://")
		case strings.HasPrefix(rest, "http://"):
			j += len("http://")
		default:
			return i
		}
		// https?://(?:[^\s()]|\([^\s()]*\))+
		start := j
		for j < len(s) && s[j] != ')' && !isSpace(s[j]) {
			if s[j] != '(' {
				j++
				continue
			}
			e := j + 1
			for e < len(s) && s[e] != '(' && s[e] != ')' && !isSpace(s[e]) {
				e++
			}
			if e == len(s) || s[e] != ')' {
				break
			}
			j = e + 1
		}
		if j > start {
			return j
		}
	}
	return i
}

// bracketEnd returns the index after the close that matches s[i] (one
// level of nesting, on one line for parentheses), or -1.
func bracketEnd(s string, i int, open, close byte) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case open:
			depth++
			if depth > 2 {
				return -1
			}
		case close:
			depth--
			if depth == 0 {
				return j + 1
			}
		case '\n':
			if open == '(' {
				return -1
			}
		}
	}
	return -1
}

func atLineStart(s string, i int) bool {
	for j := i - 1; j >= 0 && s[j] != '\n'; j-- {
		if s[j] != ' ' && s[j] != '\t' {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// splitVersion splits "1.2.3-rc.1+b" into major, minor and patch.
func splitVersion(v string) (major, minor, patch string, ok bool) {
	core, _, _ := strings.Cut(v, "+")
	core, _, _ = strings.Cut(core, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return "", "", "", false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return "", "", "", false
		}
	}
	return parts[0], parts[1], parts[2], true
}
