package scaffold

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/actionlinttest"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

func TestDetectLinter(t *testing.T) {
	cases := []struct {
		name          string
		files         map[string]string
		lint, lintWhy string
	}{
		{"ruff in pyproject", map[string]string{"pyproject.toml": "[project]\nname = \"x\"\n\n[tool.ruff]\nline-length = 100\n"}, LintRuff, "pyproject.toml [tool.ruff]"},
		{"ruff subtable only", map[string]string{"pyproject.toml": "[tool.ruff.lint]\nselect = [\"E\"]\n"}, LintRuff, "pyproject.toml [tool.ruff]"},
		{"ruff.toml", map[string]string{"pyproject.toml": "", "ruff.toml": ""}, LintRuff, "ruff.toml"},
		{".ruff.toml", map[string]string{"requirements.txt": "", ".ruff.toml": ""}, LintRuff, ".ruff.toml"},
		{"ruff in requirements", map[string]string{"requirements-dev.txt": "pytest\nRuff==0.6.0  # lint\n"}, LintRuff, "requirements-dev.txt"},
		{"ruff wins over flake8", map[string]string{"setup.cfg": "[flake8]\n", "ruff.toml": ""}, LintRuff, "ruff.toml"},
		{".flake8", map[string]string{"pyproject.toml": "", ".flake8": "[flake8]\n"}, LintFlake8, ".flake8"},
		{"setup.cfg [flake8]", map[string]string{"setup.cfg": "[metadata]\nname = x\n\n[flake8]\nmax-line-length = 100\n"}, LintFlake8, "setup.cfg [flake8]"},
		{"tox.ini [flake8]", map[string]string{"pyproject.toml": "", "tox.ini": "[tox]\n[flake8]\n"}, LintFlake8, "tox.ini [flake8]"},
		{"flake8 in requirements", map[string]string{"requirements.txt": "flake8>=7\n"}, LintFlake8, "requirements.txt"},
		{"not a ruff requirement", map[string]string{"requirements.txt": "ruffus\n# ruff\n"}, "", ""},
		{"python without a linter", map[string]string{"pyproject.toml": "[tool.pytest.ini_options]\n", "setup.cfg": "[metadata]\n"}, "", ""},
		{"go vet", map[string]string{"go.mod": "module x\n"}, LintGoVet, "go.mod"},
		{"golangci-lint", map[string]string{"go.mod": "module x\n", ".golangci.yml": "version: \"2\"\n"}, LintGolangci, ".golangci.yml"},
		{"golangci-lint yaml", map[string]string{"go.mod": "module x\n", ".golangci.yaml": ""}, LintGolangci, ".golangci.yaml"},
		{"eslint flat config", map[string]string{"package.json": `{"scripts":{"test":"jest"}}`, "eslint.config.mjs": ""}, LintESLint, "eslint.config.mjs"},
		{"eslintrc", map[string]string{"package.json": `{"scripts":{"test":"jest"}}`, ".eslintrc.json": "{}"}, LintESLint, ".eslintrc.json"},
		{"eslint devDependency", map[string]string{"package.json": `{"scripts":{"test":"jest"},"devDependencies":{"eslint":"^9"}}`}, LintESLint, "package.json"},
		{"npm without eslint", map[string]string{"package.json": `{"scripts":{"test":"jest"},"devDependencies":{"eslint-plugin-x":"1"}}`}, "", ""},
		{"no project", map[string]string{"ruff.toml": ""}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range c.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			p := Detect(dir)
			if p.Lint != c.lint || p.LintWhy != c.lintWhy {
				t.Errorf("Detect = %+v, want lint %q from %q", p, c.lint, c.lintWhy)
			}
		})
	}
}

// A linter configuration that is a symlink out of the repository is not
// read (everything in a repository is untrusted).
func TestDetectLinterStaysInTheRepository(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "setup.cfg"), []byte("[flake8]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pyproject.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "setup.cfg"), filepath.Join(dir, "setup.cfg")); err != nil {
		t.Fatal(err)
	}
	if p := Detect(dir); p.Lint != "" {
		t.Errorf("Detect read a file outside the repository: %+v", p)
	}
}

