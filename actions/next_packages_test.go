package actions

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// nextMonorepo is the fixture, every package released once, then
// a breaking change in api/ and a fix in py/.
func nextMonorepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.WriteFile(".shipflow.yaml", `packages:
  - name: root
    path: .
  - name: api
    path: api
  - name: web
    path: web
  - name: ui
    path: ui
  - name: tool
    path: py
`)
	r.WriteFile("go.mod", "module example.com/mono\n\ngo 1.22\n")
	r.WriteFile("api/go.mod", "module example.com/mono/api\n\ngo 1.22\n")
	r.WriteFile("api/api.go", "package api\n")
	r.WriteFile("package.json", `{"private": true, "workspaces": ["web", "ui"]}`+"\n")
	r.WriteFile("web/package.json", `{"name": "web", "version": "1.0.0", "dependencies": {"ui": "workspace:*"}}`+"\n")
	r.WriteFile("ui/package.json", `{"name": "ui", "version": "1.0.0"}`+"\n")
	r.WriteFile("py/pyproject.toml", "[project]\nname = \"tool\"\nversion = \"0.3.0\"\n")
	r.Git("add", "-A")
	r.Commit("feat: first version of everything")
	for _, tag := range []string{"v1.0.0", "api/v1.0.0", "web-v1.0.0", "ui-v1.0.0", "tool-v0.3.0"} {
		r.AnnotatedTag(tag, tag)
	}
	r.CommitFile("api/api.go", "package api\n\nfunc New() {}\n", "feat(api)!: a new constructor\n\nBREAKING CHANGE: the old one is gone")
	r.CommitFile("py/tool.py", "print('x')\n", "fix(tool): print the right thing")
	return r
}

// TestNextPackages: in a monorepo the next action's outputs list every
// package's plan (packages, releasing); with the package input the
// repository outputs describe that package.
func TestNextPackages(t *testing.T) {
	t.Run("all", func(t *testing.T) {
		repo := nextMonorepo(t)
		s := newSim(t)
		if _, err := s.run("next", repo.Dir); err != nil {
			t.Fatalf("next: %v\n%s", err, s.log.String())
		}
		out := s.outputs()
		if out["releasing"] != "api,tool" || out["released"] != "true" || out["channel"] != "stable" {
			t.Errorf("releasing %q, released %q, channel %q; want api,tool, true, stable", out["releasing"], out["released"], out["channel"])
		}
		var list []map[string]any
		if err := json.Unmarshal([]byte(out["packages"]), &list); err != nil {
			t.Fatalf("packages output: %v\n%s", err, out["packages"])
		}
		want := []map[string]any{
			{"name": "root", "next": "", "next_tag": "", "bump": "none", "released": false},
			{"name": "api", "next": "2.0.0", "next_tag": "api/v2.0.0", "bump": "major", "released": true},
			{"name": "web", "next": "", "next_tag": "", "bump": "none", "released": false},
			{"name": "ui", "next": "", "next_tag": "", "bump": "none", "released": false},
			{"name": "tool", "next": "0.3.1", "next_tag": "tool-v0.3.1", "bump": "patch", "released": true},
		}
		if diff := cmp.Diff(want, list); diff != "" {
			t.Errorf("packages (-want +got):\n%s", diff)
		}
		for _, k := range []string{"next-version", "next-tag", "current-version"} {
			if out[k] != "" {
				t.Errorf("output %s = %q, want empty: no package was asked for", k, out[k])
			}
		}
		if sum := s.summary(); !strings.Contains(sum, "api/v2.0.0") || !strings.Contains(sum, "tool-v0.3.1") {
			t.Errorf("summary lacks the packages' next tags:\n%s", sum)
		}
	})
	t.Run("one", func(t *testing.T) {
		repo := nextMonorepo(t)
		s := newSim(t)
		s.input("package", "api")
		if _, err := s.run("next", repo.Dir); err != nil {
			t.Fatalf("next: %v\n%s", err, s.log.String())
		}
		out := s.outputs()
		want := map[string]string{"current-version": "1.0.0", "current-tag": "api/v1.0.0", "next-version": "2.0.0", "next-tag": "api/v2.0.0",
			"bump": "major", "released": "true", "releasing": "api"}
		for k, v := range want {
			if out[k] != v {
				t.Errorf("output %s = %q, want %q", k, out[k], v)
			}
		}
		if !strings.Contains(out["packages"], `"name":"api"`) || strings.Contains(out["packages"], "tool") {
			t.Errorf("packages = %s, want api's alone", out["packages"])
		}
	})
	t.Run("unknown", func(t *testing.T) {
		repo := nextMonorepo(t)
		s := newSim(t)
		s.input("package", "nope")
		_, err := s.run("next", repo.Dir)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "root, api, web, ui, tool") {
			t.Errorf("err = %v, want an input error naming the packages", err)
		}
	})
	t.Run("no packages", func(t *testing.T) {
		repo := gittest.New(t)
		repo.Commit("feat: x")
		s := newSim(t)
		if _, err := s.run("next", repo.Dir); err != nil {
			t.Fatalf("next: %v", err)
		}
		if _, ok := s.outputs()["packages"]; ok {
			t.Errorf("outputs %v: a repository without packages gets today's outputs only", s.outputs())
		}
	})
}
