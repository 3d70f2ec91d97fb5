package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Commit is one commit as `git log` reports it.
type Commit struct {
	Hash          string
	Parents       []string
	AuthorName    string
	AuthorEmail   string
	AuthorDate    time.Time
	CommitterDate time.Time
	// Message is the raw message (%B): subject, blank line, body, trailers.
	Message string
}

// IsMerge reports whether the commit has two or more parents.
func (c *Commit) IsMerge() bool { return len(c.Parents) > 1 }

// Short returns the first seven hex digits of the hash.
func (c *Commit) Short() string {
	if len(c.Hash) > 7 {
		return c.Hash[:7]
	}
	return c.Hash
}

// Author returns "Name <email>".
func (c *Commit) Author() string { return c.AuthorName + " <" + c.AuthorEmail + ">" }

// LogOptions selects the commits Log reads.
type LogOptions struct {
	// Revs are revisions and ranges as git log takes them ("v1.0.0..HEAD",
	// "^main", "dev"). The default is HEAD.
	Revs []string
	// FirstParent follows only the first parent of merges.
	FirstParent bool
	// Paths limits the history to commits touching these paths.
	Paths []string
	// Max stops after this many commits; 0 means no limit.
	Max int
	// TopoOrder lists no parent before all its children (--topo-order),
	// for readers that pass facts down the history as it streams.
	TopoOrder bool
	// NoDates leaves AuthorDate and CommitterDate zero: git then formats
	// no dates, which readers of messages alone (lint) need not pay for.
	NoDates bool
}

// logFields is the number of NUL-separated fields per commit in logFormat.
const logFields = 7

// logFormat prints the fields of Commit separated by NUL; with -z git ends
// each record with one more NUL.
const logFormat = "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B"

// logFormatNoDates is logFormat with empty date fields (LogOptions.NoDates).
const logFormatNoDates = "--format=%H%x00%P%x00%an%x00%ae%x00%x00%x00%B"

// Log streams the commits selected by opt, newest first, from one
// `git log -z` run. The sequence stops at the first error; breaking out of
// the loop stops git. Revisions starting with "-" are refused so that user
// input never becomes an option; those and revisions that name no commit
// are *RevisionError values (ErrUnknownRevision).
func (r *Repo) Log(ctx context.Context, opt LogOptions) iter.Seq2[*Commit, error] {
	return func(yield func(*Commit, error) bool) {
		streamLog(ctx, r, opt.Revs, func(revs []string) []string { return logArgs(revs, opt) }, "reading history", scanCommits, yield)
	}
}

// logArgs builds Log's git arguments for revs.
func logArgs(revs []string, opt LogOptions) []string {
	format := logFormat
	if opt.NoDates {
		format = logFormatNoDates
	}
	args := []string{"-c", "log.showSignature=false", "log", "-z", format, "--no-color", "--no-mailmap"}
	return appendLogSelection(args, revs, opt)
}

// appendLogSelection appends to a git log's args what opt and revs select
// (the walk's options, revs, then opt.Paths after "--"), for Log and
// LogPaths alike.
func appendLogSelection(args, revs []string, opt LogOptions) []string {
	if opt.FirstParent {
		args = append(args, "--first-parent")
	}
	if opt.TopoOrder {
		args = append(args, "--topo-order")
	}
	if opt.Max > 0 {
		args = append(args, "--max-count="+strconv.Itoa(opt.Max))
	}
	args = append(args, "--end-of-options")
	args = append(args, revs...)
	args = append(args, "--")
	return append(args, opt.Paths...)
}

// streamLog runs the git log that args builds for revs (HEAD when there
// are none), hands each record that scan reads from its stdout to yield,
// and stops git when yield returns false. A revision starting with "-" is
// refused (*RevisionError) so that user input never becomes an option.
// An error (a refused revision, or from starting git, scan or git's exit)
// is yielded once, prefixed by what; a git failure names the revision at
// fault (logError).
func streamLog[T any](ctx context.Context, r *Repo, revs []string, argsFor func(revs []string) []string, what string, scan func(io.Reader, func(T) bool) error, yield func(T, error) bool) {
	var zero T
	if len(revs) == 0 {
		revs = []string{"HEAD"}
	}
	for _, rev := range revs {
		if strings.HasPrefix(rev, "-") {
			yield(zero, fmt.Errorf("%s: %w", what, &RevisionError{Rev: rev}))
			return
		}
	}
	args := argsFor(revs)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := r.command(ctx, args)
	// git log flushes stdout after every commit when it writes to a
	// pipe, which costs more than the read itself on long histories.
	// The scanners read to the end, so nothing waits on a partial record.
	cmd.Env = append(cmd.Env, "GIT_FLUSH=0")
	stderr := &cappedBuffer{max: maxStderr}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		yield(zero, fmt.Errorf("%s: %w", what, err))
		return
	}
	if err := cmd.Start(); err != nil {
		yield(zero, fmt.Errorf("%s: %w", what, newError(args, err, stderr)))
		return
	}
	stopped := false
	scanErr := scan(out, func(c T) bool {
		if !yield(c, nil) {
			stopped = true
			return false
		}
		return true
	})
	if stopped {
		cancel()
		_ = cmd.Wait()
		return
	}
	if scanErr != nil {
		cancel()
		_ = cmd.Wait()
		yield(zero, fmt.Errorf("%s: %w", what, scanErr))
		return
	}
	if err := cmd.Wait(); err != nil {
		yield(zero, r.logError(ctx, revs, newError(args, err, stderr)))
	}
}

