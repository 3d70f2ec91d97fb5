package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// runShipflow runs the CLI in-process in dir and returns the exit code and
// the two output streams.
func runShipflow(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	all := append([]string{"-C", dir}, args...)
	code := run(context.Background(), all, strings.NewReader(stdin), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

func TestLintExitCodes(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: start")
	g.Tag("v1.0.0")
	g.Commit("Added a thing.")
	shallow := g.Clone("--depth=1")

	tests := []struct {
		name  string
		dir   string
		stdin string
		args  []string
		want  int
		out   string // substring of stdout+stderr
	}{
		{"clean message", g.Dir, "feat(core): add a thing\n", []string{"lint"}, exitOK, ""},
		{"bad message", g.Dir, "Added a thing.\n", []string{"lint"}, exitFindings, "[header-format]"},
		{"warning only", g.Dir, "feat: x\nbody\n", []string{"lint"}, exitOK, "warning:"},
		{"warning strict", g.Dir, "feat: x\nbody\n", []string{"lint", "--strict"}, exitFindings, "warning:"},
		{"bad range", g.Dir, "", []string{"lint", "--from", "v1.0.0"}, exitFindings, "Added a thing."},
		{"unknown ref", g.Dir, "", []string{"lint", "--from", "v2.0.0"}, exitUsage, `unknown revision "v2.0.0"`},
		{"shallow", shallow.Dir, "", []string{"lint", "--to", "HEAD"}, exitFailure, "fetch-depth: 0"},
		{"usage", g.Dir, "", []string{"lint", "--message", "x", "--from", "HEAD"}, exitUsage, "none of the others can be"},
		{"unknown verb", g.Dir, "", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"empty message", g.Dir, "", []string{"lint"}, exitFindings, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runShipflow(t, tt.dir, tt.stdin, tt.args...)
			if code != tt.want {
				t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.want, out, errs)
			}
			if !strings.Contains(out+errs, tt.out) {
				t.Errorf("output does not contain %q\nstdout:\n%s\nstderr:\n%s", tt.out, out, errs)
			}
		})
	}
}

func TestLintConfigErrorIsUsage(t *testing.T) {
	g := gittest.New(t)
	if err := os.WriteFile(filepath.Join(g.Dir, ".shipflow.yaml"), []byte("lint:\n  strikt: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runShipflow(t, g.Dir, "feat: x\n", "lint")
	if code != exitUsage || !strings.Contains(errs, ".shipflow.yaml:2:3: unknown key \"strikt\"") {
		t.Fatalf("code = %d, stderr = %q", code, errs)
	}
}

func TestLintHugeMessageDoesNotPanic(t *testing.T) {
	msg := "feat: big\n\n" + strings.Repeat("word ", 2<<20) + "\n"
	code, out, _ := runShipflow(t, t.TempDir(), msg, "lint")
	if code != exitFindings || !strings.Contains(out, "body-max-line-length") {
		t.Fatalf("code = %d, out = %.300s", code, out)
	}
}
