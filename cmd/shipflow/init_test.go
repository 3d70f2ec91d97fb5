package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/branch"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/scaffold"
)

func TestInitInRepository(t *testing.T) {
	g := gittest.New(t)
	g.Commit("chore: start")
	sub := filepath.Join(g.Dir, "src")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := branchRun(t, sub, nil, "init") // from a subdirectory: files go to the top level
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	want := `written      .shipflow.yaml
written      .github/workflows/ci.yml
written      .github/workflows/release.yml
written      .github/workflows/ci-report.yml
written      CHANGELOG.md
written      .env.template
written      deploy_docker.sh
written      rollback.sh
written      README.md
written      .gitignore (.env)
lint         none found (no test setup found, so no linter either): ci.yml has no Lint step
installed    commit-msg hook (.git/hooks/commit-msg)
` + initPRModeNext
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	for _, f := range scaffold.Files() {
		if _, err := os.Stat(filepath.Join(g.Dir, f.Path)); err != nil {
			t.Error(err)
		}
	}
	fi, err := os.Stat(filepath.Join(g.Dir, ".git", "hooks", "commit-msg"))
	if err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("hook not installed or not executable: %v", err)
	}
	// git ignores .env now.
	if err := os.WriteFile(filepath.Join(g.Dir, ".env"), []byte("SECRET_KEY=x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := g.Git("check-ignore", ".env"); got != ".env" {
		t.Errorf("git check-ignore .env = %q", got)
	}

	// Twice changes nothing.
	code, out, _ = branchRun(t, g.Dir, nil, "init")
	if code != 0 || strings.Count(out, "unchanged") != 11 {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
}

func TestInitKeepsFilesWithoutForce(t *testing.T) {
	g := gittest.New(t)
	ci := filepath.Join(g.Dir, ".github", "workflows", "ci.yml")
	if err := os.MkdirAll(filepath.Dir(ci), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ci, []byte("name: mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := branchRun(t, g.Dir, nil, "init", "--no-hook")
	if code != 0 || !strings.Contains(out, "skipped      .github/workflows/ci.yml (exists with other content; --force overwrites it)") ||
		!strings.Contains(out, "skipped      commit-msg hook (--no-hook)") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(ci); string(b) != "name: mine\n" {
		t.Errorf("ci.yml overwritten: %q", b)
	}
	code, out, _ = branchRun(t, g.Dir, nil, "init", "--force", "--no-hook")
	if code != 0 || !strings.Contains(out, "overwritten  .github/workflows/ci.yml") {
		t.Errorf("--force: exit %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(ci); string(b) == "name: mine\n" {
		t.Error("ci.yml not overwritten with --force")
	}
}

func TestInitOutsideRepository(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := branchRun(t, dir, nil, "init")
	if code != 0 || !strings.Contains(out, "skipped      commit-msg hook (not a git repository") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, ".shipflow.yaml")); err != nil {
		t.Error(err)
	}
}

func TestInitWriteFailureIsExit3(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "CHANGELOG.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := branchRun(t, dir, nil, "init")
	if code != 3 || !strings.Contains(errOut, "writing CHANGELOG.md") {
		t.Errorf("exit %d, stderr %s", code, errOut)
	}
}

// TestInitConfigIsTheDefaults checks the generated .shipflow.yaml against
// the configuration code: as written (all commented) it loads, and with
// every commented setting enabled it still decodes strictly (so every key
// exists) and yields the default branching model.
func TestInitConfigIsTheDefaults(t *testing.T) {
	for _, mode := range scaffold.ReleaseModes {
		for _, kind := range scaffold.Kinds {
			name := kind
			if kind == scaffold.KindNone {
				name = "none"
			}
			t.Run(mode+" kind "+name, func(t *testing.T) {
				testInitConfigIsTheDefaults(t, scaffold.Project{Kind: kind, Why: "pyproject.toml"}, mode)
			})
		}
	}
}

func testInitConfigIsTheDefaults(t *testing.T, project scaffold.Project, mode string) {
	var data, changelogMD []byte
	files, err := scaffold.FilesFor(project, mode)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch f.Path {
		case config.FileName:
			data = f.Data
		case "CHANGELOG.md":
			changelogMD = f.Data
		}
	}
	written, err := config.Parse(config.FileName, data)
	if err != nil {
		t.Fatalf("as written: %v", err)
	}
	if written.Release.Mode != mode {
		t.Errorf("as written, release.mode = %q, want %q", written.Release.Mode, mode)
	}
	if len(written.Test.Command) == 0 {
		t.Errorf("as written, test.command is empty: the Tests job would fail with \"nothing to run\"")
	}
	// Settings are commented as "#key: value" or "#  key: value"; prose as "# text".
	enabled := regexp.MustCompile(`(?m)^#(\S|  )`).ReplaceAll(data, []byte("$1"))
	if string(enabled) == string(data) {
		t.Fatal("no commented settings found")
	}
	cfg, err := config.Parse(config.FileName, enabled)
	if err != nil {
		t.Fatalf("with the settings enabled: %v\n%s", err, enabled)
	}
	if cfg.Release.Mode != mode || len(cfg.Release.Assets) == 0 || len(cfg.Release.VersionFiles) < 2 {
		t.Errorf("with the settings enabled: release = %+v; want mode %s, the assets and version-files examples", cfg.Release, mode)
	}
	wantMsg := map[string]string{config.ReleaseModePR: release.DefaultPRCommitMessage, config.ReleaseModeDirect: release.DefaultCutCommitMessage}[mode]
	if cfg.Release.CommitMessage != wantMsg {
		t.Errorf("release.commit-message = %q, want the %s default %q", cfg.Release.CommitMessage, mode, wantMsg)
	}
	p, err := release.BranchPolicy(cfg.Branches)
	if err != nil {
		t.Fatal(err)
	}
	def := branch.DefaultPolicy()
	if diff := cmp.Diff(def, p, cmp.Transformer("sortFlows", func(fs []branch.Flow) map[string][]string {
		m := map[string][]string{}
		for _, f := range fs {
			m[f.Head] = f.Bases
		}
		return m
	})); diff != "" {
		t.Errorf("branches section differs from branch.DefaultPolicy (-default +file):\n%s", diff)
	}
	if d, _ := release.ResolveBranchDebt(release.NoInputs{}, cfg, release.CI{}); d.Stable != "main" || d.Integration != "dev" {
		t.Errorf("stable/integration = %q/%q", d.Stable, d.Integration)
	}
	if !strings.Contains(string(changelogMD), "\n"+changelog.DefaultMarker+"\n") {
		t.Errorf("CHANGELOG.md lacks the insert marker %q", changelog.DefaultMarker)
	}
}

// TestInitTestCommand checks that init writes the project's test command,
// so the scaffolded Tests job has something to run.
func TestInitTestCommand(t *testing.T) {
	cases := []struct {
		name, file string
		command    []string
		junit      []string
	}{
		{"go module", "go.mod", []string{"go", "test", "./..."}, nil},
		{"python project", "requirements.txt", []string{"python3", "-m", "pytest", "--junitxml=reports/junit.xml"}, []string{"reports/junit.xml"}},
		{"nothing found", "", []string{"sh", "-c", `echo "no test command: set test.command in .shipflow.yaml" >&2; exit 1`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := gittest.New(t)
			if c.file != "" {
				g.WriteFile(c.file, "")
			}
			if code, out, errOut := branchRun(t, g.Dir, nil, "init", "--no-hook"); code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			cfg, _, err := config.Load(g.Dir)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.command, cfg.Test.Command); diff != "" {
				t.Errorf("test.command (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.junit, cfg.Test.JUnit); diff != "" {
				t.Errorf("test.junit (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInitGitignoreNegation: `!.env` after `.env` means git does not ignore
// .env, so init appends it again instead of saying it is ignored.
func TestInitGitignoreNegation(t *testing.T) {
	g := gittest.New(t)
	g.WriteFile(".gitignore", ".env\n!.env\n")
	code, out, _ := branchRun(t, g.Dir, nil, "init", "--no-hook")
	if code != 0 || !strings.Contains(out, "appended     .gitignore (.env)") {
		t.Errorf("exit %d\n%s", code, out)
	}
	g.WriteFile(".env", "SECRET_KEY=x\n")
	if got := g.Git("check-ignore", ".env"); got != ".env" {
		t.Errorf("git check-ignore .env = %q", got)
	}
}

// The scaffold's release modes are release.mode's values.
func TestInitReleaseModesAreTheConfigs(t *testing.T) {
	want := []string{config.ReleaseModePR, config.ReleaseModeDirect}
	if diff := cmp.Diff(want, scaffold.ReleaseModes); diff != "" {
		t.Errorf("scaffold.ReleaseModes (-config +scaffold):\n%s", diff)
	}
}

// TestInitReleaseMode: --release-mode picks the release workflow and
// release.mode; PR mode, the default, says which repository setting it
// needs.
func TestInitReleaseMode(t *testing.T) {
	cases := []struct {
		name string
		args []string
		mode string
	}{
		{"default", nil, config.ReleaseModePR},
		{"pr", []string{"--release-mode", "pr"}, config.ReleaseModePR},
		{"direct", []string{"--release-mode=direct"}, config.ReleaseModeDirect},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := gittest.New(t)
			code, out, errOut := branchRun(t, g.Dir, nil, append([]string{"init", "--no-hook"}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			cfg, _, err := config.Load(g.Dir)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Release.Mode != c.mode {
				t.Errorf("release.mode = %q, want %q", cfg.Release.Mode, c.mode)
			}
			files, err := scaffold.FilesFor(scaffold.Project{}, c.mode)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if f.Path != ".github/workflows/release.yml" {
					continue
				}
				if got, _ := os.ReadFile(filepath.Join(g.Dir, f.Path)); string(got) != string(f.Data) {
					t.Errorf("release.yml is not the %s workflow:\n%s", c.mode, got)
				}
			}
			setting := strings.Contains(out, "Allow GitHub Actions to create and approve pull requests")
			if setting != (c.mode == config.ReleaseModePR) {
				t.Errorf("mode %s: the output names the repository setting: %v\n%s", c.mode, setting, out)
			}
		})
	}
}

func TestInitReleaseModeUnknown(t *testing.T) {
	g := gittest.New(t)
	code, out, errOut := branchRun(t, g.Dir, nil, "init", "--release-mode", "push")
	if code != 2 {
		t.Errorf("exit %d, want 2\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"--release-mode", `"push"`, "pr", "direct"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %s", want, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(g.Dir, ".shipflow.yaml")); err == nil {
		t.Error("init wrote files for an unknown release mode")
	}
}

// init says which linter ci.yml runs and where it was found, or that none
// was found; a Python project's report directory is ignored like .env.
func TestInitLinterAndReportDir(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"flake8", map[string]string{"setup.cfg": "[flake8]\nmax-line-length = 100\n"}, []string{
			"written      .gitignore (.env, reports/)\n",
			"lint         flake8 (found from setup.cfg [flake8]): the Lint step of ci.yml runs it\n",
		}},
		{"ruff", map[string]string{"pyproject.toml": "[tool.ruff]\n"}, []string{
			"lint         ruff (found from pyproject.toml [tool.ruff]): the Lint step of ci.yml runs it\n",
		}},
		{"python without a linter", map[string]string{"pyproject.toml": "[project]\n"}, []string{
			"lint         none found (ruff: [tool.ruff] in pyproject.toml, ruff.toml or a requirement; flake8: .flake8, [flake8] in setup.cfg or tox.ini, or a requirement): ci.yml has no Lint step\n",
		}},
		{"go", map[string]string{"go.mod": "module x\n"}, []string{
			"written      .gitignore (.env)\n",
			"lint         go vet (found from go.mod; .golangci.yml would pick golangci-lint): the Lint step of ci.yml runs it\n",
		}},
		{"npm without eslint", map[string]string{"package.json": `{"scripts":{"test":"jest"}}`}, []string{
			"lint         none found (eslint: an eslint config file, or eslint in package.json's devDependencies): ci.yml has no Lint step\n",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := gittest.New(t)
			for name, data := range c.files {
				g.WriteFile(name, data)
			}
			code, out, errOut := branchRun(t, g.Dir, nil, "init", "--no-hook")
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// The report directory is ignored by git.
	g := gittest.New(t)
	g.WriteFile("pyproject.toml", "[project]\n")
	if code, out, errOut := branchRun(t, g.Dir, nil, "init", "--no-hook"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	g.WriteFile("reports/junit.xml", "<testsuites/>\n")
	if got := g.Git("check-ignore", "reports/junit.xml"); got != "reports/junit.xml" {
		t.Errorf("git check-ignore reports/junit.xml = %q", got)
	}
}

// init warns, as 'hook install' does, when the hook it installed runs
// shipflow from PATH and PATH has none (a test binary records "shipflow").
func TestInitHookPathWarning(t *testing.T) {
	if hookCommand() != "shipflow" {
		t.Skip("this test binary is recorded as an absolute path")
	}
	g := gittest.New(t)
	empty := t.TempDir()
	code, out, errOut := branchRun(t, g.Dir, map[string]string{"PATH": empty}, "init")
	if code != 0 || !strings.Contains(out, "installed    commit-msg hook") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, w := range []string{"shipflow: warning: ", "no shipflow on PATH (" + empty + ")", "go install github.com/shipflow/shipflow/cmd/shipflow@latest"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "shipflow"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, out, errOut = branchRun(t, g.Dir, map[string]string{"PATH": bin}, "init")
	if strings.Contains(out+errOut, "PATH") {
		t.Errorf("warns although shipflow is on PATH:\n%s%s", out, errOut)
	}
}
