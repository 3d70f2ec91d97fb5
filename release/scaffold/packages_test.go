package scaffold_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/scaffold"
)

// tree writes files (slash paths relative to a new temporary directory)
// and returns the directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// monorepo is the test repository: a Go root module with a nested
// api/ module, an npm workspace of two packages, and a Python package.
var monorepo = map[string]string{
	"go.mod":                                "module example.com/shop\n\ngo 1.22\n",
	"main.go":                               "package main\n",
	"api/go.mod":                            "module example.com/shop/api\n",
	"package.json":                          `{"private": true, "workspaces": ["web/*"]}`,
	"web/app/package.json":                  `{"name": "@shop/App", "version": "1.0.0"}`,
	"web/admin/package.json":                `{"name": "admin"}`,
	"web/admin/node_modules/x/package.json": `{"name": "x"}`,
	"node_modules/left-pad/package.json":    `{"name": "left-pad"}`,
	"py/worker/pyproject.toml":              "[project]\nname = \"shop_worker\"\nversion = \"0.1.0\"\n",
	"py/worker/tests/setup.py":              "",
	"vendor/example.com/x/go.mod":           "module example.com/x\n",
	"api/testdata/mod/go.mod":               "module t\n",
	".hidden/go.mod":                        "module h\n",
}

