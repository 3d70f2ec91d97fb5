package commitlint

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// normFinding is the part of a Finding that Normalize tests pin exactly;
// the wording is checked by substring.
type normFinding struct {
	Rule         string
	Level        Level
	Line, Column int
}

func TestNormalize(t *testing.T) {
	cases := []struct {
		name     string
		in       string
		want     string
		findings []normFinding
		msgHas   []string // substrings of the findings' messages
	}{
		{name: "clean", in: "feat: x", want: "feat: x"},
		{name: "final newline", in: "feat: x\n", want: "feat: x"},
		{name: "crlf", in: "feat: x\r\n\r\nbody\r\n", want: "feat: x\n\nbody"},
		{name: "lone cr", in: "feat: x\r\rbody\r", want: "feat: x\n\nbody"},
		{name: "cr cr lf", in: "a\r\r\nb", want: "a\n\nb"},
		{name: "leading and trailing blank lines", in: "\n \t\n\nfeat: x\n\nbody\n \n\n", want: "feat: x\n\nbody"},
		{name: "keeps indentation of the first line", in: "\n  feat: x", want: "  feat: x"},
		{name: "keeps trailing spaces of the last line", in: "feat: x  \n\n", want: "feat: x  "},
		{name: "keeps inner blank lines", in: "a\n\n\n\nb", want: "a\n\n\n\nb"},
		{name: "empty", in: "", want: ""},
		{name: "only whitespace", in: "\n \r\n\t\r", want: ""},
		{
			name: "bom", in: "\ufefffeat: x\n", want: "feat: x",
			findings: []normFinding{{"encoding", Warning, 1, 1}},
			msgHas:   []string{"byte order mark"},
		},
		{
			name: "bom then crlf and blank lines", in: "\ufeff\r\n\r\nfeat: é\r\n", want: "feat: é",
			findings: []normFinding{{"encoding", Warning, 1, 1}},
		},
		{
			name: "latin-1 byte", in: "feat: caf\xe9\n", want: "feat: caf\ufffd",
			findings: []normFinding{{"encoding", Error, 1, 10}},
			msgHas:   []string{"not valid UTF-8: byte 0xe9", "1 invalid byte"},
		},
		{
			name: "bad byte after removed blank lines, column in characters", in: "\n\nfeat: x\n\nbé\xff", want: "feat: x\n\nbé\ufffd",
			findings: []normFinding{{"encoding", Error, 3, 3}},
		},
		{
			name: "truncated character counts each byte", in: "feat: €\xe2\x82 x", want: "feat: €\ufffd\ufffd x",
			findings: []normFinding{{"encoding", Error, 1, 8}},
			msgHas:   []string{"byte 0xe2", "2 invalid bytes"},
		},
		{
			name: "nul", in: "feat: x\x00y\n\x00", want: "feat: x\ufffdy\n\ufffd",
			findings: []normFinding{{"encoding", Error, 1, 8}},
			msgHas:   []string{"NUL byte (2 NUL bytes in all"},
		},
		{
			name: "binary file", in: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff",
			want:     "\ufffdPNG\n\x1a\n\ufffd\ufffd\ufffd\nIHDR\ufffd",
			findings: []normFinding{{"encoding", Error, 1, 1}, {"encoding", Error, 3, 1}},
			msgHas:   []string{"2 invalid bytes", "3 NUL bytes"},
		},
		{
			name: "surrogate half is invalid", in: "fix: \xed\xa0\x80", want: "fix: \ufffd\ufffd\ufffd",
			findings: []normFinding{{"encoding", Error, 1, 6}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, findings := Normalize([]byte(tc.in))
			if got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			var gotF []normFinding
			for _, f := range findings {
				gotF = append(gotF, normFinding{f.Rule, f.Level, f.Line, f.Column})
			}
			if diff := cmp.Diff(tc.findings, gotF); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			var msgs []string
			for _, f := range findings {
				msgs = append(msgs, f.Message)
			}
			for _, sub := range tc.msgHas {
				if !strings.Contains(strings.Join(msgs, "\n"), sub) {
					t.Errorf("no finding mentions %q; findings: %+v", sub, findings)
				}
			}
			for _, f := range findings {
				if f.Fix == "" {
					t.Errorf("finding %+v has no fix", f)
				}
			}
			normCheckInvariants(t, tc.in, got, findings)
		})
	}
}

