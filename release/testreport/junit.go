package testreport

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// JUnit XML as written by pytest --junitxml, Maven Surefire, jest-junit,
// node --test-reporter=junit and go-junit-report: a <testsuites> root or a
// single <testsuite>, suites possibly nested, cases possibly directly under
// the root (node), and per case <failure>, <error>, <skipped>, <system-out>,
// <system-err>. Attributes beyond the common ones are ignored.
type xmlSuite struct {
	Name      string     `xml:"name,attr"`
	Time      string     `xml:"time,attr"`
	File      string     `xml:"file,attr"`
	Suites    []xmlSuite `xml:"testsuite"`
	Cases     []xmlCase  `xml:"testcase"`
	SystemOut string     `xml:"system-out"`
	SystemErr string     `xml:"system-err"`
}

type xmlCase struct {
	Name      string       `xml:"name,attr"`
	Classname string       `xml:"classname,attr"`
	Time      string       `xml:"time,attr"`
	File      string       `xml:"file,attr"`
	Line      string       `xml:"line,attr"`
	Failures  []xmlProblem `xml:"failure"`
	Errors    []xmlProblem `xml:"error"`
	Skipped   *xmlProblem  `xml:"skipped"`
	SystemOut string       `xml:"system-out"`
	SystemErr string       `xml:"system-err"`
}

type xmlProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// ParseJUnit reads one JUnit XML document. dir is the directory the test
// command ran in; relative paths in the report are resolved against it.
func ParseJUnit(r io.Reader, dir string, knobs ...Option) (*Report, error) {
	o := makeOptions(knobs)
	return parseJUnit(r, newLocator(dir, o.root), o)
}

func parseJUnit(r io.Reader, loc *locator, o options) (*Report, error) {
	var root xmlSuite
	d := xml.NewDecoder(r)
	d.Strict = false
	if err := d.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no XML element found")
		}
		return nil, err
	}
	rep := &Report{ExitCode: -1}
	var walk func(s *xmlSuite, file string)
	walk = func(s *xmlSuite, file string) {
		if s.File != "" {
			file = s.File
		}
		if len(s.Cases) > 0 || s.Time != "" {
			st := Passed
			var n int
			for _, xc := range s.Cases {
				c := junitCase(&xc, s.Name, file, loc, o)
				if c.Status == Failed {
					st = Failed
				}
				rep.Cases = append(rep.Cases, c)
				n++
			}
			if s.Name != "" || n > 0 {
				rep.Suites = append(rep.Suites, Suite{Name: s.Name, Status: st, Duration: junitTime(s.Time)})
			}
		}
		for i := range s.Suites {
			walk(&s.Suites[i], file)
		}
	}
	walk(&root, "")
	for _, s := range rep.Suites {
		rep.Duration += s.Duration
	}
	return rep, nil
}

func junitTime(s string) time.Duration {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0
	}
	return seconds(f)
}

