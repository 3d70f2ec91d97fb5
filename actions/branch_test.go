package actions

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

func TestBranchFromEvents(t *testing.T) {
	tests := []struct {
		file       string
		conclusion Conclusion
		head, base string
		rule       string
	}{
		{"pull_request.opened.feature.json", Success, "feature/login-form", "dev", ""},
		{"pull_request.edited.base-changed.json", Success, "feature/login-form", "dev", ""},
		{"pull_request.synchronize.hotfix.json", Success, "hotfix/crash-on-start", "main", ""},
		{"pull_request.reopened.dev.json", Success, "dev", "main", ""},
		{"pull_request.opened.fork.json", Success, "feature/login-form", "dev", ""},
		{"pull_request.opened.bad-branch.json", Failed, "release/1.0", "main", "branch-kind"},
		{"pull_request.opened.feature-main.json", Failed, "feature/login-form", "main", "branch-flow"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			s := newSim(t)
			s.event("pull_request", tc.file, nil)
			rep, err := s.run("branch", t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Conclusion != tc.conclusion {
				t.Errorf("conclusion %s, want %s (%s)", rep.Conclusion, tc.conclusion, rep.Title)
			}
			out := s.outputs()
			if out["head"] != tc.head || out["base"] != tc.base {
				t.Errorf("checked %s → %s, want %s → %s (from pull_request.head.ref and base.ref)", out["head"], out["base"], tc.head, tc.base)
			}
			if got := out["allowed"]; got != fmt.Sprint(tc.conclusion == Success) {
				t.Errorf("allowed = %s", got)
			}
			errs := s.commands()["error"]
			if tc.rule == "" && errs != 0 || tc.rule != "" && (errs == 0 || !strings.Contains(s.log.String(), "["+tc.rule+"]")) {
				t.Errorf("want %q error annotations, log:\n%s", tc.rule, s.log.String())
			}
		})
	}
}

