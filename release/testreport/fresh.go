package testreport

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// Which reports a run reads. A JUnit file counts for a run of the command
// only when the command wrote it: it did not exist before the command
// started, or its size, modification time or inode changed. Comparing with
// the state before the run, rather than the modification time with the
// start time, works on file systems with coarse timestamps (FAT's 2 s,
// HFS+'s 1 s, some network file systems) and clocks that disagree (a
// container writing to a mounted volume). The other way, giving the
// command a fresh report directory through an environment variable, would
// need each runner's own variable (pytest has none for --junitxml: only
// PYTEST_ADDOPTS, which would override the user's own setting) and would
// not cover a path written in the command or the configuration.

// snapshot is what the JUnit globs matched before the command ran.
type snapshot map[string]fs.FileInfo

// takeSnapshot stats every file the globs match now, before the command
// runs.
func takeSnapshot(dir string, globs []string) snapshot {
	s := snapshot{}
	for _, g := range globs {
		files, _ := expandGlob(dir, g)
		for _, f := range files {
			if fi, err := os.Stat(f); err == nil {
				s[f] = fi
			}
		}
	}
	return s
}

// written reports whether the command wrote name during the run. A nil
// snapshot (no command ran) counts every file. A file that can no longer
// be read counts as written, so that reading it reports why.
func (s snapshot) written(name string) bool {
	if s == nil {
		return true
	}
	old, ok := s[name]
	if !ok {
		return true
	}
	fi, err := os.Stat(name)
	if err != nil {
		return true
	}
	return !os.SameFile(old, fi) || !fi.ModTime().Equal(old.ModTime()) || fi.Size() != old.Size()
}

// CommandJUnit returns the JUnit files a test command's arguments say it
// writes, relative to its directory unless absolute: pytest's
// --junitxml/--junit-xml and node's --test-reporter-destination when the
// reporter is junit. Other runners name no file on the command line
// (jest-junit, Maven Surefire): give their globs with --junit or test.junit.
func CommandJUnit(args []string) []string {
	var out []string
	nodeJUnit := false
	for i, a := range args {
		if a == "--test-reporter=junit" || a == "--test-reporter" && i+1 < len(args) && args[i+1] == "junit" {
			nodeJUnit = true
		}
	}
	for i, a := range args {
		if a == "--" {
			break
		}
		for _, flag := range []string{"--junitxml", "--junit-xml", "--test-reporter-destination"} {
			if flag == "--test-reporter-destination" && !nodeJUnit {
				continue
			}
			var p string
			switch {
			case strings.HasPrefix(a, flag+"="):
				p = a[len(flag)+1:]
			case a == flag && i+1 < len(args):
				p = args[i+1]
			}
			if p != "" && p != "stdout" && p != "stderr" {
				out = append(out, globEscape(filepath.ToSlash(p)))
			}
		}
	}
	return out
}

// globEscape quotes the wildcards of a literal path.
func globEscape(p string) string {
	if !strings.ContainsAny(p, `*?[\`) {
		return p
	}
	var b strings.Builder
	for _, r := range p {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// pythonNoModuleRE is what `python -m pytest` says when pytest is not
// installed: the command could not start the test runner.
// Compiled on first use: starting shipflow should not pay for it.
var pythonNoModuleRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^\S*python[0-9.]*(?:\.exe)?: No module named \S+\s*\z`)
})

// cannotStart says why a command that ended with code and stderr, without
// a single test result, never started the tests, or "": a shell's "command
// not found" (127) or "not executable" (126), or python's "No module named
// pytest" for `python -m pytest`.
func cannotStart(code int, stderr string) string {
	switch {
	case code == 127:
		return "command not found"
	case code == 126:
		return "command not executable"
	case code == 1 && pythonNoModuleRE().MatchString(stderr):
		return "python module not installed"
	}
	return ""
}

// tail returns the last n non-empty lines of s, trimmed, cut to limit
// bytes from the end (at a character boundary).
func tail(s string, n, limit int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	var keep []string
	for i := len(lines) - 1; i >= 0 && len(keep) < n; i-- {
		if l := strings.TrimRight(lines[i], " \t\r"); strings.TrimSpace(l) != "" {
			keep = append(keep, l)
		}
	}
	for i, j := 0, len(keep)-1; i < j; i, j = i+1, j-1 {
		keep[i], keep[j] = keep[j], keep[i]
	}
	out := strings.Join(keep, "\n")
	if len(out) > limit {
		i := len(out) - limit
		for i < len(out) && !utf8.RuneStart(out[i]) {
			i++
		}
		out = "…" + out[i:]
	}
	return out
}

// quoteList quotes each of globs, joined with ", ".
func quoteList(globs []string) string {
	q := make([]string, len(globs))
	for i, g := range globs {
		q[i] = fmt.Sprintf("%q", g)
	}
	return strings.Join(q, ", ")
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
