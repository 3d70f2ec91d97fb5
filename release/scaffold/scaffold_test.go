package scaffold

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"go.yaml.in/yaml/v3"
)

func actions(rep *Report) map[string]Action {
	m := map[string]Action{}
	for _, e := range rep.Entries {
		m[e.Path] = e.Action
	}
	return m
}

func allFiles(a Action) map[string]Action {
	m := map[string]Action{}
	for _, f := range Files() {
		m[f.Path] = a
	}
	return m
}

func TestWriteFreshThenIdempotent(t *testing.T) {
	dir := t.TempDir()
	rep, err := Write(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := allFiles(Written)
	want[GitignorePath] = Written
	want[ReadmePath] = Written
	if diff := cmp.Diff(want, actions(rep)); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	for _, f := range Files() {
		got, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil || string(got) != string(f.Data) {
			t.Errorf("%s: err %v, content differs: %v", f.Path, err, string(got) != string(f.Data))
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); string(b) != ".env\n" {
		t.Errorf(".gitignore = %q", b)
	}

	rep, err = Write(context.Background(), dir, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	want = allFiles(Unchanged)
	want[GitignorePath] = Unchanged
	want[ReadmePath] = Unchanged
	if diff := cmp.Diff(want, actions(rep)); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); string(b) != ".env\n" {
		t.Errorf(".gitignore after second run = %q", b)
	}
}

func TestWriteNeverOverwritesWithoutForce(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "CHANGELOG.md")
	if err := os.WriteFile(mine, []byte("# my changelog\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Write(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(rep)["CHANGELOG.md"]; got != Skipped {
		t.Errorf("CHANGELOG.md: %s, want skipped", got)
	}
	if b, _ := os.ReadFile(mine); string(b) != "# my changelog\n" {
		t.Errorf("CHANGELOG.md was changed: %q", b)
	}
	if rep.Count(Written) != len(Files())+1 { // the other files, README.md and .gitignore
		t.Errorf("%d written, want %d", rep.Count(Written), len(Files())+1)
	}
	// --force replaces other files, but a changelog is history: never.
	cfg := filepath.Join(dir, ".shipflow.yaml")
	if err := os.WriteFile(cfg, []byte("lint: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = Write(context.Background(), dir, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(rep)["CHANGELOG.md"]; got != Skipped {
		t.Errorf("CHANGELOG.md with force: %s, want skipped", got)
	}
	if b, _ := os.ReadFile(mine); string(b) != "# my changelog\n" {
		t.Errorf("CHANGELOG.md was changed by --force: %q", b)
	}
	if got := actions(rep)[".shipflow.yaml"]; got != Overwritten {
		t.Errorf(".shipflow.yaml with force: %s, want overwritten", got)
	}
}

func TestGitignore(t *testing.T) {
	cases := []struct {
		name, before, after string
		action              Action
	}{
		{"no final newline", "node_modules", "node_modules\n.env\n", Appended},
		{"other env files only", ".env.local\n*.env\n", ".env.local\n*.env\n.env\n", Appended},
		{"already there", "dist/\n.env\n", "dist/\n.env\n", Unchanged},
		{"anchored", "/.env\n", "/.env\n", Unchanged},
		{"with spaces", "  .env  \n", "  .env  \n", Unchanged},
		{"negated after", ".env\n!.env\n", ".env\n!.env\n.env\n", Appended},
		{"negated before", "!.env\n.env\n", "!.env\n.env\n", Unchanged},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, ".gitignore")
			if err := os.WriteFile(path, []byte(c.before), 0o600); err != nil {
				t.Fatal(err)
			}
			for range 2 { // appending is idempotent
				if _, err := Write(context.Background(), dir, Options{}); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := Write(context.Background(), dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(path)
			if string(b) != c.after {
				t.Errorf(".gitignore = %q, want %q", b, c.after)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
			}
			if c.action == Unchanged && actions(rep)[GitignorePath] != Unchanged {
				t.Errorf("action %s", actions(rep)[GitignorePath])
			}
		})
	}
}

func TestWriteErrorNamesThePath(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "CHANGELOG.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Write(context.Background(), dir, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "writing CHANGELOG.md: ") {
		t.Errorf("err = %v", err)
	}
}

func TestTemplatesContent(t *testing.T) {
	files := map[string]string{}
	for _, f := range Files() {
		files[f.Path] = string(f.Data)
	}
	checks := []struct{ path, want string }{
		{".github/workflows/ci.yml", "uses: shipflow/shipflow/actions/pr@v0"},
		{".github/workflows/ci.yml", "uses: shipflow/shipflow/actions/branch@v0\n        with:\n          debt: true\n"},
		{".github/workflows/release.yml", "checks: write"},
		{".github/workflows/release.yml", "source: image.tar"},
		{".github/workflows/release.yml", "repository: ${{ steps.image.outputs.repository }}"},
		{".github/workflows/release.yml", `docker save --output image.tar "app:${VERSION}"`},
		{".shipflow.yaml", "\ntest:\n"},
		{".shipflow.yaml", "\n#image:\n#  repository: ''\n"},
		{".github/workflows/ci.yml", "uses: shipflow/shipflow/actions/commitlint@v0"},
		{".github/workflows/ci.yml", "uses: shipflow/shipflow/actions/test@v0"},
		{".github/workflows/ci.yml", "fetch-depth: 0"},
		{".github/workflows/ci.yml", "types: [opened, edited, synchronize, reopened, ready_for_review, labeled, unlabeled]"},
		{".github/workflows/release.yml", "branches: [main]"},
		{".github/workflows/release.yml", "uses: shipflow/shipflow/actions/release@v0"},
		{".github/workflows/release.yml", "uses: shipflow/shipflow/actions/image@v0"},
		{".env.template", "DATABASE_URL="},
	}
	for _, c := range checks {
		if !strings.Contains(files[c.path], c.want) {
			t.Errorf("%s does not contain %q", c.path, c.want)
		}
	}
	// The pr action includes the branch check: on pull requests only it
	// runs, so there is one branch check run, not two.
	ci := files[".github/workflows/ci.yml"]
	if i := strings.Index(ci, "uses: shipflow/shipflow/actions/branch@v0"); i < 0 || strings.Contains(ci[strings.LastIndex(ci[:i], "- name:"):i], "pull_request") {
		t.Errorf("ci.yml runs the branch action on pull requests too:\n%s", ci)
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  Project
		test  string // in the test: section
	}{
		{"go", map[string]string{"go.mod": "module x\n", "package.json": `{"scripts":{"test":"jest"}}`}, Project{Kind: KindGo, Why: "go.mod", Lint: LintGoVet, LintWhy: "go.mod"}, "command: [go, test, ./...]"},
		{"pyproject", map[string]string{"pyproject.toml": ""}, Project{Kind: KindPython, Why: "pyproject.toml"}, "junit: [reports/junit.xml]"},
		{"setup.cfg", map[string]string{"setup.cfg": ""}, Project{Kind: KindPython, Why: "setup.cfg"}, "--junitxml=reports/junit.xml"},
		{"pytest.ini", map[string]string{"pytest.ini": ""}, Project{Kind: KindPython, Why: "pytest.ini"}, "command: [python3, -m, pytest"},
		{"requirements", map[string]string{"requirements-dev.txt": ""}, Project{Kind: KindPython, Why: "requirements-dev.txt"}, "Found requirements-dev.txt"},
		{"npm", map[string]string{"package.json": `{"scripts":{"test":"vitest run"}}`}, Project{Kind: KindNPM, Why: "package.json"}, "command: [npm, test]"},
		{"npm init placeholder", map[string]string{"package.json": `{"scripts":{"test":"echo \"Error: no test specified\" && exit 1"}}`}, Project{}, "fails on purpose"},
		{"package.json without tests", map[string]string{"package.json": `{"name":"x"}`}, Project{}, "fails on purpose"},
		{"nothing", nil, Project{}, "set test.command in .shipflow.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range c.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := Detect(dir)
			if got != c.want {
				t.Errorf("Detect = %+v, want %+v", got, c.want)
			}
			if _, err := Write(context.Background(), dir, Options{}); err != nil {
				t.Fatal(err)
			}
			cfg, _ := os.ReadFile(filepath.Join(dir, ".shipflow.yaml"))
			if !strings.Contains(string(cfg), c.test) {
				t.Errorf(".shipflow.yaml lacks %q:\n%s", c.test, cfg)
			}
		})
	}
}

