package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
	out, err := r.Run(ctx, "show-ref", "-d", "--tags")
	var ge *Error
	if err != nil && errors.As(err, &ge) && ge.ExitCode == 1 && len(out) == 0 {
		return nil, nil // no tag at all
	}
	if err != nil {
		return nil, fmt.Errorf("listing tags: %w", err)
	}
	return parseShowRef(string(out))
}

// parseShowRef reads `git show-ref -d --tags` output: "OID refs/tags/NAME"
// lines, each annotated tag's followed by "OID refs/tags/NAME^{}".
func parseShowRef(out string) ([]TagRef, error) {
	tags := make([]TagRef, 0, strings.Count(out, "\n"))
	var index map[string]int // built only if a peeled line does not follow its tag
	for line := range strings.SplitSeq(out, "\n") {
		if line == "" {
			continue
		}
		oid, ref, ok := strings.Cut(line, " ")
		name, tagRef := strings.CutPrefix(ref, "refs/tags/")
		if !ok || !tagRef || oid == "" {
			return nil, fmt.Errorf("listing tags: unexpected git show-ref line %q", line)
		}
		if base, peeled := strings.CutSuffix(name, "^{}"); peeled {
			// git prints the peeled line right after its tag's.
			if n := len(tags); n > 0 && tags[n-1].Name == base {
				tags[n-1].Peeled = oid
				continue
			}
			if index == nil {
				index = make(map[string]int, len(tags))
				for i, t := range tags {
					index[t.Name] = i
				}
			}
			i, ok := index[base]
			if !ok {
				return nil, fmt.Errorf("listing tags: git show-ref peeled %q before listing it", base)
			}
			tags[i].Peeled = oid
			continue
		}
		if index != nil {
			index[name] = len(tags)
		}
		tags = append(tags, TagRef{Name: name, Object: oid})
	}
	// git lists refs sorted; sort anyway (cheap on sorted input) so that
	// callers may search.
	if !slices.IsSortedFunc(tags, func(a, b TagRef) int { return strings.Compare(a.Name, b.Name) }) {
		slices.SortFunc(tags, func(a, b TagRef) int { return strings.Compare(a.Name, b.Name) })
	}
	return tags, nil
}

// tagCommitFormat prints a tag's name, its object's type and name, and the
// type and name of what an annotated tag points at (one level).
const tagCommitFormat = "--format=%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)"

// maxTagPatterns bounds the names TagCommits passes to for-each-ref, which
// matches every ref against every pattern: more names list all tags.
const maxTagPatterns = 64

// TagCommits returns the commit each tag of names points at, as `git
// for-each-ref` peels it one level: the tag's object when that is a
// commit, an annotated tag's target when that is a commit, else "" (a
// tree, a blob, a tag of a tag). A name that is no tag is absent. Nil
// names means every tag. One git run; it reads the tag objects of the
// names only, unless there are more than a few dozen.
func (r *Repo) TagCommits(ctx context.Context, names []string) (map[string]string, error) {
	args := []string{"for-each-ref", tagCommitFormat}
	want := map[string]bool{}
	if names != nil && len(names) <= maxTagPatterns {
		if len(names) == 0 {
			return map[string]string{}, nil
		}
		for _, n := range names { // names from ListTags: never an option
			want[n] = true
			args = append(args, "refs/tags/"+n)
		}
	} else {
		for _, n := range names {
			want[n] = true
		}
		args = append(args, "refs/tags")
	}
	out, err := r.Run(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the commits of tags: %w", err)
	}
	commits := map[string]string{}
	for line := range strings.SplitSeq(string(out), "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 5 || names != nil && !want[f[0]] {
			continue // a pattern also matches the tags under refs/tags/NAME/
		}
		switch {
		case f[1] == "commit":
			commits[f[0]] = f[2]
		case f[1] == "tag" && f[3] == "commit":
			commits[f[0]] = f[4]
		default:
			commits[f[0]] = ""
		}
	}
	return commits, nil
}

// Ancestry returns every commit rev reaches (`git rev-list REV`): one walk
// of history, which answers "does HEAD reach this tag" for any number of
// tags, where `git tag --merged` also reads every tag object.
func (r *Repo) Ancestry(ctx context.Context, rev string) (map[string]bool, error) {
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("reading the history of %s: %w", rev, &RevisionError{Rev: rev})
	}
	out, err := r.Run(ctx, "rev-list", "--end-of-options", rev, "--")
	if err != nil {
		return nil, fmt.Errorf("reading the history of %s: %w", rev, err)
	}
	seen := make(map[string]bool, len(out)/41)
	for h := range strings.FieldsSeq(string(out)) {
		seen[h] = true
	}
	return seen, nil
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
