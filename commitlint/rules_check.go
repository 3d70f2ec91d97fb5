package commitlint

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The checks below follow @commitlint/rules: a part that is absent passes
// the case, enum, length and full-stop rules of that part (only the
// *-empty rules care that it is missing), length rules ignore
// "always"/"never", and lengths count characters (runes).

// ruleOne wraps a single problem.
func ruleOne(line, col int, msg, fix string) []ruleProblem {
	return []ruleProblem{{line: line, col: col, msg: msg, fix: fix}}
}

// ruleList renders a list of values for a message: "a, b, c".
func ruleList(values []string) string { return strings.Join(values, ", ") }

// ruleCases renders case names: "lower-case" or "one of a, b".
func ruleCases(cases []string) string {
	if len(cases) == 1 {
		return cases[0]
	}
	return "one of " + strings.Join(cases, ", ")
}

func ruleRunes(s string) int { return utf8.RuneCountInString(s) }

// ruleLimit renders a limit for a message.
func ruleLimit(n int) string {
	if n == math.MaxInt {
		return "Infinity"
	}
	return fmt.Sprint(n)
}

// ruleMax checks that a part is at most limit characters long. The
// problem is reported at the first character past the limit.
func ruleMax(part, text string, limit, line, col int) []ruleProblem {
	if text == "" {
		return nil
	}
	if n := ruleRunes(text); n > limit {
		return ruleOne(line, col+limit, fmt.Sprintf("%s is %d characters, limit is %d", part, n, limit), "")
	}
	return nil
}

// ruleMin checks that a part is at least limit characters long.
func ruleMin(part, text string, limit, line, col int) []ruleProblem {
	if text == "" {
		return nil
	}
	if n := ruleRunes(text); n < limit {
		return ruleOne(line, col, fmt.Sprintf("%s is %d characters, minimum is %s", part, n, ruleLimit(limit)), "")
	}
	return nil
}

// ruleMaxLines checks every line of a block starting at line first.
// Lines holding a URL are exempt, since a URL cannot be wrapped
// (commitlint PR #4486).
func ruleMaxLines(part, block string, first, limit int) []ruleProblem {
	if block == "" {
		return nil
	}
	var out []ruleProblem
	for i, rest, more := 0, block, true; more; i++ {
		var ln string
		ln, rest, more = strings.Cut(rest, "\n")
		if len(ln) <= limit { // fast path: bytes >= runes
			continue
		}
		n := ruleRunes(ln)
		if n <= limit || strings.Contains(ln, "http://") || strings.Contains(ln, "https://") {
			continue
		}
		out = append(out, ruleProblem{
			line: first + i, col: limit + 1,
			msg: fmt.Sprintf("%s line is %d characters, limit is %d", part, n, limit),
			fix: "wrap the line",
		})
	}
	return out
}

// ruleCase checks text against case names.
func ruleCase(part, text string, rc RuleConfig, line, col int) []ruleProblem {
	if text == "" {
		return nil
	}
	cases := ruleListValue(rc, ruleDefaultCase)
	if len(cases) == 0 {
		return nil
	}
	matched := false
	prepared := ruleCasePrepare(text)
	for _, c := range cases {
		if ruleIsCasePrepared(prepared, c) {
			matched = true
			break
		}
	}
	if matched == rc.Always {
		return nil
	}
	shown := text
	if strings.Contains(shown, "\n") {
		shown = ""
	}
	if rc.Always {
		msg := fmt.Sprintf("%s must be %s", part, ruleCases(cases))
		fix := ""
		if shown != "" {
			msg = fmt.Sprintf("%s `%s` is not %s", part, shown, ruleCases(cases))
			fix = fmt.Sprintf("write `%s`", ruleToCase(shown, cases[0]))
		}
		return ruleOne(line, col, msg, fix)
	}
	msg := fmt.Sprintf("%s must not be %s", part, ruleCases(cases))
	if shown != "" {
		msg = fmt.Sprintf("%s `%s` must not be %s", part, shown, ruleCases(cases))
	}
	return ruleOne(line, col, msg, "")
}

var ruleDefaultCase = []string{"lower-case"}

