package actions

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/actionlinttest"
	"go.yaml.in/yaml/v3"
)

// repoRoot is the repository's top level, two directories up.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	return root
}

// actionFiles are the root action.yml and every actions/<name>/action.yml.
func actionFiles(t *testing.T) []string {
	t.Helper()
	root := repoRoot(t)
	files, err := filepath.Glob(filepath.Join(root, "actions", "*", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join(root, "action.yml")}, files...)
}

// workflowFiles are the repository's workflows and the e2e workflows act runs.
func workflowFiles(t *testing.T) []string {
	t.Helper()
	root := repoRoot(t)
	var files []string
	for _, pat := range []string{".github/workflows/*.yml", ".github/workflows/*.yaml", "e2e/act/testdata/*/.github/workflows/*.yml"} {
		m, err := filepath.Glob(filepath.Join(root, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 3 {
		t.Fatalf("found only %d workflows: %v", len(files), files)
	}
	return files
}

// TestActionlint lints every workflow with actionlint v1.7.12 (and
// shellcheck for run: scripts). actionlint also checks `uses: ./...` steps
// against the local action.yml files: input names and outputs.
func TestActionlint(t *testing.T) {
	root := repoRoot(t)
	var rel []string
	for _, f := range workflowFiles(t) {
		r, _ := filepath.Rel(root, f)
		rel = append(rel, r)
	}
	actionlinttest.Report(t, actionlinttest.Run(t, root, rel...))
}

// TestActionlintUsesEveryInputAndOutput lints a workflow that calls every
// local action with all its inputs and reads all its outputs, so actionlint
// checks the metadata of each action.yml as a caller sees it.
func TestActionlintUsesEveryInputAndOutput(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: all\non: pull_request\npermissions:\n  contents: read\njobs:\n  all:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n")
	for i, f := range actionFiles(t) {
		md := readAction(t, f)
		rel, _ := filepath.Rel(repoRoot(t), filepath.Dir(f))
		fmt.Fprintf(&b, "      - id: s%d\n        uses: ./%s\n        with:\n", i, strings.TrimSuffix(filepath.ToSlash(rel), "."))
		for _, in := range sortedKeys(md.Inputs) {
			fmt.Fprintf(&b, "          %s: x\n", in)
		}
		for _, out := range sortedKeys(md.Outputs) {
			fmt.Fprintf(&b, "      - run: echo \"$V\"\n        env:\n          V: ${{ steps.s%d.outputs.%s }}\n", i, out)
		}
	}
	// actionlint resolves `uses: ./x` only for files inside a project (a
	// directory with .git and .github/workflows), and not for stdin: lint
	// the workflow in a temporary project whose actions are links to ours.
	proj := t.TempDir()
	for _, d := range []string{".git", ".github/workflows"} {
		if err := os.MkdirAll(filepath.Join(proj, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"action.yml", "actions"} {
		if err := os.Symlink(filepath.Join(repoRoot(t), name), filepath.Join(proj, name)); err != nil {
			t.Fatal(err)
		}
	}
	lint := func(content string) []actionlinttest.Error {
		path := filepath.Join(proj, ".github", "workflows", "all.yml")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return actionlinttest.Run(t, proj, path)
	}
	// A misspelt input must be caught, or this test checks nothing.
	bad := strings.Replace(b.String(), "          tag-prefix: x\n", "          tag-prefixx: x\n", 1)
	if errs := lint(bad); len(errs) == 0 {
		t.Error("actionlint accepted an unknown input: it does not see the local action.yml files")
	}
	actionlinttest.Report(t, lint(b.String()))
}

// actionMeta is the part of action.yml the structure checks read.
type actionMeta struct {
	Name        string `yaml:"name"`
	Author      string `yaml:"author"`
	Description string `yaml:"description"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    *bool   `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Image string       `yaml:"image"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

// actionStep is one step of a composite action.
type actionStep struct {
	ID               string            `yaml:"id,omitempty"`
	Name             string            `yaml:"name,omitempty"`
	If               string            `yaml:"if,omitempty"`
	Uses             string            `yaml:"uses,omitempty"`
	Run              string            `yaml:"run,omitempty"`
	Shell            string            `yaml:"shell,omitempty"`
	Env              map[string]string `yaml:"env,omitempty"`
	With             map[string]string `yaml:"with,omitempty"`
	WorkingDirectory string            `yaml:"working-directory,omitempty"`
}

func readAction(t *testing.T, path string) *actionMeta {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var md actionMeta
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&md); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &md
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var kebab = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestActionMetadata checks the structure of every action.yml: documented
// kebab-case inputs with defaults, documented outputs taken from the run
// step, branding, a composite action whose steps name their shell, the same
// install steps everywhere, and every input passed on to shipflow as the
// runner would (INPUT_ + upper case, hyphens kept).
func TestActionMetadata(t *testing.T) {
	var install []string
	for _, f := range actionFiles(t) {
		t.Run(strings.TrimPrefix(f, repoRoot(t)+"/"), func(t *testing.T) {
			md := readAction(t, f)
			if md.Name == "" || md.Description == "" {
				t.Error("name and description are required")
			}
			if md.Branding.Icon == "" || md.Branding.Color == "" {
				t.Error("branding needs icon and color")
			}
			if md.Runs.Using != "composite" || md.Runs.Image != "" {
				t.Errorf("runs.using %q: want a composite action (never an image: Dockerfile action rebuilt per run)", md.Runs.Using)
			}
			for name, in := range md.Inputs {
				if !kebab.MatchString(name) {
					t.Errorf("input %q is not kebab-case", name)
				}
				if in.Description == "" {
					t.Errorf("input %q has no description", name)
				}
				if in.Default == nil && (in.Required == nil || !*in.Required) {
					t.Errorf("optional input %q has no default", name)
				}
			}
			for name, out := range md.Outputs {
				if !kebab.MatchString(name) || out.Description == "" {
					t.Errorf("output %q: kebab-case name and a description are required", name)
				}
				if want := "${{ steps.run.outputs." + name + " }}"; out.Value != want {
					t.Errorf("output %q value %q, want %q", name, out.Value, want)
				}
			}
			var run *actionStep
			var steps []string
			for i := range md.Runs.Steps {
				s := &md.Runs.Steps[i]
				if s.Run != "" && s.Shell == "" {
					t.Errorf("step %d runs a script without shell: composite steps need one", i)
				}
				if (s.Run == "") == (s.Uses == "") {
					t.Errorf("step %d needs exactly one of run and uses", i)
				}
				if s.ID == "run" {
					run = s
					continue
				}
				y, _ := yaml.Marshal(s)
				steps = append(steps, strings.ReplaceAll(string(y), `$SHIPFLOW_ACTION_PATH/actions/install.sh`, `$SHIPFLOW_ACTION_PATH/../install.sh`))
			}
			if install == nil {
				install = steps
			} else if !slices.Equal(install, steps) {
				t.Errorf("install steps differ from action.yml's:\n%s\nwant:\n%s", strings.Join(steps, "---\n"), strings.Join(install, "---\n"))
			}
			if run == nil {
				t.Fatal("no step with id run")
			}
			if !strings.Contains(run.Run, `"$SHIPFLOW" action `) || run.Env["SHIPFLOW"] != "${{ steps.install.outputs.path }}" {
				t.Errorf("run step %q does not call the installed shipflow", run.Run)
			}
			if run.WorkingDirectory != "${{ inputs.working-directory }}" {
				t.Errorf("run step working-directory %q", run.WorkingDirectory)
			}
			passed := map[string]bool{}
			for k, v := range run.Env {
				if name, ok := strings.CutPrefix(k, "INPUT_"); ok {
					lower := strings.ToLower(name)
					if v != "${{ inputs."+lower+" }}" {
						t.Errorf("env %s = %q, want ${{ inputs.%s }}", k, v, lower)
					}
					passed[lower] = true
				}
			}
			for name := range md.Inputs {
				switch name {
				case "version", "verify", "working-directory", "command":
					continue // used by the steps themselves
				}
				if !passed[name] {
					t.Errorf("input %q is declared but not passed to shipflow as INPUT_%s", name, strings.ToUpper(name))
				}
			}
			for name := range passed {
				if _, ok := md.Inputs[name]; !ok {
					t.Errorf("INPUT_%s is passed but %q is not an input", strings.ToUpper(name), name)
				}
			}
		})
	}
}

// TestEveryVerbHasAnAction keeps the per-capability actions and the verbs
// of `shipflow action` in step.
func TestEveryVerbHasAnAction(t *testing.T) {
	for _, v := range Verbs() {
		if _, err := os.Stat(filepath.Join(repoRoot(t), "actions", v, "action.yml")); err != nil {
			t.Errorf("verb %q has no actions/%s/action.yml", v, v)
		}
	}
	root := readAction(t, filepath.Join(repoRoot(t), "action.yml"))
	for _, v := range Verbs() {
		if !strings.Contains(root.Inputs["command"].Description, v) {
			t.Errorf("action.yml's command input does not list %q", v)
		}
		sub := readAction(t, filepath.Join(repoRoot(t), "actions", v, "action.yml"))
		for name := range sub.Inputs {
			if _, ok := root.Inputs[name]; !ok {
				t.Errorf("actions/%s input %q is missing from action.yml", v, name)
			}
		}
		for name := range sub.Outputs {
			if _, ok := root.Outputs[name]; !ok {
				t.Errorf("actions/%s output %q is missing from action.yml", v, name)
			}
		}
	}
}

// TestShellcheck checks every shell script in the repository (the actions',
// the test and CI scripts, the benchmarks'), and that none of them ends
// processes by name: a script kills only what it started, by PID, so it
// can never take down another job's processes on a shared machine.
func TestShellcheck(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Fatal("shellcheck is not installed (apt-get install shellcheck)")
	}
	root := repoRoot(t)
	ls, err := exec.Command("git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "*.sh", ".ci/run").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	// The templates init renders (release/scaffold/templates/*.sh) hold
	// template actions, not shell: release/scaffold's
	// TestDeployScriptsPassShellcheck checks what they render to. They are
	// still held to the rule on killing by name.
	var scripts, checked []string
	for _, name := range strings.Fields(string(ls)) {
		scripts = append(scripts, filepath.Join(root, name))
		if !strings.HasPrefix(name, "release/scaffold/templates/") {
			checked = append(checked, filepath.Join(root, name))
		}
	}
	if len(checked) < 5 {
		t.Fatalf("found %d scripts (%v); the listing is broken", len(checked), checked)
	}
	out, err := exec.Command(sc, append([]string{"--severity=style"}, checked...)...).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
	byName := regexp.MustCompile(`(?m)^[^#]*\b(pkill|killall)\b`)
	for _, path := range scripts {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if m := byName.Find(data); m != nil {
			t.Errorf("%s ends processes by name (%q): kill only what the script started, by PID", path, m)
		}
	}
}
