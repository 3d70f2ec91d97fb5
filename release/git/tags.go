package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TagRef is a tag as the ref store lists it, without reading tag objects.
type TagRef struct {
	// Name is the tag's name, without "refs/tags/".
	Name string
	// Object is the object refs/tags/Name names: a tag object for an
	// annotated tag, else (usually) a commit.
	Object string
	// Peeled is, for an annotated tag, the object it peels to through
	// every level of tag; "" for a lightweight tag.
	Peeled string
}

// Target returns the object the tag finally names: Peeled, else Object.
// A tag's commit (TagCommits) is either Target or none, so Target is what
// to compare before asking for the commit.
func (t TagRef) Target() string {
	if t.Peeled != "" {
		return t.Peeled
	}
	return t.Object
}

// ListTags lists every tag, sorted by name, with the object it names and
// what an annotated tag peels to, in one `git show-ref -d --tags` run. git
// takes the peeled values from packed-refs where it recorded them, so that
// listing 10k annotated tags reads none of their objects (for-each-ref's
// %(*objectname) reads every one). It does not say whether the target is a
// commit: TagCommits does, for the few tags that matter.
func (r *Repo) ListTags(ctx context.Context) ([]TagRef, error) {
	return r.ListTagsEach(ctx, nil)
}

// ListTagsEach is ListTags calling each (when not nil) with every tag's
// name, in git's order, as git lists it: work per tag (parsing versions)
// runs while git is still writing the rest.
func (r *Repo) ListTagsEach(ctx context.Context, each func(name string)) ([]TagRef, error) {
	var list showRefList
	err := r.Stream(ctx, func(out io.Reader) error {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 0, 64<<10), maxShowRefLine)
		for sc.Scan() {
			name, err := list.add(sc.Text())
			if err != nil {
				return err
			}
			if name != "" && each != nil {
				each(name)
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("listing tags: reading git show-ref: %w", err)
		}
		return nil
	}, "show-ref", "-d", "--tags")
	var ge *Error
	if err != nil && errors.As(err, &ge) && ge.ExitCode == 1 && len(list.tags) == 0 {
		return nil, nil // no tag at all
	}
	if err != nil {
		return nil, fmt.Errorf("listing tags: %w", err)
	}
	return list.done(), nil
}

// maxShowRefLine bounds a line of `git show-ref`: an object name and a
// ref name, which git keeps far shorter.
const maxShowRefLine = 1 << 20

// showRefList collects `git show-ref -d --tags` output one line at a
// time: "OID refs/tags/NAME" lines, each annotated tag's followed by "OID
// refs/tags/NAME^{}".
type showRefList struct {
	tags  []TagRef
	index map[string]int // built only if a peeled line does not follow its tag
}

// add reads one line; a tag's line returns its name, a peeled line or an
// empty one "".
func (l *showRefList) add(line string) (string, error) {
	if line == "" {
		return "", nil
	}
	oid, ref, ok := strings.Cut(line, " ")
	name, tagRef := strings.CutPrefix(ref, "refs/tags/")
	if !ok || !tagRef || oid == "" {
		return "", fmt.Errorf("listing tags: unexpected git show-ref line %q", line)
	}
	if base, peeled := strings.CutSuffix(name, "^{}"); peeled {
		// git prints the peeled line right after its tag's.
		if n := len(l.tags); n > 0 && l.tags[n-1].Name == base {
			l.tags[n-1].Peeled = oid
			return "", nil
		}
		if l.index == nil {
			l.index = make(map[string]int, len(l.tags))
			for i, t := range l.tags {
				l.index[t.Name] = i
			}
		}
		i, ok := l.index[base]
		if !ok {
			return "", fmt.Errorf("listing tags: git show-ref peeled %q before listing it", base)
		}
		l.tags[i].Peeled = oid
		return "", nil
	}
	if l.index != nil {
		l.index[name] = len(l.tags)
	}
	l.tags = append(l.tags, TagRef{Name: name, Object: oid})
	return name, nil
}

// done returns the tags sorted by name: git lists refs sorted; sorting
// anyway (cheap on sorted input) lets callers search.
func (l *showRefList) done() []TagRef {
	if !slices.IsSortedFunc(l.tags, func(a, b TagRef) int { return strings.Compare(a.Name, b.Name) }) {
		slices.SortFunc(l.tags, func(a, b TagRef) int { return strings.Compare(a.Name, b.Name) })
	}
	return l.tags
}

// TagCommits returns the commit each tag of tags names, peeled through
// every level of tag as git peels a tag wherever it wants a commit
// (`git describe`, `git tag --merged`, `v1.0.0..HEAD`): its Target when
// that is a commit, else "" (a tag of a tree or a blob). One `git cat-file
// --batch-check` asks the targets' types, for these tags only: no tag
// object is read (for-each-ref's %(*objecttype) reads every one, and
// peels one level only).
func (r *Repo) TagCommits(ctx context.Context, tags []TagRef) (map[string]string, error) {
	commits := make(map[string]string, len(tags))
	if len(tags) == 0 {
		return commits, nil
	}
	targets := make([]string, len(tags))
	for i, t := range tags {
		targets[i] = t.Target()
	}
	types, err := r.objectTypes(ctx, targets)
	if err != nil {
		return nil, fmt.Errorf("reading the commits of tags: %w", err)
	}
	for i, t := range tags {
		commits[t.Name] = ""
		if types[i] == "commit" {
			commits[t.Name] = targets[i]
		}
	}
	return commits, nil
}

