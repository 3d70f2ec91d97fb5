package actions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/testreport"
)

// TestTestManyFailures: 1,500 failing tests count in the outputs and the
// summary, but the check run carries at most maxTestAnnotations of them,
// so reporting stays a few requests instead of one per 50 failures.
func TestTestManyFailures(t *testing.T) {
	repo := gittest.New(t)
	repo.WriteFile("go.mod", "module m\n\ngo 1.22\n")
	repo.Git("add", ".")
	repo.Commit("chore: init")
	var stream strings.Builder
	for i := range 1500 {
		fmt.Fprintf(&stream, `{"Action":"run","Package":"m/p","Test":"T%d"}`+"\n", i)
		fmt.Fprintf(&stream, `{"Action":"output","Package":"m/p","Test":"T%d","Output":"    p_test.go:%d: broke\n"}`+"\n", i, i+1)
		fmt.Fprintf(&stream, `{"Action":"fail","Package":"m/p","Test":"T%d"}`+"\n", i)
	}
	stream.WriteString(`{"Action":"fail","Package":"m/p"}` + "\n")
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "stream.json"), []byte(stream.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// A stand-in `go` that prints the stream: no compiler needed.
	script := "#!/bin/sh\ncat " + filepath.Join(bin, "stream.json") + "\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true})
	s.event("push", "push.main.json", func(p map[string]any) { p["after"] = repo.Head() })
	s.input("test-command", filepath.Join(bin, "go")+" test ./...")
	if _, err := s.run("test", repo.Dir); err != nil {
		t.Fatalf("test: %v\n%.2000s", err, s.log.String())
	}
	if got := s.outputs()["failed"]; got != "1500" {
		t.Errorf("failed = %q, want 1500", got)
	}
	runs := fake.CheckRuns("Codertocat", "Hello-World")
	if len(runs) != 1 || len(runs[0].Annotations) != maxTestAnnotations {
		n := -1
		if len(runs) == 1 {
			n = len(runs[0].Annotations)
		}
		t.Errorf("%d check runs with %d annotations, want 1 with %d", len(runs), n, maxTestAnnotations)
	}
}

// TestTestCannotStart: a test command the runner does not have is a
// *testreport.StartError quoting what the shell said, not an *InputError
// and not a missing report.
func TestTestCannotStart(t *testing.T) {
	repo := gittest.New(t)
	repo.CommitFile(".shipflow.yaml", "test:\n  junit: [reports/junit.xml]\n", "chore: config")
	s := newSim(t)
	s.github(githubfake.Permissions{Push: true})
	s.event("push", "push.main.json", func(p map[string]any) { p["after"] = repo.Head() })
	s.input("test-command", "sh -c pytest-missing-xyz")
	_, err := s.run("test", repo.Dir)
	var se *testreport.StartError
	if !errors.As(err, &se) || errors.As(err, new(*InputError)) {
		t.Fatalf("err = %v (%T), want a *testreport.StartError and no *InputError", err, err)
	}
	if se.ExitCode != 127 || !strings.Contains(se.Stderr, "pytest-missing-xyz: not found") {
		t.Errorf("StartError = %+v, want exit 127 and the shell's message", se)
	}
}