// ruleEmpty checks an *-empty rule: "always" wants the part empty,
// "never" wants it present.
func ruleEmpty(part, text string, rc RuleConfig, line, col int, fix string) []ruleProblem {
	empty := strings.TrimSpace(text) == ""
	if empty == rc.Always {
		return nil
	}
	if rc.Always {
		return ruleOne(line, col, fmt.Sprintf("%s must be empty", part), "")
	}
	return ruleOne(line, col, fmt.Sprintf("%s is empty", part), fix)
}

// ruleFullStop checks whether text ends with the rule's value (default
// ".").
func ruleFullStop(part, text string, rc RuleConfig, line, endCol int) []ruleProblem {
	if text == "" {
		return nil
	}
	stop := ruleStringValue(rc, ".")
	has := strings.HasSuffix(text, stop)
	if has == rc.Always {
		return nil
	}
	if rc.Always {
		return ruleOne(line, endCol+1, fmt.Sprintf("%s must end with `%s`", part, stop), fmt.Sprintf("add `%s`", stop))
	}
	return ruleOne(line, endCol-ruleRunes(stop)+1, fmt.Sprintf("%s must not end with `%s`", part, stop), fmt.Sprintf("remove the trailing `%s`", stop))
}

// ruleLeadingBlank checks that the line before first is blank.
func ruleLeadingBlank(part string, m *ruleMessage, first int, rc RuleConfig) []ruleProblem {
	if first < 2 {
		return nil
	}
	blank := m.line(first-1) == ""
	if blank == rc.Always {
		return nil
	}
	if rc.Always {
		return ruleOne(first, 1, fmt.Sprintf("%s must have a leading blank line", part), fmt.Sprintf("insert a blank line before the %s", part))
	}
	return ruleOne(first, 1, fmt.Sprintf("%s must not have a leading blank line", part), "")
}

// Type rules.

func ruleTypeEmpty(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleEmpty("type", m.c.Type, rc, 1, 1, "start the header with a type, e.g. `fix: ...`")
}

func ruleTypeCase(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleCase("type", m.c.Type, rc, 1, m.typeCol)
}

func ruleTypeEnum(m *ruleMessage, rc RuleConfig) []ruleProblem {
	t := m.c.Type
	allowed := ruleListValue(rc, nil)
	if t == "" || len(allowed) == 0 {
		return nil
	}
	in := ruleContains(allowed, t)
	if in == rc.Always {
		return nil
	}
	if rc.Always {
		fix := ""
		if s := fixClosest(t, allowed, fixTypeAliases); s != "" {
			fix = fmt.Sprintf("did you mean `%s`?", s)
		}
		return ruleOne(1, m.typeCol, fmt.Sprintf("type `%s` is not allowed; allowed: %s", t, ruleList(allowed)), fix)
	}
	return ruleOne(1, m.typeCol, fmt.Sprintf("type `%s` is not allowed; disallowed: %s", t, ruleList(allowed)), "")
}

func ruleTypeMaxLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMax("type", m.c.Type, ruleIntValue(rc, math.MaxInt), 1, m.typeCol)
}

func ruleTypeMinLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMin("type", m.c.Type, ruleIntValue(rc, 0), 1, m.typeCol)
}

// Scope rules.

// ruleScopeSegments splits a scope at the delimiters commitlint accepts
// between several scopes: "/", "\" and "," (with an optional space).
func ruleScopeSegments(scope string) []string {
	if !strings.ContainsAny(scope, "/\\,") {
		return []string{scope}
	}
	var out []string
	start := 0
	for i := 0; i < len(scope); i++ {
		switch scope[i] {
		case '/', '\\':
			out = append(out, scope[start:i])
			start = i + 1
		case ',':
			out = append(out, scope[start:i])
			if i+1 < len(scope) && scope[i+1] == ' ' {
				i++
			}
			start = i + 1
		}
	}
	return append(out, scope[start:])
}

func ruleScopeEmpty(m *ruleMessage, rc RuleConfig) []ruleProblem {
	col := m.scopeCol
	if col == 0 {
		col = m.typeCol + ruleRunes(m.c.Type)
	}
	return ruleEmpty("scope", m.c.Scope, rc, 1, col, "add a scope, e.g. `feat(core): ...`")
}

