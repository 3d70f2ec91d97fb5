package commitlint

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Parse splits a message into its Conventional Commits 1.0.0 parts. It
// never returns nil and never panics.
//
// msg is normalised first (see Normalize; a normalised message is used as
// is), and every position refers to Commit.Raw, counted in characters.
//
// Header: `type(scope)!: description`. The type is letters, digits, marks,
// `_` and `-` of any script, starting with a letter or digit; the scope is
// any text without parentheses (nested parentheses are an error). Case is
// kept. Extra spaces after ": " are not part of Subject. A header that does
// not fit leaves Type, Scope, Bang and Subject empty and sets HeaderError
// with the place and a concrete fix.
//
// Body and footers: the body starts on line 2, after any blank lines.
// Footers are `Token: value` or `Token #value` lines; a token is ASCII
// letters, digits and `-` (git's trailer tokens), or `BREAKING CHANGE`.
// Where the footers start follows `git interpret-trailers`: the last
// paragraph (never the header's) holds footers when all its lines are
// trailers or continuation lines (starting with whitespace), or when it
// has a git-generated line (`Signed-off-by: `, `(cherry picked from
// commit `) and at least a quarter of its lines are trailers. Lines of that
// paragraph before its first trailer stay in the body. Because a breaking
// change must never be lost, footers also start at an upper-case
// `BREAKING CHANGE: ` or `BREAKING-CHANGE: ` line anywhere after the
// header, even when prose follows it. As Conventional Commits says, a
// footer's value runs until the next footer line: continuation lines,
// blank lines and prose after a footer belong to its value.
//
// Breaking is set by `!` or a breaking footer (upper case only); the
// breaking footers' values, or else the subject, go to BreakingNotes.
// References and Revert are filled from the subject, body and footers.
//
// ParserOptions.Parse parses with a parser preset's options.
func Parse(msg string) *Commit {
	c := &Commit{}
	parseInto(c, msg, nil)
	return c
}

// Parse is the package-level Parse with p's options (see ParserOptions):
// comment lines are removed first, note keywords and issue prefixes are
// p's, and a header pattern splits the header. A nil p is Parse.
func (p *ParserOptions) Parse(msg string) *Commit {
	c := &Commit{}
	parseInto(c, msg, p)
	return c
}

// parseInto is Parse into a zero Commit, with the options p (nil for the
// defaults).
func parseInto(c *Commit, msg string, p *ParserOptions) {
	raw, _ := normString(msg)
	var notes []string
	if p != nil {
		if p.CommentChar != "" {
			raw = parseDropComments(raw, p.CommentChar)
		}
		notes = p.NoteKeywords
		c.NoteKeywords = notes
	}
	c.Raw = raw
	header, rest, hasRest := strings.Cut(raw, "\n")
	c.Header = header
	parseHeader(c)
	if hasRest {
		parseBodyAndFooters(c, rest, notes)
	}

	for _, f := range c.Footers {
		if parseIsNote(f.Token, notes) {
			c.Breaking = true
			c.BreakingNotes = append(c.BreakingNotes, f.Value)
		}
	}
	if c.Bang {
		c.Breaking = true
		if len(c.BreakingNotes) == 0 {
			c.BreakingNotes = []string{c.Subject}
		}
	}
	c.References = parseReferences(c, p)
	c.Revert = parseRevert(rest)
	p.apply(c)
}

// parseIsBreakingToken reports whether a footer token marks a breaking
// change. Conventional Commits 1.0.0 §12, §15, §16: upper case only.
func parseIsBreakingToken(tok string) bool {
	return tok == "BREAKING CHANGE" || tok == "BREAKING-CHANGE"
}

// parseIsNote reports whether a footer token is a note: one of keywords
// in any case, or with nil keywords a breaking-change token. BREAKING
// CHANGE and BREAKING-CHANGE stay upper case only, listed or not.
func parseIsNote(tok string, keywords []string) bool {
	if keywords == nil {
		return parseIsBreakingToken(tok)
	}
	for _, k := range keywords {
		k = strings.TrimSpace(k)
		if k == "" || !strings.EqualFold(tok, k) {
			continue
		}
		if strings.EqualFold(k, "BREAKING CHANGE") || strings.EqualFold(k, "BREAKING-CHANGE") {
			return parseIsBreakingToken(tok)
		}
		return true
	}
	return false
}

