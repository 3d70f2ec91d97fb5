package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/actions"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/testreport"
)

// testFixture copies release/testreport/testdata/name to a temporary
// directory (not a git repository: locations are relative to it).
func testFixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "release", "testreport", "testdata", name)
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// testGoEnv makes `go test` on fixture modules hermetic and offline.
func testGoEnv(t *testing.T) {
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOWORK", "off")
	t.Setenv("GOTOOLCHAIN", "local")
	t.Setenv("GOPROXY", "off")
}

func testPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		c := exec.Command(py, "-c", "import pytest")
		c.Dir = t.TempDir()
		if c.Run() == nil {
			return py
		}
	}
	t.Fatal("no python3 with pytest found; install it: apt-get install -y python3-pytest")
	return ""
}

type testResult struct {
	code           int
	stdout, stderr string
}

func testRun(t *testing.T, env map[string]string, args ...string) testResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, getenv)
	return testResult{code, stdout.String(), stderr.String()}
}

func testRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTestGo: a failing go test is annotated at its file and line, named in
// the summary and the JUnit export, and go test's exit status is kept.
func TestTestGo(t *testing.T) {
	testGoEnv(t)
	dir := testFixture(t, "gomod")
	summary := filepath.Join(t.TempDir(), "summary.md")
	r := testRun(t, map[string]string{"GITHUB_STEP_SUMMARY": summary},
		"-C", dir, "test", "--format", "github", "--junit-out", "junit.xml", "--", "go", "test", "./fail", "./pass")
	if r.code != 1 {
		t.Errorf("exit %d, want go test's 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, s := range []string{
		"::error file=fail/fail_test.go,line=9,title=FAIL%3A example.com/fixture/fail.TestFail::got 1, want 2\n",
		"::error file=fail/fail_test.go,line=14,title=FAIL%3A example.com/fixture/fail.TestSub/bad::sub broke%0Asecond line\n",
		"--- FAIL: TestFail", // the live output
		"FAIL: 6 passed, 3 failed, 2 skipped",
	} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	if strings.Contains(r.stdout, `{"Action"`) || strings.Contains(r.stdout, `"Action":`) {
		t.Errorf("stdout has raw JSON:\n%s", r.stdout)
	}
	md := testRead(t, summary)
	for _, s := range []string{"| example.com/fixture/fail.TestFail | <code>fail/fail_test.go:9</code> | got 1, want 2 |", "| 6 | 3 | 2 |"} {
		if !strings.Contains(md, s) {
			t.Errorf("summary lacks %q:\n%s", s, md)
		}
	}
	f, err := os.Open(filepath.Join(dir, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, err := testreport.ParseJUnit(f, dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(testreport.Counts{Passed: 6, Failed: 3, Skipped: 2}, back.Counts()); diff != "" {
		t.Errorf("JUnit export counts (-want +got):\n%s", diff)
	}
}

// TestTestPytest: a failing pytest test is annotated at its file and line,
// and named in the summary.
func TestTestPytest(t *testing.T) {
	py := testPython(t)
	dir := testFixture(t, "python")
	r := testRun(t, nil, "-C", dir, "test", "--format", "github", "--summary", "summary.md",
		"--junit", "out/*.xml", "--", py, "-m", "pytest", "-p", "no:cacheprovider", "--junitxml=out/py.xml")
	if r.code != 1 {
		t.Errorf("exit %d, want pytest's 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, s := range []string{
		"::error file=test_calc.py,line=13,title=FAIL%3A test_calc.test_add_wrong::assert 4 == 5%0A +  where 4 = add(2, 2)\n",
		"::error file=test_calc.py,line=17,title=FAIL%3A test_calc.test_helper_error::ValueError: bad value 7\n",
		"2 failed, 1 passed, 1 skipped", // pytest's own output, streamed
	} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	md := testRead(t, filepath.Join(dir, "summary.md"))
	for _, s := range []string{"| test\\_calc.test\\_add\\_wrong | <code>test_calc.py:13</code> |", "test\\_calc.test\\_helper\\_error"} {
		if !strings.Contains(md, s) {
			t.Errorf("summary lacks %q:\n%s", s, md)
		}
	}
}

func TestTestExitStatus(t *testing.T) {
	junitDir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(junitDir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pass.xml", `<testsuite name="s"><testcase classname="c" name="ok"/></testsuite>`)
	write("fail.xml", `<testsuite name="s"><testcase classname="c" name="bad"><failure message="no"/></testcase></testsuite>`)
	write("exit7.sh", "exit 7\n")
	tests := []struct {
		name string
		args []string
		code int
		out  string // in stdout or stderr
	}{
		{"pass", []string{"--", "true"}, 0, ""},
		{"status kept", []string{"--", "sh", "-c", "exit 7"}, 7, "FAIL: 0 passed, 1 failed"},
		{"status 2 kept", []string{"--", "sh", "-c", "exit 2"}, 2, "command exited with status 2"},
		{"killed", []string{"--", "sh", "-c", "kill -9 $$"}, 137, "exit status 137"},
		{"not found", []string{"--", "no-such-test-runner-xyz"}, exitFailure, `starting "no-such-test-runner-xyz"`},
		{"junit only pass", []string{"--junit", "pass.xml"}, 0, "PASS: 1 passed"},
		{"junit only fail", []string{"--junit", "*.xml"}, exitFindings, "c.bad"},
		{"command passes, junit fails", []string{"--junit", "out/fail.xml", "--", "sh", "-c", "mkdir -p out && cp fail.xml out/"}, exitFindings, "c.bad"},
		{"junit missing", []string{"--junit", "none/*.xml", "--", "true"}, exitFindings, `"none/*.xml": no file matches`},
		{"nothing to do", nil, exitUsage, "nothing to run"},
		{"test-command flag", []string{"--test-command", "sh exit7.sh"}, 7, "FAIL: 0 passed, 1 failed"},
		{"command after -- beats --test-command", []string{"--test-command", "sh exit7.sh", "--", "true"}, 0, ""},
		{"junit flag comma-separated", []string{"--junit", "pass.xml,fail.xml"}, exitFindings, "1 passed, 1 failed"},
		{"no dash", []string{"go", "test"}, exitUsage, "put the test command after --"},
		{"bad format", []string{"--format", "xml", "--", "true"}, exitUsage, `unknown --format "xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRun(t, nil, append([]string{"-C", junitDir, "test"}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, tt.out) {
				t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", tt.out, r.stdout, r.stderr)
			}
		})
	}
}

func TestTestJSON(t *testing.T) {
	dir := t.TempDir()
	r := testRun(t, nil, "-C", dir, "test", "--format", "json", "--", "sh", "-c", "echo live; exit 3")
	if r.code != 3 {
		t.Errorf("exit %d, want 3", r.code)
	}
	var got struct {
		Passed   bool
		Counts   testreport.Counts
		ExitCode int `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if got.Passed || got.ExitCode != 3 || got.Counts.Failed != 1 {
		t.Errorf("report = %+v", got)
	}
	if !strings.Contains(r.stderr, "live") {
		t.Errorf("the command's output did not go to stderr: %q", r.stderr)
	}
}

func TestTestConfigAndProgress(t *testing.T) {
	testGoEnv(t)
	dir := testFixture(t, "gomod")
	cfg := "test:\n  command: [go, test, ./pass]\n  slowest: 0\n"
	if err := os.WriteFile(filepath.Join(dir, ".shipflow.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r := testRun(t, nil, "-C", dir, "test", "--progress", "always")
	if r.code != 0 {
		t.Errorf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "PASS: 4 passed, 0 failed, 1 skipped") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "running: ") || !strings.Contains(r.stderr, "\r\033[K") {
		t.Errorf("no progress line on stderr: %q", r.stderr)
	}

	if err := os.WriteFile(filepath.Join(dir, ".shipflow.yaml"), []byte("test:\n  comand: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = testRun(t, nil, "-C", dir, "test", "--", "true")
	if r.code != exitUsage || !strings.Contains(r.stderr, "comand") {
		t.Errorf("bad config: exit %d, stderr %q; want 2 naming the key", r.code, r.stderr)
	}
}

// TestTestInRepo: in a repository, locations are relative to its top level,
// whatever directory the tests run in; the config comes from the top level.
func TestTestInRepo(t *testing.T) {
	testGoEnv(t)
	repo := gittest.New(t)
	svc := filepath.Join(repo.Dir, "services", "api")
	if err := os.CopyFS(svc, os.DirFS(filepath.Join("..", "..", "release", "testreport", "testdata", "gomod"))); err != nil {
		t.Fatal(err)
	}
	repo.WriteFile(".shipflow.yaml", "test:\n  slowest: 0\n")
	r := testRun(t, nil, "-C", svc, "test", "--format", "github", "--", "go", "test", "./fail")
	if r.code != 1 {
		t.Errorf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	want := "::error file=services/api/fail/fail_test.go,line=9,title=FAIL%3A example.com/fixture/fail.TestFail::got 1, want 2\n"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
	}
}

// testStubGo writes a stand-in `go` running script with sh, so `shipflow
// test -- STUB test ./...` reads its output as a `go test -json` stream.
func testStubGo(t *testing.T, script string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "go")
	if err := os.WriteFile(name, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return name
}

// testHangGuard bounds waits; it fails a hung test, it asserts no speed.
const testHangGuard = 3 * time.Minute

// TestTestInterrupted sends SIGTERM to a real `shipflow test` process (this
// test binary run as the real main, signal handling included) while its
// test command has printed 200 results and sleeps. shipflow forwards the
// signal to the command's process group, kills what ignores it after the
// grace, prints the partial report marked INTERRUPTED, writes the summary
// and JUnit files, and exits 143; no process of the command is left.
func TestTestInterrupted(t *testing.T) {
	bin, err := exec.LookPath("shipflow-main")
	if err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	var stream strings.Builder
	for i := range 200 {
		fmt.Fprintf(&stream, `{"Action":"run","Package":"m/p","Test":"T%d"}`+"\n", i)
		if i%20 == 19 {
			fmt.Fprintf(&stream, `{"Action":"output","Package":"m/p","Test":"T%d","Output":"    p_test.go:%d: T%d broke\n"}`+"\n", i, i+1, i)
			fmt.Fprintf(&stream, `{"Action":"fail","Package":"m/p","Test":"T%d"}`+"\n", i)
		} else {
			fmt.Fprintf(&stream, `{"Action":"pass","Package":"m/p","Test":"T%d"}`+"\n", i)
		}
	}
	if err := os.WriteFile(filepath.Join(state, "stream.json"), []byte(stream.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	goBin := testStubGo(t, `
echo $$ > "$STATE/leader.pid"
sh -c 'trap "" TERM INT; echo $$ > "$STATE/stubborn.pid"; exec sleep 600' &
sleep 600 &
echo $! > "$STATE/sleeper.pid"
cat "$STATE/stream.json"
while [ ! -s "$STATE/stubborn.pid" ]; do sleep 0.01; done
echo done > "$STATE/printed"
wait
`)
	cmd := exec.Command(bin, "-C", state, "test", "--summary", "summary.md", "--junit-out", "junit.xml", "--", goBin, "test", "./...")
	cmd.Env = append(os.Environ(), "STATE="+state)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pids []int
	defer func() {
		// Only if the test failed: leave nothing running.
		cmd.Process.Kill()
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(testHangGuard); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(state, "printed")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the test command did not print its results within %v\nstderr:\n%s", testHangGuard, stderr.String())
		}
	}
	for _, f := range []string{"leader.pid", "stubborn.pid", "sleeper.pid"} {
		b, err := os.ReadFile(filepath.Join(state, f))
		if err != nil {
			t.Fatal(err)
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(testHangGuard):
		t.Fatalf("shipflow test did not exit within %v of SIGTERM", testHangGuard)
	}
	if code := cmd.ProcessState.ExitCode(); code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit %d, want %d (128+SIGTERM)\nstderr:\n%s", code, 128+int(syscall.SIGTERM), stderr.String())
	}
	out := stdout.String()
	for _, s := range []string{"--- FAIL: m/p.T199", "p_test.go:200: T199 broke", "interrupted (terminated signal received)", "INTERRUPTED: 190 passed, 10 failed"} {
		if !strings.Contains(out, s) {
			t.Errorf("stdout lacks %q:\n%s", s, out)
		}
	}
	if md := testRead(t, filepath.Join(state, "summary.md")); !strings.Contains(md, "interrupted") || !strings.Contains(md, "m/p.T199") {
		t.Errorf("summary:\n%s", md)
	}
	if x := testRead(t, filepath.Join(state, "junit.xml")); !strings.Contains(x, `failures="10"`) {
		t.Errorf("junit.xml:\n%.2000s", x)
	}
	for _, pid := range pids {
		if !testWaitGone(pid) {
			t.Errorf("process %d of the test command is still running", pid)
		}
	}
}

// testWaitGone waits for pid to end (a zombie nobody reaped counts as
// ended), up to the hang guard, and reports whether it did.
func testWaitGone(pid int) bool {
	for deadline := time.Now().Add(testHangGuard); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return true
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return true
		}
		if s := string(b); strings.Contains(s[strings.LastIndexByte(s, ')')+1:], " Z ") {
			return true
		}
	}
	return false
}

// TestTestNoResultsWarning: a command that exits 0 with no test result
// read passes, with a warning in every format.
func TestTestNoResultsWarning(t *testing.T) {
	goBin := testStubGo(t, "echo 'this is not go test -json'\n")
	for _, tt := range []struct{ format, want string }{
		{"text", "warning: "},
		{"json", `"warnings": [`},
		{"github", "::warning title=shipflow test::"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			dir := t.TempDir()
			r := testRun(t, map[string]string{"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md")},
				"-C", dir, "test", "--format", tt.format, "--", goBin, "test", "./...")
			if r.code != 0 {
				t.Errorf("exit %d, want 0 (a warning, not a failure)\nstderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.want) || !strings.Contains(r.stdout, "no test result was read") {
				t.Errorf("stdout lacks %q and the warning:\n%s", tt.want, r.stdout)
			}
		})
	}
}

// TestTestGitHubLimit: like the Action, the github format annotates at
// most actions.MaxStepAnnotations findings of each level (the runner drops
// the rest) and says how many it left to the report and the summary.
func TestTestGitHubLimit(t *testing.T) {
	var fs []report.Finding
	for i := range 25 {
		fs = append(fs, report.Finding{Level: report.Error, Title: fmt.Sprint("e", i), Message: "m"})
	}
	fs = append(fs, report.Finding{Level: report.Warning, Title: "w", Message: "m"})
	var b strings.Builder
	if err := testWriteGitHub(&b, fs); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "::error "); n != actions.MaxStepAnnotations {
		t.Errorf("%d error commands, want %d:\n%s", n, actions.MaxStepAnnotations, out)
	}
	for _, s := range []string{"::warning title=w::m\n", "\n15 more findings are not annotated (the runner shows 10 per step)"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

// testScaffoldedPython makes a repository like the one `shipflow init`
// scaffolds for pytest (release/scaffold: the command writes
// reports/junit.xml and test.junit reads it), with two passing tests. The
// configured command runs py, the python that has pytest here.
func testScaffoldedPython(t *testing.T, py string) *gittest.Repo {
	t.Helper()
	g := gittest.New(t)
	g.CommitFile("test_app.py", "def test_one():\n    assert 1 + 1 == 2\n\n\ndef test_two():\n    assert 'a' in 'abc'\n", "test: app")
	g.CommitFile(".shipflow.yaml", "test:\n  command: ["+py+", -m, pytest, -p, no:cacheprovider, --junitxml=reports/junit.xml]\n  junit: [reports/junit.xml]\n", "chore: shipflow")
	return g
}

// testStaleReport writes reports/junit.xml as an earlier run left it: a
// failing test, modified an hour ago.
func testStaleReport(t *testing.T, dir string) {
	t.Helper()
	name := filepath.Join(dir, "reports", "junit.xml")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	stale := `<testsuite name="old"><testcase classname="old" name="test_gone"><failure message="stale failure"/></testcase></testsuite>`
	if err := os.WriteFile(name, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
}

// TestTestScaffoldedPytest: in the repository `shipflow init` scaffolds,
// a passing pytest run passes, whatever command is given after --: the
// configured JUnit path is read when the command wrote it and ignored when
// it did not, a report from an earlier run is never read, and the
// command's own --junitxml is read.
func TestTestScaffoldedPytest(t *testing.T) {
	py := testPython(t)
	pytest := []string{py, "-m", "pytest", "-p", "no:cacheprovider"}
	tests := []struct {
		name    string
		stale   bool
		args    []string
		want    []string // in stdout
		notWant []string
	}{
		{"configured command", false, nil, []string{"PASS: 2 passed"}, nil},
		{"configured command, stale report", true, nil, []string{"PASS: 2 passed"}, []string{"stale failure"}},
		{"command without a report", false, append([]string{"--"}, pytest...),
			[]string{"2 passed", "PASS", "no test result was read"}, nil},
		{"command without a report, stale report", true, append([]string{"--"}, pytest...),
			[]string{"2 passed", "PASS", "ignored reports/junit.xml: not written by this run"}, []string{"stale failure"}},
		{"command with its own report", true, append(append([]string{"--"}, pytest...), "--junitxml=out/py.xml"),
			[]string{"PASS: 2 passed", "ignored reports/junit.xml"}, []string{"stale failure", "no test result was read"}},
		{"command writing the configured report", true, append(append([]string{"--"}, pytest...), "--junitxml=reports/junit.xml"),
			[]string{"PASS: 2 passed"}, []string{"stale failure", "ignored"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := testScaffoldedPython(t, py)
			if tt.stale {
				testStaleReport(t, g.Dir)
			}
			r := testRun(t, nil, append([]string{"-C", g.Dir, "test", "--format", "github"}, tt.args...)...)
			if r.code != 0 {
				t.Errorf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(r.stdout, s) {
					t.Errorf("stdout has %q:\n%s", s, r.stdout)
				}
			}
		})
	}
}

// TestTestStaleReportFails: a report the command was to write (--junit)
// that only an earlier run wrote is a failure, named as such, not read.
func TestTestStaleReportFails(t *testing.T) {
	dir := t.TempDir()
	testStaleReport(t, dir)
	r := testRun(t, nil, "-C", dir, "test", "--junit", "reports/*.xml", "--", "true")
	if r.code != exitFindings {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	for _, s := range []string{`"reports/*.xml": no file was written by this run`, "ignored reports/junit.xml"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "stale failure") {
		t.Errorf("the stale report was read:\n%s", r.stdout)
	}
}

// TestTestCannotStart: a command that cannot start — not found by exec,
// by a shell (exit 127), not executable (126), or a python module that is
// not installed — exits 3 with what it said, not "no report file".
func TestTestCannotStart(t *testing.T) {
	py := testPython(t)
	tests := []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"exec", []string{"no-such-test-runner-xyz"}, []string{`starting "no-such-test-runner-xyz"`, "executable file not found"}},
		{"shell 127", []string{"sh", "-c", "pytest-not-installed-xyz -q"}, []string{`starting "sh": exit status 127`, "pytest-not-installed-xyz: not found"}},
		{"not executable", []string{"sh", "-c", "./notexec.sh"}, []string{"exit status 126", "Permission denied"}},
		{"python module", []string{py, "-m", "no_such_pytest_xyz"}, []string{"exit status 1", "No module named no_such_pytest_xyz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := testScaffoldedPython(t, py)
			if err := os.WriteFile(filepath.Join(g.Dir, "notexec.sh"), []byte("#!/bin/sh\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := testRun(t, nil, append([]string{"-C", g.Dir, "test", "--"}, tt.args...)...)
			if r.code != exitFailure {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFailure, r.stdout, r.stderr)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if strings.Contains(r.stdout+r.stderr, "no file matches") || strings.Contains(r.stdout+r.stderr, "no file was written") {
				t.Errorf("reported as a missing report:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			}
		})
	}
}

// TestTestFailedWithoutReport: a command that ran, failed and wrote no
// report is one failure saying so, with its status and the end of its
// stderr.
func TestTestFailedWithoutReport(t *testing.T) {
	dir := t.TempDir()
	r := testRun(t, nil, "-C", dir, "test", "--junit", "reports/*.xml", "--", "sh", "-c", "echo early >&2; echo 'conftest.py: bad fixture' >&2; exit 4")
	if r.code != 4 {
		t.Errorf("exit %d, want the command's 4\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, s := range []string{"FAIL: 0 passed, 1 failed", "exited with status 4 and wrote no test report", `"reports/*.xml"`, "conftest.py: bad fixture"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
}
