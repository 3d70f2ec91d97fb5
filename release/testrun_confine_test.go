package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/testreport"
)

// junitSecret is a JUnit report whose failure message would show the
// file's content in the test report, job summary and annotations.
const junitSecret = `<testsuite name="s"><testcase classname="c" name="leak"><failure message="SECRET-OUTSIDE">SECRET-OUTSIDE</failure></testcase></testsuite>`

const junitOK = `<testsuite name="ok"><testcase classname="c" name="passes"/></testsuite>`

// The JUnit globs of .shipflow.yaml are repository content: they match only
// files really inside the repository, never under .git/, and a committed
// link does not take them out. Globs given by the caller (--junit, the
// action's junit input) are trusted and may name files anywhere.
func TestTestRunJUnitStaysInTheRepository(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, root, outside string) TestRunOptions
		// refused is what a failed case says; "" means the run reads the
		// files and passes.
		refused string
	}{
		{"glob reaching .git", func(t *testing.T, root, _ string) TestRunOptions {
			testrunWrite(t, filepath.Join(root, ".git", "config"), junitSecret)
			return TestRunOptions{Config: config.Test{JUnit: []string{"*/config"}}}
		}, "inside .git/"},
		{"committed directory link out", func(t *testing.T, root, outside string) TestRunOptions {
			testrunLink(t, outside, filepath.Join(root, "reports"))
			return TestRunOptions{Config: config.Test{JUnit: []string{"reports/*.xml"}}}
		}, "outside the repository"},
		{"committed file link out, found by **", func(t *testing.T, root, outside string) TestRunOptions {
			testrunLink(t, filepath.Join(outside, "secret.xml"), filepath.Join(root, "build", "r.xml"))
			return TestRunOptions{Config: config.Test{JUnit: []string{"**/*.xml"}}}
		}, "outside the repository"},
		{"a link inside is fine", func(t *testing.T, root, _ string) TestRunOptions {
			testrunWrite(t, filepath.Join(root, "build", "out", "ok.xml"), junitOK)
			testrunLink(t, "build/out", filepath.Join(root, "reports"))
			return TestRunOptions{Config: config.Test{JUnit: []string{"reports/*.xml"}}}
		}, ""},
		{"the caller's own absolute glob", func(t *testing.T, root, outside string) TestRunOptions {
			testrunWrite(t, filepath.Join(outside, "ok.xml"), junitOK)
			return TestRunOptions{JUnit: []string{filepath.Join(outside, "ok.xml")}}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			root, outside := filepath.Join(base, "repo"), filepath.Join(base, "outside")
			testrunWrite(t, filepath.Join(outside, "secret.xml"), junitSecret)
			os.MkdirAll(filepath.Join(root, ".git"), 0o755)
			opts := tt.setup(t, root, outside)
			opts.Root = root
			rep, err := TestRun(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			var msgs []string
			for _, c := range rep.Cases {
				msgs = append(msgs, c.Message)
			}
			all := strings.Join(msgs, "\n")
			if strings.Contains(all, "SECRET-OUTSIDE") {
				t.Fatalf("a file outside the repository was read:\n%s", all)
			}
			if tt.refused == "" {
				if !rep.Passed() || rep.Counts().Passed != 1 {
					t.Fatalf("report = %+v, cases:\n%s", rep.Counts(), all)
				}
				return
			}
			if rep.Passed() || !strings.Contains(all, tt.refused) {
				t.Fatalf("report passed=%v, cases:\n%s\nwant a failed case saying %q", rep.Passed(), all, tt.refused)
			}
		})
	}
}

// A Test section built in code gets config.Parse's rule too.
func TestTestRunRefusesConfigGlobsOutside(t *testing.T) {
	root := t.TempDir()
	_, err := TestRun(context.Background(), TestRunOptions{Root: root, Config: config.Test{JUnit: []string{"ok/*.xml", "/etc/*.xml"}}})
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `test.junit[1]: "/etc/*.xml" is absolute`) {
		t.Fatalf("error = %v, want a *config.Error at test.junit[1]", err)
	}
	var se *testreport.StartError
	if errors.As(err, &se) {
		t.Fatal("a configuration error must not read as a start failure")
	}
}

func testrunWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func testrunLink(t *testing.T, target, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}
