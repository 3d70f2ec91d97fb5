package commitlint

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// ruleTestHeader is a minimal Conventional Commits header for building
// test commits independently of Parse.
var ruleTestHeader = regexp.MustCompile(`^([^():! ]+)(\(([^()]*)\))?(!)?: ?(.*)$`)

var ruleTestTrailer = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]*|BREAKING CHANGE)(: | #)(.*)$`)

// ruleTestCommit splits raw into a Commit the way Parse is specified to,
// for the simple messages these tests use: the header, a body of the
// paragraphs after it and footers from a last paragraph made only of
// trailers.
func ruleTestCommit(raw string) *Commit {
	lines := strings.Split(raw, "\n")
	c := &Commit{Raw: raw, Header: lines[0]}
	if g := ruleTestHeader.FindStringSubmatch(strings.TrimSpace(lines[0])); g != nil {
		c.Type, c.HasScope, c.Scope, c.Bang, c.Subject = g[1], g[2] != "", g[3], g[4] == "!", g[5]
		c.Breaking = c.Bang
	} else {
		c.HeaderError = &ParseError{Line: 1, Column: 1, Message: "header is not `type(scope): subject`"}
	}
	rest := 1
	for rest < len(lines) && lines[rest] == "" {
		rest++
	}
	// The last paragraph is the footer when every line is a trailer.
	end := len(lines)
	start := end
	for start > rest && lines[start-1] != "" {
		start--
	}
	if start < end && start > 1 {
		all := true
		for _, ln := range lines[start:end] {
			if !ruleTestTrailer.MatchString(ln) {
				all = false
			}
		}
		if all {
			c.FooterLine = start + 1
			for i, ln := range lines[start:end] {
				g := ruleTestTrailer.FindStringSubmatch(ln)
				c.Footers = append(c.Footers, Footer{Token: g[1], Separator: g[2], Value: g[3], Line: start + 1 + i})
				if g[1] == "BREAKING CHANGE" || g[1] == "BREAKING-CHANGE" {
					c.Breaking = true
				}
			}
			end = start
		}
	}
	if rest < end {
		body := strings.Trim(strings.Join(lines[rest:end], "\n"), "\n")
		if body != "" {
			c.Body, c.BodyLine = body, rest+1
		}
	}
	for _, m := range regexp.MustCompile(`#(\d+)`).FindAllStringSubmatch(raw, -1) {
		c.References = append(c.References, Reference{Issue: m[1], Prefix: "#"})
	}
	return c
}

func TestRuleTestCommit(t *testing.T) {
	got := ruleTestCommit("feat(api)!: add x\n\nbody one\nbody two\n\nRefs: #12\nBREAKING CHANGE: gone")
	want := &Commit{
		Raw:    "feat(api)!: add x\n\nbody one\nbody two\n\nRefs: #12\nBREAKING CHANGE: gone",
		Header: "feat(api)!: add x", Type: "feat", Scope: "api", HasScope: true, Bang: true, Subject: "add x",
		Body: "body one\nbody two", BodyLine: 3,
		Footers: []Footer{
			{Token: "Refs", Separator: ": ", Value: "#12", Line: 6},
			{Token: "BREAKING CHANGE", Separator: ": ", Value: "gone", Line: 7},
		},
		FooterLine: 6, Breaking: true,
		References: []Reference{{Issue: "12", Prefix: "#"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ruleTestCommit (-want +got):\n%s", diff)
	}
}

// ruleRun runs one rule on a message and renders its problems as
// "line:col: message (fix)".
func ruleRun(t *testing.T, name string, rc RuleConfig, msg string) []string {
	t.Helper()
	spec, ok := ruleSpecs[name]
	if !ok {
		t.Fatalf("no rule %q", name)
	}
	var out []string
	for _, p := range spec.check(ruleNewMessage(ruleTestCommit(msg)), rc) {
		s := fmt.Sprintf("%d:%d: %s", p.line, p.col, p.msg)
		if p.fix != "" {
			s += " (" + p.fix + ")"
		}
		out = append(out, s)
	}
	return out
}

func ruleAlways(v any) RuleConfig { return RuleConfig{Level: Error, Always: true, Value: v} }
func ruleNever(v any) RuleConfig  { return RuleConfig{Level: Error, Always: false, Value: v} }

func TestRules(t *testing.T) {
	long := strings.Repeat("x", 101)
	cases := []struct {
		name string
		rule string
		rc   RuleConfig
		msg  string
		want []string
	}{
		// type
		{"type-empty/never/ok", "type-empty", ruleNever(nil), "feat: x", nil},
		{"type-empty/always/bad", "type-empty", ruleAlways(nil), "feat: x", []string{"1:1: type must be empty"}},
		{"type-case/lower/ok", "type-case", ruleAlways([]string{"lower-case"}), "feat: x", nil},
		{"type-case/lower/bad", "type-case", ruleAlways([]string{"lower-case"}), "Feat: x", []string{"1:1: type `Feat` is not lower-case (write `feat`)"}},
		{"type-case/never-upper/bad", "type-case", ruleNever([]string{"upper-case"}), "FEAT: x", []string{"1:1: type `FEAT` must not be upper-case"}},
		{"type-case/default-value", "type-case", ruleAlways(nil), "FEAT: x", []string{"1:1: type `FEAT` is not lower-case (write `feat`)"}},
		{"type-case/list", "type-case", ruleAlways([]string{"lower-case", "upper-case"}), "FEAT: x", nil},
		{"type-enum/ok", "type-enum", ruleAlways([]string{"feat", "fix"}), "fix: x", nil},
		{"type-enum/alias", "type-enum", ruleAlways([]string{"feat", "fix"}), "feature: x", []string{"1:1: type `feature` is not allowed; allowed: feat, fix (did you mean `feat`?)"}},
		{"type-enum/typo", "type-enum", ruleAlways([]string{"feat", "refactor"}), "refactr: x", []string{"1:1: type `refactr` is not allowed; allowed: feat, refactor (did you mean `refactor`?)"}},
		{"type-enum/no-suggestion", "type-enum", ruleAlways([]string{"feat", "fix"}), "wip: x", []string{"1:1: type `wip` is not allowed; allowed: feat, fix"}},
		{"type-enum/never", "type-enum", ruleNever([]string{"wip"}), "wip: x", []string{"1:1: type `wip` is not allowed; disallowed: wip"}},
		{"type-enum/empty-list", "type-enum", ruleAlways([]string{}), "wip: x", nil},
		{"type-max-length/ok", "type-max-length", ruleAlways(4), "feat: x", nil},
		{"type-max-length/bad", "type-max-length", ruleAlways(3), "feat: x", []string{"1:4: type is 4 characters, limit is 3"}},
		{"type-min-length/bad", "type-min-length", ruleAlways(5), "feat: x", []string{"1:1: type is 4 characters, minimum is 5"}},
		{"type-max-length/runes", "type-max-length", ruleAlways(4), "ñëüé: x", nil},

		// scope
		{"scope-empty/never/bad", "scope-empty", ruleNever(nil), "feat: x", []string{"1:5: scope is empty (add a scope, e.g. `feat(core): ...`)"}},
		{"scope-empty/never/ok", "scope-empty", ruleNever(nil), "feat(a): x", nil},
		{"scope-empty/always/bad", "scope-empty", ruleAlways(nil), "feat(a): x", []string{"1:6: scope must be empty"}},
		{"scope-case/ok-segments", "scope-case", ruleAlways([]string{"kebab-case"}), "feat(my-api/web-ui): x", nil},
		{"scope-case/bad", "scope-case", ruleAlways([]string{"lower-case"}), "feat(API): x", []string{"1:6: scope `API` is not lower-case (write `api`)"}},
		{"scope-case/never", "scope-case", ruleNever([]string{"upper-case"}), "feat(API): x", []string{"1:6: scope `API` must not be upper-case"}},
		{"scope-enum/ok", "scope-enum", ruleAlways([]string{"api", "web"}), "feat(api): x", nil},
		{"scope-enum/multi-ok", "scope-enum", ruleAlways([]string{"api", "web"}), "feat(api, web): x", nil},
		{"scope-enum/bad", "scope-enum", ruleAlways([]string{"api", "web"}), "feat(apo): x", []string{"1:6: scope `apo` is not allowed; allowed: api, web (did you mean `api`?)"}},
		{"scope-enum/multi-bad", "scope-enum", ruleAlways([]string{"api", "web"}), "feat(api/db): x", []string{"1:6: scope `db` is not allowed; allowed: api, web"}},
		{"scope-enum/never", "scope-enum", ruleNever([]string{"tmp"}), "feat(api,tmp): x", []string{"1:6: scope `tmp` is not allowed; disallowed: tmp"}},
		{"scope-enum/no-scope", "scope-enum", ruleAlways([]string{"api"}), "feat: x", nil},
		{"scope-delimiter-style/default-ok", "scope-delimiter-style", ruleAlways(nil), "feat(a/b, c): x", nil},
		{"scope-delimiter-style/default-bad", "scope-delimiter-style", ruleAlways(nil), "feat(a|b): x", []string{"1:6: scope delimiter `|` is not allowed; allowed: /, \\, ,"}},
		{"scope-delimiter-style/custom", "scope-delimiter-style", ruleAlways([]string{","}), "feat(a/b): x", []string{"1:6: scope delimiter `/` is not allowed; allowed: ,"}},
		{"scope-delimiter-style/never", "scope-delimiter-style", ruleNever([]string{"/"}), "feat(a/b): x", []string{"1:6: scope delimiter `/` is not allowed; disallowed: /"}},
		{"scope-max-length/bad", "scope-max-length", ruleAlways(3), "feat(core): x", []string{"1:9: scope is 4 characters, limit is 3"}},
		{"scope-min-length/bad", "scope-min-length", ruleAlways(3), "feat(ui): x", []string{"1:6: scope is 2 characters, minimum is 3"}},
		{"scope-min-length/no-scope", "scope-min-length", ruleAlways(3), "feat: x", nil},

		// subject
		{"subject-empty/never/bad", "subject-empty", ruleNever(nil), "feat: ", []string{"1:7: subject is empty (describe the change after `: `)"}},
		{"subject-empty/always/bad", "subject-empty", ruleAlways(nil), "feat: x", []string{"1:7: subject must be empty"}},
		{"subject-case/conventional/sentence", "subject-case", ruleNever([]string{"sentence-case", "start-case", "pascal-case", "upper-case"}), "feat: Add a thing", []string{"1:7: subject `Add a thing` must not be sentence-case (start with a lower-case letter: `add a thing`)"}},
		{"subject-case/conventional/start", "subject-case", ruleNever([]string{"sentence-case", "start-case", "pascal-case", "upper-case"}), "feat: Add A Thing", []string{"1:7: subject `Add A Thing` must not be sentence-case or start-case (start with a lower-case letter: `add A Thing`)"}},
		{"subject-case/conventional/upper", "subject-case", ruleNever([]string{"sentence-case", "start-case", "pascal-case", "upper-case"}), "feat: ADD THING", []string{"1:7: subject `ADD THING` must not be sentence-case or start-case or upper-case (start with a lower-case letter: `add thing`)"}},
		{"subject-case/conventional/name", "subject-case", ruleNever([]string{"sentence-case", "start-case", "pascal-case", "upper-case"}), "fix: GitHub client retries", []string{"1:6: subject `GitHub client retries` must not be sentence-case (if `GitHub` is a name, quote it in backticks)"}},
		{"subject-case/conventional/ok", "subject-case", ruleNever([]string{"sentence-case", "start-case", "pascal-case", "upper-case"}), "feat: add a Thing for `README`", nil},
		{"subject-case/conventional/quoted-name", "subject-case", ruleNever([]string{"sentence-case", "start-case", "pascal-case", "upper-case"}), "feat: `Eslint` configuration", nil},
		{"subject-case/starts-with-digit", "subject-case", ruleAlways([]string{"upper-case"}), "feat: 3 things", nil},
		{"subject-case/always-lower/bad", "subject-case", ruleAlways([]string{"lower-case"}), "feat: add README", []string{"1:7: subject `add README` is not lower-case (write `add readme`)"}},
		{"subject-case/camel", "subject-case", ruleAlways([]string{"camel-case"}), "feat: addThing", nil},
		{"subject-case/kebab", "subject-case", ruleAlways([]string{"kebab-case"}), "feat: add-thing", nil},
		{"subject-case/snake", "subject-case", ruleAlways([]string{"snake-case"}), "feat: add_thing", nil},
		{"subject-case/pascal", "subject-case", ruleAlways([]string{"pascal-case"}), "feat: AddThing", nil},
		{"subject-case/pascal-bad", "subject-case", ruleAlways([]string{"pascal-case"}), "feat: add thing", []string{"1:7: subject `add thing` is not pascal-case (write `AddThing`)"}},
		{"subject-full-stop/never/bad", "subject-full-stop", ruleNever("."), "feat: add a thing.", []string{"1:18: subject must not end with `.` (remove the trailing `.`)"}},
		{"subject-full-stop/never/ok", "subject-full-stop", ruleNever("."), "feat: add a thing", nil},
		{"subject-full-stop/always/bad", "subject-full-stop", ruleAlways("."), "feat: add", []string{"1:10: subject must end with `.` (add `.`)"}},
		{"subject-full-stop/default-value", "subject-full-stop", ruleNever(nil), "feat: añadir algo.", []string{"1:18: subject must not end with `.` (remove the trailing `.`)"}},
		{"subject-exclamation-mark/never/bad", "subject-exclamation-mark", ruleNever(nil), "feat!: x", []string{"1:5: header must not have `!` before the `:`"}},
		{"subject-exclamation-mark/always/bad", "subject-exclamation-mark", ruleAlways(nil), "feat: x", []string{"1:7: header must mark the breaking change with `!` before the `:`"}},
		{"subject-max-length/bad", "subject-max-length", ruleAlways(5), "feat: añadido", []string{"1:12: subject is 7 characters, limit is 5"}},
		{"subject-min-length/bad", "subject-min-length", ruleAlways(5), "feat: add", []string{"1:7: subject is 3 characters, minimum is 5"}},

		// header
		{"header-max-length/ok", "header-max-length", ruleAlways(100), "feat: " + strings.Repeat("é", 94), nil},
		{"header-max-length/bad", "header-max-length", ruleAlways(100), "feat: " + strings.Repeat("é", 95), []string{"1:101: header is 101 characters, limit is 100 (shorten the subject and move details to the body)"}},
		{"header-max-length/infinity", "header-max-length", ruleAlways(math.MaxInt), "feat: " + long, nil},
		{"header-min-length/bad", "header-min-length", ruleAlways(10), "feat: x", []string{"1:1: header is 7 characters, minimum is 10"}},
		{"header-case/bad", "header-case", ruleAlways([]string{"lower-case"}), "feat: X", []string{"1:1: header `feat: X` is not lower-case (write `feat: x`)"}},
		{"header-full-stop/never/bad", "header-full-stop", ruleNever("."), "feat: x.", []string{"1:8: header must not end with `.` (remove the trailing `.`)"}},
		{"header-full-stop/always/ok", "header-full-stop", ruleAlways("."), "feat: x.", nil},
		{"header-trim/ok", "header-trim", ruleAlways(nil), "feat: x", nil},
		{"header-trim/leading", "header-trim", ruleAlways(nil), " feat: x", []string{"1:1: header must not start with whitespace (remove the leading spaces)"}},
		{"header-trim/trailing", "header-trim", ruleAlways(nil), "feat: x  ", []string{"1:8: header must not end with whitespace (remove the trailing spaces)"}},
		{"header-trim/both", "header-trim", ruleAlways(nil), "\tfeat: x ", []string{"1:1: header must not be surrounded by whitespace (remove the spaces around the header)"}},

		// body
		{"body-empty/never/bad", "body-empty", ruleNever(nil), "feat: x", []string{"1:1: body is empty (explain what changed and why in a body after a blank line)"}},
		{"body-empty/never/ok", "body-empty", ruleNever(nil), "feat: x\n\nwhy", nil},
		{"body-empty/always/bad", "body-empty", ruleAlways(nil), "feat: x\n\nwhy", []string{"3:1: body must be empty"}},
		{"body-case/bad", "body-case", ruleAlways([]string{"lower-case"}), "feat: x\n\nWhy", []string{"3:1: body `Why` is not lower-case (write `why`)"}},
		{"body-case/multiline", "body-case", ruleAlways([]string{"upper-case"}), "feat: x\n\nWHY\nnot", []string{"3:1: body must be upper-case"}},
		{"body-full-stop/always/bad", "body-full-stop", ruleAlways("."), "feat: x\n\nfirst.\nsecond", []string{"4:7: body must end with `.` (add `.`)"}},
		{"body-full-stop/never/bad", "body-full-stop", ruleNever(nil), "feat: x\n\nsecond.", []string{"3:7: body must not end with `.` (remove the trailing `.`)"}},
		{"body-leading-blank/ok", "body-leading-blank", ruleAlways(nil), "feat: x\n\nwhy", nil},
		{"body-leading-blank/bad", "body-leading-blank", ruleAlways(nil), "feat: x\nwhy", []string{"2:1: body must have a leading blank line (insert a blank line before the body)"}},
		{"body-leading-blank/never", "body-leading-blank", ruleNever(nil), "feat: x\n\nwhy", []string{"3:1: body must not have a leading blank line"}},
		{"body-leading-blank/no-body", "body-leading-blank", ruleAlways(nil), "feat: x", nil},
		{"body-max-length/bad", "body-max-length", ruleAlways(5), "feat: x\n\nabc\ndef", []string{"3:1: body is 7 characters, limit is 5"}},
		{"body-max-line-length/bad", "body-max-line-length", ruleAlways(100), "feat: x\n\nok\n" + long, []string{"4:101: body line is 101 characters, limit is 100 (wrap the line)"}},
		{"body-max-line-length/runes", "body-max-line-length", ruleAlways(100), "feat: x\n\n" + strings.Repeat("ü", 100), nil},
		{"body-max-line-length/url-exempt", "body-max-line-length", ruleAlways(100), "feat: x\n\nsee https://example.com/" + long, nil},
		{"body-min-length/bad", "body-min-length", ruleAlways(20), "feat: x\n\nshort", []string{"3:1: body is 5 characters, minimum is 20"}},
		{"body-min-length/no-body", "body-min-length", ruleAlways(20), "feat: x", nil},

		// footer
		{"footer-empty/never/bad", "footer-empty", ruleNever(nil), "feat: x\n\nbody", []string{"3:1: footer is empty (add a trailer such as `Refs: #123` after a blank line)"}},
		{"footer-empty/never/ok", "footer-empty", ruleNever(nil), "feat: x\n\nRefs: #1", nil},
		{"footer-empty/always/bad", "footer-empty", ruleAlways(nil), "feat: x\n\nRefs: #1", []string{"3:1: footer must be empty"}},
		{"footer-leading-blank/ok", "footer-leading-blank", ruleAlways(nil), "feat: x\n\nbody\n\nRefs: #1", nil},
		{"footer-leading-blank/never", "footer-leading-blank", ruleNever(nil), "feat: x\n\nbody\n\nRefs: #1", []string{"5:1: footer must not have a leading blank line"}},
		{"footer-max-length/bad", "footer-max-length", ruleAlways(5), "feat: x\n\nRefs: #123", []string{"3:1: footer is 10 characters, limit is 5"}},
		{"footer-max-line-length/bad", "footer-max-line-length", ruleAlways(10), "feat: x\n\nRefs: #1\nAcked-by: someone long", []string{"4:11: footer line is 22 characters, limit is 10 (wrap the line)"}},
		{"footer-max-line-length/url-exempt", "footer-max-line-length", ruleAlways(10), "feat: x\n\nSee: https://example.com/a/b", nil},
		{"footer-min-length/bad", "footer-min-length", ruleAlways(20), "feat: x\n\nRefs: #1", []string{"3:1: footer is 8 characters, minimum is 20"}},

		// whole message
		{"references-empty/never/bad", "references-empty", ruleNever(nil), "feat: x", []string{"1:1: message references no issue (add a reference such as `Refs: #123`)"}},
		{"references-empty/never/ok", "references-empty", ruleNever(nil), "feat: x\n\nCloses #12", nil},
		{"references-empty/always/bad", "references-empty", ruleAlways(nil), "feat: x (#12)", []string{"1:1: message must not reference issues"}},
		{"signed-off-by/ok", "signed-off-by", ruleAlways("Signed-off-by:"), "feat: x\n\nSigned-off-by: A <a@b>\n# comment", nil},
		{"signed-off-by/bad", "signed-off-by", ruleAlways(nil), "feat: x\n\nbody", []string{"3:1: message must end with a `Signed-off-by:` line (sign off with `git commit -s`)"}},
		{"signed-off-by/never", "signed-off-by", ruleNever(nil), "feat: x\n\nSigned-off-by: A <a@b>", []string{"3:1: message must not end with a `Signed-off-by:` line"}},
		{"trailer-exists/ok", "trailer-exists", ruleAlways("Signed-off-by:"), "feat: x\n\nSigned-off-by: A <a@b>\nRefs: #1", nil},
		{"trailer-exists/bad", "trailer-exists", ruleAlways("Change-Id:"), "feat: x\n\nRefs: #1", []string{"3:1: message has no `Change-Id:` trailer"}},
		{"trailer-exists/never", "trailer-exists", ruleNever(nil), "feat: x\n\nSigned-off-by: A <a@b>", []string{"3:1: message must not have a `Signed-off-by:` trailer"}},
		{"breaking-change-exclamation-mark/both", "breaking-change-exclamation-mark", ruleAlways(nil), "feat!: x\n\nBREAKING CHANGE: y", nil},
		{"breaking-change-exclamation-mark/neither", "breaking-change-exclamation-mark", ruleAlways(nil), "feat: x", nil},
		{"breaking-change-exclamation-mark/bang-only", "breaking-change-exclamation-mark", ruleAlways(nil), "feat!: x", []string{"1:1: header has `!` but the message has no BREAKING CHANGE footer (add a `BREAKING CHANGE: ...` footer that describes the change)"}},
		{"breaking-change-exclamation-mark/footer-only", "breaking-change-exclamation-mark", ruleAlways(nil), "feat: x\n\nBREAKING CHANGE: y", []string{"3:1: BREAKING CHANGE footer without `!` in the header (add `!` before the `:` in the header)"}},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		seen[tc.rule] = true
		t.Run(tc.name, func(t *testing.T) {
			got := ruleRun(t, tc.rule, tc.rc, tc.msg)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s on %q (-want +got):\n%s", tc.rule, tc.msg, diff)
			}
		})
	}
	for _, name := range ruleNames {
		if !seen[name] {
			t.Errorf("rule %q has no test case", name)
		}
	}
}

func TestRuleCount(t *testing.T) {
	// @commitlint/rules has 38 rules.
	if got := len(RuleNames()); got != 38 {
		t.Errorf("RuleNames() has %d rules, want 38", got)
	}
}

func TestRuleIsCase(t *testing.T) {
	cases := []struct {
		s    string
		want map[string]bool
	}{
		{"add thing", map[string]bool{"lower-case": true, "upper-case": false, "sentence-case": false, "start-case": false, "camel-case": false, "kebab-case": false, "snake-case": false, "pascal-case": false}},
		{"Add thing", map[string]bool{"lower-case": false, "sentence-case": true, "start-case": false}},
		{"Add Thing", map[string]bool{"sentence-case": true, "start-case": true, "pascal-case": false}},
		{"addThing", map[string]bool{"camel-case": true, "lower-case": false, "pascal-case": false}},
		{"AddThing", map[string]bool{"pascal-case": true, "camel-case": false, "sentence-case": true}},
		{"add-thing", map[string]bool{"kebab-case": true, "snake-case": false, "lower-case": true}},
		{"add_thing", map[string]bool{"snake-case": true, "kebab-case": false}},
		{"ADD THING", map[string]bool{"upper-case": true, "lower-case": false}},
		{"ÄNDERN", map[string]bool{"upper-case": true}},
		{"ändern", map[string]bool{"lower-case": true, "sentence-case": false}},
		{"`Quoted` rest", map[string]bool{"lower-case": true}},
		{"", map[string]bool{"upper-case": true, "lower-case": true}},
		{"1st thing", map[string]bool{"upper-case": true}},
	}
	for _, tc := range cases {
		for c, want := range tc.want {
			if got := ruleIsCase(tc.s, c); got != want {
				t.Errorf("ruleIsCase(%q, %q) = %v, want %v", tc.s, c, got, want)
			}
		}
	}
}

func TestParseRuleConfig(t *testing.T) {
	cases := []struct {
		name    string
		rule    string
		raw     any
		want    RuleConfig
		wantErr string
	}{
		{"level-only", "body-empty", []any{0}, RuleConfig{Level: Disabled, Always: true}, ""},
		{"never", "subject-empty", []any{2, "never"}, RuleConfig{Level: Error}, ""},
		{"length-int", "header-max-length", []any{2, "always", 72}, RuleConfig{Level: Error, Always: true, Value: 72}, ""},
		{"length-float", "header-max-length", []any{1.0, "always", 72.0}, RuleConfig{Level: Warning, Always: true, Value: 72}, ""},
		{"length-infinity", "body-max-line-length", []any{2, "always", math.Inf(1)}, RuleConfig{Level: Error, Always: true, Value: math.MaxInt}, ""},
		{"length-infinity-string", "body-max-line-length", []any{2, "always", "Infinity"}, RuleConfig{Level: Error, Always: true, Value: math.MaxInt}, ""},
		{"enum", "type-enum", []any{2, "always", []any{"feat", "fix"}}, RuleConfig{Level: Error, Always: true, Value: []string{"feat", "fix"}}, ""},
		{"case-string", "type-case", []any{2, "always", "lower-case"}, RuleConfig{Level: Error, Always: true, Value: []string{"lower-case"}}, ""},
		{"case-alias", "type-case", []any{2, "always", "lowercase"}, RuleConfig{Level: Error, Always: true, Value: []string{"lower-case"}}, ""},
		{"case-list", "subject-case", []any{2, "never", []any{"sentence-case", "upper-case"}}, RuleConfig{Level: Error, Value: []string{"sentence-case", "upper-case"}}, ""},
		{"string", "subject-full-stop", []any{2, "never", "!"}, RuleConfig{Level: Error, Value: "!"}, ""},
		{"unknown-rule", "type-enums", []any{2}, RuleConfig{}, `unknown rule "type-enums"; did you mean "type-enum"?`},
		{"unknown-rule-far", "no-such-thing", []any{2}, RuleConfig{}, `unknown rule "no-such-thing"`},
		{"not-a-list", "type-enum", "feat", RuleConfig{}, `rule "type-enum": want a list [level, "always"|"never", value], got "feat"`},
		{"empty-list", "type-enum", []any{}, RuleConfig{}, `rule "type-enum": want a list [level, "always"|"never", value] of 1 to 3 items, got 0 items`},
		{"bad-level", "type-enum", []any{3, "always"}, RuleConfig{}, `rule "type-enum": level must be 0 (disabled), 1 (warning) or 2 (error), got 3`},
		{"level-string", "type-enum", []any{"error", "always"}, RuleConfig{}, `rule "type-enum": level must be 0 (disabled), 1 (warning) or 2 (error), got "error"`},
		{"bad-when", "type-enum", []any{2, "sometimes"}, RuleConfig{}, `rule "type-enum": second item must be "always" or "never", got "sometimes"`},
		{"bad-length", "header-max-length", []any{2, "always", "long"}, RuleConfig{}, `rule "header-max-length": value must be a number of characters (0 or more), got "long"`},
		{"negative-length", "header-max-length", []any{2, "always", -1}, RuleConfig{}, `rule "header-max-length": value must be a number of characters (0 or more), got -1`},
		{"fraction-length", "header-max-length", []any{2, "always", 7.5}, RuleConfig{}, `rule "header-max-length": value must be a number of characters (0 or more), got 7.5`},
		{"bad-enum", "type-enum", []any{2, "always", []any{"feat", 3}}, RuleConfig{}, `rule "type-enum": value must be a list of strings, got list [feat 3]`},
		{"bad-case", "type-case", []any{2, "always", "lower"}, RuleConfig{}, `rule "type-case": unknown case "lower"; valid cases are lower-case, upper-case, camel-case, kebab-case, pascal-case, sentence-case, snake-case, start-case`},
		{"bad-case-typo", "type-case", []any{2, "always", "lower-cas"}, RuleConfig{}, `rule "type-case": unknown case "lower-cas"; valid cases are lower-case, upper-case, camel-case, kebab-case, pascal-case, sentence-case, snake-case, start-case; did you mean "lower-case"?`},
		{"bad-string", "signed-off-by", []any{2, "always", 5}, RuleConfig{}, `rule "signed-off-by": value must be a string, got 5`},
		{"too-long", "type-enum", []any{2, "always", []any{}, 4}, RuleConfig{}, `rule "type-enum": want a list [level, "always"|"never", value] of 1 to 3 items, got 4 items`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRuleConfig(tc.rule, tc.raw)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tc.wantErr {
				t.Fatalf("ParseRuleConfig(%q, %v) error = %q, want %q", tc.rule, tc.raw, gotErr, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseRuleConfig(%q, %v) (-want +got):\n%s", tc.rule, tc.raw, diff)
			}
		})
	}
}

func TestFixClosest(t *testing.T) {
	types := ConventionalConfig().Rules["type-enum"].Value.([]string)
	cases := []struct{ in, want string }{
		{"feature", "feat"},
		{"Feat", "feat"},
		{"bugfix", "fix"},
		{"doc", "docs"},
		{"refactr", "refactor"},
		{"chroe", "chore"},
		{"tests", "test"},
		{"wip", ""},
		{"x", ""},
	}
	for _, tc := range cases {
		if got := fixClosest(tc.in, types, fixTypeAliases); got != tc.want {
			t.Errorf("fixClosest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// ruleIsCaseByConversion is commitlint's definition of ensure.case, without
// ruleIsCase's shortcuts: convert, then compare.
func ruleIsCaseByConversion(s, c string) bool {
	s = strings.TrimSpace(ruleStripQuoted(s))
	t := ruleToCase(s, c)
	return t == "" || t[0] >= '0' && t[0] <= '9' || t == s
}

// FuzzRuleIsCase checks that ruleIsCase's shortcuts never change its
// answer.
func FuzzRuleIsCase(f *testing.F) {
	for _, s := range []string{
		"add thing", "Add thing", "Add Thing", "addThing", "AddThing", "add-thing",
		"add_thing", "ADD THING", "ÄNDERN", "ändern", "`Quoted` rest", "", "1st thing",
		"a--b", "Add  Thing", "x1Y", "XMLHttp request", "  ", "...", "١٢٣ arabic digits",
		"don't stop", "Ǆemal", "feat: X", "a\nB",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // Lint only sees normalised, valid UTF-8 text
		}
		for _, c := range ruleCaseNames {
			if got, want := ruleIsCase(s, c), ruleIsCaseByConversion(s, c); got != want {
				t.Errorf("ruleIsCase(%q, %q) = %v, conversion says %v (%q)", s, c, got, want, ruleToCase(strings.TrimSpace(ruleStripQuoted(s)), c))
			}
		}
	})
}

func TestRuleStripQuoted(t *testing.T) {
	cases := []struct{ in, want string }{
		{"no quotes", "no quotes"},
		{"use `Foo` here", "use  here"},
		{`say "Hi" and 'Bye'`, "say  and "},
		{"don't stop", "don't stop"},
		{"it's 'quoted' isn't", "itquotedt"}, // as the regexp does
		{"open `quote\nclosed` later", "open `quote\nclosed` later"},
		{"``", ""},
		{"a\"b\nc\"d", "a\"b\nc\"d"},
	}
	for _, tc := range cases {
		if got := ruleStripQuoted(tc.in); got != tc.want {
			t.Errorf("ruleStripQuoted(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
