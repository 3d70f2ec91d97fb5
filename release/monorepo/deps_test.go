package monorepo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/monorepo"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		full := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// The packages of depsTree, by index.
const (
	pRoot = iota
	pAPI
	pLib
	pWeb
	pUI
	pTokens
	pAlias
	pCLI
	pCore
	pUtil
	pNoDir
)

var depsDirs = []string{".", "api", "lib/", "web", "ui", "tokens", "alias", "cli", "core", "util", ""}

func depsTree(t *testing.T) string {
	return writeTree(t, map[string]string{
		"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/app/api v0.0.0 // indirect\n\tgithub.com/other/x v1.0.0\n)\n",
		"api/go.mod": "module \"example.com/app/api\"\n\nrequire example.com/app/lib v1.2.3 // local\n" +
			"replace example.com/app/lib => ../lib\n",
		"lib/go.mod":          "// comment\nmodule example.com/app/lib\n",
		"web/package.json":    `{"name": "@acme/web", "dependencies": {"@acme/ui": "workspace:*"}, "devDependencies": {"left-pad": "1"}}`,
		"ui/package.json":     `{"name": "@acme/ui", "peerDependencies": {"@acme/tokens": "^1"}, "dependencies": {"@acme/ui": "*"}}`,
		"tokens/package.json": `{"name": "@acme/tokens", "version": "1.0.0"}`,
		"alias/package.json":  `{"name": "alias", "optionalDependencies": {"t": "npm:@acme/tokens@^2"}}`,
		"cli/Cargo.toml": "[package]\nname = \"cli\"\npath = \"nope\"\n\n[dependencies]\ncore = { version = \"1\", path = \"../core\" }\nserde = \"1\"\n\n" +
			"[dev-dependencies.util]\npath = \"../util\" # local\n",
		"core/Cargo.toml": "[package]\nname = \"core\"\n",
		"util/Cargo.toml": "[package]\nname = \"util\"\n[dependencies]\ncore.path = '../core'\n",
	})
}

func TestDependencies(t *testing.T) {
	g, err := monorepo.Dependencies(os.DirFS(depsTree(t)), depsDirs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]monorepo.Edge{
		pRoot:  {{To: pAPI, Via: "go.mod"}},
		pAPI:   {{To: pLib, Via: "api/go.mod"}},
		pWeb:   {{To: pUI, Via: "web/package.json"}},
		pUI:    {{To: pTokens, Via: "ui/package.json"}},
		pAlias: {{To: pTokens, Via: "alias/package.json"}},
		pCLI:   {{To: pCore, Via: "cli/Cargo.toml"}, {To: pUtil, Via: "cli/Cargo.toml"}},
		pUtil:  {{To: pCore, Via: "util/Cargo.toml"}},
	}
	for i := range depsDirs {
		if d := cmp.Diff(want[i], g.DependsOn(i)); d != "" {
			t.Errorf("DependsOn(%d) (%q) (-want +got):\n%s", i, depsDirs[i], d)
		}
	}
}

func TestDependents(t *testing.T) {
	g, err := monorepo.Dependencies(os.DirFS(depsTree(t)), depsDirs)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		released []int
		want     []int
	}{
		{"go chain", []int{pLib}, []int{pRoot, pAPI}},
		{"npm chain with peer and alias", []int{pTokens}, []int{pWeb, pUI, pAlias}},
		{"released dependents are not repeated", []int{pTokens, pUI}, []int{pWeb, pAlias}},
		{"cargo", []int{pCore}, []int{pCLI, pUtil}},
		{"leaf", []int{pWeb}, nil},
		{"nothing", nil, nil},
		{"out of range ignored", []int{-1, 99}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, g.Dependents(tt.released)); d != "" {
				t.Errorf("Dependents(%v) (-want +got):\n%s", tt.released, d)
			}
		})
	}
}

func TestDependenciesCycle(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a/package.json": `{"name": "a", "dependencies": {"b": "1"}}`,
		"b/package.json": `{"name": "b", "devDependencies": {"a": "1"}}`,
	})
	g, err := monorepo.Dependencies(os.DirFS(root), []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int{1}, g.Dependents([]int{0})); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestDependenciesBadManifests(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"malformed package.json", map[string]string{"a/package.json": `{"name": `}, "a/package.json"},
		{"too large", map[string]string{"a/go.mod": strings.Repeat("x", 1<<20+1)}, "a/go.mod: larger than"},
		{"directory in place of a file", map[string]string{"a/Cargo.toml/x": ""}, "a/Cargo.toml: not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := monorepo.Dependencies(os.DirFS(writeTree(t, tt.files)), []string{"a"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
