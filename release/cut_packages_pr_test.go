package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestCutPackagesPRPerPackage is the release PR cycle of a monorepo with
// release.pr-per-package: each package with changes gets its own release
// PR (shipflow/release-main-<name>) holding its changelog and version
// files; merging one releases that package alone; a package with nothing
// left to release has no PR.
func TestCutPackagesPRPerPackage(t *testing.T) {
	e := newMonoCutEnv(t, monorepoConfig)
	e.r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	e.r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	e.r.Git("push", "-q", "origin", "main")
	hook := filepath.Join(e.origin, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then echo \"main is protected\" >&2; exit 1; fi\ndone\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e.fake.BackWithGit("o", "r", e.origin)
	e.fake.AddRule("o", "r", "main", githubfake.Rule{Type: "pull_request", RulesetID: 1})
	opts := e.opts()
	opts.Config.Mode, opts.Config.PRPerPackage = config.ReleaseModePR, true

	rep, err := e.release(opts)
	if err != nil {
		t.Fatal(err)
	}
	prs := map[string]*ReleasePR{}
	for _, p := range rep.Packages {
		if p.ReleasePR != nil && p.ReleasePR.Number != 0 {
			prs[p.Package] = p.ReleasePR
		}
	}
	if len(prs) != 2 || prs["web"] == nil || prs["tool"] == nil || prs["web"].Action != "opened" || prs["web"].Branch != "shipflow/release-main-web" || prs["tool"].Branch != "shipflow/release-main-tool" {
		t.Fatalf("release PRs = %+v, want web's and tool's opened on their own branches", prs)
	}
	show := func(rev, path string) string {
		out, _ := e.r.TryGit("--git-dir", e.origin, "show", rev+":"+path)
		return out
	}
	if got := show("shipflow/release-main-web", "web/CHANGELOG.md"); !strings.Contains(got, "a new page") || strings.Contains(got, "fix(tool)") {
		t.Errorf("web/CHANGELOG.md on web's release branch = %q", got)
	}
	if got := show("shipflow/release-main-web", "web/package.json"); !strings.Contains(got, `"version": "1.1.0"`) {
		t.Errorf("web/package.json on web's release branch = %q", got)
	}
	if got := show("shipflow/release-main-web", "py/CHANGELOG.md"); got != "" {
		t.Errorf("web's release PR holds tool's changelog: %q", got)
	}

	// web's release PR is merged: the next run releases web alone.
	merge := e.fake.MergePull("o", "r", prs["web"].Number)
	e.r.Git("pull", "-q", "--ff-only", "origin", "main")
	if e.r.Head() != merge {
		t.Fatalf("main = %s after pulling, want the merge %s", e.r.Head(), merge)
	}
	rep, err = e.release(opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.r.Git("rev-parse", "web-v1.1.0^{commit}"); got != merge {
		t.Errorf("web-v1.1.0 at %s, want the merge %s", got, merge)
	}
	rels := e.fake.Releases("o", "r")
	if len(rels) != 1 || rels[0].TagName != "web-v1.1.0" {
		t.Errorf("GitHub releases = %+v, want web-v1.1.0 alone", rels)
	}
	for _, p := range rep.Packages {
		if p.Package == "tool" && (p.ReleasePR == nil || p.ReleasePR.Number != prs["tool"].Number || p.ReleasePR.Action != "updated") {
			t.Errorf("tool's release PR after web's release = %+v, want #%d updated onto main's new tip", p.ReleasePR, prs["tool"].Number)
		}
	}
	// Again: nothing changes.
	before := e.state()
	if _, err := e.release(opts); err != nil {
		t.Fatal(err)
	}
	if after := e.state(); after != before {
		t.Errorf("a re-run changed the repository:\n%s\n->\n%s", before, after)
	}
}

// TestCutPackagesOnePRForAll is the default of PR mode in a monorepo:
// one release PR holds every releasing package's changelog and version
// files and lists every package's section; its merge releases each
// package (its tag at the merge, its GitHub release); re-running changes
// nothing.
func TestCutPackagesOnePRForAll(t *testing.T) {
	e := newMonoCutEnv(t, monorepoConfig)
	e.r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	e.r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	e.r.Git("push", "-q", "origin", "main")
	hook := filepath.Join(e.origin, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then echo \"main is protected\" >&2; exit 1; fi\ndone\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e.fake.BackWithGit("o", "r", e.origin)
	e.fake.AddRule("o", "r", "main", githubfake.Rule{Type: "pull_request", RulesetID: 1})
	opts := e.opts()
	opts.Config.Mode = config.ReleaseModePR

	rep, err := e.release(opts)
	if err != nil {
		t.Fatal(err)
	}
	pr := rep.ReleasePR
	if pr == nil || pr.Action != "opened" || pr.Branch != "shipflow/release-main" {
		t.Fatalf("release PR = %+v, want one opened on shipflow/release-main", pr)
	}
	show := func(rev, path string) string {
		out, _ := e.r.TryGit("--git-dir", e.origin, "show", rev+":"+path)
		return out
	}
	if !strings.Contains(show("shipflow/release-main", "web/CHANGELOG.md"), "a new page") || !strings.Contains(show("shipflow/release-main", "py/CHANGELOG.md"), "**tool:** x") || !strings.Contains(show("shipflow/release-main", "web/package.json"), `"version": "1.1.0"`) {
		t.Error("the release commit lacks a package's changelog or version file")
	}
	if got := e.r.Git("--git-dir", e.origin, "log", "-1", "--format=%s", "shipflow/release-main"); got != "chore(release): web-v1.1.0 tool-v0.3.1" {
		t.Errorf("release commit = %q", got)
	}
	var body string
	for _, c := range e.fake.Calls() {
		if c.Operation == "POST /repos/{owner}/{repo}/pulls" {
			body = string(c.Body)
		}
	}
	for _, want := range []string{`\"tags\":[\"web-v1.1.0\",\"tool-v0.3.1\"]`, "## web", "## tool", "a new page", "compare/tool-v0.3.0...tool-v0.3.1"} {
		if !strings.Contains(body, want) {
			t.Errorf("release PR body lacks %q:\n%s", want, body)
		}
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil || !strings.Contains(b.String(), "release PR #") {
		t.Errorf("text = %s (%v), want the release PR's line", b.String(), err)
	}

	merge := e.fake.MergePull("o", "r", pr.Number)
	e.r.Git("pull", "-q", "--ff-only", "origin", "main")
	rep, err = e.release(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"web-v1.1.0", "tool-v0.3.1"} {
		if got := e.r.Git("rev-parse", tag+"^{commit}"); got != merge {
			t.Errorf("%s at %s, want the merge %s", tag, got, merge)
		}
		if got := e.r.Git("ls-remote", "--tags", e.origin, tag); got == "" {
			t.Errorf("%s not pushed", tag)
		}
	}
	if rels := e.fake.Releases("o", "r"); len(rels) != 2 {
		t.Errorf("GitHub releases = %+v, want web's and tool's", rels)
	}
	if rep.ReleasePR == nil || rep.ReleasePR.Action != "released" {
		t.Errorf("release PR after its merge = %+v, want released", rep.ReleasePR)
	}
	before := e.state()
	rep, err = e.release(opts)
	if err != nil || rep.Nothing == "" {
		t.Fatalf("re-run: %v, %+v; want nothing to release", err, rep)
	}
	if after := e.state(); after != before {
		t.Errorf("a re-run changed the repository:\n%s\n->\n%s", before, after)
	}
}
