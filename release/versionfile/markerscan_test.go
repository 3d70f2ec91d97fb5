package versionfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMarkerScan: the quick read rules out only regular files it read
// whole without the marker; everything else goes through repofs.
func TestMarkerScan(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.txt", "nothing here\n")
	write(t, root, "src/deep/b.go", "const V = \"1.0.0\" // "+Marker+"\n")
	write(t, root, "src/deep/c.go", "package deep\n")
	write(t, root, "src/d.txt", "plain\n")
	write(t, root, "big.txt", strings.Repeat("x", maxMarkerScan+1))
	if err := os.Symlink("a.txt", filepath.Join(root, "link.txt")); err != nil {
		t.Fatal(err)
	}
	m := &markerScan{}
	var err error
	if m.root, err = os.OpenRoot(root); err != nil {
		t.Fatal(err)
	}
	defer m.close()
	for _, tc := range []struct {
		rel  string
		want bool
	}{
		{"a.txt", false},
		{"src/deep/b.go", true},
		{"src/deep/c.go", false},
		{"src/d.txt", false},
		{"big.txt", true},  // too big to rule out: repofs refuses it
		{"link.txt", true}, // a link: repofs resolves it
		{"missing.txt", true},
		{"src/missing/e.txt", true},
		{"a.txt", false},
	} {
		if got := m.mayCarry(tc.rel); got != tc.want {
			t.Errorf("mayCarry(%q) = %v, want %v", tc.rel, got, tc.want)
		}
	}
	if got := (&markerScan{}).mayCarry("a.txt"); !got {
		t.Errorf("mayCarry without a root = false, want true")
	}
}
