package killed

import (
	"os"
	"syscall"
	"testing"
)

func TestBefore(t *testing.T) {}

func TestKilled(t *testing.T) {
	t.Log("about to die")
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
}
