package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// prRepo makes main, dev and feature/login with msgs as commits; it returns
// the repository and the base (dev) and head shas.
func prRepo(t *testing.T, msgs ...string) (*gittest.Repo, string, string) {
	t.Helper()
	g := gittest.New(t)
	g.CommitFile("app.txt", "v1\n", "feat: first")
	g.Branch("dev")
	base := g.CommitFile("dev.txt", "dev\n", "feat: dev work")
	g.Branch("feature/login")
	for i, m := range msgs {
		g.CommitFile(fmt.Sprintf("f%d.txt", i), m, m)
	}
	return g, base, g.Head()
}

func TestPRCLI(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login form", "fix: validate the password")
	long := "feat: " + strings.Repeat("x", 92)
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"clean", []string{"--title", "feat: login page", "--number", "12", "--head", "feature/login", "--base", "dev"}, 0, "✔ squash commit", ""},
		{"bad title", []string{"--title", "Login page", "--number", "12"}, 1, "✖ title: Login page", ""},
		{"squash shares the title's problems", []string{"--title", "Login page", "--number", "12"}, 1, "✖ squash commit: Login page (#12) (the problems above)", ""},
		{"squash header too long", []string{"--title", long, "--number", "1234"}, 1, "header is 106 characters, limit is 100 [header-max-length]", ""},
		{"wrong base", []string{"--title", "feat: login", "--number", "12", "--head", "feature/login", "--base", "main"}, 1, "feature/* may only target dev; it targets main", ""},
		{"head without base", []string{"--title", "feat: x", "--head", "feature/login"}, 2, "", "head and base branches go together"},
		{"missing title", []string{"--title", " "}, 2, "", "missing title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"pr", "--base-sha", base, "--head-sha", head}, c.args...)
			code, out, errOut := branchRun(t, g.Dir, nil, args...)
			if code != c.wantCode || !strings.Contains(out, c.wantOut) || !strings.Contains(errOut, c.wantErr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout ⊇ %q, stderr ⊇ %q", code, c.wantCode, out, errOut, c.wantOut, c.wantErr)
			}
		})
	}
	t.Run("unknown sha", func(t *testing.T) {
		code, _, errOut := branchRun(t, g.Dir, nil, "pr", "--base-sha", strings.Repeat("0", 40), "--head-sha", head, "--title", "feat: x")
		if code != 2 || !strings.Contains(errOut, "unknown revision") {
			t.Errorf("exit %d, stderr %s", code, errOut)
		}
	})
	t.Run("not a repository", func(t *testing.T) {
		code, _, errOut := branchRun(t, t.TempDir(), nil, "pr", "--base-sha", base, "--head-sha", head, "--title", "feat: x")
		if code != 2 || !strings.Contains(errOut, "not a git repository") {
			t.Errorf("exit %d, stderr %s", code, errOut)
		}
	})
}

func TestPRGolden(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login form", "WIP", "fix: validate the password.")
	var all strings.Builder
	for _, format := range []string{"text", "github"} {
		code, out, errOut := branchRun(t, g.Dir, map[string]string{"SOURCE_DATE_EPOCH": "1767312000"}, "pr", "--base-sha", base, "--head-sha", head,
			"--title", "feat: "+strings.Repeat("y", 92), "--number", "4242", "--head", "Feature/login", "--base", "dev", "--format", format)
		fmt.Fprintf(&all, "$ shipflow pr ... --format %s\n%s%sexit %d\n\n", format, out, errOut, code)
	}
	golden.Check(t, filepath.Join("testdata", "pr.golden"), all.String())
}

