package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// nextMonorepoConfig is the fixture: a Go root module, a nested Go
// module api/, an npm workspace (web depends on ui) and a Python package.
const nextMonorepoConfig = `packages:
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
`

// nextMonorepo builds the fixture, every package released once, then a
// breaking change in api/ and a fix in py/.
func nextMonorepo(t *testing.T, cfg string) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.WriteFile(".shipflow.yaml", cfg)
	r.WriteFile("go.mod", "module example.com/mono\n\ngo 1.22\n")
	r.WriteFile("main.go", "package main\n\nfunc main() {}\n")
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

// TestNextPackagesText: without --package every package's plan, one block
// each; with one --package that package's plan as a repository's.
func TestNextPackagesText(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{name: "all"},
		{name: "two", args: []string{"--package", "tool,web"}},
		{name: "one", args: []string{"--package", "api"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := nextMonorepo(t, nextMonorepoConfig)
			code, out, errOut := nextRun(t, r.Dir, nil, append([]string{"next"}, c.args...)...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden.Check(t, filepath.Join("testdata", "next", "packages-"+c.name+".golden"), out)
		})
	}
}

// TestNextPackagesJSON: {"packages": [...], "head", "branch", "channel"};
// one --package is a repository's plan with a "package" field.
func TestNextPackagesJSON(t *testing.T) {
	r := nextMonorepo(t, strings.Replace(nextMonorepoConfig, "    path: py\n", "    path: py\n    linked: tools\n", 1))
	code, out, errOut := nextRun(t, r.Dir, nil, "next", "--format", "json")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var all struct {
		Packages []struct {
			Name      string   `json:"name"`
			Path      []string `json:"path"`
			TagPrefix string   `json:"tag_prefix"`
			NextTag   *string  `json:"next_tag"`
			Bump      string   `json:"bump"`
			Commits   []any    `json:"commits"`
			Warnings  []string `json:"warnings"`
			Linked    *string  `json:"linked"`
			DependsOn []string `json:"depends_on"`
		} `json:"packages"`
		Head, Branch, Channel string
	}
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if all.Head != r.Head() || all.Branch != "main" || all.Channel != "stable" || len(all.Packages) != 5 {
		t.Fatalf("head %q branch %q channel %q, %d packages; want HEAD, main, stable, 5\n%s", all.Head, all.Branch, all.Channel, len(all.Packages), out)
	}
	next := map[string]string{}
	for _, p := range all.Packages {
		if p.NextTag != nil {
			next[p.Name] = *p.NextTag
		}
	}
	if len(next) != 2 || next["api"] != "api/v2.0.0" || next["tool"] != "tool-v0.3.1" {
		t.Errorf("next tags %v, want api/v2.0.0 and tool-v0.3.1 only", next)
	}
	api, tool := all.Packages[1], all.Packages[4]
	if api.TagPrefix != "api/v" || len(api.Path) != 1 || api.Path[0] != "api" || api.Bump != "major" || len(api.Commits) != 1 || len(api.Warnings) != 1 {
		t.Errorf("api = %+v, want prefix api/v, path [api], a major bump from 1 commit and the go.mod warning", api)
	}
	if tool.Linked == nil || *tool.Linked != "tools" || api.Linked != nil || api.DependsOn == nil {
		t.Errorf("linked: tool %v, api %v; depends_on %v: want tools, null, []", tool.Linked, api.Linked, api.DependsOn)
	}

	code, out, _ = nextRun(t, r.Dir, nil, "next", "--format", "json", "--package", "api")
	var one map[string]any
	if err := json.Unmarshal([]byte(out), &one); code != 0 || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if one["package"] != "api" || one["next_tag"] != "api/v2.0.0" || one["packages"] != nil || one["channel"] != "stable" {
		t.Errorf("--package api = %v, want the single plan's fields with package api", one)
	}
}

// TestNextPackagesExitCodes: an unknown package names the known ones (2),
// --package without packages: and --tag-prefix with them are usage
// errors, a refused plan is 1, and the github format annotates each
// package's warnings.
func TestNextPackagesExitCodes(t *testing.T) {
	cases := []struct {
		name   string
		mono   bool
		setup  func(r *gittest.Repo)
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "unknown package", mono: true, args: []string{"--package", "api,nope"}, code: 2,
			stderr: `input package: "nope" is not a package of .shipflow.yaml (root, api, web, ui, tool)`},
		{name: "package without packages", args: []string{"--package", "api"}, code: 2,
			stderr: `input package: "api" is not a package: .shipflow.yaml has no packages section`},
		{name: "tag prefix with packages", mono: true, args: []string{"--tag-prefix", "x"}, code: 2,
			stderr: `input tag-prefix: "x" is not allowed with packages`},
		{name: "refused", mono: true, setup: func(r *gittest.Repo) {
			r.Branch("hotfix/x")
			r.CommitFile("web/a.js", "x\n", "feat(web): a feature on a hotfix branch")
		}, code: 1, stderr: `allows patch releases at most`},
		{name: "github", mono: true, args: []string{"--format", "github"},
			stdout: "::warning title=shipflow next::package api: api/v2.0.0 is a major version of Go module"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r *gittest.Repo
			if c.mono {
				r = nextMonorepo(t, nextMonorepoConfig)
			} else {
				r = nextHistory(t)
			}
			if c.setup != nil {
				c.setup(r)
			}
			code, out, errOut := nextRun(t, r.Dir, nil, append([]string{"next"}, c.args...)...)
			if code != c.code || !strings.Contains(out, c.stdout) || !strings.Contains(errOut, c.stderr) {
				t.Errorf("exit %d, want %d\nstdout (want %q):\n%s\nstderr (want %q):\n%s", code, c.code, c.stdout, out, c.stderr, errOut)
			}
		})
	}
}

// TestFacesNextPackages: in a monorepo `shipflow next --package api` in a
// `run:` step and the next action with package: api annotate the same
// warnings, each naming its package.
func TestFacesNextPackages(t *testing.T) {
	g := nextMonorepo(t, nextMonorepoConfig)
	f := newFaces(t, g.Dir)
	f.event("push", facesPush("main", g.Git("rev-parse", "HEAD~2"), g.Head()))
	cli, action := f.cli("next", "--package", "api"), f.action("next", map[string]string{"package": "api"})
	if cli.code != exitOK || action.code != exitOK {
		t.Fatalf("exit %d (cli), %d (action), want 0\ncli: %s%s\naction: %s%s", cli.code, action.code, cli.stdout, cli.stderr, action.stdout, action.stderr)
	}
	f.same(cli, action, 1)
	if a := cli.annotations(); len(a) != 1 || !strings.HasPrefix(a[0], "::warning title=shipflow next::package api: api/v2.0.0 is a major version") {
		t.Errorf("annotations %q, want api's go.mod warning", a)
	}
}
