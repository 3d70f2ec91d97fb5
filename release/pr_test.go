package release_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/branch"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// prRepo builds main and dev, and a feature branch off dev with msgs as
// commits. It returns the repository, dev's sha and the feature's head.
func prRepo(t *testing.T, msgs ...string) (*gittest.Repo, string, string) {
	t.Helper()
	r := gittest.New(t)
	r.CommitFile("app.txt", "v1\n", "feat: first")
	r.Branch("dev")
	base := r.CommitFile("dev.txt", "dev\n", "feat: dev work")
	r.Branch("feature/x")
	for i, m := range msgs {
		r.CommitFile(fmt.Sprintf("f%d.txt", i), m, m)
	}
	return r, base, r.Head()
}

func prOpts(base, head, title string) release.PROptions {
	return release.PROptions{
		BaseSHA: base, HeadSHA: head, Title: title, Number: 12,
		Head: "feature/x", Base: "dev",
		Lint: commitlint.ConventionalConfig(), Policy: branch.DefaultPolicy(),
	}
}

// prRules lists "where:rule" for every lint and branch finding.
func prRules(rep *release.PRReport) []string {
	var out []string
	for _, f := range rep.Title.Result.Findings {
		out = append(out, "title:"+f.Rule)
	}
	for _, c := range rep.Commits {
		for _, f := range c.Result.Findings {
			out = append(out, strings.SplitN(c.Commit.Message, "\n", 2)[0]+":"+f.Rule)
		}
	}
	for _, f := range rep.Squash.Result.Findings {
		out = append(out, "squash:"+f.Rule)
	}
	if rep.Branch != nil {
		for _, f := range rep.Branch.Findings {
			out = append(out, "branch:"+f.Rule)
		}
	}
	return out
}

func TestPR(t *testing.T) {
	long := "feat: " + strings.Repeat("x", 91) // 97 characters: fits; with " (#12)" it does not
	cases := []struct {
		name       string
		msgs       []string
		title      string
		base       string // PR base branch; "dev" by default
		wantRules  []string
		wantSquash string
		wantOK     bool
	}{
		{
			name:       "clean multi-commit",
			msgs:       []string{"feat: add login", "fix: typo in login"},
			title:      "feat: login page",
			wantSquash: "feat: login page (#12)\n\n* feat: add login\n\n* fix: typo in login",
			wantOK:     true,
		},
		{
			name:       "single commit uses its message",
			msgs:       []string{"fix(api): handle nil\n\nThe handler crashed."},
			title:      "Fix the API",
			wantRules:  []string{"title:type-empty"},
			wantSquash: "fix(api): handle nil (#12)\n\nThe handler crashed.",
		},
		{
			name:       "squash header too long for header-max-length",
			msgs:       []string{"feat: a", "feat: b"},
			title:      long,
			wantRules:  []string{"squash:header-max-length"},
			wantSquash: long + " (#12)\n\n* feat: a\n\n* feat: b",
		},
		{
			name:       "bad commit in the middle",
			msgs:       []string{"feat: a", "WIP stuff", "feat: c"},
			title:      "feat: abc",
			wantRules:  []string{"WIP stuff:type-empty"},
			wantSquash: "feat: abc (#12)\n\n* feat: a\n\n* WIP stuff\n\n* feat: c",
		},
		{
			name:       "bad title reported once",
			msgs:       []string{"feat: a", "feat: b"},
			title:      "Login page",
			wantRules:  []string{"title:type-empty"},
			wantSquash: "Login page (#12)\n\n* feat: a\n\n* feat: b",
		},
		{
			name:       "bad single commit reported once",
			msgs:       []string{"Add login"},
			title:      "feat: login",
			wantRules:  []string{"Add login:type-empty"},
			wantSquash: "Add login (#12)",
		},
		{
			name:       "wrong base",
			msgs:       []string{"feat: a", "feat: b"},
			title:      "feat: ab",
			base:       "main",
			wantRules:  []string{"branch:branch-flow"},
			wantSquash: "feat: ab (#12)\n\n* feat: a\n\n* feat: b",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, base, head := prRepo(t, c.msgs...)
			opt := prOpts(base, head, c.title)
			if c.base != "" {
				opt.Base = c.base
			}
			rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.wantRules, prRules(rep)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.wantSquash, rep.Squash.Message); diff != "" {
				t.Errorf("squash message (-want +got):\n%s", diff)
			}
			if rep.OK() != c.wantOK {
				t.Errorf("OK() = %v, want %v (errors %d)", rep.OK(), c.wantOK, rep.Errors)
			}
			if len(rep.Commits) != len(c.msgs) {
				t.Fatalf("%d commits, want %d", len(rep.Commits), len(c.msgs))
			}
			for i, m := range c.msgs {
				if got := rep.Commits[i].Commit.Message; strings.TrimSpace(got) != m {
					t.Errorf("commit %d = %q, want %q (oldest first)", i, got, m)
				}
			}
		})
	}
}

