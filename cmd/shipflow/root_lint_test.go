package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestRootForLintBuildsLintAlone: the command line of the commit-msg hook
// (`shipflow lint --edit FILE`, also after -C) gets a tree with the lint
// verb alone; any other command line gets every verb.
func TestRootForLintBuildsLintAlone(t *testing.T) {
	e := &env{ctx: context.Background(), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }, dir: "."}
	names := func(args ...string) []string {
		var n []string
		for _, c := range rootFor(e, args).Commands() {
			n = append(n, c.Name())
		}
		return n
	}
	lintAlone := []string{"completion", "help", "lint"}
	for _, args := range [][]string{
		{"lint", "--edit", ".git/COMMIT_EDITMSG"},
		{"commitlint", "-e", "msg"},
		{"-C", "repo", "lint", "--from", "v1.0.0"},
		{"--chdir", "repo", "lint"},
		{"--chdir=repo", "lint"},
		{"-Crepo", "lint"},
	} {
		if got := names(args...); !slices.Equal(got, lintAlone) {
			t.Errorf("rootFor(%q) has commands %q, want %q", args, got, lintAlone)
		}
	}
	for _, args := range [][]string{nil, {"next"}, {"-C", "lint"}, {"--help"}, {"help", "lint"}, {"__complete", "lint", ""}, {"-C", "repo", "--chdir", "x", "lint"}} {
		if got := names(args...); len(got) != len(verbs)+2 {
			t.Errorf("rootFor(%q) has commands %q, want all %d verbs", args, got, len(verbs))
		}
	}
}

// TestLintAloneAnswersAsTheFullTree: on every kind of lint command line,
// the tree with lint alone prints and exits exactly as the full tree does.
func TestLintAloneAnswersAsTheFullTree(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: start")
	g.Tag("v1.0.0")
	g.Commit("Added a thing.")
	g.WriteFile("msg.txt", "Added a thing.\n# a comment\n")
	g.WriteFile("ok.txt", "feat: add a thing\n")
	msg := filepath.Join(g.Dir, "msg.txt")
	for _, args := range [][]string{
		{"lint", "--edit", msg},
		{"lint", "--edit", "ok.txt"},
		{"lint", "-e", "missing.txt"},
		{"lint", "--from", "v1.0.0"},
		{"lint", "--from", "v1.0.0", "--format", "json"},
		{"lint", "--from", "nope"},
		{"lint", "--message", "fix: a bug"},
		{"lint", "--message", "x", "--edit", msg},
		{"lint", "--format", "yaml", "-m", "feat: x"},
		{"lint", "--bogus"},
		{"lint", "extra"},
		{"lint", "help"},
		{"lint", "--help"},
		{"commitlint", "-h"},
		{"lint", "--version"},
	} {
		args = append([]string{"-C", g.Dir}, args...)
		full, fullOut, fullErr := runTree(t, args, true)
		alone, aloneOut, aloneErr := runTree(t, args, false)
		if full != alone || fullOut != aloneOut || fullErr != aloneErr {
			t.Errorf("shipflow %s:\nfull tree: exit %d\n%s%s\nlint alone: exit %d\n%s%s", strings.Join(args, " "), full, fullOut, fullErr, alone, aloneOut, aloneErr)
		}
	}
}

// runTree runs shipflow with args on the full tree, or on the tree
// rootFor picks for them.
func runTree(t *testing.T, args []string, full bool) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, dir: "."}
	root := rootFor(e, args)
	if full {
		root = newRoot(e)
	}
	return execute(e, root, args), out.String(), errb.String()
}
