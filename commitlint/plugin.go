package commitlint

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// PluginRule is a rule from a commitlint plugin (`plugins: [{ rules: {
// name: (parsed, when, value) => [ok, message] } }]`): c is the parsed
// message (Commit.Parsed gives it in commitlint's parser's shape), always
// is false for "never", value is the rule's value as configured (nil when
// there is none). It returns whether the message passes and, when not,
// the message to report.
type PluginRule func(c *Commit, always bool, value any) (ok bool, msg string)

// ParserOptions are a parser preset's options (commitlint's
// `parserPreset: { parserOpts: {...} }`) that change what Lint sees.
type ParserOptions struct {
	// HeaderPattern, when set, splits the header instead of the
	// Conventional Commits grammar: a header it matches has its type,
	// scope and subject from the groups HeaderCorrespondence names
	// (default type, scope, subject); one it does not match has none of
	// them, as in commitlint's parser.
	HeaderPattern *regexp.Regexp
	// HeaderCorrespondence names HeaderPattern's groups, in order.
	HeaderCorrespondence []string
	// NoteKeywords, when not nil, are the footer tokens that are notes
	// (conventional-commits-parser's noteKeywords), instead of BREAKING
	// CHANGE and BREAKING-CHANGE. A note starts the footers wherever it
	// is, marks the commit Breaking and its value goes to BreakingNotes.
	// A keyword matches in any case, except BREAKING CHANGE and
	// BREAKING-CHANGE, which are upper case only (Conventional Commits
	// §16). A keyword may hold spaces (`DEPRECATED API: ...`).
	NoteKeywords []string
	// IssuePrefixes, when not nil, are what starts an issue reference
	// (issuePrefixes), instead of `#` and `GH-`: a prefix at a word's
	// start, optionally after `owner/repo`, then the issue's digits
	// (`REF-12`, `acme/app#12`). They match in any case unless
	// IssuePrefixesCaseSensitive is set. Empty prefixes are skipped.
	IssuePrefixes              []string
	IssuePrefixesCaseSensitive bool
	// CommentChar, when set, starts the comment lines (commentChar): they
	// are removed before the message is parsed, wherever they are, and so
	// are git's scissors line (`<c> ------------------------ >8
	// ------------------------`) and everything below it. Commit.Raw is
	// the message without them.
	CommentChar string
}

// ParsePluginRuleConfig validates a plugin rule's configuration as
// commitlint's lint does: a list [level] (level 0 only), [level, when] or
// [level, when, value], level 0, 1 or 2, when "always" or "never". The
// value is kept as it is, for the plugin.
func ParsePluginRuleConfig(name string, raw any) (RuleConfig, error) {
	list, ok := raw.([]any)
	if !ok {
		return RuleConfig{}, fmt.Errorf("config for rule %s must be array, got %s", name, ruleDescribe(raw))
	}
	if len(list) == 0 {
		return RuleConfig{}, fmt.Errorf("config for rule %s must be 2 or 3 items long, got 0", name)
	}
	lvl, ok := ruleNumber(list[0])
	if !ok || lvl < 0 || lvl > 2 {
		return RuleConfig{}, fmt.Errorf("level for rule %s must be 0, 1 or 2, got %s", name, ruleDescribe(list[0]))
	}
	if lvl == 0 && len(list) == 1 {
		return RuleConfig{Level: Disabled, Always: true}, nil
	}
	if len(list) < 2 || len(list) > 3 {
		return RuleConfig{}, fmt.Errorf("config for rule %s must be 2 or 3 items long, got %d", name, len(list))
	}
	rc := RuleConfig{Level: Level(lvl)}
	switch list[1] {
	case "always":
		rc.Always = true
	case "never":
	default:
		return RuleConfig{}, fmt.Errorf("condition for rule %s must be \"always\" or \"never\", got %s", name, ruleDescribe(list[1]))
	}
	if len(list) == 3 {
		rc.Value = list[2]
	}
	return rc, nil
}

