package commitlint

import (
	"slices"
	"strings"
	"testing"
)

// The verdicts below are real commitlint 20.5's (@commitlint/lint with the
// same parserOpts), checked when the options were added, except the few
// marked as shipflow's own: each option changes a verdict, and leaving it
// unset keeps shipflow's defaults.

// parseOptsRules lints msg with one rule at level 2 and the parser options
// p, and returns the names of the rules that reported.
func parseOptsRules(t *testing.T, msg string, rule string, always bool, p *ParserOptions) []string {
	t.Helper()
	cfg := Config{Rules: map[string]RuleConfig{rule: {Level: Error, Always: always}}, Parser: p}
	var got []string
	for _, f := range Lint(msg, cfg, Input{}).Findings {
		got = append(got, f.Rule)
	}
	return got
}

func TestParserOptionsVerdicts(t *testing.T) {
	refs := func(ps ...string) *ParserOptions { return &ParserOptions{IssuePrefixes: ps} }
	for _, tc := range []struct {
		name   string
		msg    string
		rule   string
		always bool
		p      *ParserOptions
		fails  bool
	}{
		// issuePrefixes: what starts a reference.
		{"REF- unset", "fix: x\n\nREF-12", "references-empty", false, nil, true},
		{"REF- set", "fix: x\n\nREF-12", "references-empty", false, refs("REF-"), false},
		{"REF- any case", "fix: x\n\nref-12", "references-empty", false, refs("REF-"), false},
		{"REF- case-sensitive", "fix: x\n\nref-12", "references-empty", false, &ParserOptions{IssuePrefixes: []string{"REF-"}, IssuePrefixesCaseSensitive: true}, true},
		{"REF- in the header", "bar REF-1234", "references-empty", false, refs("REF-"), false},
		{"# replaced by REF-", "fix: x\n\nCloses #12", "references-empty", false, refs("REF-"), true},
		{"# listed", "fix: x\n\nCloses #12", "references-empty", false, refs("REF-", "#"), false},
		{"owner/repo before !", "fix: x\n\nsee group/proj!12", "references-empty", false, refs("#", "!"), false},
		{"prefix without an issue", "fix: x\n\nREF-", "references-empty", false, refs("REF-"), true},

		// commentChar: comment lines are not part of the message.
		{"comment unset", "fix: x\n#1 Comment", "references-empty", false, nil, false},
		{"comment #", "fix: x\n#1 Comment", "references-empty", false, &ParserOptions{CommentChar: "#"}, true},
		{"comment # always", "fix: x\n#1 Comment", "references-empty", true, &ParserOptions{CommentChar: "#"}, false},
		{"comment ;", "fix: x\n; see #1", "references-empty", false, &ParserOptions{CommentChar: ";"}, true},
		{"comment before the header", "#comment\nfix: x", "type-empty", false, &ParserOptions{CommentChar: "#"}, false},
		{"comment before the header unset", "#comment\nfix: x", "type-empty", false, nil, true},
		{"scissors", "fix: x\n\nbody\n# ------------------------ >8 ------------------------\nCloses #1", "references-empty", false, &ParserOptions{CommentChar: "#"}, true},
		{"a body line is no comment", "fix: x\n\nsee #1\n#2 comment", "references-empty", false, &ParserOptions{CommentChar: "#"}, false},

		// noteKeywords: which footer tokens are notes; a note starts the
		// footers wherever it is, as BREAKING CHANGE does.
		{"note unset", "feat: x\n\nDEPRECATED: old api\n\nsome prose after", "footer-empty", false, nil, true},
		{"note set", "feat: x\n\nDEPRECATED: old api\n\nsome prose after", "footer-empty", false, &ParserOptions{NoteKeywords: []string{"DEPRECATED"}}, false},
		{"note any case", "feat: x\n\ndeprecated: old api\n\nsome prose after", "footer-empty", false, &ParserOptions{NoteKeywords: []string{"DEPRECATED"}}, false},
		{"note with a space", "feat: x\n\nDEPRECATED API: old api\n\nsome prose after", "footer-empty", false, &ParserOptions{NoteKeywords: []string{"DEPRECATED API"}}, false},
		{"BREAKING-CHANGE not listed", "feat: x\n\nBREAKING-CHANGE: y\n\nsome prose after", "footer-empty", false, &ParserOptions{NoteKeywords: []string{"BREAKING CHANGE"}}, true},
		{"BREAKING-CHANGE by default", "feat: x\n\nBREAKING-CHANGE: y\n\nsome prose after", "footer-empty", false, nil, false},
		{"note ends the body", "feat: x\n\nprose\nDEPRECATED: old api", "footer-leading-blank", true, &ParserOptions{NoteKeywords: []string{"DEPRECATED"}}, true},
		{"no note, no footer", "feat: x\n\nprose\nDEPRECATED: old api", "footer-leading-blank", true, nil, false},

		// Where shipflow keeps its own reading and commitlint differs: a
		// reference starts at a word boundary (commitlint reads PREREF-12
		// as repository "PRE", issue 12); an empty prefix is no prefix
		// (commitlint then takes every word for a reference); BREAKING
		// CHANGE is upper case only (Conventional Commits §16).
		{"prefix inside a word", "fix: x\n\nPREREF-12", "references-empty", false, refs("REF-"), true},
		{"empty prefixes skipped", "fix: x\n\nsee 12", "references-empty", false, refs("", " "), true},
		{"breaking change lower case", "feat: x\n\nbreaking change: y\n\nprose", "footer-empty", false, &ParserOptions{NoteKeywords: []string{"BREAKING CHANGE"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseOptsRules(t, tc.msg, tc.rule, tc.always, tc.p)
			if fails := slices.Contains(got, tc.rule); fails != tc.fails {
				t.Errorf("%q with %+v: %s reported=%t, want %t (findings %v)", tc.msg, tc.p, tc.rule, fails, tc.fails, got)
			}
		})
	}
}

// TestParserOptionsParse: what the options change in the parsed commit.
func TestParserOptionsParse(t *testing.T) {
	t.Run("nil is Parse", func(t *testing.T) {
		var p *ParserOptions
		msg := "feat!: x\n\nCloses #1\n\nBREAKING CHANGE: y"
		a, b := p.Parse(msg), Parse(msg)
		if a.Raw != b.Raw || len(a.References) != 1 || !a.Breaking || len(a.BreakingNotes) != len(b.BreakingNotes) {
			t.Errorf("nil options: %+v, want %+v", a, b)
		}
	})
	t.Run("references", func(t *testing.T) {
		p := &ParserOptions{IssuePrefixes: []string{"REF-", "#"}}
		c := p.Parse("fix: REF-1 and #2\n\nCloses ref-3, REF-4\nsee acme/app#5 GH-6")
		var got []string
		for _, r := range c.References {
			s := r.Prefix + r.Issue
			if r.Owner != "" {
				s = r.Owner + "/" + r.Repo + s
			}
			if r.Action != "" {
				s = r.Action + " " + s
			}
			got = append(got, s)
		}
		want := []string{"REF-1", "#2", "Closes ref-3", "Closes REF-4", "acme/app#5"}
		if !slices.Equal(got, want) {
			t.Errorf("references %q, want %q", got, want)
		}
	})
	t.Run("comments", func(t *testing.T) {
		p := &ParserOptions{CommentChar: "#"}
		c := p.Parse("# Please enter the commit message\nfix: x\n\nbody\n# a comment\nmore\n")
		if c.Header != "fix: x" || c.Body != "body\nmore" || strings.Contains(c.Raw, "#") {
			t.Errorf("header %q body %q raw %q", c.Header, c.Body, c.Raw)
		}
		// A message of comments only is empty, as for commitlint.
		if c := p.Parse("# only\n# comments\n"); c.Header != "" || c.HeaderError == nil {
			t.Errorf("comments only: header %q, error %v", c.Header, c.HeaderError)
		}
	})
	t.Run("notes", func(t *testing.T) {
		p := &ParserOptions{NoteKeywords: []string{"DEPRECATED", "BREAKING CHANGE"}}
		c := p.Parse("feat: x\n\nprose\ndeprecated: old api\n\nBREAKING-CHANGE: not a note\nBREAKING CHANGE: gone")
		if !c.Breaking || !slices.Equal(c.BreakingNotes, []string{"old api", "gone"}) {
			t.Errorf("breaking %t notes %q", c.Breaking, c.BreakingNotes)
		}
		if c.Body != "prose" || c.FooterLine != 4 {
			t.Errorf("body %q footer line %d", c.Body, c.FooterLine)
		}
		notes := c.Parsed()["notes"].([]any)
		if len(notes) != 2 || notes[0].(map[string]any)["title"] != "deprecated" {
			t.Errorf("plugin notes %v", notes)
		}
		// BREAKING CHANGE stays upper case only (Conventional Commits
		// §16), listed or not.
		if c := p.Parse("feat: x\n\nbreaking change: y"); c.Breaking {
			t.Errorf("lower-case breaking change is a note")
		}
		// Without BREAKING CHANGE in the list, it is no note.
		q := &ParserOptions{NoteKeywords: []string{"DEPRECATED"}}
		if c := q.Parse("feat: x\n\nBREAKING CHANGE: y"); c.Breaking || len(c.Parsed()["notes"].([]any)) != 0 {
			t.Errorf("BREAKING CHANGE is a note without being listed: %+v", c)
		}
	})
}

// FuzzParserOptions: any options on any message parse without a panic,
// with every position inside Raw, no comment line left in Raw, references
// of digits after a configured prefix, and Breaking exactly when a note or
// `!` says so.
func FuzzParserOptions(f *testing.F) {
	for _, s := range fuzzBadInputs {
		f.Add(s, "#", "BREAKING CHANGE", "#", false)
	}
	f.Add("fix: REF-1\n\nDEPRECATED API: x\n; c\nref-2, acme/a#3", "REF-", "DEPRECATED API", ";", true)
	f.Add("fix: x\n\nCloses #1", "", "", "", false)
	f.Add("#\n#\nfix: x\n\n# ------------------------ >8 ------------------------\n", "#", "breaking change", "#", false)
	f.Fuzz(func(t *testing.T, msg, prefix, keyword, cc string, cs bool) {
		p := &ParserOptions{IssuePrefixes: []string{prefix, "GH-"}, IssuePrefixesCaseSensitive: cs, NoteKeywords: []string{keyword}, CommentChar: cc}
		c := p.Parse(msg)
		lines := strings.Split(c.Raw, "\n")
		if c.Header != lines[0] {
			t.Errorf("Header %q is not the first line of Raw %q", c.Header, c.Raw)
		}
		for _, l := range lines {
			if cc != "" && strings.HasPrefix(l, cc) {
				t.Errorf("comment line %q left in Raw %q", l, c.Raw)
			}
		}
		breaking := c.Bang
		for _, ft := range c.Footers {
			if ft.Line < 2 || ft.Line > len(lines) || !strings.HasPrefix(lines[ft.Line-1], ft.Token+ft.Separator) {
				t.Errorf("footer %+v is not on its line in %q", ft, c.Raw)
			}
			breaking = breaking || parseIsNote(ft.Token, p.NoteKeywords)
		}
		if breaking != c.Breaking {
			t.Errorf("Breaking %t, footers %+v", c.Breaking, c.Footers)
		}
		for _, r := range c.References {
			if r.Issue == "" || strings.Trim(r.Issue, "0123456789") != "" {
				t.Errorf("reference %+v has no issue number", r)
			}
			if !strings.EqualFold(r.Prefix, strings.TrimSpace(prefix)) && !strings.EqualFold(r.Prefix, "GH-") {
				t.Errorf("reference %+v has a prefix that is not configured (%q)", r, prefix)
			}
		}
	})
}
