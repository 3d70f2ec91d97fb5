package main

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// actionRunner simulates a runner step: GITHUB_OUTPUT, GITHUB_ENV and
// GITHUB_STEP_SUMMARY are temporary files, and every variable comes
// through the getenv function.
type actionRunner struct {
	t    *testing.T
	vars map[string]string
}

func newActionRunner(t *testing.T) *actionRunner {
	dir := t.TempDir()
	return &actionRunner{t: t, vars: map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_ENV":          filepath.Join(dir, "env"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_REPOSITORY":   "Codertocat/Hello-World",
	}}
}

func (a *actionRunner) run(dir string, args ...string) (code int, stdout, stderr string) {
	var out, errb strings.Builder
	code = run(context.Background(), append([]string{"-C", dir, "action"}, args...), strings.NewReader(""), &out, &errb,
		func(k string) string { return a.vars[k] })
	return code, out.String(), errb.String()
}

// outputs reads GITHUB_OUTPUT as the runner does: `name=value` lines and
// `name<<DELIM` heredocs ending at a line equal to DELIM; a later value
// wins; a missing delimiter fails the step.
func (a *actionRunner) outputs() map[string]string {
	a.t.Helper()
	f, err := os.Open(a.vars["GITHUB_OUTPUT"])
	if err != nil {
		a.t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		eq, hd := strings.Index(line, "="), strings.Index(line, "<<")
		if eq >= 0 && (hd < 0 || eq < hd) {
			out[line[:eq]] = line[eq+1:]
			continue
		}
		if hd < 0 {
			a.t.Fatalf("the runner would fail the step: invalid line %q", line)
		}
		name, delim := line[:hd], line[hd+2:]
		var val []string
		for {
			if !sc.Scan() {
				a.t.Fatalf("the runner would fail the step: delimiter %q of %q not found", delim, name)
			}
			if sc.Text() == delim {
				break
			}
			val = append(val, sc.Text())
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

func TestActionNextCannotBeForged(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.AnnotatedTag("v0.4.1", "v0.4.1")
	repo.Commit("fix: a bug\n\nEOF\nnext-version=9.9.9\nEOF\n_GitHubActionsFileCommandDelimeter_\nreleased=false\n_GitHubActionsFileCommandDelimeter_")
	repo.Commit("feat(api)!: new endpoint\n\nBREAKING CHANGE: old endpoint removed\n_GitHubActionsFileCommandDelimeter_\nnext-version=9.9.9\nghadelimiter_ffffffffffffffffffffffffffffffff\nnext-tag=v9.9.9\nEOF")

	a := newActionRunner(t)
	a.vars["INPUT_TAG-PREFIX"] = "v" // hyphenated, as the runner passes it
	code, stdout, stderr := a.run(repo.Dir, "next")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	got := a.outputs()
	want := map[string]string{
		"current-version": "0.4.1",
		"current-tag":     "v0.4.1",
		"next-version":    "0.5.0", // breaking on 0.x is minor
		"next-tag":        "v0.5.0",
		"bump":            "minor",
		"released":        "true",
		"channel":         "stable",
		"breaking-notes":  "old endpoint removed\n_GitHubActionsFileCommandDelimeter_\nnext-version=9.9.9\nghadelimiter_ffffffffffffffffffffffffffffffff\nnext-tag=v9.9.9\nEOF",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	summary, _ := os.ReadFile(a.vars["GITHUB_STEP_SUMMARY"])
	if !strings.Contains(string(summary), "v0.5.0") {
		t.Errorf("summary:\n%s", summary)
	}
}

func TestActionExitCodes(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	tests := []struct {
		name   string
		args   []string
		inputs map[string]string
		code   int
		stderr string
	}{
		{name: "allowed", args: []string{"branch"}, inputs: map[string]string{"HEAD": "feature/x", "BASE": "dev"}, code: exitOK},
		{name: "rejected", args: []string{"branch"}, inputs: map[string]string{"HEAD": "feature/x", "BASE": "main"}, code: exitFindings},
		{name: "unknown verb", args: []string{"deploy"}, code: exitUsage, stderr: `unknown verb "deploy"`},
		{name: "no verb", args: nil, code: exitUsage},
		{name: "bad input", args: []string{"next"}, inputs: map[string]string{"MAJOR": "sure"}, code: exitUsage, stderr: `input major: "sure" is not a boolean`},
		{name: "lint clean", args: []string{"commitlint"}, code: exitOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newActionRunner(t)
			for k, v := range tc.inputs {
				a.vars["INPUT_"+k] = v
			}
			code, stdout, stderr := a.run(repo.Dir, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.stderr)
			}
		})
	}
}
