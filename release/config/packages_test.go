package config

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/repofs"
)

// TestPackagesSection: every key of a package is read; path takes one
// string or a list; the defaults come from methods.
func TestPackagesSection(t *testing.T) {
	in := `packages:
  - name: api
    path: api
  - name: web
    path: [web, shared/ui/**]
    tag-prefix: web@
    changelog: docs/web-changes.md
    version-files:
      - {path: web/app.json, json: expo.version}
    scopes: [web, frontend]
    linked: front
    image: ghcr.io/o/web
  - name: tools
    path: 'tools/*/cmd'
    changelog: tools/CHANGELOG.md
  - name: root
    path: ./
release:
  pr-per-package: true
  bump-dependents: false
lint:
  package-scopes: false
`
	cfg, err := Parse(FileName, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Packages) != 4 {
		t.Fatalf("packages = %+v", cfg.Packages)
	}
	api, web, tools, root := cfg.Packages[0], cfg.Packages[1], cfg.Packages[2], cfg.Packages[3]
	if api.Name != "api" || !slices.Equal(api.Path, []string{"api"}) {
		t.Errorf("api = %+v", api)
	}
	if got := api.TagPrefixFor(false); got != "api-v" {
		t.Errorf("api tag prefix without go.mod = %q, want api-v", got)
	}
	if got := api.TagPrefixFor(true); got != "api/v" {
		t.Errorf("api tag prefix with api/go.mod = %q, want api/v", got)
	}
	if got := api.ChangelogFile(); got != "api/CHANGELOG.md" {
		t.Errorf("api changelog = %q", got)
	}
	if got := api.AllScopes(); !slices.Equal(got, []string{"api"}) {
		t.Errorf("api scopes = %q", got)
	}
	if d, ok := api.Dir(); d != "api" || !ok {
		t.Errorf("api dir = %q, %v", d, ok)
	}
	if !slices.Equal(web.Path, []string{"web", "shared/ui/**"}) || web.Changelog != "docs/web-changes.md" ||
		web.Linked != "front" || web.Image != "ghcr.io/o/web" || !slices.Equal(web.AllScopes(), []string{"web", "frontend"}) ||
		len(web.VersionFiles) != 1 || web.VersionFiles[0] != (VersionFile{Path: "web/app.json", JSON: "expo.version"}) {
		t.Errorf("web = %+v", web)
	}
	if got := web.TagPrefixFor(true); got != "web@" {
		t.Errorf("an explicit tag prefix = %q, want web@ whatever go.mod says", got)
	}
	if got := web.ChangelogFile(); got != "docs/web-changes.md" {
		t.Errorf("web changelog = %q", got)
	}
	if _, ok := tools.Dir(); ok {
		t.Errorf("a glob is a plain directory: %+v", tools)
	}
	if got := tools.TagPrefixFor(true); got != "tools-v" {
		t.Errorf("a glob package's tag prefix = %q: only a plain directory is a Go module", got)
	}
	if d, ok := root.Dir(); d != "." || !ok || root.Path[0] != "." {
		t.Errorf("root dir = %q, %v (path %q): paths are cleaned", d, ok, root.Path)
	}
	if got := root.TagPrefixFor(true); got != "v" {
		t.Errorf("root Go module tag prefix = %q, want v", got)
	}
	major := Package{Name: "sdk", Path: Paths{"sdk/v2"}}
	if got := major.TagPrefixFor(true); got != "sdk/v" {
		t.Errorf("a Go module in a major subdirectory: tag prefix %q, want sdk/v (Go's sdk/v2.0.0 tags)", got)
	}
	if got := (Package{Name: "x", Path: Paths{"v3"}}).TagPrefixFor(true); got != "v" {
		t.Errorf("a Go module in v3/: tag prefix %q, want v", got)
	}
	if got := root.ChangelogFile(); got != DefaultChangelogFile {
		t.Errorf("root changelog = %q", got)
	}
	if !cfg.Release.PRPerPackage || cfg.Release.BumpDependentsOn() || cfg.Lint.PackageScopesOn() {
		t.Errorf("release = %+v, lint = %+v", cfg.Release, cfg.Lint)
	}
	if p, ok := cfg.Package("web"); !ok || p.Name != "web" {
		t.Errorf("Package(web) = %+v, %v", p, ok)
	}
	if _, ok := cfg.Package("nope"); ok {
		t.Error("Package(nope) found")
	}
	if got := web.KeyError("tag-prefix", "x").Error(); got != ".shipflow.yaml:6:17: packages[1].tag-prefix: x" {
		t.Errorf("KeyError = %q", got)
	}
	if got := web.KeyError("path[1]", "x").Error(); got != ".shipflow.yaml:5:17: packages[1].path[1]: x" {
		t.Errorf("KeyError = %q", got)
	}
}

