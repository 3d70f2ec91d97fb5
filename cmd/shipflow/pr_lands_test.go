package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestPRCLILands: what `shipflow pr` lints follows the merge methods, and
// drafts, WIP titles and ignore labels are skipped or pending with exit 0.
func TestPRCLILands(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login form", "Fixed stuff")
	gb, bbase, bhead := prRepo(t, "feat!: replace the login form", "docs: note it")
	cases := []struct {
		name     string
		dir      int // 0: g, 1: gb
		args     []string
		wantCode int
		wantOut  []string
	}{
		{"squash-only: a bad intermediate commit passes", 0, []string{"--merge-method", "squash", "--title", "feat: login page"}, 0,
			[]string{"only squash is allowed (merge-method): linting the title and the squash commit\n", "✔ title\n", "✔ squash commit\n"}},
		{"merge-only lints every commit", 0, []string{"--merge-method", "merge", "--title", "feat: login page"}, 1,
			[]string{"only merge commits are allowed (merge-method): linting the title and every commit\n", "✖ commit "}},
		{"squash drops a breaking change", 1, []string{"--merge-method", "squash", "--title", "feat: login page"}, 1,
			[]string{"[squash-drops-breaking]", "fix: add `!` to the title: `feat!: login page`"}},
		{"check title", 0, []string{"--check", "title", "--title", "feat: login page"}, 0,
			[]string{"check: title: linting the title\n"}},
		{"draft skipped", 0, []string{"--draft", "--drafts", "skip", "--title", "Login page"}, 0,
			[]string{"– skipped: draft (pr.drafts: skip)\n"}},
		{"draft pending", 0, []string{"--draft", "--drafts", "pending", "--title", "Login page"}, 0,
			[]string{"pending: draft: the findings do not fail the check\n", "✖ title: Login page"}},
		{"WIP skipped", 0, []string{"--wip", "skip", "--title", "[WIP] login page"}, 0,
			[]string{"– skipped: WIP title (pr.wip: skip)\n"}},
		{"ignore label", 0, []string{"--labels", "bug,skip-lint", "--ignore-labels", "skip-lint", "--title", "Login page"}, 0,
			[]string{"– skipped: label skip-lint (pr.ignore-labels)\n"}},
		{"bad merge method", 0, []string{"--merge-method", "fast-forward", "--title", "feat: x"}, 2, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, b, h := g.Dir, base, head
			if c.dir == 1 {
				dir, b, h = gb.Dir, bbase, bhead
			}
			args := append([]string{"pr", "--base-sha", b, "--head-sha", h, "--number", "0"}, c.args...)
			code, out, errOut := branchRun(t, dir, nil, args...)
			if code != c.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.wantCode, out, errOut)
			}
			for _, w := range c.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestPRCLIMergeSettings: with a token and a repository, the CLI reads
// the repository's merge settings; a token GitHub gives none says so in a
// note and lints everything.
func TestPRCLIMergeSettings(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login form", "Fixed stuff")
	f := githubfake.New(t)
	f.RequireToken("ghp_pr_token")
	f.AddRepo("o", "r", githubfake.Permissions{Push: true, Pull: true})
	f.SetMergeSettings("o", "r", githubfake.MergeSettings{AllowSquash: true, SquashTitle: "PR_TITLE", SquashMessage: "PR_BODY"})
	env := map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL, "GH_TOKEN": "ghp_pr_token"}
	args := []string{"pr", "--base-sha", base, "--head-sha", head, "--title", "feat: login page", "--number", "5", "--body", "The body.", "--format", "json"}
	code, out, errOut := branchRun(t, g.Dir, env, args...)
	if code != 0 || !strings.Contains(out, `"linted": "only squash is allowed (the repository's settings): linting the title and the squash commit"`) ||
		!strings.Contains(out, `"message": "feat: login page (#5)\n\nThe body."`) {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}

	f.SetPermissions("o", "r", githubfake.Permissions{Pull: true})
	code, out, _ = branchRun(t, g.Dir, env, args[:len(args)-2]...)
	if code != 1 || !strings.Contains(out, "note: the repository's merge settings are unknown") {
		t.Errorf("read-only token: exit %d\n%s", code, out)
	}
}

// TestPRLandsGolden: text and markdown show what was linted and why.
func TestPRLandsGolden(t *testing.T) {
	g, base, head := prRepo(t, "feat!: replace the login form", "WIP", "docs: note it")
	var all strings.Builder
	for _, mm := range []string{"squash", "squash,merge"} {
		for _, format := range []string{"text", "markdown"} {
			// The release preview's notes are dated.
			code, out, errOut := branchRun(t, g.Dir, map[string]string{"SOURCE_DATE_EPOCH": "1767312000"}, "pr", "--base-sha", base, "--head-sha", head,
				"--title", "feat(login): new form", "--number", "42", "--head", "feature/login", "--base", "dev",
				"--merge-method", mm, "--format", format)
			fmt.Fprintf(&all, "$ shipflow pr ... --merge-method %s --format %s\n%s%sexit %d\n\n", mm, format, out, errOut, code)
		}
	}
	// Commit hashes change with every run.
	got := regexp.MustCompile(`\b[0-9a-f]{7}(?:[0-9a-f]{33})?\b`).ReplaceAllString(all.String(), "HASH")
	golden.Check(t, filepath.Join("testdata", "pr_lands.golden"), got)
}