// objectTypes returns the type of each object of oids, in order ("" for
// one that is missing), with one `git cat-file --batch-check`.
func (r *Repo) objectTypes(ctx context.Context, oids []string) ([]string, error) {
	stdin, err := batchInput(oids)
	if err != nil {
		return nil, err
	}
	out, err := r.RunInput(ctx, stdin, "cat-file", "--batch-check=%(objectname) %(objecttype)")
	if err != nil {
		return nil, fmt.Errorf("reading object types: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(oids) {
		return nil, fmt.Errorf("reading object types: git cat-file answered %d lines for %d objects", len(lines), len(oids))
	}
	types := make([]string, len(oids))
	for i, l := range lines {
		if oid, typ, ok := strings.Cut(l, " "); ok && oid == oids[i] && typ != "missing" {
			types[i] = typ
		}
	}
	return types, nil
}

// Reached returns those of oids that rev reaches, from one walk of its
// history (`git rev-list REV`), which answers "does HEAD reach this tag"
// for any number of tags, where `git tag --merged` also reads every tag
// object. The walk's output is scanned, not kept.
func (r *Repo) Reached(ctx context.Context, rev string, oids []string) (map[string]bool, error) {
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("reading the history of %s: %w", rev, &RevisionError{Rev: rev})
	}
	want := make(map[string]struct{}, len(oids))
	for _, o := range oids {
		want[o] = struct{}{}
	}
	out, err := r.Run(ctx, "rev-list", "--end-of-options", rev, "--")
	if err != nil {
		return nil, fmt.Errorf("reading the history of %s: %w", rev, err)
	}
	reached := make(map[string]bool)
	for len(out) > 0 {
		line, rest, _ := bytes.Cut(out, []byte("\n"))
		out = rest
		if _, ok := want[string(line)]; ok { // no allocation for the lookup
			reached[string(line)] = true
		}
	}
	return reached, nil
}

// TagObject is what an annotated tag's object says.
type TagObject struct {
	// Object is the object the tag names, one level down (for a tag of
	// a tag, the inner tag), and Type its type.
	Object, Type string
	// Date is the tagger's date, in the tagger's zone; zero when the
	// object has no tagger line (git's own %(creatordate) is then empty).
	Date time.Time
}

// ReadTagObjects reads the tag objects oids (the Object of annotated
// TagRefs), in order, with one `git cat-file --batch`: the headers only
// of each, never the messages' meaning. An oid that names no tag object
// gets a zero TagObject.
func (r *Repo) ReadTagObjects(ctx context.Context, oids []string) ([]TagObject, error) {
	bodies, err := r.ReadObjects(ctx, oids)
	if err != nil {
		return nil, fmt.Errorf("reading tags: %w", err)
	}
	tags := make([]TagObject, len(oids))
	for i, b := range bodies {
		tags[i] = parseTagObject(b)
	}
	return tags, nil
}

// parseTagObject reads a tag object's header: "object OID", "type TYPE",
// "tag NAME", "tagger NAME <EMAIL> SECONDS ZONE", up to the blank line.
func parseTagObject(body []byte) TagObject {
	var t TagObject
	header, _, _ := bytes.Cut(body, []byte("\n\n"))
	for line := range strings.SplitSeq(string(header), "\n") {
		key, value, _ := strings.Cut(line, " ")
		switch key {
		case "object":
			t.Object = value
		case "type":
			t.Type = value
		case "tagger":
			t.Date = parseSignatureDate(value)
		}
	}
	return t
}

// parseSignatureDate returns the date of an ident line's value ("NAME
// <EMAIL> SECONDS ZONE", ZONE as +hhmm) in its own zone, as git prints it
// with --date=iso-strict; zero when it has none.
func parseSignatureDate(ident string) time.Time {
	i := strings.LastIndexByte(ident, '>')
	if i < 0 {
		return time.Time{}
	}
	f := strings.Fields(ident[i+1:])
	if len(f) != 2 || len(f[1]) != 5 || f[1][0] != '+' && f[1][0] != '-' {
		return time.Time{}
	}
	secs, err1 := strconv.ParseInt(f[0], 10, 64)
	hh, err2 := strconv.Atoi(f[1][1:3])
	mm, err3 := strconv.Atoi(f[1][3:5])
	if err1 != nil || err2 != nil || err3 != nil {
		return time.Time{}
	}
	offset := hh*3600 + mm*60
	if f[1][0] == '-' {
		offset = -offset
	}
	return time.Unix(secs, 0).In(time.FixedZone("", offset))
}