// parseNoteLine reads a note line `Keyword: value` or `Keyword #value`
// whose keyword is one of keywords (see parseIsNote), for keywords that
// are no footer token of their own, such as `DEPRECATED API`.
func parseNoteLine(line string, keywords []string) (token, sep, value string, ok bool) {
	for _, k := range keywords {
		k = strings.TrimSpace(k)
		if k == "" || len(line) <= len(k) || !parseIsNote(line[:len(k)], keywords) {
			continue
		}
		rest := line[len(k):]
		switch {
		case strings.HasPrefix(rest, ": "):
			sep = ": "
		case strings.HasPrefix(rest, " #"):
			sep = " #"
		default:
			continue
		}
		value = strings.TrimLeft(rest[2:], " ")
		if strings.TrimSpace(value) == "" {
			continue
		}
		return line[:len(k)], sep, value, true
	}
	return "", "", "", false
}

// parseFooterLineWith is parseFooterLine that also reads the note lines
// of keywords (nil: the defaults, which parseFooterLine reads).
func parseFooterLineWith(line string, keywords []string) (token, sep, value string, ok bool) {
	if keywords != nil {
		if token, sep, value, ok = parseNoteLine(line, keywords); ok {
			return token, sep, value, ok
		}
	}
	return parseFooterLine(line)
}

