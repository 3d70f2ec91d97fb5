package release

import (
	"context"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// previewMonorepoPR makes a pull request on the monorepo fixture: a
// breaking change in api/ and a fix in py/ on "feature", and a docs commit
// on main after the branch point. It returns main's and the PR's tips.
func previewMonorepoPR(r *gittest.Repo) (base, head string) {
	r.Branch("feature")
	r.CommitFile("api/api.go", "package api\n\nfunc New() {}\n", "feat(api)!: a new constructor\n\nBREAKING CHANGE: the old one is gone")
	r.CommitFile("py/tool.py", "print('x')\n", "fix(tool): print the right thing")
	head = r.Head()
	r.Checkout("main")
	r.CommitFile("README.md", "# mono\n", "docs: a readme")
	return r.Head(), head
}

// previewMonorepo previews merging head into main at base with a plain
// merge commit (each commit of the pull request counts).
func previewMonorepo(t *testing.T, r *gittest.Repo, pkgs []config.Package, base, head string) *ReleasePreview {
	t.Helper()
	ctx := context.Background()
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := PreviewRelease(ctx, repo, PreviewOptions{
		Base: "main", BaseSHA: base, HeadSHA: head, Now: previewClock,
		Packages: pkgs, BumpDependents: true,
		Changelog: config.Changelog{RepositoryURL: "https://github.com/o/mono"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return pv
}

// TestPreviewPackages: in a monorepo the preview lists each package the
// merge releases, with its version, why and its changelog section, from
// one `git log` whatever the number of packages.
func TestPreviewPackages(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	base, head := previewMonorepoPR(r)
	pv := previewMonorepo(t, r, pkgs, base, head)
	if pv.Nothing != "" || len(pv.Packages) != 2 {
		t.Fatalf("preview: nothing %q, %d packages %+v; want api and tool", pv.Nothing, len(pv.Packages), pv.Packages)
	}
	api, tool := pv.Packages[0], pv.Packages[1]
	if api.Name != "api" || api.Tag != "api/v2.0.0" || api.Bump != "major" || api.PreviousTag != "api/v1.0.0" || api.DecidedBy != "feat(api)!: a new constructor" {
		t.Errorf("api = %+v, want api/v2.0.0, major after api/v1.0.0, decided by the breaking commit", api)
	}
	if tool.Name != "tool" || tool.Tag != "tool-v0.3.1" || tool.Bump != "patch" || len(tool.VersionFiles) != 1 || tool.VersionFiles[0].Path != "py/pyproject.toml" {
		t.Errorf("tool = %+v, want tool-v0.3.1, patch, py/pyproject.toml", tool)
	}
	if !strings.Contains(api.Notes, "a new constructor") || strings.Contains(api.Notes, "print the right thing") ||
		!strings.Contains(tool.Notes, "print the right thing") || strings.Contains(tool.Notes, "constructor") {
		t.Errorf("notes hold other packages' commits:\napi:\n%s\ntool:\n%s", api.Notes, tool.Notes)
	}
	if !strings.Contains(api.Heading, "2.0.0") || !strings.Contains(api.Heading, "api/v1.0.0...api/v2.0.0") || !strings.HasPrefix(api.Heading, "#") {
		t.Errorf("api heading %q, want the section's heading comparing api/v1.0.0...api/v2.0.0", api.Heading)
	}
	if len(pv.Warnings) != 1 || !strings.HasPrefix(pv.Warnings[0], "package api: api/v2.0.0 is a major version of Go module") {
		t.Errorf("warnings %q, want api's go.mod warning, named", pv.Warnings)
	}
	md := RenderPreviewMarkdown(pv)
	for _, want := range []string{
		"**Merging this pull request releases 2 packages**",
		"- **api** `api/v2.0.0` (major: `feat(api)!: a new constructor`), after api/v1.0.0\n",
		"- **tool** `tool-v0.3.1` (patch: `fix(tool): print the right thing`), after tool-v0.3.0\n",
		"<details><summary>api: 2.0.0 (2026-01-02)</summary>",
		"- `py/pyproject.toml:3` (`project.version`): `0.3.0` → `0.3.1`",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if line := pv.PreviewLine(); line != "merging releases api/v2.0.0, tool-v0.3.1" {
		t.Errorf("PreviewLine = %q", line)
	}
}

// TestPreviewPackagesOnePass: the preview's git runs do not grow with
// the number of packages.
func TestPreviewPackagesOnePass(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	base, head := previewMonorepoPR(r)
	few := gitRuns(t, func() { previewMonorepo(t, r, pkgs[:2], base, head) })
	all := gitRuns(t, func() { previewMonorepo(t, r, pkgs, base, head) })
	if few["log"] != 1 || all["log"] != 1 {
		t.Errorf("git log runs: %d for 2 packages, %d for 5; want one", few["log"], all["log"])
	}
	total := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	if total(all) != total(few) {
		t.Errorf("git runs: %v for 2 packages, %v for 5; want as many", few, all)
	}
}

// TestPreviewPackagesNothing: a pull request no package releases from.
func TestPreviewPackagesNothing(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.Branch("feature")
	head := r.CommitFile("web/README.md", "x\n", "docs(web): explain")
	r.Checkout("main")
	base := r.CommitFile("README.md", "# mono\n", "docs: a readme")
	pv := previewMonorepo(t, r, pkgs, base, head)
	if len(pv.Packages) != 0 || !strings.HasPrefix(pv.Nothing, "no package releases") {
		t.Errorf("preview = %+v, want no package released, with why", pv)
	}
	if md := RenderPreviewMarkdown(pv); !strings.HasPrefix(md, "**No release**: no package releases") {
		t.Errorf("markdown:\n%s", md)
	}
}

// TestPRPreviewPackages: `shipflow pr` with packages: in .shipflow.yaml
// (ResolvePR) previews every package the merge releases.
func TestPRPreviewPackages(t *testing.T) {
	r, _ := newMonorepo(t, monorepoConfig)
	base, head := previewMonorepoPR(r)
	cfg, err := config.Parse(config.FileName, []byte(monorepoConfig))
	if err != nil {
		t.Fatal(err)
	}
	opt, err := ResolvePR(MapInputs{}, cfg, CI{})
	if err != nil {
		t.Fatal(err)
	}
	opt.BaseSHA, opt.HeadSHA, opt.Base, opt.Head, opt.Title, opt.Now = base, head, "main", "feature", "feat(api)!: a new constructor", previewClock
	opt.Lint = commitlint.ConventionalConfig()
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := PR(context.Background(), repo, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Preview == nil || len(rep.Preview.Packages) != 2 {
		t.Fatalf("preview %+v, notes %q; want api's and tool's releases", rep.Preview, rep.Notes)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "merging releases api/v2.0.0, tool-v0.") {
		t.Errorf("text lacks the packages' releases:\n%s", b.String())
	}
}
