// Package golden compares rendered text with golden files under testdata,
// and rewrites them when tests run with -update, so that a change in output
// is reviewed as a diff in the pull request like code.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update is registered by every test binary that imports this package.
var update = flag.Bool("update", false, "rewrite golden files in testdata with the current output")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// Check compares got with the golden file at path (relative to the test's
// package directory), or writes got there under -update.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the output (-want +got; run with -update and review the diff):\n%s", path, diff)
	}
}
