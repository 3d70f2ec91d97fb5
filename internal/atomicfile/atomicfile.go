// Package atomicfile replaces files so that readers and a crash see either
// the old content or the new, never a mix: CHANGELOG.md, git hooks and
// scaffolded files are written through it.
//
// The temporary file sits beside the file it replaces (a rename is atomic
// only within one file system) under a name no user file has,
// ".NAME.shipflow-RANDOM.tmp". A run killed mid-write (SIGKILL, power loss)
// leaves it behind; the next write of the same file removes it first, and
// IsTemp lets a clean-tree check recognise such leftovers and remove them
// rather than refuse: a re-run after a crash reaches the same end state.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// tempMarker is the part of a temporary file's name that says it is ours.
const tempMarker = ".shipflow-"

// Write replaces the file at path with data atomically: it writes a
// temporary file in the same directory, syncs it and renames it over path,
// so that readers and a crash see either the old file or the new one, and a
// failure leaves the old file byte for byte. An existing file's permissions
// are kept; a new file gets perm. A symbolic link is followed: its target
// is replaced and the link stays. Callers whose path comes from untrusted
// input use package repofs, which confines it first.
func Write(path string, data []byte, perm fs.FileMode) error {
	return WriteHooked(path, data, perm, nil)
}

// WriteHooked is Write with a hook that runs after the data is written to
// the temporary file and before it is synced and renamed; an error it
// returns aborts the write as a failing disk would. Tests use it to prove a
// failed write leaves the old file whole.
func WriteHooked(path string, data []byte, perm fs.FileMode, hook func(*os.File) error) error {
	// A symlinked file (CHANGELOG.md -> docs/CHANGELOG.md) is updated where
	// it lives; renaming over the link would replace it with a copy.
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	r, err := os.OpenRoot(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer r.Close()
	return write(r, filepath.Base(path), path, data, perm, hook)
}

// WriteIn is Write for name inside root: the temporary file and the rename
// stay inside root, so a link swapped in on the way cannot send the data
// elsewhere. name must not itself be a symbolic link to follow (resolve it
// first); a link there is replaced by the file.
func WriteIn(root *os.Root, name string, data []byte, perm fs.FileMode) error {
	return WriteInHooked(root, name, data, perm, nil)
}

// WriteInHooked is WriteIn with WriteHooked's hook.
func WriteInHooked(root *os.Root, name string, data []byte, perm fs.FileMode, hook func(*os.File) error) error {
	return write(root, name, name, data, perm, hook)
}

// write replaces name inside r; shown is the path errors name.
func write(r *os.Root, name, shown string, data []byte, perm fs.FileMode, hook func(*os.File) error) (err error) {
	if fi, err := r.Lstat(name); err == nil {
		if !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
			return fmt.Errorf("writing %s: not a regular file", shown)
		}
		if fi.Mode().IsRegular() {
			perm = fi.Mode().Perm()
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("writing %s: %w", shown, err)
	}
	dir := filepath.Dir(name)
	removeStale(r, dir, filepath.Base(name))
	tmp, f, err := createTemp(r, dir, filepath.Base(name))
	if err != nil {
		return fmt.Errorf("writing %s: %w", shown, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			r.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", shown, err)
	}
	if hook != nil {
		if err := hook(f); err != nil {
			return fmt.Errorf("writing %s: %w", shown, err)
		}
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", shown, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: syncing: %w", shown, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", shown, err)
	}
	if err := r.Rename(tmp, name); err != nil {
		return fmt.Errorf("writing %s: %w", shown, err)
	}
	// Sync the directory so the rename itself survives a crash; not every
	// file system supports it, and the data is already safe, so a failure
	// here is not reported.
	if d, err := r.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// createTemp creates dir/.BASE.shipflow-RANDOM.tmp exclusively inside r
// (os.CreateTemp has no os.Root form).
func createTemp(r *os.Root, dir, base string) (string, *os.File, error) {
	for range 10 {
		var b [8]byte
		rand.Read(b[:])
		name := filepath.Join(dir, "."+base+tempMarker+hex.EncodeToString(b[:])+".tmp")
		f, err := r.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, f, err
	}
	return "", nil, errors.New("could not create a temporary file")
}

// staleRE matches the temporary files of one base name: ours, and those of
// shipflow 0.1 (".NAME.DIGITS.tmp", os.CreateTemp's pattern).
func staleRE(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `(` + regexp.QuoteMeta(tempMarker) + `[0-9a-f]+|\.[0-9]+)\.tmp$`)
}

// removeStale removes the temporary files a killed write of base left in
// dir; errors are ignored, since a leftover only costs space.
func removeStale(r *os.Root, dir, base string) {
	d, err := r.Open(dir)
	if err != nil {
		return
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	re := staleRE(base)
	for _, n := range names {
		if re.MatchString(n) {
			r.Remove(filepath.Join(dir, n))
		}
	}
}

// IsTemp reports whether a file name (a path's last element) is one of the
// temporary files this package writes (or shipflow 0.1 wrote) for some
// file: a clean-tree check treats those as leftovers, not as changes.
func IsTemp(name string) bool {
	base := filepath.Base(name)
	if !strings.HasPrefix(base, ".") || !strings.HasSuffix(base, ".tmp") {
		return false
	}
	if i := strings.LastIndex(base, tempMarker); i > 1 {
		return staleRE(base[1:i]).MatchString(base)
	}
	trimmed := strings.TrimSuffix(base, ".tmp")
	i := strings.LastIndexByte(trimmed, '.')
	return i > 1 && staleRE(trimmed[1:i]).MatchString(base)
}
