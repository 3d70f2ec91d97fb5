package tmplexec

import (
	"errors"
	"strings"
	"testing"
	"text/template"
)

func TestExecute(t *testing.T) {
	data := struct {
		Items []int
		Name  string
	}{Items: []int{1, 2, 3}, Name: "x"}
	cases := []struct {
		name, tmpl string
		maxBytes   int
		maxSteps   int
		want       string
		tooMuch    string
	}{
		{name: "plain", tmpl: "{{.Name}}{{range .Items}}-{{.}}{{end}}", maxBytes: 100, maxSteps: 100, want: "x-1-2-3"},
		{name: "nested templates", tmpl: `{{define "i"}}[{{.}}]{{end}}{{range .Items}}{{template "i" .}}{{end}}`, maxBytes: 100, maxSteps: 100, want: "[1][2][3]"},
		{name: "output cap", tmpl: "{{range 1000}}xxxxxxxxxx{{end}}", maxBytes: 1 << 10, maxSteps: 1 << 20, tooMuch: "more than 1 KiB"},
		// Writes nothing: before the step meter, this ran for hours.
		{name: "silent loop", tmpl: "{{range 1000000000000}}{{end}}", maxBytes: 1 << 20, maxSteps: 10_000, tooMuch: "more than 10000 steps"},
		{name: "silent nested loops", tmpl: "{{range 100000}}{{range 100000}}{{if true}}{{end}}{{end}}{{end}}", maxBytes: 1 << 20, maxSteps: 10_000, tooMuch: "steps"},
		{name: "exponential recursion", tmpl: `{{define "a"}}{{if .}}{{template "a" .}}{{template "a" .}}{{end}}{{end}}{{template "a" 1}}`, maxBytes: 1 << 20, maxSteps: 10_000, tooMuch: "steps"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := template.Must(template.New("t").Parse(c.tmpl))
			got, err := Execute(tm, data, c.maxBytes, c.maxSteps)
			if c.tooMuch != "" {
				if !errors.Is(err, ErrTooMuchWork) || !strings.Contains(err.Error(), c.tooMuch) {
					t.Fatalf("Execute = %q, %v; want ErrTooMuchWork saying %q", got, err, c.tooMuch)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("Execute = %q, %v; want %q", got, err, c.want)
			}
			// A second run of the same (already metered) template gives
			// the same answer.
			if again, err := Execute(tm, data, c.maxBytes, c.maxSteps); err != nil || again != c.want {
				t.Fatalf("second Execute = %q, %v; want %q", again, err, c.want)
			}
		})
	}
}

// An ordinary error of the template (a missing key) is passed on as it is.
func TestExecuteKeepsTemplateErrors(t *testing.T) {
	tm := template.Must(template.New("t").Option("missingkey=error").Parse("{{.Missing}}"))
	_, err := Execute(tm, map[string]string{}, 100, 100)
	if err == nil || errors.Is(err, ErrTooMuchWork) || !strings.Contains(err.Error(), "Missing") {
		t.Fatalf("err = %v, want the template's own error", err)
	}
}
