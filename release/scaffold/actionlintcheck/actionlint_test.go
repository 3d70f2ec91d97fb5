package actionlintcheck

import (
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/shipflow/shipflow/release/scaffold"
)

// lint runs actionlint on one workflow file's content, with shellcheck on
// its run: scripts.
func lint(t *testing.T, path string, data []byte) []*actionlint.Error {
	t.Helper()
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Fatal("actionlint checks run: scripts with shellcheck: apt-get install shellcheck")
	}
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{WorkingDir: t.TempDir(), Shellcheck: sc})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

func workflows() map[string][]byte {
	m := map[string][]byte{}
	for _, f := range scaffold.Files() {
		if strings.HasPrefix(f.Path, ".github/workflows/") {
			m[f.Path] = f.Data
		}
	}
	return m
}

func TestScaffoldWorkflowsPassActionlint(t *testing.T) {
	wf := workflows()
	if len(wf) != 2 {
		t.Fatalf("%d workflows, want 2 (ci.yml, release.yml)", len(wf))
	}
	for path, data := range wf {
		for _, e := range lint(t, path, data) {
			t.Errorf("%s:%d:%d: %s [%s]", path, e.Line, e.Column, e.Message, e.Kind)
		}
	}
}

// TestActionlintCatchesMistakes keeps the test above honest: broken
// variants of the workflows must be reported.
func TestActionlintCatchesMistakes(t *testing.T) {
	wf := workflows()
	cases := []struct {
		name, path, old, new string
	}{
		{"typo in a context", ".github/workflows/ci.yml", "github.event_name == 'push'", "github.event_nme == 'push'"},
		{"unknown step output", ".github/workflows/release.yml", "steps.next.outputs.bump", "steps.nxt.outputs.bump"},
		{"unquoted variable in a script", ".github/workflows/release.yml", `"app:${NEXT_VERSION}"`, `app:$NEXT_VERSION`},
		{"bad event filter", ".github/workflows/ci.yml", "types: [opened, edited, synchronize, reopened]", "types: [opened, editted]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			broken := strings.Replace(string(wf[c.path]), c.old, c.new, 1)
			if broken == string(wf[c.path]) {
				t.Fatalf("%s no longer contains %q", c.path, c.old)
			}
			if errs := lint(t, c.path, []byte(broken)); len(errs) == 0 {
				t.Error("actionlint found nothing")
			}
		})
	}
}
