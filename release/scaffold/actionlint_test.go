package scaffold

import (
	"os"
	"os/exec"
	"testing"
)

// TestWorkflowsActionlint runs the actionlint tests of the nested module
// actionlintcheck, so that `go test ./...` at the top covers them:
// actionlint v1.7.12 cannot be imported from shipflow's main module (see
// actionlintcheck/go.mod), so it lives in a module of its own and is run
// here with the go command that runs this test.
func TestWorkflowsActionlint(t *testing.T) {
	// `go test` puts its own GOROOT/bin first on PATH.
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go command is needed to run the actionlint module")
	}
	cmd := exec.Command(goCmd, "test", "-count=1", "./...")
	cmd.Dir = "actionlintcheck"
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in %s: %v\n%s", cmd.Dir, err, out)
	}
	t.Logf("%s", out)
}
