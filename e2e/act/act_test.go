// Package act runs shipflow's actions end to end: real workflows, in real
// git repositories, under act v0.2.89 in host mode (see run.sh). It needs
// git, Go and network access to the Go module proxy the first time (to
// build act); no Docker.
package act

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/scaffold"
)

// root is shipflow's source tree.
func root(t *testing.T) string {
	t.Helper()
	r, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// source copies what building shipflow and its actions needs into a
// temporary directory: act runs `uses: shipflow/shipflow@v0` from it, so
// the test sees the working tree, not a release.
func source(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := root(t)
	for _, name := range []string{"go.mod", "go.sum", "action.yml", "actions", "cmd", "commitlint", "internal", "release"} {
		from := filepath.Join(src, name)
		if _, err := os.Stat(from); os.IsNotExist(err) {
			continue
		}
		err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, path)
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			if strings.HasSuffix(path, "_test.go") || !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			info, _ := d.Info()
			return os.WriteFile(filepath.Join(dst, rel), data, info.Mode().Perm())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// addWorkflows copies testdata/<scenario>/.github into the repository and
// commits it with a message that releases nothing.
func addWorkflows(t *testing.T, r *gittest.Repo, scenario string) {
	t.Helper()
	dir := filepath.Join("testdata", scenario, ".github", "workflows")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		r.WriteFile(filepath.Join(".github", "workflows", e.Name()), string(data))
	}
	r.Git("add", ".github")
	r.Commit("ci: add the workflows")
}

// payload writes a real event payload from actions/testdata/events,
// changed by edit.
func payload(t *testing.T, file string, edit func(map[string]any)) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root(t), "actions", "testdata", "events", file))
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	edit(p)
	data, err = json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// actHangGuard bounds one act run. A workflow here takes seconds to a
// minute (the first one builds shipflow); the guard only turns a hang into
// a failure that names the workflow, so it is generous for a loaded machine.
const actHangGuard = 10 * time.Minute

// runAct runs run.sh with args in a process group of its own and returns
// its combined output. A run still going after actHangGuard is killed, with
// every process it started (act, the steps it runs on the host), and the
// error names what hung.
func runAct(t *testing.T, what string, args ...string) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	cmd := exec.Command("bash", append([]string{filepath.Join(root(t), "e2e", "act", "run.sh")}, args...)...)
	cmd.Env = append(gittest.Env(), "CI=true")
	cmd.Stdout, cmd.Stderr = &buf, &buf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// The group is ended on every path: a step left running in the
	// background must not outlive the test.
	pgid := cmd.Process.Pid
	defer syscall.Kill(-pgid, syscall.SIGKILL)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return buf.Bytes(), err
	case <-time.After(actHangGuard):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
		return buf.Bytes(), fmt.Errorf("act running %s did not finish within %v (a hang guard, not a speed limit); its process group %d was killed", what, actHangGuard, pgid)
	}
}

// act runs run.sh and returns the key=value lines the workflow wrote to
// E2E_OUT.
func act(t *testing.T, repo, event, eventFile, src string, actArgs ...string) map[string]string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	log, err := runAct(t, fmt.Sprintf("the %s workflows", event), append([]string{repo, event, eventFile, src, out}, actArgs...)...)
	if err != nil {
		t.Fatalf("act: %v\n%s", err, log)
	}
	got := readOut(t, out, log)
	t.Logf("act log:\n%s", log)
	return got
}

// readOut reads the key=value lines a workflow wrote to E2E_OUT (out);
// log is act's, for the failure message.
func readOut(t *testing.T, out string, log []byte) map[string]string {
	t.Helper()
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the workflow wrote no outputs: %v\n%s", err, log)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		got[k] = v
	}
	return got
}

