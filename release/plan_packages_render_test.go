package release

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
)

// TestResolvePackages: the package input against packages:, in packages:
// order, each once; an unknown name, a package input without packages:
// and a tag prefix with them are input errors.
func TestResolvePackages(t *testing.T) {
	mono, err := config.Parse(config.FileName, []byte(monorepoConfig+"release:\n  bump-dependents: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	plain := &config.Config{}
	cases := []struct {
		name    string
		in      MapInputs
		cfg     *config.Config
		only    []string
		monorep bool
		bad     string // the input an *InputError names
	}{
		{name: "no packages", in: MapInputs{}, cfg: plain},
		{name: "nil config", in: MapInputs{}, cfg: nil},
		{name: "every package", in: MapInputs{}, cfg: mono, monorep: true},
		{name: "list in packages order, once", in: MapInputs{"package": "tool, api\napi"}, cfg: mono, monorep: true, only: []string{"api", "tool"}},
		{name: "unknown", in: MapInputs{"package": "api,nope"}, cfg: mono, bad: "package"},
		{name: "without packages", in: MapInputs{"package": "api"}, cfg: plain, bad: "package"},
		{name: "tag prefix", in: MapInputs{"tag-prefix": "v"}, cfg: mono, bad: "tag-prefix"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ResolvePackages(c.in, c.cfg)
			var ie *InputError
			switch {
			case c.bad != "":
				if !errors.As(err, &ie) || ie.Name != c.bad {
					t.Fatalf("err = %v, want an input error about %s", err, c.bad)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if got.Monorepo() != c.monorep || !slices.Equal(got.Only, c.only) || (c.monorep && got.BumpDependents) {
				t.Errorf("got monorepo %v, only %q, bump-dependents %v; want %v, %q, false", got.Monorepo(), got.Only, got.BumpDependents, c.monorep, c.only)
			}
		})
	}
}

// TestPackagesReportRender: the text names every package and what
// releases; the JSON lists every package with the single plan's fields.
func TestPackagesReportRender(t *testing.T) {
	r, pkgs := newMonorepo(t, strings.Replace(monorepoConfig, "    path: ui\n", "    path: ui\n    linked: front\n", 1))
	r.CommitFile("ui/button.js", "x\n", "fix(ui): the button's colour")
	rep := planMono(t, r, pkgs)
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"branch   main (channel stable)\nrelease  web-v1.0.1, ui-v1.0.1\n",
		"package  ui (path ui; tag prefix \"ui-v\")\ncurrent  ui-v1.0.0\nnext     ui-v1.0.1 (bump patch)\nlinked   front (the group's one version)\n",
		"package  web (path web; tag prefix \"web-v\")\ncurrent  web-v1.0.0\nnext     web-v1.0.1 (bump patch)\ndepends  ui (released now: release.bump-dependents)\nno commits since web-v1.0.0\n",
		"\nrules:\n  breaking change → major",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Packages []map[string]any `json:"packages"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var single map[string]any
	if err := json.Unmarshal(mustJSON(t, rep.Packages[0].PlanReport), &single); err != nil {
		t.Fatal(err)
	}
	for _, p := range doc.Packages {
		for k := range single {
			if _, ok := p[k]; !ok {
				t.Errorf("package %v lacks the plan's field %q", p["name"], k)
			}
		}
		for _, k := range []string{"name", "path", "tag_prefix", "linked", "depends_on"} {
			if _, ok := p[k]; !ok {
				t.Errorf("package %v lacks %q", p["name"], k)
			}
		}
	}
}

func mustJSON(t *testing.T, r *PlanReport) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