func TestDetectPackagesMonorepo(t *testing.T) {
	dir := tree(t, monorepo)
	got := scaffold.DetectPackages(dir)
	want := []scaffold.Detected{
		{Name: "shop", Path: ".", Kind: scaffold.KindGo, TagPrefix: "v", Why: "go.mod"},
		{Name: "api", Path: "api", Kind: scaffold.KindGo, TagPrefix: "api/v", Why: "api/go.mod"},
		{Name: "shop-worker", Path: "py/worker", Kind: scaffold.KindPython, TagPrefix: "shop-worker-v", Why: "py/worker/pyproject.toml"},
		{Name: "admin", Path: "web/admin", Kind: scaffold.KindNPM, TagPrefix: "admin-v", Why: "package.json workspaces"},
		{Name: "app", Path: "web/app", Kind: scaffold.KindNPM, TagPrefix: "app-v", Why: "package.json workspaces"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DetectPackages (-want +got):\n%s", diff)
	}
}

// TestWriteMonorepoPackages: init writes the packages: block, which
// config.Load reads back to the same packages and tag prefixes.
func TestWriteMonorepoPackages(t *testing.T) {
	dir := tree(t, monorepo)
	rep, err := scaffold.Write(context.Background(), dir, scaffold.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Packages) != 5 {
		t.Errorf("report packages = %+v", rep.Packages)
	}
	cfg, _, err := config.Load(dir)
	if err != nil {
		t.Fatalf("the written .shipflow.yaml does not load: %v", err)
	}
	var got []string
	for _, p := range cfg.Packages {
		d, _ := p.Dir()
		got = append(got, p.Name+" "+strings.Join(p.Path, ",")+" "+p.TagPrefixFor(config.HasGoMod(dir, d)))
	}
	want := []string{"shop . v", "api api api/v", "shop-worker py/worker shop-worker-v", "admin web/admin admin-v", "app web/app app-v"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages read back (-want +got):\n%s", diff)
	}
	// Re-running changes nothing.
	rep, err = scaffold.Write(context.Background(), dir, scaffold.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Entries {
		if e.Path == config.FileName && e.Action != scaffold.Unchanged {
			t.Errorf("second run: %s %s (%s)", e.Path, e.Action, e.Reason)
		}
	}
}

// TestWriteSinglePackageUnchanged: a repository of one package (a root
// module, or one root module and nothing nested) gets exactly the
// scaffold it got before packages existed.
func TestWriteSinglePackageUnchanged(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"go root only":           {"go.mod": "module x\n", "cmd/x/main.go": "package main\n"},
		"npm without workspaces": {"package.json": `{"name": "x", "scripts": {"test": "jest"}}`},
		"python at the root":     {"pyproject.toml": "[project]\nname = \"x\"\n"},
		"nothing":                {},
	} {
		t.Run(name, func(t *testing.T) {
			dir := tree(t, files)
			if got := scaffold.DetectPackages(dir); len(got) > 1 || len(got) == 1 && got[0].Path == "." {
				t.Fatalf("DetectPackages = %+v", got)
			}
			rep, err := scaffold.Write(context.Background(), dir, scaffold.Options{})
			if err != nil {
				t.Fatal(err)
			}
			files, err := scaffold.FilesFor(rep.Project, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if f.Path != config.FileName {
					continue
				}
				got, _ := os.ReadFile(filepath.Join(dir, config.FileName))
				if !bytes.Equal(got, f.Data) || bytes.Contains(got, []byte("\npackages:")) {
					t.Errorf(".shipflow.yaml differs from FilesFor's:\n%s", got)
				}
			}
		})
	}
}

func TestDetectPackagesWorkspaces(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // "name path kind tag-prefix"
	}{
		{"yarn object form with negation", map[string]string{
			"package.json":                     `{"workspaces": {"packages": ["packages/**", "!packages/internal/*"]}}`,
			"packages/a/package.json":          `{"name": "@acme/a"}`,
			"packages/b/c/package.json":        `{"name": "c"}`,
			"packages/internal/x/package.json": `{"name": "x"}`,
			"other/package.json":               `{"name": "other"}`,
		}, []string{"a packages/a npm a-v", "c packages/b/c npm c-v"}},
		{"pnpm", map[string]string{
			"package.json":          `{"name": "root"}`,
			"pnpm-workspace.yaml":   "packages:\n  - 'apps/*'\n  - ./libs/ui\n",
			"apps/web/package.json": `{"name": "Web App!"}`,
			"apps/docs/README.md":   "no package.json",
			"libs/ui/package.json":  `{}`,
		}, []string{"web-app apps/web npm web-app-v", "ui libs/ui npm ui-v"}},
		{"duplicate names", map[string]string{
			"package.json":        `{"workspaces": ["a/*", "b/*"]}`,
			"a/core/package.json": `{"name": "core"}`,
			"b/core/package.json": `{"name": "@other/core"}`,
		}, []string{"core a/core npm core-v", "b-core b/core npm b-core-v"}},
		{"cargo", map[string]string{
			"Cargo.toml":               "[workspace]\nmembers = [\"crates/*\", \"tool\"]\nexclude = [\"crates/old\"]\n",
			"crates/parser/Cargo.toml": "[package]\nname = \"my_parser\"\nversion = \"0.1.0\"\n",
			"crates/old/Cargo.toml":    "[package]\nname = \"old\"\n",
			"crates/notes/x.txt":       "",
			"tool/Cargo.toml":          "[package]\nname = \"tool\"\n",
		}, []string{"my_parser crates/parser cargo my_parser-v", "tool tool cargo tool-v"}},
		{"python in subdirectories", map[string]string{
			"services/a/setup.cfg":    "[metadata]\nname = svc-a\n",
			"services/b/setup.py":     "",
			"services/b/sub/setup.py": "",
			"libs/c/pyproject.toml":   "[tool.poetry]\nname = \"c-lib\"\n",
		}, []string{"c-lib libs/c python c-lib-v", "svc-a services/a python svc-a-v", "b services/b python b-v"}},
		{"go nested modules only", map[string]string{
			"tools/go.mod":  "module example.com/tools\n",
			"sdk/v2/go.mod": "module example.com/sdk/v2\n",
		}, []string{"sdk sdk/v2 go sdk/v", "tools tools go tools/v"}},
		{"too deep", map[string]string{
			"a/b/c/d/go.mod":   "module x\n",
			"a/b/c/d/e/go.mod": "module y\n",
		}, []string{"d a/b/c/d go a/b/c/d/v"}},
		{"names and dirs git or YAML would refuse are skipped", map[string]string{
			"ok/go.mod":         "module ok\n",
			"with space/go.mod": "module s\n",
			"x.lock/go.mod":     "module l\n",
			"bad:colon/go.mod":  "module c\n",
		}, []string{"ok ok go ok/v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tree(t, tt.files)
			var got []string
			for _, d := range scaffold.DetectPackages(dir) {
				got = append(got, d.Name+" "+d.Path+" "+d.Kind+" "+d.TagPrefix)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DetectPackages (-want +got):\n%s", diff)
			}
			// Whatever is found, the block init writes loads.
			block := scaffold.PackagesBlock(scaffold.DetectPackages(dir))
			if block == "" {
				t.Fatal("no packages: block")
			}
			if err := os.WriteFile(filepath.Join(dir, config.FileName), []byte(block), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, _, err := config.Load(dir); err != nil {
				t.Errorf("the block does not load: %v\n%s", err, block)
			}
		})
	}
}

// TestDetectPackagesStaysInTheTree: a directory linked out of the tree is
// not walked, and a package.json linked out of it is not read.
func TestDetectPackagesStaysInTheTree(t *testing.T) {
	outside := tree(t, map[string]string{
		"mod/go.mod":   "module outside\n",
		"package.json": `{"name": "secret-name"}`,
	})
	dir := tree(t, map[string]string{
		"package.json":        `{"workspaces": ["pkgs/*"]}`,
		"pkgs/a/package.json": `{"name": "a"}`,
		"pkgs/b/index.js":     "",
	})
	if err := os.Symlink(filepath.Join(outside, "mod"), filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "package.json"), filepath.Join(dir, "pkgs/b/package.json")); err != nil {
		t.Fatal(err)
	}
	for _, d := range scaffold.DetectPackages(dir) {
		if d.Name == "secret-name" || strings.HasPrefix(d.Path, "linked") {
			t.Errorf("read outside the tree: %+v", d)
		}
	}
}

// TestPackagesBlockWhen: the block is written for two packages or more,
// or one nested package; never for one package at the root.
func TestPackagesBlockWhen(t *testing.T) {
	root := scaffold.Detected{Name: "x", Path: ".", Kind: scaffold.KindGo, TagPrefix: "v", Why: "go.mod"}
	nested := scaffold.Detected{Name: "api", Path: "api", Kind: scaffold.KindGo, TagPrefix: "api/v", Why: "api/go.mod"}
	if scaffold.PackagesBlock(nil) != "" || scaffold.PackagesBlock([]scaffold.Detected{root}) != "" {
		t.Error("a block for one root package")
	}
	if scaffold.PackagesBlock([]scaffold.Detected{nested}) == "" || scaffold.PackagesBlock([]scaffold.Detected{root, nested}) == "" {
		t.Error("no block for a nested package")
	}
}
