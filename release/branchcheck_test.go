package release_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/branch"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/report"
)

// brRepo builds main with one commit and dev branched from it, checked out
// on dev.
func brRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.CommitFile("app.txt", "v1\n", "feat: first")
	r.Branch("dev")
	return r
}

func brOpen(t *testing.T, dir string) *git.Repo {
	t.Helper()
	repo, err := git.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

func TestBranchDebt(t *testing.T) {
	cases := []struct {
		name    string
		build   func(r *gittest.Repo)
		subject []string // subjects of the debt commits, oldest first
	}{
		{
			name: "in sync",
			build: func(r *gittest.Repo) {
				r.Branch("feature/x")
				r.CommitFile("x.txt", "x\n", "feat: x")
				r.Checkout("dev")
				r.Merge("feature/x", "Merge feature/x")
			},
		},
		{
			name: "hotfix not merged back",
			build: func(r *gittest.Repo) {
				r.Checkout("main")
				r.Branch("hotfix/crash")
				r.CommitFile("app.txt", "v1 fixed\n", "fix: crash on start")
				r.CommitFile("app2.txt", "more\n", "fix: second part")
				r.Checkout("main")
				r.Merge("hotfix/crash", "Merge hotfix/crash")
			},
			subject: []string{"fix: crash on start", "fix: second part"},
		},
		{
			name: "hotfix merged back",
			build: func(r *gittest.Repo) {
				r.Checkout("main")
				r.Branch("hotfix/crash")
				r.CommitFile("app.txt", "v1 fixed\n", "fix: crash on start")
				r.Checkout("main")
				r.Merge("hotfix/crash", "Merge hotfix/crash")
				r.Checkout("dev")
				r.Merge("hotfix/crash", "Merge hotfix/crash into dev")
			},
		},
		{
			name: "hotfix cherry-picked into dev",
			build: func(r *gittest.Repo) {
				r.CommitFile("dev.txt", "dev work\n", "feat: dev work")
				r.Checkout("main")
				fix := r.CommitFile("app.txt", "v1 fixed\n", "fix: crash on start")
				r.Checkout("dev")
				r.Git("cherry-pick", fix)
			},
		},
		{
			name: "release merge commit is not debt",
			build: func(r *gittest.Repo) {
				r.CommitFile("x.txt", "x\n", "feat: x")
				r.Checkout("main")
				r.Merge("dev", "Merge dev for v1.1.0")
			},
		},
		{
			name: "squashed release is not debt",
			build: func(r *gittest.Repo) {
				r.CommitFile("x.txt", "x\n", "feat: x")
				r.CommitFile("y.txt", "y\n", "feat: y")
				r.Checkout("main")
				r.Git("merge", "-q", "--squash", "dev")
				r.Git("commit", "-q", "-m", "release: v1.1.0")
			},
		},
		{
			name: "conflicting hotfix is debt",
			build: func(r *gittest.Repo) {
				r.CommitFile("app.txt", "v2 on dev\n", "feat: v2")
				r.Checkout("main")
				r.CommitFile("app.txt", "v1 hotfixed\n", "fix: hot")
			},
			subject: []string{"fix: hot"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := brRepo(t)
			c.build(r)
			rep, err := release.BranchDebt(context.Background(), brOpen(t, r.Dir), release.BranchDebtOptions{Stable: "main", Integration: "dev"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, cm := range rep.Commits {
				got = append(got, cm.Subject)
				if len(cm.Hash) != 40 {
					t.Errorf("hash %q is not a full sha", cm.Hash)
				}
			}
			if diff := cmp.Diff(c.subject, got); diff != "" {
				t.Errorf("debt commits (-want +got):\n%s", diff)
			}
			if rep.InDebt() != (len(c.subject) > 0) || (rep.Message() == "") == rep.InDebt() {
				t.Errorf("InDebt() = %v, Message() = %q", rep.InDebt(), rep.Message())
			}
		})
	}
}

func TestBranchDebtRemoteTrackingBranches(t *testing.T) {
	r := brRepo(t)
	r.Checkout("main")
	r.CommitFile("app.txt", "fixed\n", "fix: hot")
	clone := r.Clone() // only main is a local branch; dev is origin/dev
	rep, err := release.BranchDebt(context.Background(), brOpen(t, clone.Dir), release.BranchDebtOptions{Stable: "main", Integration: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stable != "main" || rep.Integration != "origin/dev" || len(rep.Commits) != 1 {
		t.Errorf("got %+v, want main vs origin/dev with one commit", rep)
	}
	if want := "main has 1 commit(s) that origin/dev lacks"; !strings.HasPrefix(rep.Message(), want) {
		t.Errorf("Message() = %q, want prefix %q", rep.Message(), want)
	}
}

func TestBranchDebtErrors(t *testing.T) {
	r := brRepo(t)
	r.Commit("feat: second")
	r.Commit("feat: third")
	_, err := release.BranchDebt(context.Background(), brOpen(t, r.Dir), release.BranchDebtOptions{Stable: "main", Integration: "develop"})
	if err == nil || !strings.Contains(err.Error(), `branch "develop" not found locally nor as origin/develop`) {
		t.Errorf("missing branch: err = %v", err)
	}
	shallow := r.Clone("--depth=1")
	_, err = release.BranchDebt(context.Background(), brOpen(t, shallow.Dir), release.BranchDebtOptions{Stable: "main", Integration: "dev"})
	if !errors.Is(err, git.ErrShallow) {
		t.Errorf("shallow clone: err = %v, want ErrShallow", err)
	}
}

func TestBranchPolicy(t *testing.T) {
	cases := []struct {
		name    string
		cfg     config.Branches
		check   [][2]string // head, base pairs that must be allowed
		reject  [][2]string
		wantErr string
	}{
		{
			name:   "defaults",
			check:  [][2]string{{"feature/x", "dev"}, {"hotfix/x", "main"}},
			reject: [][2]string{{"release/1", "main"}},
		},
		{
			name:   "extra flows add heads and bases",
			cfg:    config.Branches{ExtraFlows: map[string][]string{"release/*": {"main"}, "feature/*": {"main"}}},
			check:  [][2]string{{"release/1", "main"}, {"feature/x", "main"}, {"feature/x", "dev"}},
			reject: [][2]string{{"release/1", "dev"}},
		},
		{
			name:   "flows replace the model",
			cfg:    config.Branches{Flows: map[string][]string{"develop": {"master"}, "feature/*": {"develop"}}},
			check:  [][2]string{{"develop", "master"}, {"feature/x", "develop"}},
			reject: [][2]string{{"feature/x", "dev"}, {"dev", "main"}},
		},
		{
			name:   "max length and no limit",
			cfg:    config.Branches{MaxLength: 12},
			check:  [][2]string{{"feature/abcd", "dev"}},
			reject: [][2]string{{"feature/abcde", "dev"}},
		},
		{
			name:  "no length limit",
			cfg:   config.Branches{MaxLength: -1},
			check: [][2]string{{"feature/" + strings.Repeat("a", 200), "dev"}},
		},
		{
			name:    "bad pattern",
			cfg:     config.Branches{ExtraFlows: map[string][]string{"rel ease/*": {"main"}}},
			wantErr: `reading the branches section of .shipflow.yaml: flow head: pattern "rel ease/*"`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := release.BranchPolicy(c.cfg)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, hb := range c.check {
				if r := branch.Check(hb[0], hb[1], p); !r.Allowed {
					t.Errorf("%s -> %s rejected: %+v", hb[0], hb[1], r.Findings)
				}
			}
			for _, hb := range c.reject {
				if r := branch.Check(hb[0], hb[1], p); r.Allowed {
					t.Errorf("%s -> %s allowed", hb[0], hb[1])
				}
			}
		})
	}
}

func TestBranchCheck(t *testing.T) {
	r := brRepo(t)
	r.Checkout("main")
	r.CommitFile("app.txt", "fixed\n", "fix: hot")
	repo := brOpen(t, r.Dir)
	rep, err := release.BranchCheck(context.Background(), repo, release.BranchCheckOptions{
		Head: "refs/heads/dev", Base: "refs/heads/main", Policy: branch.DefaultPolicy(),
		Debt: &release.BranchDebtOptions{Stable: "main", Integration: "dev"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Debt == nil || !rep.Debt.InDebt() {
		t.Errorf("got %+v, want allowed with debt", rep)
	}
	_, err = release.BranchCheck(context.Background(), nil, release.BranchCheckOptions{Policy: branch.DefaultPolicy()})
	if err == nil || err.Error() != "checking branches: missing head and base" {
		t.Errorf("missing inputs: err = %v", err)
	}
}

// TestBranchCheckFindings: the findings both faces annotate, titled
// "BRANCH [RULE]" with the character and the fix, the model's remark as a
// notice and the debt as a warning that lists its first commits.
func TestBranchCheckFindings(t *testing.T) {
	check := func(head, base string) release.BranchCheckReport {
		rep, err := release.BranchCheck(context.Background(), nil, release.BranchCheckOptions{Head: head, Base: base, Policy: branch.DefaultPolicy()})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	got := check("feature/Add thing", "main").Findings()
	want := []report.Finding{
		{Title: "feature/Add thing [branch-name]", Rule: "branch-name", Level: report.Error,
			Message: `character 12: ' ' (space) is not allowed; parts after "feature/" use only A-Z a-z 0-9 . _ -`},
		{Title: "feature/Add thing [branch-flow]", Rule: "branch-flow", Level: report.Error,
			Message: "feature/* may only target dev; it targets main", Fix: "change the pull request's base to dev"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rejected (-want +got):\n%s", diff)
	}
	if got := check("feature/login", "dev").Findings(); len(got) != 0 {
		t.Errorf("allowed: findings %+v", got)
	}
	got = check("gh-readonly-queue/main/pr-5-abc", "main").Findings()
	if len(got) != 1 || got[0].Level != report.Info || !strings.Contains(got[0].Message, "merge-queue branch") {
		t.Errorf("skipped: findings %+v, want one notice", got)
	}

	debt := release.BranchDebtReport{Stable: "main", Integration: "origin/dev"}
	if got := debt.Findings(); got != nil {
		t.Errorf("no debt: findings %+v", got)
	}
	for i := range 12 {
		debt.Commits = append(debt.Commits, release.BranchDebtCommit{Hash: strings.Repeat(string(rune('a'+i)), 40), Subject: "fix: " + string(rune('a'+i))})
	}
	rep := check("dev", "main")
	rep.Debt = &debt
	got = rep.Findings()
	if len(got) != 1 || got[0].Level != report.Warning || got[0].Title != "back-merge debt [branch-debt]" || got[0].Rule != release.BranchDebtRule {
		t.Fatalf("debt: findings %+v", got)
	}
	msg := got[0].Message
	for _, s := range []string{"main has 12 commit(s) that origin/dev lacks", "\naaaaaaa fix: a\n", "\njjjjjjj fix: j\n… and 2 more"} {
		if !strings.Contains(msg, s) {
			t.Errorf("debt message lacks %q:\n%s", s, msg)
		}
	}
	if strings.Contains(msg, "kkkkkkk") {
		t.Errorf("debt message lists more than 10 commits:\n%s", msg)
	}
	u := release.BranchDebtUnchecked(errors.New("no repository"))
	if u.Level != report.Warning || u.Title != "back-merge debt [branch-debt]" || u.Message != "not checked: no repository" {
		t.Errorf("unchecked: %+v", u)
	}
}