func ruleScopeCase(m *ruleMessage, rc RuleConfig) []ruleProblem {
	scope := m.c.Scope
	if scope == "" {
		return nil
	}
	cases := ruleListValue(rc, ruleDefaultCase)
	matched := false
	segs := ruleScopeSegmentsFor(scope, rc)
	for i, seg := range segs {
		segs[i] = ruleCasePrepare(seg)
	}
	for _, c := range cases {
		all := true
		for _, seg := range segs {
			if !ruleIsCasePrepared(seg, c) {
				all = false
				break
			}
		}
		if all {
			matched = true
			break
		}
	}
	if matched == rc.Always || len(cases) == 0 {
		return nil
	}
	if rc.Always {
		return ruleOne(1, m.scopeCol, fmt.Sprintf("scope `%s` is not %s", scope, ruleCases(cases)), fmt.Sprintf("write `%s`", ruleToCase(scope, cases[0])))
	}
	return ruleOne(1, m.scopeCol, fmt.Sprintf("scope `%s` must not be %s", scope, ruleCases(cases)), "")
}

func ruleScopeEnum(m *ruleMessage, rc RuleConfig) []ruleProblem {
	scope := m.c.Scope
	allowed := ruleListValue(rc, nil)
	if scope == "" || len(allowed) == 0 {
		return nil
	}
	segs := ruleScopeSegmentsFor(scope, rc)
	if rc.Always {
		if ruleContains(allowed, scope) {
			return nil
		}
		for _, seg := range segs {
			if !ruleContains(allowed, seg) {
				fix := ""
				if s := fixClosest(seg, allowed, nil); s != "" {
					fix = fmt.Sprintf("did you mean `%s`?", s)
				}
				return ruleOne(1, m.scopeCol, fmt.Sprintf("scope `%s` is not allowed; allowed: %s", seg, ruleList(allowed)), fix)
			}
		}
		return nil
	}
	if ruleContains(allowed, scope) {
		return ruleOne(1, m.scopeCol, fmt.Sprintf("scope `%s` is not allowed; disallowed: %s", scope, ruleList(allowed)), "")
	}
	for _, seg := range segs {
		if ruleContains(allowed, seg) {
			return ruleOne(1, m.scopeCol, fmt.Sprintf("scope `%s` is not allowed; disallowed: %s", seg, ruleList(allowed)), "")
		}
	}
	return nil
}

// ruleScopeDelimiterStyle checks the characters between scope names
// (anything outside A-Z a-z 0-9 - _) against the allowed delimiters,
// by default "/", "\" and ",".
func ruleScopeDelimiterStyle(m *ruleMessage, rc RuleConfig) []ruleProblem {
	scope := m.c.Scope
	if scope == "" {
		return nil
	}
	delims := ruleListValue(rc, nil)
	if len(delims) == 0 {
		delims = []string{"/", "\\", ","}
	}
	var bad string
	for i := 0; i < len(scope); {
		if ruleIsScopeWordByte(scope[i]) {
			i++
			continue
		}
		j := i
		for j < len(scope) && !ruleIsScopeWordByte(scope[j]) {
			j++
		}
		d := scope[i:j]
		if strings.TrimSpace(d) == "," {
			d = ","
		}
		if ruleContains(delims, d) != rc.Always {
			bad = d
			break
		}
		i = j
	}
	if bad == "" {
		return nil
	}
	if rc.Always {
		return ruleOne(1, m.scopeCol, fmt.Sprintf("scope delimiter `%s` is not allowed; allowed: %s", bad, ruleList(delims)), "")
	}
	return ruleOne(1, m.scopeCol, fmt.Sprintf("scope delimiter `%s` is not allowed; disallowed: %s", bad, ruleList(delims)), "")
}

func ruleIsScopeWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_'
}

func ruleScopeMaxLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMax("scope", m.c.Scope, ruleIntValue(rc, math.MaxInt), 1, m.scopeCol)
}

func ruleScopeMinLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMin("scope", m.c.Scope, ruleIntValue(rc, 0), 1, m.scopeCol)
}

// Subject rules.

func ruleSubjectEmpty(m *ruleMessage, rc RuleConfig) []ruleProblem {
	col := m.subjectCol
	if col == 0 {
		col = m.headerLen() + 1
	}
	return ruleEmpty("subject", m.c.Subject, rc, 1, col, "describe the change after `: `")
}

