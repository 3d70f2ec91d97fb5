package changelog

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
)

// DefaultMarker is the line Insert looks for first; new sections go right
// below it.
const DefaultMarker = "<!-- shipflow:insert -->"

// DefaultHeader starts a changelog that does not exist yet, as
// release-please starts one.
const DefaultHeader = "# Changelog\n"

// headingRE matches a version heading: one to three `#`, then the version,
// linked (`[1.2.0](...)`, `[v1.2.0]`) or not, with an optional `v`. The old
// conventional-changelog layout used `###` for patch releases.
var headingRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^#{1,3}[ \t]+\[?v?([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(?:\]|[ \t(]|$)`)
})

// heading is a version heading found in a changelog.
type heading struct {
	offset  int // byte offset of the line
	version string
}

// headings lists the version headings of doc outside fenced code blocks.
func headings(doc []byte) []heading {
	var hs []heading
	fenced := false
	for off := 0; off < len(doc); {
		end := bytes.IndexByte(doc[off:], '\n')
		if end < 0 {
			end = len(doc) - off
		}
		line := strings.TrimRight(string(doc[off:off+end]), "\r")
		if t := strings.TrimLeft(line, " "); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fenced = !fenced
		} else if !fenced {
			if m := headingRE().FindStringSubmatch(line); m != nil {
				hs = append(hs, heading{offset: off, version: m[1]})
			}
		}
		off += end + 1
	}
	return hs
}

// Versions returns the versions that have a heading in doc, top to bottom.
func Versions(doc []byte) []string {
	var vs []string
	for _, h := range headings(doc) {
		vs = append(vs, h.version)
	}
	return vs
}

// HasVersion reports whether doc already has a heading for version (with or
// without a leading "v").
func HasVersion(doc []byte, version string) bool {
	version = strings.TrimPrefix(version, "v")
	for _, h := range headings(doc) {
		if h.version == version {
			return true
		}
	}
	return false
}

// markerOffset returns the offset just past the marker's line, or -1.
func markerOffset(doc []byte, marker string) int {
	if marker == "" {
		return -1
	}
	for off := 0; off < len(doc); {
		end := bytes.IndexByte(doc[off:], '\n')
		next := off + end + 1
		if end < 0 {
			end, next = len(doc)-off, len(doc)
		}
		if strings.TrimSpace(string(doc[off:off+end])) == marker {
			return next
		}
		off = next
	}
	return -1
}

// Insert returns doc with section added for version, and whether it added
// it. The section goes below the marker line when doc has one (marker ""
// means no marker), else above the first version heading, else at the end;
// an empty doc starts with DefaultHeader. Every other byte of doc is kept.
// When doc already has a heading for version, Insert returns doc unchanged
// and false, so that running a release twice adds nothing. The section's
// lines end in CRLF when doc's lines above it do (see lineEnding).
func Insert(doc []byte, version, section, marker string) ([]byte, bool) {
	if HasVersion(doc, version) {
		return doc, false
	}
	at := markerOffset(doc, marker)
	var out []byte
	switch {
	case at >= 0:
		eol := lineEnding(doc, at)
		section = withLineEnding(section, eol)
		trim := "\n"
		if eol == "\r\n" {
			trim = eol
		}
		out = append(out, doc[:at]...)
		if at > 0 && doc[at-1] != '\n' {
			out = append(out, eol...)
		}
		out = append(out, eol...)
		out = append(out, section...)
		rest := doc[at:]
		if len(bytes.TrimLeft(rest, trim)) > 0 && !bytes.HasPrefix(rest, []byte(eol)) {
			out = append(out, eol...)
		}
		out = append(out, rest...)
	case len(bytes.TrimSpace(doc)) == 0:
		section = withLineEnding(section, "\n")
		out = append(out, DefaultHeader...)
		out = append(out, '\n')
		out = append(out, section...)
	default:
		if hs := headings(doc); len(hs) > 0 {
			at = hs[0].offset
			eol := lineEnding(doc, at)
			out = append(out, doc[:at]...)
			out = append(out, withLineEnding(section, eol)...)
			out = append(out, eol...)
			out = append(out, doc[at:]...)
		} else {
			eol := lineEnding(doc, len(doc))
			out = append(out, doc...)
			switch {
			case bytes.HasSuffix(doc, []byte(eol+eol)):
			case doc[len(doc)-1] == '\n':
				out = append(out, eol...)
			default:
				out = append(out, eol+eol...)
			}
			out = append(out, withLineEnding(section, eol)...)
		}
	}
	return out, true
}

// lineEnding returns the line ending new text inserted into doc at offset
// at gets: "\r\n" when every line of doc before at ends in CRLF (a file
// written on Windows or with core.autocrlf), else "\n". Mixed endings get
// "\n", as before. When no line ends before at, the first line of doc
// decides.
func lineEnding(doc []byte, at int) string {
	before := doc[:at]
	lf := bytes.Count(before, []byte("\n"))
	if lf == 0 {
		i := bytes.IndexByte(doc, '\n')
		if i > 0 && doc[i-1] == '\r' {
			return "\r\n"
		}
		return "\n"
	}
	if bytes.Count(before, []byte("\r\n")) == lf {
		return "\r\n"
	}
	return "\n"
}

