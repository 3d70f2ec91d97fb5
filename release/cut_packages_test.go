package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// monoCutEnv is the monorepo fixture of plan_packages_test.go with a bare
// origin and a fake GitHub.
type monoCutEnv struct {
	t      *testing.T
	r      *gittest.Repo
	pkgs   []config.Package
	origin string
	fake   *githubfake.Server
	gh     *github.Client
}

func newMonoCutEnv(t *testing.T, cfg string) *monoCutEnv {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Release Bot", "GIT_AUTHOR_EMAIL": "bot@example.com", "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME": "Release Bot", "GIT_COMMITTER_EMAIL": "bot@example.com", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
	r, pkgs := newMonorepo(t, cfg)
	origin := r.InitBare("origin")
	r.Git("push", "-q", "origin", "main", "--tags")
	f := githubfake.New(t)
	f.RequireToken(cutTestToken)
	f.AddRepo("o", "r", githubfake.Permissions{Push: true, Pull: true})
	gh, err := github.New(cutTestToken, github.WithBaseURL(f.URL), github.WithWebURL("https://github.com"),
		github.WithSleep(func(context.Context, time.Duration) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	return &monoCutEnv{t: t, r: r, pkgs: pkgs, origin: origin, fake: f, gh: gh}
}

func (e *monoCutEnv) opts() CutOptions {
	return CutOptions{
		Config: config.Release{FloatingMajorTag: true},
		Forge:  e.gh, Owner: "o", Repo: "r",
		Now: func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) },
	}
}

func (e *monoCutEnv) release(opts CutOptions, only ...string) (*PackagesCutReport, error) {
	e.t.Helper()
	repo, err := git.Open(context.Background(), e.r.Dir)
	if err != nil {
		e.t.Fatal(err)
	}
	return CutPackages(context.Background(), repo, opts, PackagesOptions{Packages: e.pkgs, Only: only, BumpDependents: true})
}

// released returns the tags of the packages released, in order.
func releasedTags(rep *PackagesCutReport) []string {
	var out []string
	for _, p := range rep.Packages {
		out = append(out, p.Plan.Tag)
	}
	return out
}

func (e *monoCutEnv) file(name string) string {
	data, _ := os.ReadFile(filepath.Join(e.r.Dir, name))
	return string(data)
}

// state is everything a release changes.
func (e *monoCutEnv) state() string {
	var b strings.Builder
	b.WriteString(e.r.Git("log", "--format=%H %s", "main") + "\n")
	b.WriteString(e.r.Git("for-each-ref", "--format=%(refname) %(objectname) %(*objectname)", "refs/tags") + "\n")
	b.WriteString(e.r.Git("ls-remote", e.origin) + "\n")
	for _, rel := range e.fake.Releases("o", "r") {
		b.WriteString(rel.TagName + " " + rel.Name + " " + rel.TargetCommitish + "\n" + rel.Body + "\n")
	}
	return b.String()
}

