package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// releaseMonorepoConfig links web and ui; api is a nested Go module.
const releaseMonorepoConfig = `packages:
  - name: root
    path: .
  - name: api
    path: api
  - name: web
    path: web
    linked: front
  - name: ui
    path: ui
    linked: front
  - name: tool
    path: py
`

// releaseMonorepo builds a monorepo with every package released once.
func releaseMonorepo(t *testing.T) *gittest.Repo {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
	r := gittest.New(t)
	r.WriteFile(".shipflow.yaml", releaseMonorepoConfig)
	r.WriteFile("go.mod", "module example.com/mono\n\ngo 1.22\n")
	r.WriteFile("api/go.mod", "module example.com/mono/api\n\ngo 1.22\n")
	r.WriteFile("package.json", `{"private": true, "workspaces": ["web", "ui"]}`+"\n")
	r.WriteFile("web/package.json", `{"name": "web", "version": "1.0.0"}`+"\n")
	r.WriteFile("ui/package.json", `{"name": "ui", "version": "1.0.0"}`+"\n")
	r.WriteFile("py/pyproject.toml", "[project]\nname = \"tool\"\nversion = \"0.3.0\"\n")
	r.Git("add", "-A")
	r.Commit("feat: first version of everything")
	for _, tag := range []string{"v1.0.0", "api/v1.0.0", "web-v1.0.0", "ui-v1.0.0", "tool-v0.3.0"} {
		r.AnnotatedTag(tag, tag)
	}
	return r
}

// TestReleasePackagesLocal: release --local in a monorepo releases each
// package with changes on its own, a linked group together; a re-run has
// nothing to release.
func TestReleasePackagesLocal(t *testing.T) {
	r := releaseMonorepo(t)
	r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	env := map[string]string{"SOURCE_DATE_EPOCH": "1767312000"}
	code, stdout, stderr := releaseRun(t, r.Dir, env, "--local")
	if code != exitOK {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
	for _, want := range []string{
		"package web: release web-v1.1.0 (from web-v1.0.0) on main (local)",
		"package ui: release ui-v1.1.0 (from ui-v1.0.0) on main (local)",
		"package tool: release tool-v0.3.1 (from tool-v0.3.0) on main (local)",
		"- floating-tag: local release (--local)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if got := r.Git("tag", "--points-at", "HEAD"); got != "tool-v0.3.1" {
		t.Errorf("HEAD's tags = %q, want tool-v0.3.1 (each package its own release commit)", got)
	}
	if got := r.Git("log", "-3", "--format=%s"); got != "chore(release): tool-v0.3.1 [skip ci]\nchore(release): ui-v1.1.0 [skip ci]\nchore(release): web-v1.1.0 [skip ci]" {
		t.Errorf("release commits:\n%s", got)
	}
	for _, f := range []string{"web/CHANGELOG.md", "ui/CHANGELOG.md", "py/CHANGELOG.md"} {
		if _, err := os.Stat(filepath.Join(r.Dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	refs := r.Git("for-each-ref")
	code, stdout, stderr = releaseRun(t, r.Dir, env, "--local")
	if code != exitOK || !strings.Contains(stdout, "nothing to release") {
		t.Errorf("re-run: exit %d, stdout %s, stderr %s; want nothing to release", code, stdout, stderr)
	}
	if again := r.Git("for-each-ref"); again != refs {
		t.Errorf("re-run changed refs:\n%s\n->\n%s", refs, again)
	}
}

// TestReleasePackagesRefusals are usage errors: nothing is changed.
func TestReleasePackagesRefusals(t *testing.T) {
	r := releaseMonorepo(t)
	r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	head := r.Head()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"linked member alone", []string{"--local", "--package", "web"}, "--package ui"},
		{"unknown package", []string{"--local", "--package", "nope"}, "root, api, web, ui, tool"},
		{"tag prefix", []string{"--local", "--tag-prefix", "x"}, "each package has its own tag prefix"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := releaseRun(t, r.Dir, nil, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %s, stderr %s; want exit %d naming %q", code, stdout, stderr, exitUsage, tc.want)
			}
			if r.Head() != head {
				t.Error("HEAD moved")
			}
		})
	}
}

// TestReleasePackagesPRDryRun: in PR mode one release PR holds every
// package's release.
func TestReleasePackagesPRDryRun(t *testing.T) {
	r := releaseMonorepo(t)
	r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	code, stdout, stderr := releaseRun(t, r.Dir, nil, "--pr", "--dry-run")
	if code != exitOK {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
	for _, want := range []string{"package web: release web-v1.1.0", "package ui: release ui-v1.1.0", "package tool: release tool-v0.3.1", "would open or update a release PR from shipflow/release-main\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

// TestReleasePackagesGoModuleRefused: a breaking change in api/ plans
// api/v2.0.0, which its go.mod must then say (/v2): refused, exit 1.
func TestReleasePackagesGoModuleRefused(t *testing.T) {
	r := releaseMonorepo(t)
	r.CommitFile("api/api.go", "package api\n", "feat(api)!: a new constructor")
	code, stdout, stderr := releaseRun(t, r.Dir, nil, "--local")
	if code != exitFindings || !strings.Contains(stderr, `"/v2"`) {
		t.Errorf("exit %d, stdout %s, stderr %s; want exit %d with the go.mod /v2 refusal", code, stdout, stderr, exitFindings)
	}
}

func changelogRun(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"SOURCE_DATE_EPOCH": "1767312000"}
	code := run(context.Background(), append([]string{"-C", dir, "changelog"}, args...), strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

// TestChangelogPackages: changelog writes each package's section into its
// own file; --stdout prints them headed by their package; --rebuild is
// refused with packages.
func TestChangelogPackages(t *testing.T) {
	r := releaseMonorepo(t)
	r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	code, stdout, stderr := changelogRun(t, r.Dir, "--stdout")
	if code != exitOK || stdout != "# tool\n\n## 0.3.1 (2026-01-02)\n\n\n### Bug Fixes\n\n* **tool:** x "+r.Git("rev-parse", "--short", "HEAD")+"\n" {
		t.Errorf("--stdout: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = changelogRun(t, r.Dir, "--package", "web")
	if code != exitOK || stdout != "web: web/CHANGELOG.md not changed: nothing to release\n" {
		t.Errorf("--package web: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = changelogRun(t, r.Dir)
	if code != exitOK || !strings.Contains(stdout, "tool: wrote py/CHANGELOG.md: tool-v0.3.1 (1 commit, 0 duplicates left out)\n") {
		t.Errorf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	code, _, stderr = changelogRun(t, r.Dir, "--rebuild")
	if code != exitUsage || !strings.Contains(stderr, "--rebuild") {
		t.Errorf("--rebuild: exit %d, stderr %s; want a usage error", code, stderr)
	}
}
