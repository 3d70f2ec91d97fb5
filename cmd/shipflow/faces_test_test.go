package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
