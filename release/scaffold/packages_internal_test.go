package scaffold

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestDetectPackagesBounded: the walk stops after its entry budget, so a
// huge tree cannot hang init; what it saw is still reported.
func TestDetectPackagesBounded(t *testing.T) {
	dir := t.TempDir()
	for i := range 40 {
		d := filepath.Join(dir, fmt.Sprintf("m%02d", i))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "go.mod"), []byte("module m\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := detectPackages(dir, limits{depth: 4, entries: 1000}); len(got) != 40 {
		t.Fatalf("unbounded enough: found %d modules, want 40", len(got))
	}
	// 40 root entries, then 1 entry in each of 10 modules.
	got := detectPackages(dir, limits{depth: 4, entries: 50})
	if len(got) != 10 {
		t.Errorf("with 50 entries: found %d modules, want 10: %+v", len(got), got)
	}
	w := walkTree(dir, limits{depth: 4, entries: 7})
	if len(w.dirs) != 1 {
		t.Errorf("with 7 entries the walk read %d directories, want the root only", len(w.dirs))
	}
}
