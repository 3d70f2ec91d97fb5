package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// branchRun runs shipflow in-process in dir with the given environment.
func branchRun(t *testing.T, dir string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	all := append([]string{"-C", dir}, args...)
	code := run(context.Background(), all, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestBranchCheckCLI(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantOut  string // substring of stdout
		wantErr  string // substring of stderr
	}{
		{"allowed", []string{"--head", "feature/login", "--base", "dev"}, nil, 0, "✔ feature/login → dev: allowed (feature/* → dev)", ""},
		{"refs heads", []string{"--head", "refs/heads/hotfix/x", "--base", "refs/heads/main"}, nil, 0, "✔ hotfix/x → main: allowed", ""},
		{"rejected flow", []string{"--head", "feature/login", "--base", "main"}, nil, 1, "feature/* may only target dev; it targets main [branch-flow]", ""},
		{"rejected name", []string{"--head", "feature/a b", "--base", "dev"}, nil, 1, "character 10: ' ' (space) is not allowed", ""},
		{"remote name", []string{"--head", "origin/feature/x", "--base", "dev"}, nil, 1, "looks like a remote-tracking name", ""},
		{"merge queue", []string{"--head", "gh-readonly-queue/main/pr-5-abc", "--base", "main"}, nil, 0, "skipped", ""},
		{"env defaults", nil, map[string]string{"GITHUB_HEAD_REF": "dev", "GITHUB_BASE_REF": "main"}, 0, "✔ dev → main", ""},
		{"flags beat env", []string{"--base", "main"}, map[string]string{"GITHUB_HEAD_REF": "renovate/x", "GITHUB_BASE_REF": "dev"}, 1, "renovate/* may only target dev", ""},
		{"missing base", []string{"--head", "feature/x"}, nil, 2, "", "needs --head and --base"},
		{"bad format", []string{"--head", "feature/x", "--base", "dev", "--format", "xml"}, nil, 2, "", `unknown --format "xml"`},
		{"unknown flag", []string{"--hed", "x"}, nil, 2, "", "unknown flag"},
		{"github format", []string{"--head", "Feature/x", "--base", "dev", "--format", "github"}, nil, 1, "::error title=Feature/x [branch-kind]::head branch is not part of the model", ""},
	}
	dir := t.TempDir() // not a repository: the check needs none
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := branchRun(t, dir, c.env, append([]string{"branch", "check"}, c.args...)...)
			if code != c.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.wantCode, out, errOut)
			}
			if !strings.Contains(out, c.wantOut) {
				t.Errorf("stdout %q does not contain %q", out, c.wantOut)
			}
			if !strings.Contains(errOut, c.wantErr) {
				t.Errorf("stderr %q does not contain %q", errOut, c.wantErr)
			}
		})
	}
}

func TestBranchCheckGolden(t *testing.T) {
	dir := t.TempDir()
	var all strings.Builder
	for _, hb := range [][2]string{
		{"feature/login", "dev"},
		{"feature/Add thing", "main"},
		{"Feature/login", "dev"},
		{"release/1.2", "master"},
		{"feature/" + strings.Repeat("x", 95), "dev"},
		{"gh-readonly-queue/main/pr-5-abc", "main"},
	} {
		for _, format := range []string{"text", "github"} {
			code, out, _ := branchRun(t, dir, nil, "branch", "check", "--head", hb[0], "--base", hb[1], "--format", format)
			all.WriteString("$ shipflow branch check --head '" + hb[0] + "' --base " + hb[1] + " --format " + format + "\n")
			all.WriteString(out)
			all.WriteString("exit " + string(rune('0'+code)) + "\n\n")
		}
	}
	golden.Check(t, filepath.Join("testdata", "branch_check.golden"), all.String())
}

