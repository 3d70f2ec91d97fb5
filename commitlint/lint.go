package commitlint

import (
	"cmp"
	"slices"
	"strings"
)

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
//
// To lint many messages with one configuration, NewLinter does the
// configuration's work once.
func Lint(msg string, cfg Config, in Input) Result {
	return NewLinter(cfg).Lint(msg, in)
}

// Linter lints messages with one configuration, looked up once: Lint
// with the same configuration, for many messages. A Linter is safe for
// concurrent use.
type Linter struct {
	cfg Config
	// rules are the enabled rules, in name order.
	rules []linterRule
	// headerFormat is the level of a "header-format" finding.
	headerFormat Level
	// headerFormatURL is its help link.
	headerFormatURL string
	// plugins are the enabled plugin rules (plugin.go).
	plugins []pluginRule
}

// linterRule is one enabled rule.
type linterRule struct {
	name string
	rc   RuleConfig
	spec ruleSpec
	url  string
}

// NewLinter returns a Linter for cfg. Later changes to cfg.Rules do not
// affect it.
func NewLinter(cfg Config) *Linter {
	l := &Linter{
		cfg:             cfg,
		headerFormat:    max(cfg.Rules["type-empty"].Level, cfg.Rules["subject-empty"].Level),
		headerFormatURL: cfg.helpURL("header-format"),
	}
	for _, name := range ruleNames {
		rc, ok := cfg.Rules[name]
		if _, plugged := cfg.Plugins[name]; !ok || rc.Level == Disabled || plugged {
			continue
		}
		l.rules = append(l.rules, linterRule{name: name, rc: rc, spec: ruleSpecs[name], url: cfg.helpURL(name)})
	}
	l.plugins = linterPlugins(cfg)
	return l
}

// Lint checks one commit message; see the package-level Lint.
func (l *Linter) Lint(msg string, in Input) Result {
	norm, nf := normString(msg)
	// The commit and the rules' view of it are allocated together.
	a := &struct {
		c Commit
		m ruleMessage
	}{}
	parseInto(&a.c, norm, l.cfg.Parser)
	res := l.lintParsed(&a.c, &a.m, in)
	if len(nf) > 0 {
		res.Findings = append(nf, res.Findings...)
		lintSort(res.Findings)
	}
	return res
}

// lintParsed runs every enabled rule on a parsed commit; m is where the
// rules' view of it goes.
func (l *Linter) lintParsed(c *Commit, m *ruleMessage, in Input) Result {
	res := Result{Commit: c}
	if lintIgnored(c.Header, l.cfg, in) || lintIgnoredByFunc(c.Raw, l.cfg) {
		res.Ignored = true
		return res
	}
	// A header that does not parse is judged on what commitlint's parser
	// sees in it (headerview.go); its problem is reported once, under
	// type-empty or subject-empty.
	view, hv := l.headerViewOf(c)
	bot := lintIsBot(in.Author)
	ready := false
	for i := range l.rules {
		r := &l.rules[i]
		switch r.spec.part {
		case "body", "footer":
			if bot {
				continue
			}
		}
		if !ready {
			ruleInitMessage(m, view)
			ready = true
		}
		ps := r.spec.check(m, r.rc)
		if hv.owns(r, ps) {
			continue
		}
		for _, p := range ps {
			res.Findings = append(res.Findings, Finding{
				Rule: r.name, Level: r.rc.Level,
				Line: p.line, Column: p.col,
				Message: p.msg, Fix: p.fix,
				URL: r.url,
			})
		}
	}
	res.Findings = append(res.Findings, l.headerFindings(c, hv)...)
	res.Findings = append(res.Findings, lintPlugins(l.plugins, c)...)
	lintSort(res.Findings)
	return res
}

// lintSort orders findings by line, column and rule name; findings that
// tie keep their order.
func lintSort(fs []Finding) {
	if len(fs) < 2 {
		return
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if a.Line != b.Line {
			return cmp.Compare(a.Line, b.Line)
		}
		if a.Column != b.Column {
			return cmp.Compare(a.Column, b.Column)
		}
		return strings.Compare(a.Rule, b.Rule)
	})
}
