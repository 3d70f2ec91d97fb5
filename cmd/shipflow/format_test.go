package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// formatRun runs shipflow in-process in dir with the environment env and
// stdin.
func formatRun(t *testing.T, dir string, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), append([]string{"-C", dir}, args...), strings.NewReader(stdin), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

// TestFormatDefaultsToGitHubInActions: in GitHub Actions a plain run of a
// verb that can annotate writes annotations, and --format text (or json)
// still wins.
func TestFormatDefaultsToGitHubInActions(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile("app.txt", "v1\n", "feat: first")
	g.Branch("dev")
	base := g.CommitFile("dev.txt", "dev\n", "feat: dev work")
	g.Branch("feature/login")
	g.CommitFile("login.txt", "x\n", "Add login")
	head := g.Head()
	junit := filepath.Join(t.TempDir(), "r.xml")
	if err := os.WriteFile(junit, []byte(`<testsuite name="s" tests="1" failures="1"><testcase name="TestLogin" classname="app"><failure message="want 200, got 500">boom</failure></testcase></testsuite>`), 0o644); err != nil {
		t.Fatal(err)
	}
	verbs := []struct {
		name  string
		stdin string
		args  []string
		code  int
		text  string // in the text format's output
	}{
		{"lint", "feature: add a thing\n", []string{"lint"}, exitFindings, "[type-enum]"},
		{"lint range", "", []string{"lint", "--from", base}, exitFindings, "[type-empty]"},
		{"branch check", "", []string{"branch", "check", "--head", "Feature/x", "--base", "dev"}, exitFindings, "✖ Feature/x → dev: rejected"},
		{"pr", "", []string{"pr", "--base-sha", base, "--head-sha", head, "--title", "Login"}, exitFindings, "✖ title: Login"},
		{"test", "", []string{"test", "--junit", junit}, exitFindings, "want 200, got 500"},
	}
	for _, v := range verbs {
		t.Run(v.name, func(t *testing.T) {
			summary := filepath.Join(t.TempDir(), "summary.md")
			actions := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}

			code, out, errOut := formatRun(t, g.Dir, actions, v.stdin, v.args...)
			if code != v.code || !strings.Contains(out, "::error ") {
				t.Errorf("in Actions: exit %d (want %d), want ::error annotations\nstdout: %s\nstderr: %s", code, v.code, out, errOut)
			}
			if v.name == "test" {
				if b, err := os.ReadFile(summary); err != nil || !strings.Contains(string(b), "TestLogin") {
					t.Errorf("in Actions the job summary is not written: %v\n%s", err, b)
				}
				os.Remove(summary)
			}

			code, out, errOut = formatRun(t, g.Dir, actions, v.stdin, append(v.args, "--format", "text")...)
			if code != v.code || strings.Contains(out, "::error") || !strings.Contains(out, v.text) {
				t.Errorf("--format text in Actions: exit %d (want %d), want text with %q and no annotations\nstdout: %s\nstderr: %s", code, v.code, v.text, out, errOut)
			}
			if _, err := os.Stat(summary); err == nil {
				t.Errorf("--format text in Actions wrote the job summary")
			}

			code, out, _ = formatRun(t, g.Dir, actions, v.stdin, append(v.args, "--format", "json")...)
			if code != v.code || strings.Contains(out, "::error") || !strings.HasPrefix(strings.TrimSpace(out), "{") {
				t.Errorf("--format json in Actions: exit %d (want %d), want JSON\nstdout: %s", code, v.code, out)
			}

			code, out, errOut = formatRun(t, g.Dir, map[string]string{"GITHUB_ACTIONS": "false"}, v.stdin, v.args...)
			if code != v.code || strings.Contains(out, "::error") || !strings.Contains(out, v.text) {
				t.Errorf("outside Actions: exit %d (want %d), want text with %q\nstdout: %s\nstderr: %s", code, v.code, v.text, out, errOut)
			}
		})
	}
}

// TestFormatNextInActionsKeepsThePlan: in Actions `shipflow next` writes
// its warnings as annotations and still prints the plan, which users read
// in the log; --format text writes no annotation. (Before, next had no
// github format: the warning was only a line of the plan.)
func TestFormatNextInActionsKeepsThePlan(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: first\n\nRelease-As: banana")
	actions := map[string]string{"GITHUB_ACTIONS": "true"}
	code, out, errOut := formatRun(t, g.Dir, actions, "", "next")
	if code != exitOK || !strings.HasPrefix(out, "::warning title=shipflow next::") || !strings.Contains(out, "\ncurrent  none") {
		t.Errorf("next in Actions: exit %d, want a warning annotation, then the plan\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	code, out, errOut = formatRun(t, g.Dir, actions, "", "next", "--format", "text")
	if code != exitOK || !strings.HasPrefix(out, "current  none") || strings.Contains(out, "::") {
		t.Errorf("next --format text in Actions: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

// TestFormatFlagsResolvedInOnePlace: every verb whose --format offers
// github registers it with addFormatFlag, so defaultFormat decides its
// default; the others keep text.
func TestFormatFlagsResolvedInOnePlace(t *testing.T) {
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, dir: "."}
	var walk func(c *cobra.Command)
	var github []string
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		f := c.Flags().Lookup("format")
		if f == nil {
			return
		}
		offers := strings.Contains(f.Usage, "github")
		if offers != (f.Annotations[actionsFormat] != nil) {
			t.Errorf("%s --format: offers github = %v, but addFormatFlag used = %v", c.CommandPath(), offers, !offers)
		}
		if offers {
			github = append(github, c.CommandPath())
		} else if f.DefValue != "text" {
			t.Errorf("%s --format defaults to %q, want text", c.CommandPath(), f.DefValue)
		}
	}
	walk(newRoot(e))
	want := []string{"shipflow branch check", "shipflow branch debt", "shipflow changelog", "shipflow doctor", "shipflow image build", "shipflow image push", "shipflow lint", "shipflow next", "shipflow pr", "shipflow release", "shipflow secrets", "shipflow test"}
	slices.Sort(github)
	if !slices.Equal(github, want) {
		t.Errorf("verbs defaulting to github in Actions = %v, want %v", github, want)
	}
}
