// Package branch holds shipflow's branching model: which branch names exist
// (main, dev, feature/*, hotfix/*, bot branches) and which head may be merged
// into which base. It is pure: no git, no network, no environment; callers
// pass branch names (from a pull_request event's head.ref and base.ref, or
// from the command line) and get a structured Result.
package branch

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Rule names, as they appear in Finding.Rule.
const (
	// RuleHeadKind: the head branch is not part of the model.
	RuleHeadKind = "branch-kind"
	// RuleBaseKind: the base branch is not part of the model.
	RuleBaseKind = "base-kind"
	// RuleName: the head's name breaks the naming rule or git's ref rules.
	RuleName = "branch-name"
	// RuleLength: the head's name is longer than Policy.MaxLength.
	RuleLength = "branch-length"
	// RuleFlow: the head may not be merged into this base.
	RuleFlow = "branch-flow"
)

// Flow says which bases branches matching Head may target.
type Flow struct {
	// Head is an exact branch name ("dev") or a prefix pattern ending in
	// "/*" ("feature/*").
	Head string
	// Bases are exact names or prefix patterns, in the order messages
	// list them.
	Bases []string
}

// Policy is a branching model. The zero Policy allows nothing; start from
// DefaultPolicy.
type Policy struct {
	// Flows lists every head pattern of the model with its allowed bases.
	// A branch that matches no Head is not in the model. When several
	// heads match, an exact name wins over a pattern and a longer pattern
	// over a shorter one.
	Flows []Flow
	// StrictNames are the head patterns whose names must follow the strict
	// naming rule: after the prefix, one or more '/'-separated parts
	// matching [A-Za-z0-9][A-Za-z0-9._-]*.
	StrictNames []string
	// Skip are head patterns that are always allowed without checks, with
	// a note (GitHub's merge-queue branches).
	Skip []string
	// MaxLength is the longest name, in characters, allowed for heads that
	// match StrictNames; 0 means no limit.
	MaxLength int
}

// DefaultPolicy returns the seed process's model: main is stable and accepts
// dev (a release) and hotfix/*; dev is the integration branch and accepts
// feature/*, hotfix/* (back-merge), main (sync) and the dependabot/* and
// renovate/* bots; shipflow's own release pull requests
// (shipflow/release-main) go into main. Merge-queue branches (gh-readonly-queue/*) are skipped;
// feature/* and hotfix/* names follow the strict rule and are at most 100
// characters.
func DefaultPolicy() Policy {
	return Policy{
		Flows: []Flow{
			{Head: "feature/*", Bases: []string{"dev"}},
			{Head: "hotfix/*", Bases: []string{"main", "dev"}},
			{Head: "dev", Bases: []string{"main"}},
			{Head: "main", Bases: []string{"dev"}},
			{Head: "dependabot/*", Bases: []string{"dev"}},
			{Head: "renovate/*", Bases: []string{"dev"}},
			// The release PRs `shipflow release` opens (release.mode: pr).
			{Head: "shipflow/*", Bases: []string{"main"}},
		},
		StrictNames: []string{"feature/*", "hotfix/*"},
		Skip:        []string{"gh-readonly-queue/*"},
		MaxLength:   100,
	}
}

// Validate reports a model without flows (it would reject every branch),
// patterns that are neither an exact valid branch name nor a prefix pattern
// "prefix/*", and heads listed twice.
func (p Policy) Validate() error {
	var errs []error
	if len(p.Flows) == 0 {
		errs = append(errs, errors.New("the model has no flows, so every branch would be rejected; list at least one head with its bases, or leave flows out for the default model"))
	}
	check := func(where, pat string) {
		if err := checkPattern(pat); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
	}
	seen := map[string]bool{}
	for _, f := range p.Flows {
		check("flow head", f.Head)
		if seen[f.Head] {
			errs = append(errs, fmt.Errorf("flow head %q is listed twice", f.Head))
		}
		seen[f.Head] = true
		for _, b := range f.Bases {
			check(fmt.Sprintf("base of %q", f.Head), b)
		}
	}
	for _, s := range p.StrictNames {
		check("strict name", s)
	}
	for _, s := range p.Skip {
		check("skip", s)
	}
	if p.MaxLength < 0 {
		errs = append(errs, fmt.Errorf("max length %d is negative", p.MaxLength))
	}
	return errors.Join(errs...)
}

func checkPattern(pat string) error {
	name := pat
	if prefix, ok := strings.CutSuffix(pat, "/*"); ok {
		name = prefix + "/x"
	}
	if err := CheckRefName(name); err != nil {
		return fmt.Errorf("pattern %q is not a branch name or a prefix pattern like \"feature/*\": %s", pat, err.Message)
	}
	return nil
}

