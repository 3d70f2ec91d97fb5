package changelog

import (
	"io/fs"
	"os"

	"github.com/shipflow/shipflow/internal/atomicfile"
	"github.com/shipflow/shipflow/internal/repofs"
)

// writeHook, when set by tests, runs after the data is written to the
// temporary file and before it is synced and renamed; an error it returns
// aborts the write as a failing disk would.
var writeHook func(f *os.File) error

// WriteFile replaces the file at path with data atomically: it writes a
// temporary file in the same directory, syncs it and renames it over path,
// so that readers and a crash see either the old file or the new one, and a
// failure leaves the old file byte for byte. An existing file's permissions
// are kept; a new file gets perm. path is trusted: a changelog named by a
// repository's configuration goes through WriteFileIn.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return atomicfile.WriteHooked(path, data, perm, writeHook)
}

// WriteFileIn is WriteFile for name inside the work tree root, a name that
// comes from the repository (changelog.file): it is refused (a
// *repofs.Error) when it, or a symbolic link along it, leaves root or
// enters .git/. A link inside root is written through. Missing
// directories are made.
func WriteFileIn(root, name string, data []byte, perm fs.FileMode) error {
	return repofs.WriteFileHooked(root, name, data, perm, writeHook)
}
