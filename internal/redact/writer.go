package redact

import (
	"bytes"
	"io"
	"sync"
)

// maxPending is how much of a line without an end Writer keeps before it
// passes the safe part on, so a stream that never ends a line (a progress
// bar, a binary) neither grows without bound nor stalls.
const maxPending = 64 << 10

// Writer redacts a stream on its way to another writer. A secret may be
// cut across two Write calls, so Writer passes on only whole lines (ended
// by "\n" or "\r") and keeps the rest until the line ends, Flush is called,
// or the line grows past 64 KiB. Call Flush when the stream ends.
//
// Writes are serialised, so a Writer can be shared by concurrent writers
// (a child process's stdout and stderr copied at once).
type Writer struct {
	r       *Redactor
	w       io.Writer
	mu      sync.Mutex
	pending []byte
}

// NewWriter returns a Writer that redacts with r (nil: token shapes only)
// and writes to w.
func NewWriter(w io.Writer, r *Redactor) *Writer { return &Writer{r: r, w: w} }

// Unwrap returns the writer w redacts into, so callers can tell whether
// the stream is a terminal.
func (w *Writer) Unwrap() io.Writer { return w.w }

// Write redacts and passes on the complete lines of p, keeping the rest.
// It reports len(p) written unless the underlying writer fails.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pending = append(w.pending, p...)
	end := bytes.LastIndexAny(w.pending, "\n\r") + 1
	if end == 0 && len(w.pending) > maxPending {
		end = w.safeCut()
	}
	if end == 0 {
		return len(p), nil
	}
	if err := w.emit(w.pending[:end]); err != nil {
		return 0, err
	}
	w.pending = append(w.pending[:0], w.pending[end:]...)
	return len(p), nil
}

// safeCut returns how much of a long unended line can be passed on now:
// all but a tail long enough to hold the start of any secret, and never
// in the middle of (or just before the possibly unfinished end of) one.
func (w *Writer) safeCut() int {
	buf := string(w.pending)
	cut := len(buf) - w.r.maxLen()
	if cut <= 0 {
		return 0
	}
	for _, m := range w.r.spans(buf) {
		if m[0] < cut && (m[1] > cut || m[1] == len(buf)) {
			cut = m[0]
		}
	}
	return cut
}

// Flush redacts and passes on what is kept of an unended line.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return nil
	}
	err := w.emit(w.pending)
	w.pending = w.pending[:0]
	return err
}

func (w *Writer) emit(b []byte) error {
	_, err := io.WriteString(w.w, w.r.String(string(b)))
	return err
}

// spans returns where secrets and token shapes occur in s, as [start, end)
// byte offsets, in order.
func (r *Redactor) spans(s string) [][]int {
	return r.regexp().FindAllStringIndex(s, -1)
}
