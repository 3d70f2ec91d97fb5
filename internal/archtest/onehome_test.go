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
		ast.Inspect(f, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if v, err := strconv.Unquote(bl.Value); err == nil {
					out = append(out, literal{file: rel, pos: fset.Position(bl.Pos()), value: v})
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
		"main":         {"release/config/defaults.go", "release/version/rules.go", "release/branch/branch.go"},
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

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