// ruleSubjectCase checks only subjects that start with a cased letter of
// any script (upper, lower or title case), as commitlint does
// (/^[\p{Ll}\p{Lu}\p{Lt}]/iu): a subject in a caseless script (CJK)
// passes.
func ruleSubjectCase(m *ruleMessage, rc RuleConfig) []ruleProblem {
	s := m.c.Subject
	if r, _ := utf8.DecodeRuneInString(s); s == "" || !(unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)) {
		return nil
	}
	cases := ruleListValue(rc, ruleDefaultCase)
	matched := false
	prepared := ruleCasePrepare(s)
	for _, c := range cases {
		if ruleIsCasePrepared(prepared, c) {
			matched = true
			break
		}
	}
	if matched == rc.Always || len(cases) == 0 {
		return nil
	}
	if rc.Always {
		return ruleOne(1, m.subjectCol, fmt.Sprintf("subject `%s` is not %s", s, ruleCases(cases)), fmt.Sprintf("write `%s`", ruleToCase(s, cases[0])))
	}
	fix := ""
	lower := ruleLowerFirst(s)
	if ruleIsCase(s, "upper-case") {
		lower = strings.ToLower(s)
	}
	if word, _, _ := strings.Cut(s, " "); ruleHasInnerUpper(word) && !ruleIsCase(word, "upper-case") {
		// A name such as GitHub: lower-casing it would be wrong, and
		// commitlint skips quoted text.
		fix = fmt.Sprintf("if `%s` is a name, quote it in backticks", word)
	} else if lower != s && !ruleSubjectCaseMatches(lower, cases) {
		fix = fmt.Sprintf("start with a lower-case letter: `%s`", lower)
	}
	return ruleOne(1, m.subjectCol, fmt.Sprintf("subject `%s` must not be %s", s, ruleCaseMatched(s, cases)), fix)
}

func ruleSubjectCaseMatches(s string, cases []string) bool {
	for _, c := range cases {
		if ruleIsCase(s, c) {
			return true
		}
	}
	return false
}

// ruleCaseMatched names the cases s is in, among cases.
func ruleCaseMatched(s string, cases []string) string {
	var in []string
	for _, c := range cases {
		if ruleIsCase(s, c) {
			in = append(in, c)
		}
	}
	if len(in) == 0 {
		in = cases
	}
	return strings.Join(in, " or ")
}

// ruleHasInnerUpper reports whether a word has an upper-case letter after
// its first character ("GitHub", "iOS").
func ruleHasInnerUpper(word string) bool {
	_, n := utf8.DecodeRuneInString(word)
	return strings.IndexFunc(word[n:], unicode.IsUpper) >= 0
}

func ruleLowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToLower(string(r)) + s[n:]
}

// ruleSubjectFullStop looks at the end of the header, as commitlint does
// (so a header that does not parse is judged too), and passes a header
// that ends at its colon. An ellipsis ("...") is not a full stop.
func ruleSubjectFullStop(m *ruleMessage, rc RuleConfig) []ruleProblem {
	h := m.c.Header
	if i := strings.IndexByte(h, ':'); i > 0 && i == len(h)-1 {
		return nil
	}
	if strings.HasSuffix(h, "...") {
		if rc.Always {
			return ruleOne(1, m.headerLen()+1, "subject must end with a full stop; `...` is not one", "")
		}
		return nil
	}
	return ruleFullStop("subject", h, rc, 1, m.headerLen())
}

func ruleSubjectExclamationMark(m *ruleMessage, rc RuleConfig) []ruleProblem {
	h := m.c.Header
	i := strings.Index(h, "!:")
	if (i >= 0) == rc.Always {
		return nil
	}
	if rc.Always {
		return ruleOne(1, m.subjectCol, "header must mark the breaking change with `!` before the `:`", "")
	}
	return ruleOne(1, ruleRunes(h[:i])+1, "header must not have `!` before the `:`", "")
}

func ruleSubjectMaxLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMax("subject", m.c.Subject, ruleIntValue(rc, math.MaxInt), 1, m.subjectCol)
}

func ruleSubjectMinLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMin("subject", m.c.Subject, ruleIntValue(rc, 0), 1, m.subjectCol)
}

// Header rules.

// ruleHeaderCase checks only headers that start with an ASCII letter, as
// commitlint does (/^[a-z]/i).
func ruleHeaderCase(m *ruleMessage, rc RuleConfig) []ruleProblem {
	h := m.c.Header
	if h == "" || !(h[0] >= 'a' && h[0] <= 'z' || h[0] >= 'A' && h[0] <= 'Z') {
		return nil
	}
	return ruleCase("header", h, rc, 1, 1)
}

