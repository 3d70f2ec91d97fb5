package actions

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shipflow/shipflow/release/report"
)

func TestAnnotateCapsPerLevel(t *testing.T) {
	var anns []Annotation
	for i := 1; i <= 13; i++ {
		anns = append(anns, Annotation{Level: Failure, Source: report.SourceFile, File: "a.go", Line: i, Title: "rule", Message: fmt.Sprintf("error %d", i)})
	}
	for i := 1; i <= 11; i++ {
		anns = append(anns, Annotation{Level: Warning, Message: fmt.Sprintf("warning %d", i)})
	}
	anns = append(anns, Annotation{Level: Notice, Message: "note, with: punctuation\nand a second line"})
	r, log, _ := tempRunner(t, nil)
	left := r.Annotate(anns)

	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	count := map[string]int{}
	for _, l := range lines {
		cmd, _, _ := strings.Cut(strings.TrimPrefix(l, "::"), " ")
		cmd, _, _ = strings.Cut(cmd, "::")
		count[cmd]++
	}
	if count["error"] != 10 || count["warning"] != 10 || count["notice"] != 1 {
		t.Errorf("commands written: %v, want 10 errors, 10 warnings, 1 notice\n%s", count, log)
	}
	if len(left) != 4 || left[0].Message != "error 11" || left[3].Message != "warning 11" {
		t.Errorf("left = %+v", left)
	}
	if want := "::error file=a.go,line=1,title=rule::error 1"; lines[0] != want {
		t.Errorf("first command %q, want %q", lines[0], want)
	}
	if want := "::notice::note, with: punctuation%0Aand a second line"; lines[len(lines)-1] != want {
		t.Errorf("notice %q, want %q", lines[len(lines)-1], want)
	}

	md := SummaryMarkdown(&Report{Name: "shipflow lint", Title: "13 errors", Conclusion: Failed, Summary: "body"}, left)
	for _, want := range []string{"### shipflow lint", "❌ 13 errors", "body", "4 more findings than the log shows", "| failure | a.go:11 rule | error 11 |", "| warning |  | warning 11 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short", "abc", 3, "abc"},
		{"cut", "abcdef", 5, "abc.."},
		{"runes", "ééééé", 4, "éé.."},
		{"tail longer than max", "abcdef", 1, ".."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Truncate(tc.in, tc.max, "..")
			if got != tc.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("invalid UTF-8 %q", got)
			}
		})
	}
}

func TestAppendSummary(t *testing.T) {
	r, _, vars := tempRunner(t, nil)
	if err := r.AppendSummary("one"); err != nil {
		t.Fatal(err)
	}
	if err := r.AppendSummary(strings.Repeat("x", MaxJobSummary+10)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(vars["GITHUB_STEP_SUMMARY"])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "one\nxxx") {
		t.Errorf("summary starts %q", data[:10])
	}
	if len(data) > MaxJobSummary {
		t.Errorf("summary is %d bytes, over the runner's %d", len(data), MaxJobSummary)
	}
	if !strings.Contains(string(data), "summary cut at the runner's 1 MiB limit") {
		t.Error("cut summary does not say so")
	}
	r2, _, vars2 := tempRunner(t, nil)
	if err := r2.AppendSummary(strings.Repeat("é", MaxJobSummary)); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(vars2["GITHUB_STEP_SUMMARY"])
	if len(data) > MaxJobSummary || !utf8.Valid(data) {
		t.Errorf("two-byte summary: %d bytes (limit %d), valid UTF-8 %v", len(data), MaxJobSummary, utf8.Valid(data))
	}
	local := NewRunner(func(string) string { return "" }, &strings.Builder{})
	if err := local.AppendSummary("x"); err != nil {
		t.Errorf("local run: %v", err)
	}
}

func TestEscapeMarkdown(t *testing.T) {
	got := escapeMarkdown("feat: <img src=x> | [link](u) *b* `c`\nnext")
	for _, bad := range []string{"<img", "| [", "\n"} {
		if strings.Contains(got, bad) {
			t.Errorf("escaped text %q still contains %q", got, bad)
		}
	}
}
