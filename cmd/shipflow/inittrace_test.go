package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// initBudget is what one of shipflow's own packages may allocate at
// package initialisation, in bytes. Every run of the binary pays for every
// linked package's init, the commit-msg hook too, at every commit; a
// package-level regexp.MustCompile or template.Must(Parse) costs thousands
// of bytes and belongs in a sync.OnceValue (small tables are fine).
const initBudget = 16 << 10

// TestPackageInitIsCheap runs this test binary, which links every package
// the shipflow binary does, with GODEBUG=inittrace=1, and holds each of
// shipflow's own packages to initBudget. (Allocations, not time: the
// figure is the same on a loaded machine.)
func TestPackageInitIsCheap(t *testing.T) {
	// A GODEBUG=inittrace=1 line: "init PKG @T ms, C ms clock, B bytes, N allocs".
	initTraceLine := regexp.MustCompile(`^init (\S+) @\S+ ms, \S+ ms clock, ([0-9]+) bytes, ([0-9]+) allocs`)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("running %s: %v\n%s", os.Args[0], err, out)
	}
	seen := 0
	for _, line := range strings.Split(string(out), "\n") {
		m := initTraceLine.FindStringSubmatch(line)
		if m == nil || !strings.HasPrefix(m[1], "github.com/shipflow/shipflow/") {
			continue
		}
		seen++
		if testOnlyPackage(m[1]) {
			continue
		}
		if bytes, _ := strconv.Atoi(m[2]); bytes > initBudget {
			t.Errorf("package %s allocates %s bytes (%s allocations) at init, over %d: compile its regexps and parse its templates on first use (sync.OnceValue)", m[1], m[2], m[3], initBudget)
		}
	}
	if seen == 0 {
		t.Fatalf("no init lines for shipflow's packages in the trace:\n%s", out)
	}
}

// testOnlyPackage reports whether pkg is linked into tests only.
func testOnlyPackage(pkg string) bool {
	for _, p := range []string{"/githubfake", "/gittest", "/internal/golden", "/imagetest"} {
		if strings.Contains(pkg, p) {
			return true
		}
	}
	return false
}
