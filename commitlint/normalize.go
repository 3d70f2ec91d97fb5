package commitlint

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// utf8BOM is the byte order mark some Windows editors put at the start of
// a UTF-8 file.
const utf8BOM = "\xef\xbb\xbf"

// Normalize prepares raw message bytes for Parse and Lint:
//
//   - a UTF-8 byte order mark at the start is removed from what is linted
//     and reported (rule "encoding", level Warning), saying that the
//     message itself still has it;
//   - CRLF and lone CR line endings become LF;
//   - leading and trailing blank (whitespace-only) lines are removed, and so
//     is the final newline; trailing spaces of the last line are kept;
//   - every byte that is not part of valid UTF-8 and every NUL byte is
//     replaced by U+FFFD and reported once per kind (rule "encoding", level
//     Error) at the line:column, in characters of the returned message, of
//     the first such byte.
//
// Each bad byte becomes exactly one character, so columns of the characters
// after it are the same whether counted in the input or the result.
// Normalize never panics; it runs in one pass over the input.
func Normalize(raw []byte) (string, []Finding) {
	return normString(string(raw))
}

// normString is Normalize on a string. When s needs no change it is
// returned as is, without a copy, so Parse can normalise for free.
func normString(s string) (string, []Finding) {
	var findings []Finding
	if strings.HasPrefix(s, utf8BOM) {
		s = s[len(utf8BOM):]
		findings = append(findings, Finding{
			Rule:    "encoding",
			Level:   Warning,
			Line:    1,
			Column:  1,
			Message: "message starts with a UTF-8 byte order mark (U+FEFF); it was linted without it, but the message still has it (git keeps it in the commit)",
			Fix:     "save the message as UTF-8 without a byte order mark",
		})
	}
	if !normNeedsRewrite(s) {
		return normTrimBlankLines(s), findings
	}

	var (
		b        strings.Builder
		line     = 1
		col      = 1
		bad, nul normBad
	)
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\r':
			b.WriteByte('\n')
			line, col = line+1, 1
			i++
			if i < len(s) && s[i] == '\n' {
				i++
			}
			continue
		case c == '\n':
			b.WriteByte('\n')
			line, col = line+1, 1
			i++
			continue
		case c == 0:
			nul.record(line, col, c)
			b.WriteRune(utf8.RuneError)
			i++
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, w := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && w == 1 {
				bad.record(line, col, c)
				b.WriteRune(utf8.RuneError)
			} else {
				b.WriteString(s[i : i+w])
			}
			i += w
		}
		col++
	}

	out := b.String()
	start, end := normBlankLinesBounds(out)
	trimmed := out[start:end]
	// Lines removed from the top shift the reported lines up. A line with a
	// bad byte is never blank (U+FFFD is not a space), so it is never removed.
	shift := strings.Count(out[:start], "\n")
	if bad.count > 0 {
		findings = append(findings, Finding{
			Rule:    "encoding",
			Level:   Error,
			Line:    bad.line - shift,
			Column:  bad.col,
			Message: fmt.Sprintf("message is not valid UTF-8: byte 0x%02x is not part of a character (%s in all, each shown as U+FFFD)", bad.first, normPlural(bad.count, "invalid byte")),
			Fix:     "save the message as UTF-8 (for example `iconv -f latin1 -t utf-8`)",
		})
	}
	if nul.count > 0 {
		findings = append(findings, Finding{
			Rule:    "encoding",
			Level:   Error,
			Line:    nul.line - shift,
			Column:  nul.col,
			Message: fmt.Sprintf("message contains a NUL byte (%s in all, each shown as U+FFFD); git does not allow NUL in a commit message", normPlural(nul.count, "NUL byte")),
			Fix:     "pass a text file, not a binary one",
		})
	}
	return trimmed, findings
}

// normBad remembers the first bad byte of one kind and counts them all.
type normBad struct {
	line, col, count int
	first            byte
}

func (n *normBad) record(line, col int, c byte) {
	if n.count == 0 {
		n.line, n.col, n.first = line, col, c
	}
	n.count++
}

func normPlural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// normNeedsRewrite reports whether s has a CR, a NUL or invalid UTF-8.
func normNeedsRewrite(s string) bool {
	// Three vectorised passes beat one byte loop.
	return strings.IndexByte(s, '\r') >= 0 || strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)
}

// normIsBlankByte reports whether c may appear in a blank line.
func normIsBlankByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f'
}

// normTrimBlankLines removes whole blank lines at both ends of s, and the
// final newline. Spaces at the start of the first non-blank line and at the
// end of the last one are kept.
func normTrimBlankLines(s string) string {
	start, end := normBlankLinesBounds(s)
	return s[start:end]
}

// normBlankLinesBounds returns the byte range of s without its leading and
// trailing blank lines.
func normBlankLinesBounds(s string) (start, end int) {
	for start < len(s) && normIsBlankByte(s[start]) {
		start++
	}
	if start == len(s) {
		return 0, 0
	}
	// Back up to the start of the first non-blank line.
	start = strings.LastIndexByte(s[:start], '\n') + 1
	end = len(s)
	for end > start && normIsBlankByte(s[end-1]) {
		end--
	}
	// Forward to the end of the last non-blank line.
	if nl := strings.IndexByte(s[end:], '\n'); nl >= 0 {
		end += nl
	} else {
		end = len(s)
	}
	return start, end
}