// parseDropComments removes from msg git's scissors line for the comment
// string cc and everything below it, and every line starting with cc, as
// conventional-commits-parser does with its commentChar.
func parseDropComments(msg, cc string) string {
	if !strings.Contains(msg, cc) {
		return msg
	}
	msg = msg[:stripLocateEnd(msg, cc)]
	var b strings.Builder
	b.Grow(len(msg))
	first := true
	for more := true; more; {
		var line string
		line, msg, more = strings.Cut(msg, "\n")
		if strings.HasPrefix(line, cc) {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		b.WriteString(line)
	}
	return b.String()
}

// parseHeader fills Type, Scope, HasScope, Bang and Subject from c.Header,
// or sets c.HeaderError.
func parseHeader(c *Commit) {
	h := c.Header
	fail := func(off int, msg, fix string) {
		c.HeaderError = &ParseError{
			Line:    1,
			Column:  utf8.RuneCountInString(h[:off]) + 1,
			Message: msg,
			Fix:     fix,
		}
	}
	if strings.TrimSpace(h) == "" {
		if c.Raw == "" {
			fail(0, "message is empty", "write a header such as `feat: add a thing`")
		} else {
			fail(0, "header is empty", "put the header `type: description` on the first line")
		}
		return
	}
	if r, _ := utf8.DecodeRuneInString(h); unicode.IsSpace(r) {
		fail(0, "header starts with whitespace", "remove it: `"+strings.TrimLeftFunc(h, unicode.IsSpace)+"`")
		return
	}

	// Type.
	i := 0
	for i < len(h) {
		r, w := utf8.DecodeRuneInString(h[i:])
		if !parseIsTypeRune(r) || (i == 0 && (r == '-' || r == '_')) {
			break
		}
		i += w
	}
	typ := h[:i]
	if typ == "" {
		fail(0, "header does not start with a type", "start with a type and a colon, e.g. "+parseSuggestType(h))
		return
	}

	// Scope.
	var scope string
	hasScope, bang := false, false
	if i < len(h) && h[i] == '(' {
		hasScope = true
		j := i + 1
		for j < len(h) && h[j] != ')' {
			if h[j] == '(' {
				fail(j, "nested parentheses are not allowed in a scope", parseNestedFix(h, i))
				return
			}
			j++
		}
		if j == len(h) {
			fix := "close the scope with `)`"
			if k := strings.IndexByte(h[i:], ':'); k >= 0 {
				fix += ": `" + h[:i+k] + ")" + h[i+k:] + "`"
			}
			fail(i, "scope is missing its closing `)`", fix)
			return
		}
		scope = h[i+1 : j]
		if strings.HasSuffix(scope, "!") && j+1 < len(h) && h[j+1] == ':' {
			// `feat(api!): x` reads as breaking to its author, but the spec's
			// `!` sits outside the parentheses; a scope "api!" is a typo.
			fail(j-1, "`!` goes after the scope", "`"+typ+"("+strings.TrimRight(scope, "!")+")!"+h[j+1:]+"`")
			return
		}
		i = j + 1
	}

	// Bang.
	if i < len(h) && h[i] == '!' {
		bang = true
		i++
		if i < len(h) && h[i] == '(' && !hasScope {
			if k := strings.IndexByte(h[i:], ')'); k >= 0 {
				fail(i-1, "`!` goes after the scope", "`"+typ+h[i:i+k+1]+"!"+h[i+k+1:]+"`")
			} else {
				fail(i-1, "`!` goes after the scope", "write `type(scope)!: description`")
			}
			return
		}
	}

	// Colon.
	if i == len(h) || h[i] != ':' {
		parseColonError(h, i, typ, hasScope, bang, fail)
		return
	}
	i++
	if i == len(h) {
		fail(i, "description is missing after the colon", "add a space and a description: `"+h+" add a thing`")
		return
	}
	if h[i] != ' ' {
		fail(i, "add a space after the colon", "`"+h[:i]+" "+strings.TrimLeft(h[i:], " \t")+"`")
		return
	}

	c.Type = typ
	c.Scope = scope
	c.HasScope = hasScope
	c.Bang = bang
	c.Subject = strings.TrimLeft(h[i:], " ")
}

// parseColonError explains what is at h[i] where `:` was expected.
func parseColonError(h string, i int, typ string, hasScope, bang bool, fail func(int, string, string)) {
	after := "type `" + typ + "`"
	if hasScope {
		after = "scope"
	}
	if bang {
		after = "`!`"
	}
	if i == len(h) {
		fail(i, "header is not `type(scope): description`: no `:` after the "+after, "start with a type and a colon, e.g. "+parseSuggestType(h))
		return
	}
	rest := h[i:]
	trimmed := strings.TrimLeft(rest, " \t")
	if (hasScope || bang) && trimmed != "" && !strings.ContainsAny(trimmed, ":(!") {
		// `feat(api) add x` or `feat(api)x`: the type and scope are right,
		// only the colon is missing.
		fail(i, "expected `:` after the "+after+", found "+parseQuoteRune([]rune(rest)[0]), "add the colon: `"+h[:i]+": "+trimmed+"`")
		return
	}
	switch {
	case rest != trimmed && strings.HasPrefix(trimmed, ":"):
		fail(i, "space before the colon", "remove it: `"+h[:i]+trimmed+"`")
	case rest != trimmed && strings.HasPrefix(trimmed, "(") && !hasScope && !bang:
		fail(i, "space between the type and the scope", "remove it: `"+h[:i]+trimmed+"`")
	case h[i] == '!' && bang:
		fail(i, "more than one `!`", "use one: `"+h[:i]+strings.TrimLeft(rest, "!")+"`")
	case h[i] == '(' && hasScope:
		fail(i, "a header has at most one scope", "put all scopes in one pair of parentheses, separated by commas")
	case rest != trimmed && !strings.Contains(h, ":"):
		fail(i, "header is not `type(scope): description`: no `:` after the "+after, "start with a type and a colon, e.g. "+parseSuggestType(h))
	default:
		r, _ := utf8.DecodeRuneInString(rest)
		fail(i, "expected `:` after the "+after+", found "+parseQuoteRune(r), "write `type(scope): description`, e.g. "+parseSuggestType(h))
	}
}

// parseQuoteRune shows a character in a message.
func parseQuoteRune(r rune) string {
	switch r {
	case ' ':
		return "space"
	case '\t':
		return "tab"
	case '`':
		return "backtick"
	}
	return "`" + string(r) + "`"
}

// parseSuggestType turns a free-form header into an example fix.
func parseSuggestType(h string) string {
	// The suggestion must itself pass subject-full-stop.
	d := strings.TrimRight(strings.TrimSpace(h), ".")
	// Lower-case a sentence-case first word ("Added" → "added") but not an
	// acronym or a name in capitals ("WIP", "README").
	if r, w := utf8.DecodeRuneInString(d); unicode.IsUpper(r) {
		if next, _ := utf8.DecodeRuneInString(d[w:]); !unicode.IsUpper(next) {
			d = string(unicode.ToLower(r)) + d[w:]
		}
	}
	return "`feat: " + d + "`"
}

// parseNestedFix suggests a scope without the inner parentheses of h,
// whose scope opens at h[open].
func parseNestedFix(h string, open int) string {
	depth := 0
	end := -1
	for k := open; k < len(h); k++ {
		if h[k] == '(' {
			depth++
		} else if h[k] == ')' {
			depth--
			if depth == 0 {
				end = k
				break
			}
		}
	}
	if end < 0 {
		return "use one pair of parentheses around the scope"
	}
	return "use one pair of parentheses: `" + h[:open+1] + parseFlattenScope(h[open+1:end]) + h[end:] + "`"
}

// parseFlattenScope removes parentheses from a scope: `api(v2)` becomes
// `api-v2`, `a (b)` becomes `a b`.
func parseFlattenScope(s string) string {
	var b strings.Builder
	for k := 0; k < len(s); k++ {
		switch s[k] {
		case '(':
			if k > 0 && s[k-1] != ' ' {
				b.WriteByte('-')
			}
		case ')':
		default:
			b.WriteByte(s[k])
		}
	}
	return b.String()
}

// parseIsTypeRune reports whether r may appear in a type.
func parseIsTypeRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' || r == '-'
}

