package git

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// WithObjectsIn returns a copy of r whose git runs write new objects
// (`git commit-tree`, `git merge-tree --write-tree`) into dir, an absolute
// directory outside the repository's .git, and read the repository's own
// objects as alternates (GIT_OBJECT_DIRECTORY and
// GIT_ALTERNATE_OBJECT_DIRECTORIES, see git(1)). Commits made through the
// copy exist for it only: the repository is left as it was, so that a
// predicted commit (a pull request's merge) can be read like any other
// without writing under .git. Runs that change refs, the index or the work
// tree still change the repository's: use the copy to read and to make
// objects only. Removing dir is the caller's.
func (r *Repo) WithObjectsIn(ctx context.Context, dir string) (*Repo, error) {
	if !filepath.IsAbs(dir) {
		return nil, fmt.Errorf("object directory %q is not an absolute path", dir)
	}
	out, err := r.Run(ctx, "rev-parse", "--path-format=absolute", "--git-common-dir", "--git-path", "objects")
	if err != nil {
		return nil, fmt.Errorf("finding the object directory: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return nil, fmt.Errorf("finding the object directory: unexpected git rev-parse output %q", out)
	}
	common, objects := filepath.Clean(lines[0]), filepath.Clean(lines[1])
	clean := filepath.Clean(dir)
	for _, gitDir := range []string{common, filepath.Join(r.dir, ".git")} {
		if rel, err := filepath.Rel(gitDir, clean); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("object directory %q is inside %s: new objects go outside the repository's .git", dir, gitDir)
		}
	}
	c := *r
	c.config = slices.Clone(r.config)
	c.env = append(slices.Clone(r.env), "GIT_OBJECT_DIRECTORY="+clean, "GIT_ALTERNATE_OBJECT_DIRECTORIES="+objects)
	return &c, nil
}
