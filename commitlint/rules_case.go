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
	s = strings.TrimSpace(ruleStripQuoted(s))
	t := ruleToCase(s, c)
	if t == "" || (t[0] >= '0' && t[0] <= '9') {
		return true
	}
	return t == s
}

// ruleStripQuoted removes `...`, "..." and '...' spans that close on the
// same line, like the regexp /`.*?`|".*?"|'.*?'/g.
func ruleStripQuoted(s string) string {
	if !strings.ContainsAny(s, "`\"'") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '`' || ch == '"' || ch == '\'' {
			end := strings.IndexByte(s[i+1:], ch)
			nl := strings.IndexByte(s[i+1:], '\n')
			if end >= 0 && (nl < 0 || end < nl) {
				i += end + 1
				continue
			}
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
	if n == 0 || !unicode.IsLower(r) {
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
