package testreport

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCommandJUnit(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"pytest =", []string{"python", "-m", "pytest", "--junitxml=reports/junit.xml"}, []string{"reports/junit.xml"}},
		{"pytest separate", []string{"pytest", "--junit-xml", "out/py.xml", "-q"}, []string{"out/py.xml"}},
		{"after --", []string{"pytest", "--", "--junitxml=x.xml"}, nil},
		{"wildcards quoted", []string{"pytest", "--junitxml=r[1]*.xml"}, []string{`r\[1]\*.xml`}},
		{"node junit", []string{"node", "--test", "--test-reporter=junit", "--test-reporter-destination=junit.xml"}, []string{"junit.xml"}},
		{"node spec", []string{"node", "--test", "--test-reporter=spec", "--test-reporter-destination=out.txt"}, nil},
		{"node stdout", []string{"node", "--test", "--test-reporter", "junit", "--test-reporter-destination", "stdout"}, nil},
		{"go test", []string{"go", "test", "./..."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, CommandJUnit(tt.args)); diff != "" {
				t.Errorf("CommandJUnit (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunFreshCoarseMtime: a report the command rewrote counts even when
// the file system kept the same modification time (coarse timestamps):
// the size or the file changed. One it left alone is ignored.
func TestRunFreshCoarseMtime(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Minute).Truncate(2 * time.Second)
	for name, body := range map[string]string{
		"a.xml": `<testsuite name="a"><testcase classname="a" name="stale"><failure message="old"/></testcase></testsuite>`,
		"b.xml": `<testsuite name="b"><testcase classname="b" name="stale"><failure message="old"/></testcase></testsuite>`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	// Rewrite a.xml in place and put its old timestamp back, as a file
	// system with 2 s timestamps would show a write in the same tick.
	stamp := old.Format("200601021504.05")
	script := `printf '<testsuite name="a"><testcase classname="a" name="new"/></testsuite>' > a.xml && touch -t ` + stamp + ` a.xml`
	rep, err := Run(context.Background(), RunOptions{Command: []string{"sh", "-c", script}, Dir: dir, JUnit: []string{"*.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Counts{Passed: 1}, rep.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s\n%+v", diff, rep.Warnings)
	}
	if len(rep.Warnings) != 1 || !strings.HasPrefix(rep.Warnings[0], "ignored b.xml: not written by this run") {
		t.Errorf("warnings = %q, want b.xml ignored", rep.Warnings)
	}
}

// TestRunMaybeJUnit: a glob the command may write to is read when it did
// and is no failure when it did not; without a command it is read.
func TestRunMaybeJUnit(t *testing.T) {
	dir := t.TempDir()
	rep, err := Run(context.Background(), RunOptions{Command: []string{"true"}, Dir: dir, MaybeJUnit: []string{"reports/*.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Passed() || len(rep.Cases) != 0 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `wrote no JUnit file matching "reports/*.xml"`) {
		t.Errorf("cases %v, warnings %q; want a pass with the no-result warning naming the glob", rep.Cases, rep.Warnings)
	}
	script := `mkdir -p reports && echo '<testsuite name="s"><testcase classname="c" name="bad"><failure message="no"/></testcase></testsuite>' > reports/r.xml`
	rep, err = Run(context.Background(), RunOptions{Command: []string{"sh", "-c", script}, Dir: dir, MaybeJUnit: []string{"reports/*.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Counts{Failed: 1}, rep.Counts()); diff != "" {
		t.Errorf("written: counts (-want +got):\n%s", diff)
	}
	rep, err = Run(context.Background(), RunOptions{Dir: dir, MaybeJUnit: []string{"reports/*.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Counts{Failed: 1}, rep.Counts()); diff != "" {
		t.Errorf("no command: counts (-want +got):\n%s", diff)
	}
}

// TestRunCannotStart: exit 127 or 126 without a result, or python without
// the module, is a *StartError with the command's stderr; a runner's own
// exit 1 is not.
func TestRunCannotStart(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   string // "" for no StartError
	}{
		{"127", "echo 'sh: 1: pytest: not found' >&2; exit 127", "exit status 127 (command not found): it said:\n    sh: 1: pytest: not found"},
		{"126", "echo 'sh: 1: ./t: Permission denied' >&2; exit 126", "exit status 126 (command not executable)"},
		{"python", "echo '/usr/bin/python3: No module named pytest' >&2; exit 1", "exit status 1 (python module not installed)"},
		{"test failed", "echo 'ModuleNotFoundError: No module named app' >&2; exit 1", ""},
		{"127 with results", `echo '<testsuite name="s"><testcase classname="c" name="ok"/></testsuite>' > r.xml; exit 127`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), RunOptions{Command: []string{"sh", "-c", tt.script}, Dir: t.TempDir(), MaybeJUnit: []string{"r.xml"}})
			var se *StartError
			isStart := err != nil && asStartError(err, &se)
			if tt.want == "" {
				if isStart {
					t.Errorf("got %v, want no StartError", err)
				}
				return
			}
			if !isStart || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a StartError with %q", err, tt.want)
			}
		})
	}
}

func asStartError(err error, se **StartError) bool {
	s, ok := err.(*StartError)
	*se = s
	return ok
}

// TestRunManyStale: a glob over many files from an earlier run names a few
// and counts the rest.
func TestRunManyStale(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for i := range 8 {
		p := filepath.Join(dir, "r"+string(rune('0'+i))+".xml")
		if err := os.WriteFile(p, []byte(`<testsuite name="s"/>`), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Run(context.Background(), RunOptions{Command: []string{"true"}, Dir: dir, MaybeJUnit: []string{"*.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rep.Warnings); n != maxStaleWarnings+2 || rep.Warnings[maxStaleWarnings] != "ignored 3 more JUnit files not written by this run" {
		t.Errorf("warnings = %q; want %d named, a count of the 3 others, the no-result warning", rep.Warnings, maxStaleWarnings)
	}
}
