// Package version computes a repository's next semantic version from its
// tags, the parsed commits since the last stable tag and the branch being
// released, and says why for every commit.
//
// It is for `shipflow next`, `shipflow changelog` and `shipflow release`
// (through release.Plan). It is pure: it never runs git, reads files or the
// environment; the caller hands it tag names and parsed commits.
package version

import (
	"fmt"
	"strings"
)

// Bump is a semantic-version increment.
type Bump int

// Bumps, in increasing order: the larger wins when commits are combined.
const (
	None Bump = iota
	Patch
	Minor
	Major
)

var bumpNames = [...]string{None: "none", Patch: "patch", Minor: "minor", Major: "major"}

// String returns "none", "patch", "minor" or "major".
func (b Bump) String() string {
	if b < None || b > Major {
		return fmt.Sprintf("Bump(%d)", int(b))
	}
	return bumpNames[b]
}

// MarshalText encodes a Bump as its name.
func (b Bump) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes a Bump name, as ParseBump.
func (b *Bump) UnmarshalText(text []byte) error {
	v, err := ParseBump(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// ParseBump parses "none", "patch", "minor" or "major" (case-insensitive).
func ParseBump(s string) (Bump, error) {
	for b, name := range bumpNames {
		if strings.EqualFold(s, name) {
			return Bump(b), nil
		}
	}
	return None, fmt.Errorf("unknown bump %q: valid bumps are none, patch, minor and major", s)
}
