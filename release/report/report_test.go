package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/internal/golden"
)

const (
	shaBad   = "0123456789abcdef0123456789abcdef01234567"
	shaClean = "89abcdef0123456789abcdef0123456789abcdef"
	shaWarn  = "fedcba9876543210fedcba9876543210fedcba98"
)

func lint(msg string) commitlint.Result {
	return commitlint.Lint(msg, commitlint.ConventionalConfig(), commitlint.Input{})
}

// rangeEntries is a small range: a bad commit whose header carries
// characters every format must escape, a clean one and one with a
// warning only.
func rangeEntries() []Entry {
	return []Entry{
		LintEntry(SourceCommit, shaBad, "", lint("Feature(a|b): Add <b>50%</b>, x: y\x1b[31m\nbody right after\n")),
		LintEntry(SourceCommit, shaClean, "", lint("fix(core): handle nil\n")),
		LintEntry(SourceCommit, shaWarn, "", lint("feat: add a thing\nbody right after the header\n")),
	}
}

func summarize(rng string, es []Entry) Summary {
	s := Summary{Range: rng}
	for _, e := range es {
		s.Count++
		errs, warns := e.Counts()
		s.Errors += errs
		s.Warnings += warns
		if len(e.Findings) > 0 {
			s.Bad++
		}
	}
	return s
}

// writers returns every format's writer on w, by the name of its golden.
func writers(w io.Writer) map[string]Writer {
	return map[string]Writer{
		"text":     NewText(w),
		"json":     NewJSON(w),
		"github":   NewGitHub(w),
		"sarif":    NewSARIF(w, "v1.2.3"),
		"markdown": NewMarkdown(w),
		"junit":    NewJUnit(w, "shipflow lint"),
	}
}

func write(t *testing.T, w Writer, run Run, es []Entry, s Summary, err error) {
	t.Helper()
	if e := w.Begin(run); e != nil {
		t.Fatal(e)
	}
	for _, e := range es {
		if e := w.Write(e); e != nil {
			t.Fatal(e)
		}
	}
	if e := w.End(s, err); e != nil {
		t.Fatal(e)
	}
}

// TestWriters renders the same streams in every format against
// testdata/<case>.<format>.golden (refresh with -update).
func TestWriters(t *testing.T) {
	msgFile := LintEntry(SourceFile, "", ".git/COMMIT_EDITMSG", lint("feature: add a thing\nbody right after the header\n"))
	stdin := LintEntry(SourceMessage, "", "", lint("Feat: x\n"))
	clean := LintEntry(SourceMessage, "", "", lint("fix: all good\n"))
	rng := rangeEntries()
	cases := []struct {
		name string
		run  Run
		es   []Entry
		s    Summary
		err  error
	}{
		{"file", Run{}, []Entry{msgFile}, summarize("", []Entry{msgFile}), nil},
		{"message", Run{}, []Entry{stdin}, summarize("", []Entry{stdin}), nil},
		{"clean-message", Run{}, []Entry{clean}, summarize("", []Entry{clean}), nil},
		{"range", Run{Range: true}, rng, summarize("v1.0.0..HEAD", rng), nil},
		{"clean-range", Run{Range: true}, rng[1:2], summarize("HEAD~1..HEAD", rng[1:2]), nil},
		{"broken-range", Run{Range: true}, rng[:1], Summary{}, errors.New("git log: exit status 128")},
	}
	for _, tc := range cases {
		for format := range writers(io.Discard) {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				var buf bytes.Buffer
				write(t, writers(&buf)[format], tc.run, tc.es, tc.s, tc.err)
				golden.Check(t, "testdata/"+tc.name+"."+format+".golden", buf.String())
				switch format {
				case "json", "sarif":
					if buf.Len() > 0 && !json.Valid(buf.Bytes()) {
						t.Errorf("not valid JSON:\n%s", buf.String())
					}
				case "junit":
					if err := xml.Unmarshal(buf.Bytes(), new(struct{})); err != nil {
						t.Errorf("not valid XML: %v\n%s", err, buf.String())
					}
				}
			})
		}
	}
}

// TestBrokenRangeBeforeFirstEntry: a range that fails before any commit
// leaves json and sarif output empty, as the CLI always did.
func TestBrokenRangeBeforeFirstEntry(t *testing.T) {
	for _, format := range []string{"text", "json", "github", "sarif"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			write(t, writers(&buf)[format], Run{Range: true}, nil, Summary{}, errors.New("unknown revision"))
			if buf.Len() != 0 {
				t.Errorf("wrote %q, want nothing", buf.String())
			}
		})
	}
}

// TestGitHubCannotForgeCommands: a header with a newline and "::" stays
// on one workflow-command line.
func TestGitHubCannotForgeCommands(t *testing.T) {
	var buf bytes.Buffer
	e := LintEntry(SourceCommit, shaBad, "", lint("feature: x\n"))
	e.Header = "feature: x\n::error::forged"
	write(t, NewGitHub(&buf), Run{Range: true}, []Entry{e}, Summary{}, nil)
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if strings.HasPrefix(line, "::error::forged") {
			t.Fatalf("forged command in:\n%s", buf.String())
		}
	}
}