// match reports whether name matches pat and how specific the match is:
// an exact name scores highest, then longer prefixes.
func match(pat, name string) (int, bool) {
	if prefix, ok := strings.CutSuffix(pat, "*"); ok && strings.HasSuffix(prefix, "/") {
		if strings.HasPrefix(name, prefix) {
			return len(prefix), true
		}
		return 0, false
	}
	if pat == name {
		return 1 << 30, true
	}
	return 0, false
}

// best returns the most specific pattern of pats matching name, or "".
func best(pats []string, name string) string {
	found, score := "", -1
	for _, p := range pats {
		if s, ok := match(p, name); ok && s > score {
			found, score = p, s
		}
	}
	return found
}

// Finding is one problem with a head or base branch.
type Finding struct {
	// Rule is one of the Rule* constants.
	Rule string
	// Branch is the name the finding is about (the head or the base, after
	// a leading "refs/heads/" was removed).
	Branch string
	// Column is the 1-based character position of the problem in Branch,
	// or 0 when the problem is the name as a whole.
	Column int
	// Message says what is wrong ("feature/* may only target dev; it
	// targets main"); it does not repeat Branch or Column, so renderers
	// can place them ("feature/a b: character 10: ' ' (space) is not
	// allowed; ...").
	Message string
	// Fix is a concrete suggestion, or empty.
	Fix string
	// Allowed lists the valid values: the allowed bases for RuleFlow, the
	// model's patterns for RuleHeadKind and RuleBaseKind.
	Allowed []string
}

// Result is the outcome of Check.
type Result struct {
	// Head and Base are the names checked, after one leading "refs/heads/"
	// was removed from each.
	Head, Base string
	// HeadKind and BaseKind are the model patterns the branches matched
	// ("feature/*", "dev"), or empty when they matched none; HeadKind is
	// "fork" for a fork's head (see FromFork).
	HeadKind, BaseKind string
	// Allowed is true when Findings is empty.
	Allowed bool
	// Skipped is true when the head matched Policy.Skip; Note says why.
	Skipped bool
	// Note is an informational remark, or empty.
	Note string
	// Findings are the problems, head first.
	Findings []Finding
}

// TrimRef removes one leading "refs/heads/" from name. Remote names are kept:
// "origin/feature/x" is not the branch "feature/x".
func TrimRef(name string) string {
	return strings.TrimPrefix(name, "refs/heads/")
}

// RuleFork: a fork's branch targets a base other than the integration
// branch.
const RuleFork = "branch-fork"

// Option is a knob of Check.
type Option func(*checkOptions)

type checkOptions struct {
	fork        bool
	integration string
}

// FromFork says the head branch lives in a fork, not in this repository.
// A fork's branch names are outside this repository's model: "main" in a
// fork is not this repository's main, so it is neither a sync nor a
// release. It counts as feature work and may only target integration (the
// branch features are merged into, "dev" in the default model), whatever
// its name; its name must still be a valid git branch name. The default is
// a head branch of this repository.
func FromFork(integration string) Option {
	return func(o *checkOptions) { o.fork, o.integration = true, integration }
}

// Check tells whether a pull request from head into base follows p. Head
// and base are branch names, optionally with one leading "refs/heads/"
// (never remote-tracking names such as "origin/dev").
func Check(head, base string, p Policy, opts ...Option) Result {
	var o checkOptions
	for _, opt := range opts {
		opt(&o)
	}
	r := Result{Head: TrimRef(head), Base: TrimRef(base)}
	if o.fork {
		return checkFork(r, o.integration)
	}
	if s := best(p.Skip, r.Head); s != "" {
		r.Skipped, r.Allowed, r.HeadKind = true, true, s
		r.Note = fmt.Sprintf("%q matches %s (a merge-queue branch): not checked", r.Head, s)
		return r
	}
	heads := make([]string, 0, len(p.Flows))
	var bases []string
	for _, f := range p.Flows {
		heads = append(heads, f.Head)
		for _, b := range f.Bases {
			if !slices.Contains(bases, b) {
				bases = append(bases, b)
			}
		}
	}

	r.HeadKind = best(heads, r.Head)
	if r.HeadKind == "" {
		r.Findings = append(r.Findings, unknown(RuleHeadKind, "head", r.Head, heads))
	} else {
		r.Findings = append(r.Findings, checkName(r.Head, r.HeadKind, p)...)
	}
	r.BaseKind = best(bases, r.Base)
	if r.BaseKind == "" {
		r.Findings = append(r.Findings, unknown(RuleBaseKind, "base", r.Base, bases))
	}
	if r.HeadKind != "" && r.BaseKind != "" {
		i := slices.IndexFunc(p.Flows, func(f Flow) bool { return f.Head == r.HeadKind })
		allowed := p.Flows[i].Bases
		if !slices.Contains(allowed, r.BaseKind) {
			f := Finding{
				Rule:    RuleFlow,
				Branch:  r.Head,
				Message: fmt.Sprintf("%s may only target %s; it targets %s", r.HeadKind, orList(allowed), r.Base),
				Allowed: slices.Clone(allowed),
			}
			if len(allowed) == 1 && !strings.HasSuffix(allowed[0], "/*") {
				f.Fix = fmt.Sprintf("change the pull request's base to %s", allowed[0])
			}
			r.Findings = append(r.Findings, f)
		}
	}
	r.Allowed = len(r.Findings) == 0
	return r
}

