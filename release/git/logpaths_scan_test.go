package git

import (
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

const scanHash = "0123456789abcdef0123456789abcdef01234567"

// record is one commit as git writes it with logPathsFormat.
func record(hash, msg string, paths ...string) string {
	s := "\x00" + hash + "\x00\x00Ada\x00ada@example.com\x002024-01-02T03:04:05Z\x002024-01-02T03:04:05Z\x00" + msg + "\x00"
	if len(paths) > 0 {
		s += "\n"
		for _, p := range paths {
			s += p + "\x00"
		}
	}
	return s
}

func TestScanCommitPathsByteByByte(t *testing.T) {
	long := strings.Repeat("p", 100<<10)
	in := record(scanHash, "feat: x\n", "a", "\nb", scanHash) + record(scanHash, "", long) + record(scanHash, "chore: none\n")
	var got [][]string
	var msgs []string
	err := scanCommitPaths(iotest.OneByteReader(strings.NewReader(in)), func(c *CommitPaths) bool {
		got = append(got, c.Paths)
		msgs = append(msgs, c.Message)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([][]string{{"a", "\nb", scanHash}, {long}, nil}, got); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"feat: x\n", "", "chore: none\n"}, msgs); d != "" {
		t.Errorf("messages (-want +got):\n%s", d)
	}
}

func TestScanCommitPathsRejectsMalformedOutput(t *testing.T) {
	tests := []struct{ name, in string }{
		{"no start marker", scanHash + "\x00"},
		{"truncated header", "\x00" + scanHash + "\x00\x00Ada"},
		{"path without newline", record(scanHash, "m") + "a\x00"},
		{"bad date", "\x00" + scanHash + "\x00\x00A\x00a@b\x00yesterday\x002024-01-02T03:04:05Z\x00m\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := scanCommitPaths(strings.NewReader(tt.in), func(*CommitPaths) bool { return true })
			if err == nil {
				t.Errorf("no error for %q", tt.in)
			}
		})
	}
}

// BenchmarkScanCommitPaths is the Go side of LogPaths alone, on records
// shaped like the monorepo benchmark's (a subject, 1–3 paths).
func BenchmarkScanCommitPaths(b *testing.B) {
	var sb strings.Builder
	for i := range 10000 {
		var paths []string
		for j := range 1 + i%3 {
			paths = append(paths, "packages/p"+strings.Repeat("1", 1+j)+"/src/f01.go")
		}
		sb.WriteString(record(scanHash, "feat(p01): change\n", paths...))
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := scanCommitPaths(strings.NewReader(in), func(*CommitPaths) bool { n++; return true }); err != nil || n != 10000 {
			b.Fatal(n, err)
		}
	}
}
