package versionfile

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestMarkerScan: the quick read rules out only regular files it read
// whole without the marker; everything else goes through repofs. Both
// scanners (the portable os.Root one and the platform's) answer alike,
// and neither reads outside the root.
func TestMarkerScan(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.txt", "nothing here\n")
	write(t, root, "empty.txt", "")
	write(t, root, "src/deep/b.go", "const V = \"1.0.0\" // "+Marker+"\n")
	write(t, root, "src/deep/c.go", "package deep\n")
	write(t, root, "src/deeper/e.go", "package deeper\n")
	write(t, root, "src/d.txt", "plain\n")
	write(t, root, "big.txt", strings.Repeat("x", maxMarkerScan+1))
	if err := os.Symlink("a.txt", filepath.Join(root, "link.txt")); err != nil {
		t.Fatal(err)
	}
	// Outside the root, without the marker: read through a link, it would
	// be ruled out.
	outside := t.TempDir()
	write(t, outside, "x.txt", "nothing\n")
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	type scanCase struct {
		rel  string
		want bool
	}
	cases := []scanCase{
		{"a.txt", false},
		{"empty.txt", false},
		{"src/deep/b.go", true},
		{"src/deep/c.go", false},
		{"src/deeper/e.go", false},
		{"src/d.txt", false},
		{"src/deep/c.go", false}, // back down after going up
		{"big.txt", true},        // too big to rule out: repofs refuses it
		{"link.txt", true},       // a link: repofs resolves it
		{"out/x.txt", true},      // through a linked directory
		{"../" + filepath.Base(outside) + "/x.txt", true},
		{"missing.txt", true},
		{"src/missing/e.txt", true},
		{"src/", true},
		{"a.txt", false},
	}
	if runtime.GOOS != "windows" {
		if err := mkfifo(filepath.Join(root, "src", "fifo")); err != nil {
			t.Fatal(err)
		}
		// Not a regular file, and opening it must not wait for a writer.
		cases = append(cases, scanCase{"src/fifo", true}, scanCase{"src/d.txt", false})
	}
	for name, open := range map[string]func(string) scanner{"os.Root": newRootScan, runtime.GOOS: newScanner} {
		t.Run(name, func(t *testing.T) {
			m := open(root)
			defer m.close()
			for _, tc := range cases {
				if got := m.mayCarry(tc.rel); got != tc.want {
					t.Errorf("mayCarry(%q) = %v, want %v", tc.rel, got, tc.want)
				}
			}
		})
	}
	if got := (&markerScan{}).mayCarry("a.txt"); !got {
		t.Errorf("mayCarry without a root = false, want true")
	}
	if got := newScanner(filepath.Join(root, "missing")).mayCarry("a.txt"); !got {
		t.Errorf("mayCarry under a missing root = false, want true")
	}
}