func TestSARIFURI(t *testing.T) {
	tests := []struct{ name, path, want string }{
		{"relative", ".git/COMMIT_EDITMSG", ".git/COMMIT_EDITMSG"},
		{"relative with a space", "my dir/MSG", "my%20dir/MSG"},
		{"absolute", "/repo/.git/COMMIT_EDITMSG", "file:///repo/.git/COMMIT_EDITMSG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sarifURI(tt.path); got != tt.want {
				t.Errorf("sarifURI(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

// TestSARIFFailureKeepsValidLog: when reading the range fails after some
// results were streamed, the log is still complete and its invocation says
// it failed.
func TestSARIFFailureKeepsValidLog(t *testing.T) {
	var buf bytes.Buffer
	w := NewSARIF(&buf, "v0")
	write(t, w, Run{}, []Entry{LintEntry(SourceMessage, "", "", lint("feature: x\n"))}, Summary{}, errors.New("git log: exit status 128"))
	var log struct {
		Runs []struct {
			Results     []json.RawMessage `json:"results"`
			Invocations []struct {
				ExecutionSuccessful        bool `json:"executionSuccessful"`
				ToolExecutionNotifications []struct {
					Level   string `json:"level"`
					Message struct{ Text string }
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("log = %s", buf.String())
	}
	inv := log.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 || inv.ToolExecutionNotifications[0].Message.Text != "git log: exit status 128" {
		t.Errorf("invocation = %+v, want a failed one carrying the error", inv)
	}
}

// TestAppendJSON holds the hand-written JSON of a commit to json.Marshal's
// output, byte for byte.
func TestAppendJSON(t *testing.T) {
	problem := []JSONProblem{{Rule: "type-enum", Level: "error", Line: 1, Column: 1, Message: "type `x` is not allowed", Fix: "did you mean `feat`?", URL: "https://x/#type-enum"}}
	cases := []struct {
		name string
		r    JSONMessage
	}{
		{"plain", JSONMessage{Commit: "0123456789abcdef0123456789abcdef01234567", Valid: true, Type: "feat", Scope: "core", Problems: []JSONProblem{}}},
		{"no commit", JSONMessage{Valid: true, Type: "fix", Problems: []JSONProblem{}}},
		{"ignored", JSONMessage{Commit: "abc", Valid: true, Ignored: true, Problems: []JSONProblem{}}},
		{"breaking", JSONMessage{Commit: "abc", Valid: true, Type: "feat", Breaking: true, Problems: []JSONProblem{}}},
		{"problems", JSONMessage{Commit: "abc", Type: "x", Problems: problem}},
		{"quote in scope", JSONMessage{Commit: "abc", Type: "feat", Scope: `a"b`, Problems: []JSONProblem{}}},
		{"backslash", JSONMessage{Commit: "abc", Type: "feat", Scope: `a\b`, Problems: []JSONProblem{}}},
		{"html", JSONMessage{Commit: "abc", Type: "feat", Scope: "<a>&", Problems: []JSONProblem{}}},
		{"non-ascii", JSONMessage{Commit: "abc", Type: "fëat", Scope: "日本\u2028", Problems: []JSONProblem{}}},
		{"control", JSONMessage{Commit: "abc", Type: "feat", Scope: "a\tb\x7f", Problems: []JSONProblem{}}},
		{"invalid utf-8", JSONMessage{Commit: "abc", Type: "f\xffat", Problems: []JSONProblem{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(tc.r)
			if err != nil {
				t.Fatal(err)
			}
			got := appendJSON([]byte("prefix"), tc.r)
			if string(got) != "prefix"+string(want) {
				t.Errorf("appendJSON = %s\njson.Marshal = prefix%s", got, want)
			}
		})
	}
}

// BenchmarkWriters streams 5000 clean commits and one bad one through each
// writer: the per-commit cost that range lint adds to linting.
// TestStandaloneWritesAsItsEntry: each finding of Standalone, written
// alone (Loose), prints what its entry prints, byte for byte: that is how
// the Actions annotate the findings the CLI writes with --format github.
func TestStandaloneWritesAsItsEntry(t *testing.T) {
	es := append(rangeEntries(),
		LintEntry(SourceMessage, "", "", lint("Update README")),
		LintEntry(SourceFile, "", ".git/COMMIT_EDITMSG", lint("feature: x")),
	)
	titled := LintEntry(SourceMessage, "", "", lint("Login page"))
	titled.Findings[0].Title = "PR title: " + titled.Findings[0].Rule
	es = append(es, titled)
	for _, e := range es {
		var whole, alone bytes.Buffer
		if err := NewGitHub(&whole).Write(e); err != nil {
			t.Fatal(err)
		}
		for _, f := range e.Standalone() {
			if err := NewGitHub(&alone).Write(Loose(f)); err != nil {
				t.Fatal(err)
			}
		}
		if whole.Len() == 0 && len(e.Findings) > 0 || whole.String() != alone.String() {
			t.Errorf("%s %s:\nentry:\n%s\nstandalone:\n%s", e.Source, e.Header, whole.String(), alone.String())
		}
	}
}

// TestMarkdownNamesTitledMessages: a message that is no commit and no
// file (a pull request's title) is named by its finding's title.
func TestMarkdownNamesTitledMessages(t *testing.T) {
	e := LintEntry(SourceMessage, "", "", lint("Login page"))
	e.Findings[0].Title = "PR title: " + e.Findings[0].Rule
	var b bytes.Buffer
	write(t, NewMarkdown(&b), Run{}, []Entry{e}, summarize("", []Entry{e}), nil)
	if want := "| PR title: " + EscapeMarkdown(e.Findings[0].Rule) + " 1:6 |"; !strings.Contains(b.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, b.String())
	}
}

func BenchmarkWriters(b *testing.B) {
	clean := LintEntry(SourceCommit, shaClean, "", lint("fix(core): handle nil\n"))
	bad := rangeEntries()[0]
	for format := range writers(io.Discard) {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := writers(io.Discard)[format]
				w.Begin(Run{Range: true})
				for range 5000 {
					w.Write(clean)
				}
				w.Write(bad)
				w.End(Summary{Range: "a..b", Count: 5001, Bad: 1}, nil)
			}
		})
	}
}
