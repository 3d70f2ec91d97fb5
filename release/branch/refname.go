package branch

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// NameError says why a branch name is not valid and where: Column is the
// 1-based character (rune) position of the first offending character in
// Name, or 0 when the problem is the name as a whole.
type NameError struct {
	Name    string
	Column  int
	Message string
}

func (e *NameError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("%q: character %d: %s", e.Name, e.Column, e.Message)
	}
	return fmt.Sprintf("%q: %s", e.Name, e.Message)
}

// CheckRefName reports whether name is accepted by
// `git check-ref-format --branch` outside a repository (so without `@{-N}`
// expansion): nil when it is, a *NameError naming the first broken rule
// otherwise.
//
// The rules are git's check_refname_format (refs.c) applied to
// "refs/heads/" + name, plus the two extra refusals of
// strbuf_check_branch_ref: a name starting with '-' and the name "HEAD".
// See git-check-ref-format(1).
func CheckRefName(name string) *NameError {
	bad := func(byteOff int, format string, a ...any) *NameError {
		col := 0
		if byteOff >= 0 {
			col = utf8.RuneCountInString(name[:byteOff]) + 1
		}
		return &NameError{Name: name, Column: col, Message: fmt.Sprintf(format, a...)}
	}
	switch {
	case name == "":
		return bad(-1, "a branch name cannot be empty")
	case name[0] == '-':
		return bad(0, "a branch name cannot start with '-'")
	case name == "HEAD":
		return bad(-1, "\"HEAD\" is not a valid branch name")
	}
	start := 0 // byte offset of the current component
	for i := 0; ; i++ {
		if i < len(name) && name[i] != '/' {
			c := name[i]
			switch {
			case c < 0x20 || c == 0x7f:
				return bad(i, "control character %q is not allowed", rune(c))
			case strings.IndexByte(" ~^:?[\\*", c) >= 0:
				return bad(i, "%q is not allowed", rune(c))
			case c == '.' && i > start && name[i-1] == '.':
				return bad(i-1, "\"..\" is not allowed")
			case c == '{' && i > start && name[i-1] == '@':
				return bad(i-1, "\"@{\" is not allowed")
			}
			continue
		}
		// End of a component: name[start:i].
		comp := name[start:i]
		switch {
		case comp == "":
			if i == len(name) {
				return bad(i-1, "a branch name cannot end with '/'")
			}
			if i == 0 {
				return bad(0, "a branch name cannot start with '/'")
			}
			return bad(i-1, "empty part (\"//\") is not allowed")
		case comp[0] == '.':
			return bad(start, "a part cannot start with '.'")
		case strings.HasSuffix(comp, ".lock"):
			return bad(i-len(".lock"), "a part cannot end with \".lock\"")
		}
		if i == len(name) {
			break
		}
		start = i + 1
	}
	if strings.HasSuffix(name, ".") {
		return bad(len(name)-1, "a branch name cannot end with '.'")
	}
	return nil
}

// checkTail applies the strict naming rule of the model's work branches to
// the part of name after prefix: one or more '/'-separated parts, each
// matching [A-Za-z0-9][A-Za-z0-9._-]* (ASCII only).
func checkTail(name, prefix string) *NameError {
	tail := name[len(prefix):]
	off := len(prefix) // byte offset of tail in name
	col := func(i int) int { return utf8.RuneCountInString(name[:off+i]) + 1 }
	if tail == "" {
		return &NameError{Name: name, Column: 0, Message: fmt.Sprintf("nothing after %q: name the work, as in %q", prefix, prefix+"add-login")}
	}
	partStart := true
	for i, r := range tail {
		switch {
		case r == '/':
			if partStart {
				return &NameError{Name: name, Column: col(i), Message: "empty part: '/' must separate non-empty parts"}
			}
			partStart = true
			continue
		case r < utf8.RuneSelf && (isAlnum(byte(r))):
		case partStart:
			return &NameError{Name: name, Column: col(i), Message: fmt.Sprintf("%s is not allowed at the start of a part; each part after %q starts with A-Z, a-z or 0-9", describe(r), prefix)}
		case r == '.' || r == '_' || r == '-':
		default:
			return &NameError{Name: name, Column: col(i), Message: fmt.Sprintf("%s is not allowed; parts after %q use only A-Z a-z 0-9 . _ -", describe(r), prefix)}
		}
		partStart = false
	}
	if partStart {
		return &NameError{Name: name, Column: utf8.RuneCountInString(name), Message: "a branch name cannot end with '/'"}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// describe names a character for a message: ' ' becomes "' ' (space)".
func describe(r rune) string {
	switch {
	case r == ' ':
		return "' ' (space)"
	case r == utf8.RuneError:
		return "an invalid UTF-8 byte"
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("control character %U", r)
	case r >= utf8.RuneSelf:
		return fmt.Sprintf("%q (%U, not ASCII)", r, r)
	}
	return fmt.Sprintf("%q", r)
}