// checkFork checks a fork's head: a valid git name, targeting integration.
func checkFork(r Result, integration string) Result {
	r.HeadKind, r.Note = "fork", "the head branch is in a fork: it counts as feature work, whatever its name"
	if err := CheckRefName(r.Head); err != nil {
		r.Findings = append(r.Findings, nameFinding(err))
	}
	if r.Base == integration {
		r.BaseKind = integration
	} else {
		r.Findings = append(r.Findings, Finding{
			Rule:   RuleFork,
			Branch: r.Head,
			Message: fmt.Sprintf("a fork's branch is outside this repository's model and counts as feature work: it may only target %s; it targets %s",
				integration, r.Base),
			Fix:     fmt.Sprintf("change the pull request's base to %s (releases and syncs are made from this repository's own branches)", integration),
			Allowed: []string{integration},
		})
	}
	r.Allowed = len(r.Findings) == 0
	return r
}

// checkName applies the naming rules to a head that matched kind.
func checkName(name, kind string, p Policy) []Finding {
	var out []Finding
	strict := best(p.StrictNames, name) != ""
	if strict {
		prefix := strings.TrimSuffix(kind, "*")
		if !strings.HasSuffix(kind, "/*") {
			prefix = ""
		}
		if prefix != "" {
			if err := checkTail(name, prefix); err != nil {
				out = append(out, nameFinding(err))
			}
		}
		if n := utf8.RuneCountInString(name); p.MaxLength > 0 && n > p.MaxLength {
			out = append(out, Finding{
				Rule:    RuleLength,
				Branch:  name,
				Column:  p.MaxLength + 1,
				Message: fmt.Sprintf("name is %d characters, limit is %d", n, p.MaxLength),
			})
		}
	}
	if len(out) == 0 || out[0].Rule != RuleName {
		if err := CheckRefName(name); err != nil {
			out = append([]Finding{nameFinding(err)}, out...)
		}
	}
	return out
}

func nameFinding(err *NameError) Finding {
	return Finding{Rule: RuleName, Branch: err.Name, Column: err.Column, Message: err.Message}
}

// unknown reports a branch that matches no pattern, with a hint when it
// differs from one only by case or by a leading remote name.
func unknown(rule, role, name string, pats []string) Finding {
	f := Finding{
		Rule:    rule,
		Branch:  name,
		Message: fmt.Sprintf("%s branch is not part of the model; allowed %ss are %s", role, role, strings.Join(pats, ", ")),
		Allowed: slices.Clone(pats),
	}
	if name == "" {
		f.Message = fmt.Sprintf("%s branch is empty; allowed %ss are %s", role, role, strings.Join(pats, ", "))
		return f
	}
	if p := best(pats, strings.ToLower(name)); p != "" {
		fixed := name
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			fixed = prefix + name[len(prefix):]
		} else {
			fixed = p
		}
		f.Fix = fmt.Sprintf("branch names are case-sensitive: did you mean %q?", fixed)
		return f
	}
	if remote, rest, ok := strings.Cut(name, "/"); ok && best(pats, rest) != "" {
		f.Fix = fmt.Sprintf("%q looks like a remote-tracking name; pass the branch name %q without the remote %q", name, rest, remote)
		return f
	}
	for _, p := range pats {
		if prefix, ok := strings.CutSuffix(p, "/*"); ok && name == prefix {
			f.Fix = fmt.Sprintf("name the work after the prefix, as in %q", prefix+"/add-login")
			return f
		}
	}
	return f
}

// orList renders ["a"] as "a", ["a", "b"] as "a or b", ["a", "b", "c"] as
// "a, b or c".
func orList(s []string) string {
	switch len(s) {
	case 0:
		return "nothing"
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
