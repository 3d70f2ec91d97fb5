package commitlint

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// perfOldIgnored is the regexp form of lintIsDefaultIgnored, the way
// commitlint writes it; the hand-written matcher must agree with it.
func perfOldIgnored(h string) bool {
	for _, re := range perfIgnoreRegexps {
		if re.MatchString(h) {
			return true
		}
	}
	h = perfChoreRegexp.ReplaceAllString(h, "")
	h = strings.TrimSpace(h)
	return perfSemverRegexp.MatchString(h)
}

var (
	perfIgnoreRegexps = func() (res []*regexp.Regexp) {
		for _, p := range lintDefaultIgnores {
			res = append(res, regexp.MustCompile(p))
		}
		return res
	}()
	perfChoreRegexp  = regexp.MustCompile(`^chore(\([^)]+\))?:`)
	perfSemverRegexp = regexp.MustCompile(lintSemverPattern)
)

// perfHeaders are the headers of testdata/corpus plus edge cases of every
// default-ignore pattern.
func perfHeaders(t testing.TB) []string {
	hs := []string{
		"", "Merge", "Merge ", "Merge pull request", "Merge pull requests", "Merge into x", "Merge  into x",
		"Merge a into b", "Merge a into", "Merge a into ", "Merge branch", "Merge branch ", "Merge branch 'x'",
		"Merge tag", "Merge tag v1", "Merge remote-tracking branch", "Merge remote-tracking branchx",
		"Merge remote-tracking branch 'origin/main'", "Merged", "Merged ", "Merged in", "Merged in ", "Merged main",
		"Merged main into x", "Merged PR", "Merged PR 1", "Merged PR 1: x", "Merged PR 1:", "Merged PR :x", "MergedPR 1: x",
		"Revert", "Revert ", "revert x", "revert: x", "Revert\"x\"", "Reapply", `Reapply "x"`, "Reapply x",
		"amend!", "amend! x", "fixup!x", "squash! x", "fixup x", "Squash! x", "Automatic merge", "Automatic mergex",
		"Auto-merged", "Auto-merged x into y", "Auto-merged x into", "Auto-merged  into y", "Auto-merged into y",
		"1.2.3", "v1.2.3", "=1.2.3", "1.2", "01.2.3", "1.2.3-beta.1+b.5", "1.2.3 ", " 1.2.3", "chore: 1.2.3",
		"chore(release): v1.2.3", "chore(): 1.2.3", "chore(a)(b): 1.2.3", "chore(a:1.2.3", "chore(a) : 1.2.3",
		"chore(a):1.2.3", "chore:", "chore", "chore(a)", "chore(a):", "chore(release)!: 1.2.3", "v1.2.3 is out",
		"feat: x", "fix: merge a into b", "Merge\tbranch x", "Merge branch\tx", "Merge 🎉 into 🚀",
	}
	for _, name := range []string{"subjects.jsonl", "messages.jsonl"} {
		b, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
		if err != nil {
			t.Fatalf("%v (regenerate with testdata/gen-corpus.sh)", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var row struct{ Subject, Message string }
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatal(err)
			}
			h, _, _ := strings.Cut(row.Subject+row.Message, "\n")
			hs = append(hs, h)
		}
	}
	return hs
}

func TestLintDefaultIgnoresMatchRegexps(t *testing.T) {
	for _, h := range perfHeaders(t) {
		if got, want := lintIsDefaultIgnored(h), perfOldIgnored(h); got != want {
			t.Errorf("lintIsDefaultIgnored(%q) = %v, the regexps say %v", h, got, want)
		}
	}
}

func FuzzLintDefaultIgnores(f *testing.F) {
	for _, h := range perfHeaders(f) {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		h, _, _ = strings.Cut(Parse(h).Header, "\n")
		if got, want := lintIsDefaultIgnored(h), perfOldIgnored(h); got != want {
			t.Errorf("lintIsDefaultIgnored(%q) = %v, the regexps say %v", h, got, want)
		}
	})
}

// perfMessages are the messages of testdata/corpus: real subjects and
// full messages.
func perfMessages(b *testing.B) []string {
	var msgs []string
	for _, name := range []string{"subjects.jsonl", "messages.jsonl"} {
		data, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
		if err != nil {
			b.Fatalf("%v (regenerate with testdata/gen-corpus.sh)", err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			var row struct{ Subject, Message string }
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				b.Fatal(err)
			}
			msgs = append(msgs, row.Subject+row.Message)
		}
	}
	return msgs
}

// BenchmarkLintCorpus lints every real message of testdata/corpus with
// config-conventional through one Linter, as range lint does; ns/op is per
// message.
func BenchmarkLintCorpus(b *testing.B) {
	msgs := perfMessages(b)
	l := NewLinter(ConventionalConfig())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		l.Lint(msgs[i%len(msgs)], Input{Author: "A Developer <dev@example.com>"})
		i++
	}
}

// BenchmarkParseCorpus parses every real message of testdata/corpus;
// ns/op is per message.
func BenchmarkParseCorpus(b *testing.B) {
	msgs := perfMessages(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Parse(msgs[i%len(msgs)])
		i++
	}
}