func TestBranchCheckJSON(t *testing.T) {
	code, out, _ := branchRun(t, t.TempDir(), nil, "branch", "check", "--head", "feature/x", "--base", "main", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Allowed  bool   `json:"allowed"`
		HeadKind string `json:"head_kind"`
		Findings []struct {
			Rule    string   `json:"rule"`
			Allowed []string `json:"allowed"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Allowed || got.HeadKind != "feature/*" || len(got.Findings) != 1 || got.Findings[0].Rule != "branch-flow" || !cmp.Equal(got.Findings[0].Allowed, []string{"dev"}) {
		t.Errorf("got %+v", got)
	}
}

func TestBranchCheckConfig(t *testing.T) {
	cases := []struct {
		name     string
		yaml     string
		head     string
		base     string
		wantCode int
		wantErr  string
	}{
		{"extra flow", "branches:\n  extra-flows:\n    release/*: [main]\n", "release/1.2", "main", 0, ""},
		{"default rejects release", "", "release/1.2", "main", 1, ""},
		{"shorter limit", "branches:\n  max-length: 10\n", "feature/abc", "dev", 1, ""},
		{"bad pattern", "branches:\n  skip: ['a b/*']\n", "feature/x", "dev", 2, `skip: pattern "a b/*"`},
		{"unknown key", "branches:\n  flowz: {}\n", "feature/x", "dev", 2, "flowz"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ".shipflow.yaml"), []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := branchRun(t, dir, nil, "branch", "check", "--head", c.head, "--base", c.base)
			if code != c.wantCode || !strings.Contains(errOut, c.wantErr) {
				t.Errorf("exit %d (want %d), stderr %q (want %q), stdout %q", code, c.wantCode, errOut, c.wantErr, out)
			}
		})
	}
}

func TestBranchDebtCLI(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile("app.txt", "v1\n", "feat: first")
	g.Branch("dev")
	g.Checkout("main")
	g.CommitFile("app.txt", "v1 fixed\n", "fix: crash on start")

	code, out, errOut := branchRun(t, g.Dir, nil, "branch", "debt")
	if code != 1 || !strings.Contains(out, "✖ main has 1 commit(s) that dev lacks") || !strings.Contains(out, "fix: crash on start") {
		t.Errorf("debt: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	// As part of the branch check, debt is a warning only.
	code, out, _ = branchRun(t, g.Dir, nil, "branch", "check", "--head", "dev", "--base", "main", "--debt", "--format", "github")
	if code != 0 || !strings.Contains(out, "::warning title=back-merge debt [branch-debt]::main has 1 commit(s) that dev lacks") {
		t.Errorf("check --debt: exit %d\nstdout: %s", code, out)
	}
	code, out, _ = branchRun(t, g.Dir, nil, "branch", "debt", "--format", "json")
	var rep struct {
		InDebt  bool `json:"in_debt"`
		Commits []struct {
			Subject string `json:"subject"`
		} `json:"commits"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || !rep.InDebt || len(rep.Commits) != 1 {
		t.Errorf("json: exit %d, err %v, %s", code, err, out)
	}

	g.Checkout("dev")
	g.Merge("main", "Merge main into dev")
	code, out, _ = branchRun(t, g.Dir, nil, "branch", "debt")
	if code != 0 || !strings.Contains(out, "no back-merge debt") {
		t.Errorf("after back-merge: exit %d\nstdout: %s", code, out)
	}
	code, _, errOut = branchRun(t, g.Dir, nil, "branch", "debt", "--integration", "develop")
	if code != exitUsage || !strings.Contains(errOut, `branch "develop" not found`) {
		t.Errorf("missing branch: exit %d, stderr %s", code, errOut)
	}
	code, _, errOut = branchRun(t, t.TempDir(), nil, "branch", "debt")
	if code != 2 || !strings.Contains(errOut, "not a git repository") {
		t.Errorf("outside a repository: exit %d, stderr %s", code, errOut)
	}
}

// TestBranchCheckHeadFork: a fork's `main` or `dev` is not this
// repository's; with --head-fork it may only target dev, as feature work.
func TestBranchCheckHeadFork(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		head, base string
		fork       bool
		want       int
	}{
		{"main", "dev", false, exitOK},      // sync from this repository's main
		{"main", "dev", true, exitOK},       // a fork's main as feature work into dev
		{"dev", "main", false, exitOK},      // a release
		{"dev", "main", true, exitFindings}, // a fork's dev is no release
		{"feature/x", "main", true, exitFindings},
	} {
		args := []string{"branch", "check", "--head", c.head, "--base", c.base}
		if c.fork {
			args = append(args, "--head-fork")
		}
		code, out, errs := branchRun(t, dir, nil, args...)
		if code != c.want {
			t.Errorf("%v: exit %d, want %d\n%s%s", args, code, c.want, out, errs)
		}
		if c.fork && c.want == exitFindings && !strings.Contains(out, "fork") {
			t.Errorf("%v: the message does not say the head is a fork's:\n%s", args, out)
		}
	}
}
