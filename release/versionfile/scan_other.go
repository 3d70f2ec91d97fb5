//go:build !linux && !darwin

package versionfile

func newScanner(root string) scanner { return newRootScan(root) }
