package changelog

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// A template comes from the repository, so it must not read the machine
// (D2: `template: /proc/self/environ` published GITHUB_TOKEN). text/template
// has no builtin that reads files or the environment; what a template could
// still reach is what its data offers: methods and func values (`call`).
// The data has neither, and the functions a template might try are not
// defined.
func TestTemplateCannotReachTheMachine(t *testing.T) {
	// The data: no method, no func, no interface a func could hide in.
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(rt reflect.Type, path string) {
		if seen[rt] {
			return
		}
		seen[rt] = true
		if n := rt.NumMethod(); n > 0 {
			t.Errorf("%s (%s) has %d methods a template can call", path, rt, n)
		}
		if rt.Kind() != reflect.Pointer && reflect.PointerTo(rt).NumMethod() > 0 {
			t.Errorf("%s (*%s) has methods a template can call", path, rt)
		}
		switch rt.Kind() {
		case reflect.Func, reflect.Interface, reflect.Chan, reflect.UnsafePointer:
			t.Errorf("%s is a %s: templates must get plain data", path, rt.Kind())
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(rt.Elem(), path+"[]")
		case reflect.Map:
			walk(rt.Key(), path+"{key}")
			walk(rt.Elem(), path+"{}")
		case reflect.Struct:
			for i := range rt.NumField() {
				walk(rt.Field(i).Type, path+"."+rt.Field(i).Name)
			}
		}
	}
	walk(reflect.TypeFor[*Context](), "Context")

	// The functions: only text/template's builtins exist.
	const secret = "ghp_SENTINELtemplateT0ken0123456789abcd"
	t.Setenv("GITHUB_TOKEN", secret)
	for _, tmpl := range []string{
		`{{env "GITHUB_TOKEN"}}`,
		`{{getenv "GITHUB_TOKEN"}}`,
		`{{expandenv "$GITHUB_TOKEN"}}`,
		`{{readFile "/proc/self/environ"}}`,
		`{{include "/etc/passwd"}}`,
		`{{exec "id"}}`,
		`{{call .Version}}`,
		`{{.Version.String}}`,
		`{{template "/proc/self/environ"}}`,
	} {
		out, err := Render(sampleRelease(), WithTemplate(tmpl))
		if err == nil {
			t.Errorf("template %s rendered: %q", tmpl, out)
		}
		if strings.Contains(out+fmt.Sprint(err), secret) {
			t.Errorf("template %s reached the environment", tmpl)
		}
	}
	// Everything the data holds, printed: no secret in it.
	out, err := Render(sampleRelease(), WithRepository(testRepo), WithTemplate(`{{printf "%#v" .}}{{range .Sections}}{{printf "%#v" .}}{{end}}`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, secret) {
		t.Error("the template data holds the environment")
	}
}

// A template whose output blows up (a range nested in a range over the
// entries) is stopped at MaxTemplateOutput instead of filling memory.
func TestTemplateOutputIsCapped(t *testing.T) {
	rel := Release{Version: "1.0.0"}
	for i := range 100 {
		rel.Commits = append(rel.Commits, commit(fmt.Sprintf("%07x", i), fmt.Sprintf("feat: change %d", i)))
	}
	const bomb = `{{$e := (index .Sections 0).Entries}}{{range $e}}{{range $e}}{{range $e}}twenty bytes a line
{{end}}{{end}}{{end}}` // 100³ × 20 bytes = 20 MB
	out, err := Render(rel, WithTemplate(bomb))
	if err == nil || !strings.Contains(err.Error(), "more than 10 MiB") {
		t.Fatalf("Render = %d bytes, %v; want an error past %d bytes", len(out), err, MaxTemplateOutput)
	}
	// A big but reasonable template still renders.
	if out, err := Render(rel, WithTemplate(`{{range (index .Sections 0).Entries}}{{.Subject}}{{"\n"}}{{end}}`)); err != nil || strings.Count(out, "\n") != 100 {
		t.Fatalf("Render = %q, %v", out, err)
	}
}

// A template that writes nothing but loops for ever (a range over a huge
// number, or ranges nested deep) is stopped by its step budget instead of
// holding the runner's CPU.
func TestTemplateWorkIsBounded(t *testing.T) {
	rel := Release{Version: "1.0.0"}
	for _, tmpl := range []string{
		`{{range 1000000000000}}{{end}}`,
		`{{range 100000}}{{range 100000}}{{range 100000}}{{end}}{{end}}{{end}}`,
	} {
		out, err := Render(rel, WithTemplate(tmpl))
		if err == nil || !strings.Contains(err.Error(), "steps") {
			t.Errorf("Render(%s) = %d bytes, %v; want the step budget's error", tmpl, len(out), err)
		}
	}
}
