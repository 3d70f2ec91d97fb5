package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
)

// CommitPaths is a commit with the paths it changes, as LogPaths reads
// them.
type CommitPaths struct {
	Commit
	// Paths are the paths the commit changes, relative to the top of the
	// work tree, exactly as git stores them (any bytes but NUL). A merge
	// lists what it brings onto its first parent's line; a rename lists
	// both the old and the new path; a root commit lists every path it
	// adds; an empty commit lists none. Order is git's.
	Paths []string
}

// logPathsFields is the number of NUL-separated fields of a commit header
// in logPathsFormat, after the empty field that starts every commit.
const logPathsFields = 7

// logPathsFormat starts each commit with an empty field. Paths are never
// empty, so an empty token after a commit's paths can only be the start of
// the next commit, whatever bytes the paths and messages hold. With -z git
// ends the message with a NUL, then writes "\n" before the first path and
// a NUL after each path.
const logPathsFormat = "--format=%x00%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B"

// LogPaths streams the commits selected by opt, newest first, each with the
// paths it changes, from one `git log -z --name-only` run for the whole
// range (no git process per commit). Merges list the paths they change
// relative to their first parent; renames are not detected, so a move
// lists the old and the new path. With opt.Paths, the commits are those
// touching the paths but each lists all the paths it changes.
//
// It reads one commit at a time, so memory does not grow with the range.
// The sequence stops at the first error; breaking out of the loop stops
// git. Revisions starting with "-" are refused (*RevisionError), as in
// Log.
func (r *Repo) LogPaths(ctx context.Context, opt LogOptions) iter.Seq2[*CommitPaths, error] {
	return func(yield func(*CommitPaths, error) bool) {
		streamLog(ctx, r, opt.Revs, func(revs []string) []string { return logPathsArgs(revs, opt) }, "reading history with paths", scanCommitPaths, yield)
	}
}

// logPathsArgs builds the git log arguments for LogPaths. The -c settings
// keep the user's configuration from changing what is listed: no
// signatures in the output, root commits diffed against the empty tree,
// no rename following, paths relative to the top, not the current
// directory.
func logPathsArgs(revs []string, opt LogOptions) []string {
	args := []string{
		"-c", "log.showSignature=false", "-c", "log.showRoot=true", "-c", "log.follow=false",
		"-c", "diff.relative=false",
		"log", "-z", logPathsFormat, "--no-color", "--no-mailmap",
		"--name-only", "--no-renames", "--diff-merges=first-parent", "--full-diff",
	}
	return appendLogSelection(args, revs, opt)
}

// tokenReader splits a stream at NUL bytes.
type tokenReader struct {
	br   *bufio.Reader
	long []byte // a token longer than br's buffer, gathered here
}

// next returns the next token without its NUL; a last token that ends at
// EOF without a NUL counts too. It returns io.EOF when nothing is left.
// The slice is valid until the next call.
func (t *tokenReader) next() ([]byte, error) {
	tok, err := t.br.ReadSlice(0)
	if err == nil {
		return tok[:len(tok)-1], nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		if err == io.EOF && len(tok) > 0 {
			return tok, nil
		}
		return nil, err
	}
	t.long = append(t.long[:0], tok...)
	for {
		tok, err = t.br.ReadSlice(0)
		t.long = append(t.long, tok...)
		switch {
		case err == nil:
			return t.long[:len(t.long)-1], nil
		case err == io.EOF:
			return t.long, nil
		case !errors.Is(err, bufio.ErrBufferFull):
			return nil, err
		}
	}
}

// scanCommitPaths reads `git log -z --name-only` output made with
// logPathsFormat and calls fn for each commit until fn returns false.
// A commit's header fields share one string and its paths another, so a
// commit costs two copies of its bytes plus its slices; the buffers are
// reused between commits.
func scanCommitPaths(rd io.Reader, fn func(*CommitPaths) bool) error {
	tr := &tokenReader{br: bufio.NewReaderSize(rd, 64<<10)}
	var (
		head     []byte              // the header fields, back to back
		ends     [logPathsFields]int // their ends in head
		paths    []byte              // the paths, back to back
		pathEnds []int               // their ends in paths
		tok, err = tr.next()
	)
	for {
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(tok) != 0 {
			return fmt.Errorf("git log output: expected the start of a commit, found %q", clip(tok))
		}
		head = head[:0]
		for i := range logPathsFields {
			if tok, err = tr.next(); err != nil {
				if err == io.EOF {
					return errors.New("git log output ended inside a commit record")
				}
				return err
			}
			head = append(head, tok...)
			ends[i] = len(head)
		}
		paths, pathEnds = paths[:0], pathEnds[:0]
		for {
			if tok, err = tr.next(); err != nil || len(tok) == 0 {
				break
			}
			if len(pathEnds) == 0 {
				// git separates the message from the first path with a
				// newline; only that one is not part of the path.
				rest, ok := bytes.CutPrefix(tok, []byte{'\n'})
				if !ok || len(rest) == 0 {
					return fmt.Errorf("git log output: expected the changed paths, found %q", clip(tok))
				}
				tok = rest
			}
			paths = append(paths, tok...)
			pathEnds = append(pathEnds, len(paths))
		}
		if err != nil && err != io.EOF {
			return err
		}
		c, cerr := commitPathsFrom(string(head), ends, string(paths), pathEnds)
		if cerr != nil {
			return cerr
		}
		if !fn(c) {
			return nil
		}
	}
}

// clip shortens a token for an error message.
func clip(b []byte) []byte {
	if len(b) > 80 {
		return b[:80]
	}
	return b
}

// commitPathsFrom builds a commit from its header fields (ending at ends in
// head) and its paths (ending at pathEnds in all).
func commitPathsFrom(head string, ends [logPathsFields]int, all string, pathEnds []int) (*CommitPaths, error) {
	var f [logPathsFields]string
	prev := 0
	for i, e := range ends {
		f[i] = head[prev:e]
		prev = e
	}
	c := &CommitPaths{Commit: Commit{
		Hash:        f[0],
		AuthorName:  f[2],
		AuthorEmail: f[3],
		Message:     f[6],
	}}
	if f[1] != "" {
		c.Parents = strings.Fields(f[1])
	}
	var err error
	if c.AuthorDate, err = time.Parse(time.RFC3339, f[4]); err != nil {
		return nil, fmt.Errorf("commit %s: author date %q: %w", c.Hash, f[4], err)
	}
	if c.CommitterDate, err = time.Parse(time.RFC3339, f[5]); err != nil {
		return nil, fmt.Errorf("commit %s: committer date %q: %w", c.Hash, f[5], err)
	}
	if len(pathEnds) > 0 {
		c.Paths = make([]string, len(pathEnds))
		prev = 0
		for i, e := range pathEnds {
			c.Paths[i] = all[prev:e]
			prev = e
		}
	}
	return c, nil
}
