// Package scripts holds the tests of the shell scripts in this directory.
package scripts

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// timingBlock is test.sh's stage timing: from its "# Stage timing" comment
// to the EXIT trap, run here around stand-in stages.
func timingBlock(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("test.sh")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "# Stage timing")
	end := strings.Index(s, "\ntrap ")
	if start < 0 || end < start {
		t.Fatal(`test.sh has no "# Stage timing" block ending with its EXIT trap; update this test`)
	}
	if !strings.Contains(s, "\nset -euo pipefail\n") {
		t.Fatal("test.sh no longer runs with set -euo pipefail")
	}
	line := s[end+1:]
	return s[start:end+1] + line[:strings.IndexByte(line, '\n')+1]
}

func runTiming(t *testing.T, stages string) (string, int) {
	t.Helper()
	script := "set -euo pipefail\nlog() { printf '\\n==> %s\\n' \"$*\"; }\n" + timingBlock(t) + stages
	cmd := exec.Command("bash", "-c", script)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestStageTimes: every stage's elapsed seconds and the total are printed
// at the end, in order, and a passing run exits 0.
func TestStageTimes(t *testing.T) {
	out, code := runTiming(t, "stage install\nsleep 0.2\nstage \"go test\" \"go test (all)\"\nsleep 0.3\nstage self-lint\n")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s", code, out)
	}
	want := regexp.MustCompile(`(?s)==> go test \(all\).*==> elapsed time per stage \(seconds\)\ninstall +(0\.[2-9]|[1-9]\d*\.\d)\ngo test +(0\.[3-9]|[1-9]\d*\.\d)\nself-lint +\d+\.\d\ntotal +(0\.[5-9]|[1-9]\d*\.\d)\n$`)
	if !want.MatchString(out) {
		t.Errorf("output does not list the stage times:\n%s", out)
	}
}

// TestStageTimesOnFailure: a failing stage still gets the table, marked
// with the exit status, and the script's exit status is the stage's.
func TestStageTimesOnFailure(t *testing.T) {
	out, code := runTiming(t, "stage gofmt\nstage vet\n(exit 7)\nstage never\n")
	if code != 7 {
		t.Fatalf("exit %d, want 7 (the failing stage's)\n%s", code, out)
	}
	if !regexp.MustCompile(`\ngofmt +\d+\.\d\nvet +\d+\.\d  \(failed, exit 7\)\ntotal +\d+\.\d\n$`).MatchString(out) {
		t.Errorf("output does not end with the stage times and the failure:\n%s", out)
	}
	if strings.Contains(out, "never") {
		t.Errorf("a stage after the failure ran:\n%s", out)
	}
}
