package release

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// monorepoConfig is the packages: section of the monorepo fixture: a Go
// root module, a nested Go module api/, an npm workspace (web depends on
// ui) and a Python package under py/.
const monorepoConfig = `packages:
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

// newMonorepo builds the fixture with every package released once, and
// returns it with its packages.
func newMonorepo(t *testing.T, cfg string) (*gittest.Repo, []config.Package) {
	t.Helper()
	r := gittest.New(t)
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
	c, err := config.Parse(config.FileName, []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	return r, c.Packages
}

func planMono(t *testing.T, r *gittest.Repo, pkgs []config.Package, only ...string) *PackagesReport {
	t.Helper()
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := PlanPackages(context.Background(), repo, PlanOptions{}, pkgs, only, true)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// next returns each package's next tag ("" for none), by name.
func nextTags(rep *PackagesReport) map[string]string {
	out := map[string]string{}
	for _, p := range rep.Packages {
		out[p.Package.Name] = p.NextTag
	}
	return out
}

func TestPlanPackagesCommitTouchingOnePackageBumpsOnlyIt(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.CommitFile("py/tool.py", "print('x')\n", "fix(tool): print the right thing")
	got := nextTags(planMono(t, r, pkgs))
	want := map[string]string{"root": "", "api": "", "web": "", "ui": "", "tool": "tool-v0.3.1"}
	if !mapsEqual(got, want) {
		t.Errorf("next tags = %v, want %v (a commit under py/ is the tool package's alone, not the root module's)", got, want)
	}
}

func TestPlanPackagesBreakingGoModuleNeedsMajorPath(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.CommitFile("api/api.go", "package api\n\nfunc New() {}\n", "feat(api)!: a new constructor\n\nBREAKING CHANGE: the old one is gone")
	rep := planMono(t, r, pkgs)
	var api *PackagePlan
	for _, p := range rep.Packages {
		if p.Package.Name == "api" {
			api = p
		} else if p.NextTag != "" {
			t.Errorf("package %s releases %s: only api changed", p.Package.Name, p.NextTag)
		}
	}
	if api.NextTag != "api/v2.0.0" {
		t.Fatalf("api next tag = %q, want api/v2.0.0 (a nested Go module's prefix is dir/v)", api.NextTag)
	}
	if !slices.ContainsFunc(api.Warnings, func(w string) bool { return strings.Contains(w, `"/v2"`) && strings.Contains(w, "go.mod:1") }) {
		t.Errorf("api warnings = %q, want the go.mod module path /v2 warning", api.Warnings)
	}
	if len(api.Commits) != 1 || !strings.HasPrefix(api.Commits[0].Parsed.Header, "feat(api)!") {
		t.Errorf("api commits = %d, want the one breaking commit", len(api.Commits))
	}
}

func TestPlanPackagesLinkedGroupMovesTogether(t *testing.T) {
	cfg := strings.Replace(monorepoConfig, "    path: web\n", "    path: web\n    linked: front\n", 1)
	cfg = strings.Replace(cfg, "    path: ui\n", "    path: ui\n    linked: front\n", 1)
	r, pkgs := newMonorepo(t, cfg)
	r.CommitFile("web/app.js", "x\n", "feat(web): a page")
	rep := planMono(t, r, pkgs)
	got := nextTags(rep)
	if got["web"] != "web-v1.1.0" || got["ui"] != "ui-v1.1.0" {
		t.Errorf("next tags = %v, want web-v1.1.0 and ui-v1.1.0: the linked group moves as one", got)
	}
	for _, p := range rep.Packages {
		if p.Package.Name == "ui" && p.Linked != "front" {
			t.Errorf("ui.Linked = %q, want front", p.Linked)
		}
	}
}

func TestPlanPackagesBumpsDependents(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.CommitFile("ui/button.js", "x\n", "fix(ui): the button's colour")
	rep := planMono(t, r, pkgs)
	got := nextTags(rep)
	if got["ui"] != "ui-v1.0.1" || got["web"] != "web-v1.0.1" {
		t.Fatalf("next tags = %v, want ui-v1.0.1 and web-v1.0.1 (web depends on ui)", got)
	}
	for _, p := range rep.Packages {
		if p.Package.Name == "web" && !slices.Equal(p.DependsOn, []string{"ui"}) {
			t.Errorf("web.DependsOn = %q, want [ui]", p.DependsOn)
		}
	}
}

func TestPlanPackagesRangesStartAtEachPackagesTag(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.CommitFile("web/a.js", "a\n", "feat(web): a")
	r.CommitFile("py/a.py", "a\n", "fix(tool): a")
	r.AnnotatedTag("web-v1.1.0", "web-v1.1.0")
	r.CommitFile("py/b.py", "b\n", "feat(tool): b")
	got := nextTags(planMono(t, r, pkgs))
	// web was released after its commit; tool's range still starts at
	// tool-v0.3.0 and holds the fix and the feat.
	if got["web"] != "" || got["tool"] != "tool-v0.4.0" {
		t.Errorf("next tags = %v, want web none and tool-v0.4.0", got)
	}
}

func TestPlanPackagesOnlyAndUnknown(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	rep := planMono(t, r, pkgs, "tool")
	if len(rep.Packages) != 1 || rep.Packages[0].NextTag != "tool-v0.3.1" {
		t.Errorf("--package tool gave %d plans, want tool's alone", len(rep.Packages))
	}
	repo, _ := git.Open(context.Background(), r.Dir)
	_, err := PlanPackages(context.Background(), repo, PlanOptions{}, pkgs, []string{"nope"}, true)
	if !errors.Is(err, ErrUnknownPackage) || !strings.Contains(err.Error(), "root, api, web, ui, tool") {
		t.Errorf("err = %v, want ErrUnknownPackage listing the packages", err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestPlanPackagesVersionFilesStayInTheirPackage(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.WriteFile("VERSION", "1.0.0\n")
	r.WriteFile("web/version.ts", "export const version = \"1.0.0\" // shipflow:"+"version\n")
	r.Git("add", "-A")
	r.Commit("fix: root and web files")
	rep := planMono(t, r, pkgs)
	files := map[string][]string{}
	for _, p := range rep.Packages {
		for _, f := range p.VersionFiles {
			files[p.Package.Name] = append(files[p.Package.Name], f.Path)
		}
	}
	for _, f := range files["root"] {
		if strings.HasPrefix(f, "web/") || strings.HasPrefix(f, "py/") || strings.HasPrefix(f, "ui/") {
			t.Errorf("root's version files hold %s, a file of another package", f)
		}
	}
	if !slices.Contains(files["web"], "web/version.ts") || !slices.Contains(files["web"], "web/package.json") {
		t.Errorf("web's version files = %q, want web/package.json and web/version.ts", files["web"])
	}
}

// gitRuns counts the git processes run while fn runs, by command name
// (GIT_TRACE2_EVENT's cmd_name events).
func gitRuns(t *testing.T, fn func()) map[string]int {
	t.Helper()
	trace := filepath.Join(t.TempDir(), "trace.json")
	t.Setenv("GIT_TRACE2_EVENT", trace)
	fn()
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		var ev struct {
			Event string `json:"event"`
			Name  string `json:"name"`
		}
		if json.Unmarshal([]byte(line), &ev) == nil && ev.Event == "cmd_name" {
			runs[strings.SplitN(ev.Name, "/", 2)[0]]++
		}
	}
	return runs
}

func TestPlanPackagesOnePassWhateverTheNumberOfPackages(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	for i, dir := range []string{"api", "web", "ui", "py", "."} {
		r.CommitFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", i)), "x\n", fmt.Sprintf("fix: change %d", i))
	}
	few := gitRuns(t, func() { planMono(t, r, pkgs[:2]) })
	all := gitRuns(t, func() { planMono(t, r, pkgs) })
	if few["log"] != 1 || all["log"] != 1 {
		t.Errorf("git log runs: %d for 2 packages, %d for 5; want one stream for all packages", few["log"], all["log"])
	}
	total := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	if total(all) != total(few) {
		t.Errorf("git runs: %v for 2 packages, %v for 5; want as many whatever the number of packages", few, all)
	}
}
