// Package atomicfile replaces files so that readers and a crash see either
// the old content or the new, never a mix: CHANGELOG.md, git hooks and
// scaffolded files are written through it.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces the file at path with data atomically: it writes a
// temporary file in the same directory, syncs it and renames it over path,
// so that readers and a crash see either the old file or the new one, and a
// failure leaves the old file byte for byte. An existing file's permissions
// are kept; a new file gets perm. A symbolic link is followed: its target
// is replaced and the link stays.
func Write(path string, data []byte, perm fs.FileMode) error {
	return WriteHooked(path, data, perm, nil)
}

// WriteHooked is Write with a hook that runs after the data is written to
// the temporary file and before it is synced and renamed; an error it
// returns aborts the write as a failing disk would. Tests use it to prove a
// failed write leaves the old file whole.
func WriteHooked(path string, data []byte, perm fs.FileMode, hook func(*os.File) error) (err error) {
	// A symlinked file (CHANGELOG.md -> docs/CHANGELOG.md) is updated where
	// it lives; renaming over the link would replace it with a copy.
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("writing %s: not a regular file", path)
		}
		perm = fi.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if hook != nil {
		if err := hook(f); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: syncing: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// Sync the directory so the rename itself survives a crash; not every
	// file system supports it, and the data is already safe, so a failure
	// here is not reported.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
