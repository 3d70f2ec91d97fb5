package testreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// goEvent is one line of `go test -json` (cmd/test2json), including the
// build events Go 1.24 added.
type goEvent struct {
	Action      string
	Package     string
	Test        string
	Elapsed     float64
	Output      string
	ImportPath  string
	FailedBuild string
}

// Lines longer than this are cut when buffered without a newline, so a
// stream without newlines cannot grow memory without bound.
const maxLine = 1 << 20

// The Go output patterns are compiled on first use, so that starting shipflow (the commit-msg
// hook, at every commit) does not pay for them.
var (
	// A message logged by package testing: "    x_test.go:13: got 1".
	goLogRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^( +)([^\s:/]+\.go):(\d+): ?(.*)$`) })
	// A stack frame line of a Go panic: "\t/abs/x_test.go:7 +0x28".
	goFrameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\t(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$`) })
	// A compiler or vet error: "pkg/x.go:5:28: undefined: foo".
	goBuildErrRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:vet: )?(\S+\.go):(\d+)(?::\d+)?: (.*)$`) })
)

// goStream folds a `go test -json` stream, written to it line by line, into a
// Report. It is an io.Writer so a command's stdout can be piped straight in.
type goStream struct {
	o      options
	loc    *locator
	r      *Report
	counts Counts
	part   []byte // an incomplete line
	pkgs   map[string]*goPkg
	order  []*goPkg
	builds map[string]*goBuild
	stray  *capBuffer
	kept   int // bytes of failed tests' output kept so far
	closed bool
}

// maxKeptOutput bounds the output kept for all failed tests together, so a
// run with thousands of failures stays bounded too.
const maxKeptOutput = 32 << 20

// lastBytes returns about the last n bytes of s, from a line start.
func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return "[... output omitted ...]\n" + s
}

type goPkg struct {
	name     string
	tests    map[string]*goTest
	running  goRunning // started, not yet ended, in start order
	out      *capBuffer
	result   string // the result line, held back (see pkgOutput)
	done     bool
	failed   bool // a case of this package failed
	panicMsg string
	loc      goLoc
	signal   string
	// inTestMain: the last stack function seen is TestMain.
	inTestMain bool
}

type goTest struct {
	c          *Case
	prev, next *goTest // in the package's running list
	running    bool
	out        *capBuffer
	log        goLog // the last message logged with a file:line
	inLog      bool
	panicMsg   string
	panicLoc   goLoc
	signal     string
	inTestMain bool // the last stack function seen is TestMain
}

// goRunning lists a package's tests that started and have not ended, in
// start order. It is a linked list because parallel tests all start before
// any ends: removing each from a slice made 100k of them quadratic.
type goRunning struct {
	head, tail *goTest
	n          int
}

func (l *goRunning) push(t *goTest) {
	t.prev, t.next, t.running = l.tail, nil, true
	if l.tail != nil {
		l.tail.next = t
	} else {
		l.head = t
	}
	l.tail = t
	l.n++
}

func (l *goRunning) remove(t *goTest) {
	if !t.running {
		return
	}
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		l.head = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	} else {
		l.tail = t.prev
	}
	t.prev, t.next, t.running = nil, nil, false
	l.n--
}

type goLoc struct {
	file string
	line int
}

type goLog struct {
	indent int
	loc    goLoc
	msg    strings.Builder
	lines  int
}

type goBuild struct {
	out    *capBuffer
	failed bool
	used   bool
	msg    string
	loc    goLoc
}

func newGoStream(dir string, o options) *goStream {
	return &goStream{
		o:      o,
		loc:    newLocator(dir, o.root),
		r:      &Report{ExitCode: -1},
		pkgs:   map[string]*goPkg{},
		builds: map[string]*goBuild{},
		stray:  newCapBuffer(o.outputLimit),
	}
}

// ParseGoTest reads a whole `go test -json` stream, as saved by
// `go test -json ./... > out.json`, run in dir. A stream that ends before a
// package's final pass or fail counts that package as failed.
func ParseGoTest(r io.Reader, dir string, knobs ...Option) (*Report, error) {
	s := newGoStream(dir, makeOptions(knobs))
	if _, err := io.Copy(s, r); err != nil {
		return nil, fmt.Errorf("reading go test output: %w", err)
	}
	return s.Close(), nil
}

// Write consumes stream bytes; it never fails.
func (s *goStream) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if len(s.part)+len(p) > maxLine {
				p = p[:max(0, maxLine-len(s.part))]
			}
			s.part = append(s.part, p...)
			break
		}
		if len(s.part) > 0 {
			s.part = append(s.part, p[:i]...)
			s.line(s.part)
			s.part = s.part[:0]
		} else {
			s.line(p[:i])
		}
		p = p[i+1:]
	}
	return n, nil
}

func (s *goStream) echo(text string) {
	if s.o.echo != nil && !s.o.echoRaw {
		io.WriteString(s.o.echo, text)
	}
}

func (s *goStream) line(b []byte) {
	if s.o.echoRaw && s.o.echo != nil {
		s.o.echo.Write(b)
		s.o.echo.Write([]byte{'\n'})
	}
	b = bytes.TrimRight(b, "\r")
	if len(bytes.TrimSpace(b)) == 0 {
		return
	}
	var ev goEvent
	if b[0] != '{' || json.Unmarshal(b, &ev) != nil || ev.Action == "" {
		// Not part of the stream: a message from the go command or a
		// program that wrote to stdout before test2json could frame it.
		s.stray.WriteString(string(b) + "\n")
		s.echo(string(b) + "\n")
		return
	}
	s.event(&ev)
}

func (s *goStream) pkg(name string) *goPkg {
	p := s.pkgs[name]
	if p == nil {
		p = &goPkg{name: name, tests: map[string]*goTest{}, out: newCapBuffer(s.o.outputLimit)}
		s.pkgs[name] = p
		s.order = append(s.order, p)
	}
	return p
}

func (s *goStream) event(ev *goEvent) {
	switch ev.Action {
	case "build-output":
		b := s.build(ev.ImportPath)
		b.out.WriteString(ev.Output)
		line := strings.TrimRight(ev.Output, "\n")
		if m := goBuildErrRE().FindStringSubmatch(line); m != nil && b.loc.file == "" {
			b.msg = m[3]
			if f, ok := s.loc.resolve(m[1]); ok {
				n, _ := strconv.Atoi(m[2])
				b.loc = goLoc{f, n}
			}
		} else if b.msg == "" && line != "" && !strings.HasPrefix(line, "#") {
			b.msg = truncate(line, 500)
		}
		s.echo(ev.Output)
		return
	case "build-fail":
		s.build(ev.ImportPath).failed = true
		return
	}
	if ev.Package == "" {
		return
	}
	p := s.pkg(ev.Package)
	if p.done {
		// Events after the package ended (should not happen): keep output.
		if ev.Output != "" {
			s.stray.WriteString(ev.Output)
			s.echo(ev.Output)
		}
		return
	}
	if ev.Test == "" {
		switch ev.Action {
		case "output", "bench":
			s.pkgOutput(p, ev.Output)
		case "pass", "fail", "skip":
			s.endPkg(p, Status(statusOf(ev.Action)), ev.Elapsed, ev.FailedBuild, "")
		}
		return
	}
	t := p.tests[ev.Test]
	if t != nil && t.c.Status != "" {
		// Events of a test that already ended (a goroutine logging late,
		// spliced streams): keep the output, count the test once.
		if ev.Action == "output" && ev.Output != "" {
			s.stray.WriteString(ev.Output)
			s.echo(ev.Output)
		}
		return
	}
	switch ev.Action {
	case "run":
		if t == nil {
			t = s.startTest(p, ev.Test)
		}
	case "output", "bench":
		if t == nil {
			t = s.startTest(p, ev.Test)
		}
		s.testOutput(p, t, ev.Output)
	case "pass", "fail", "skip":
		if t == nil {
			t = s.startTest(p, ev.Test)
		}
		s.endTest(p, t, Status(statusOf(ev.Action)), ev.Elapsed, "")
	}
}

func statusOf(action string) string {
	switch action {
	case "pass":
		return string(Passed)
	case "skip":
		return string(Skipped)
	}
	return string(Failed)
}

func (s *goStream) build(importPath string) *goBuild {
	b := s.builds[importPath]
	if b == nil {
		b = &goBuild{out: newCapBuffer(s.o.outputLimit)}
		s.builds[importPath] = b
	}
	return b
}

func (s *goStream) startTest(p *goPkg, name string) *goTest {
	t := &goTest{c: &Case{Suite: p.name, Name: name}, out: newCapBuffer(s.o.outputLimit)}
	p.tests[name] = t
	p.running.push(t)
	s.r.Cases = append(s.r.Cases, t.c)
	return t
}

func isFramingLine(line string) bool {
	for _, pre := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME"} {
		if strings.HasPrefix(line, pre) {
			return true
		}
	}
	return false
}

func (s *goStream) testOutput(p *goPkg, t *goTest, out string) {
	t.out.WriteString(out)
	if s.o.echoAll {
		s.echo(out)
	}
	line := strings.TrimRight(out, "\n")
	if m := goLogRE().FindStringSubmatch(line); m != nil {
		n, _ := strconv.Atoi(m[3])
		t.log = goLog{indent: len(m[1]), loc: goLoc{s.loc.goFile(p.name, m[2]), n}}
		t.log.msg.WriteString(m[4])
		t.inLog = true
		return
	}
	if t.inLog {
		if strings.HasPrefix(line, strings.Repeat(" ", t.log.indent+4)) {
			if t.log.lines < 20 && t.log.msg.Len() < 4096 {
				t.log.msg.WriteString("\n" + line[t.log.indent+4:])
				t.log.lines++
			}
			return
		}
		t.inLog = false
	}
	s.noteCrash(line, &t.panicMsg, &t.panicLoc, &t.signal, &t.inTestMain)
	if t.panicMsg != "" && p.panicMsg == "" {
		p.panicMsg, p.loc = t.panicMsg, t.panicLoc
	}
}

// isResultLine reports whether line is go test's result line for pkg
// ("ok  \tpkg\t0.1s", "FAIL\tpkg\t0.1s").
func isResultLine(line, pkg string) bool {
	rest, ok := strings.CutPrefix(line, "FAIL\t")
	if !ok {
		rest, ok = strings.CutPrefix(line, "ok  \t")
	}
	return ok && strings.HasPrefix(rest, pkg)
}

func (s *goStream) pkgOutput(p *goPkg, out string) {
	p.out.WriteString(out)
	line := strings.TrimRight(out, "\n")
	if p.running.n > 0 && isResultLine(line, p.name) {
		// Tests still running when the package's result line comes never
		// finished: endPkg shows their output, then this line.
		p.result += out
	} else if s.o.echoAll || (line != "PASS" && !isFramingLine(line)) {
		s.echo(out)
	}
	s.noteCrash(line, &p.panicMsg, &p.loc, &p.signal, &p.inTestMain)
}

// noteCrash records the first panic message, its first stack frame inside
// the repository that is not TestMain's (a timeout's trace shows goroutine
// 1 waiting in TestMain before the test that hung), and a "signal: killed"
// line.
func (s *goStream) noteCrash(line string, msg *string, loc *goLoc, signal *string, inTestMain *bool) {
	switch {
	case strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: "):
		if *msg == "" {
			*msg = truncate(line, 500)
		}
	case strings.HasPrefix(line, "signal: "):
		*signal = truncate(line, 200)
	case *msg != "" && loc.file == "" && !strings.HasPrefix(line, "\t"):
		// A function line; its file:line follows on the next line.
		*inTestMain = strings.Contains(line, ".TestMain(")
	case *msg != "" && loc.file == "" && !*inTestMain:
		if m := goFrameRE().FindStringSubmatch(line); m != nil {
			if f, ok := s.loc.rel(m[1]); ok && !strings.HasPrefix(m[1], "_") {
				n, _ := strconv.Atoi(m[2])
				*loc = goLoc{f, n}
			}
		}
	}
}

func (s *goStream) endTest(p *goPkg, t *goTest, st Status, elapsed float64, unfinished string) {
	p.running.remove(t)
	c := t.c
	c.Status = st
	c.Duration = seconds(elapsed)
	switch st {
	case Passed:
		s.counts.Passed++
		t.out = nil // passing output is not kept
	case Skipped:
		s.counts.Skipped++
		c.Message = t.log.msg.String()
		t.out = nil
	case Failed:
		s.counts.Failed++
		p.failed = true
		c.Message = t.log.msg.String()
		loc := t.log.loc
		switch {
		case t.panicMsg != "":
			c.Message = t.panicMsg
			if t.panicLoc.file != "" {
				loc = t.panicLoc
			}
		case unfinished != "" && p.panicMsg != "":
			c.Message = p.panicMsg
			if p.loc.file != "" {
				loc = p.loc
			}
		}
		if unfinished != "" {
			reason := unfinished
			if c.Message != "" && (t.panicMsg != "" || p.panicMsg != "") {
				reason = c.Message
			} else if sig := firstNonEmpty(t.signal, p.signal); sig != "" {
				reason = sig
			}
			c.Message = "test did not finish: " + reason
		}
		c.File, c.Line = loc.file, loc.line
		c.Output = t.out.String()
		if s.kept += len(c.Output); s.kept > maxKeptOutput {
			// Thousands of failures: keep only their ends from now on.
			c.Output = lastBytes(c.Output, 4096)
		}
		t.out = nil
		if s.o.echo != nil && !s.o.echoAll {
			s.echoFailed(c.Output)
		}
	}
	if s.o.progress != nil {
		s.o.progress(s.counts)
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// echoFailed prints a failed test's kept output without the framing lines,
// as plain `go test` would have shown it.
func (s *goStream) echoFailed(out string) {
	for line := range strings.Lines(out) {
		if !isFramingLine(line) {
			s.echo(line)
		}
	}
}

func (s *goStream) endPkg(p *goPkg, st Status, elapsed float64, failedBuild, unfinished string) {
	// Tests still running when their package ended never finished: the
	// binary panicked, timed out, was killed, or the stream was cut.
	if p.running.n > 0 {
		reason := firstNonEmpty(unfinished, "the test binary exited before the test ended")
		for p.running.head != nil {
			s.endTest(p, p.running.head, Failed, 0, reason)
		}
	}
	if p.result != "" {
		s.echo(p.result)
		p.result = ""
	}
	p.done = true
	if st != Failed && p.failed {
		st = Failed
	}
	s.r.Suites = append(s.r.Suites, Suite{Name: p.name, Status: st, Duration: seconds(elapsed)})
	if st != Failed || p.failed {
		return
	}
	// The package failed outside any test.
	c := &Case{Suite: p.name, Status: Failed, Duration: seconds(elapsed)}
	switch b := s.builds[failedBuild]; {
	case failedBuild != "" && b != nil:
		b.used = true
		c.Message = "build failed"
		if b.msg != "" {
			c.Message += ": " + b.msg
		}
		c.File, c.Line = b.loc.file, b.loc.line
		c.Output = b.out.String()
	case failedBuild != "":
		c.Message = "build failed"
	case unfinished != "":
		c.Message = unfinished
	case p.panicMsg != "":
		c.Message = p.panicMsg
		c.File, c.Line = p.loc.file, p.loc.line
	case p.signal != "":
		c.Message = p.signal
	default:
		c.Message = "package failed outside any test"
	}
	if c.Output == "" {
		c.Output = p.out.String()
	}
	s.counts.Failed++
	s.r.Cases = append(s.r.Cases, c)
	if s.o.progress != nil {
		s.o.progress(s.counts)
	}
}

// Close ends the stream: a package without its final event, or a build
// failure no package claimed, becomes a failed case. It returns the report.
func (s *goStream) Close() *Report {
	if s.closed {
		return s.r
	}
	s.closed = true
	if len(s.part) > 0 {
		s.line(s.part)
		s.part = nil
	}
	for _, p := range s.order {
		if !p.done {
			s.endPkg(p, Failed, 0, "", "go test output ended before the package's result")
		}
	}
	for ip, b := range s.builds {
		if b.failed && !b.used {
			b.used = true
			name, _, _ := strings.Cut(ip, " ")
			msg := "build failed"
			if b.msg != "" {
				msg += ": " + b.msg
			}
			s.counts.Failed++
			s.r.Cases = append(s.r.Cases, &Case{Suite: name, Status: Failed, Message: msg,
				File: b.loc.file, Line: b.loc.line, Output: b.out.String()})
		}
	}
	s.r.Output = s.stray.String()
	for _, su := range s.r.Suites {
		s.r.Duration += su.Duration
	}
	return s.r
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
