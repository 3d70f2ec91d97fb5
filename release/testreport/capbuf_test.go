package testreport

import (
	"strings"
	"testing"
)

func TestCapBuffer(t *testing.T) {
	tests := []struct {
		name   string
		limit  int
		writes []string
		want   string
	}{
		{"fits", 10, []string{"abc", "de"}, "abcde"},
		{"exactly", 4, []string{"abcd"}, "abcd"},
		{"head and tail", 4, []string{"abcdefgh"}, "ab\n[... 4 bytes of output omitted ...]\ngh"},
		{"ring wraps", 6, []string{"abc", "def", "g", "h", "ijk"}, "abc\n[... 5 bytes of output omitted ...]\nijk"},
		{"many small", 4, strings.Split("0123456789", ""), "01\n[... 6 bytes of output omitted ...]\n89"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newCapBuffer(tt.limit)
			for _, w := range tt.writes {
				b.WriteString(w)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if b.Len() > tt.limit {
				t.Errorf("Len() = %d over limit %d", b.Len(), tt.limit)
			}
		})
	}
}

// TestKeptOutputBounded: with many failing tests, the output kept for all
// of them together stays bounded.
func TestKeptOutputBounded(t *testing.T) {
	s := newGoStream(t.TempDir(), makeOptions(nil))
	big := strings.Repeat("y", 1000)
	for i := range 1000 {
		name := "T" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("z", i/26)
		s.Write([]byte(`{"Action":"run","Package":"p","Test":"` + name + "\"}\n"))
		for range 100 {
			s.Write([]byte(`{"Action":"output","Package":"p","Test":"` + name + `","Output":"` + big + `\n"}` + "\n"))
		}
		s.Write([]byte(`{"Action":"fail","Package":"p","Test":"` + name + "\"}\n"))
	}
	s.Write([]byte(`{"Action":"fail","Package":"p"}` + "\n"))
	rep := s.Close()
	total := 0
	for _, c := range rep.Cases {
		total += len(c.Output)
	}
	if n := rep.Counts().Failed; n != 1000 {
		t.Fatalf("%d failed, want 1000", n)
	}
	if total > maxKeptOutput+1000*(4096+64)+DefaultOutputLimit {
		t.Errorf("kept %d bytes of output in all", total)
	}
}