// Parsed returns c as commitlint's parser (conventional-commits-parser)
// shapes a parsed commit for plugin rules: type, scope, subject, header,
// body and footer (null when absent), notes [{title, text}], references
// [{raw, action, owner, repository, issue, prefix}], mentions, revert
// ({header, hash} or null), merge and raw.
func (c *Commit) Parsed() map[string]any {
	str := func(s string, present bool) any {
		if !present {
			return nil
		}
		return s
	}
	headerOK := c.HeaderError == nil
	notes := []any{}
	for _, f := range c.Footers {
		if parseIsNote(f.Token, c.NoteKeywords) {
			notes = append(notes, map[string]any{"title": f.Token, "text": f.Value})
		}
	}
	refs := []any{}
	for _, r := range c.References {
		var owner, repo any
		raw := r.Prefix + r.Issue
		if r.Owner != "" {
			owner, repo = r.Owner, r.Repo
			raw = r.Owner + "/" + r.Repo + raw
		}
		var action any
		if r.Action != "" {
			action = r.Action
			raw = r.Action + " " + raw
		}
		refs = append(refs, map[string]any{"raw": raw, "action": action, "owner": owner, "repository": repo, "issue": r.Issue, "prefix": r.Prefix})
	}
	mentions := []any{}
	for _, m := range pluginMentions().FindAllStringSubmatch(c.Raw, -1) {
		mentions = append(mentions, m[1])
	}
	var revert any
	if c.Revert != "" {
		revert = map[string]any{"header": c.Header, "hash": c.Revert}
	}
	var footer any
	if c.FooterLine > 0 {
		lines := strings.Split(c.Raw, "\n")
		if c.FooterLine-1 < len(lines) {
			footer = strings.TrimRight(strings.Join(lines[c.FooterLine-1:], "\n"), "\n")
		}
	}
	return map[string]any{
		"type":       str(c.Type, headerOK && c.Type != ""),
		"scope":      str(c.Scope, headerOK && c.HasScope),
		"subject":    str(c.Subject, headerOK),
		"header":     c.Header,
		"body":       str(c.Body, c.Body != ""),
		"footer":     footer,
		"notes":      notes,
		"references": refs,
		"mentions":   mentions,
		"revert":     revert,
		"merge":      nil,
		"raw":        c.Raw,
	}
}

// pluginMentions finds @mentions as conventional-commits-parser does. It is
// compiled on first use (see lintSemver).
var pluginMentions = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`@([\w-]+)`) })

// pluginRules are the plugin rules of cfg that its Rules enable, by name.
type pluginRule struct {
	name string
	rc   RuleConfig
	run  PluginRule
	url  string
}

// linterPlugins picks the configured plugin rules, in name order.
func linterPlugins(cfg Config) []pluginRule {
	var out []pluginRule
	for name, run := range cfg.Plugins {
		rc, ok := cfg.Rules[name]
		if !ok || rc.Level == Disabled || run == nil {
			continue
		}
		out = append(out, pluginRule{name: name, rc: rc, run: run, url: cfg.HelpURL})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// lintPlugins runs the plugin rules on c.
func lintPlugins(rules []pluginRule, c *Commit) []Finding {
	var out []Finding
	for _, r := range rules {
		ok, msg := r.run(c, r.rc.Always, r.rc.Value)
		if ok {
			continue
		}
		out = append(out, Finding{Rule: r.name, Level: r.rc.Level, Line: 1, Column: 1, Message: msg, URL: r.url})
	}
	return out
}

// lintIgnoredByFunc reports whether one of cfg's ignores functions skips
// the message.
func lintIgnoredByFunc(msg string, cfg Config) bool {
	for _, f := range cfg.IgnoreFuncs {
		if f != nil && f(msg) {
			return true
		}
	}
	return false
}

// applyParser re-reads c's header with a parser preset's header pattern.
func (p *ParserOptions) apply(c *Commit) {
	if p == nil || p.HeaderPattern == nil {
		return
	}
	m := p.HeaderPattern.FindStringSubmatchIndex(c.Header)
	if m == nil {
		c.Type, c.Scope, c.HasScope, c.Subject, c.Bang = "", "", false, "", false
		if c.HeaderError == nil {
			c.HeaderError = &ParseError{Line: 1, Column: 1, Message: "header does not match the parser preset's headerPattern `" + p.HeaderPattern.String() + "`", Fix: "write the header as the pattern asks"}
		}
		return
	}
	names := p.HeaderCorrespondence
	if len(names) == 0 {
		names = []string{"type", "scope", "subject"}
	}
	c.Type, c.Scope, c.HasScope, c.Subject = "", "", false, ""
	for i, name := range names {
		g := i + 1
		if 2*g+1 >= len(m) || m[2*g] < 0 {
			continue
		}
		v := c.Header[m[2*g]:m[2*g+1]]
		switch name {
		case "type":
			c.Type = v
		case "scope":
			c.Scope, c.HasScope = v, true
		case "subject":
			c.Subject = v
		}
	}
	c.HeaderError = nil
	if c.Type == "" {
		c.HeaderError = &ParseError{Line: 1, Column: 1, Message: "header has no type by the parser preset's headerPattern `" + p.HeaderPattern.String() + "`"}
	}
}
