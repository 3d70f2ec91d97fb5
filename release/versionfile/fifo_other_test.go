//go:build !unix

package versionfile

import "errors"

// mkfifo: no FIFOs here; TestMarkerScan does not ask for one.
func mkfifo(string) error { return errors.ErrUnsupported }