// TestPackagesDefaults: without the keys, one PR for all packages,
// dependents bumped, package scopes on; without packages nothing changes.
func TestPackagesDefaults(t *testing.T) {
	cfg, err := Parse(FileName, []byte("release:\n  mode: pr\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Packages != nil || cfg.Release.PRPerPackage || !cfg.Release.BumpDependentsOn() || !cfg.Lint.PackageScopesOn() {
		t.Errorf("defaults: packages %v, release %+v, lint %+v", cfg.Packages, cfg.Release, cfg.Lint)
	}
	if (Release{}).BumpDependentsOn() != true || (Lint{}).PackageScopesOn() != true {
		t.Error("zero sections: bump-dependents and package-scopes default to off, want on")
	}
}

// TestPackagesRefused: every mistake is an *Error at its key's line and
// column.
func TestPackagesRefused(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"no name", "packages:\n  - path: api\n", `.shipflow.yaml:2:5: packages[0].name: is missing`},
		{"bad name", "packages:\n  - name: Api\n    path: api\n", `.shipflow.yaml:2:11: packages[0].name: "Api" is not a package name`},
		{"name with slash", "packages:\n  - name: a/b\n    path: api\n", `.shipflow.yaml:2:11: packages[0].name: "a/b" is not a package name`},
		{"duplicate name", "packages:\n  - {name: api, path: a}\n  - {name: api, path: b}\n", `.shipflow.yaml:3:12: packages[1].name: "api" is also the name of packages[0] (line 2)`},
		{"no path", "packages:\n  - name: api\n", `.shipflow.yaml:2:5: packages[0].path: is missing`},
		{"empty path list", "packages:\n  - name: api\n    path: []\n", `.shipflow.yaml:3:11: packages[0].path: is missing`},
		{"empty path", "packages:\n  - name: api\n    path: ''\n", `.shipflow.yaml:3:11: packages[0].path: is empty`},
		{"empty path in a list", "packages:\n  - name: api\n    path: [a, '']\n", `.shipflow.yaml:3:15: packages[0].path[1]: is empty`},
		{"absolute path", "packages:\n  - name: api\n    path: /etc\n", `.shipflow.yaml:3:11: packages[0].path: "/etc" is absolute`},
		{"path escapes", "packages:\n  - name: api\n    path: [api, ../x]\n", `.shipflow.yaml:3:17: packages[0].path[1]: "../x" leaves the repository`},
		{"path under .git", "packages:\n  - name: api\n    path: .git/hooks\n", `.shipflow.yaml:3:11: packages[0].path: ".git/hooks" is inside .git/`},
		{"bad glob", "packages:\n  - name: api\n    path: 'api/[x'\n", `.shipflow.yaml:3:11: packages[0].path: "api/[x" is not a valid glob`},
		{"** inside", "packages:\n  - name: api\n    path: 'a/**/b'\n", `.shipflow.yaml:3:11: packages[0].path: "a/**/b": ** is only allowed as the last part`},
		{"** in a part", "packages:\n  - name: api\n    path: 'a/x**'\n", `.shipflow.yaml:3:11: packages[0].path: "a/x**": ** is only allowed as the last part`},
		{"same tag prefix", "packages:\n  - {name: api, path: a, tag-prefix: x-v}\n  - {name: x, path: 'b/*', changelog: b.md}\n", `.shipflow.yaml:3:5: packages[1]: its tag prefix "x-v" is also the tag prefix of packages[0] (line 2)`},
		{"bad tag prefix", "packages:\n  - {name: api, path: a, tag-prefix: 'a b'}\n", `.shipflow.yaml:2:38: packages[0].tag-prefix: "a b" makes tag names git refuses`},
		{"tag prefix with ..", "packages:\n  - {name: api, path: a, tag-prefix: 'a..'}\n", `packages[0].tag-prefix: "a.." makes tag names git refuses`},
		{"tag prefix ending in /", "packages:\n  - {name: api, path: a, tag-prefix: 'a//'}\n", `packages[0].tag-prefix: "a//" makes tag names git refuses`},
		{"tag prefix with .lock/", "packages:\n  - {name: api, path: a, tag-prefix: 'a.lock/'}\n", `packages[0].tag-prefix: "a.lock/" makes tag names git refuses`},
		{"tag prefix @{", "packages:\n  - {name: api, path: a, tag-prefix: 'x@{'}\n", `packages[0].tag-prefix: "x@{" makes tag names git refuses`},
		{"name with ..", "packages:\n  - {name: a..b, path: a}\n", `.shipflow.yaml:2:12: packages[0].name: "a..b" is not a package name`},
		{"glob without changelog", "packages:\n  - {name: api, path: 'svc/*'}\n", `.shipflow.yaml:2:5: packages[0].changelog: is needed: the first path "svc/*" is not a plain directory`},
		{"same changelog", "packages:\n  - {name: a, path: x, changelog: C.md}\n  - {name: b, path: y, changelog: ./C.md}\n", `.shipflow.yaml:3:5: packages[1]: its changelog "C.md" is also the changelog of packages[0] (line 2)`},
		{"changelog escapes", "packages:\n  - {name: a, path: x, changelog: ../C.md}\n", `packages[0].changelog: "../C.md" leaves the repository`},
		{"version file without key", "packages:\n  - name: a\n    path: a\n    version-files: [{path: a/x.json}]\n", `.shipflow.yaml:4:21: packages[0].version-files[0]: give exactly one of json, toml and yaml`},
		{"version file in .git", "packages:\n  - name: a\n    path: a\n    version-files: [{path: .git/x, json: v}]\n", `.shipflow.yaml:4:28: packages[0].version-files[0].path: ".git/x" is inside .git/`},
		{"empty scope", "packages:\n  - {name: a, path: a, scopes: [a, '']}\n", `.shipflow.yaml:2:36: packages[0].scopes[1]: is empty`},
		{"empty linked", "packages:\n  - {name: a, path: a, linked: ''}\n", `packages[0].linked: is empty`},
		{"channels are not per package", "packages:\n  - {name: a, path: a, channels: []}\n", `.shipflow.yaml:2:24: unknown key "channels" in ` + "`packages[0]`"},
		{"packages is a mapping", "packages:\n  api: {path: api}\n", `.shipflow.yaml:2: cannot unmarshal`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(FileName, []byte(tt.in))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error = %v (%T), want a *config.Error", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v\nwant %q", err, tt.want)
			}
		})
	}
}

