package commitlint

import (
	"strings"
	"unicode/utf8"
)

// ruleMessage is a parsed commit plus the positions rules report at.
type ruleMessage struct {
	c *Commit
	// nlines is the number of lines of c.Raw.
	nlines int
	// footer is the text of the footer lines, as written.
	footer string
	// typeCol, scopeCol and subjectCol are the 1-based columns of the
	// header's parts (0 when the part is absent).
	typeCol, scopeCol, subjectCol int
}

// ruleNewMessage prepares c for the rules. It does not split the message
// into lines: most rules look at one or two lines, found by line.
func ruleNewMessage(c *Commit) *ruleMessage {
	m := &ruleMessage{}
	ruleInitMessage(m, c)
	return m
}

// ruleInitMessage is ruleNewMessage into a zero ruleMessage.
func ruleInitMessage(m *ruleMessage, c *Commit) {
	*m = ruleMessage{c: c, nlines: strings.Count(c.Raw, "\n") + 1}
	if c.FooterLine > 0 && c.FooterLine <= m.nlines {
		m.footer = strings.TrimRight(c.Raw[ruleLineStart(c.Raw, c.FooterLine):], "\n")
	}
	h := c.Header
	if c.Type != "" || c.HasScope {
		// A scope without a type (`(web): x`, as commitlint's parser
		// reads it) starts the header.
		if i := strings.Index(h, c.Type); i >= 0 {
			m.typeCol = utf8.RuneCountInString(h[:i]) + 1
			rest := i + len(c.Type)
			if c.HasScope && rest < len(h) && h[rest] == '(' {
				m.scopeCol = utf8.RuneCountInString(h[:rest+1]) + 1
			}
		}
	}
	if c.Subject != "" {
		if i := strings.LastIndex(h, c.Subject); i >= 0 {
			m.subjectCol = utf8.RuneCountInString(h[:i]) + 1
		}
	} else if i := strings.Index(h, ":"); i >= 0 {
		m.subjectCol = utf8.RuneCountInString(h[:i]) + 2
		if i+1 < len(h) && h[i+1] == ' ' {
			m.subjectCol++
		}
	}
}

// ruleLineStart returns the byte offset of the n-th (1-based) line of s;
// n must be at most the number of lines.
func ruleLineStart(s string, n int) int {
	off := 0
	for ; n > 1; n-- {
		off += strings.IndexByte(s[off:], '\n') + 1
	}
	return off
}

// line returns the n-th (1-based) line, or "" past the end.
func (m *ruleMessage) line(n int) string {
	if n < 1 || n > m.nlines {
		return ""
	}
	s := m.c.Raw[ruleLineStart(m.c.Raw, n):]
	if end := strings.IndexByte(s, '\n'); end >= 0 {
		s = s[:end]
	}
	return s
}

// bodyEnd returns the line and the column just past the last character
// of the body.
func (m *ruleMessage) bodyEnd() (line, col int) {
	body := m.c.Body
	n := strings.Count(body, "\n")
	last := body[strings.LastIndexByte(body, '\n')+1:]
	return m.c.BodyLine + n, utf8.RuneCountInString(last)
}

// headerLen is the header's length in characters.
func (m *ruleMessage) headerLen() int { return utf8.RuneCountInString(m.c.Header) }
