package archtest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/shipflow/shipflow"

type pkg struct {
	ImportPath string
	Deps       []string
	Standard   bool
	Module     *struct{ Path string }
}

// listPackages returns every package of the module with its transitive
// (non-test) dependencies.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Deps", module+"/...").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found %d packages; the module layout is broken", len(pkgs))
	}
	return pkgs
}

// standard reports whether an import path is in the standard library (no
// dot in its first element).
func standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func TestCommitlintImportsOnlyStdlibAndGrammar(t *testing.T) {
	for _, p := range listPackages(t) {
		if p.ImportPath != module+"/commitlint" {
			continue
		}
		for _, d := range p.Deps {
			if standard(d) || strings.HasPrefix(d, "github.com/leodido/go-conventionalcommits") {
				continue
			}
			t.Errorf("commitlint imports %s; it may import only the standard library and go-conventionalcommits", d)
		}
		return
	}
	t.Fatal("package commitlint not found")
}

// TestLibrariesStayLibraries: library packages never import the CLI
// framework, the Actions runtime or the Actions adapter.
func TestLibrariesStayLibraries(t *testing.T) {
	forbidden := []string{
		"github.com/spf13/cobra",
		"github.com/sethvargo/go-githubactions",
		module + "/actions",
		module + "/cmd/",
	}
	for _, p := range listPackages(t) {
		if !strings.HasPrefix(p.ImportPath, module+"/release") && !strings.HasPrefix(p.ImportPath, module+"/commitlint") {
			continue
		}
		for _, d := range p.Deps {
			for _, f := range forbidden {
				if d == f || strings.HasPrefix(d, f+"/") || strings.HasPrefix(d, f) && strings.HasSuffix(f, "/") {
					t.Errorf("%s imports %s: library packages must not depend on the CLI or Actions layers", p.ImportPath, d)
				}
			}
		}
	}
}

// TestOneOwnerPerOutsideWorld: go-github only behind release/github,
// go-githubactions only in actions.
func TestOneOwnerPerOutsideWorld(t *testing.T) {
	owners := map[string]string{
		"github.com/google/go-github/v62/github":  module + "/release/github",
		"github.com/sethvargo/go-githubactions":   module + "/actions",
		"github.com/google/go-containerregistry/": module + "/release/image",
		"github.com/dop251/goja":                  module + "/release/jsconfig",
		"github.com/evanw/esbuild/":               module + "/release/jsconfig",
		"github.com/pelletier/go-toml/":           module + "/release/versionfile",
	}
	for _, p := range listPackages(t) {
		for _, d := range p.Deps {
			for lib, owner := range owners {
				if !strings.HasPrefix(d, lib) {
					continue
				}
				if p.ImportPath == owner || strings.HasPrefix(p.ImportPath, owner+"/") {
					continue
				}
				// Importing the owner transitively is the point; importing
				// the library directly is not. go list -deps cannot tell
				// the two apart, so check direct imports.
				if directlyImports(t, p.ImportPath, lib) {
					t.Errorf("%s imports %s directly; only %s may", p.ImportPath, lib, owner)
				}
			}
		}
	}
}

// TestReportIsALeaf: release/report, the findings model and its writers,
// imports commitlint (for rule descriptions) and the standard library
// only, so every verb, the CLI and the Actions adapter can use it.
func TestReportIsALeaf(t *testing.T) {
	for _, p := range listPackages(t) {
		if p.ImportPath != module+"/release/report" {
			continue
		}
		for _, d := range p.Deps {
			if standard(d) || d == module+"/commitlint" || strings.HasPrefix(d, "github.com/leodido/go-conventionalcommits") {
				continue
			}
			t.Errorf("release/report imports %s; it may import only commitlint and the standard library", d)
		}
		return
	}
	t.Fatal("package release/report not found")
}

// TestLeavesDoNotImportEachOther: release/<leaf> packages depend on
// commitlint and release/git at most, never on a sibling leaf.
func TestLeavesDoNotImportEachOther(t *testing.T) {
	allowed := map[string]bool{module + "/commitlint": true, module + "/release/git": true}
	for _, p := range listPackages(t) {
		leaf, ok := strings.CutPrefix(p.ImportPath, module+"/release/")
		if !ok {
			continue
		}
		leafRoot, _, _ := strings.Cut(leaf, "/")
		for _, d := range p.Deps {
			dl, ok := strings.CutPrefix(d, module+"/release/")
			if !ok || allowed[d] {
				continue
			}
			dRoot, _, _ := strings.Cut(dl, "/")
			if dRoot != leafRoot {
				t.Errorf("%s imports %s: leaves must not import each other; combine them in package release", p.ImportPath, d)
			}
		}
		for _, d := range p.Deps {
			if d == module+"/release" {
				t.Errorf("%s imports package release: leaves sit below it", p.ImportPath)
			}
		}
	}
}

func directlyImports(t *testing.T, pkgPath, lib string) bool {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{join .Imports \"\\n\"}}", pkgPath).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkgPath, err)
	}
	for _, imp := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(imp, lib) {
			return true
		}
	}
	return false
}