// TestPackagesAccepted: a linked group of one, overlapping paths, globs
// and a package at the root are fine.
func TestPackagesAccepted(t *testing.T) {
	for _, in := range []string{
		"packages:\n  - {name: a, path: a, linked: solo}\n",
		"packages:\n  - {name: a, path: [a, shared]}\n  - {name: b, path: [b, shared]}\n",
		"packages:\n  - {name: a, path: 'libs/a/**'}\n  - {name: b, path: 'libs/b?/*.go', changelog: libs/B.md}\n",
		"packages:\n  - {name: root, path: .}\n  - {name: api, path: api}\n",
		"packages:\n  - {name: web.app_2-x, path: web, tag-prefix: web/v}\n",
		"packages: []\n",
	} {
		if _, err := Parse(FileName, []byte(in)); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// TestLoadPackagesGoModules: Load knows which packages are Go modules, so
// a default "dir/v" tag prefix colliding with another package's is caught,
// and GoModule reports what the release layer asks.
func TestLoadPackagesGoModules(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("api/go.mod", "module example.com/m/api\n")
	write(FileName, "packages:\n  - {name: api, path: api}\n  - {name: web, path: web, tag-prefix: api/v}\n")
	_, _, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), `.shipflow.yaml:3:5: packages[1]: its tag prefix "api/v" is also the tag prefix of packages[0] (line 2)`) {
		t.Fatalf("Load error = %v", err)
	}
	// Parse cannot know: x's prefix is x-v, or x/v when x/go.mod exists.
	doubt := "packages:\n  - {name: x, path: x}\n  - {name: y, path: y, tag-prefix: x-v}\n"
	if _, err := Parse(FileName, []byte(doubt)); err != nil {
		t.Fatalf("Parse refused what depends on the tree: %v", err)
	}
	write(FileName, doubt)
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), `packages[1]: its tag prefix "x-v" is also the tag prefix of packages[0]`) {
		t.Fatalf("Load error = %v", err)
	}
	write("x/go.mod", "module example.com/m/x\n")
	if _, _, err := Load(dir); err != nil {
		t.Fatalf("x/go.mod makes x's prefix x/v: %v", err)
	}
	write("we ird/go.mod", "module example.com/m/weird\n")
	write(FileName, "packages:\n  - {name: w, path: [we ird]}\n")
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), `.shipflow.yaml:2:22: packages[0].path[0]: the Go module's default tag prefix "we ird/v" makes tag names git refuses`) {
		t.Fatalf("Load error = %v", err)
	}
	write(FileName, "packages:\n  - {name: api, path: api}\n  - {name: web, path: web}\n")
	cfg, _, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !HasGoMod(dir, "api") || HasGoMod(dir, "web") || HasGoMod(dir, "../x") {
		t.Error("HasGoMod is wrong")
	}
	if got := cfg.Packages[0].TagPrefixFor(HasGoMod(dir, "api")); got != "api/v" {
		t.Errorf("api tag prefix = %q", got)
	}
	// A go.mod reached through a link out of the tree is not a module.
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if HasGoMod(dir, "out") {
		t.Error("a go.mod outside the tree counts")
	}
}