func TestPRJSON(t *testing.T) {
	g, base, head := prRepo(t, "fix(api): handle nil\n\nThe handler crashed.")
	code, out, _ := branchRun(t, g.Dir, nil, "pr", "--base-sha", base, "--head-sha", head, "--title", "Fix API", "--number", "7", "--format", "json")
	var rep struct {
		Number  int  `json:"number"`
		OK      bool `json:"ok"`
		Errors  int  `json:"errors"`
		Commits []struct {
			Commit string `json:"commit"`
			Valid  bool   `json:"valid"`
		} `json:"commits"`
		Title struct {
			Valid bool `json:"valid"`
		} `json:"title"`
		Squash struct {
			Message string `json:"message"`
			Valid   bool   `json:"valid"`
		} `json:"squash"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code != 1 || rep.OK || rep.Number != 7 || rep.Title.Valid || len(rep.Commits) != 1 || rep.Commits[0].Commit != head || !rep.Commits[0].Valid {
		t.Errorf("exit %d, report %+v", code, rep)
	}
	// One commit: the squash commit is that commit's message, not the title.
	if want := "fix(api): handle nil (#7)\n\nThe handler crashed."; rep.Squash.Message != want || !rep.Squash.Valid {
		t.Errorf("squash %q (valid %v), want %q", rep.Squash.Message, rep.Squash.Valid, want)
	}
}

// TestPRFromEvent feeds the CLI the values a workflow takes from a real
// pull_request payload (derived in release/branch/testdata): head.ref, not
// head.label.
func TestPRFromEvent(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "release", "branch", "testdata", "events", "fork-label-is-not-the-head.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Number      int `json:"number"`
		PullRequest struct {
			Title string
			Head  struct{ Ref, Label string }
			Base  struct{ Ref string }
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	g, base, head := prRepo(t, "docs: update the README")
	code, out, errOut := branchRun(t, g.Dir, nil, "pr", "--base-sha", base, "--head-sha", head,
		"--title", ev.PullRequest.Title, "--number", strconv.Itoa(ev.Number),
		"--head", ev.PullRequest.Head.Ref, "--base", ev.PullRequest.Base.Ref)
	// The example's title is not a Conventional Commit; the branches are fine.
	if code != 1 || !strings.Contains(out, "✖ title: "+ev.PullRequest.Title) || !strings.Contains(out, "✔ branches feature/from-fork → dev") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

func TestPRStrict(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login\nno blank line before this body")
	args := []string{"pr", "--base-sha", base, "--head-sha", head, "--title", "feat: login", "--number", "3"}
	code, out, _ := branchRun(t, g.Dir, nil, args...)
	if code != 0 || !strings.Contains(out, "body-leading-blank") || !strings.Contains(out, "⚠ 0 errors, 1 warning") {
		t.Errorf("warnings only: exit %d\n%s", code, out)
	}
	if code, _, _ = branchRun(t, g.Dir, nil, append(args, "--strict")...); code != 1 {
		t.Errorf("--strict: exit %d, want 1", code)
	}
}

// TestPRMarkdown: --format markdown is the pr Action's job summary: a row
// per finding, each part of the pull request named, and the verdict.
func TestPRMarkdown(t *testing.T) {
	g, base, head := prRepo(t, "WIP")
	code, out, errOut := branchRun(t, g.Dir, nil, "pr", "--base-sha", base, "--head-sha", head, "--title", "Login page", "--number", "3", "--format", "markdown")
	for _, want := range []string{
		"| where | level | rule | finding |\n",
		"| PR title: type-empty 1:6 | ❌ error |",
		"| `" + head[:7] + "` WIP 1:4 | ❌ error |",
		"\n❌ 2 errors, 0 warnings\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if code != exitFindings {
		t.Errorf("exit %d, want %d; stderr %s", code, exitFindings, errOut)
	}
}

// TestPRPreviewAndCommentFlags: --preview=false shows no preview; a
// --comment that is no mode is a usage error; --comment without a token
// warns and still checks.
func TestPRPreviewAndCommentFlags(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login form")
	args := []string{"pr", "--base-sha", base, "--head-sha", head, "--title", "feat: login", "--number", "3", "--head", "feature/login", "--base", "dev"}
	code, out, errOut := branchRun(t, g.Dir, nil, args...)
	if code != 0 || !strings.Contains(out, "merging releases v0.1.0-dev.1 (minor: feat: add login form)") {
		t.Errorf("preview: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = branchRun(t, g.Dir, nil, append(args, "--preview=false")...)
	if code != 0 || strings.Contains(out, "merging") {
		t.Errorf("--preview=false: exit %d\n%s", code, out)
	}
	code, _, errOut = branchRun(t, g.Dir, nil, append(args, "--comment", "sometimes")...)
	if code != 2 || !strings.Contains(errOut, "comment") {
		t.Errorf("--comment sometimes: exit %d, %s", code, errOut)
	}
	code, _, errOut = branchRun(t, g.Dir, map[string]string{"GITHUB_REPOSITORY": "o/r"}, append(args, "--comment", "always")...)
	if code != 0 || !strings.Contains(errOut, "warning: no pull request comment: no token") {
		t.Errorf("--comment without a token: exit %d, %s", code, errOut)
	}
}
