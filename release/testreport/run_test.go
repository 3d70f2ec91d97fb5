package testreport

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// failure is what a test checks of a failed case.
type failure struct {
	Title string
	Loc   string
	Msg   string
}

// failuresOf lists r's failures sorted by title: go test reports packages
// in the order they finish.
func failuresOf(r *Report) []failure {
	var out []failure
	for _, c := range r.Failures() {
		out = append(out, failure{c.Title(), c.Location(), c.Message})
	}
	slices.SortStableFunc(out, func(a, b failure) int { return strings.Compare(a.Title, b.Title) })
	return out
}

// TestRunGoFixture runs `go test` once over the whole fixture module, where
// every package ends a different way, and checks the report names each
// failure at the right place.
func TestRunGoFixture(t *testing.T) {
	dir := goFixture(t)
	var stdout, stderr bytes.Buffer
	const limit = 16 << 10
	rep, err := Run(context.Background(), RunOptions{
		Command: []string{"go", "test", "-timeout=10m", "./..."},
		Dir:     dir,
		Env:     goEnv(),
		Stdout:  &stdout,
		Stderr:  &stderr,
	}, WithRoot(dir), WithOutputLimit(limit))
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode != 1 {
		t.Errorf("ExitCode = %d, want 1 (go test's)", rep.ExitCode)
	}
	if rep.Passed() {
		t.Error("Passed() = true for a failing run")
	}
	if want := []string{"go", "test", "-json", "-timeout=10m", "./..."}; !cmp.Equal(rep.Command, want) {
		t.Errorf("Command = %q, want %q", rep.Command, want)
	}
	const m = "example.com/fixture/"
	want := []failure{
		{m + "buildfail", "buildfail/buildfail_test.go:6", "build failed: undefined: undefinedThing"},
		{m + "exitmain", "", "package failed outside any test"},
		{m + "fail.TestFail", "fail/fail_test.go:9", "got 1, want 2"},
		{m + "fail.TestSub/bad", "fail/fail_test.go:14", "sub broke\nsecond line"},
		{m + "huge.TestHugeFail", "huge/huge_test.go:22", "failed after a lot of output"},
		{m + "killed.TestKilled", "killed/killed_test.go:12", "test did not finish: signal: killed"},
		{m + "panic.TestPanics", "panic/panic_test.go:7", "panic: assignment to entry in nil map [recovered, repanicked]"},
		{m + "parallel/a.TestParallel/case2", "parallel/a/par_test.go:16", "case 2 failed in a"},
		{m + "parallel/b.TestParallel/case2", "parallel/b/par_test.go:16", "case 2 failed in b"},
		{m + "timeout.TestSlow", "timeout/timeout_test.go:22", "test did not finish: panic: test timed out after 3s"},
	}
	if diff := cmp.Diff(want, failuresOf(rep)); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	// Passed: pass (TestOne, TestTable, a, b), fail.TestPass, fail.TestSub/ok,
	// exitmain.TestFine, killed.TestBefore, timeout.TestQuick, huge.TestHugePass,
	// 3 passing cases in each parallel package.
	// Failed: the 10 above plus fail.TestSub and both TestParallel parents.
	wantCounts := Counts{Passed: 4 + 2 + 1 + 1 + 1 + 1 + 3 + 3, Failed: 10 + 3, Skipped: 2}
	if diff := cmp.Diff(wantCounts, rep.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}

	// Huge output is capped per case, and keeps the end.
	for _, c := range rep.Cases {
		if len(c.Output) > limit+100 {
			t.Errorf("%s kept %d bytes of output, limit %d", c.Title(), len(c.Output), limit)
		}
		if c.Name == "TestHugeFail" && !strings.Contains(c.Output, "bytes of output omitted") {
			t.Errorf("TestHugeFail output has no omission marker:\n%.300s", c.Output)
		}
	}

	// The live output is plain go test text, not JSON.
	out := stdout.String()
	for _, s := range []string{
		"--- FAIL: TestFail", "fail_test.go:9: got 1, want 2",
		"ok  \texample.com/fixture/pass", "FAIL\texample.com/fixture/buildfail [build failed]",
		"undefined: undefinedThing", "panic: test timed out after 3s",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("live output lacks %q", s)
		}
	}
	// A killed test's output comes before its package's FAIL line.
	if i, j := strings.Index(out, "signal: killed"), strings.Index(out, "FAIL\texample.com/fixture/killed"); i < 0 || j < i {
		t.Errorf("killed test output at %d, package result at %d; want the output first", i, j)
	}
	for _, s := range []string{`{"`, "=== RUN", "--- PASS"} {
		if strings.Contains(out, s) {
			t.Errorf("live output has %q; want plain go test output", s)
		}
	}
	if len(out) > 1<<20 {
		t.Errorf("live output is %d bytes; passing tests' huge output should not be echoed", len(out))
	}
}