// withLineEnding returns section ending in exactly one newline, with its
// lines ending in eol.
func withLineEnding(section, eol string) string {
	if eol == "\n" {
		return strings.TrimRight(section, "\n") + "\n"
	}
	section = strings.ReplaceAll(section, "\r\n", "\n")
	section = strings.TrimRight(section, "\n") + "\n"
	return strings.ReplaceAll(section, "\n", eol)
}

// Rebuild returns doc with everything from the first version heading on
// (or everything below the marker line, when doc has one) replaced by
// sections, newest first, separated by blank lines. The text above is
// kept; an empty doc starts with DefaultHeader.
//
// A section of doc whose version keep reports true (one with no tag, such
// as a hand-written "## 0.9.0" from before the history began) is kept word
// for word, placed among the new sections in version order (so below them
// when it is older); Rebuild returns those versions, top to bottom. A nil
// keep keeps none. New sections end their lines in CRLF when the text kept
// above them does.
func Rebuild(doc []byte, sections []string, marker string, keep func(version string) bool) ([]byte, []string) {
	head, body := rebuildHead(doc, marker)
	kept := rebuildKept(doc, body, keep)
	var keptVersions []string
	for _, k := range kept {
		keptVersions = append(keptVersions, k.version)
	}

	// Each kept section goes above the first new section of a lower
	// version; the rest at the end. A new section without a version
	// heading (a custom template) stays where it is. New sections take the
	// line ending of the text kept above them; kept ones are copied as is.
	eol, trim := "\n", "\n"
	if len(bytes.TrimSpace(doc)) > 0 && lineEnding(doc, body) == "\r\n" {
		eol, trim = "\r\n", "\r\n"
	}
	var all []string
	for _, s := range sections {
		if hs := headings([]byte(s)); len(hs) > 0 {
			for len(kept) > 0 && compareVersions(kept[0].version, hs[0].version) > 0 {
				all, kept = append(all, kept[0].text), kept[1:]
			}
		}
		all = append(all, withLineEnding(s, eol))
	}
	for _, k := range kept {
		all = append(all, k.text)
	}

	var out []byte
	if head = bytes.TrimRight(head, trim); len(head) > 0 {
		out = append(head, eol...)
	}
	for i, s := range all {
		if i > 0 || len(out) > 0 {
			out = append(out, eol...)
		}
		out = append(out, strings.TrimRight(s, trim)...)
		out = append(out, eol...)
	}
	return out, keptVersions
}

// RebuildKept returns the versions whose sections Rebuild(doc, sections,
// marker, keep) keeps, top to bottom, without building the document (a
// dry run shows the sections alone).
func RebuildKept(doc []byte, marker string, keep func(version string) bool) []string {
	_, body := rebuildHead(doc, marker)
	var versions []string
	for _, k := range rebuildKept(doc, body, keep) {
		versions = append(versions, k.version)
	}
	return versions
}

// rebuildHead returns the text of doc that Rebuild keeps above the
// sections, and where the replaced part of doc starts.
func rebuildHead(doc []byte, marker string) ([]byte, int) {
	var head []byte
	body := 0 // where the replaced part of doc starts
	if at := markerOffset(doc, marker); at >= 0 {
		head = append(head, doc[:at]...)
		if at > 0 && doc[at-1] != '\n' {
			head = append(head, '\n')
		}
		body = at
	} else if hs := headings(doc); len(hs) > 0 {
		head = append(head, doc[:hs[0].offset]...)
		body = hs[0].offset
	} else if len(bytes.TrimSpace(doc)) == 0 {
		head = []byte(DefaultHeader)
		body = len(doc)
	} else {
		head = append(head, doc...)
		body = len(doc)
	}
	return head, body
}

// rebuildKept returns the sections of doc from body on whose version keep
// reports true, newest version first.
func rebuildKept(doc []byte, body int, keep func(version string) bool) []rebuildSection {
	var kept []rebuildSection
	if keep != nil {
		hs := headings(doc)
		for i, h := range hs {
			if h.offset < body || !keep(h.version) {
				continue
			}
			end := len(doc)
			if i+1 < len(hs) {
				end = hs[i+1].offset
			}
			kept = append(kept, rebuildSection{version: h.version, text: string(doc[h.offset:end])})
		}
	}
	slices.SortStableFunc(kept, func(a, b rebuildSection) int { return compareVersions(b.version, a.version) })
	return kept
}

// rebuildSection is a version's section of a changelog.
type rebuildSection struct{ version, text string }

// compareVersions orders two heading versions as semantic versions; one
// that does not parse sorts below every one that does.
func compareVersions(a, b string) int {
	va, errA := semver.StrictNewVersion(a)
	vb, errB := semver.StrictNewVersion(b)
	switch {
	case errA != nil && errB != nil:
		return strings.Compare(a, b)
	case errA != nil:
		return -1
	case errB != nil:
		return 1
	}
	return va.Compare(vb)
}
