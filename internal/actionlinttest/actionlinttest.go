// Package actionlinttest runs actionlint v1.7.12 (with shellcheck for run:
// scripts) from tests, for every package that writes workflow or action
// files: the repository's own workflows, the actions' metadata and the
// workflows `shipflow init` scaffolds.
//
// actionlint runs as a program, not as a library: v1.7.12 needs
// go.yaml.in/yaml/v4 v4.0.0-rc.3, whose API changed in v4.0.0, which this
// module needs through kin-openapi, so the library does not compile here.
// `go install pkg@version` builds it with its own go.mod, once per machine.
package actionlinttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Version is the actionlint every workflow must pass.
const Version = "v1.7.12"

var (
	once    sync.Once
	binPath string
	binErr  error
)

// Binary returns the path of actionlint, built once with `go install` into
// the user cache directory.
func Binary(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir := filepath.Join(cache, "shipflow-test", "actionlint-"+Version)
		binPath = filepath.Join(dir, "actionlint")
		if _, err := os.Stat(binPath); err == nil {
			return
		}
		cmd := exec.Command("go", "install", "github.com/rhysd/actionlint/cmd/actionlint@"+Version)
		cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go install actionlint@%s: %v\n%s", Version, err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// Error is one finding of actionlint's JSON output.
type Error struct {
	Message  string `json:"message"`
	Filepath string `json:"filepath"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Kind     string `json:"kind"`
}

func (e Error) String() string {
	return fmt.Sprintf("%s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
}

// Run lints files (relative to dir, the project root actionlint resolves
// `uses: ./...` against) and returns the findings.
func Run(t testing.TB, dir string, files ...string) []Error {
	t.Helper()
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Fatal("shellcheck is not installed (apt-get install shellcheck; scripts/test.sh does): actionlint needs it to check run: scripts")
	}
	args := []string{"-format", "{{json .}}", "-shellcheck", sc, "-pyflakes", ""}
	args = append(args, files...)
	cmd := exec.Command(Binary(t), args...)
	cmd.Dir = dir
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var errs []Error
	if out := strings.TrimSpace(stdout.String()); out != "" {
		if jerr := json.Unmarshal([]byte(out), &errs); jerr != nil {
			t.Fatalf("actionlint output: %v\n%s", jerr, out)
		}
	}
	// Exit 1 means findings; anything else is a failure to lint.
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("actionlint: %v\n%s", err, stderr.String())
	}
	return errs
}

// Report fails t with one line per finding.
func Report(t testing.TB, errs []Error) {
	t.Helper()
	for _, e := range errs {
		t.Error(e.String())
	}
}
