package scaffold

import "strings"

// tomlStrings reads the string values and arrays of strings of a TOML
// document, by "table.key" ("package.name", "workspace.members"): what
// DetectPackages needs from Cargo.toml and pyproject.toml. It is not a
// TOML parser (release/versionfile owns go-toml): other values are
// skipped, multi-line strings are skipped whole, and a malformed document
// yields what was read before the problem. Its work is linear in the
// input.
func tomlStrings(data []byte) map[string][]string {
	s := &tomlScan{src: string(data)}
	out := map[string][]string{}
	table := ""
	for s.pos < len(s.src) {
		s.skipBlank()
		if s.pos >= len(s.src) {
			break
		}
		switch c := s.src[s.pos]; {
		case c == '\n' || c == '#':
			s.skipLine()
		case c == '[':
			end := strings.IndexByte(s.src[s.pos:], '\n')
			if end < 0 {
				end = len(s.src) - s.pos
			}
			line := strings.TrimSpace(s.src[s.pos : s.pos+end])
			if i := strings.Index(line, "#"); i >= 0 {
				line = strings.TrimSpace(line[:i])
			}
			line = strings.TrimSpace(strings.Trim(line, "[]"))
			table = line
			s.pos += end
		default:
			key, ok := s.key()
			if !ok {
				s.skipLine()
				continue
			}
			full := key
			if table != "" {
				full = table + "." + key
			}
			if vals, ok := s.value(); ok {
				out[full] = vals
			}
			s.skipLine()
		}
	}
	return out
}

// tomlString returns the string at key, or "".
func tomlString(m map[string][]string, key string) string {
	if v := m[key]; len(v) == 1 {
		return v[0]
	}
	return ""
}

// tomlScan is a position in a TOML document.
type tomlScan struct {
	src string
	pos int
}

func (s *tomlScan) skipBlank() {
	for s.pos < len(s.src) && (s.src[s.pos] == ' ' || s.src[s.pos] == '\t' || s.src[s.pos] == '\r') {
		s.pos++
	}
}

func (s *tomlScan) skipLine() {
	if i := strings.IndexByte(s.src[s.pos:], '\n'); i >= 0 {
		s.pos += i + 1
		return
	}
	s.pos = len(s.src)
}

// key reads `key =` (bare or quoted parts, dotted), leaving the position
// after the '='.
func (s *tomlScan) key() (string, bool) {
	var parts []string
	for {
		s.skipBlank()
		if s.pos >= len(s.src) {
			return "", false
		}
		var part string
		switch s.src[s.pos] {
		case '"', '\'':
			p, ok := s.str()
			if !ok {
				return "", false
			}
			part = p
		default:
			start := s.pos
			for s.pos < len(s.src) && isBareKey(s.src[s.pos]) {
				s.pos++
			}
			if start == s.pos {
				return "", false
			}
			part = s.src[start:s.pos]
		}
		parts = append(parts, part)
		s.skipBlank()
		if s.pos >= len(s.src) {
			return "", false
		}
		switch s.src[s.pos] {
		case '.':
			s.pos++
		case '=':
			s.pos++
			return strings.Join(parts, "."), true
		default:
			return "", false
		}
	}
}

func isBareKey(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// value reads a string or an array of strings; anything else is not ok
// (and a multi-line string is skipped whole).
func (s *tomlScan) value() ([]string, bool) {
	s.skipBlank()
	if s.pos >= len(s.src) {
		return nil, false
	}
	switch s.src[s.pos] {
	case '"', '\'':
		v, ok := s.str()
		if !ok {
			return nil, false
		}
		return []string{v}, true
	case '[':
		s.pos++
		var out []string
		for {
			s.skipSpaceAndComments()
			if s.pos >= len(s.src) {
				return nil, false
			}
			switch c := s.src[s.pos]; c {
			case ']':
				s.pos++
				return out, true
			case ',':
				s.pos++
			case '"', '\'':
				v, ok := s.str()
				if !ok {
					return nil, false
				}
				out = append(out, v)
			default:
				return nil, false
			}
		}
	}
	return nil, false
}

// skipSpaceAndComments skips blanks, newlines and comments inside an
// array.
func (s *tomlScan) skipSpaceAndComments() {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

// str reads a one-line basic (double-quoted, with escapes) or literal
// (single-quoted) string; a multi-line (triple-quoted) one is skipped and
// not ok.
func (s *tomlScan) str() (string, bool) {
	q := s.src[s.pos]
	triple := strings.Repeat(string(q), 3)
	if strings.HasPrefix(s.src[s.pos:], triple) {
		s.pos += 3
		if i := strings.Index(s.src[s.pos:], triple); i >= 0 {
			s.pos += i + 3
		} else {
			s.pos = len(s.src)
		}
		return "", false
	}
	s.pos++
	var b strings.Builder
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == q:
			s.pos++
			return b.String(), true
		case c == '\n':
			return "", false
		case c == '\\' && q == '"' && s.pos+1 < len(s.src):
			s.pos++
			switch e := s.src[s.pos]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(e) // \" \\ and the rest, as themselves
			}
		default:
			b.WriteByte(c)
		}
		s.pos++
	}
	return "", false
}
