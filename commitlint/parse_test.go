package commitlint

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The flag has its own name so that other golden tests of this package can
// keep -update.
var parseUpdate = flag.Bool("update-parse", false, "rewrite testdata/parse/*.golden")

// TestParseGolden parses every testdata/parse/*.txt and compares the
// Commit, as JSON, with the .golden file next to it.
func TestParseGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/parse/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/parse/*.txt: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c := Parse(string(in))
			parseCheckInvariants(t, c)
			got, err := json.MarshalIndent(c, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *parseUpdate {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestParseGolden -update-parse)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("Parse(%s) (-want +got):\n%s", file, diff)
			}
		})
	}
}

// parseHeaderWant is what TestParseHeader pins.
type parseHeaderWant struct {
	Type, Scope    string
	HasScope, Bang bool
	Subject        string
	Err            *ParseError
}

func TestParseHeader(t *testing.T) {
	ok := func(typ, scope string, hasScope, bang bool, subject string) parseHeaderWant {
		return parseHeaderWant{Type: typ, Scope: scope, HasScope: hasScope, Bang: bang, Subject: subject}
	}
	bad := func(col int, msg, fix string) parseHeaderWant {
		return parseHeaderWant{Err: &ParseError{Line: 1, Column: col, Message: msg, Fix: fix}}
	}
	cases := []struct {
		name, header string
		want         parseHeaderWant
	}{
		{"type only", "feat: add x", ok("feat", "", false, false, "add x")},
		{"scope", "fix(api): y", ok("fix", "api", true, false, "y")},
		{"empty scope", "fix(): y", ok("fix", "", true, false, "y")},
		{"scope with spaces and commas", "fix(api, ui): y", ok("fix", "api, ui", true, false, "y")},
		{"bang", "feat!: y", ok("feat", "", false, true, "y")},
		{"scope and bang", "feat(api)!: y", ok("feat", "api", true, true, "y")},
		{"case is kept", "Feat(API): Y", ok("Feat", "API", true, false, "Y")},
		{"unicode type and scope", "功能(模块): 添加", ok("功能", "模块", true, false, "添加")},
		{"combining marks in type", "नया: x", ok("नया", "", false, false, "x")},
		{"hyphen and underscore in type", "semver-major_x: y", ok("semver-major_x", "", false, false, "y")},
		{"extra spaces after colon", "feat:   y", ok("feat", "", false, false, "y")},
		{"empty subject", "feat: ", ok("feat", "", false, false, "")},
		{"subject keeps trailing spaces", "feat: y  ", ok("feat", "", false, false, "y  ")},
		{"colon in subject", "feat: a: b", ok("feat", "", false, false, "a: b")},

		{"bang before scope", "feat!(api): x", bad(5, "`!` goes after the scope", "`feat(api)!: x`")},
		{"no space after colon", "feat(api):x", bad(11, "add a space after the colon", "`feat(api): x`")},
		{"tab after colon", "feat:\tx", bad(6, "add a space after the colon", "`feat: x`")},
		{"nothing after colon", "feat:", bad(6, "description is missing after the colon", "add a space and a description: `feat: add a thing`")},
		{"nested parentheses", "feat(api(v2)): x", bad(9, "nested parentheses are not allowed in a scope", "use one pair of parentheses: `feat(api-v2): x`")},
		{"nested parentheses after space", "feat(a (b)): x", bad(8, "nested parentheses are not allowed in a scope", "use one pair of parentheses: `feat(a b): x`")},
		{"unclosed scope", "fix(api: x", bad(4, "scope is missing its closing `)`", "close the scope with `)`: `fix(api): x`")},
		{"unclosed scope without colon", "fix(api x", bad(4, "scope is missing its closing `)`", "close the scope with `)`")},
		{"space before scope", "feat (api): x", bad(5, "space between the type and the scope", "remove it: `feat(api): x`")},
		{"space before colon", "feat : x", bad(5, "space before the colon", "remove it: `feat: x`")},
		{"space before colon after scope", "feat(api) : x", bad(10, "space before the colon", "remove it: `feat(api): x`")},
		{"two bangs", "feat!!: x", bad(6, "more than one `!`", "use one: `feat!: x`")},
		{"two scopes", "feat(a)(b): x", bad(8, "a header has at most one scope", "put all scopes in one pair of parentheses, separated by commas")},
		{"free text", "Added a thing.", bad(6, "header is not `type(scope): description`: no `:` after the type `Added`", "start with a type and a colon, e.g. `feat: added a thing`")},
		{"one word", "WIP", bad(4, "header is not `type(scope): description`: no `:` after the type `WIP`", "start with a type and a colon, e.g. `feat: WIP`")},
		{"scope without colon", "feat(API) add thing", bad(10, "expected `:` after the scope, found space", "add the colon: `feat(API): add thing`")},
		{"text glued to the scope", "feat(a)x", bad(8, "expected `:` after the scope, found `x`", "add the colon: `feat(a): x`")},
		{"bang without colon", "feat! drop it", bad(6, "expected `:` after the `!`, found space", "add the colon: `feat!: drop it`")},
		{"bang inside the scope", "feat(api!): drop v1", bad(9, "`!` goes after the scope", "`feat(api)!: drop v1`")},
		{"slash in type", "feat/api: x", bad(5, "expected `:` after the type `feat`, found `/`", "write `type(scope): description`, e.g. `feat: feat/api: x`")},
		{"column counts characters", "功能(模块)x: y", bad(7, "expected `:` after the scope, found `x`", "write `type(scope): description`, e.g. `feat: 功能(模块)x: y`")},
		{"leading space", " feat: x", bad(1, "header starts with whitespace", "remove it: `feat: x`")},
		{"no type", "(api): x", bad(1, "header does not start with a type", "start with a type and a colon, e.g. `feat: (api): x`")},
		{"emoji before type", "✨ feat: x", bad(1, "header does not start with a type", "start with a type and a colon, e.g. `feat: ✨ feat: x`")},
		{"type starts with hyphen", "-feat: x", bad(1, "header does not start with a type", "start with a type and a colon, e.g. `feat: -feat: x`")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Parse(tc.header)
			got := parseHeaderWant{c.Type, c.Scope, c.HasScope, c.Bang, c.Subject, c.HeaderError}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.header, diff)
			}
			parseCheckInvariants(t, c)
		})
	}
}

func TestParseEmptyAndBlank(t *testing.T) {
	for _, in := range []string{"", "\n\n", " \r\n\t"} {
		c := Parse(in)
		want := &ParseError{Line: 1, Column: 1, Message: "message is empty", Fix: "write a header such as `feat: add a thing`"}
		if diff := cmp.Diff(want, c.HeaderError); diff != "" {
			t.Errorf("Parse(%q).HeaderError (-want +got):\n%s", in, diff)
		}
	}
}

// TestParseNormalises: Parse accepts what a hook file or `git log` gives
// (final newline, CRLF) and works on the normalised text.
func TestParseNormalises(t *testing.T) {
	a := Parse("feat: x\r\n\r\nbody\r\n\r\nFixes #1\r\n")
	b := Parse("feat: x\n\nbody\n\nFixes #1")
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("CRLF message parses differently (-LF +CRLF):\n%s", diff)
	}
}

// TestParseTrailerBoundary pins where the body ends and the footers
// begin. See Parse's doc for the rules and why.
func TestParseTrailerBoundary(t *testing.T) {
	type footer struct{ Token, Value string }
	cases := []struct {
		name    string
		msg     string
		body    string
		footers []footer
	}{
		{"all trailers", "fix: x\n\nbody\n\nA-b: 1\nC #2", "body", []footer{{"A-b", "1"}, {"C", "2"}}},
		{"continuation lines", "fix: x\n\nA: 1\n  more\n\tand more\nB: 2", "", []footer{{"A", "1\n  more\n\tand more"}, {"B", "2"}}},
		{"prose and a plain trailer is body", "fix: x\n\nprose\nA: 1", "prose\nA: 1", nil},
		{"prose and signed-off-by, 1 of 2 trailers", "fix: x\n\nprose\nSigned-off-by: s", "prose", []footer{{"Signed-off-by", "s"}}},
		{"prose and signed-off-by, 1 of 5 is under a quarter", "fix: x\n\np1\np2\np3\np4\nSigned-off-by: s", "p1\np2\np3\np4\nSigned-off-by: s", nil},
		{"quarter rule counts exactly a quarter", "fix: x\n\np1\np2\np3\nSigned-off-by: s", "p1\np2\np3", []footer{{"Signed-off-by", "s"}}},
		{"prose after a trailer in a quarter block joins its value", "fix: x\n\nA: 1\nprose\nSigned-off-by: s", "", []footer{{"A", "1\nprose"}, {"Signed-off-by", "s"}}},
		{"indented prose with no trailer above is not continuation", "fix: x\n\n  indented\nSigned-off-by: s\nA: b", "  indented", []footer{{"Signed-off-by", "s"}, {"A", "b"}}},
		{"trailers only in the title paragraph", "fix: x\nA: 1", "A: 1", nil},
		{"trailers then body paragraph", "fix: x\n\nA: 1\n\nprose", "A: 1\n\nprose", nil},
		{"breaking change before prose starts the footers", "fix: x\n\nbody\n\nBREAKING CHANGE: y\n\nmore", "body", []footer{{"BREAKING CHANGE", "y\n\nmore"}}},
		{"breaking change in the title paragraph", "fix: x\nBREAKING CHANGE: y", "", []footer{{"BREAKING CHANGE", "y"}}},
		{"breaking change mid-paragraph", "fix: x\n\nbody\nBREAKING CHANGE: y\nA: b", "body", []footer{{"BREAKING CHANGE", "y"}, {"A", "b"}}},
		{"url is not a trailer", "fix: x\n\nhttps://example.com", "https://example.com", nil},
		{"no space after colon is not a trailer", "fix: x\n\nA:1", "A:1", nil},
		{"empty value is a trailer, as for git", "fix: x\n\nA: ", "", []footer{{"A", ""}}},
		{"empty value without a space is a trailer", "fix: x\n\nSigned-off-by:", "", []footer{{"Signed-off-by", ""}}},
		{"comment lines after trailers do not hide them", "fix: x\n\nbody\n\nSigned-off-by: A <a@b.c>\n\n# Please enter the commit message\n# Lines starting with '#' will be ignored", "body", []footer{{"Signed-off-by", "A <a@b.c>"}}},
		{"comment lines inside the trailer block are skipped", "fix: x\n\nbody\n\nRefs: #1\n# a comment\nSigned-off-by: A <a@b.c>", "body", []footer{{"Refs", "#1\n# a comment"}, {"Signed-off-by", "A <a@b.c>"}}},
		{"cherry-pick line after the sign-off keeps it", "fix: x\n\nbody\n\nSigned-off-by: A <a@b.c>\n(cherry picked from commit 0123456789abcdef)", "body", []footer{{"Signed-off-by", "A <a@b.c>"}}},
		{"token with space is not a trailer", "fix: x\n\nSee also: y", "See also: y", nil},
		{"hash separator", "fix: x\n\nFixes #12", "", []footer{{"Fixes", "12"}}},
		{"blank lines inside a value are kept, trailing ones not", "fix: x\n\nBREAKING CHANGE: a\n\n\nb\n\n", "", []footer{{"BREAKING CHANGE", "a\n\n\nb"}}},
		{"cherry-pick line ends a value and is dropped", "fix: x\n\nA: 1\n(cherry picked from commit abc)\nSigned-off-by: s", "", []footer{{"A", "1"}, {"Signed-off-by", "s"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Parse(tc.msg)
			var got []footer
			for _, f := range c.Footers {
				got = append(got, footer{f.Token, f.Value})
			}
			if diff := cmp.Diff(tc.footers, got); diff != "" {
				t.Errorf("footers (-want +got):\n%s", diff)
			}
			if c.Body != tc.body {
				t.Errorf("Body = %q, want %q", c.Body, tc.body)
			}
			parseCheckInvariants(t, c)
		})
	}
}

func TestParseReferences(t *testing.T) {
	cases := []struct {
		name string
		msg  string
		want []Reference
	}{
		{"hash", "fix: x (#12)", []Reference{{Issue: "12", Prefix: "#"}}},
		{"gh", "fix: x\n\nsee gh-7", []Reference{{Issue: "7", Prefix: "gh-"}}},
		{"owner repo", "fix: x\n\nacme/widgets#9", []Reference{{Owner: "acme", Repo: "widgets", Issue: "9", Prefix: "#"}}},
		{"closing keyword", "fix: x\n\nCloses #1", []Reference{{Issue: "1", Prefix: "#", Action: "Closes"}}},
		{"keyword with colon", "fix: x\n\nfixes: #1", []Reference{{Issue: "1", Prefix: "#", Action: "fixes"}}},
		{"list shares the keyword", "fix: x\n\nResolves #1, #2 and o/r#3", []Reference{
			{Issue: "1", Prefix: "#", Action: "Resolves"}, {Issue: "2", Prefix: "#", Action: "Resolves"}, {Owner: "o", Repo: "r", Issue: "3", Prefix: "#", Action: "Resolves"}}},
		{"prose breaks the list", "fix: x\n\nCloses #1, see #2", []Reference{{Issue: "1", Prefix: "#", Action: "Closes"}, {Issue: "2", Prefix: "#"}}},
		{"not keywords", "fix: x\n\nprefix #1 suffixes #2", []Reference{{Issue: "1", Prefix: "#"}, {Issue: "2", Prefix: "#"}}},
		{"not references", "fix: x\n\nissue#5 &#38; a/#3 #3x #a https://e.com/p#1 C#7", nil},
		{"type and scope are not searched", "fix(#1): y", nil},
		{"header with an error is searched", "Fix #4 for good", []Reference{{Issue: "4", Prefix: "#", Action: "Fix"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Parse(tc.msg).References); diff != "" {
				t.Errorf("References (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRevert(t *testing.T) {
	cases := []struct{ name, msg, want string }{
		{"git revert", "Revert \"feat: x\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.", "0123456789abcdef0123456789abcdef01234567"},
		{"merge revert", "Revert \"Merge x\"\n\nThis reverts commit abcdef1, reversing\nchanges made to 1234567.", "abcdef1"},
		{"conventional revert", "revert: feat: x\n\nThis reverts commit abcdef1234.", "abcdef1234"},
		{"too short", "revert: x\n\nThis reverts commit abc.", ""},
		{"not hex", "revert: x\n\nThis reverts commit abcdefgh.", ""},
		{"second mention", "revert: x\n\nThis reverts commit xyz.\nThis reverts commit 1234567.", "1234567"},
		{"none", "feat: x", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Parse(tc.msg).Revert; got != tc.want {
				t.Errorf("Revert = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestParseCorpusSubjects checks Parse against the `!` flag the corpus
// computed for real subjects of six projects.
func TestParseCorpusSubjects(t *testing.T) {
	n := 0
	parseForCorpus(t, "testdata/corpus/subjects.jsonl", func(row map[string]any) {
		subject := row["subject"].(string)
		c := Parse(subject)
		parseCheckInvariants(t, c)
		if bang := row["bang"].(bool); c.Bang != bang {
			t.Errorf("Parse(%q).Bang = %v, corpus says %v", subject, c.Bang, bang)
		}
		n++
	})
	if n < 100 {
		t.Fatalf("only %d corpus subjects; regenerate with testdata/gen-corpus.sh", n)
	}
}

// TestParseCorpusMessages checks full real messages: a breaking footer is
// found exactly when a line starts with `BREAKING CHANGE:` or
// `BREAKING-CHANGE:` (the corpus's definition), and positions hold.
func TestParseCorpusMessages(t *testing.T) {
	n, breaking := 0, 0
	parseForCorpus(t, "testdata/corpus/messages.jsonl", func(row map[string]any) {
		msg := row["message"].(string)
		c := Parse(msg)
		parseCheckInvariants(t, c)
		want := false
		for _, line := range strings.Split(msg, "\n")[1:] {
			if strings.HasPrefix(line, "BREAKING CHANGE:") || strings.HasPrefix(line, "BREAKING-CHANGE:") {
				want = true
			}
		}
		got := false
		for _, f := range c.Footers {
			got = got || parseIsBreakingToken(f.Token)
		}
		if got != want {
			t.Errorf("%s: breaking footer = %v, want %v", row["hash"], got, want)
		}
		if want {
			breaking++
		}
		n++
	})
	if n < 100 {
		t.Fatalf("only %d corpus messages; regenerate with testdata/gen-corpus.sh", n)
	}
	t.Logf("%d messages, %d with a breaking footer", n, breaking)
}

func parseForCorpus(t *testing.T, path string, each func(map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (regenerate with testdata/gen-corpus.sh)", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		each(row)
	}
}

// parseCheckInvariants checks what holds for every Commit: positions are
// inside Raw and point at what they name, Breaking matches its sources.
func parseCheckInvariants(t *testing.T, c *Commit) {
	t.Helper()
	if c == nil {
		t.Fatal("Parse returned nil")
	}
	lines := strings.Split(c.Raw, "\n")
	if c.Header != lines[0] {
		t.Errorf("Header %q is not the first line of Raw %q", c.Header, c.Raw)
	}
	if e := c.HeaderError; e != nil {
		if e.Line != 1 || e.Column < 1 || e.Column > utf8.RuneCountInString(c.Header)+1 {
			t.Errorf("HeaderError %+v outside the header %q", e, c.Header)
		}
		if e.Message == "" || e.Fix == "" {
			t.Errorf("HeaderError %+v lacks a message or a fix", e)
		}
		if c.Type != "" || c.Subject != "" || c.Bang || c.HasScope {
			t.Errorf("header error but parts set: %+v", c)
		}
	} else if c.Type == "" {
		t.Errorf("no header error and no type: %q", c.Header)
	}
	if c.BodyLine != 0 {
		if c.BodyLine < 2 || c.BodyLine > len(lines) || !strings.HasPrefix(c.Body, lines[c.BodyLine-1]) {
			t.Errorf("BodyLine %d does not start Body %q in %q", c.BodyLine, c.Body, c.Raw)
		}
	} else if c.Body != "" {
		t.Errorf("Body %q without BodyLine", c.Body)
	}
	if len(c.Footers) > 0 && c.FooterLine != c.Footers[0].Line {
		t.Errorf("FooterLine %d, first footer on line %d", c.FooterLine, c.Footers[0].Line)
	}
	breaking := c.Bang
	for _, f := range c.Footers {
		if f.Line < 2 || f.Line > len(lines) || !strings.HasPrefix(lines[f.Line-1], f.Token+f.Separator) {
			t.Errorf("footer %+v is not on its line in %q", f, c.Raw)
		}
		if f.Line <= c.BodyLine+strings.Count(c.Body, "\n") && c.BodyLine != 0 {
			t.Errorf("footer %+v inside the body (lines %d+) of %q", f, c.BodyLine, c.Raw)
		}
		breaking = breaking || parseIsBreakingToken(f.Token)
	}
	if c.Breaking != breaking || (c.Breaking && len(c.BreakingNotes) == 0) {
		t.Errorf("Breaking = %v, notes %q, want %v", c.Breaking, c.BreakingNotes, breaking)
	}
	for _, r := range c.References {
		if r.Issue == "" || !strings.Contains(c.Raw, r.Issue) {
			t.Errorf("reference %+v not in %q", r, c.Raw)
		}
	}
	if c.Revert != "" && !strings.Contains(c.Raw, "This reverts commit "+c.Revert) {
		t.Errorf("Revert %q not in %q", c.Revert, c.Raw)
	}
}

func BenchmarkParse(b *testing.B) {
	typical := "feat(api): add the thing\n\nA body that explains why the thing is needed,\nwrapped at a sane width.\n\nCloses #12\nSigned-off-by: A U Thor <author@example.com>\n"
	big := "feat: big\n\n" + strings.Repeat("word word word word word word word word word\n", 10<<20/46) + "\nBREAKING CHANGE: it is big\n"
	for _, bc := range []struct{ name, in string }{{"header", "feat(api): add the thing"}, {"typical", typical}, {"10MB", big}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.in)))
			b.ReportAllocs()
			for b.Loop() {
				Parse(bc.in)
			}
		})
	}
}

// TestParseBadInput: the bad inputs of issue 2 give a Commit with a clear
// header error or parse, never a panic.
func TestParseBadInput(t *testing.T) {
	big := "feat: big\n\n" + strings.Repeat("a line of a very long body\n", 10<<20/27) + "\nBREAKING CHANGE: it is big"
	cases := []struct {
		name     string
		in       string
		errMsg   string // HeaderError.Message, or "" for none
		breaking bool
	}{
		{"empty", "", "message is empty", false},
		{"blank", "\n\n  \n", "message is empty", false},
		{"invalid utf-8 in the subject", "feat: caf\xe9", "", false},
		{"invalid utf-8 in the type", "f\xe9at: x", "expected `:` after the type `f`, found `\ufffd`", false},
		{"nul", "feat: x\x00y", "", false},
		{"binary file", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "header does not start with a type", false},
		{"utf-16 file", "\xff\xfef\x00e\x00a\x00t\x00:\x00 \x00x\x00", "header does not start with a type", false},
		{"10 MB", big, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Parse(tc.in)
			parseCheckInvariants(t, c)
			gotMsg := ""
			if c.HeaderError != nil {
				gotMsg = c.HeaderError.Message
			}
			if gotMsg != tc.errMsg {
				t.Errorf("HeaderError = %q, want %q", gotMsg, tc.errMsg)
			}
			if c.Breaking != tc.breaking {
				t.Errorf("Breaking = %v, want %v", c.Breaking, tc.breaking)
			}
		})
	}
}