func ruleHeaderFullStop(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleFullStop("header", m.c.Header, rc, 1, m.headerLen())
}

func ruleHeaderMaxLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	p := ruleMax("header", m.c.Header, ruleIntValue(rc, math.MaxInt), 1, 1)
	if p != nil {
		p[0].fix = "shorten the subject and move details to the body"
	}
	return p
}

func ruleHeaderMinLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	limit := ruleIntValue(rc, 0)
	if n := m.headerLen(); n < limit {
		return ruleOne(1, 1, fmt.Sprintf("header is %d characters, minimum is %d", n, limit), "")
	}
	return nil
}

func ruleHeaderTrim(m *ruleMessage, _ RuleConfig) []ruleProblem {
	h := m.c.Header
	lead := h != strings.TrimLeft(h, " \t\v\f\r\u00a0\ufeff")
	trail := h != strings.TrimRight(h, " \t\v\f\r\u00a0\ufeff")
	switch {
	case lead && trail:
		return ruleOne(1, 1, "header must not be surrounded by whitespace", "remove the spaces around the header")
	case lead:
		return ruleOne(1, 1, "header must not start with whitespace", "remove the leading spaces")
	case trail:
		t := strings.TrimRight(h, " \t\v\f\r\u00a0\ufeff")
		return ruleOne(1, ruleRunes(t)+1, "header must not end with whitespace", "remove the trailing spaces")
	}
	return nil
}

// Body rules.

func ruleBodyEmpty(m *ruleMessage, rc RuleConfig) []ruleProblem {
	line := m.c.BodyLine
	if line == 0 {
		line = 2
		if line > m.nlines {
			line = m.nlines
		}
	}
	return ruleEmpty("body", m.c.Body, rc, line, 1, "explain what changed and why in a body after a blank line")
}

func ruleBodyCase(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleCase("body", m.c.Body, rc, m.c.BodyLine, 1)
}

func ruleBodyFullStop(m *ruleMessage, rc RuleConfig) []ruleProblem {
	if m.c.Body == "" {
		return nil
	}
	line, col := m.bodyEnd()
	return ruleFullStop("body", m.c.Body, rc, line, col)
}

func ruleBodyLeadingBlank(m *ruleMessage, rc RuleConfig) []ruleProblem {
	if m.c.Body == "" {
		return nil
	}
	return ruleLeadingBlank("body", m, m.c.BodyLine, rc)
}

func ruleBodyMaxLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	limit := ruleIntValue(rc, math.MaxInt)
	if n := ruleRunes(m.c.Body); n > limit {
		return ruleOne(m.c.BodyLine, 1, fmt.Sprintf("body is %d characters, limit is %d", n, limit), "")
	}
	return nil
}

func ruleBodyMaxLineLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMaxLines("body", m.c.Body, m.c.BodyLine, ruleIntValue(rc, math.MaxInt))
}

func ruleBodyMinLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMin("body", m.c.Body, ruleIntValue(rc, 0), m.c.BodyLine, 1)
}

// Footer rules.

func ruleFooterEmpty(m *ruleMessage, rc RuleConfig) []ruleProblem {
	line := m.c.FooterLine
	if line == 0 {
		line = m.nlines
	}
	return ruleEmpty("footer", m.footer, rc, line, 1, "add a trailer such as `Refs: #123` after a blank line")
}

func ruleFooterLeadingBlank(m *ruleMessage, rc RuleConfig) []ruleProblem {
	if m.footer == "" {
		return nil
	}
	return ruleLeadingBlank("footer", m, m.c.FooterLine, rc)
}

func ruleFooterMaxLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	limit := ruleIntValue(rc, math.MaxInt)
	if n := ruleRunes(m.footer); n > limit {
		return ruleOne(m.c.FooterLine, 1, fmt.Sprintf("footer is %d characters, limit is %d", n, limit), "")
	}
	return nil
}

func ruleFooterMaxLineLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMaxLines("footer", m.footer, m.c.FooterLine, ruleIntValue(rc, math.MaxInt))
}

func ruleFooterMinLength(m *ruleMessage, rc RuleConfig) []ruleProblem {
	return ruleMin("footer", m.footer, ruleIntValue(rc, 0), m.c.FooterLine, 1)
}