func TestPRMergeCommitsAreSkipped(t *testing.T) {
	r, base, _ := prRepo(t, "feat: only change")
	r.Checkout("dev")
	r.CommitFile("more.txt", "more\n", "feat: more dev work")
	r.Checkout("feature/x")
	r.Merge("dev", "Merge branch 'dev' into feature/x")
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), prOpts(base, r.Head(), "feat: only change"))
	if err != nil {
		t.Fatal(err)
	}
	// The merge brings dev's commit into the range too, as on GitHub.
	if len(rep.Commits) != 3 || !rep.OK() {
		t.Fatalf("got %d commits, errors %d: %v", len(rep.Commits), rep.Errors, prRules(rep))
	}
	if !rep.Commits[2].Result.Ignored {
		t.Errorf("merge commit not ignored: %+v", rep.Commits[2].Result)
	}
	if want := "feat: only change (#12)\n\n* feat: only change\n\n* feat: more dev work"; rep.Squash.Message != want {
		t.Errorf("squash = %q, want %q", rep.Squash.Message, want)
	}
}

// prBig adds branch "big" with n commits on top of base in one git
// fast-import; commit bad (0-based) gets a non-conventional message.
func prBig(tb testing.TB, r *gittest.Repo, base string, n, bad int) string {
	tb.Helper()
	var stream strings.Builder
	fmt.Fprintf(&stream, "reset refs/heads/big\nfrom %s\n\n", base)
	for i := range n {
		msg := fmt.Sprintf("feat: change %d\n", i)
		if i == bad {
			msg = "bad commit\n"
		}
		fmt.Fprintf(&stream, "commit refs/heads/big\ncommitter Ada <ada@example.com> %d +0000\ndata %d\n%s\n", 1700000000+i, len(msg), msg)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir, cmd.Env, cmd.Stdin = r.Dir, gittest.Env(), strings.NewReader(stream.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("git fast-import: %v: %s", err, out)
	}
	return r.Git("rev-parse", "big")
}

// TestPRReadsMoreThanTheAPICap makes a pull request of 300 commits (the
// REST API lists at most 250) with one bad commit among the oldest.
func TestPRReadsMoreThanTheAPICap(t *testing.T) {
	r, base, _ := prRepo(t)
	opt := prOpts(base, prBig(t, r, base, 300, 3), "feat: big")
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Commits) != 300 {
		t.Fatalf("%d commits, want 300", len(rep.Commits))
	}
	if got := prRules(rep); !cmp.Equal(got, []string{"bad commit:type-empty"}) {
		t.Errorf("findings = %v", got)
	}
}

