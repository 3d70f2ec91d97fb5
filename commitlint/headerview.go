package commitlint

import "strings"

// headerView is what commitlint's parser takes from a header that Parse
// rejects, so that rules reach commitlint's verdicts on it. commitlint
// (config-conventional's parser preset,
// conventional-changelog-conventionalcommits) matches the header against
// /^(\w*)(?:\((.*)\))?!?: (.*)$/: `(scope): x` has a scope and a subject
// but no type, `fix:` has neither type nor subject, `feat(api!): x` has
// all three. A header the pattern does not match has none.
type headerView struct {
	typ, scope, subject string
	hasScope, matched   bool
}

// headerLenient matches h as commitlint's conventional header pattern
// does. `\w` is ASCII letters, digits and `_`; `(.*)` in the scope is
// greedy, so the scope runs to the last `)` that a `: ` (or `!: `) follows.
func headerLenient(h string) headerView {
	i := 0
	for i < len(h) && (parseIsASCIIAlnum(h[i]) || h[i] == '_') {
		i++
	}
	v := headerView{typ: h[:i]}
	rest := h[i:]
	// Without a scope: `!?: ` right after the type.
	if s, ok := headerColon(rest); ok {
		v.subject, v.matched = s, true
		return v
	}
	if len(rest) == 0 || rest[0] != '(' {
		return headerView{}
	}
	// With a scope: the last `)` from which `!?: ` follows (greedy).
	for j := len(rest) - 1; j > 0; j-- {
		if rest[j] != ')' {
			continue
		}
		if s, ok := headerColon(rest[j+1:]); ok {
			v.scope, v.hasScope = rest[1:j], true
			v.subject, v.matched = s, true
			return v
		}
	}
	return headerView{}
}

// headerColon matches `!?: (.*)` at the start of s and returns the
// subject.
func headerColon(s string) (string, bool) {
	if len(s) > 0 && s[0] == '!' {
		s = s[1:]
	}
	if len(s) >= 2 && s[0] == ':' && s[1] == ' ' {
		return s[2:], true
	}
	return "", false
}

// headerViewCommit returns a copy of c, whose header does not parse, with
// the type, scope and subject commitlint's parser would see: the rules on
// those parts then judge them as commitlint does.
func headerViewCommit(c *Commit) *Commit {
	v := headerLenient(c.Header)
	out := *c
	out.Type, out.Scope, out.HasScope, out.Subject = v.typ, v.scope, v.hasScope, v.subject
	if !v.matched {
		out.Type, out.Scope, out.HasScope, out.Subject = "", "", false, ""
	}
	return &out
}

// headerVerdict collects, for a header that does not parse, the
// type-empty and subject-empty failures that the header's problem
// explains.
type headerVerdict struct {
	// active is true when the header did not parse.
	active bool
	view   *Commit
	// owner is the rule the header's problem is reported under: the
	// stricter of type-empty and subject-empty ("never") that failed.
	owner *linterRule
}

// headerViewOf returns the commit the rules judge: c itself, or, when its
// header does not parse, what commitlint's parser sees in it. A parser
// preset (Config.Parser) has already set the parts from its own pattern.
func (l *Linter) headerViewOf(c *Commit) (*Commit, *headerVerdict) {
	if c.HeaderError == nil {
		return c, &headerVerdict{}
	}
	view := c
	if l.cfg.Parser == nil || l.cfg.Parser.HeaderPattern == nil {
		view = headerViewCommit(c)
	}
	return view, &headerVerdict{active: true, view: view}
}

// owns reports whether rule r's problems ps are the header's problem: a
// failed "never" type-empty or subject-empty on a header that does not
// parse. It remembers the stricter such rule.
func (h *headerVerdict) owns(r *linterRule, ps []ruleProblem) bool {
	if !h.active || r.rc.Always || (r.name != "type-empty" && r.name != "subject-empty") {
		return false
	}
	if len(ps) > 0 && (h.owner == nil || r.rc.Level > h.owner.rc.Level ||
		r.rc.Level == h.owner.rc.Level && r.name == "type-empty") {
		h.owner = r
	}
	return true
}

// headerFindings reports a header that does not parse: once, under the
// rule that owns its problem, with Parse's message, fix and place. When
// commitlint's parser finds a type and a subject in it all the same
// (`feat(api!): x`), commitlint passes it, and shipflow warns under
// "header-format" when the configuration asks for a type or a subject.
func (l *Linter) headerFindings(c *Commit, h *headerVerdict) []Finding {
	if !h.active {
		return nil
	}
	e := c.HeaderError
	if h.owner != nil {
		return []Finding{{
			Rule: h.owner.name, Level: h.owner.rc.Level,
			Line: e.Line, Column: e.Column,
			Message: e.Message, Fix: e.Fix,
			// The problem is the header's format: link to it.
			URL: l.headerFormatURL,
		}}
	}
	if l.headerFormat == Disabled || h.view.Type == "" || strings.TrimSpace(h.view.Subject) == "" {
		return nil
	}
	return []Finding{{
		Rule: "header-format", Level: Warning,
		Line: e.Line, Column: e.Column,
		Message: e.Message, Fix: e.Fix,
		URL: l.headerFormatURL,
	}}
}
