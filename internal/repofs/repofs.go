// Package repofs reads and writes files whose names come from untrusted
// input (a repository's .shipflow.yaml, an Action input, a JUnit glob)
// without ever leaving the work tree: a name is relative to the root,
// cleaned, never absolute, never escapes with "..", never names anything
// under .git/ (where a written file would become code: core.fsmonitor,
// hooks), and a symbolic link is followed only while its target stays
// inside the root and outside .git/. Reads are of regular files only and
// capped in size, so /proc, devices and FIFOs cannot be read or hang a run.
//
// Every operation goes through an os.Root opened on the work tree, so even
// a link swapped in between the check and the use cannot escape the root.
package repofs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/internal/atomicfile"
)

// DefaultMaxRead is the size cap of ReadFile's callers that have no better
// one: templates and small config-named files. 1 MiB is far more than any
// template or record needs.
const DefaultMaxRead = 1 << 20

// Error is a refused path: Name is the name as given, Reason says why.
type Error struct {
	Name   string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("%q %s", e.Name, e.Reason) }

// IsRefused reports whether err (or one it wraps) is a refused path: the
// input is wrong, not the machine.
func IsRefused(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// Clean checks name's form without touching the file system: relative,
// not escaping with "..", no part named .git (in any letter case, as
// case-insensitive file systems fold it), no NUL. It returns the cleaned
// slash-separated name.
func Clean(name string) (string, error) {
	switch {
	case name == "":
		return "", &Error{Name: name, Reason: "is empty"}
	case strings.ContainsRune(name, 0):
		return "", &Error{Name: name, Reason: "contains a NUL byte"}
	case filepath.IsAbs(name) || strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) || filepath.VolumeName(name) != "":
		return "", &Error{Name: name, Reason: "is absolute: give a path relative to the repository root"}
	}
	clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(name)))
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", &Error{Name: name, Reason: "leaves the repository"}
	}
	if underGit(clean) {
		return "", &Error{Name: name, Reason: "is inside .git/, which shipflow never reads or writes for a repository's configuration"}
	}
	return clean, nil
}

// underGit reports whether a cleaned slash path has a part named .git.
func underGit(clean string) bool {
	for part := range strings.SplitSeq(clean, "/") {
		if strings.EqualFold(part, ".git") {
			return true
		}
	}
	return false
}

// Resolve checks name (see Clean) and follows the symbolic links along it
// inside root, returning the slash-separated path of the file it really
// names, relative to root. A link whose target leaves root or lands under
// .git/ is refused. The file itself need not exist (a changelog written for
// the first time); its directory's links are still followed and checked.
func Resolve(root, name string) (string, error) {
	clean, err := Clean(name)
	if err != nil {
		return "", err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", fmt.Errorf("resolving the repository root: %w", err)
	}
	// Resolve the longest existing prefix: the rest does not exist yet, so
	// it holds no links.
	existing, rest := clean, ""
	for {
		if _, err := os.Lstat(filepath.Join(realRoot, filepath.FromSlash(existing))); err == nil {
			break
		}
		i := strings.LastIndexByte(existing, '/')
		if existing == "." || i < 0 {
			existing, rest = ".", joinSlash(existing, rest)
			break
		}
		existing, rest = existing[:i], joinSlash(existing[i+1:], rest)
	}
	real, err := filepath.EvalSymlinks(filepath.Join(realRoot, filepath.FromSlash(existing)))
	if err != nil {
		return "", &Error{Name: name, Reason: fmt.Sprintf("cannot be resolved: %v", unwrapPath(err))}
	}
	rel, err := filepath.Rel(realRoot, real)
	if err != nil {
		return "", &Error{Name: name, Reason: "leaves the repository"}
	}
	rel = filepath.ToSlash(rel)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", &Error{Name: name, Reason: fmt.Sprintf("is a symbolic link to %s, outside the repository", real)}
	}
	if underGit(rel) {
		return "", &Error{Name: name, Reason: "is a symbolic link into .git/"}
	}
	out := filepath.ToSlash(filepath.Clean(filepath.Join(rel, rest)))
	if underGit(out) {
		return "", &Error{Name: name, Reason: "is inside .git/, which shipflow never reads or writes for a repository's configuration"}
	}
	return out, nil
}

func joinSlash(a, b string) string {
	if b == "" {
		return a
	}
	return a + "/" + b
}

// unwrapPath drops the *fs.PathError wrapper, whose absolute path repeats
// what the caller already says.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadFile reads the regular file that name resolves to inside root (see
// Resolve), at most max bytes; a larger file, a directory, a device or a
// FIFO is refused.
func ReadFile(root, name string, max int64) ([]byte, error) {
	rel, err := Resolve(root, name)
	if err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("opening the repository root: %w", err)
	}
	defer r.Close()
	// Check the kind before opening: opening a FIFO blocks until a writer
	// comes, and a device may never end.
	if fi, err := r.Stat(filepath.FromSlash(rel)); err == nil && !fi.Mode().IsRegular() {
		return nil, &Error{Name: name, Reason: "is not a regular file"}
	}
	f, err := r.Open(filepath.FromSlash(rel))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading %s: %w", name, fs.ErrNotExist)
		}
		return nil, &Error{Name: name, Reason: fmt.Sprintf("cannot be read: %v", unwrapPath(err))}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{Name: name, Reason: "is not a regular file"}
	}
	if fi.Size() > max {
		return nil, &Error{Name: name, Reason: fmt.Sprintf("is %d bytes, more than the %d allowed", fi.Size(), max)}
	}
	// The size can grow between Stat and Read: read one byte past max to
	// tell.
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > max {
		return nil, &Error{Name: name, Reason: fmt.Sprintf("is more than the %d bytes allowed", max)}
	}
	return data, nil
}

// WriteFile replaces the file that name resolves to inside root (see
// Resolve) with data atomically (package atomicfile), creating its
// directories. A link inside the repository is written through: its target
// is replaced and the link stays. Temporary files a killed write of the
// same file left behind are removed first.
func WriteFile(root, name string, data []byte, perm fs.FileMode) error {
	return WriteFileHooked(root, name, data, perm, nil)
}

// WriteFileHooked is WriteFile with atomicfile.WriteHooked's hook, which
// runs after the data is in the temporary file and before the rename:
// tests use it to fail or interrupt a write half-way.
func WriteFileHooked(root, name string, data []byte, perm fs.FileMode, hook func(*os.File) error) error {
	rel, err := Resolve(root, name)
	if err != nil {
		return err
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return fmt.Errorf("opening the repository root: %w", err)
	}
	defer r.Close()
	if dir := filepath.Dir(filepath.FromSlash(rel)); dir != "." {
		if err := r.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return atomicfile.WriteInHooked(r, filepath.FromSlash(rel), data, perm, hook)
}
