//go:build windows

package testreport

import (
	"errors"
	"os"
	"syscall"
)

// groupAttr starts the command in a new process group. Windows has no
// signals to forward to a group: an interruption ends the command itself.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// signalGroup ends the process pid, whatever sig; one that is gone
// already is not an error.
func signalGroup(pid int, _ syscall.Signal) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return nil // gone
	}
	defer p.Release()
	if err := p.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}
