package monorepo

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Bump is a semantic-version increment. Its values are those of
// release/version's Bump, so the caller converts with a cast.
type Bump int

// Bumps, in increasing order.
const (
	None Bump = iota
	Patch
	Minor
	Major
)

// Member is one package of a linked group as the caller has planned it
// alone.
type Member struct {
	Name string // for errors
	// Current is the package's current version ("1.4.0" or "v1.4.0"),
	// "" when it was never released.
	Current string
	// Bump is the increment its own commits call for.
	Bump Bump
}

// LinkedVersion is the rule a linked group moves by: every member goes to
// Base bumped by Bump.
type LinkedVersion struct {
	// Base is the highest current version of any member, without a "v";
	// "" when no member was released yet.
	Base string
	// Bump is the highest bump of any member; None leaves the whole group
	// where it is.
	Bump Bump
}

// Linked returns the version rule of a linked group: the highest bump of
// any member applied to the highest current version of any member, so
// that the group releases together with one version. A current version
// that is not semantic is an error naming the member.
func Linked(members []Member) (LinkedVersion, error) {
	var (
		out  LinkedVersion
		high *semver.Version
	)
	for _, m := range members {
		out.Bump = max(out.Bump, m.Bump)
		if m.Current == "" {
			continue
		}
		v, err := semver.StrictNewVersion(strings.TrimPrefix(m.Current, "v"))
		if err != nil {
			return LinkedVersion{}, fmt.Errorf("linked package %q: current version %q is not a semantic version", m.Name, m.Current)
		}
		if high == nil || v.GreaterThan(high) {
			high = v
		}
	}
	if high != nil {
		out.Base = high.String()
	}
	return out, nil
}

// Next returns Base with Bump applied ("1.4.0" with Minor gives "1.5.0"),
// or "" when the group does not move (Bump is None) or has no Base. A
// prerelease Base moves to its release for Patch, as semver orders them
// ("2.0.0-rc.1" gives "2.0.0").
func (l LinkedVersion) Next() string {
	if l.Bump == None || l.Base == "" {
		return ""
	}
	v, err := semver.NewVersion(l.Base)
	if err != nil {
		return ""
	}
	var next semver.Version
	switch l.Bump {
	case Major:
		next = v.IncMajor()
	case Minor:
		next = v.IncMinor()
	default:
		next = v.IncPatch()
	}
	return next.String()
}
