package main

import (
	"encoding/json"
	"testing"
)

// TestLintAppendJSON holds the hand-written JSON of a commit to
// json.Marshal's output, byte for byte.
func TestLintAppendJSON(t *testing.T) {
	problem := []lintJSONProblem{{Rule: "type-enum", Level: "error", Line: 1, Column: 1, Message: "type `x` is not allowed", Fix: "did you mean `feat`?", URL: "https://x/#type-enum"}}
	cases := []struct {
		name string
		r    lintJSONResult
	}{
		{"plain", lintJSONResult{Commit: "0123456789abcdef0123456789abcdef01234567", Valid: true, Type: "feat", Scope: "core", Problems: []lintJSONProblem{}}},
		{"no commit", lintJSONResult{Valid: true, Type: "fix", Problems: []lintJSONProblem{}}},
		{"ignored", lintJSONResult{Commit: "abc", Valid: true, Ignored: true, Problems: []lintJSONProblem{}}},
		{"breaking", lintJSONResult{Commit: "abc", Valid: true, Type: "feat", Breaking: true, Problems: []lintJSONProblem{}}},
		{"problems", lintJSONResult{Commit: "abc", Type: "x", Problems: problem}},
		{"quote in scope", lintJSONResult{Commit: "abc", Type: "feat", Scope: `a"b`, Problems: []lintJSONProblem{}}},
		{"backslash", lintJSONResult{Commit: "abc", Type: "feat", Scope: `a\b`, Problems: []lintJSONProblem{}}},
		{"html", lintJSONResult{Commit: "abc", Type: "feat", Scope: "<a>&", Problems: []lintJSONProblem{}}},
		{"non-ascii", lintJSONResult{Commit: "abc", Type: "fëat", Scope: "日本\u2028", Problems: []lintJSONProblem{}}},
		{"control", lintJSONResult{Commit: "abc", Type: "feat", Scope: "a\tb\x7f", Problems: []lintJSONProblem{}}},
		{"invalid utf-8", lintJSONResult{Commit: "abc", Type: "f\xffat", Problems: []lintJSONProblem{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(tc.r)
			if err != nil {
				t.Fatal(err)
			}
			got := lintAppendJSON([]byte("prefix"), tc.r)
			if string(got) != "prefix"+string(want) {
				t.Errorf("lintAppendJSON = %s\njson.Marshal  = prefix%s", got, want)
			}
		})
	}
}
