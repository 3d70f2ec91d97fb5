package release

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// previewClock is the date both the preview and the release use.
var previewClock = func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }

// previewPR makes, on e's repository, a version file on main, a pull
// request branch "feature" with a feat and a fix, and one more commit on
// main after the branch point (so the merge is a real merge), pushed to
// origin. It leaves the work tree on the PR's head, as a PR check's
// checkout, and returns main's and the PR's tips.
func previewPR(e *cutEnv) (base, head string) {
	r := e.r
	r.CommitFile("package.json", "{\n  \"name\": \"m\",\n  \"version\": \"1.0.0\"\n}\n", "chore: add package.json")
	r.Branch("feature")
	r.CommitFile("search.go", "package m\n", "feat(api): add search")
	r.Commit("fix(api): search @octocat's repos too")
	head = r.Head()
	r.Checkout("main")
	r.CommitFile("README.md", "# m\n", "docs: a readme")
	base = r.Head()
	r.Git("push", "-q", "origin", "main")
	r.Checkout("feature")
	return base, head
}

// previewLand lands the PR on main as GitHub does, on its side: the tree
// of merging head into base (git merge-tree), committed with message and
// parents by the process's git (pinned identity and dates, as the
// preview's commit is), then pushed; the work tree is left on main, clean.
func previewLand(t *testing.T, e *cutEnv, base, head, message string, squash bool) string {
	t.Helper()
	ctx := context.Background()
	repo, err := git.Open(ctx, e.r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := repo.Run(ctx, "merge-tree", "--write-tree", base, head)
	if err != nil {
		t.Fatal(err)
	}
	tree := strings.Fields(string(out))[0]
	args := []string{"commit-tree", "-p", base}
	if !squash {
		args = append(args, "-p", head)
	}
	out, err = repo.Run(ctx, append(args, "-m", message, tree)...)
	if err != nil {
		t.Fatal(err)
	}
	merged := strings.TrimSpace(string(out))
	e.r.Checkout("main")
	e.r.Git("merge", "-q", "--ff-only", merged)
	e.r.Git("push", "-q", "origin", "main")
	return merged
}

// TestPreviewMatchesRelease is the check: the preview of merging
// a pull request says what `shipflow release` then does once it is
// merged, for a merge commit and for a squash with the predicted message.
func TestPreviewMatchesRelease(t *testing.T) {
	cases := []struct {
		name, squash, merge string
		wantBump            string
		wantReason          string
	}{
		{name: "merge", merge: "Merge pull request #7 from o/feature\n\nfeat(api): add search", wantBump: "minor", wantReason: "minor: `feat(api): add search`"},
		{name: "squash", squash: "feat(api): add search (#7)\n\n* fix(api): search @octocat's repos too", wantBump: "minor", wantReason: "minor: `feat(api): add search (#7)`"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newCutEnv(t)
			base, head := previewPR(e)
			ctx := context.Background()
			repo, err := git.Open(ctx, e.r.Dir)
			if err != nil {
				t.Fatal(err)
			}
			opts := e.opts()
			opts.Now = previewClock
			opts.Changelog = config.Changelog{RepositoryURL: "https://github.com/o/r"}
			before := e.r.Git("count-objects", "-v")
			pv, err := PreviewRelease(ctx, repo, PreviewOptions{
				Plan: opts.Plan, Changelog: opts.Changelog, Image: config.Image{Repository: "ghcr.io/o/r"},
				Base: "main", BaseSHA: base, HeadSHA: head, Squash: c.squash, MergeMessage: c.merge, Now: previewClock,
			})
			if err != nil {
				t.Fatal(err)
			}
			if after := e.r.Git("count-objects", "-v"); after != before {
				t.Errorf("the preview wrote objects into .git:\n%s\nwas\n%s", after, before)
			}
			if pv.Nothing != "" || pv.Bump != c.wantBump || pv.Reason != c.wantReason {
				t.Errorf("preview: nothing %q, bump %q, reason %q; want bump %q, reason %q", pv.Nothing, pv.Bump, pv.Reason, c.wantBump, c.wantReason)
			}

			msg := c.merge
			if c.squash != "" {
				msg = c.squash
			}
			previewLand(t, e, base, head, msg, c.squash != "")
			rep, err := e.cut(opts)
			if err != nil {
				t.Fatal(err)
			}
			p := rep.Plan
			if p == nil {
				t.Fatalf("nothing released: %s", rep.Nothing)
			}
			var files []PreviewVersionFile
			for _, f := range p.VersionFiles {
				files = append(files, PreviewVersionFile{Path: f.Path, Line: f.Line, Key: f.Key, From: f.Value, To: p.Version})
			}
			got := []any{pv.Tag, pv.Version, pv.PreviousTag, pv.Prerelease, pv.Latest, pv.VersionFiles, pv.Notes}
			want := []any{p.Tag, p.Version, p.PreviousTag, p.Prerelease, p.Latest, files, p.Notes}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("preview differs from the release (-release +preview):\n%s", diff)
			}
			doc, err := os.ReadFile(filepath.Join(e.r.Dir, "CHANGELOG.md"))
			if err != nil || !strings.Contains(string(doc), pv.Notes) {
				t.Errorf("CHANGELOG.md does not hold the previewed section (%v):\n%s", err, doc)
			}
			if len(files) == 0 {
				t.Error("the release bumped no version file: the case tests nothing there")
			}
			if diff := cmp.Diff([]string{"1.1.0", "1.1", "1", "latest"}, pv.ImageTags); diff != "" {
				t.Errorf("image tags (-want +got):\n%s", diff)
			}
		})
	}
}

