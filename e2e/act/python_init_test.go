package act

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// buildShipflow builds the CLI from this source tree into a temporary
// directory and returns its path.
func buildShipflow(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bin")
	cmd := exec.Command("go", "build", "-o", filepath.Join(bin, "shipflow"), "./cmd/shipflow")
	cmd.Dir = root(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/shipflow: %v\n%s", err, out)
	}
	return filepath.Join(bin, "shipflow")
}

// shipflowIn runs the built shipflow in dir, with PATH starting at its
// directory (the commit-msg hook init installs looks there).
func shipflowIn(t *testing.T, dir, bin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(gittest.Env(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// commitWithHook commits the work tree with the commit-msg hook running,
// shipflow on PATH as a user who installed it has it.
func commitWithHook(t *testing.T, r *gittest.Repo, bin, msg string) (string, error) {
	t.Helper()
	r.Git("add", "-A")
	cmd := exec.Command("git", "commit", "-q", "-m", msg)
	cmd.Dir = r.Dir
	cmd.Env = append(gittest.Env(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestActPythonServiceFirstHour is the first hour on a fresh FastAPI-style
// Python service: `shipflow init` (the real CLI) scaffolds it, the
// commit-msg hook it installs refuses a bad message, and the scaffolded
// ci.yml, unchanged, runs green under act on a push to main: commit lint,
// back-merge debt, the tests (pytest through `shipflow test`, its JUnit
// report counted: 2 passed) and the Lint step (flake8, found from
// setup.cfg). Then a pull request whose code flake8 refuses: the tests
// still pass and are counted (3 passed), the Lint step fails the job with
// the finding as an annotation.
//
// Stand-ins (no PyPI here): actions/setup-python is replaced by
// testdata/setup-python, which puts the host's python3 on PATH, with
// pytest and flake8 preinstalled (Debian's python3-pytest and
// python3-flake8, which scripts/test.sh installs); the scaffolded
// "Install the dependencies" step then installs nothing, since pytest and
// flake8 import and the project has no requirements.txt or
// [build-system]. Everything else runs as scaffolded.
func TestActPythonServiceFirstHour(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH: the actions build shipflow from source under act")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import pytest, flake8").Run(); err != nil {
		t.Fatalf("/usr/bin/python3 lacks pytest or flake8 (apt-get install python3-pytest python3-flake8; scripts/test.sh does): %v", err)
	}
	src := source(t)
	bin := buildShipflow(t)

	r := gittest.New(t)
	r.WriteFile("pyproject.toml", "[project]\nname = \"app\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\n\n[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n")
	r.WriteFile("setup.cfg", "[flake8]\nmax-line-length = 100\nexclude = .git,__pycache__,reports\n")
	r.WriteFile(".gitignore", "__pycache__/\n")
	r.WriteFile("app/__init__.py", "")
	r.WriteFile("app/main.py", "\"\"\"The service: in a FastAPI app these are the route handlers.\"\"\"\n\n\n"+
		"def health() -> dict:\n    return {\"status\": \"ok\"}\n\n\n"+
		"def add(a: int, b: int) -> int:\n    return a + b\n")
	r.WriteFile("tests/test_main.py", "from app.main import add, health\n\n\n"+
		"def test_health():\n    assert health() == {\"status\": \"ok\"}\n\n\n"+
		"def test_add():\n    assert add(1, 2) == 3\n")
	r.Git("add", "-A")
	first := r.Commit("feat: health and add")

	out, err := shipflowIn(t, r.Dir, bin, "init")
	if err != nil {
		t.Fatalf("shipflow init: %v\n%s", err, out)
	}
	for _, w := range []string{
		"appended     .gitignore (.env, reports/)\n",
		"lint         flake8 (found from setup.cfg [flake8]): the Lint step of ci.yml runs it\n",
		"installed    commit-msg hook",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("shipflow init's output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "warning") {
		t.Errorf("shipflow init warns although shipflow is on PATH:\n%s", out)
	}
	if out, err := commitWithHook(t, r, bin, "Set up shipflow"); err == nil || !strings.Contains(out, "type-empty") {
		t.Errorf("the hook let a bad message through (%v):\n%s", err, out)
	}
	if out, err := commitWithHook(t, r, bin, "ci: set up shipflow"); err != nil {
		t.Fatalf("commit: %v\n%s", err, out)
	}
	head := r.Head()
	r.Git("branch", "dev")

	fake := githubfake.New(t)
	fake.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Push: true, Pull: true})
	fake.RequireToken("ghs_e2e_token")
	api := "GITHUB_API_URL=" + strings.TrimSuffix(fake.URL, "/")

	// A push to main: every job of ci.yml is green.
	ev := payload(t, "push.main.json", func(p map[string]any) {
		p["before"], p["after"], p["created"] = first, head, false
		p["head_commit"].(map[string]any)["id"] = head
	})
	log, err := runAct(t, "the scaffolded ci.yml of a Python service on push", r.Dir, "push", ev, src, filepath.Join(t.TempDir(), "out"),
		"-W", ".github/workflows/ci.yml", "--env", api, "-s", "GITHUB_TOKEN=ghs_e2e_token")
	if err != nil {
		t.Fatalf("the scaffolded ci.yml failed on push: %v\n%s", err, log)
	}
	runs := map[string]string{}
	for _, cr := range fake.CheckRuns("Codertocat", "Hello-World") {
		runs[cr.Name] = cr.Conclusion + ": " + cr.Title
	}
	if got := runs["shipflow test"]; got != "success: 2 passed, 0 failed, 0 skipped" {
		t.Errorf("check run shipflow test = %q, want pytest's 2 tests passed\nact log:\n%s", got, log)
	}
	for _, name := range []string{"shipflow commitlint", "shipflow branch"} {
		if !strings.HasPrefix(runs[name], "success") {
			t.Errorf("check run %s = %q, want success", name, runs[name])
		}
	}
	for _, step := range []string{"Install the dependencies and pytest", "Run the tests and report them", "Lint (flake8)"} {
		if !regexp.MustCompile(`Success - Main ` + regexp.QuoteMeta(step)).Match(log) {
			t.Errorf("step %q did not succeed\nact log:\n%s", step, log)
		}
	}
	// The report pytest wrote in the run is not something to commit.
	if st := r.Git("status", "--porcelain", "--ignored=no"); st != "" {
		t.Errorf("the CI run left files git would commit:\n%s", st)
	}

	// A pull request whose code flake8 refuses: the tests pass and are
	// counted, the Lint step fails the job and annotates the line.
	r.Git("checkout", "-q", "-b", "feature/login-form", "dev")
	r.WriteFile("app/main.py", "\"\"\"The service: in a FastAPI app these are the route handlers.\"\"\"\nimport os\n\n\n"+
		"def health() -> dict:\n    return {\"status\": \"ok\"}\n\n\n"+
		"def add(a: int, b: int) -> int:\n    return a + b\n\n\n"+
		"def sub(a: int, b: int) -> int:\n    return a - b\n")
	r.WriteFile("tests/test_sub.py", "from app.main import sub\n\n\ndef test_sub():\n    assert sub(3, 2) == 1\n")
	if out, err := commitWithHook(t, r, bin, "feat: add sub"); err != nil {
		t.Fatalf("commit: %v\n%s", err, out)
	}
	prHead := r.Head()
	ev = payload(t, "pull_request.opened.feature.json", func(p map[string]any) {
		pr := p["pull_request"].(map[string]any)
		pr["title"] = "feat: add sub"
		pr["head"].(map[string]any)["sha"] = prHead
		pr["base"].(map[string]any)["sha"] = head
	})
	log, err = runAct(t, "the scaffolded ci.yml of a Python service on a pull request", r.Dir, "pull_request", ev, src, filepath.Join(t.TempDir(), "out"),
		"-W", ".github/workflows/ci.yml", "-j", "test", "--env", api, "-s", "GITHUB_TOKEN=ghs_e2e_token")
	if err == nil {
		t.Errorf("the Tests job passed although flake8 finds an unused import\nact log:\n%s", log)
	}
	var got []string
	for _, cr := range fake.CheckRuns("Codertocat", "Hello-World") {
		if cr.HeadSHA == prHead {
			got = append(got, cr.Name+" "+cr.Conclusion+": "+cr.Title)
		}
	}
	if diff := cmp.Diff([]string{"shipflow test success: 3 passed, 0 failed, 0 skipped"}, got); diff != "" {
		t.Errorf("check runs on the pull request's head (-want +got):\n%s\nact log:\n%s", diff, log)
	}
	for _, w := range []string{"file=./app/main.py,line=2,col=1,title=flake8 F401", "Failure - Main Lint (flake8)"} {
		if !strings.Contains(string(log), w) {
			t.Errorf("the act log lacks %q:\n%s", w, log)
		}
	}
}
