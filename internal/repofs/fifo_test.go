//go:build unix

package repofs

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO in the work tree (a test command can make one) is refused
// without being opened: opening it would block until a writer came.
func TestReadFileRefusesAFIFO(t *testing.T) {
	root, _ := tree(t)
	if err := syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if _, err := ReadFile(root, "pipe", DefaultMaxRead); !IsRefused(err) || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("ReadFile(pipe) = %v; want a refusal", err)
	}
}
