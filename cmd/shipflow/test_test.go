package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
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
		{"command passes, junit fails", []string{"--junit", "fail.xml", "--", "true"}, exitFindings, "c.bad"},
		{"junit missing", []string{"--junit", "none/*.xml", "--", "true"}, exitFindings, `"none/*.xml": no file matches`},
		{"nothing to do", nil, exitUsage, "nothing to run"},
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