// logError turns a failed git log into an error that names the bad
// revision or the shallow clone.
func (r *Repo) logError(ctx context.Context, revs []string, err *Error) error {
	if strings.Contains(err.Stderr, "unknown revision") || strings.Contains(err.Stderr, "bad revision") || strings.Contains(err.Stderr, "ambiguous argument") {
		for _, rev := range revs {
			for _, part := range splitRange(rev) {
				if _, rerr := r.ResolveCommit(ctx, part); rerr != nil {
					if shallow, _ := r.IsShallow(ctx); shallow {
						return fmt.Errorf("reading history: %v (%w)", rerr, ErrShallow)
					}
					return fmt.Errorf("reading history: %w", rerr)
				}
			}
		}
	}
	return fmt.Errorf("reading history: %w", err)
}

// splitRange returns the revisions named in a range such as A..B or A...B.
func splitRange(rev string) []string {
	rev = strings.TrimPrefix(rev, "^")
	var parts []string
	if a, b, ok := strings.Cut(rev, "..."); ok {
		parts = []string{a, b}
	} else if a, b, ok := strings.Cut(rev, ".."); ok {
		parts = []string{a, b}
	} else {
		parts = []string{rev}
	}
	return slices.DeleteFunc(parts, func(s string) bool { return s == "" })
}

// scanCommits reads `git log -z` output with logFormat and calls fn for each
// commit until fn returns false. Each record becomes one string; the
// commit's fields are slices of it, so a commit costs one copy of its bytes.
func scanCommits(rd io.Reader, fn func(*Commit) bool) error {
	// A message may be long; only memory bounds it. Start at 64 KiB and
	// double when one record does not fit.
	buf := make([]byte, 0, 64<<10)
	var (
		start int            // where the current record starts in buf
		ends  [logFields]int // ends of its fields found so far, relative to start
		found int            // how many of ends are set
		eof   bool
	)
	for {
		// Find the record's remaining NULs; scanning resumes where it
		// stopped, so a long message is scanned once.
		for found < logFields {
			if found == 0 {
				// The NUL that -z puts between records may follow the
				// message's own terminating NUL; skip the empty tokens.
				for start < len(buf) && buf[start] == 0 {
					start++
				}
			}
			from := start
			if found > 0 {
				from += ends[found-1] + 1
			}
			i := bytes.IndexByte(buf[from:], 0)
			if i < 0 {
				break
			}
			ends[found] = from + i - start
			found++
		}
		if found < logFields && eof {
			// The last field may end at EOF without its NUL.
			if found == logFields-1 && len(buf) > start+ends[found-1]+1 {
				ends[found] = len(buf) - start
				found++
			} else if found == 0 && start == len(buf) {
				return nil
			} else {
				return errors.New("git log output ended inside a commit record")
			}
		}
		if found == logFields {
			c, err := commitFromRecord(string(buf[start:start+ends[logFields-1]]), ends)
			if err != nil {
				return err
			}
			// Past the field's NUL, which the last record may lack.
			start = min(start+ends[logFields-1]+1, len(buf))
			found = 0
			if !fn(c) {
				return nil
			}
			continue
		}
		// Need more input: keep the partial record, growing the buffer when
		// the record fills it.
		if start > 0 {
			n := copy(buf, buf[start:])
			buf = buf[:n]
			start = 0
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, cap(buf))
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			eof = true
		} else if err != nil {
			return err
		}
	}
}

// commitFromRecord builds a commit from one record whose fields end at
// ends (the last end is len(rec)).
func commitFromRecord(rec string, ends [logFields]int) (*Commit, error) {
	var f [logFields]string
	prev := 0
	for i, e := range ends {
		f[i] = rec[prev:e]
		prev = e + 1
	}
	// A commit and its first parent's slot are allocated together.
	a := &struct {
		c      Commit
		parent [1]string
	}{c: Commit{
		Hash:        f[0],
		AuthorName:  f[2],
		AuthorEmail: f[3],
		Message:     f[6],
	}}
	c := &a.c
	if p := f[1]; p != "" {
		if strings.IndexByte(p, ' ') < 0 {
			a.parent[0] = p
			c.Parents = a.parent[:]
		} else {
			c.Parents = strings.Fields(p)
		}
	}
	// Both dates are empty only in logFormatNoDates: git always formats
	// a commit's dates.
	if f[4] == "" && f[5] == "" {
		return c, nil
	}
	var err error
	if c.AuthorDate, err = time.Parse(time.RFC3339, f[4]); err != nil {
		return nil, fmt.Errorf("commit %s: author date %q: %w", c.Hash, f[4], err)
	}
	if c.CommitterDate, err = time.Parse(time.RFC3339, f[5]); err != nil {
		return nil, fmt.Errorf("commit %s: committer date %q: %w", c.Hash, f[5], err)
	}
	return c, nil
}

// Tags lists tag names. With merged set, only tags whose commits are
// reachable from that revision (`git tag --merged REV`); otherwise all tags.
func (r *Repo) Tags(ctx context.Context, merged string) ([]string, error) {
	args := []string{"tag", "--list"}
	if merged != "" {
		if strings.HasPrefix(merged, "-") {
			return nil, fmt.Errorf("listing tags: %w", &RevisionError{Rev: merged})
		}
		args = append(args, "--merged", merged)
	}
	out, err := r.Run(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("listing tags: %w", err)
	}
	var tags []string
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			tags = append(tags, line)
		}
	}
	return tags, nil
}

// TagCommit returns the full hash of the commit a tag points at (peeling
// annotated tags), or "" and no error when the tag does not exist.
func (r *Repo) TagCommit(ctx context.Context, tag string) (string, error) {
	out, err := r.Run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", "refs/tags/"+tag+"^{commit}")
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) && ge.ExitCode == 1 {
			return "", nil
		}
		return "", fmt.Errorf("resolving tag %q: %w", tag, err)
	}
	return strings.TrimSpace(string(out)), nil
}