// Whole-message rules.

func ruleReferencesEmpty(m *ruleMessage, rc RuleConfig) []ruleProblem {
	empty := len(m.c.References) == 0
	if empty == rc.Always {
		return nil
	}
	if rc.Always {
		return ruleOne(1, 1, "message must not reference issues", "")
	}
	return ruleOne(1, 1, "message references no issue", "add a reference such as `Refs: #123`")
}

// ruleSignedOffBy checks that the last line that is neither blank nor a
// comment starts with the value (default "Signed-off-by:").
func ruleSignedOffBy(m *ruleMessage, rc RuleConfig) []ruleProblem {
	value := ruleStringValue(rc, "Signed-off-by:")
	last, at := "", m.nlines
	rest := m.c.Raw
	for i := m.nlines; i >= 1; i-- {
		// rest holds lines 1..i; ln is line i. A `(cherry picked from
		// commit …)` line after the sign-off does not hide it.
		nl := strings.LastIndexByte(rest, '\n')
		ln := rest[nl+1:]
		if ln != "" && !strings.HasPrefix(ln, "#") && !ruleIsCherryPick(ln) {
			last, at = ln, i
			break
		}
		if nl < 0 {
			break
		}
		rest = rest[:nl]
	}
	has := last != "" && strings.HasPrefix(last, value)
	if has == rc.Always {
		return nil
	}
	if rc.Always {
		return ruleOne(at, 1, fmt.Sprintf("message must end with a `%s` line", value), "sign off with `git commit -s`")
	}
	return ruleOne(at, 1, fmt.Sprintf("message must not end with a `%s` line", value), "")
}

// ruleTrailerExists checks that a trailer starts with the value (default
// "Signed-off-by:").
func ruleTrailerExists(m *ruleMessage, rc RuleConfig) []ruleProblem {
	value := ruleStringValue(rc, "Signed-off-by:")
	found := 0
	for _, f := range m.c.Footers {
		if strings.HasPrefix(f.Token+f.Separator+f.Value, value) {
			found = f.Line
			break
		}
	}
	if (found > 0) == rc.Always {
		return nil
	}
	if rc.Always {
		line := m.c.FooterLine
		if line == 0 {
			line = m.nlines
		}
		return ruleOne(line, 1, fmt.Sprintf("message has no `%s` trailer", value), "")
	}
	return ruleOne(found, 1, fmt.Sprintf("message must not have a `%s` trailer", value), "")
}

// ruleBreakingChangeExclamationMark checks that a breaking change is
// marked both by `!` in the header and by a BREAKING CHANGE footer.
func ruleBreakingChangeExclamationMark(m *ruleMessage, rc RuleConfig) []ruleProblem {
	footerLine := 0
	for _, f := range m.c.Footers {
		if f.Token == "BREAKING CHANGE" || f.Token == "BREAKING-CHANGE" {
			footerLine = f.Line
			break
		}
	}
	both := m.c.Bang == (footerLine > 0)
	if both == rc.Always {
		return nil
	}
	if !rc.Always {
		return ruleOne(1, m.typeCol, "breaking change must not be marked both with `!` and a BREAKING CHANGE footer", "")
	}
	if m.c.Bang {
		return ruleOne(1, m.typeCol, "header has `!` but the message has no BREAKING CHANGE footer", "add a `BREAKING CHANGE: ...` footer that describes the change")
	}
	return ruleOne(footerLine, 1, "BREAKING CHANGE footer without `!` in the header", "add `!` before the `:` in the header")
}

// ruleIsCherryPick reports whether a line is what `git cherry-pick -x`
// adds: /^\(cherry picked from commit [0-9a-f]{7,64}\)$/i, trimmed.
func ruleIsCherryPick(line string) bool {
	line = strings.TrimSpace(line)
	rest, ok := strings.CutPrefix(strings.ToLower(line), "(cherry picked from commit ")
	if !ok || !strings.HasSuffix(rest, ")") {
		return false
	}
	hash := rest[:len(rest)-1]
	if len(hash) < 7 || len(hash) > 64 {
		return false
	}
	for i := 0; i < len(hash); i++ {
		if !(hash[i] >= '0' && hash[i] <= '9' || hash[i] >= 'a' && hash[i] <= 'f') {
			return false
		}
	}
	return true
}

func ruleContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