// normCheckInvariants checks what holds for every input: the result is
// valid UTF-8 without CR, NUL or blank lines at either end, Normalize is
// idempotent, and every error points at a U+FFFD of the result.
func normCheckInvariants(t *testing.T, in, got string, findings []Finding) {
	t.Helper()
	if !utf8.ValidString(got) || strings.ContainsAny(got, "\r\x00") {
		t.Errorf("Normalize(%q) = %q: not valid UTF-8 or has CR/NUL", in, got)
	}
	if got != strings.TrimSpace(got) && (strings.HasPrefix(strings.TrimLeft(got, " \t\v\f"), "\n") || strings.HasSuffix(strings.TrimRight(got, " \t\v\f"), "\n")) {
		t.Errorf("Normalize(%q) = %q: blank line at an end", in, got)
	}
	again, more := Normalize([]byte(got))
	if again != got || len(more) != 0 {
		t.Errorf("Normalize is not idempotent on %q: %q, %+v", got, again, more)
	}
	for _, f := range findings {
		if f.Level != Error {
			continue
		}
		r, ok := normRuneAt(got, f.Line, f.Column)
		if !ok || r != utf8.RuneError {
			t.Errorf("finding %+v does not point at U+FFFD in %q (found %q, %v)", f, got, r, ok)
		}
	}
}

// normRuneAt returns the character at line:column (1-based, in characters).
func normRuneAt(s string, line, col int) (rune, bool) {
	if line < 1 || col < 1 {
		return 0, false
	}
	lines := strings.Split(s, "\n")
	if line > len(lines) {
		return 0, false
	}
	for i, r := range []rune(lines[line-1]) {
		if i == col-1 {
			return r, true
		}
	}
	return 0, false
}

func TestNormalizeLargeMessage(t *testing.T) {
	// A 10 MB message is handled in one pass, not rejected and not cut.
	body := strings.Repeat("word word word word word word word word word\r\n", 10<<20/46)
	in := "feat: big\r\n\r\n" + body + "caf\xe9"
	got, findings := Normalize([]byte(in))
	if want := len(in) - strings.Count(in, "\r") - 1 + len("\ufffd"); len(got) != want {
		t.Errorf("len = %d, want %d", len(got), want)
	}
	wantLine := 3 + strings.Count(body, "\n")
	if diff := cmp.Diff([]normFinding{{"encoding", Error, wantLine, 4}}, []normFinding{{findings[0].Rule, findings[0].Level, findings[0].Line, findings[0].Column}}); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func BenchmarkNormalize(b *testing.B) {
	typical := []byte("feat(api): add the thing\n\nA body that explains why the thing is needed,\nwrapped at a sane width.\n\nCloses #12\nSigned-off-by: A U Thor <author@example.com>\n")
	crlf := []byte(strings.ReplaceAll(string(typical), "\n", "\r\n"))
	big := []byte("feat: big\n\n" + strings.Repeat("word word word word word word word word wörd\n", 10<<20/47))
	bigCRLF := []byte(strings.ReplaceAll(string(big), "\n", "\r\n"))
	for _, bc := range []struct {
		name string
		in   []byte
	}{{"typical", typical}, {"typical-crlf", crlf}, {"10MB", big}, {"10MB-crlf", bigCRLF}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.in)))
			b.ReportAllocs()
			for b.Loop() {
				Normalize(bc.in)
			}
		})
	}
}
