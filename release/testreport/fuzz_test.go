package testreport

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The fuzz targets parse in memory with one directory made once: no
// subprocess and no temporary directory per execution. Their seeds are
// small on purpose. Each input that finds new coverage is minimized before
// fuzzing goes on, for up to a minute (-fuzzminimizetime), and Go's
// minimizer tries removing every range of bytes: quadratic in the input's
// size. A 30 KB seed stream kept these targets at a few executions a
// minute, and even 700 bytes took 35 s. The seeds in testdata/fuzz are
// real outputs cut to a few hundred bytes: `go test -json` of small
// packages (a logged failure, a failing subtest, a skip, a panic, a build
// failure, TestMain failing, parallel subtests; "Time" fields dropped) and
// excerpts of the JUnit fixtures in testdata/junit.

// maxFuzzInput skips inputs the mutator grew past the seeds' size, so that
// none is minimized for long. The size caps (lines, output, kept bytes)
// have their own tests.
const maxFuzzInput = 512

// FuzzParseGoTest: any stream yields a report whose every case has an
// outcome, and a stream with a started package never passes unless every
// package reported a result.
func FuzzParseGoTest(f *testing.F) {
	f.Add([]byte(`{"Action":"run","Package":"p","Test":"T"}` + "\n" + `{"Action":"output","Package":"p","Test":"T","Output":"panic: x\n"}`))
	f.Add([]byte("not json\n{\"Action\":\"build-fail\",\"ImportPath\":\"p [p.test]\"}\n"))
	f.Add([]byte(`{"Action":"run","Package":"p","Test":"T"}` + "\n" + `{"Action":"fail","Package":"p","Test":"T"}` + "\n" +
		`{"Action":"output","Package":"p","Test":"T","Output":"late\n"}` + "\n" + `{"Action":"fail","Package":"p"}` + "\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		rep, err := ParseGoTest(bytes.NewReader(data), dir)
		if err != nil {
			t.Fatal(err)
		}
		n := rep.Counts()
		if n.Total() != len(rep.Cases) {
			t.Fatalf("%d cases, %d with an outcome", len(rep.Cases), n.Total())
		}
		renderAll(t, rep)
	})
}

// FuzzParseJUnit: no input makes the parser panic, and every case it
// returns has an outcome.
func FuzzParseJUnit(f *testing.F) {
	f.Add([]byte(`<testsuite><testcase name="a"><failure>x.py:1: E</failure></testcase></testsuite>`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		rep, err := ParseJUnit(bytes.NewReader(data), dir)
		if err != nil {
			return
		}
		if n := rep.Counts(); n.Total() != len(rep.Cases) {
			t.Fatalf("%d cases, %d with an outcome", len(rep.Cases), n.Total())
		}
		renderAll(t, rep)
	})
}

// renderAll renders rep in every format: none may fail or panic, and a
// report with failures never reads as a pass.
func renderAll(t *testing.T, rep *Report) {
	t.Helper()
	if len(rep.Failures()) > 0 && rep.Passed() {
		t.Fatal("a report with failures passed")
	}
	var b bytes.Buffer
	if err := WriteText(&b, rep, TextOptions{Slowest: 3, OutputLines: 5}); err != nil {
		t.Fatal(err)
	}
	if anns := Annotations(rep); len(anns) < len(rep.Failures()) {
		t.Fatalf("%d annotations for %d failures", len(anns), len(rep.Failures()))
	}
	if err := WriteSummary(&b, rep, SummaryOptions{Slowest: 3, MaxBytes: 4096}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteJUnit(&b, rep); err != nil {
		t.Fatal(err)
	}
}

// TestFuzzSeedsSmall: every seed in testdata/fuzz is under maxFuzzInput, so
// none is skipped and none stalls the fuzzer while it is minimized.
func TestFuzzSeedsSmall(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "*", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds in testdata/fuzz: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		header, value, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		data, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(value, "[]byte("), ")"))
		if header != "go test fuzz v1" || err != nil {
			t.Errorf("%s: not one []byte seed: %v", name, err)
			continue
		}
		if len(data) > maxFuzzInput {
			t.Errorf("%s: %d bytes, want at most %d", name, len(data), maxFuzzInput)
		}
	}
}
