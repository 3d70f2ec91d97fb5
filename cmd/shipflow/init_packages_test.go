package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// init finds a monorepo's packages, says so, and writes them into
// .shipflow.yaml's packages: section, which loads; a repository of one
// package gets no such line.
func TestInitPackages(t *testing.T) {
	g := gittest.New(t)
	for name, data := range map[string]string{
		"go.mod":                   "module example.com/shop\n",
		"api/go.mod":               "module example.com/shop/api\n",
		"package.json":             `{"private": true, "workspaces": ["web/*"]}`,
		"web/app/package.json":     `{"name": "@shop/app"}`,
		"web/admin/package.json":   `{"name": "admin"}`,
		"py/worker/pyproject.toml": "[project]\nname = \"worker\"\n",
	} {
		g.WriteFile(name, data)
	}
	code, out, errOut := branchRun(t, g.Dir, nil, "init", "--no-hook")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	want := "packages     5 found (shop ., api api, worker py/worker, admin web/admin, app web/app): .shipflow.yaml lists them under packages:\n"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	cfg, _, err := config.Load(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Packages) != 5 {
		t.Errorf("packages = %+v", cfg.Packages)
	}

	// .shipflow.yaml kept: init says the section is not there.
	if err := os.WriteFile(filepath.Join(g.Dir, config.FileName), []byte("lint: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ = branchRun(t, g.Dir, nil, "init", "--no-hook")
	if want := "packages     5 found (shop ., api api, worker py/worker, admin web/admin, app web/app): .shipflow.yaml was kept; add them to its packages: section\n"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}

	one := gittest.New(t)
	one.WriteFile("go.mod", "module x\n")
	_, out, _ = branchRun(t, one.Dir, nil, "init", "--no-hook")
	if strings.Contains(out, "packages ") {
		t.Errorf("a one-package repository: %s", out)
	}
}
