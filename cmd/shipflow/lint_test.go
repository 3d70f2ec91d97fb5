package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
	"go.yaml.in/yaml/v3"
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
	binary := filepath.Join(t.TempDir(), "binary.bin")
	if err := os.WriteFile(binary, []byte("feat: x \x00\xff\xfe\x89PNG\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}

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
		{"missing file", g.Dir, "", []string{"lint", "--edit", "nope.txt"}, exitUsage, "nope.txt: no such file"},
		{"directory", g.Dir, "", []string{"lint", "--edit", "."}, exitUsage, "is a directory"},
		{"binary file", g.Dir, "", []string{"lint", "--edit", binary}, exitFindings, "[encoding]"},
		{"range outside a repository", t.TempDir(), "", []string{"lint", "--to", "HEAD"}, exitUsage, "not a git repository"},
		{"missing -C directory", filepath.Join(g.Dir, "nope"), "", []string{"lint", "-m", "feat: fine"}, exitUsage, "no such directory"},
		{"unknown --to with --from-last-tag", g.Dir, "", []string{"lint", "--from-last-tag", "--to", "nope"}, exitUsage, `unknown revision "nope"`},
		{"option as a revision", g.Dir, "", []string{"lint", "--from", "-n"}, exitUsage, "not a revision"},
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

// TestLintNeutralisesControlCharacters: a commit message is anyone's text;
// an escape sequence in it must not reach the terminal that lints it.
func TestLintNeutralisesControlCharacters(t *testing.T) {
	msg := "Feat: \x1b]0;pwned\x07 \x9b31m\n"
	for _, format := range []string{"text", "github"} {
		code, out, _ := runShipflow(t, t.TempDir(), msg, "lint", "--format", format)
		if code != exitFindings {
			t.Fatalf("%s: exit %d", format, code)
		}
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%s output carries control characters: %q", format, out)
		}
		if format == "text" && !strings.Contains(out, "\u241b]0;pwned\u2407") {
			t.Errorf("%s output does not show the escape visibly: %q", format, out)
		}
	}
}

// TestPreCommitHookDefinition checks .pre-commit-hooks.yaml against the CLI:
// the entry, run the way pre-commit runs it (with the message file appended),
// must accept a good message and refuse a bad one.
func TestPreCommitHookDefinition(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID       string   `yaml:"id"`
		Entry    string   `yaml:"entry"`
		Language string   `yaml:"language"`
		Stages   []string `yaml:"stages"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "shipflow-lint" || hooks[0].Language != "golang" || len(hooks[0].Stages) != 1 || hooks[0].Stages[0] != "commit-msg" {
		t.Fatalf("hooks = %+v, want one golang commit-msg hook shipflow-lint", hooks)
	}
	entry := strings.Fields(hooks[0].Entry)
	if len(entry) < 2 || entry[0] != "shipflow" {
		t.Fatalf("entry %q does not run the shipflow binary (go install ./cmd/shipflow)", hooks[0].Entry)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		msg  string
		want int
	}{{"feat(core): add a thing\n", exitOK}, {"Added a thing.\n", exitFindings}} {
		file := filepath.Join(dir, "COMMIT_EDITMSG")
		if err := os.WriteFile(file, []byte(c.msg), 0o644); err != nil {
			t.Fatal(err)
		}
		args := append(append([]string{}, entry[1:]...), file)
		if code, out, errs := runShipflow(t, dir, "", args...); code != c.want {
			t.Errorf("%s on %q: exit %d, want %d\n%s%s", hooks[0].Entry, c.msg, code, c.want, out, errs)
		}
	}
}
