package commitlint

import "sort"

// Input is what Lint knows about a message besides its text.
type Input struct {
	// IsMerge is true for a commit with two or more parents (range mode);
	// such commits are skipped.
	IsMerge bool
	// Author is the commit's author as "Name <email>". Bot authors
	// (dependabot, renovate, any "[bot]" account) have their body and
	// footer rules relaxed; header rules still apply.
	Author string
}

// Result is the outcome of linting one message.
type Result struct {
	// Commit is the parsed message.
	Commit *Commit
	// Ignored is true when the message was skipped (a merge, revert,
	// fixup!, version commit or configured pattern); Findings then holds
	// only problems found while normalising.
	Ignored bool
	// Findings are sorted by line and column.
	Findings []Finding
}

// Valid reports whether r has no error-level finding.
func (r Result) Valid() bool { return r.Errors() == 0 }

// Errors returns the number of error-level findings.
func (r Result) Errors() int { return r.count(Error) }

// Warnings returns the number of warning-level findings.
func (r Result) Warnings() int { return r.count(Warning) }

func (r Result) count(l Level) int {
	n := 0
	for _, f := range r.Findings {
		if f.Level == l {
			n++
		}
	}
	return n
}

// Lint checks one commit message: it normalises it (Normalize), parses it
// (Parse) and runs every rule cfg enables, unless the message is ignored
// (see Config.DefaultIgnores, Config.Ignores and Input.IsMerge). Problems
// found while normalising (a byte order mark, invalid UTF-8, NUL bytes)
// are always reported. A header that is not `type(scope)!: subject`
// yields one "header-format" finding at its place instead of a cascade of
// type and subject findings. Findings are sorted by line and column.
func Lint(msg string, cfg Config, in Input) Result {
	norm, nf := Normalize([]byte(msg))
	res := lintParsed(Parse(norm), cfg, in)
	if len(nf) > 0 {
		res.Findings = append(nf, res.Findings...)
		lintSort(res.Findings)
	}
	return res
}

// lintParsed runs every enabled rule of cfg on a parsed commit.
func lintParsed(c *Commit, cfg Config, in Input) Result {
	res := Result{Commit: c}
	if lintIgnored(c.Header, cfg, in) {
		res.Ignored = true
		return res
	}
	if c.HeaderError != nil {
		// One clear finding instead of a cascade of type-empty,
		// subject-empty and friends; it is as severe as the stricter of
		// the two rules that ask for a Conventional Commits header.
		lvl := max(cfg.Rules["type-empty"].Level, cfg.Rules["subject-empty"].Level)
		if lvl > Disabled {
			e := c.HeaderError
			res.Findings = append(res.Findings, Finding{
				Rule: "header-format", Level: lvl,
				Line: e.Line, Column: e.Column,
				Message: e.Message, Fix: e.Fix,
				URL: cfg.helpURL("header-format"),
			})
		}
	}
	bot := lintIsBot(in.Author)
	var m *ruleMessage
	for name, rc := range cfg.Rules {
		if rc.Level == Disabled {
			continue
		}
		spec, ok := ruleSpecs[name]
		if !ok {
			continue
		}
		switch spec.part {
		case "type", "scope", "subject":
			if c.HeaderError != nil {
				continue
			}
		case "body", "footer":
			if bot {
				continue
			}
		}
		if m == nil {
			m = ruleNewMessage(c)
		}
		for _, p := range spec.check(m, rc) {
			res.Findings = append(res.Findings, Finding{
				Rule: name, Level: rc.Level,
				Line: p.line, Column: p.col,
				Message: p.msg, Fix: p.fix,
				URL: cfg.helpURL(name),
			})
		}
	}
	lintSort(res.Findings)
	return res
}

// lintSort orders findings by line, column and rule name.
func lintSort(fs []Finding) {
	if len(fs) < 2 {
		return
	}
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}
