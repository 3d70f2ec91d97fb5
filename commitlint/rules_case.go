package commitlint

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ruleIsCase reports whether s is written in case c, the way commitlint's
// @commitlint/ensure case.ts decides it: quoted parts (`code`, "x", 'x')
// are removed first because they may hold proper names, the rest is
// trimmed, and text that is empty or starts with a digit passes.
func ruleIsCase(s, c string) bool {
	return ruleIsCasePrepared(ruleCasePrepare(s), c)
}

// ruleCasePrepare removes what ruleIsCase does not look at: quoted parts
// and surrounding space. Checking one text against several cases
// prepares it once.
func ruleCasePrepare(s string) string {
	return strings.TrimSpace(ruleStripQuoted(s))
}

// ruleIsCasePrepared is ruleIsCase on a text that went through
// ruleCasePrepare.
func ruleIsCasePrepared(s, c string) bool {
	if s == "" {
		return true
	}
	// Every conversion keeps the first letter or digit first, so a text
	// whose first word starts with a digit passes (commitlint's
	// /^\d/ test on the converted text).
	wordCase := c != "lower-case" && c != "upper-case" && c != "sentence-case"
	if first := strings.IndexFunc(s, ruleIsAlnum); first < 0 {
		// Conversions to words drop everything: the result is "".
		if wordCase {
			return true
		}
	} else if s[first] >= '0' && s[first] <= '9' && (first == 0 || wordCase) {
		return true
	}
	switch c {
	case "lower-case":
		return ruleAllRunes(s, func(r rune) bool { return unicode.ToLower(r) == r })
	case "upper-case":
		return ruleAllRunes(s, func(r rune) bool { return unicode.ToUpper(r) == r })
	case "sentence-case":
		r, _ := utf8.DecodeRuneInString(s)
		return unicode.ToUpper(r) == r
	case "camel-case", "pascal-case":
		// The result has letters and digits only.
		if !ruleAllRunes(s, ruleIsAlnum) {
			return false
		}
	case "kebab-case", "snake-case":
		sep := '-'
		if c == "snake-case" {
			sep = '_'
		}
		if !ruleAllRunes(s, func(r rune) bool {
			return r == sep || unicode.IsDigit(r) || unicode.IsLetter(r) && unicode.ToLower(r) == r
		}) {
			return false
		}
	case "start-case":
		// The result is words joined by single spaces, each starting with
		// a character that is not lower case.
		r, _ := utf8.DecodeRuneInString(s)
		if unicode.ToUpper(r) != r || !ruleAllRunes(s, func(r rune) bool { return r == ' ' || ruleIsAlnum(r) }) {
			return false
		}
	}
	return ruleToCase(s, c) == s
}

func ruleIsAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// ruleAllRunes reports whether every rune of s satisfies f.
func ruleAllRunes(s string, f func(rune) bool) bool {
	for _, r := range s {
		if !f(r) {
			return false
		}
	}
	return true
}

// ruleStripQuoted removes `...`, "..." and '...' spans that close on the
// same line, like the regexp /`.*?`|".*?"|'.*?'/g.
func ruleStripQuoted(s string) string {
	if !strings.ContainsAny(s, "`\"'") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	lineEnd := -1
	var unclosed [3]bool // `, " and ' with no closer on the rest of the line
	for i := 0; i < len(s); i++ {
		if i > lineEnd {
			lineEnd = strings.IndexByte(s[i:], '\n')
			if lineEnd < 0 {
				lineEnd = len(s)
			} else {
				lineEnd += i
			}
			unclosed = [3]bool{}
		}
		ch := s[i]
		if q := strings.IndexByte("`\"'", ch); q >= 0 && !unclosed[q] {
			if end := strings.IndexByte(s[i+1:lineEnd], ch); end >= 0 {
				i += end + 1
				continue
			}
			unclosed[q] = true
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// ruleToCase converts s to case c, following lodash's camelCase,
// kebabCase, snakeCase, startCase and upperFirst as commitlint uses them
// (@commitlint/ensure to-case.ts).
func ruleToCase(s, c string) string {
	switch c {
	case "lower-case":
		return strings.ToLower(s)
	case "upper-case":
		return strings.ToUpper(s)
	case "sentence-case":
		return ruleUpperFirst(s)
	case "camel-case":
		return ruleCamel(ruleWords(s))
	case "pascal-case":
		return ruleUpperFirst(ruleCamel(ruleWords(s)))
	case "kebab-case":
		return strings.ToLower(strings.Join(ruleWords(s), "-"))
	case "snake-case":
		return strings.ToLower(strings.Join(ruleWords(s), "_"))
	case "start-case":
		w := ruleWords(s)
		for i := range w {
			w[i] = ruleUpperFirst(w[i])
		}
		return strings.Join(w, " ")
	}
	return s
}

func ruleUpperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.ToUpper(r) == r {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func ruleCamel(words []string) string {
	var b strings.Builder
	for i, w := range words {
		w = strings.ToLower(w)
		if i > 0 {
			w = ruleUpperFirst(w)
		}
		b.WriteString(w)
	}
	return b.String()
}

// ruleWords splits s into words like lodash's words(): runs of letters
// and digits, split again where lower case meets upper case ("fooBar"),
// before the last capital of an acronym ("XMLHttp") and between letters
// and digits.
func ruleWords(s string) []string {
	var words []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, string(rs[start:end]))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		p := rs[i-1]
		switch {
		case unicode.IsDigit(r) != unicode.IsDigit(p):
			flush(i)
		case unicode.IsUpper(r) && unicode.IsLower(p):
			flush(i)
		case unicode.IsUpper(p) && unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush(i)
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(rs))
	return words
}