func TestBranchInputsOverrideEvent(t *testing.T) {
	s := newSim(t)
	s.event("pull_request", "pull_request.opened.feature.json", nil)
	s.input("head", "refs/heads/hotfix/x")
	s.input("base", "main")
	if _, err := s.run("branch", t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if out := s.outputs(); out["head"] != "hotfix/x" || out["allowed"] != "true" {
		t.Errorf("outputs %v", out)
	}
}

func TestBranchOnPushIsSkipped(t *testing.T) {
	s := newSim(t)
	s.event("push", "push.main.json", nil)
	rep, err := s.run("branch", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conclusion != Skipped || !strings.Contains(s.summary(), "nothing to check") {
		t.Errorf("conclusion %s, summary:\n%s", rep.Conclusion, s.summary())
	}
}

// TestReportingDegrades checks the fork and 403 cases: the step reports
// through annotations and the summary, says why, and does not fail because
// of GitHub.
func TestReportingDegrades(t *testing.T) {
	tests := []struct {
		name     string
		event    string
		perms    githubfake.Permissions
		mode     string
		runs     int
		statuses int
		calls    int
		warning  string
	}{
		{name: "check run", event: "pull_request.opened.feature-main.json", perms: githubfake.Permissions{Push: true}, runs: 1, calls: 1},
		{name: "status", event: "pull_request.opened.feature-main.json", perms: githubfake.Permissions{Push: true}, mode: "status", statuses: 1, calls: 1},
		{name: "403", event: "pull_request.opened.feature-main.json", perms: githubfake.Permissions{Pull: true}, calls: 1, warning: "grant the workflow `permissions: checks: write`"},
		{name: "403 status", event: "pull_request.opened.feature-main.json", perms: githubfake.Permissions{Pull: true}, mode: "status", calls: 1, warning: "statuses: write"},
		{name: "fork", event: "pull_request.opened.fork.json", perms: githubfake.Permissions{Push: true}, calls: 0},
		{name: "report none", event: "pull_request.opened.feature-main.json", perms: githubfake.Permissions{Push: true}, mode: "none", calls: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			fake := s.github(tc.perms)
			s.event("pull_request", tc.event, nil)
			if tc.mode != "" {
				s.input("report", tc.mode)
			}
			rep, err := s.run("branch", t.TempDir())
			if err != nil {
				t.Fatalf("reporting failed the step: %v", err)
			}
			if got := len(fake.Calls()); got != tc.calls {
				t.Errorf("%d GitHub calls, want %d", got, tc.calls)
			}
			if got := len(fake.CheckRuns("Codertocat", "Hello-World")); got != tc.runs {
				t.Errorf("%d check runs, want %d", got, tc.runs)
			}
			sts := fake.Statuses("Codertocat", "Hello-World")
			if len(sts) != tc.statuses {
				t.Errorf("%d statuses, want %d", len(sts), tc.statuses)
			}
			for _, st := range sts {
				if st.State != "failure" || st.Context != "shipflow branch" || len([]rune(st.Description)) > MaxStatusDescription || st.TargetURL != "https://github.com/Codertocat/Hello-World/actions/runs/42" {
					t.Errorf("status %+v", st)
				}
			}
			for _, cr := range fake.CheckRuns("Codertocat", "Hello-World") {
				if cr.Conclusion != "failure" || cr.HeadSHA != "ec26c3e57ca3a959ca5aad62de7213c562f8c821" || !strings.Contains(cr.Summary, "may only target dev") {
					t.Errorf("check run %+v", cr)
				}
			}
			if tc.warning != "" {
				if !strings.Contains(s.log.String(), "::warning") || !strings.Contains(s.log.String(), tc.warning) || !strings.Contains(s.summary(), "could not report to GitHub") {
					t.Errorf("403 not reported as a warning; log:\n%s\nsummary:\n%s", s.log.String(), s.summary())
				}
			}
			// The findings are always in the log and the summary.
			if tc.event == "pull_request.opened.fork.json" {
				if rep.Conclusion != Success || !strings.Contains(s.summary(), "allowed") || !strings.Contains(s.summary(), "its token is read-only") {
					t.Errorf("fork: conclusion %s, summary:\n%s", rep.Conclusion, s.summary())
				}
				return
			}
			if rep.Conclusion != Failed || s.commands()["error"] == 0 || !strings.Contains(s.summary(), "rejected") {
				t.Errorf("findings lost: conclusion %s, log:\n%s", rep.Conclusion, s.log.String())
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name  string
		verb  string
		vars  map[string]string
		input bool
		want  string
	}{
		{name: "unknown verb", verb: "deploy", input: true, want: `unknown verb "deploy"`},
		{name: "bad report input", verb: "branch", vars: map[string]string{"INPUT_REPORT": "email"}, input: true, want: `"email" is not check, status or none`},
		{name: "bad bool input", verb: "branch", vars: map[string]string{"INPUT_STRICT": "maybe", "INPUT_HEAD": "dev", "INPUT_BASE": "main"}, input: true, want: `"maybe" is not a boolean`},
		{name: "not a repository", verb: "next", input: true, want: "not a git repository"},
		{name: "bad payload", verb: "branch", vars: map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": "testdata/events/push.main.json"}, input: true, want: "no pull_request object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			for k, v := range tc.vars {
				s.vars[k] = v
			}
			_, err := s.run(tc.verb, t.TempDir())
			var ie *InputError
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &ie) != tc.input {
				t.Fatalf("err = %v (input error: %v), want %q", err, errors.As(err, &ie), tc.want)
			}
			if s.commands()["error"] != 1 {
				t.Errorf("error not annotated:\n%s", s.log.String())
			}
		})
	}
}

func TestStrictFailsOnWarnings(t *testing.T) {
	repo := gittest.New(t)
	base := repo.Commit("chore: init")
	head := repo.Commit("feat: add a thing\nno blank line before the body")
	for _, strict := range []string{"false", "true"} {
		t.Run(strict, func(t *testing.T) {
			s := newSim(t)
			s.input("from", base)
			s.input("to", head)
			s.input("strict", strict)
			rep, err := s.run("commitlint", repo.Dir)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]Conclusion{"false": Success, "true": Failed}[strict]
			if rep.Conclusion != want {
				t.Errorf("conclusion %s, want %s; findings %+v", rep.Conclusion, want, rep.Annotations)
			}
			if diff := cmp.Diff("1", s.outputs()["warnings"]); diff != "" {
				t.Errorf("warnings output (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBranchFork checks that a fork's branches are not taken for this
// repository's: a fork's main into dev is feature work, a fork's dev into
// main is no release.
func TestBranchFork(t *testing.T) {
	tests := []struct {
		name       string
		head, base string
		conclusion Conclusion
	}{
		{"fork main into dev is feature work", "main", "dev", Success},
		{"fork dev into main is rejected", "dev", "main", Failed},
		{"fork hotfix into main is rejected", "hotfix/x", "main", Failed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			s.event("pull_request", "pull_request.opened.fork.json", func(p map[string]any) {
				pr := p["pull_request"].(map[string]any)
				pr["head"].(map[string]any)["ref"] = tc.head
				pr["base"].(map[string]any)["ref"] = tc.base
			})
			rep, err := s.run("branch", t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Conclusion != tc.conclusion || s.outputs()["head-kind"] != "fork" {
				t.Errorf("conclusion %s (want %s), head-kind %q: %s", rep.Conclusion, tc.conclusion, s.outputs()["head-kind"], rep.Title)
			}
			if tc.conclusion == Failed && !strings.Contains(s.log.String(), "[branch-fork]") {
				t.Errorf("no branch-fork annotation:\n%s", s.log.String())
			}
		})
	}
}

func TestBranchDebt(t *testing.T) {
	g := gittest.New(t)
	g.Commit("chore: start")
	g.Branch("dev")
	g.Checkout("main")
	g.CommitFile("fix.txt", "fixed\n", "fix: hotfix only on main")

	tests := []struct {
		name       string
		event      string
		file       string
		debt       string
		repoDir    string
		wantDebt   string
		wantWarn   string
		conclusion Conclusion
	}{
		{"push with debt warns", "push", "push.main.json", "true", g.Dir, "1", "main has 1 commit(s) that dev lacks", Success},
		{"pull request with debt warns and checks", "pull_request", "pull_request.opened.feature.json", "true", g.Dir, "1", "main has 1 commit(s) that dev lacks", Success},
		{"debt off", "push", "push.main.json", "false", g.Dir, "", "", Skipped},
		{"not a repository warns why", "push", "push.main.json", "true", "", "", "back-merge debt [branch-debt]", Success},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			s.event(tc.event, tc.file, nil)
			s.input("debt", tc.debt)
			dir := tc.repoDir
			if dir == "" {
				dir = t.TempDir()
			}
			rep, err := s.run("branch", dir)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Conclusion != tc.conclusion {
				t.Errorf("conclusion %s, want %s (%s)", rep.Conclusion, tc.conclusion, rep.Title)
			}
			if got := s.outputs()["debt"]; got != tc.wantDebt {
				t.Errorf("debt output %q, want %q", got, tc.wantDebt)
			}
			warnings := s.commands()["warning"]
			if tc.wantWarn == "" && warnings != 0 || tc.wantWarn != "" && (warnings == 0 || !strings.Contains(s.log.String(), tc.wantWarn)) {
				t.Errorf("want warning %q, log:\n%s", tc.wantWarn, s.log.String())
			}
			if tc.wantDebt == "1" && !strings.Contains(s.summary(), "fix: hotfix only on main") {
				t.Errorf("summary does not list the commit:\n%s", s.summary())
			}
		})
	}
}
