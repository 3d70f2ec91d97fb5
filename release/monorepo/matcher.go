// Package monorepo holds the building blocks of releasing many packages
// from one repository: which packages a commit belongs to (Matcher), which
// packages depend on which (Dependencies, Graph), and the version a linked
// group moves to (Linked). It takes plain values — package paths, scopes,
// a file system, versions — so that package release can feed it from the
// configuration and the history without this package knowing either.
package monorepo

import (
	"fmt"
	"math/bits"
	"path"
	"strings"
)

// Package is one package of a monorepository as the Matcher sees it.
type Package struct {
	// Name identifies the package in errors.
	Name string
	// Paths are the package's directories or globs, relative to the
	// repository root with "/" separators. A plain path ("api",
	// "libs/ui") owns itself and everything below it. A glob is matched
	// segment by segment with path.Match ("services/*/main.go"); a
	// trailing "/**" makes it own everything below what it matches too
	// ("libs/*/**"), so "api/**" is the same as "api". "." owns the whole
	// repository.
	Paths []string
	// Scopes are the commit scopes that count for the package. Nil means
	// []string{Name}; an empty, non-nil slice means none.
	Scopes []string
}

// Matcher tells which packages a commit belongs to. It is built once and
// is safe for concurrent use.
type Matcher struct {
	n      int
	root   *node
	scopes map[string][]int
}

// node is one directory of the prefix tree of package paths.
type node struct {
	children map[string]*node
	// owners are the packages with a plain path ending here; they own
	// this path and everything below.
	owners []int
	// globs are the globs whose literal leading segments end here; they
	// are matched against what follows.
	globs []glob
}

// glob is the part of a package path after its literal leading segments.
type glob struct {
	pkg   int
	segs  []string // path.Match patterns, one per segment
	below bool     // trailing "/**": what follows the match counts too
}

// NewMatcher builds a Matcher for pkgs; Owners reports packages by their
// index in pkgs. A path that is absolute, climbs out with "..", points
// into .git or is not a valid pattern is an error naming the package.
func NewMatcher(pkgs []Package) (*Matcher, error) {
	m := &Matcher{n: len(pkgs), root: &node{}, scopes: map[string][]int{}}
	for i, p := range pkgs {
		for _, raw := range p.Paths {
			if err := m.add(i, raw); err != nil {
				return nil, fmt.Errorf("package %q: path %q: %w", p.Name, raw, err)
			}
		}
		scopes := p.Scopes
		if scopes == nil {
			scopes = []string{p.Name}
		}
		for _, s := range scopes {
			if s == "" {
				continue
			}
			if l := m.scopes[s]; len(l) == 0 || l[len(l)-1] != i {
				m.scopes[s] = append(l, i)
			}
		}
	}
	return m, nil
}

// add puts one package path into the tree.
func (m *Matcher) add(pkg int, raw string) error {
	segs, below, err := splitPattern(raw)
	if err != nil {
		return err
	}
	n := m.root
	lit := 0
	for lit < len(segs) && !hasMeta(segs[lit]) {
		n = n.child(segs[lit])
		lit++
	}
	if lit == len(segs) {
		// No glob left: a plain directory (or file) and everything below.
		n.owners = append(n.owners, pkg)
		return nil
	}
	n.globs = append(n.globs, glob{pkg: pkg, segs: segs[lit:], below: below})
	return nil
}

// child returns n's child for seg, creating it.
func (n *node) child(seg string) *node {
	if n.children == nil {
		n.children = map[string]*node{}
	}
	c := n.children[seg]
	if c == nil {
		c = &node{}
		n.children[seg] = c
	}
	return c
}

// splitPattern checks a package path and returns its segments without a
// trailing "**", which below reports. "." and "**" give no segments.
func splitPattern(raw string) (segs []string, below bool, err error) {
	p := strings.TrimSuffix(raw, "/")
	switch {
	case p == "":
		return nil, false, fmt.Errorf("is empty")
	case strings.HasPrefix(p, "/"):
		return nil, false, fmt.Errorf("is absolute; paths are relative to the repository root")
	case strings.Contains(p, "\\"):
		return nil, false, fmt.Errorf("has a backslash; use / between directories")
	}
	for _, s := range strings.Split(p, "/") {
		switch s {
		case "..":
			return nil, false, fmt.Errorf("climbs out of the repository with \"..\"")
		case "", ".":
			continue
		}
		if _, err := path.Match(s, ""); err != nil {
			return nil, false, fmt.Errorf("segment %q: %w", s, err)
		}
		segs = append(segs, s)
	}
	if len(segs) > 0 && segs[len(segs)-1] == "**" {
		segs, below = segs[:len(segs)-1], true
	}
	if len(segs) > 0 && segs[0] == ".git" {
		return nil, false, fmt.Errorf("points into .git")
	}
	return segs, below, nil
}

// hasMeta reports whether a segment is a pattern rather than a name.
func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

// matchSeg matches one segment; patterns were checked when they were
// added.
func matchSeg(pattern, name string) bool {
	ok, _ := path.Match(pattern, name)
	return ok
}

// Owners returns the indexes of the packages a commit belongs to, in
// increasing order: those owning one of the changed paths, plus those
// whose scopes contain the commit's scope. A scope that names no package
// as a whole is also tried as a comma-separated list ("api,web"). Owners
// returns nil when the commit belongs to no package.
func (m *Matcher) Owners(paths []string, scope string) []int {
	var small [2]uint64
	set := small[:]
	if words := (m.n + 63) / 64; words > len(small) {
		set = make([]uint64, words)
	}
	for _, p := range paths {
		m.markPath(set, p)
	}
	if scope != "" {
		m.markScope(set, scope)
	}
	var out []int
	for w, word := range set {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			out = append(out, w*64+b)
			word &^= 1 << b
		}
	}
	return out
}

// markPath sets the owners of one changed path in set.
//
// Of the plain paths holding p, only the deepest counts: a package nested
// in another's directory (a Go module in api/ under the root module, a
// workspace package under ".") carves its directory out of the enclosing
// one, as Go does with nested modules. Globs count wherever they match.
func (m *Matcher) markPath(set []uint64, p string) {
	n := m.root
	rest := p
	var deepest []int
	defer func() {
		for _, o := range deepest {
			set[o/64] |= 1 << (o % 64)
		}
	}()
	for {
		if len(n.owners) > 0 {
			deepest = n.owners
		}
		for i := range n.globs {
			if g := &n.globs[i]; g.matches(rest) {
				set[g.pkg/64] |= 1 << (g.pkg % 64)
			}
		}
		if rest == "" || n.children == nil {
			return
		}
		seg, after, _ := strings.Cut(rest, "/")
		c := n.children[seg]
		if c == nil {
			return
		}
		n, rest = c, after
	}
}

// matches reports whether the glob matches rest, the changed path below
// the glob's literal prefix.
func (g *glob) matches(rest string) bool {
	for _, pat := range g.segs {
		if rest == "" {
			return false
		}
		seg, after, _ := strings.Cut(rest, "/")
		if !matchSeg(pat, seg) {
			return false
		}
		rest = after
	}
	return rest == "" || g.below
}

// markScope sets the packages of a commit scope in set.
func (m *Matcher) markScope(set []uint64, scope string) {
	if l, ok := m.scopes[scope]; ok {
		for _, o := range l {
			set[o/64] |= 1 << (o % 64)
		}
		return
	}
	if !strings.Contains(scope, ",") {
		return
	}
	for s := range strings.SplitSeq(scope, ",") {
		for _, o := range m.scopes[strings.TrimSpace(s)] {
			set[o/64] |= 1 << (o % 64)
		}
	}
}
