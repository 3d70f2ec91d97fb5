//go:build unix

package testreport

import (
	"errors"
	"syscall"
)

// groupAttr starts the command in its own process group, so that an
// interruption reaches every process the command started (go test's test
// binaries, a runner's workers), not only the first one.
func groupAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// signalGroup sends sig to the process group led by pid. A group that is
// gone already is not an error.
func signalGroup(pid int, sig syscall.Signal) error {
	if err := syscall.Kill(-pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}
