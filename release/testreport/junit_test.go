package testreport

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The JUnit files in testdata/junit were written by real producers (see
// testdata/gen.sh) in copies of testdata/python and testdata/node under
// genRoot.
const genRoot = "/tmp/shipflow-testreport-gen"

func TestParseJUnitProducers(t *testing.T) {
	pytestWant := []failure{
		{"test_calc.test_add_wrong", "test_calc.py:13", "assert 4 == 5\n +  where 4 = add(2, 2)"},
		{"test_calc.test_helper_error", "test_calc.py:17", "ValueError: bad value 7"},
	}
	tests := []struct {
		name   string
		file   string
		dir    string
		root   string
		want   []failure
		counts Counts
	}{
		{"pytest", "pytest.xml", "testdata/python", "", pytestWant, Counts{Passed: 1, Failed: 2, Skipped: 1}},
		{"pytest xunit1", "pytest-xunit1.xml", "testdata/python", "", pytestWant, Counts{Passed: 1, Failed: 2, Skipped: 1}},
		// Absolute paths of the generating machine: resolved against the
		// root they were generated in, without the files on disk.
		{"pytest elsewhere", "pytest.xml", t.TempDir(), "", []failure{
			{"test_calc.test_add_wrong", "", "assert 4 == 5\n +  where 4 = add(2, 2)"},
			{"test_calc.test_helper_error", "", "ValueError: bad value 7"},
		}, Counts{Passed: 1, Failed: 2, Skipped: 1}},
		{"jest-junit", "jest.xml", genRoot + "/jest", genRoot + "/jest", []failure{
			{" throws", "calc.test.js:18", "Error: top-level broke"},
			{"calc adds wrong", "calc.test.js:11", "Error: expect(received).toBe(expected) // Object.is equality\nExpected: 5\nReceived: 4"},
		}, Counts{Passed: 1, Failed: 2, Skipped: 1}},
		{"node", "node.xml", genRoot + "/node", genRoot + "/node", []failure{
			{"test.adds wrong", "calc.test.js:15", "Expected values to be strictly equal:4 !== 5"},
			{"test.inner throws", "calc.test.js:23", "inner broke"},
		}, Counts{Passed: 2, Failed: 2, Skipped: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "junit", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var knobs []Option
			if tt.root != "" {
				knobs = append(knobs, WithRoot(tt.root))
			}
			rep, err := ParseJUnit(f, tt.dir, knobs...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, failuresOf(rep)); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.counts, rep.Counts()); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if rep.Duration <= 0 {
				t.Errorf("Duration = %v, want the suites' time", rep.Duration)
			}
		})
	}
}

func TestParseJUnitShapes(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		want []*Case
	}{
		{
			"single testsuite root",
			`<testsuite name="S" time="1.5"><testcase classname="c.T" name="a" time="0.5"/>` +
				`<testcase classname="c.T" name="b" time="1,000.25"><error message="boom" type="E">trace</error></testcase></testsuite>`,
			[]*Case{
				{Suite: "c.T", Name: "a", Status: Passed, Duration: 500e6},
				{Suite: "c.T", Name: "b", Status: Failed, Duration: 1000250e6, Message: "boom", Output: "trace\n"},
			},
		},
		{
			"nested suites, no classname, message from text",
			`<testsuites><testsuite name="outer"><testsuite name="inner"><testcase name="x"><failure>line one
line two</failure></testcase></testsuite></testsuite></testsuites>`,
			[]*Case{{Suite: "inner", Name: "x", Status: Failed, Message: "line one\nline two", Output: "line one\nline two\n"}},
		},
		{
			"skipped with text only, system-out kept for failures",
			`<testsuite name="S"><testcase name="s"><skipped>later</skipped></testcase>` +
				`<testcase name="f"><failure message="m"/><system-out>printed</system-out></testcase></testsuite>`,
			[]*Case{
				{Suite: "S", Name: "s", Status: Skipped, Message: "later"},
				{Suite: "S", Name: "f", Status: Failed, Message: "m", Output: "printed\n"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := ParseJUnit(strings.NewReader(tt.xml), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rep.Cases); diff != "" {
				t.Errorf("cases (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseJUnitErrors(t *testing.T) {
	for _, in := range []string{"", "not xml", "<testsuite><testcase"} {
		if _, err := ParseJUnit(strings.NewReader(in), "."); err == nil {
			t.Errorf("ParseJUnit(%q) succeeded", in)
		}
	}
}

// TestWriteJUnitRoundTrip reads back what WriteJUnit wrote.
func TestWriteJUnitRoundTrip(t *testing.T) {
	rep := sampleReport()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, rep); err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "junit.xml", buf.String())
	back, err := ParseJUnit(&buf, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Suite, Name string
		Status      Status
		Loc, Msg    string
		Output      string
	}
	rows := func(r *Report) []row {
		var out []row
		for _, c := range r.Cases {
			name := c.Name
			if name == "(suite)" {
				name = ""
			}
			out = append(out, row{c.Suite, name, c.Status, c.Location(), c.Message, c.Output})
		}
		return out
	}
	if diff := cmp.Diff(rows(rep), rows(back)); diff != "" {
		t.Errorf("round trip (-wrote +read):\n%s", diff)
	}
	if diff := cmp.Diff(rep.Counts(), back.Counts()); diff != "" {
		t.Errorf("counts (-wrote +read):\n%s", diff)
	}
}

func TestExpandGlob(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.xml", "b.txt", "reports/x.xml", "reports/deep/y.xml", "node_modules/z.xml"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		pattern string
		want    []string
	}{
		{"*.xml", []string{"a.xml"}},
		{"reports/*.xml", []string{"reports/x.xml"}},
		{"**/*.xml", []string{"a.xml", "reports/deep/y.xml", "reports/x.xml"}},
		{"reports/**/*.xml", []string{"reports/deep/y.xml", "reports/x.xml"}},
		{"reports", nil}, // a directory is not a report
		{"none/**/*.xml", nil},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			got, err := expandGlob(dir, tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, g := range got {
				r, _ := filepath.Rel(dir, g)
				rel = append(rel, filepath.ToSlash(r))
			}
			if diff := cmp.Diff(tt.want, rel); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := expandGlob(dir, "[bad"); err == nil {
		t.Error("a bad pattern was accepted")
	}
}

// TestLocatorSymlinkedRoot: a path printed through the resolved spelling of
// a symlinked root is still inside the repository.
func TestLocatorSymlinkedRoot(t *testing.T) {
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	l := newLocator(link, link)
	for _, p := range []string{filepath.Join(link, "a", "x.go"), filepath.Join(real, "a", "x.go")} {
		if got, ok := l.rel(p); !ok || got != "a/x.go" {
			t.Errorf("rel(%q) = %q, %v; want a/x.go", p, got, ok)
		}
	}
	if got, ok := l.rel(filepath.Join(t.TempDir(), "y.go")); ok {
		t.Errorf("a path outside the root was taken: %q", got)
	}
}