func junitCase(xc *xmlCase, suite, suiteFile string, loc *locator, o options) *Case {
	c := &Case{Suite: xc.Classname, Name: xc.Name, Status: Passed, Duration: junitTime(xc.Time)}
	if c.Suite == "" {
		c.Suite = suite
	}
	problems := append(slices.Clone(xc.Failures), xc.Errors...)
	out := newCapBuffer(o.outputLimit)
	switch {
	case len(problems) > 0:
		c.Status = Failed
		p := problems[0]
		c.Message = strings.TrimSpace(p.Message)
		if c.Message == "" {
			c.Message = messageOf(p.Text)
		}
		if c.Message == "" {
			c.Message = p.Type
		}
		for _, p := range problems {
			if t := strings.TrimSpace(p.Text); t != "" {
				out.WriteString(t + "\n")
			}
		}
	case xc.Skipped != nil:
		c.Status = Skipped
		c.Message = cmpOr(strings.TrimSpace(xc.Skipped.Message), strings.TrimSpace(xc.Skipped.Text))
	}
	if c.Status != Failed {
		return c
	}
	if s := strings.TrimSpace(xc.SystemOut); s != "" {
		out.WriteString(s + "\n")
	}
	if s := strings.TrimSpace(xc.SystemErr); s != "" {
		out.WriteString(s + "\n")
	}
	c.Output = out.String()
	// The location: frames of the failure text inside the case's file, then
	// the file and line attributes, then any frame inside the repository.
	file := cmpOr(xc.File, suiteFile)
	hint := ""
	if file != "" {
		if f, ok := loc.resolve(file); ok {
			hint = f
		} else if !filepath.IsAbs(file) {
			// Not on this disk (the report came from elsewhere): trust
			// the producer, relative to the command's directory.
			hint, _ = loc.rel(filepath.Join(loc.dir, filepath.FromSlash(file)))
		}
	}
	text := strings.Join([]string{c.Output, c.Message}, "\n")
	// node's test runner wraps the error; the frames after "cause:" are
	// where it was thrown.
	if i := strings.Index(text, "cause: "); i >= 0 {
		if f, n := loc.fromText(text[i:], hint); f != "" {
			c.File, c.Line = f, n
			return c
		}
	}
	if hint != "" {
		if f, n := loc.fromText(text, hint); f != "" {
			c.File, c.Line = f, n
			return c
		}
		c.File = hint
		if n, err := strconv.Atoi(xc.Line); err == nil && n > 0 {
			c.Line = n
		}
		return c
	}
	c.File, c.Line = loc.fromText(text, "")
	return c
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// stackLineRE starts a stack trace line; compiled on first use, so that starting shipflow (the commit-msg
// hook, at every commit) does not pay for it.
var stackLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s+(at |File ")|^Traceback `) })

// messageOf takes a failure text without a message: its first three
// non-empty lines before any stack trace.
func messageOf(text string) string {
	var out []string
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		if stackLineRE().MatchString(line) {
			break
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if out = append(out, truncate(line, 500)); len(out) == 3 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// junitGlob is a glob of JUnit files; maybe says that matching nothing
// the command wrote is fine (RunOptions.MaybeJUnit).
type junitGlob struct {
	pattern string
	maybe   bool
}

// missingGlob is a glob that should have matched a report and did not.
type missingGlob struct{ suite, message string }

// readJUnitGlobs reads every file matching the globs (relative to dir; `**`
// matches any number of directories) that the command wrote (before: the
// files before it ran; nil when no command ran). A file that cannot be read
// or parsed becomes a failed case; a required glob that matches no file of
// this run is returned in missing — a missing report must not look like a
// passing one. A file an earlier run left is ignored with a warning.
func readJUnitGlobs(ctx context.Context, dir string, globs []junitGlob, before snapshot, loc *locator, o options) (rep *Report, missing []missingGlob) {
	rep = &Report{ExitCode: -1}
	seen := map[string]bool{}
	staleSeen := map[string]bool{}
	for _, jg := range globs {
		g := jg.pattern
		files, err := expandGlob(dir, g)
		files, refused := confineToRoot(o.root, files)
		for _, r := range refused {
			msg := fmt.Sprintf("reading JUnit files %q: %v", g, r)
			if jg.maybe {
				rep.Warnings = append(rep.Warnings, "not "+msg)
				continue
			}
			rep.Cases = append(rep.Cases, &Case{Suite: g, Status: Failed, Message: msg})
		}
		var fresh, stale []string
		for _, f := range files {
			if before.written(f) {
				fresh = append(fresh, f)
			} else {
				stale = append(stale, f)
			}
		}
		for _, f := range stale {
			if staleSeen[f] {
				continue
			}
			staleSeen[f] = true
			name := f
			if rel, ok := loc.rel(f); ok {
				name = rel
			}
			if len(staleSeen) > maxStaleWarnings {
				continue
			}
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("ignored %s: not written by this run (last modified %s, before the command started)",
				name, before[f].ModTime().Format(time.RFC3339)))
		}
		switch {
		case err != nil:
			if jg.maybe {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("not reading JUnit files %q: %v", g, err))
			} else {
				missing = append(missing, missingGlob{g, fmt.Sprintf("reading JUnit files %q: %v", g, err)})
			}
			continue
		case len(fresh) == 0 && len(refused) == 0 && !jg.maybe:
			msg := "no file matches"
			if len(stale) > 0 {
				msg = fmt.Sprintf("no file was written by this run (%d from an earlier run ignored)", len(stale))
			}
			missing = append(missing, missingGlob{g, fmt.Sprintf("reading JUnit files %q: %s", g, msg)})
			continue
		}
		for _, f := range fresh {
			if ctx.Err() != nil {
				rep.Cases = append(rep.Cases, &Case{Suite: f, Status: Failed, Message: ctx.Err().Error()})
				return rep, missing
			}
			if seen[f] {
				continue
			}
			seen[f] = true
			name := f
			if rel, ok := loc.rel(f); ok {
				name = rel
			}
			r, err := readJUnitFile(f, name, loc, o)
			if err != nil {
				rep.Cases = append(rep.Cases, &Case{Suite: name, Status: Failed, Message: err.Error()})
				continue
			}
			rep.merge(r)
			rep.Duration += r.Duration
		}
	}
	if n := len(staleSeen) - maxStaleWarnings; n > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("ignored %d more JUnit %s not written by this run", n, plural(n, "file", "files")))
	}
	return rep, missing
}

