package release_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// lintHistory writes n commits with git fast-import (one git run, not n):
// every seventh message is not a Conventional Commit. It returns the
// repository and the hash of the first commit.
func lintHistory(t testing.TB, n int) (*git.Repo, string) {
	t.Helper()
	g := gittest.New(t)
	var in strings.Builder
	for i := range n {
		msg := fmt.Sprintf("feat(core): add thing %d\n\nBody of commit %d.\n", i, i)
		if i%7 == 3 {
			msg = fmt.Sprintf("Added thing %d.\n", i)
		}
		fmt.Fprintf(&in, "commit refs/heads/main\nmark :%d\n", i+1)
		fmt.Fprintf(&in, "author A <a@example.com> %d +0000\ncommitter A <a@example.com> %d +0000\n", 1700000000+i, 1700000000+i)
		fmt.Fprintf(&in, "data %d\n%s\n", len(msg), msg)
		if i > 0 {
			fmt.Fprintf(&in, "from :%d\n", i)
		}
	}
	ctx := context.Background()
	repo, err := git.Open(ctx, g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.RunInput(ctx, []byte(in.String()), "fast-import", "--quiet", "--force"); err != nil {
		t.Fatal(err)
	}
	g.Git("reset", "--hard", "main")
	return repo, strings.TrimSpace(g.Git("rev-list", "--max-parents=0", "main"))
}

func TestLintRange(t *testing.T) {
	repo, root := lintHistory(t, 600)
	ctx := context.Background()
	cfg := commitlint.ConventionalConfig()

	rep, err := release.LintRange(ctx, repo, release.LintRangeOptions{From: root, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	// Commits 1..599 are in root..HEAD; i%7 == 3 are bad.
	wantBad := 0
	for i := 1; i < 600; i++ {
		if i%7 == 3 {
			wantBad++
		}
	}
	// Each bad one has two errors, as in commitlint: type-empty and
	// subject-full-stop ("Added thing 3.").
	if rep.Count != 599 || rep.BadCount != wantBad || len(rep.Bad) != wantBad || rep.Errors != 2*wantBad {
		t.Errorf("Count %d, BadCount %d, len(Bad) %d, Errors %d; want 599, %d, %d, %d", rep.Count, rep.BadCount, len(rep.Bad), rep.Errors, wantBad, wantBad, 2*wantBad)
	}
	if rep.Range != root+"..HEAD" {
		t.Errorf("Range = %q", rep.Range)
	}

	// Streaming: every commit in log order (newest first), no Bad kept.
	var seen []string
	srep, err := release.LintRange(ctx, repo, release.LintRangeOptions{From: root, Config: cfg, OnCommit: func(cl release.CommitLint) {
		seen = append(seen, cl.Result.Commit.Header)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 599 || seen[0] != "feat(core): add thing 599" || seen[598] != "feat(core): add thing 1" {
		t.Errorf("OnCommit saw %d commits, first %q, last %q", len(seen), seen[0], seen[len(seen)-1])
	}
	if srep.BadCount != wantBad || len(srep.Bad) != 0 {
		t.Errorf("streaming: BadCount %d, len(Bad) %d; want %d, 0", srep.BadCount, len(srep.Bad), wantBad)
	}
	var bad []string
	for _, cl := range rep.Bad {
		bad = append(bad, cl.Result.Commit.Header)
	}
	var want []string
	for i := 599; i >= 1; i-- {
		if i%7 == 3 {
			want = append(want, fmt.Sprintf("Added thing %d.", i))
		}
	}
	if diff := cmp.Diff(want, bad); diff != "" {
		t.Errorf("Bad commits (-want +got):\n%s", diff)
	}
}

func TestLintRangeErrors(t *testing.T) {
	repo, _ := lintHistory(t, 3)
	ctx := context.Background()
	cfg := commitlint.ConventionalConfig()
	cases := []struct {
		name     string
		from, to string
		want     string
	}{
		{"unknown from", "v9.9.9", "", `unknown revision "v9.9.9"`},
		{"unknown to", "", "nope", `unknown revision "nope"`},
		{"option as revision", "--all", "", `"--all"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			_, err := release.LintRange(ctx, repo, release.LintRangeOptions{From: tc.from, To: tc.to, Config: cfg, OnCommit: func(release.CommitLint) { called = true }})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one containing %s", err, tc.want)
			}
			if called {
				t.Error("OnCommit was called for a range that does not check")
			}
		})
	}

	t.Run("shallow", func(t *testing.T) {
		g := gittest.New(t)
		for i := range 3 {
			g.Commit(fmt.Sprintf("feat: %d", i))
		}
		shallow := g.Clone("--depth=1")
		r, err := git.Open(ctx, shallow.Dir)
		if err != nil {
			t.Fatal(err)
		}
		called := false
		_, err = release.LintRange(ctx, r, release.LintRangeOptions{Config: cfg, OnCommit: func(release.CommitLint) { called = true }})
		if !errors.Is(err, git.ErrShallow) {
			t.Fatalf("error = %v, want git.ErrShallow", err)
		}
		if called {
			t.Error("OnCommit was called in a shallow clone")
		}
	})
}

// BenchmarkLintRange lints a 5000-commit range, git log included; ns/op
// divided by 5000 is the cost of one commit.
func BenchmarkLintRange(b *testing.B) {
	repo, root := lintHistory(b, 5000)
	cfg := commitlint.ConventionalConfig()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := release.LintRange(context.Background(), repo, release.LintRangeOptions{From: root, Config: cfg, OnCommit: func(release.CommitLint) {}}); err != nil {
			b.Fatal(err)
		}
	}
}