// BenchmarkPR1000 checks a pull request of 1000 commits: one git log, one
// lint per commit.
func BenchmarkPR1000(b *testing.B) {
	r := gittest.New(b)
	base := r.Commit("feat: first")
	head := prBig(b, r, base, 1000, -1)
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		b.Fatal(err)
	}
	opt := release.PROptions{BaseSHA: base, HeadSHA: head, Title: "feat: big", Number: 1,
		Head: "feature/big", Base: "dev", Lint: commitlint.ConventionalConfig(), Policy: branch.DefaultPolicy()}
	for b.Loop() {
		rep, err := release.PR(context.Background(), repo, opt)
		if err != nil || len(rep.Commits) != 1000 {
			b.Fatal(err)
		}
	}
}

func TestPRErrors(t *testing.T) {
	r, base, head := prRepo(t, "feat: a")
	repo := brOpen(t, r.Dir)
	cases := []struct {
		name string
		opt  release.PROptions
		want string
	}{
		{"missing everything", release.PROptions{}, "checking pull request: missing base sha; missing head sha; missing title"},
		{"head without base", release.PROptions{BaseSHA: base, HeadSHA: head, Title: "feat: a", Head: "feature/x"}, "head and base branches go together"},
		{"unknown base", prOpts(strings.Repeat("a", 40), head, "feat: a"), "checking pull request: base sha: unknown revision"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := release.PR(context.Background(), repo, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
	t.Run("shallow clone", func(t *testing.T) {
		shallow := r.Clone("--depth=1", "--branch=feature/x", "--no-single-branch")
		_, err := release.PR(context.Background(), brOpen(t, shallow.Dir), prOpts(head, head, "feat: a"))
		if !errors.Is(err, git.ErrShallow) {
			t.Errorf("err = %v, want ErrShallow", err)
		}
	})
}

// TestPRFromFork: a fork's `dev` is feature work, not a release; it may
// target this repository's dev but not main.
func TestPRFromFork(t *testing.T) {
	r, base, head := prRepo(t, "feat: add x")
	for _, c := range []struct {
		name, headRef, baseRef, fork string
		want                         []string
	}{
		{"own dev into main is a release", "dev", "main", "", nil},
		{"a fork's dev into main is not", "dev", "main", "dev", []string{"branch:branch-fork"}},
		{"a fork's main into dev is feature work", "main", "dev", "dev", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			opt := prOpts(base, head, "feat: add x")
			opt.Head, opt.Base, opt.Fork = c.headRef, c.baseRef, c.fork
			rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, prRules(rep)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPREntries: the findings every format writes, in the text's order,
// each part of the pull request titled.
func TestPREntries(t *testing.T) {
	r, base, _ := prRepo(t, "WIP", "feat: ok")
	wip := r.Git("rev-parse", "HEAD~1")
	title := "feat: " + strings.Repeat("y", 92)
	opt := prOpts(base, r.Head(), title)
	opt.Head = "Feature/x"
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rep.Entries() {
		for _, f := range e.Standalone() {
			got = append(got, f.Title+" | "+f.Message)
		}
	}
	// The title, a clean commit: no findings.
	want := []string{
		"commit " + wip[:7] + ": type-empty | " + wip[:7] + " WIP: header is not `type(scope): description`: no `:` after the type `WIP`",
		"squash commit: header-max-length | " + title + " (#12): header is 104 characters, limit is 100",
		"Feature/x [branch-kind] | head branch is not part of the model; allowed heads are feature/*, hotfix/*, dev, main, dependabot/*, renovate/*, shipflow/*",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

// TestPRStrictFails: warnings fail a pull request under Strict only.
func TestPRStrictFails(t *testing.T) {
	r, base, head := prRepo(t, "feat: add login\nno blank line before this body")
	for _, strict := range []bool{false, true} {
		opt := prOpts(base, head, "feat: login")
		opt.Strict = strict
		rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Warnings == 0 || rep.Errors != 0 || rep.Failed() != strict {
			t.Errorf("strict %v: %d errors, %d warnings, failed %v", strict, rep.Errors, rep.Warnings, rep.Failed())
		}
	}
}
