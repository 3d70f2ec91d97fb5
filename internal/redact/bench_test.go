package redact

import (
	"io"
	"strings"
	"testing"
)

// lintLine is one line of `shipflow lint --format json` output for a clean
// commit, the bulk of what the CLI prints on a 100k-commit range.
const lintLine = `{"commit":"0123456789abcdef0123456789abcdef01234567","header":"feat(api): add the search endpoint (#1234)","findings":[]}` + "\n"

// BenchmarkWriter measures the redacting writer on the CLI's stdout with
// the secrets of a CI job (a GITHUB_TOKEN and two more) set: every byte of
// a long lint run passes through it.
func BenchmarkWriter(b *testing.B) {
	chunk := []byte(strings.Repeat(lintLine, 64))
	for _, tc := range []struct {
		name string
		r    *Redactor
	}{
		{"shapes only", nil},
		{"three secrets", New([]string{"GITHUB_TOKEN=ghs_0123456789abcdefghijABCDEFGHIJ012345", "NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789", "DB_PASSWORD=correct horse battery staple"})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			w := NewWriter(io.Discard, tc.r)
			b.SetBytes(int64(len(chunk)))
			for b.Loop() {
				w.Write(chunk)
			}
		})
	}
}

// The fast path (no anchor, no token prefix: the text is passed on as it
// is) never lets through what the regexp alone would have redacted.
func TestFastPathAgreesWithRegexp(t *testing.T) {
	r := New([]string{"GITHUB_TOKEN=ghs_0123456789abcdefghijABCDEFGHIJ012345", "DB_PASSWORD=p@ss-word_42!", "A_SECRET=$$##!!"})
	texts := []string{
		lintLine, "token ghs_0123456789abcdefghijABCDEFGHIJ012345 here", "ghs\\_0123456789abcdefghijABCDEFGHIJ012345",
		"p@ss-word_42!", `p\@ss\-word\_42\!`, "p&amp;ss", "$$##!!", `\$\$\#\#\!\!`, "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
		`github\_pat\_11ABCDEFG0123456789\_abcdefghijklmnopqrstuvwxyz`, "gho_abcdefghijklmnopqrstuvwxyz012345", "through high right github.com", "",
	}
	for _, s := range texts {
		want := r.regexp().ReplaceAllLiteralString(s, Mask)
		if got := r.String(s); got != want {
			t.Errorf("String(%q) = %q, the regexp alone gives %q", s, got, want)
		}
	}
}