// parseBodyAndFooters fills Body, BodyLine, Footers and FooterLine from
// rest, the lines after the header (line 2 onwards); notes are the note
// keywords (nil: the defaults).
func parseBodyAndFooters(c *Commit, rest string, notes []string) {
	// Most messages have a few lines: split them into an array on the
	// stack rather than a new slice.
	var buf [16]string
	lines := buf[:0]
	all := rest
	for more := true; more; {
		var ln string
		ln, rest, more = strings.Cut(rest, "\n")
		lines = append(lines, ln)
	}
	// lines[k] is line k+2 of Raw.
	first := 0
	for first < len(lines) && parseIsBlank(lines[first]) {
		first++
	}
	if first == len(lines) {
		return
	}

	footerStart := len(lines)
	// A breaking-change footer (a note) anywhere after the header.
	for k := first; k < len(lines); k++ {
		if tok, _, _, ok := parseFooterLineWith(lines[k], notes); ok && parseIsNote(tok, notes) {
			footerStart = k
			break
		}
	}
	// git's trailer block in the last paragraph.
	if k, ok := parseTrailerBlockWith(lines, notes); ok && k < footerStart {
		footerStart = k
	}

	// Body: from first to footerStart, without trailing blank lines.
	end := footerStart
	for end > first && parseIsBlank(lines[end-1]) {
		end--
	}
	if end > first {
		// The body's lines are consecutive in rest, one "\n" apart: it
		// is a part of rest, not a new string.
		start := 0
		for _, ln := range lines[:first] {
			start += len(ln) + 1
		}
		stop := start - 1
		for _, ln := range lines[first:end] {
			stop += len(ln) + 1
		}
		c.Body = all[start:stop]
		c.BodyLine = first + 2
	}

	// Footers.
	if footerStart == len(lines) {
		return
	}
	c.FooterLine = footerStart + 2
	// cur is the footer being read, when open.
	var cur Footer
	open := false
	var value []string
	flush := func() {
		if open {
			cur.Value = strings.TrimRightFunc(strings.Join(value, "\n"), unicode.IsSpace)
			c.Footers = append(c.Footers, cur)
			open, value = false, value[:0]
		}
	}
	tail := parseCommentTail(lines)
	for k := footerStart; k < len(lines); k++ {
		line := lines[k]
		if k >= tail {
			// Trailing comment lines are not a footer's value.
			break
		}
		if tok, sep, val, ok := parseFooterLineWith(line, notes); ok {
			flush()
			cur, open = Footer{Token: tok, Separator: sep, Line: k + 2}, true
			value = append(value, val)
			continue
		}
		if strings.HasPrefix(line, "(cherry picked from commit ") {
			flush()
			continue
		}
		if open {
			value = append(value, line)
		}
	}
	flush()
}

// parseCommentTail returns the index where the run of comment (`#`) and
// blank lines that ends lines starts, or len(lines) when the last line is
// neither. A run of blank lines alone is not a comment tail.
func parseCommentTail(lines []string) int {
	k, comments := len(lines), false
	for k > 0 && (parseIsBlank(lines[k-1]) || strings.HasPrefix(lines[k-1], "#")) {
		if strings.HasPrefix(lines[k-1], "#") {
			comments = true
		}
		k--
	}
	if !comments {
		return len(lines)
	}
	return k
}