// previewRepo is a repository at v1.0.0 with a pull request branch whose
// commits are msgs; it returns the repository, main's tip and the PR's.
func previewRepo(t *testing.T, msgs ...string) (*git.Repo, *gittest.Repo, string, string) {
	t.Helper()
	r := gittest.New(t)
	r.CommitFile("go.mod", "module example.com/m\n", "feat: first")
	r.AnnotatedTag("v1.0.0", "v1.0.0")
	base := r.Head()
	r.Branch("feature")
	for _, m := range msgs {
		r.Commit(m)
	}
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	return repo, r, base, r.Head()
}

func TestPreviewSquashMessageDecides(t *testing.T) {
	cases := []struct {
		name    string
		commits []string
		squash  string
		merge   string
		bump    string
		reason  string
		nothing string
	}{
		{name: "merge counts the commits", commits: []string{"feat: a", "docs: b"}, bump: "minor", reason: "minor: `feat: a`"},
		{name: "squash of a docs title drops the feat", commits: []string{"feat: a", "wip"}, squash: "docs: explain a (#3)", nothing: "no releasable commit since v1.0.0 (docs)"},
		{name: "squash of a fix title", commits: []string{"docs: a", "oops"}, squash: "fix: a (#3)", bump: "patch", reason: "patch: `fix: a (#3)`"},
		{name: "docs only", commits: []string{"docs: a", "ci: b"}, nothing: "no releasable commit since v1.0.0 (ci, docs)"},
		{name: "the highest bump decides", commits: []string{"fix: x", "feat(ui): y", "fix: z"}, bump: "minor", reason: "minor: `feat(ui): y`"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo, _, base, head := previewRepo(t, c.commits...)
			pv, err := PreviewRelease(context.Background(), repo, PreviewOptions{Base: "main", BaseSHA: base, HeadSHA: head, Squash: c.squash, MergeMessage: c.merge, Now: previewClock})
			if err != nil {
				t.Fatal(err)
			}
			got := []string{pv.Bump, pv.Reason, pv.Nothing}
			if diff := cmp.Diff([]string{c.bump, c.reason, c.nothing}, got); diff != "" {
				t.Errorf("bump, reason, nothing (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPreviewLeavesNothingBehind: the predicted merge's objects live in a
// temporary directory, removed when the preview returns.
func TestPreviewLeavesNothingBehind(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	repo, r, base, head := previewRepo(t, "feat: a")
	before := r.Git("count-objects", "-v")
	if _, err := PreviewRelease(context.Background(), repo, PreviewOptions{Base: "main", BaseSHA: base, HeadSHA: head, Squash: "feat: a (#1)"}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left in TMPDIR: %v", entries)
	}
	if after := r.Git("count-objects", "-v"); after != before {
		t.Errorf(".git objects changed:\n%s\nwas\n%s", after, before)
	}
}

func TestPreviewWarnsGoModuleV2(t *testing.T) {
	repo, _, base, head := previewRepo(t, "feat!: new API")
	pv, err := PreviewRelease(context.Background(), repo, PreviewOptions{Base: "main", BaseSHA: base, HeadSHA: head, Now: previewClock})
	if err != nil {
		t.Fatal(err)
	}
	if pv.Version != "2.0.0" || len(pv.Warnings) == 0 || !strings.Contains(strings.Join(pv.Warnings, "\n"), `must then end in "/v2"`) {
		t.Errorf("version %s, warnings %q", pv.Version, pv.Warnings)
	}
}

func TestPreviewNotLatestBelowAHigherVersion(t *testing.T) {
	r := gittest.New(t)
	r.Commit("feat: first")
	r.AnnotatedTag("v1.0.0", "v1.0.0")
	base := r.Head()
	r.Branch("next")
	r.CommitFile("two.txt", "2\n", "feat!: two")
	r.AnnotatedTag("v2.0.0", "v2.0.0")
	r.Checkout("main")
	r.Branch("feature")
	head := r.Commit("fix: a backport")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	// A maintenance line (release/*): main would move past v2.0.0.
	pv, err := PreviewRelease(context.Background(), repo, PreviewOptions{Base: "release/1.x", BaseSHA: base, HeadSHA: head, Image: config.Image{Repository: "ghcr.io/o/r"}, Now: previewClock})
	if err != nil {
		t.Fatal(err)
	}
	if pv.Tag != "v1.0.1" || pv.Latest || pv.Prerelease {
		t.Errorf("tag %s latest %v prerelease %v", pv.Tag, pv.Latest, pv.Prerelease)
	}
	if diff := cmp.Diff([]string{"1.0.1", "1.0", "1"}, pv.ImageTags); diff != "" {
		t.Errorf("image tags (-want +got):\n%s", diff)
	}
}

func TestPreviewConflict(t *testing.T) {
	r := gittest.New(t)
	r.CommitFile("a.txt", "a\n", "feat: first")
	r.AnnotatedTag("v1.0.0", "v1.0.0")
	r.Branch("feature")
	head := r.CommitFile("a.txt", "b\n", "feat: b")
	r.Checkout("main")
	base := r.CommitFile("a.txt", "c\n", "fix: c")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := PreviewRelease(context.Background(), repo, PreviewOptions{Base: "main", BaseSHA: base, HeadSHA: head, Now: previewClock})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pv.Nothing, "conflicts with main") {
		t.Errorf("nothing = %q", pv.Nothing)
	}
}

func TestPreviewOptionsValidate(t *testing.T) {
	repo, _, base, head := previewRepo(t, "feat: a")
	for _, o := range []PreviewOptions{
		{BaseSHA: base, HeadSHA: head},
		{Base: "main", HeadSHA: head},
		{Base: "main", BaseSHA: base},
		{Base: "main", BaseSHA: "-x", HeadSHA: head},
	} {
		if _, err := PreviewRelease(context.Background(), repo, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestRenderPreviewMarkdown(t *testing.T) {
	evil := "feat: <img src=x> @octocat `x` </details> | **b**"
	cases := []struct {
		name string
		pv   ReleasePreview
	}{
		{"release", ReleasePreview{
			Version: "1.4.0", Tag: "v1.4.0", PreviousTag: "v1.3.2", Bump: "minor", DecidedBy: "feat(api): add search",
			Reason: "minor: `feat(api): add search`", Latest: true,
			Notes:        "## [1.4.0](https://github.com/o/r/compare/v1.3.2...v1.4.0) (2026-01-02)\n\n### Features\n\n* **api:** add search ([abc1234](https://github.com/o/r/commit/abc1234))\n",
			VersionFiles: []PreviewVersionFile{{Path: "package.json", Line: 3, Key: "version", From: "1.3.2", To: "1.4.0"}},
			ImageTags:    []string{"1.4.0", "1.4", "1", "latest"},
		}},
		{"prerelease", ReleasePreview{
			Version: "1.4.0-dev.1", Tag: "v1.4.0-dev.1", PreviousTag: "v1.3.2", Bump: "minor", DecidedBy: "feat: x", Reason: "minor: `feat: x`", Prerelease: true,
			Notes: "## 1.4.0-dev.1 (2026-01-02)\n", Warnings: []string{"version file go.mod:1:1 has x"},
		}},
		{"nothing", ReleasePreview{Nothing: "no releasable commit since v1.3.2 (docs, ci)", PreviousTag: "v1.3.2"}},
		{"untrusted", ReleasePreview{
			Version: "1.4.0", Tag: "v1.4.0", Bump: "minor", DecidedBy: evil, Reason: "minor: `" + evil + "`",
			Notes:        "## 1.4.0 (2026-01-02)\n\n* " + evil + "\n```\n````\n",
			VersionFiles: []PreviewVersionFile{{Path: "a`b|<c>.json", Line: 1, Key: "@x", From: "<1>", To: "1.4.0"}},
			Warnings:     []string{"warning @octocat <b>"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", "preview", c.name+".golden"), RenderPreviewMarkdown(&c.pv))
		})
	}
}

func TestRenderPreviewMarkdownIsSafe(t *testing.T) {
	evil := "feat: </details><img src=x> @octocat ```` ~~~"
	out := RenderPreviewMarkdown(&ReleasePreview{Version: "1.0.0", Tag: "v1.0.0", Bump: "minor", DecidedBy: evil,
		Notes: "* " + evil + "\n" + strings.Repeat("x", previewMaxNotes+10), Warnings: []string{evil}})
	// The notes are a fenced code block, verbatim: GitHub renders no HTML
	// and pings no one there. Outside it nothing untrusted is live.
	open := strings.Index(out, "\n`````markdown\n")
	closing := strings.Index(out, "\n`````\n")
	if open < 0 || closing < open {
		t.Fatalf("no fence of five backticks around the notes:\n%s", out)
	}
	// Code spans are literal too: drop them.
	outside := regexp.MustCompile("`[^`\n]*`").ReplaceAllString(out[:open]+out[closing:], "")
	for _, bad := range []string{"<img", "@octocat", "</details><"} {
		if strings.Contains(outside, bad) {
			t.Errorf("rendered Markdown holds %q outside the notes' fence:\n%s", bad, outside)
		}
	}
	if n := strings.Count(outside, "</details>"); n != 1 {
		t.Errorf("%d </details> outside the fence in:\n%s", n, outside)
	}
	if !strings.Contains(out, "cut to fit") || len(out) > previewMaxNotes+2000 {
		t.Errorf("rendered Markdown is %d bytes, not cut", len(out))
	}
}
