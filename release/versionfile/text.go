package versionfile

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The version-line patterns are compiled on first use, so that starting shipflow (the commit-msg
// hook, at every commit) does not pay for them.
var (
	// __version__ = "1.2.0", optionally annotated (__version__: str = …).
	pythonVersion = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?m)^__version__\s*(?::\s*str\s*)?=\s*(?:"([^"\\\r\n]*)"|'([^'\\\r\n]*)')`)
	})
	// const Version = "1.2.0", or Version = "1.2.0" inside a const block,
	// optionally typed string.
	goVersion = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?m)^(?:const[ \t]+|[ \t]+)Version(?:[ \t]+string)?[ \t]*=[ \t]*"([^"\\\r\n]*)"`)
	})
	// semverish is what a marked line's version looks like.
	semverish = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`)
	})
)

// regexFind is the first match's first non-empty group; a second match is
// an error, since which one is the version would be a guess.
func regexFind(data []byte, re *regexp.Regexp) (span, error) {
	all := re.FindAllSubmatchIndex(data, 2)
	switch len(all) {
	case 0:
		return span{}, fmt.Errorf("%w: no line matches %s", errNoVersion, re)
	case 2:
		l1, _ := lineCol(data, all[0][0])
		l2, _ := lineCol(data, all[1][0])
		return span{}, fmt.Errorf("the version is assigned twice (lines %d and %d)", l1, l2)
	}
	m := all[0]
	for g := 1; 2*g+1 < len(m); g++ {
		if m[2*g] >= 0 {
			return span{m[2*g], m[2*g+1]}, nil
		}
	}
	return span{}, errNoVersion
}

// plainFind is the first line of a VERSION file, without surrounding
// blanks.
func plainFind(data []byte) (span, error) {
	start := 0
	for start < len(data) && (data[start] == ' ' || data[start] == '\t') {
		start++
	}
	end := start
	for end < len(data) && !strings.ContainsRune(" \t\r\n", rune(data[end])) {
		end++
	}
	if end == start {
		return span{}, fmt.Errorf("%w: the file is empty", errNoVersion)
	}
	return span{start, end}, nil
}

// markerFind is the version on the given line, which must carry Marker;
// line 0 means the only marked line in the file.
func markerFind(data []byte, line int) (span, error) {
	lines := markedLines(data)
	if line == 0 {
		if len(lines) != 1 {
			return span{}, fmt.Errorf("%d lines carry %s: name the line", len(lines), Marker)
		}
		line = lines[0].line
	}
	for _, l := range lines {
		if l.line != line {
			continue
		}
		text := data[l.start:l.end]
		m := semverish().FindIndex(text)
		if m == nil {
			return span{}, fmt.Errorf("%w: line %d carries %s but no version", errNoVersion, line, Marker)
		}
		return span{l.start + m[0], l.start + m[1]}, nil
	}
	return span{}, fmt.Errorf("%w: line %d does not carry %s", errNoVersion, line, Marker)
}

type lineRange struct{ line, start, end int }

func markedLines(data []byte) []lineRange {
	var out []lineRange
	for off, line := 0, 1; off < len(data); line++ {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		if bytes.Contains(data[off:end], []byte(Marker)) {
			out = append(out, lineRange{line, off, end})
		}
		off = end + 1
	}
	return out
}

// joinKey writes a path back as a dotted key, quoting segments that need
// it.
func joinKey(path []string) string {
	var b strings.Builder
	for i, s := range path {
		if i > 0 {
			b.WriteByte('.')
		}
		if s == "" || strings.ContainsAny(s, ".\" ") {
			b.WriteString(strconv.Quote(s))
		} else {
			b.WriteString(s)
		}
	}
	return b.String()
}
