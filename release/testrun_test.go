package release

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
