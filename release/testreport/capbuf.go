package testreport

import (
	"fmt"
	"strings"
)

// DefaultOutputLimit is how many bytes of output are kept per case (and for
// the command's own output) unless WithOutputLimit says otherwise: half from
// the start, half from the end, where a panic or the final error usually is.
const DefaultOutputLimit = 64 << 10

// capBuffer keeps the first and last limit/2 bytes written to it and counts
// what it dropped in between, so memory stays bounded on huge output.
type capBuffer struct {
	limit   int
	head    []byte
	tail    []byte // ring buffer of at most limit/2 bytes
	tailPos int    // next write position in tail once it is full
	dropped int64
}

func newCapBuffer(limit int) *capBuffer {
	if limit < 2 {
		limit = 2
	}
	return &capBuffer{limit: limit}
}

func (b *capBuffer) WriteString(s string) {
	half := b.limit / 2
	if n := min(half-len(b.head), len(s)); n > 0 {
		b.head = append(b.head, s[:n]...)
		s = s[n:]
	}
	if len(s) == 0 {
		return
	}
	tailCap := b.limit - half
	if len(s) >= tailCap {
		b.dropped += int64(len(b.tail)) + int64(len(s)-tailCap)
		b.tail = append(b.tail[:0], s[len(s)-tailCap:]...)
		b.tailPos = 0
		return
	}
	for len(s) > 0 {
		if len(b.tail) < tailCap {
			n := min(tailCap-len(b.tail), len(s))
			b.tail = append(b.tail, s[:n]...)
			s = s[n:]
			continue
		}
		n := min(tailCap-b.tailPos, len(s))
		b.dropped += int64(n)
		copy(b.tail[b.tailPos:], s[:n])
		b.tailPos = (b.tailPos + n) % tailCap
		s = s[n:]
	}
}

// String returns the kept output with a marker where bytes were dropped.
func (b *capBuffer) String() string {
	var sb strings.Builder
	sb.Grow(len(b.head) + len(b.tail) + 64)
	sb.Write(b.head)
	if b.dropped > 0 {
		if len(b.head) > 0 && b.head[len(b.head)-1] != '\n' {
			sb.WriteByte('\n')
		}
		fmt.Fprintf(&sb, "[... %d bytes of output omitted ...]\n", b.dropped)
	}
	sb.Write(b.tail[b.tailPos:])
	sb.Write(b.tail[:b.tailPos])
	return sb.String()
}

func (b *capBuffer) Len() int { return len(b.head) + len(b.tail) }
