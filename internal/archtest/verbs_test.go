package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// verbPlumbing are the files of cmd/shipflow that are not verbs: the
// process's edges (main, run, exit codes, signals), the choice of a
// format, the inputs adapter, and verbs that are terminal or file I/O by
// nature (hook and init install files and say what they did; the rollback
// record is a file).
var verbPlumbing = map[string]bool{
	"main.go": true, "root.go": true, "exit.go": true, "signal.go": true,
	"format.go": true, "inputs.go": true, "hook.go": true, "init.go": true,
	"imagerecord.go": true,
}

// verbExceptions are functions of verb files that render, with why. An
// entry that no longer renders fails the test: delete it, so that the
// list only shrinks.
var verbExceptions = map[string]string{
	// The annotations of `test --format github`, capped as the runner
	// shows them, and the line saying how many were left out: log output
	// of findings that release/report already wrote, not a payload.
	"test.go:testWriteGitHub": "annotation cap note",
}

// TestVerbFilesDoNotRender keeps cmd/shipflow thin: a verb file holds
// flags, resolves the inputs (release.Resolve<Verb>), makes one call to
// the operation and picks a writer by --format. What the operation
// returns is rendered in package release next to the operation
// (release/*_render.go: CutReport.WriteText, ImagePushReport.WriteJSON,
// ...), where it is unit-tested without a command line and the Action can
// use it too; findings go through release/report's writers. So no function
// of a verb file
//
//   - writes to standard output itself (fmt.Fprint*, io.WriteString, or a
//     Write method on X.stdout), or to an io.Writer it takes as a
//     parameter: that is a renderer, wherever it is called from;
//   - encodes JSON (json.Marshal, MarshalIndent, NewEncoder): a JSON
//     document's shape belongs to the operation's report.
//
// Standard error stays the verb's (progress lines, warnings, a note that
// nothing was written): that is terminal I/O, not the report. The rule
// fails on the pattern that grew cmd/shipflow/image.go to 700 lines (five
// text renderers and a JSON writer beside the flags), whatever the
// functions are named.
func TestVerbFilesDoNotRender(t *testing.T) {
	dir := filepath.Join(moduleRoot(t), "cmd", "shipflow")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := map[string]bool{}
	files := 0
	for _, de := range entries {
		name := de.Name()
		if de.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || verbPlumbing[name] {
			continue
		}
		files++
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			key := name + ":" + fn.Name.Name
			what := verbRenders(fset, fn)
			if len(what) == 0 {
				continue
			}
			if _, ok := verbExceptions[key]; ok {
				seen[key] = true
				continue
			}
			t.Errorf("%s renders (%s): move it into package release next to its operation (a WriteText/WriteJSON of the report, release/*_render.go)", key, strings.Join(what, "; "))
		}
	}
	if files < 5 {
		t.Fatalf("found %d verb files in %s; the layout changed", files, dir)
	}
	var stale []string
	for key := range verbExceptions {
		if !seen[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	for _, key := range stale {
		t.Errorf("%s is a known exception but no longer renders (or is gone): delete it from verbExceptions", key)
	}
}

// verbRenders lists where fn writes to standard output or to an io.Writer
// parameter, or encodes JSON.
func verbRenders(fset *token.FileSet, fn *ast.FuncDecl) []string {
	writers := map[string]bool{}
	addParams := func(ft *ast.FuncType) {
		for _, p := range ft.Params.List {
			if sel, ok := p.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Writer" {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "io" {
					for _, n := range p.Names {
						writers[n.Name] = true
					}
				}
			}
		}
	}
	addParams(fn.Type)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			addParams(lit.Type)
		}
		return true
	})
	// target says whether e is standard output or an io.Writer parameter.
	target := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return writers[x.Name]
		case *ast.SelectorExpr:
			return x.Sel.Name == "stdout"
		}
		return false
	}
	var out []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		at := fset.Position(call.Pos()).Line
		pkg := ""
		if x, ok := sel.X.(*ast.Ident); ok {
			pkg = x.Name
		}
		name := pkg + "." + sel.Sel.Name
		switch {
		case (name == "fmt.Fprint" || name == "fmt.Fprintf" || name == "fmt.Fprintln" || name == "io.WriteString") && len(call.Args) > 0 && target(call.Args[0]):
			out = append(out, fmt.Sprintf("line %d: %s", at, name))
		case pkg == "json" && (sel.Sel.Name == "Marshal" || sel.Sel.Name == "MarshalIndent" || sel.Sel.Name == "NewEncoder"):
			out = append(out, fmt.Sprintf("line %d: %s", at, name))
		case (sel.Sel.Name == "Write" || sel.Sel.Name == "WriteString") && target(sel.X):
			out = append(out, fmt.Sprintf("line %d: %s", at, sel.Sel.Name))
		}
		return true
	})
	return out
}