// parseTrailerBlock finds git's trailer block: the last paragraph, when it
// is not the header's and is all trailers, or has a git-generated trailer
// and at least 25 % trailers (trailer.c, find_trailer_block_start). It
// returns the index of the block's first trailer line.
func parseTrailerBlock(lines []string) (int, bool) {
	return parseTrailerBlockWith(lines, nil)
}

// parseTrailerBlockWith is parseTrailerBlock where the note lines of
// notes (nil: the defaults) are trailers too.
func parseTrailerBlockWith(lines []string, notes []string) (int, bool) {
	// lines are the lines after the header; the header's paragraph runs
	// until the first blank line.
	title := 0
	for title < len(lines) && !parseIsBlank(lines[title]) {
		title++
	}
	// Comment lines at the end (a message read from stdin may still hold
	// git's help text) are not part of the message, as for git.
	end := parseCommentTail(lines)
	for end > 0 && parseIsBlank(lines[end-1]) {
		end--
	}
	start := end
	for start > 0 && !parseIsBlank(lines[start-1]) {
		start--
	}
	if start <= title || start == end {
		return 0, false
	}

	trailers, others, maybeContinued := 0, 0, 0
	recognised := false
	firstTrailer := -1
	for k := end - 1; k >= start; k-- {
		line := lines[k]
		switch {
		case strings.HasPrefix(line, "#"):
			// git skips comment lines inside the block.
		case strings.HasPrefix(line, "Signed-off-by: ") || strings.HasPrefix(line, "(cherry picked from commit "):
			trailers++
			maybeContinued = 0
			recognised = true
			firstTrailer = k
		case parseIsFooterWith(line, notes):
			trailers++
			maybeContinued = 0
			firstTrailer = k
		case line[0] == ' ' || line[0] == '\t':
			maybeContinued++
		default:
			others += 1 + maybeContinued
			maybeContinued = 0
		}
	}
	others += maybeContinued
	if trailers == 0 || (others > 0 && !(recognised && trailers*3 >= others)) {
		return 0, false
	}
	// Lines before the first trailer of the block stay in the body.
	for k := start; k < end; k++ {
		if parseIsFooterWith(lines[k], notes) {
			return k, true
		}
	}
	// (Only reached when the block's trailers are all git-generated lines
	// that are no footer, such as a lone cherry-pick line.)
	return firstTrailer, firstTrailer >= 0 && parseIsFooterWith(lines[firstTrailer], notes)
}

func parseIsFooter(line string) bool { return parseIsFooterWith(line, nil) }

func parseIsFooterWith(line string, notes []string) bool {
	_, _, _, ok := parseFooterLineWith(line, notes)
	return ok
}

// parseFooterLine splits `Token: value` or `Token #value`. A token is
// ASCII letters, digits and `-` starting with a letter or digit (git's
// trailer tokens; Conventional Commits §9 wants `-` for spaces), or the
// upper-case `BREAKING CHANGE`. The value must not be empty.
func parseFooterLine(line string) (token, sep, value string, ok bool) {
	n := 0
	if strings.HasPrefix(line, "BREAKING CHANGE") {
		n = len("BREAKING CHANGE")
	} else {
		for n < len(line) && (parseIsASCIIAlnum(line[n]) || (n > 0 && line[n] == '-')) {
			n++
		}
		if n == 0 {
			return "", "", "", false
		}
	}
	rest := line[n:]
	switch {
	case strings.TrimRight(rest, " \t") == ":" && line[:n] != "BREAKING CHANGE":
		// An empty-valued trailer (`Signed-off-by:`) is a trailer, as
		// for git.
		return line[:n], ":", "", true
	case strings.HasPrefix(rest, ": "):
		sep, value = ": ", strings.TrimLeft(rest[2:], " ")
	case strings.HasPrefix(rest, " #"):
		// Spaces after the separator are not the value's, as after ": "
		// (found by FuzzDifferential: "Refs # 12").
		sep, value = " #", strings.TrimLeft(rest[2:], " ")
	default:
		return "", "", "", false
	}
	if strings.TrimSpace(value) == "" {
		return "", "", "", false
	}
	return line[:n], sep, value, true
}

func parseIsASCIIAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// parseIsBlank reports whether a line has only whitespace.
func parseIsBlank(line string) bool {
	for i := 0; i < len(line); i++ {
		if !normIsBlankByte(line[i]) {
			return false
		}
	}
	return true
}
