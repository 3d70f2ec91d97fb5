package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// facesJUnit has two failures at a file and line of the repository, one
// pass and one skip.
const facesJUnit = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="calc" tests="4" failures="2" skipped="1">
  <testcase classname="calc" name="test_add" file="src/calc_test.py" line="3" time="0.01"/>
  <testcase classname="calc" name="test_div" file="src/calc_test.py" line="7" time="0.02">
    <failure message="ZeroDivisionError: division by zero">Traceback: ZeroDivisionError</failure>
  </testcase>
  <testcase classname="calc" name="test_sub, edge: a%b" file="src/calc_test.py" line="11" time="0.01">
    <failure message="assert 1 == 2&#10;second line">assert 1 == 2</failure>
  </testcase>
  <testcase classname="calc" name="test_skip" file="src/calc_test.py" line="14"><skipped message="later"/></testcase>
</testsuite>
`

// TestFacesTest: `shipflow test --junit FILE` in a run: step and the test
// Action with the junit input print the same annotations, each failure at
// its file and line.
func TestFacesTest(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile("src/calc_test.py", strings.Repeat("# line\n", 16), "test: calc")
	path := filepath.Join(g.Dir, "reports", "junit.xml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(facesJUnit), 0o644); err != nil {
		t.Fatal(err)
	}

	f := newFaces(t, g.Dir)
	cli, action := f.cli("test", "--junit", path), f.action("test", map[string]string{"junit": path})
	f.same(cli, action, 2)
	if cli.code != exitFindings || action.code == exitOK {
		t.Errorf("exit codes: cli %d, action %d; want %d and a failure\ncli stderr: %s\naction stderr: %s", cli.code, action.code, exitFindings, cli.stderr, action.stderr)
	}
	got := strings.Join(cli.annotations(), "\n")
	for _, w := range []string{
		"::error file=src/calc_test.py,line=7,title=FAIL%3A calc.test_div::ZeroDivisionError: division by zero",
		"::error file=src/calc_test.py,line=11,title=FAIL%3A calc.test_sub%2C edge%3A a%25b::assert 1 == 2%0Asecond line",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("annotations lack %q:\n%s", w, got)
		}
	}
}

// TestFacesTestConfig: the JUnit glob comes from .shipflow.yaml on both
// faces when neither the flag nor the input gives one.
func TestFacesTestConfig(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile("src/calc_test.py", strings.Repeat("# line\n", 16), "test: calc")
	g.CommitFile(".shipflow.yaml", "test:\n  junit: [reports/*.xml]\n", "chore: config")
	if err := os.MkdirAll(filepath.Join(g.Dir, "reports"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(g.Dir, "reports", "junit.xml"), []byte(facesJUnit), 0o644); err != nil {
		t.Fatal(err)
	}
	f := newFaces(t, g.Dir)
	f.same(f.cli("test"), f.action("test", nil), 2)
}

// TestFacesTestFreshReports: in the repository `shipflow init` scaffolds
// for pytest, with a failing report an earlier run left at the configured
// path, a command given on either face (after --, the test-command input)
// that writes its own report reads that one: both pass, and both say the
// stale file was ignored.
func TestFacesTestFreshReports(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile(".shipflow.yaml", "test:\n  command: [python, -m, pytest, --junitxml=reports/junit.xml]\n  junit: [reports/junit.xml]\n", "chore: config")
	stale := filepath.Join(g.Dir, "reports", "junit.xml")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte(facesJUnit), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	// The command writes a passing report where its own flag says.
	script := filepath.Join(t.TempDir(), "runner.sh")
	body := "#!/bin/sh\nfor a; do case $a in --junitxml=*) f=${a#--junitxml=};; esac; done\nmkdir -p \"$(dirname \"$f\")\"\n" +
		"echo '<testsuite name=\"app\"><testcase classname=\"app\" name=\"test_one\"/><testcase classname=\"app\" name=\"test_two\"/></testsuite>' > \"$f\"\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	f := newFaces(t, g.Dir)
	cli := f.cli("test", "--", script, "--junitxml=out/app.xml")
	action := f.action("test", map[string]string{"test-command": script + " --junitxml=out/app.xml"})
	f.same(cli, action, 1)
	if cli.code != exitOK || action.code != exitOK {
		t.Errorf("exit codes: cli %d, action %d; want 0\ncli stdout: %s\naction stdout: %s", cli.code, action.code, cli.stdout, action.stdout)
	}
	for _, r := range []faceRun{cli, action} {
		if got := strings.Join(r.annotations(), "\n"); !strings.Contains(got, "ignored reports/junit.xml: not written by this run") || strings.Contains(got, "FAIL") {
			t.Errorf("annotations: want the stale report ignored, no failure:\n%s", got)
		}
	}
}

// TestFacesTestCannotStart: a test command that is not installed exits 3
// on both faces, with what the shell said.
func TestFacesTestCannotStart(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile(".shipflow.yaml", "test:\n  junit: [reports/junit.xml]\n", "chore: config")
	f := newFaces(t, g.Dir)
	cli := f.cli("test", "--", "sh", "-c", "pytest-missing-xyz -q")
	action := f.action("test", map[string]string{"test-command": "sh -c pytest-missing-xyz"})
	for name, r := range map[string]faceRun{"cli": cli, "action": action} {
		if r.code != exitFailure {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", name, r.code, exitFailure, r.stdout, r.stderr)
		}
		if out := r.stdout + r.stderr; !strings.Contains(out, "exit status 127 (command not found)") || !strings.Contains(out, "pytest-missing-xyz: not found") || strings.Contains(out, "no file matches") {
			t.Errorf("%s: want the command not found, with its stderr\nstdout: %s\nstderr: %s", name, r.stdout, r.stderr)
		}
	}
}
