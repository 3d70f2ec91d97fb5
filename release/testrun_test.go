package release

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/testreport"
)

func TestTestRun(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "web")
	if err := os.MkdirAll(filepath.Join(sub, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "src", "a.test.js"), []byte("1\n2\n3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The command runs in web/ and writes its report under the root, where
	// the config's glob (relative to the root) finds it.
	script := `mkdir -p ../reports && cat > ../reports/r.xml <<'X'
<testsuite name="web"><testcase classname="a" name="adds"/><testcase classname="a" name="breaks"><failure message="boom">Error: boom
    at Object.&lt;anonymous&gt; (src/a.test.js:3:9)</failure></testcase></testsuite>
X
exit 1`
	five := 5
	rep, err := TestRun(context.Background(), TestRunOptions{
		Config: config.Test{Command: []string{"sh", "-c", script}, JUnit: []string{"reports/*.xml"}, Slowest: &five},
		Root:   root,
		Dir:    sub,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode != 1 {
		t.Errorf("ExitCode = %d, want 1", rep.ExitCode)
	}
	type row struct{ Title, Loc, Msg string }
	var got []row
	for _, c := range rep.Failures() {
		got = append(got, row{c.Title(), c.Location(), c.Message})
	}
	want := []row{{"a.breaks", "web/src/a.test.js:3", "boom"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(testreport.Counts{Passed: 1, Failed: 1}, rep.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestTestSlowest(t *testing.T) {
	zero, three := 0, 3
	tests := []struct {
		name string
		cfg  config.Test
		want int
	}{
		{"default", config.Test{}, TestDefaultSlowest},
		{"none", config.Test{Slowest: &zero}, 0},
		{"three", config.Test{Slowest: &three}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TestSlowest(tt.cfg); got != tt.want {
				t.Errorf("TestSlowest = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestTestRunNothing(t *testing.T) {
	if _, err := TestRun(context.Background(), TestRunOptions{Root: t.TempDir()}); err == nil {
		t.Error("TestRun with no command and no JUnit files succeeded")
	}
}

// TestTestRunConfiguredJUnit: the config's JUnit globs bind the configured
// command. Run, it must write them (a file from an earlier run is not
// read); replaced by another command, they are read when that command
// wrote there and no failure when it did not.
func TestTestRunConfiguredJUnit(t *testing.T) {
	stale := `<testsuite name="old"><testcase classname="old" name="gone"><failure message="stale"/></testcase></testsuite>`
	fresh := `mkdir -p reports && echo '<testsuite name="s"><testcase classname="c" name="ok"/></testsuite>' > reports/junit.xml`
	cfg := config.Test{Command: []string{"sh", "-c", "true"}, JUnit: []string{"reports/junit.xml"}}
	tests := []struct {
		name    string
		command []string
		want    testreport.Counts
		failure string // the one failure's message, if any
	}{
		{"configured command wrote nothing", nil, testreport.Counts{Failed: 1}, `reading JUnit files "reports/junit.xml": no file was written by this run (1 from an earlier run ignored)`},
		{"same command given", []string{"sh", "-c", "true"}, testreport.Counts{Failed: 1}, `reading JUnit files "reports/junit.xml": no file was written by this run (1 from an earlier run ignored)`},
		{"other command wrote nothing", []string{"true"}, testreport.Counts{}, ""},
		{"other command wrote the configured path", []string{"sh", "-c", fresh}, testreport.Counts{Passed: 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			name := filepath.Join(root, "reports", "junit.xml")
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(stale), 0o644); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-time.Hour)
			if err := os.Chtimes(name, old, old); err != nil {
				t.Fatal(err)
			}
			rep, err := TestRun(context.Background(), TestRunOptions{Config: cfg, Root: root, Command: tt.command})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rep.Counts()); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if f := rep.Failures(); tt.failure != "" && (len(f) != 1 || f[0].Message != tt.failure) {
				t.Errorf("failures = %+v, want one with %q", f, tt.failure)
			}
			ignored := slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.HasPrefix(w, "ignored reports/junit.xml: not written by this run") })
			if wrote := tt.want.Passed > 0; ignored == wrote {
				t.Errorf("warnings = %q; want the stale report named as ignored unless the command rewrote it", rep.Warnings)
			}
		})
	}
}
