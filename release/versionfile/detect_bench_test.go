package versionfile

import (
	"os"
	"testing"
)

// BenchmarkDetectRealTree searches the work tree at $REPO as `shipflow
// next` does, for profiling the marker search on real trees:
//
//	REPO=/path/to/clone go test ./release/versionfile/ -run '^$' \
//	    -bench DetectRealTree -cpuprofile /tmp/detect.prof
//
// It is skipped without REPO: the trees worth measuring are public clones.
func BenchmarkDetectRealTree(b *testing.B) {
	dir := os.Getenv("REPO")
	if dir == "" {
		b.Skip("set REPO to a clone's path to search its work tree")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Detect(dir); err != nil {
			b.Fatal(err)
		}
	}
}
