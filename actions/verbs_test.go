package actions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

func TestTest(t *testing.T) {
	repo := gittest.New(t)
	for _, f := range []string{"go.mod", "calc_test.go"} {
		data, err := os.ReadFile(filepath.Join("testdata", "gotest", f+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		repo.WriteFile(f, string(data))
	}
	repo.Git("add", ".")
	repo.Commit("test: fixture")
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true})
	s.event("push", "push.main.json", func(p map[string]any) { p["after"] = repo.Head() })
	s.input("test-command", "go test ./...")
	rep, err := s.run("test", repo.Dir)
	if err != nil {
		t.Fatalf("test: %v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Failed {
		t.Errorf("conclusion %s, want failure", rep.Conclusion)
	}
	want := map[string]string{"passed": "1", "failed": "1", "skipped": "1", "exit-code": "1"}
	if diff := cmp.Diff(want, s.outputs()); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if !strings.Contains(s.log.String(), "::error file=calc_test.go,line=12,") {
		t.Errorf("no annotation at calc_test.go:12; log:\n%s", s.log.String())
	}
	if !strings.Contains(s.log.String(), "::group::shipflow test: go test ./...") {
		t.Error("the test output is not grouped")
	}
	if !strings.Contains(s.summary(), "TestSubtract") {
		t.Errorf("summary does not name the failed test:\n%s", s.summary())
	}
	runs := fake.CheckRuns("Codertocat", "Hello-World")
	if len(runs) != 1 || len(runs[0].Annotations) != 1 || runs[0].Annotations[0].Path != "calc_test.go" || runs[0].Annotations[0].StartLine != 12 {
		t.Errorf("check runs %+v", runs)
	}
}

func TestTestNeedsSomethingToRun(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("chore: init")
	s := newSim(t)
	if _, err := s.run("test", repo.Dir); err == nil || !strings.Contains(err.Error(), "nothing to run") {
		t.Errorf("err = %v", err)
	}
}

func TestChangelog(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.AnnotatedTag("v1.0.0", "v1.0.0")
	repo.Commit("feat(api): add the search endpoint")
	repo.Commit("fix: crash on empty input")
	s := newSim(t)
	rep, err := s.run("changelog", repo.Dir)
	if err != nil {
		t.Fatalf("changelog: %v\n%s", err, s.log.String())
	}
	out := s.outputs()
	if out["version"] != "1.1.0" || out["tag"] != "v1.1.0" || out["written"] != "true" {
		t.Errorf("outputs %v", out)
	}
	data, err := os.ReadFile(filepath.Join(repo.Dir, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1.1.0", "add the search endpoint", "crash on empty input"} {
		if !strings.Contains(string(data), want) || !strings.Contains(out["notes"], want) {
			t.Errorf("CHANGELOG.md or the notes output lack %q:\n%s", want, data)
		}
	}
	if rep.Conclusion != Success {
		t.Errorf("conclusion %s", rep.Conclusion)
	}

	// A second run adds nothing.
	s2 := newSim(t)
	if _, err := s2.run("changelog", repo.Dir); err != nil {
		t.Fatal(err)
	}
	if got := s2.outputs()["written"]; got != "false" {
		t.Errorf("second run written = %s", got)
	}
	again, _ := os.ReadFile(filepath.Join(repo.Dir, "CHANGELOG.md"))
	if string(again) != string(data) {
		t.Error("second run changed CHANGELOG.md")
	}
}

func TestReleaseDryRun(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.AnnotatedTag("v0.1.0", "v0.1.0")
	repo.Commit("fix: a bug")
	repo.InitBare("origin")
	repo.Git("push", "-q", "origin", "main", "--tags")
	s := newSim(t)
	s.input("dry-run", "true")
	rep, err := s.run("release", repo.Dir)
	if err != nil {
		t.Fatalf("release: %v\n%s", err, s.log.String())
	}
	out := s.outputs()
	if out["released"] != "false" || out["version"] != "0.1.1" || out["tag"] != "v0.1.1" || !strings.Contains(out["notes"], "a bug") {
		t.Errorf("outputs %v", out)
	}
	if rep.Conclusion != Success || !strings.Contains(s.summary(), "dry run") {
		t.Errorf("conclusion %s, summary:\n%s", rep.Conclusion, s.summary())
	}
	if tags := repo.Git("tag", "--list"); tags != "v0.1.0" {
		t.Errorf("a dry run made tags: %q", tags)
	}
}

func TestReleaseRefusedOffMain(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.Branch("dev")
	repo.Commit("feat: second")
	repo.InitBare("origin")
	s := newSim(t)
	s.input("dry-run", "true")
	rep, err := s.run("release", repo.Dir)
	if err != nil {
		t.Fatalf("release: %v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Failed || s.outputs()["released"] != "false" || s.commands()["error"] == 0 {
		t.Errorf("conclusion %s, outputs %v, log:\n%s", rep.Conclusion, s.outputs(), s.log.String())
	}
}
