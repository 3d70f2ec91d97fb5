package git

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// scanRefCommits is the straightforward bufio.Scanner reading of `git log
// -z` output that scanCommits must agree with.
func scanRefCommits(rd io.Reader) ([]*Commit, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<31-1)
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		if i := bytes.IndexByte(data, 0); i >= 0 {
			return i + 1, data[:i], nil
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	})
	var out []*Commit
	var f [logFields]int
	var fields []string
	for sc.Scan() {
		tok := sc.Text()
		if len(fields) == 0 && tok == "" {
			continue
		}
		fields = append(fields, tok)
		if len(fields) < logFields {
			continue
		}
		rec := strings.Join(fields, "\x00")
		off := 0
		for i, s := range fields {
			off += len(s)
			f[i] = off
			off++
		}
		c, err := commitFromRecord(rec, f)
		if err != nil {
			return out, err
		}
		out = append(out, c)
		fields = fields[:0]
	}
	if err := sc.Err(); err != nil {
		return out, err
	}
	if len(fields) != 0 {
		return out, errors.New("git log output ended inside a commit record")
	}
	return out, nil
}

func TestScanCommits(t *testing.T) {
	rec := func(hash, parents, msg string) string {
		return hash + "\x00" + parents + "\x00A U Thor\x00a@example.com\x002024-01-02T03:04:05+01:00\x002024-01-02T03:04:06Z\x00" + msg + "\x00"
	}
	long := strings.Repeat("a long body line\n", 20000) // 340 KB: more than the first buffer
	cases := []struct {
		name    string
		in      string
		wantN   int
		wantErr bool
	}{
		{"empty", "", 0, false},
		{"one", rec("aaa", "", "feat: x\n"), 1, false},
		{"two", rec("aaa", "bbb", "feat: x\n") + rec("bbb", "", "fix: y"), 2, false},
		{"merge", rec("aaa", "bbb ccc", "Merge x\n"), 1, false},
		{"empty message", rec("aaa", "", ""), 1, false},
		{"separator NULs", rec("aaa", "", "m\n") + "\x00\x00" + rec("bbb", "", "n"), 2, false},
		{"last NUL missing", strings.TrimSuffix(rec("aaa", "", "feat: x\n"), "\x00"), 1, false},
		{"long message", rec("aaa", "", "feat: x\n\n"+long) + rec("bbb", "", "fix: y"), 2, false},
		{"truncated", rec("aaa", "", "m") + "bbb\x00ccc\x00", 1, true},
		{"truncated after six fields", rec("aaa", "", "m") + strings.TrimSuffix(rec("bbb", "", ""), "\x00"), 1, true},
		{"bad date", "aaa\x00\x00n\x00e\x00yesterday\x002024-01-02T03:04:06Z\x00m\x00", 0, true},
	}
	for _, tc := range cases {
		for _, slow := range []bool{false, true} {
			name := tc.name
			if slow {
				name += "/one byte reads"
			}
			t.Run(name, func(t *testing.T) {
				var rd io.Reader = strings.NewReader(tc.in)
				if slow {
					rd = iotest.OneByteReader(rd)
				}
				var got []*Commit
				err := scanCommits(rd, func(c *Commit) bool { got = append(got, c); return true })
				want, wantErr := scanRefCommits(strings.NewReader(tc.in))
				if (err != nil) != tc.wantErr || (wantErr != nil) != tc.wantErr {
					t.Fatalf("error = %v, reference error = %v, want error: %v", err, wantErr, tc.wantErr)
				}
				if len(got) != tc.wantN {
					t.Errorf("got %d commits, want %d", len(got), tc.wantN)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("scanCommits differs from the reference (-ref +got):\n%s", diff)
				}
			})
		}
	}
}

func TestScanCommitsStops(t *testing.T) {
	in := strings.Repeat("aaa\x00\x00n\x00e\x002024-01-02T03:04:05Z\x002024-01-02T03:04:05Z\x00m\x00", 10)
	n := 0
	if err := scanCommits(strings.NewReader(in), func(*Commit) bool { n++; return n < 3 }); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("fn called %d times after returning false on the 3rd, want 3", n)
	}
}

func BenchmarkScanCommits(b *testing.B) {
	var sb strings.Builder
	for i := range 10000 {
		sb.WriteString("0123456789012345678901234567890123456789\x000123456789012345678901234567890123456789\x00Bench\x00bench@example.com\x002023-11-16T01:59:59+00:00\x002023-11-16T01:59:59+00:00\x00chore: update node.js to v16 (#2582)\n\nBody line ")
		sb.WriteString(strings.Repeat("x", i%10))
		sb.WriteString(" of a benchmark commit.\n\x00")
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if err := scanCommits(strings.NewReader(in), func(*Commit) bool { return true }); err != nil {
			b.Fatal(err)
		}
	}
}
