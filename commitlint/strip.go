package commitlint

import "strings"

// stripAutoCandidates are the comment characters git tries, in order, when
// core.commentChar is "auto" (builtin/commit.c, adjust_comment_line_char).
const stripAutoCandidates = "#;@!$%^&|:"

// stripCutLine is what follows "<comment char> " on git's scissors line
// (wt-status.c, cut_line).
const stripCutLine = "------------------------ >8 ------------------------"

// Strip does to an editor message what `git commit --cleanup=strip` does
// before it records the commit, so that the commit-msg hook (which sees the
// file before git cleans it) lints the message git will really store:
//
//   - the scissors line `<c> ------------------------ >8 ------------------------`
//     and everything below it (the diff of `git commit -v`) are removed;
//   - lines starting with the comment string are removed;
//   - trailing whitespace (space, tab, CR) is removed from every line;
//   - runs of blank lines become one, and leading and trailing blank lines
//     are removed;
//   - every remaining line ends with a newline, as in git's output.
//
// commentChar is git's core.commentChar: "" means "#"; "auto" means the
// character git picked when it wrote the file. Git picks it before the
// editor runs: the first of "#;@!$%^&|:" that does not start a line of the
// message it prepared (or "#" when "#" appears nowhere). The file the hook
// sees also holds git's own help text, so Strip first looks for that text
// (`<c> Please enter the commit message` or the scissors line) and takes
// its character, from the last such line since git writes them below the
// user's text. Without it, Strip applies git's rule to msg, under which no
// line is a comment. A message that itself quotes git's help text or
// scissors line is read as if git wrote it. When every candidate starts a
// line git refuses to commit; Strip then uses "#".
//
// Strip is checked against `git stripspace --strip-comments` and against
// `git commit --cleanup=strip -v` in the tests.
func Strip(msg, commentChar string) string {
	switch commentChar {
	case "":
		commentChar = "#"
	case "auto":
		commentChar = stripAutoChar(msg)
	}
	msg = msg[:stripLocateEnd(msg, commentChar)]

	var b strings.Builder
	b.Grow(len(msg) + 1)
	empties := 0
	for len(msg) > 0 {
		line := msg
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			line, msg = msg[:i], msg[i+1:]
		} else {
			msg = ""
		}
		if strings.HasPrefix(line, commentChar) {
			continue
		}
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			empties++
			continue
		}
		if empties > 0 && b.Len() > 0 {
			b.WriteByte('\n')
		}
		empties = 0
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// stripLocateEnd returns the length of msg before the scissors line, or
// len(msg) when there is none (wt-status.c, wt_status_locate_end). The
// scissors line must be a whole line of its own.
func stripLocateEnd(msg, c string) int {
	cut := c + " " + stripCutLine
	for off := 0; off < len(msg); {
		i := strings.Index(msg[off:], cut)
		if i < 0 {
			return len(msg)
		}
		i += off
		end := i + len(cut)
		atStart := i == 0 || msg[i-1] == '\n'
		if atStart && (end == len(msg) || msg[end] == '\n') {
			return i
		}
		off = i + 1
	}
	return len(msg)
}

// stripAutoChar picks the comment character for core.commentChar=auto.
func stripAutoChar(msg string) string {
	// Hook mode: git's help text and scissors line start with the character
	// it chose. They come after the user's text, so the last one wins.
	chosen := ""
	for rest := msg; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if len(line) > 2 && strings.IndexByte(stripAutoCandidates, line[0]) >= 0 &&
			(strings.HasPrefix(line[1:], " Please enter the commit message") || line[1:] == " "+stripCutLine) {
			chosen = line[:1]
		}
	}
	if chosen != "" {
		return chosen
	}

	// git's adjust_comment_line_char: "#" unless it appears somewhere;
	// otherwise the first candidate that starts no line (a line starts at
	// the beginning, after LF or after CR).
	if !strings.Contains(msg, "#") {
		return "#"
	}
	used := [256]bool{}
	if msg != "" {
		used[msg[0]] = true
	}
	for i := 0; i+1 < len(msg); i++ {
		if msg[i] == '\n' || msg[i] == '\r' {
			used[msg[i+1]] = true
		}
	}
	for i := 0; i < len(stripAutoCandidates); i++ {
		if !used[stripAutoCandidates[i]] {
			return stripAutoCandidates[i : i+1]
		}
	}
	return "#"
}
