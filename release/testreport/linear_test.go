package testreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/internal/gotestgen"
)

// TestLocatorLooksUpEachPathOnce: thousands of failures whose stack traces
// go through the same few files cost the same few file system look-ups as
// one failure does, not a few per failure.
func TestLocatorLooksUpEachPathOnce(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"src/app.py", "src/lib/util.py"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x = 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lookups := func(failures int) (int, *Report) {
		var b strings.Builder
		b.WriteString("<testsuite name=\"s\">\n")
		for i := range failures {
			fmt.Fprintf(&b, `<testcase classname="test_app" name="test_%d"><failure message="boom">Traceback (most recent call last):
  File "src/app.py", line %d, in test_%d
  File "src/lib/util.py", line 3, in helper
  File "gone/elsewhere.py", line 9, in deep
AssertionError: boom</failure></testcase>`+"\n", i, i%50+1, i)
		}
		b.WriteString("</testsuite>\n")
		loc := newLocator(dir, dir)
		rep, err := parseJUnit(strings.NewReader(b.String()), loc, makeOptions(nil))
		if err != nil {
			t.Fatal(err)
		}
		return loc.stats, rep
	}
	few, _ := lookups(10)
	many, rep := lookups(5000)
	if n := rep.Counts().Failed; n != 5000 {
		t.Fatalf("%d failures, want 5000", n)
	}
	if c := rep.Cases[4999]; c.Location() != "src/lib/util.py:3" {
		t.Errorf("location %q, want src/lib/util.py:3 (the innermost frame in the repository)", c.Location())
	}
	if many != few {
		t.Errorf("%d file look-ups for 5000 failures, %d for 10: want as many, one per distinct path", many, few)
	}
}

// TestParseGoTestEventsAfterEnd: output or a second result for a test that
// already ended (a goroutine logging late, a stream spliced together) is
// kept as the package's output; it neither crashes the parser (it did: the
// fuzzer found it once it could run) nor counts the test twice.
func TestParseGoTestEventsAfterEnd(t *testing.T) {
	for _, tt := range []struct {
		name, result, late string
		want               Counts
	}{
		{"output after fail", "fail", `{"Action":"output","Package":"p","Test":"T","Output":"late line\n"}`, Counts{Failed: 1}},
		{"output after pass", "pass", `{"Action":"output","Package":"p","Test":"T","Output":"late line\n"}`, Counts{Passed: 1}},
		{"fail after fail", "fail", `{"Action":"fail","Package":"p","Test":"T"}`, Counts{Failed: 1}},
		{"fail after pass", "pass", `{"Action":"fail","Package":"p","Test":"T"}`, Counts{Passed: 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stream := `{"Action":"run","Package":"p","Test":"T"}
{"Action":"output","Package":"p","Test":"T","Output":"    x_test.go:3: broke\n"}
{"Action":"` + tt.result + `","Package":"p","Test":"T"}
` + tt.late + `
{"Action":"` + tt.result + `","Package":"p"}
`
			var progress []Counts
			rep, err := ParseGoTest(strings.NewReader(stream), t.TempDir(), WithProgress(func(c Counts) { progress = append(progress, c) }))
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Counts(); got != tt.want {
				t.Errorf("counts %+v, want %+v", got, tt.want)
			}
			if got := progress[len(progress)-1]; got != tt.want {
				t.Errorf("last progress %+v, want %+v", got, tt.want)
			}
			if tt.late[12:18] == "output" && !strings.Contains(rep.Cases[len(rep.Cases)-1].Output+rep.Output, "late line") {
				t.Errorf("the late output was lost: %+v", rep)
			}
		})
	}
}

// TestWriteJSONStreamsTheSameDocument: the streaming WriteJSON writes byte
// for byte what encoding the whole report at once wrote, whatever fields
// are set.
func TestWriteJSONStreamsTheSameDocument(t *testing.T) {
	whole := func(r *Report) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Passed bool   `json:"passed"`
			Counts Counts `json:"counts"`
			*Report
		}{r.Passed(), r.Counts(), r}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	full := sampleReport()
	full.Output, full.Interrupted, full.Warnings = "stray <output>\n", "terminated signal received", []string{"w & 1", "w2"}
	for name, r := range map[string]*Report{
		"sample":          sampleReport(),
		"every field":     full,
		"nil cases":       {ExitCode: -1},
		"no cases":        {ExitCode: 0, Cases: []*Case{}},
		"only warnings":   {Warnings: []string{"x"}},
		"only output":     {Output: "o"},
		"synthetic 2000":  mustParse(t, gotestgen.Stream(2000, 700)),
		"interrupted run": {Interrupted: "context canceled", Cases: []*Case{{Suite: "s", Status: Failed, Message: "m\x00\u2028"}}},
	} {
		var got bytes.Buffer
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if want := whole(r); got.String() != want {
			t.Errorf("%s: streamed JSON differs:\n%s", name, cmp.Diff(want, got.String()))
		}
	}
}

func mustParse(t *testing.T, stream []byte) *Report {
	t.Helper()
	rep, err := ParseGoTest(bytes.NewReader(stream), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