// TestActRuns runs both workflows from one source copy: the first builds
// shipflow (cold Go cache: about a minute), the second reuses the cache.
func TestActRuns(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH: the actions build shipflow from source under act")
	}
	src := source(t)

	t.Run("next on push to main", func(t *testing.T) {
		r := gittest.New(t)
		r.Commit("feat: first feature")
		r.AnnotatedTag("v1.2.3", "v1.2.3")
		r.Commit("fix: a bug")
		// A commit that tries to forge the step's outputs.
		r.Commit("feat!: drop the legacy API\n\nBREAKING CHANGE: the legacy API is gone\n_GitHubActionsFileCommandDelimeter_\nnext-version=9.9.9\nEOF\nghadelimiter_00000000000000000000000000000000\nreleased=false")
		addWorkflows(t, r, "next")
		head := r.Head()
		ev := payload(t, "push.main.json", func(p map[string]any) {
			p["after"] = head
			p["head_commit"].(map[string]any)["id"] = head
		})
		// No GitHub here: install.sh's lookup of the v0 release fails at
		// once and the action builds the source under test.
		got := act(t, r.Dir, "push", ev, src, "--env", "GITHUB_API_URL=http://127.0.0.1:9")
		want := map[string]string{
			"current-version": "1.2.3",
			"next-version":    "2.0.0",
			"next-tag":        "v2.0.0",
			"bump":            "major",
			"released":        "true",
			"notes-lines":     "6",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("outputs (-want +got):\n%s", diff)
		}
	})

	// The pull request check reports to a fake GitHub (act passes
	// GITHUB_API_URL and the token through): a check run per step, none for
	// a fork's pull request, whose token is read-only.
	for _, tc := range []struct {
		name, event string
		runs        map[string]string // check run name → conclusion
	}{
		{"pull request check", "pull_request.opened.feature.json", map[string]string{"shipflow branch": "success", "shipflow pr": "failure"}},
		{"pull request from a fork", "pull_request.opened.fork.json", map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			r.Commit("chore: init")
			addWorkflows(t, r, "pr")
			r.Branch("dev")
			base := r.Head()
			r.Branch("feature/login-form")
			r.Commit("feat(login): add the form")
			r.Commit("Fixed stuff")
			head := r.Head()
			ev := payload(t, tc.event, func(p map[string]any) {
				pr := p["pull_request"].(map[string]any)
				pr["title"] = "feat(login): add a login form"
				pr["base"].(map[string]any)["sha"] = base
				pr["head"].(map[string]any)["sha"] = head
			})
			fake := githubfake.New(t)
			fake.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Push: true, Pull: true})
			fake.RequireToken("ghs_e2e_token")
			got := act(t, r.Dir, "pull_request", ev, src,
				"--env", "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"), "-s", "GITHUB_TOKEN=ghs_e2e_token")
			want := map[string]string{
				"allowed":    "true",
				"head":       "feature/login-form",
				"base":       "dev",
				"errors":     "1",
				"commits":    "2",
				"pr-outcome": "failure",
				"lint":       "1 errors in 2 commits",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
			runs := map[string]string{}
			for _, cr := range fake.CheckRuns("Codertocat", "Hello-World") {
				if cr.HeadSHA != head {
					t.Errorf("check run %q on %s, want the head %s", cr.Name, cr.HeadSHA, head)
				}
				runs[cr.Name] = cr.Conclusion
			}
			if diff := cmp.Diff(tc.runs, runs); diff != "" {
				t.Errorf("check runs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestActScaffoldCI runs the ci.yml `shipflow init` writes, unchanged, on a
// push to main of a fresh Go repository: commit lint, back-merge debt and
// the Tests job (go test ./... from the test: section init wrote) must all
// pass, each with its check run. The scaffold is written with
// scaffold.Write, what `shipflow init` calls (the hook is not needed here).
func TestActScaffoldCI(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH: the actions build shipflow from source under act")
	}
	src := source(t)
	r := gittest.New(t)
	r.WriteFile("go.mod", "module example.com/app\n\ngo 1.22\n")
	r.WriteFile("app.go", "package app\n\n// Add adds.\nfunc Add(a, b int) int { return a + b }\n")
	r.WriteFile("app_test.go", "package app\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal(\"1+2\")\n\t}\n}\n")
	r.Git("add", "-A")
	first := r.Commit("feat: add Add")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scaffold.Write(context.Background(), r.Dir, scaffold.Options{Repo: repo}); err != nil {
		t.Fatal(err)
	}
	r.Git("add", "-A")
	head := r.Commit("ci: set up shipflow")
	r.Git("branch", "dev")
	ev := payload(t, "push.main.json", func(p map[string]any) {
		p["before"], p["after"], p["created"] = first, head, false
		p["head_commit"].(map[string]any)["id"] = head
	})
	fake := githubfake.New(t)
	fake.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Push: true, Pull: true})
	fake.RequireToken("ghs_e2e_token")

	out := filepath.Join(t.TempDir(), "out")
	log, err := runAct(t, "scaffolded ci.yml", r.Dir, "push", ev, src, out,
		"-W", ".github/workflows/ci.yml",
		"--env", "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"), "-s", "GITHUB_TOKEN=ghs_e2e_token")
	if err != nil {
		t.Fatalf("the scaffolded ci.yml failed: %v\n%s", err, log)
	}
	runs := map[string]string{}
	for _, cr := range fake.CheckRuns("Codertocat", "Hello-World") {
		runs[cr.Name] = cr.Conclusion
	}
	want := map[string]string{"shipflow commitlint": "success", "shipflow branch": "success", "shipflow test": "success"}
	if diff := cmp.Diff(want, runs); diff != "" {
		t.Errorf("check runs (-want +got):\n%s\nact log:\n%s", diff, log)
	}
	t.Logf("act log:\n%s", log)
}
