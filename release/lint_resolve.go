package release

import (
	"context"
	"strings"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
)

// RangeOrigin says who named the range of commits to lint.
type RangeOrigin int

// Origins of a range, from the weakest.
const (
	// RangeDefault: nobody did; the range is every commit since the last
	// tag. The commitlint Action lints it; `shipflow lint` reads a message
	// from stdin instead, as it always did.
	RangeDefault RangeOrigin = iota
	// RangeEvent: the CI event did (a pull request's base..head, a push's
	// before..after).
	RangeEvent
	// RangeInputs: the inputs from, to or from-last-tag did.
	RangeInputs
)

// LintInputs are the resolved inputs of `shipflow lint` and of the
// commitlint Action, both faces the same.
type LintInputs struct {
	// Range is the commits to lint; its Config is the caller's to set
	// (LintConfig reads the repository's files).
	Range LintRangeOptions
	// Origin says who named Range.
	Origin RangeOrigin
	// Strict makes warnings fail the run too: the strict input, else
	// lint.strict.
	Strict bool
}

// ResolveLint turns the inputs of `shipflow lint` and the commitlint
// Action into LintInputs (see Inputs for the order): the range from the
// inputs from, to and from-last-tag when any is given; else the CI
// event's, a pull request's base and head shas or a push's before and
// after (LintRangeOptions.Pushed: a new branch or a force push lints the
// pushed commit alone); else every commit since the last tag. strict is
// a boolean over lint.strict.
func ResolveLint(in Inputs, cfg *config.Config, ci CI) (LintInputs, error) {
	var li LintInputs
	strict := false
	if cfg != nil {
		strict = cfg.Lint.Strict
	}
	var err error
	if li.Strict, err = inputBool(in, "strict", strict); err != nil {
		return li, err
	}
	from, fromOK := inputString(in, "from")
	to, toOK := inputString(in, "to")
	lastTag, err := inputBool(in, "from-last-tag", false)
	if err != nil {
		return li, err
	}
	switch {
	case lastTag && fromOK:
		return li, &InputError{Name: "from-last-tag", Value: "true", Want: "allowed with from (both start the range: give one)"}
	case fromOK || toOK || lastTag:
		li.Range = LintRangeOptions{From: from, To: to, FromLastTag: lastTag}
		li.Origin = RangeInputs
	case ci.Number > 0 && (ci.From != "" || ci.To != ""):
		// A pull request names its range as it is.
		li.Range = LintRangeOptions{From: ci.From, To: ci.To}
		li.Origin = RangeEvent
	case strings.Trim(ci.To, "0") != "":
		// A push; one that deleted its branch (after is all zeros)
		// names nothing to lint.
		li.Range = LintRangeOptions{From: ci.From, To: ci.To, Pushed: true}
		li.Origin = RangeEvent
	default:
		li.Range = LintRangeOptions{FromLastTag: true}
	}
	return li, nil
}

// span returns the range LintRange reads, once git has answered what the
// options leave open: the last tag for FromLastTag, and for a push
// whether its before still exists.
func (o LintRangeOptions) span(ctx context.Context, repo *git.Repo) (from, to string, err error) {
	from, to = o.From, o.To
	switch {
	case from == "" && o.FromLastTag:
		if from, err = LastTag(ctx, repo, to); err != nil {
			return "", "", err
		}
	case o.Pushed && strings.Trim(to, "0") != "":
		if strings.Trim(from, "0") != "" {
			// After a force push the old tip may be gone: lint the
			// pushed commit alone then.
			if _, err := repo.ResolveCommit(ctx, from); err == nil {
				return from, to, nil
			}
		}
		// A new branch (before is all zeros) or a gone before.
		if _, err := repo.ResolveCommit(ctx, to+"~1"); err == nil {
			return to + "~1", to, nil
		}
		return "", to, nil
	}
	return from, to, nil
}