// The Lint step of ci.yml runs the linter found, with output GitHub turns
// into annotations; without a linter there is no step.
func TestCILintStep(t *testing.T) {
	cases := []struct {
		p       Project
		want    []string
		notWant []string
	}{
		{Project{Kind: KindPython, Why: "pyproject.toml", Lint: LintRuff, LintWhy: "ruff.toml"},
			[]string{"- name: Lint (ruff)", "python3 -m ruff check --output-format=github", "python3 -m pip install ruff"}, []string{"flake8"}},
		{Project{Kind: KindPython, Why: "setup.cfg", Lint: LintFlake8, LintWhy: "setup.cfg [flake8]"},
			[]string{"- name: Lint (flake8)", "python3 -m flake8 --format='::error file=%(path)s,line=%(row)d,col=%(col)d,title=flake8 %(code)s::%(text)s'", "python3 -m pip install flake8"}, []string{"ruff"}},
		{Project{Kind: KindPython, Why: "setup.cfg"}, nil, []string{"- name: Lint (", "flake8", "ruff"}},
		{Project{Kind: KindGo, Why: "go.mod", Lint: LintGoVet, LintWhy: "go.mod"}, []string{"- name: Lint (go vet)", "run: go vet ./..."}, []string{"golangci"}},
		{Project{Kind: KindGo, Why: "go.mod", Lint: LintGolangci, LintWhy: ".golangci.yml"}, []string{"- name: Lint (golangci-lint)", "uses: golangci/golangci-lint-action@v8"}, []string{"go vet"}},
		{Project{Kind: KindNPM, Why: "package.json", Lint: LintESLint, LintWhy: "package.json"}, []string{"- name: Lint (eslint)", "run: npx --no-install eslint ."}, nil},
		{Project{Kind: KindNPM, Why: "package.json"}, nil, []string{"- name: Lint (", "eslint"}},
	}
	for _, c := range cases {
		t.Run(c.p.Kind+" "+c.p.Lint, func(t *testing.T) {
			ci := filesFor(t, c.p, ReleaseModePR)[".github/workflows/ci.yml"]
			for _, s := range c.want {
				if !strings.Contains(ci, s) {
					t.Errorf("ci.yml lacks %q:\n%s", s, ci)
				}
			}
			for _, s := range c.notWant {
				if strings.Contains(ci, s) {
					t.Errorf("ci.yml has %q:\n%s", s, ci)
				}
			}
			if strings.Contains(ci, "python -m") {
				t.Errorf("ci.yml runs `python`, which a runner without setup-python lacks:\n%s", ci)
			}
		})
	}
}

func TestLintStepsPassActionlint(t *testing.T) {
	for _, p := range []Project{
		{Kind: KindPython, Why: "pyproject.toml", Lint: LintRuff, LintWhy: "ruff.toml"},
		{Kind: KindPython, Why: "setup.cfg", Lint: LintFlake8, LintWhy: ".flake8"},
		{Kind: KindGo, Why: "go.mod", Lint: LintGoVet, LintWhy: "go.mod"},
		{Kind: KindGo, Why: "go.mod", Lint: LintGolangci, LintWhy: ".golangci.yml"},
		{Kind: KindNPM, Why: "package.json", Lint: LintESLint, LintWhy: "package.json"},
	} {
		t.Run(p.Lint, func(t *testing.T) {
			dir, files := scaffoldProject(t, p, ReleaseModePR, nil)
			actionlinttest.Report(t, actionlinttest.Run(t, dir, files...))
		})
	}
}

// The report directory of test.junit is ignored like .env, once.
func TestGitignoreReportDir(t *testing.T) {
	for _, withRepo := range []bool{false, true} {
		t.Run(map[bool]string{false: "lines", true: "git"}[withRepo], func(t *testing.T) {
			r := gittest.New(t)
			r.WriteFile("pyproject.toml", "[project]\nname = \"app\"\n")
			opt := Options{}
			if withRepo {
				repo, err := git.Open(context.Background(), r.Dir)
				if err != nil {
					t.Fatal(err)
				}
				opt.Repo = repo
			}
			rep, err := Write(context.Background(), r.Dir, opt)
			if err != nil {
				t.Fatal(err)
			}
			gi := rep.Entries[len(rep.Entries)-1]
			if gi.Path != GitignorePath || gi.Action != Written || strings.Join(gi.Lines, " ") != ".env reports/" {
				t.Errorf(".gitignore entry %+v, want written with .env reports/", gi)
			}
			data, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
			if string(data) != ".env\nreports/\n" {
				t.Errorf(".gitignore = %q", data)
			}
			rep, err = Write(context.Background(), r.Dir, opt)
			if err != nil {
				t.Fatal(err)
			}
			gi = rep.Entries[len(rep.Entries)-1]
			if gi.Action != Unchanged || gi.Reason != "already ignores .env and reports/" {
				t.Errorf("second run: %+v", gi)
			}
			// Only what is missing is added.
			if err := os.WriteFile(filepath.Join(r.Dir, ".gitignore"), []byte("/reports\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			rep, err = Write(context.Background(), r.Dir, opt)
			if err != nil {
				t.Fatal(err)
			}
			gi = rep.Entries[len(rep.Entries)-1]
			data, _ = os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
			if gi.Action != Appended || strings.Join(gi.Lines, " ") != ".env" || string(data) != "/reports\n.env\n" {
				t.Errorf("third run: %+v, .gitignore %q", gi, data)
			}
		})
	}
}