func TestCutPackagesDoneWhen(t *testing.T) {
	e := newMonoCutEnv(t, monorepoConfig)

	// A commit touching only web/ releases only web.
	e.r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	e.r.Git("push", "-q", "origin", "main")
	rep, err := e.release(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if got := releasedTags(rep); !slices.Equal(got, []string{"web-v1.1.0"}) {
		t.Fatalf("released %v, want [web-v1.1.0]", got)
	}
	web := rep.Packages[0].CutReport
	if got := stepsRun(web); !slices.Equal(got, []string{"preflight", "changelog", "commit", "tag", "push", "github-release"}) {
		t.Errorf("web's steps run = %v", got)
	}
	if s := web.Steps[len(web.Steps)-1]; s.Step != "floating-tag" || !strings.Contains(s.Skipped, "packages") {
		t.Errorf("floating-tag step = %+v, want skipped for packages", s)
	}
	if got := e.r.Git("log", "-1", "--format=%s"); got != "chore(release): web-v1.1.0 [skip ci]" {
		t.Errorf("release commit = %q", got)
	}
	if got := e.r.Git("show", "--name-only", "--format=", "HEAD"); got != "web/CHANGELOG.md\nweb/package.json" {
		t.Errorf("release commit holds %q, want web's changelog and package.json", got)
	}
	if !strings.Contains(e.file("web/package.json"), `"version": "1.1.0"`) {
		t.Errorf("web/package.json = %s, want version 1.1.0", e.file("web/package.json"))
	}
	cl := e.file("web/CHANGELOG.md")
	if !strings.Contains(cl, "## [1.1.0](https://github.com/o/r/compare/web-v1.0.0...web-v1.1.0)") || !strings.Contains(cl, "a new page") {
		t.Errorf("web/CHANGELOG.md =\n%s\nwant the 1.1.0 section comparing web's tags", cl)
	}
	if _, err := os.Stat(filepath.Join(e.r.Dir, "CHANGELOG.md")); err == nil {
		t.Error("the root CHANGELOG.md was written: only web released")
	}
	rels := e.fake.Releases("o", "r")
	if len(rels) != 1 || rels[0].TagName != "web-v1.1.0" || rels[0].Name != "web-v1.1.0" || rels[0].Draft || !strings.Contains(rels[0].Body, "a new page") {
		t.Fatalf("GitHub releases = %+v, want web-v1.1.0 published with its notes", rels)
	}
	if got := e.r.Git("ls-remote", "--tags", e.origin, "web-v1.1.0"); got == "" {
		t.Error("web-v1.1.0 not pushed")
	}

	// A second run changes nothing.
	before := e.state()
	rep, err = e.release(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Nothing == "" {
		t.Errorf("second run: Nothing is empty, want nothing to release (steps %+v)", rep.Packages)
	}
	if after := e.state(); after != before {
		t.Errorf("second run changed the repository:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// A breaking change in api/ makes api/v2.0.0, which needs /v2 in
	// api/go.mod: refused until it has it.
	e.r.CommitFile("api/api.go", "package api\n\nfunc New() {}\n", "feat(api)!: a new constructor\n\nBREAKING CHANGE: the old one is gone")
	e.r.Git("push", "-q", "origin", "main")
	before = e.state()
	rep, err = e.release(e.opts())
	if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), `"/v2"`) || !strings.Contains(err.Error(), "api/v2.0.0") {
		t.Fatalf("err = %v, want the go.mod /v2 refusal", err)
	}
	if after := e.state(); after != before {
		t.Errorf("a refused release changed the repository")
	}
	e.r.CommitFile("api/go.mod", "module example.com/mono/api/v2\n\ngo 1.22\n", "fix(api): module path for v2")
	e.r.Git("push", "-q", "origin", "main")
	rep, err = e.release(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if got := releasedTags(rep); !slices.Equal(got, []string{"api/v2.0.0"}) {
		t.Fatalf("released %v, want [api/v2.0.0]", got)
	}
	if !strings.Contains(e.file("api/CHANGELOG.md"), "compare/api/v1.0.0...api/v2.0.0") {
		t.Errorf("api/CHANGELOG.md =\n%s", e.file("api/CHANGELOG.md"))
	}
	if n := len(e.fake.Releases("o", "r")); n != 2 {
		t.Errorf("%d GitHub releases, want 2", n)
	}
	before = e.state()
	if rep, err = e.release(e.opts()); err != nil || rep.Nothing == "" {
		t.Errorf("third run: %v, %+v; want nothing to release", err, rep)
	}
	if after := e.state(); after != before {
		t.Errorf("third run changed the repository")
	}
}

// linkedConfig links web and ui.
func linkedConfig() string {
	cfg := strings.Replace(monorepoConfig, "    path: web\n", "    path: web\n    linked: front\n", 1)
	return strings.Replace(cfg, "    path: ui\n", "    path: ui\n    linked: front\n", 1)
}

func TestCutPackagesLinkedGroupMovesTogether(t *testing.T) {
	e := newMonoCutEnv(t, linkedConfig())
	e.r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	e.r.Git("push", "-q", "origin", "main")

	if _, err := e.release(e.opts(), "web"); !errors.Is(err, ErrPackagesUnsupported) || !strings.Contains(err.Error(), "--package ui") {
		t.Errorf("--package web alone: err = %v, want a refusal naming ui", err)
	}
	rep, err := e.release(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if got := releasedTags(rep); !slices.Equal(got, []string{"web-v1.1.0", "ui-v1.1.0"}) {
		t.Fatalf("released %v, want web-v1.1.0 and ui-v1.1.0", got)
	}
	log := e.r.Git("log", "-2", "--format=%s")
	if log != "chore(release): ui-v1.1.0 [skip ci]\nchore(release): web-v1.1.0 [skip ci]" {
		t.Errorf("release commits =\n%s", log)
	}
	for _, f := range []string{"web/CHANGELOG.md", "ui/CHANGELOG.md"} {
		if !strings.Contains(e.file(f), "1.1.0") {
			t.Errorf("%s has no 1.1.0 section:\n%s", f, e.file(f))
		}
	}
	var tags []string
	for _, rel := range e.fake.Releases("o", "r") {
		tags = append(tags, rel.TagName)
	}
	slices.Sort(tags)
	if !slices.Equal(tags, []string{"ui-v1.1.0", "web-v1.1.0"}) {
		t.Errorf("GitHub releases = %v", tags)
	}
	// Both are the tags' commits, each its package's release commit.
	if a, b := e.r.Git("rev-parse", "web-v1.1.0^{commit}"), e.r.Git("rev-parse", "ui-v1.1.0^{commit}"); a == b || b != e.r.Git("rev-parse", "HEAD") {
		t.Errorf("web-v1.1.0 at %s, ui-v1.1.0 at %s: want each at its own release commit", a, b)
	}
}

// TestCutPackagesResumesWithTheDecidedVersions fails the second package's
// push; the re-run releases it with the version the first run decided,
// though web's tag now exists (planning again could see a dependent's bump
// as released already and drop it), and ends in the state of an
// uninterrupted run.
func TestCutPackagesResumesWithTheDecidedVersions(t *testing.T) {
	e := newMonoCutEnv(t, monorepoConfig)
	e.r.CommitFile("ui/button.js", "x\n", "fix(ui): the button's colour")
	e.r.Git("push", "-q", "origin", "main")
	undo := hook(t, filepath.Join(e.origin, "hooks", "pre-receive"), "#!/bin/sh\nwhile read old new ref; do case $ref in refs/tags/ui-*) echo no ui tags >&2; exit 1;; esac; done\n")
	rep, err := e.release(e.opts())
	if err == nil || !strings.Contains(err.Error(), `package "ui"`) {
		t.Fatalf("err = %v, want ui's push to fail", err)
	}
	if got := releasedTags(rep); !slices.Equal(got, []string{"web-v1.0.1", "ui-v1.0.1"}) {
		t.Fatalf("first run released %v, want web-v1.0.1 (depends on ui) and ui-v1.0.1", got)
	}
	undo()
	rep, err = e.release(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if got := releasedTags(rep); !slices.Equal(got, []string{"web-v1.0.1", "ui-v1.0.1"}) {
		t.Fatalf("re-run released %v, want the same two", got)
	}
	for _, p := range rep.Packages {
		if !p.Plan.Resumed {
			t.Errorf("%s not resumed from its release commit", p.Package)
		}
	}
	if got := e.r.Git("ls-remote", "--tags", e.origin, "ui-v1.0.1"); got == "" {
		t.Error("ui-v1.0.1 not pushed by the re-run")
	}
	if n := len(e.fake.Releases("o", "r")); n != 2 {
		t.Errorf("%d GitHub releases, want 2", n)
	}
	if n := strings.Count(e.r.Git("log", "--format=%s"), "chore(release)"); n != 2 {
		t.Errorf("%d release commits, want 2", n)
	}
	before := e.state()
	if rep, err = e.release(e.opts()); err != nil || rep.Nothing == "" {
		t.Errorf("third run: %v; want nothing to release", err)
	}
	if e.state() != before {
		t.Error("third run changed the repository")
	}
}

// TestCutPackagesRefusesABadReleasePRBranch: a package named x.lock
// would get release PR branch shipflow/release-main-x.lock, which git
// refuses.
func TestCutPackagesRefusesABadReleasePRBranch(t *testing.T) {
	e := newMonoCutEnv(t, monorepoConfig+"  - name: x.lock\n    path: x\n")
	opts := e.opts()
	opts.Config.Mode, opts.Config.PRPerPackage = config.ReleaseModePR, true
	if _, err := e.release(opts); !errors.Is(err, ErrPackagesUnsupported) || !strings.Contains(err.Error(), "shipflow/release-main-x.lock") {
		t.Errorf("err = %v, want ErrPackagesUnsupported naming the branch", err)
	}
}

func TestCutPackagesDryRunChangesNothing(t *testing.T) {
	e := newMonoCutEnv(t, monorepoConfig)
	e.r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	before := e.state()
	opts := e.opts()
	opts.DryRun = true
	rep, err := e.release(opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := releasedTags(rep); !slices.Equal(got, []string{"tool-v0.3.1"}) {
		t.Errorf("dry run plans %v, want tool-v0.3.1", got)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "package tool: release tool-v0.3.1 (from tool-v0.3.0)") {
		t.Errorf("text =\n%s", b.String())
	}
	if e.state() != before {
		t.Error("a dry run changed the repository")
	}
}

// TestCutPackagesResumeKeepsADependentsBump fails ui's GitHub release
// after ui is tagged, when web (released only because it depends on ui)
// has its release commit below HEAD (tool's) but no tag yet: planning
// again would see ui released already and drop web's bump, and HEAD's
// release commit is tool's; the re-run finds web's in the stack of
// release commits and releases web-v1.0.1.
func TestCutPackagesResumeKeepsADependentsBump(t *testing.T) {
	cfg := "packages:\n  - name: ui\n    path: ui\n  - name: web\n    path: web\n  - name: tool\n    path: py\n"
	e := newMonoCutEnv(t, cfg)
	e.r.CommitFile("ui/button.js", "x\n", "fix(ui): the button's colour")
	e.r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	e.r.Git("push", "-q", "origin", "main")
	e.fake.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: 422})
	rep, err := e.release(e.opts())
	if err == nil || !strings.Contains(err.Error(), `package "ui"`) {
		t.Fatalf("err = %v, want ui's GitHub release to fail", err)
	}
	want := []string{"ui-v1.0.1", "web-v1.0.1", "tool-v0.3.1"}
	if got := releasedTags(rep); !slices.Equal(got, want) {
		t.Fatalf("first run released %v, want %v (web depends on ui)", got, want)
	}
	if e.r.Git("tag", "--list", "web-*") != "web-v1.0.0" {
		t.Fatal("web was tagged before ui's release failed: the test needs it untagged")
	}
	rep, err = e.release(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if got := releasedTags(rep); !slices.Equal(got, want) {
		t.Fatalf("re-run released %v, want %v as decided", got, want)
	}
	if got := e.r.Git("ls-remote", "--tags", e.origin, "web-v1.0.1"); got == "" {
		t.Error("web-v1.0.1 not pushed by the re-run")
	}
	if n := len(e.fake.Releases("o", "r")); n != 3 {
		t.Errorf("%d GitHub releases, want 3", n)
	}
}

// TestCutPackagesResumesFromTheRemote: a re-run at the commit the release
// was cut from (GitHub Actions re-runs a workflow at its original sha)
// finds the release commits on the remote branch and finishes them.
func TestCutPackagesResumesFromTheRemote(t *testing.T) {
	e := newMonoCutEnv(t, monorepoConfig)
	e.r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	e.r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	e.r.Git("push", "-q", "origin", "main")
	base := e.r.Head()
	e.fake.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: 422})
	if _, err := e.release(e.opts()); err == nil {
		t.Fatal("first run: want web's GitHub release to fail")
	}
	// The re-run's checkout: the original commit, without the tags.
	e.r.Git("reset", "-q", "--hard", base)
	e.r.Git("tag", "-d", "web-v1.1.0")
	rep, err := e.release(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if got := releasedTags(rep); !slices.Equal(got, []string{"web-v1.1.0", "tool-v0.3.1"}) {
		t.Fatalf("re-run released %v, want web-v1.1.0 and tool-v0.3.1", got)
	}
	if n := strings.Count(e.r.Git("log", "--format=%s"), "chore(release)"); n != 2 {
		t.Errorf("%d release commits, want 2", n)
	}
	if n := len(e.fake.Releases("o", "r")); n != 2 {
		t.Errorf("%d GitHub releases, want 2", n)
	}
	if got := e.r.Git("ls-remote", "--tags", e.origin, "tool-v0.3.1"); got == "" {
		t.Error("tool-v0.3.1 not on the remote")
	}
}
