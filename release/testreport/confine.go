package testreport

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/internal/repofs"
)

// confineToRoot keeps the JUnit files that may be read: a file named
// inside the repository root (WithRoot) must really be there, not reached
// through a symbolic link that leaves it, and never under .git/ (a glob
// from .shipflow.yaml is repository content: `*/config` matches
// .git/config, a committed `reports -> /` link reaches the whole disk).
// A file named outside the root came from a trusted absolute glob (the
// command line) and is kept. The refusals are returned for the report.
func confineToRoot(root string, files []string) (kept []string, refused []error) {
	if root == "" {
		return files, nil
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return files, nil
	}
	kept = files[:0:0]
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			refused = append(refused, fmt.Errorf("%s: %w", f, err))
			continue
		}
		rel, err := filepath.Rel(absRoot, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			kept = append(kept, f)
			continue
		}
		if _, err := repofs.Resolve(absRoot, filepath.ToSlash(rel)); err != nil {
			refused = append(refused, err)
			continue
		}
		kept = append(kept, f)
	}
	return kept, refused
}