// TestNoTestSetupFails runs the placeholder command: CI must fail and say why.
func TestNoTestSetupFails(t *testing.T) {
	sec := Project{}.TestSection()
	_, cmd, _ := strings.Cut(sec, "command: [sh, -c, '")
	script, _, _ := strings.Cut(cmd, "']")
	out, err := exec.Command("sh", "-c", script).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "no test command: set test.command in .shipflow.yaml") {
		t.Errorf("placeholder: err %v, output %q", err, out)
	}
}

// TestGitignoreAsksGit checks that in a repository git decides: negations
// and globs count, the user's own excludes do not.
func TestGitignoreAsksGit(t *testing.T) {
	cases := []struct {
		name, gitignore, exclude string
		want                     Action
	}{
		{"ignored", ".env\n", "", Unchanged},
		{"negated", ".env\n!.env\n", "", Appended},
		{"glob", "*.env\n", "", Unchanged},
		{"negated by a glob", ".env\n!*.env\n", "", Appended},
		{"only in info/exclude", "dist/\n", ".env\n", Appended},
		{"not ignored", "dist/\n", "", Appended},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := gittest.New(t)
			g.WriteFile(".gitignore", c.gitignore)
			if c.exclude != "" {
				g.WriteFile(".git/info/exclude", c.exclude)
			}
			repo, err := git.Open(context.Background(), g.Dir)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Write(context.Background(), g.Dir, Options{Repo: repo})
			if err != nil {
				t.Fatal(err)
			}
			if got := actions(rep)[GitignorePath]; got != c.want {
				t.Errorf(".gitignore: %s, want %s", got, c.want)
			}
			if c.want == Appended {
				g.WriteFile(".env", "SECRET_KEY=x\n")
				if out, err := g.TryGit("check-ignore", "--no-index", ".env"); err != nil || out != ".env" {
					t.Errorf("after init git check-ignore .env = %q, %v", out, err)
				}
			}
		})
	}
}

// The release workflow runs one release, and so one image push, at a
// time, and never cancels one half-way: two image pushes at once converge
// (image.Push re-reads and repairs the moving tags), but until they do a
// moving tag can name the lower release, and a cancelled release leaves
// its steps half done.
func TestReleaseWorkflowConcurrency(t *testing.T) {
	var release []byte
	for _, f := range Files() {
		if f.Path == ".github/workflows/release.yml" {
			release = f.Data
		}
	}
	var wf struct {
		Concurrency struct {
			Group            string `yaml:"group"`
			CancelInProgress *bool  `yaml:"cancel-in-progress"`
		} `yaml:"concurrency"`
	}
	if err := yaml.Unmarshal(release, &wf); err != nil {
		t.Fatal(err)
	}
	if c := wf.Concurrency; c.Group == "" || c.CancelInProgress == nil || *c.CancelInProgress {
		t.Errorf("release.yml concurrency = group %q, cancel-in-progress %v; want a group with cancel-in-progress: false", c.Group, c.CancelInProgress)
	}
}
