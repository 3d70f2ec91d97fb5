package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// faces runs one verb both ways shipflow runs in GitHub Actions, on the
// same repository, event and environment: the CLI in a `run:` step
// (`shipflow VERB ARGS... --format github`) and the Action (`shipflow
// action VERB` with INPUT_* variables). Each verb's test in
// faces_*_test.go checks that both print the same findings.
type faces struct {
	t *testing.T
	// dir is the repository.
	dir string
	// vars is the environment both runs see: GITHUB_ACTIONS=true, a
	// repository, and whatever a test adds (GITHUB_EVENT_NAME,
	// GITHUB_EVENT_PATH, ...).
	vars map[string]string
}

func newFaces(t *testing.T, dir string) *faces {
	return &faces{t: t, dir: dir, vars: map[string]string{
		"GITHUB_ACTIONS":    "true",
		"GITHUB_REPOSITORY": "Codertocat/Hello-World",
	}}
}

// event makes the run's event name and payload (a webhook JSON document).
func (f *faces) event(name, payload string) {
	f.t.Helper()
	path := filepath.Join(f.t.TempDir(), "event.json")
	if err := os.WriteFile(path, []byte(payload), 0o644); err != nil {
		f.t.Fatal(err)
	}
	f.vars["GITHUB_EVENT_NAME"], f.vars["GITHUB_EVENT_PATH"] = name, path
}

// faceRun is what one face printed.
type faceRun struct {
	code           int
	stdout, stderr string
}

// commands returns the workflow commands of the run's stdout that are
// annotations (::error, ::warning, ::notice), in order.
func (r faceRun) annotations() []string {
	var out []string
	for _, line := range strings.Split(r.stdout, "\n") {
		for _, p := range []string{"::error", "::warning", "::notice"} {
			if strings.HasPrefix(line, p+" ") || strings.HasPrefix(line, p+"::") {
				out = append(out, line)
			}
		}
	}
	return out
}

// cli runs `shipflow -C dir args...` (add --format github where the verb
// has formats: GITHUB_ACTIONS=true makes it the default too).
func (f *faces) cli(args ...string) faceRun {
	return f.run(nil, append([]string{"-C", f.dir}, args...))
}

// action runs `shipflow -C dir action verb` with inputs as INPUT_*
// variables (hyphens kept, as the runner keeps them), its report mode
// none so no server is needed, and fresh GITHUB_OUTPUT, GITHUB_ENV and
// GITHUB_STEP_SUMMARY files.
func (f *faces) action(verb string, inputs map[string]string) faceRun {
	tmp := f.t.TempDir()
	extra := map[string]string{
		"INPUT_REPORT":        "none",
		"GITHUB_OUTPUT":       filepath.Join(tmp, "output"),
		"GITHUB_ENV":          filepath.Join(tmp, "env"),
		"GITHUB_STEP_SUMMARY": filepath.Join(tmp, "summary"),
	}
	for k, v := range inputs {
		extra["INPUT_"+strings.ToUpper(k)] = v
	}
	return f.run(extra, []string{"-C", f.dir, "action", verb})
}

func (f *faces) run(extra map[string]string, args []string) faceRun {
	var out, errb strings.Builder
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, func(k string) string {
		if v, ok := extra[k]; ok {
			return v
		}
		return f.vars[k]
	})
	return faceRun{code: code, stdout: out.String(), stderr: errb.String()}
}

// same fails the test unless both runs printed the same annotations, byte
// for byte, and at least want of them (so a test cannot pass by both
// printing nothing).
func (f *faces) same(cli, action faceRun, want int) {
	f.t.Helper()
	a, b := cli.annotations(), action.annotations()
	if diff := cmp.Diff(a, b); diff != "" {
		f.t.Errorf("the CLI and the Action print different annotations (-cli +action):\n%s\ncli stdout:\n%s\naction stdout:\n%s", diff, cli.stdout, action.stdout)
	}
	if len(a) < want {
		f.t.Errorf("got %d annotations, want at least %d:\ncli stdout:\n%s\ncli stderr:\n%s", len(a), want, cli.stdout, cli.stderr)
	}
}
