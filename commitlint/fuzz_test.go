package commitlint

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzAddCorpus seeds a fuzz target with the real messages and subjects
// of testdata/corpus and the inputs of testdata/parse.
func fuzzAddCorpus(f *testing.F) {
	f.Helper()
	for _, name := range []string{"subjects.jsonl", "messages.jsonl"} {
		b, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
		if err != nil {
			f.Fatalf("%v (regenerate with testdata/gen-corpus.sh)", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var row struct{ Subject, Message string }
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				f.Fatal(err)
			}
			f.Add(row.Subject + row.Message)
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "parse", "*.txt"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

// fuzzBadInputs are the bad inputs of issue 2 that fit in a seed.
var fuzzBadInputs = []string{
	"", "\n", "\r", "\r\n\r\n", "\xef\xbb\xbf", "\xef\xbb\xbf\r\n", "\x00", "feat: x\x00", "\xff\xfe\x00f\x00e\x00a\x00t\x00",
	"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "feat: caf\xe9", "feat(\xe9): x", "\xe2\x82", "(", ")", "feat(", "feat(:", "feat!", "feat!(", ":",
	"# ------------------------ >8 ------------------------", "BREAKING CHANGE: x", "a\n\nBREAKING CHANGE: \n",
}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzBadInputs {
		f.Add(s)
	}
	fuzzAddCorpus(f)
	f.Fuzz(func(t *testing.T, in string) {
		got, findings := Normalize([]byte(in))
		normCheckInvariants(t, in, got, findings)
		lines := strings.Split(got, "\n")
		for _, fd := range findings {
			if fd.Line < 1 || fd.Line > len(lines) || fd.Column < 1 || fd.Column > utf8.RuneCountInString(lines[fd.Line-1])+1 {
				t.Errorf("finding %+v outside %q", fd, got)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzBadInputs {
		f.Add(s)
	}
	fuzzAddCorpus(f)
	f.Fuzz(func(t *testing.T, in string) {
		c := Parse(in)
		parseCheckInvariants(t, c)
		norm, _ := Normalize([]byte(in))
		if c.Raw != norm {
			t.Errorf("Parse(%q).Raw = %q, Normalize = %q", in, c.Raw, norm)
		}
		// Parsing the normalised text, or the raw text again, changes nothing.
		if again := Parse(c.Raw); !fuzzSameCommit(c, again) {
			t.Errorf("Parse(Normalize(x)) differs from Parse(x) for %q:\n%+v\n%+v", in, c, again)
		}
		// The header alone parses the same as the header of the message.
		if h := Parse(c.Header); h.Type != c.Type || h.Scope != c.Scope || h.Bang != c.Bang || h.Subject != c.Subject || (h.HeaderError == nil) != (c.HeaderError == nil) {
			t.Errorf("header %q parses differently alone: %+v vs %+v", c.Header, h, c)
		}
	})
}

func fuzzSameCommit(a, b *Commit) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func FuzzStrip(f *testing.F) {
	for _, s := range fuzzBadInputs {
		f.Add(s, "#")
	}
	for _, tc := range stripCases {
		f.Add(tc.in, tc.commentChar)
	}
	f.Fuzz(func(t *testing.T, in, c string) {
		got := Strip(in, c)
		// Strip's output is a fixed point: no comment, no trailing
		// whitespace, no blank run, one final newline.
		if got != "" && !strings.HasSuffix(got, "\n") {
			t.Errorf("Strip(%q, %q) = %q: no final newline", in, c, got)
		}
		if strings.HasPrefix(got, "\n") || strings.Contains(got, "\n\n\n") || strings.HasSuffix(got, "\n\n") {
			t.Errorf("Strip(%q, %q) = %q: blank lines left", in, c, got)
		}
		for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
			if strings.TrimRight(line, " \t\r") != line {
				t.Errorf("Strip(%q, %q) = %q: trailing whitespace on %q", in, c, got, line)
			}
		}
		if len(got) > len(in)+1 {
			t.Errorf("Strip(%q, %q) = %q grew", in, c, got)
		}
		if c != "" && c != "auto" {
			if again := Strip(got, c); again != got {
				t.Errorf("Strip is not idempotent on %q: %q", got, again)
			}
		}
	})
}
