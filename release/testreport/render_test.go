package testreport

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sampleReport has one of everything a renderer must handle, including
// characters that need escaping in Markdown, XML and workflow commands.
func sampleReport() *Report {
	return &Report{
		Command:  []string{"go", "test", "-json", "./..."},
		ExitCode: 1,
		Duration: 75 * time.Second,
		Suites: []Suite{
			{Name: "example.com/m/calc", Status: Failed, Duration: 2 * time.Second},
			{Name: "example.com/m/build", Status: Failed},
		},
		Cases: []*Case{
			{Suite: "example.com/m/calc", Name: "TestAdd", Status: Passed, Duration: 1500 * time.Millisecond},
			{Suite: "example.com/m/calc", Name: "TestDiv", Status: Failed, Duration: 20 * time.Millisecond,
				Message: "got 1, want 2", File: "calc/div_test.go", Line: 13,
				Output: "=== RUN   TestDiv\n    div_test.go:13: got 1, want 2 (a]]>b)\n--- FAIL: TestDiv (0.02s)\n"},
			{Suite: "example.com/m/calc", Name: "TestTable/a|b, c:d%", Status: Failed, Duration: 3 * time.Millisecond,
				Message: "line one <b>&\nline two\r\n100% sure", File: "calc/table_test.go", Line: 40},
			{Suite: "example.com/m/calc", Name: "TestLater", Status: Skipped, Message: "needs a database"},
			{Suite: "example.com/m/build", Status: Failed, Message: "build failed: undefined: foo",
				File: "build/x.go", Line: 5, Output: "# example.com/m/build\nbuild/x.go:5:2: undefined: foo\n"},
		},
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, sampleReport(), TextOptions{Slowest: 2, OutputLines: 2}); err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "text.txt", buf.String())
}

func TestWriteTextPass(t *testing.T) {
	rep := &Report{ExitCode: 0, Duration: 300 * time.Millisecond, Cases: []*Case{{Suite: "s", Name: "T", Status: Passed}}}
	var buf bytes.Buffer
	if err := WriteText(&buf, rep, TextOptions{Slowest: 5}); err != nil {
		t.Fatal(err)
	}
	if want := "\nPASS: 1 passed, 0 failed, 0 skipped in 0.30s\n"; buf.String() != want {
		t.Errorf("text = %q, want %q", buf.String(), want)
	}
}

func TestWriteSummary(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSummary(&buf, sampleReport(), SummaryOptions{Slowest: 3}); err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "summary.md", buf.String())
}

// TestWriteSummaryCapped renders thousands of failures with long output:
// the summary stays under the cap and says how many it left out.
func TestWriteSummaryCapped(t *testing.T) {
	rep := &Report{ExitCode: 1}
	for i := range 5000 {
		rep.Cases = append(rep.Cases, &Case{
			Suite: "example.com/m", Name: fmt.Sprintf("TestN%04d", i), Status: Failed,
			Message: strings.Repeat("why ", 200), File: "m_test.go", Line: i + 1,
			Output: strings.Repeat("output line\n", 2000),
		})
	}
	for _, limit := range []int{0, CheckRunSummaryLimit, 4096} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSummary(&buf, rep, SummaryOptions{MaxBytes: limit, Slowest: 5}); err != nil {
				t.Fatal(err)
			}
			max := limit
			if max == 0 {
				max = SummaryLimit
			}
			if buf.Len() > max {
				t.Errorf("summary is %d bytes, limit %d", buf.Len(), max)
			}
			if buf.Len() < max/2 {
				t.Errorf("summary is %d bytes, wasting most of the %d allowed", buf.Len(), max)
			}
			out := buf.String()
			if !strings.Contains(out, "| TestN0000") && !strings.Contains(out, `example.com/m.TestN0000`) {
				t.Error("the first failure is not named")
			}
			if !strings.Contains(out, "more failed tests are not shown") {
				t.Error("the summary does not say failures were left out")
			}
		})
	}
}

func TestAnnotations(t *testing.T) {
	got := Annotations(sampleReport())
	want := []Annotation{
		{Level: "error", File: "calc/div_test.go", Line: 13, Title: "FAIL: example.com/m/calc.TestDiv", Message: "got 1, want 2"},
		{Level: "error", File: "calc/table_test.go", Line: 40, Title: "FAIL: example.com/m/calc.TestTable/a|b, c:d%", Message: "line one <b>&\nline two\r\n100% sure"},
		{Level: "error", File: "build/x.go", Line: 5, Title: "FAIL: example.com/m/build", Message: "build failed: undefined: foo"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "report.json", buf.String())
}

func TestFailuresHidesParents(t *testing.T) {
	rep := &Report{Cases: []*Case{
		{Suite: "p", Name: "TestA", Status: Failed},
		{Suite: "p", Name: "TestA/x", Status: Failed, Message: "x broke"},
		{Suite: "p", Name: "TestB", Status: Failed, Message: "own message"},
		{Suite: "p", Name: "TestB/y", Status: Failed, Message: "y broke"},
		{Suite: "p", Name: "TestC", Status: Failed}, // no children: kept
	}}
	var got []string
	for _, c := range rep.Failures() {
		got = append(got, c.Name)
	}
	if diff := cmp.Diff([]string{"TestA/x", "TestB", "TestB/y", "TestC"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
