package git

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
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

// ReadObjects returns the contents of the objects names ("OID",
// "REV:path"), in order, with one `git cat-file --batch`: nil for a name
// that names no object. A name must not hold a newline.
func (r *Repo) ReadObjects(ctx context.Context, names []string) ([][]byte, error) {
	if len(names) == 0 {
		return nil, nil
	}
	stdin, err := batchInput(names)
	if err != nil {
		return nil, err
	}
	out, err := r.RunInput(ctx, stdin, "cat-file", "--batch")
	if err != nil {
		return nil, fmt.Errorf("reading %d objects: %w", len(names), err)
	}
	bodies := make([][]byte, len(names))
	for i := range names {
		var ok bool
		if bodies[i], out, ok = catFileNext(out); !ok {
			return nil, fmt.Errorf("reading %d objects: git cat-file --batch stopped at %q", len(names), names[i])
		}
	}
	return bodies, nil
}

// batchInput is the standard input of a `git cat-file --batch*` run that
// asks for names, one per line; a name with a line break would ask for
// two, and is refused.
func batchInput(names []string) ([]byte, error) {
	var b bytes.Buffer
	for _, n := range names {
		if strings.ContainsAny(n, "\n\r") {
			return nil, fmt.Errorf("reading object %q: a name with a line break", n)
		}
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// catFileNext splits the first object off `git cat-file --batch` output:
// its content (nil when git answered "missing" or "ambiguous") and the
// rest; ok is false when the output ends or is not in that format.
func catFileNext(out []byte) (body, rest []byte, ok bool) {
	header, rest, found := bytes.Cut(out, []byte("\n"))
	if !found {
		return nil, nil, false
	}
	// "NAME missing" and "NAME ambiguous" repeat the name asked, which
	// may hold spaces (a path); an object is "OID TYPE SIZE".
	if bytes.HasSuffix(header, []byte(" missing")) || bytes.HasSuffix(header, []byte(" ambiguous")) {
		return nil, rest, true
	}
	f := strings.Fields(string(header))
	if len(f) != 3 {
		return nil, nil, false
	}
	size, err := strconv.Atoi(f[2])
	if err != nil || size < 0 || size > len(rest) {
		return nil, nil, false
	}
	return rest[:size:size], bytes.TrimPrefix(rest[size:], []byte("\n")), true
}
