package git

import (
	"context"
	"fmt"
	"io"
)

// Stream runs git with args in the work tree and hands its stdout to read
// as it comes, for output too large to hold (`git log -p` over a range).
// read should consume the stream to its end; what it leaves is drained so
// git never blocks. read's error is returned first; else a failed git run
// is an *Error with the exit code and stderr.
func (r *Repo) Stream(ctx context.Context, read func(io.Reader) error, args ...string) error {
	cmd := r.command(ctx, args)
	// As in Log: the reader reads to the end, so git need not flush
	// after every commit.
	cmd.Env = append(cmd.Env, "GIT_FLUSH=0")
	stderr := &cappedBuffer{max: maxStderr}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("running git: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return newError(args, err, stderr)
	}
	readErr := read(out)
	_, _ = io.Copy(io.Discard, out)
	waitErr := cmd.Wait()
	if readErr != nil {
		return readErr
	}
	if waitErr != nil {
		return newError(args, waitErr, stderr)
	}
	return nil
}
