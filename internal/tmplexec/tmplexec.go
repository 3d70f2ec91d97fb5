// Package tmplexec executes text/templates that come from a repository
// (a changelog layout, a release commit message) with bounded work: their
// output is capped, and so is the number of steps they take, so neither
// `{{range 1000000000}}x{{end}}` (gigabytes of output) nor
// `{{range 1000000000000}}{{end}}` (no output, hours of CPU) can hold a
// runner. The bound is counted, not timed, so it is the same on a loaded
// machine as on an idle one.
//
// A template is data, not a program: callers give it no FuncMap and data
// without methods or func values, and text/template's builtins read no
// file and no environment variable.
package tmplexec

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
)

// DefaultMaxSteps is the step budget of Execute's callers that have no
// better one. A step is one template invocation, one branch taken or one
// iteration of a range; a changelog of 100 sections of 1,000 entries takes
// a few hundred thousand, and ten million take about a second.
const DefaultMaxSteps = 10_000_000

// ErrTooMuchWork is returned when a template writes more than its byte
// budget or takes more than its step budget.
var ErrTooMuchWork = errors.New("the template does too much work")

// Execute runs t on data and returns its output, failing with
// ErrTooMuchWork past maxBytes of output or maxSteps steps. It meters t's
// parse trees in place (an empty text node at the start of every list,
// whose write counts a step), so t must not be executed concurrently.
func Execute(t *template.Template, data any, maxBytes, maxSteps int) (string, error) {
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			meter(tt.Tree.Root)
		}
	}
	w := &budget{maxBytes: maxBytes, maxSteps: maxSteps}
	if err := t.Execute(w, data); err != nil {
		if errors.Is(err, ErrTooMuchWork) {
			return "", w.err
		}
		return "", err
	}
	return w.b.String(), nil
}

// step is the empty text node whose (zero-length) write counts a step:
// text/template calls Write for every text node, empty or not.
var step = []byte{}

// meter puts a step node at the start of l and of every list inside it:
// the bodies of range, if, with and their else branches.
func meter(l *parse.ListNode) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.RangeNode:
			meter(n.List)
			meter(n.ElseList)
		case *parse.IfNode:
			meter(n.List)
			meter(n.ElseList)
		case *parse.WithNode:
			meter(n.List)
			meter(n.ElseList)
		}
	}
	if len(l.Nodes) > 0 {
		if tn, ok := l.Nodes[0].(*parse.TextNode); ok && len(tn.Text) == 0 {
			return // metered already
		}
	}
	l.Nodes = append([]parse.Node{&parse.TextNode{NodeType: parse.NodeText, Pos: l.Pos, Text: step}}, l.Nodes...)
}

// budget is the writer that counts bytes and steps.
type budget struct {
	b                  strings.Builder
	maxBytes, maxSteps int
	steps              int
	err                error
}

func (w *budget) Write(p []byte) (int, error) {
	if len(p) == 0 {
		w.steps++
		if w.steps > w.maxSteps {
			w.err = fmt.Errorf("%w: more than %d steps (a range over a huge number, or ranges nested too deep)", ErrTooMuchWork, w.maxSteps)
			return 0, w.err
		}
		return 0, nil
	}
	if w.b.Len()+len(p) > w.maxBytes {
		w.err = fmt.Errorf("%w: its output is more than %s", ErrTooMuchWork, size(w.maxBytes))
		return 0, w.err
	}
	return w.b.Write(p)
}

// size says n bytes in the unit a person would.
func size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