func TestRunGoPassing(t *testing.T) {
	dir := goFixture(t)
	tests := []struct {
		name     string
		args     []string
		contains []string
		lacks    []string
	}{
		{"plain", []string{"./pass"}, []string{"ok  \texample.com/fixture/pass"}, []string{"=== RUN", `{"`}},
		{"verbose", []string{"-v", "./pass"}, []string{"=== RUN   TestOne", "--- PASS: TestOne", "pass_test.go:5: fine"}, []string{`{"`}},
		{"user json", []string{"-json", "./pass"}, []string{`"Action":"pass"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout bytes.Buffer
			rep, err := Run(context.Background(), RunOptions{
				Command: append([]string{"go", "test"}, tt.args...),
				Dir:     dir, Env: goEnv(), Stdout: &stdout,
			})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Passed() || rep.ExitCode != 0 {
				t.Errorf("Passed() = %v, ExitCode = %d, want a pass; failures: %v", rep.Passed(), rep.ExitCode, failuresOf(rep))
			}
			if diff := cmp.Diff(Counts{Passed: 4, Skipped: 1}, rep.Counts()); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			for _, s := range tt.contains {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, stdout.String())
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(stdout.String(), s) {
					t.Errorf("output has %q:\n%s", s, stdout.String())
				}
			}
		})
	}
}

// TestParseGoTestCutStream cuts a real stream before its package's result,
// as when go test itself is killed: the package must fail, never pass.
func TestParseGoTestCutStream(t *testing.T) {
	dir := goFixture(t)
	cmd := exec.Command("go", "test", "-json", "./pass")
	cmd.Dir, cmd.Env = dir, goEnv()
	full, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test: %v", err)
	}
	i := bytes.Index(full, []byte(`"Test":"TestTable/b"`))
	if i < 0 {
		t.Fatalf("no TestTable/b event in:\n%s", full)
	}
	cut := full[:i] // mid-line, in the middle of TestTable
	rep, err := ParseGoTest(bytes.NewReader(cut), dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed() {
		t.Fatal("a cut stream passed")
	}
	const why = "test did not finish: go test output ended before the package's result"
	want := []failure{{"example.com/fixture/pass.TestTable", "", why}}
	if diff := cmp.Diff(want, failuresOf(rep)); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	// The whole stream, for contrast, passes.
	rep, err = ParseGoTest(bytes.NewReader(full), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Passed() {
		t.Errorf("the whole stream failed: %v", failuresOf(rep))
	}
}

func TestRunCommandFailures(t *testing.T) {
	tests := []struct {
		name     string
		command  []string
		wantCode int
		wantMsg  string
	}{
		{"exit status kept", []string{"sh", "-c", "echo boom >&2; exit 7"}, 7, "command exited with status 7: boom"},
		{"killed by signal", []string{"sh", "-c", "kill -9 $$"}, 128 + 9, "command exited with status 137"},
		{"go test no packages", []string{"go", "test", "./nothing/..."}, 1, "build failed: pattern ./nothing/...: lstat"},
		{"go test bad flag", []string{"go", "test", "-count=abc", "./pass"}, 2, "command exited with status 2: Run 'go help test'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := goFixture(t)
			rep, err := Run(context.Background(), RunOptions{Command: tt.command, Dir: dir, Env: goEnv()})
			if err != nil {
				t.Fatal(err)
			}
			if rep.ExitCode != tt.wantCode {
				t.Errorf("ExitCode = %d, want %d", rep.ExitCode, tt.wantCode)
			}
			if rep.Passed() {
				t.Error("Passed() = true")
			}
			f := rep.Failures()
			if len(f) != 1 || !strings.HasPrefix(f[0].Message, tt.wantMsg) {
				t.Errorf("failures = %v, want one starting %q", failuresOf(rep), tt.wantMsg)
			}
		})
	}
}

func TestRunCommandNotFound(t *testing.T) {
	_, err := Run(context.Background(), RunOptions{Command: []string{"no-such-test-runner-xyz"}, Dir: t.TempDir()})
	var se *StartError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *StartError", err)
	}
	if !strings.Contains(err.Error(), `"no-such-test-runner-xyz"`) {
		t.Errorf("error %q does not name the command", err)
	}
}

func TestRunValidate(t *testing.T) {
	if _, err := Run(context.Background(), RunOptions{}); err == nil {
		t.Error("Run with nothing to do succeeded")
	}
}

func TestGoTestCommand(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		run     []string
		isGo    bool
		raw     bool
		verbose bool
	}{
		{"not go", []string{"pytest", "-q"}, []string{"pytest", "-q"}, false, false, false},
		{"go build", []string{"go", "build"}, []string{"go", "build"}, false, false, false},
		{"adds json", []string{"go", "test", "./..."}, []string{"go", "test", "-json", "./..."}, true, false, false},
		{"path to go", []string{"/usr/local/go/bin/go", "test"}, []string{"/usr/local/go/bin/go", "test", "-json"}, true, false, false},
		{"user json", []string{"go", "test", "-json", "./..."}, []string{"go", "test", "-json", "./..."}, true, true, false},
		{"json=false", []string{"go", "test", "-json=false"}, []string{"go", "test", "-json", "-json=false"}, true, false, false},
		{"verbose", []string{"go", "test", "-v", "./..."}, []string{"go", "test", "-json", "-v", "./..."}, true, false, true},
		{"after -args", []string{"go", "test", ".", "-args", "-json", "-v"}, []string{"go", "test", "-json", ".", "-args", "-json", "-v"}, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, isGo, raw, verbose := GoTestCommand(tt.args)
			if diff := cmp.Diff(tt.run, run); diff != "" {
				t.Errorf("run (-want +got):\n%s", diff)
			}
			if isGo != tt.isGo || raw != tt.raw || verbose != tt.verbose {
				t.Errorf("isGo, raw, verbose = %v, %v, %v; want %v, %v, %v", isGo, raw, verbose, tt.isGo, tt.raw, tt.verbose)
			}
		})
	}
}

// TestRunPytest runs a real pytest that writes JUnit XML, and checks the
// failures are located at the right lines of test_calc.py.
func TestRunPytest(t *testing.T) {
	py := pythonWithPytest(t)
	dir := copyFixture(t, "python")
	var stdout bytes.Buffer
	rep, err := Run(context.Background(), RunOptions{
		Command: []string{py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=out/report.xml"},
		Dir:     dir,
		JUnit:   []string{"out/*.xml"},
		Stdout:  &stdout,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode != 1 {
		t.Errorf("ExitCode = %d, want pytest's 1\n%s", rep.ExitCode, stdout.String())
	}
	want := []failure{
		{"test_calc.test_add_wrong", "test_calc.py:13", "assert 4 == 5\n +  where 4 = add(2, 2)"},
		{"test_calc.test_helper_error", "test_calc.py:17", "ValueError: bad value 7"},
	}
	if diff := cmp.Diff(want, failuresOf(rep)); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Counts{Passed: 1, Failed: 2, Skipped: 1}, rep.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if !strings.Contains(stdout.String(), "2 failed, 1 passed, 1 skipped") {
		t.Errorf("pytest's output was not streamed:\n%s", stdout.String())
	}
}

func TestRunJUnitMissing(t *testing.T) {
	dir := t.TempDir()
	rep, err := Run(context.Background(), RunOptions{
		// The command writes a broken report: only files it wrote count.
		Command: []string{"sh", "-c", "printf '<testsuite><testcase' > broken.xml"},
		Dir:     dir,
		JUnit:   []string{"reports/*.xml", "broken.xml"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed() {
		t.Fatal("a run whose JUnit files are missing or broken passed")
	}
	want := []failure{
		{"broken.xml", "", `parsing JUnit file "broken.xml": XML syntax error on line 1: unexpected EOF`},
		{"reports/*.xml", "", `reading JUnit files "reports/*.xml": no file matches`},
	}
	if diff := cmp.Diff(want, failuresOf(rep)); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

// TestParseGoTestInterleaved mixes the events of two packages line by line,
// as a stream from several concurrently running test binaries may be: the
// report must be the same as for the ordered stream.
func TestParseGoTestInterleaved(t *testing.T) {
	dir := goFixture(t)
	cmd := exec.Command("go", "test", "-json", "./parallel/...")
	cmd.Dir, cmd.Env = dir, goEnv()
	full, err := cmd.Output()
	if err == nil {
		t.Fatal("go test ./parallel/... passed; the fixture has failing tests")
	}
	var a, b [][]byte
	for line := range bytes.Lines(full) {
		if bytes.Contains(line, []byte(`"Package":"example.com/fixture/parallel/a"`)) {
			a = append(a, line)
		} else {
			b = append(b, line)
		}
	}
	if len(a) == 0 || len(b) == 0 {
		t.Fatalf("want events of both packages, got %d and %d", len(a), len(b))
	}
	var mixed []byte
	for i := 0; i < max(len(a), len(b)); i++ {
		if i < len(b) {
			mixed = append(mixed, b[i]...)
		}
		if i < len(a) {
			mixed = append(mixed, a[i]...)
		}
	}
	ordered, err := ParseGoTest(bytes.NewReader(full), dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseGoTest(bytes.NewReader(mixed), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []failure{
		{"example.com/fixture/parallel/a.TestParallel/case2", "parallel/a/par_test.go:16", "case 2 failed in a"},
		{"example.com/fixture/parallel/b.TestParallel/case2", "parallel/b/par_test.go:16", "case 2 failed in b"},
	}
	for name, rep := range map[string]*Report{"ordered": ordered, "interleaved": got} {
		if diff := cmp.Diff(want, failuresOf(rep)); diff != "" {
			t.Errorf("%s: failures (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(Counts{Passed: 6, Failed: 4}, rep.Counts()); diff != "" {
			t.Errorf("%s: counts (-want +got):\n%s", name, diff)
		}
	}
}

// TestRunCanceled: a canceled run interrupts the command and reports the
// interruption as a failure.
func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	rep, err := Run(ctx, RunOptions{Command: []string{"sleep", "30"}, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode != 128+int(syscall.SIGINT) || rep.Passed() {
		t.Errorf("ExitCode = %d, Passed = %v; want %d, false", rep.ExitCode, rep.Passed(), 128+int(syscall.SIGINT))
	}
}
