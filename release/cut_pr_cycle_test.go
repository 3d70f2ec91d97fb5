package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// prCycle is a repository whose main refuses direct pushes, with real
// parts: the remote is a bare repository whose pre-receive hook refuses
// pushes to main, and the GitHub stand-in serves that same repository (its
// commits, branches and merges are real git objects there), with a
// ruleset requiring pull requests.
type prCycle struct {
	*cutEnv
	opts CutOptions
}

func newPRCycle(t *testing.T) *prCycle {
	t.Helper()
	e := newCutEnv(t)
	e.r.CommitFile("pyproject.toml", "[project]\nname = \"app\"\nversion = \"1.0.0\"\n", "build: add pyproject")
	e.r.CommitFile("package.json", "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\"\n}\n", "build: add package.json")
	e.r.CommitFile(".gitignore", "dist/\n", "chore: ignore dist")
	e.r.Git("push", "-q", "origin", "main")
	hook := filepath.Join(e.origin, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then echo \"main is protected: open a pull request\" >&2; exit 1; fi\ndone\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e.fake.BackWithGit("o", "r", e.origin)
	e.fake.AddRule("o", "r", "main", githubfake.Rule{Type: "pull_request", RulesetID: 1})
	if err := os.MkdirAll(filepath.Join(e.r.Dir, "dist"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.r.Dir, "dist", "app.tar.gz"), []byte("app bits"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.r.Git("checkout", "-q", "-b", "direct")
	e.r.Commit("chore: straight to main")
	if _, err := e.r.TryGit("push", "origin", "direct:main"); err == nil {
		t.Fatal("the remote accepted a direct push to main; the test needs it refused")
	}
	e.r.Git("checkout", "-q", "main")
	e.r.Git("branch", "-q", "-D", "direct")

	opts := e.prOpts()
	opts.Assets = []string{"dist/*.tar.gz"}
	return &prCycle{cutEnv: e, opts: opts}
}

// land merges a feature branch through a pull request, as main's ruleset
// requires, and pulls main.
func (e *prCycle) land(branch, msg string) {
	e.t.Helper()
	e.r.Git("checkout", "-q", "-b", branch)
	e.r.Commit(msg)
	e.r.Git("push", "-q", "origin", branch)
	pr, err := e.gh.CreatePullRequest(context.Background(), "o", "r", github.NewPullRequest{Title: msg, Head: branch, Base: "main"})
	if err != nil {
		e.t.Fatal(err)
	}
	e.fake.MergePull("o", "r", pr.Number)
	e.r.Git("checkout", "-q", "main")
	e.r.Git("pull", "-q", "--ff-only", "origin", "main")
}

// TestCutPRWholeCycle is the release PR cycle on a prCycle repository: a
// feature lands through a merged PR and opens the release PR (version,
// changelog section, bumped pyproject.toml and package.json); a second one
// updates it; merging it makes the tag, the GitHub release (latest, not a
// prerelease) and its assets; re-running changes nothing.
func TestCutPRWholeCycle(t *testing.T) {
	e := newPRCycle(t)
	opts, land := e.opts, e.land
	land("feat/search", "feat: add search")
	rep, err := e.cutPR(opts)
	if err != nil {
		t.Fatal(err)
	}
	if rp := rep.ReleasePR; rp == nil || rp.Action != "opened" || rep.Plan.Tag != "v1.1.0" {
		t.Fatalf("release PR = %+v, plan %s; want one opened for v1.1.0", rp, rep.Plan.Tag)
	}
	number := rep.ReleasePR.Number
	show := func(rev, path string) string {
		out, _ := e.r.TryGit("--git-dir", e.origin, "show", rev+":"+path)
		return out
	}
	if got := show("shipflow/release-main", "pyproject.toml"); !strings.Contains(got, `version = "1.1.0"`) {
		t.Errorf("pyproject.toml on the release branch = %q", got)
	}
	if got := show("shipflow/release-main", "package.json"); !strings.Contains(got, `"version": "1.1.0"`) {
		t.Errorf("package.json on the release branch = %q", got)
	}
	if got := show("shipflow/release-main", "CHANGELOG.md"); !strings.Contains(got, "add search") {
		t.Errorf("CHANGELOG.md on the release branch = %q", got)
	}

	land("fix/empty", "fix: handle empty queries")
	rep, err = e.cutPR(opts)
	if err != nil {
		t.Fatal(err)
	}
	if rp := rep.ReleasePR; rp.Action != "updated" || rp.Number != number {
		t.Fatalf("after a second commit: release PR = %+v, want #%d updated", rp, number)
	}
	if got := show("shipflow/release-main", "CHANGELOG.md"); !strings.Contains(got, "handle empty queries") {
		t.Errorf("CHANGELOG.md on the release branch after the fix = %q", got)
	}
	if rels := e.fake.Releases("o", "r"); len(rels) != 0 {
		t.Errorf("releases before the merge = %+v, want none", rels)
	}

	// The release PR is merged; the push of main runs the release again.
	merge := e.fake.MergePull("o", "r", number)
	e.r.Git("pull", "-q", "--ff-only", "origin", "main")
	if e.r.Head() != merge {
		t.Fatalf("main = %s after pulling, want the merge %s", e.r.Head(), merge)
	}
	rep, err = e.cutPR(opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stepsRun(rep), []string{"preflight", "tag", "push", "github-release", "floating-tag", "release-pr-tagged"}; !cmp.Equal(got, want) {
		t.Errorf("steps run after the merge = %v, want %v", got, want)
	}
	if rp := rep.ReleasePR; rp == nil || rp.Action != "released" || rp.Number != number || rp.MergeCommit != merge {
		t.Errorf("release PR = %+v, want #%d released from %s", rp, number, merge)
	}
	if got := e.r.Git("ls-remote", e.origin, "refs/tags/v1.1.0^{}"); !strings.HasPrefix(got, merge) {
		t.Errorf("v1.1.0 on the remote = %q, want the merge %s", got, merge)
	}
	rels := e.fake.Releases("o", "r")
	if len(rels) != 1 || rels[0].TagName != "v1.1.0" || rels[0].Draft || rels[0].Prerelease || !strings.Contains(rels[0].Body, "add search") || !strings.Contains(rels[0].Body, "handle empty queries") {
		t.Fatalf("releases = %+v, want v1.1.0 published with both changes", rels)
	}
	if latest, ok := e.fake.Latest("o", "r"); !ok || latest.TagName != "v1.1.0" {
		t.Errorf("latest release = %+v, %v; want v1.1.0", latest, ok)
	}
	if as := e.fake.Assets("o", "r", rels[0].ID); len(as) != 2 || as[0].Name != "app.tar.gz" || as[1].Name != "checksums.txt" {
		t.Errorf("assets = %+v, want app.tar.gz and checksums.txt", as)
	}
	prs := e.fake.PullRequests("o", "r")
	var released githubfake.PullRequest
	for _, p := range prs {
		if p.Number == number {
			released = p
		}
	}
	if !cmp.Equal(released.Labels, []string{"autorelease: tagged"}) {
		t.Errorf("release PR labels = %v, want autorelease: tagged", released.Labels)
	}

	// Re-running changes nothing: the merge is released, nothing is left.
	before := e.state()
	w0 := len(writes(e.fake))
	rep, err = e.cutPR(opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Nothing == "" || rep.ReleasePR != nil {
		t.Errorf("re-run: nothing = %q, release PR = %+v; want nothing to release", rep.Nothing, rep.ReleasePR)
	}
	if diff := cmp.Diff(before, e.state()); diff != "" {
		t.Errorf("re-run changed the state:\n%s", diff)
	}
	if w := writes(e.fake)[w0:]; len(w) != 0 {
		t.Errorf("re-run wrote %v", w)
	}
}

// TestCutPRSquashMergeResumes: a release PR squash-merged is released from
// the squash commit; a GitHub failure half-way is resumed by the next run,
// which makes one release, not two.
func TestCutPRSquashMergeResumes(t *testing.T) {
	ctx := context.Background()
	e := newPRCycle(t)
	e.land("feat/search", "feat: add search")
	rep, err := e.cutPR(e.opts)
	if err != nil {
		t.Fatal(err)
	}
	number := rep.ReleasePR.Number
	squash, err := e.gh.MergePullRequest(ctx, "o", "r", number, github.MergeOptions{Method: "squash"})
	if err != nil {
		t.Fatal(err)
	}
	e.r.Git("pull", "-q", "--ff-only", "origin", "main")

	e.fake.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: 500})
	_, err = e.cutPR(e.opts)
	var ce *CutError
	if !errors.As(err, &ce) || ce.Step != "github-release" {
		t.Fatalf("error = %v, want the github-release step failing", err)
	}
	rep, err = e.cutPR(e.opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stepsRun(rep), []string{"preflight", "github-release", "floating-tag", "release-pr-tagged"}; !cmp.Equal(got, want) {
		t.Errorf("steps run on the re-run = %v, want %v", got, want)
	}
	if got := e.r.Git("ls-remote", e.origin, "refs/tags/v1.1.0^{}"); !strings.HasPrefix(got, squash) {
		t.Errorf("v1.1.0 on the remote = %q, want the squash commit %s", got, squash)
	}
	if rels := e.fake.Releases("o", "r"); len(rels) != 1 || rels[0].TagName != "v1.1.0" || rels[0].Draft {
		t.Errorf("releases = %+v, want one published v1.1.0", rels)
	}
}
