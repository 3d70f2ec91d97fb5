package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// moduleRoot is the repository's top level, two directories up.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	return root
}

// literal is one string literal of the module's non-test Go code.
type literal struct {
	file  string // slash-separated, relative to the module root
	pos   token.Position
	value string
	// getenv is the name of the function the literal is the only
	// argument of when that name ends in "etenv" (getenv, Getenv).
	getenv bool
}

// sourceLiterals returns every string literal of the module's non-test Go
// files, test-support packages and test data excluded.
func sourceLiterals(t *testing.T) []literal {
	t.Helper()
	root := moduleRoot(t)
	var out []literal
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			// Test data, whole-workflow tests, benchmarks and the
			// packages that exist only for tests (real repositories,
			// the fake GitHub, the test registry).
			case "testdata", ".git", "e2e", "bench", "gittest", "githubfake", "imagetest":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		envArgs := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && len(call.Args) == 1 && strings.HasSuffix(calleeName(call.Fun), "etenv") {
				if bl, ok := call.Args[0].(*ast.BasicLit); ok {
					envArgs[bl] = true
				}
			}
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if v, err := strconv.Unquote(bl.Value); err == nil {
					out = append(out, literal{file: rel, pos: fset.Position(bl.Pos()), value: v, getenv: envArgs[bl]})
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 1000 {
		t.Fatalf("found %d string literals; the walk is broken", len(out))
	}
	return out
}

// TestDefaultsLiveInOnePlace: the defaults several verbs share (the
// remote, the changelog file, the release and integration branches) are
// constants in release/config/defaults.go, so a flag's help, the CLI, the
// Actions and the operations cannot drift apart. The leaves' own default
// models (version's channels, branch's flows) and the scaffold's file list
// name them as data.
func TestDefaultsLiveInOnePlace(t *testing.T) {
	allowed := map[string][]string{
		"origin":       {"release/config/defaults.go"},
		"CHANGELOG.md": {"release/config/defaults.go", "release/scaffold/scaffold.go"},
		// package.json's "main" field names a package's entry file.
		"main": {"release/config/defaults.go", "release/version/rules.go", "release/branch/branch.go", "release/jsconfig/jsconfig.go"},
		// "dev" is also the version of a build without -ldflags.
		"dev": {"release/config/defaults.go", "release/version/rules.go", "release/branch/branch.go", "cmd/shipflow/root.go"},
	}
	for _, l := range sourceLiterals(t) {
		files, ok := allowed[l.value]
		if !ok {
			continue
		}
		if !contains(files, l.file) {
			t.Errorf("%s:%d: the literal %q is a default: use its constant in release/config/defaults.go", l.file, l.pos.Line, l.value)
		}
	}
}

// TestAnnotationsHaveOneWriter: workflow-command annotations (::error,
// ::warning, ::notice) are written by release/report's github writer only,
// so the CLI's --format github and the Actions print the same bytes for
// the same finding.
func TestAnnotationsHaveOneWriter(t *testing.T) {
	for _, l := range sourceLiterals(t) {
		for _, cmd := range []string{"::error", "::warning", "::notice"} {
			if strings.Contains(l.value, cmd) && l.file != "release/report/github.go" {
				t.Errorf("%s:%d: %q writes an annotation itself; write a report.Finding through report.NewGitHub", l.file, l.pos.Line, l.value)
			}
		}
	}
}

// TestCIContextIsReadInActions: what the CI system says about a run (the
// event, its branches and range, the repository, the forge's URLs, the
// build date) is read once, by actions.CIContext, into release.CI, so the
// CLI in a `run:` step and the Action cannot read it two ways. Outside
// package actions only credentials (the token), whether shipflow runs in
// Actions at all and where the job summary goes are read from GITHUB_*.
func TestCIContextIsReadInActions(t *testing.T) {
	allowed := []string{"GITHUB_TOKEN", "GH_TOKEN", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"}
	n := 0
	for _, l := range sourceLiterals(t) {
		if !l.getenv {
			continue
		}
		n++
		ci := strings.HasPrefix(l.value, "GITHUB_") || strings.HasPrefix(l.value, "RUNNER_") || l.value == "SOURCE_DATE_EPOCH"
		if ci && !strings.HasPrefix(l.file, "actions/") && !contains(allowed, l.value) {
			t.Errorf("%s:%d: reads %s; the CI context comes from actions.CIContext (release.CI)", l.file, l.pos.Line, l.value)
		}
	}
	if n == 0 {
		t.Fatal("found no getenv call; the scan is broken")
	}
}

// calleeName is the name a call's function is spelled with: f, x.f.
func calleeName(e ast.Expr) string {
	switch f := e.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