// FuzzParsePackages: a packages: section Parse accepts has valid unique
// names, and paths, changelogs and version files inside the repository.
func FuzzParsePackages(f *testing.F) {
	for _, s := range []string{
		"packages:\n  - name: api\n    path: api\n  - name: web\n    path: [web, 'shared/**']\n    tag-prefix: web@\n    scopes: [ui]\n    linked: g\n",
		"packages:\n  - {name: a, path: 'svc/*', changelog: svc/A.md, version-files: [{path: a/x.json, json: v}]}\n",
		"packages:\n  - {name: root, path: .}\n  - {name: api, path: ./api/}\nrelease: {pr-per-package: true, bump-dependents: false}\nlint: {package-scopes: false}\n",
		"packages:\n  - &p {name: a, path: a}\n  - *p\n",
		"packages:\n  - {name: a, path: ~}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(FileName, data)
		if err != nil {
			checkFuzzError(t, FileName, data, err)
			return
		}
		names := map[string]bool{}
		for _, p := range cfg.Packages {
			if !regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`).MatchString(p.Name) || strings.Contains(p.Name, "..") || names[p.Name] {
				t.Fatalf("accepted the name %q", p.Name)
			}
			names[p.Name] = true
			files := append([]string{p.ChangelogFile()}, p.Path...)
			for _, v := range p.VersionFiles {
				files = append(files, v.Path)
			}
			for _, name := range files {
				if _, err := repofs.Clean(name); err != nil {
					t.Fatalf("accepted %q: %v", name, err)
				}
			}
			if why := refFormatProblem(p.TagPrefixFor(false) + "1.0.0"); why != "" {
				t.Fatalf("accepted the tag prefix %q: %s", p.TagPrefixFor(false), why)
			}
		}
	})
}