// maxStaleWarnings is how many ignored files from an earlier run are named
// one by one; a `reports/**/*.xml` over a big tree may match hundreds.
const maxStaleWarnings = 5

func readJUnitFile(file, name string, loc *locator, o options) (*Report, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("reading JUnit file: %w", err)
	}
	defer f.Close()
	r, err := parseJUnit(f, loc, o)
	if err != nil {
		return nil, fmt.Errorf("parsing JUnit file %q: %w", name, err)
	}
	return r, nil
}

// expandGlob returns the regular files matching pattern, sorted. pattern is
// slash-separated, relative to dir unless absolute; `**` as a whole path
// element matches zero or more directories.
func expandGlob(dir, pattern string) ([]string, error) {
	pattern = filepath.ToSlash(pattern)
	if !path.IsAbs(pattern) {
		pattern = path.Join(filepath.ToSlash(dir), pattern)
	}
	if _, err := path.Match(strings.ReplaceAll(pattern, "**", "*"), ""); err != nil {
		return nil, fmt.Errorf("bad pattern: %w", err)
	}
	if !strings.Contains(pattern, "**") {
		m, err := filepath.Glob(filepath.FromSlash(pattern))
		if err != nil {
			return nil, err
		}
		return regularFiles(m), nil
	}
	// Walk from the longest prefix without wildcards.
	parts := strings.Split(pattern, "/")
	i := 0
	for i < len(parts) && !strings.ContainsAny(parts[i], "*?[") {
		i++
	}
	base := strings.Join(parts[:i], "/")
	if base == "" {
		base = "/"
	}
	rest := parts[i:]
	var out []string
	err := filepath.WalkDir(filepath.FromSlash(base), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if name := d.Name(); p != filepath.FromSlash(base) && (name == ".git" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(filepath.FromSlash(base), p)
		if err != nil {
			return nil
		}
		if matchParts(rest, strings.Split(filepath.ToSlash(rel), "/")) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return regularFiles(out), nil
}

func matchParts(pat, name []string) bool {
	if len(pat) == 0 {
		return len(name) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(name); i++ {
			if matchParts(pat[1:], name[i:]) {
				return true
			}
		}
		return false
	}
	if len(name) == 0 {
		return false
	}
	if ok, _ := path.Match(pat[0], name[0]); !ok {
		return false
	}
	return matchParts(pat[1:], name[1:])
}

func regularFiles(names []string) []string {
	out := names[:0]
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil && fi.Mode().IsRegular() {
			out = append(out, n)
		}
	}
	return out
}
