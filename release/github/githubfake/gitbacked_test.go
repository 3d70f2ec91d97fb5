package githubfake_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// git runs git in dir (a work tree, or a bare repository's directory) with
// a fixed identity and clock, and returns its trimmed output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := gitErr(t, dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func gitErr(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+t.TempDir(),
		"GIT_AUTHOR_NAME=dev", "GIT_AUTHOR_EMAIL=dev@example.com", "GIT_AUTHOR_DATE=@1767322800 +0000",
		"GIT_COMMITTER_NAME=dev", "GIT_COMMITTER_EMAIL=dev@example.com", "GIT_COMMITTER_DATE=@1767322800 +0000",
	)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// gitBackedRepo makes a bare repository and a clone of it in t.TempDir(),
// with main pushed, and a fake whose o/r is backed by the bare repository.
func gitBackedRepo(t *testing.T) (f *githubfake.Server, c *github.Client, bare, work string) {
	t.Helper()
	dir := t.TempDir()
	bare, work = filepath.Join(dir, "remote.git"), filepath.Join(dir, "work")
	git(t, dir, "init", "-q", "--bare", "-b", "main", bare)
	git(t, dir, "init", "-q", "-b", "main", work)
	writeFile(t, filepath.Join(work, "pyproject.toml"), "[project]\nversion = \"0.1.0\"\n")
	writeFile(t, filepath.Join(work, "README.md"), "hi\n")
	git(t, work, "add", ".")
	git(t, work, "commit", "-q", "-m", "feat: first")
	git(t, work, "remote", "add", "origin", bare)
	git(t, work, "push", "-q", "origin", "main")

	f = githubfake.New(t)
	f.AddRepo("o", "r", githubfake.Permissions{Push: true, Pull: true})
	f.BackWithGit("o", "r", bare)
	c, err := github.New("t0ken", github.WithBaseURL(f.URL))
	if err != nil {
		t.Fatal(err)
	}
	return f, c, bare, work
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGitBackedReleasePRCycle: commits, branches and merges made through
// the API are real objects and refs of the bare repository a clone pushes
// to and fetches from.
func TestGitBackedReleasePRCycle(t *testing.T) {
	ctx := context.Background()
	f, c, bare, work := gitBackedRepo(t)
	tip := git(t, work, "rev-parse", "HEAD")

	got, ok, err := c.GetRef(ctx, "o", "r", "heads/main")
	if err != nil || !ok || got != tip {
		t.Fatalf("GetRef(heads/main) = %q, %v, %v; want the pushed %s", got, ok, err, tip)
	}

	rc, err := c.CreateCommitFromTree(ctx, "o", "r", tip, []github.TreeFile{
		{Path: "pyproject.toml", Content: "[project]\nversion = \"0.2.0\"\n"},
		{Path: "CHANGELOG.md", Content: "## 0.2.0\n"},
		{Path: "docs/notes/0.2.0.txt", Content: "notes\n"},
	}, "chore(release): 0.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if typ := git(t, bare, "cat-file", "-t", rc.SHA); typ != "commit" {
		t.Fatalf("release commit %s in the bare repository: type %q", rc.SHA, typ)
	}
	for path, want := range map[string]string{
		"pyproject.toml": "[project]\nversion = \"0.2.0\"", "CHANGELOG.md": "## 0.2.0",
		"docs/notes/0.2.0.txt": "notes", "README.md": "hi",
	} {
		if got := git(t, bare, "show", rc.SHA+":"+path); got != want {
			t.Errorf("%s in the release commit = %q, want %q", path, got, want)
		}
	}
	if got := git(t, bare, "rev-parse", rc.SHA+"^@"); got != tip {
		t.Errorf("release commit's parents = %q, want %s", got, tip)
	}
	if got := git(t, bare, "rev-parse", rc.SHA+"^{tree}"); got != rc.Tree {
		t.Errorf("release commit's tree = %s, API said %s", got, rc.Tree)
	}
	if !rc.Verified || rc.Message != "chore(release): 0.2.0" {
		t.Errorf("release commit: verified %v, message %q", rc.Verified, rc.Message)
	}
	if read, err := c.GetCommit(ctx, "o", "r", rc.SHA); err != nil || read.Tree != rc.Tree || !slices.Equal(read.Parents, []string{tip}) || !read.Verified {
		t.Errorf("GetCommit(release commit) = %+v, %v", read, err)
	}
	if files := f.Files("o", "r", rc.SHA); files["docs/notes/0.2.0.txt"] != "notes\n" || files["README.md"] != "hi\n" {
		t.Errorf("Files(release commit) = %q", files)
	}

	created, err := c.SetBranch(ctx, "o", "r", "shipflow/release-main", rc.SHA, true)
	if err != nil || !created {
		t.Fatalf("SetBranch = %v, %v; want created", created, err)
	}
	if got := git(t, bare, "rev-parse", "refs/heads/shipflow/release-main"); got != rc.SHA {
		t.Fatalf("bare repository's shipflow/release-main = %s, want %s", got, rc.SHA)
	}
	pr, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "chore(release): 0.2.0", Head: "shipflow/release-main", Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if pr.HeadSHA != rc.SHA {
		t.Errorf("pull request's head sha = %s, want %s", pr.HeadSHA, rc.SHA)
	}

	// A second commit lands on main by a push; the release commit is made
	// again on it and the branch forced there.
	writeFile(t, filepath.Join(work, "src", "app.py"), "print('hi')\n")
	git(t, work, "add", ".")
	git(t, work, "commit", "-q", "-m", "fix: greet")
	git(t, work, "push", "-q", "origin", "main")
	tip2 := git(t, work, "rev-parse", "HEAD")
	rc2, err := c.CreateCommitFromTree(ctx, "o", "r", tip2, []github.TreeFile{
		{Path: "pyproject.toml", Content: "[project]\nversion = \"0.2.0\"\n"},
		{Path: "CHANGELOG.md", Content: "## 0.2.0\n\n- greet\n"},
	}, "chore(release): 0.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateRef(ctx, "o", "r", "heads/shipflow/release-main", rc2.SHA, false); err == nil || !strings.Contains(err.Error(), "not a fast forward") {
		t.Errorf("UpdateRef not forced to a commit off the branch: %v, want 'not a fast forward'", err)
	}
	if _, err := c.SetBranch(ctx, "o", "r", "shipflow/release-main", rc2.SHA, true); err != nil {
		t.Fatal(err)
	}
	if got := git(t, bare, "rev-parse", "refs/heads/shipflow/release-main"); got != rc2.SHA {
		t.Fatalf("bare repository's shipflow/release-main = %s, want %s", got, rc2.SHA)
	}
	if p, err := c.GetPullRequest(ctx, "o", "r", pr.Number); err != nil || p.HeadSHA != rc2.SHA {
		t.Errorf("pull request after the force update: %+v, %v; want head %s", p, err, rc2.SHA)
	}

	// main refuses pushes; the merge on "github.com" still lands.
	writeFile(t, filepath.Join(bare, "hooks", "pre-receive"), "#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then echo 'main is protected' >&2; exit 1; fi\ndone\n")
	if err := os.Chmod(filepath.Join(bare, "hooks", "pre-receive"), 0o755); err != nil {
		t.Fatal(err)
	}
	merge := f.MergePull("o", "r", pr.Number)
	if got := git(t, bare, "rev-parse", "refs/heads/main"); got != merge {
		t.Fatalf("bare repository's main = %s, want the merge commit %s", got, merge)
	}
	if got := git(t, bare, "rev-parse", merge+"^@"); got != tip2+"\n"+rc2.SHA {
		t.Errorf("merge commit's parents = %q, want main's tip and the pull request's head", got)
	}
	if p, err := c.GetPullRequest(ctx, "o", "r", pr.Number); err != nil || !p.Merged || p.MergeCommitSHA != merge {
		t.Errorf("pull request after merge: %+v, %v", p, err)
	}
	git(t, work, "fetch", "-q", "origin")
	if got := git(t, work, "show", merge+":CHANGELOG.md"); got != "## 0.2.0\n\n- greet" {
		t.Errorf("CHANGELOG.md at the fetched merge commit = %q", got)
	}
	if got := git(t, work, "show", merge+":src/app.py"); got != "print('hi')" {
		t.Errorf("src/app.py at the fetched merge commit = %q", got)
	}
	git(t, work, "merge", "-q", "--ff-only", "origin/main")
	writeFile(t, filepath.Join(work, "README.md"), "hello\n")
	git(t, work, "commit", "-q", "-am", "docs: hello")
	if out, err := gitErr(t, work, "push", "origin", "main"); err == nil || !strings.Contains(out, "main is protected") {
		t.Errorf("git push origin main with the hook: %v\n%s\nwant refused", err, out)
	}
	if got := git(t, bare, "rev-parse", "refs/heads/main"); got != merge {
		t.Errorf("bare repository's main after the refused push = %s, want %s", got, merge)
	}
	if got, ok := f.Ref("o", "r", "heads/main"); !ok || got != merge {
		t.Errorf("Ref(heads/main) = %s, %v; want %s", got, ok, merge)
	}
	if cm, ok := f.GitCommit("o", "r", merge); !ok || !slices.Equal(cm.Parents, []string{tip2, rc2.SHA}) {
		t.Errorf("GitCommit(merge) = %+v, %v", cm, ok)
	}
}

// TestGitBackedSquashMerge: a squash merge is one commit on main's tip
// with the merge's tree and the pull request's title.
func TestGitBackedSquashMerge(t *testing.T) {
	ctx := context.Background()
	_, c, bare, work := gitBackedRepo(t)
	tip := git(t, work, "rev-parse", "HEAD")
	rc, err := c.CreateCommitFromTree(ctx, "o", "r", tip, []github.TreeFile{
		{Path: "CHANGELOG.md", Content: "## 0.2.0\n"},
		{Path: "README.md", Delete: true},
	}, "chore(release): 0.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetBranch(ctx, "o", "r", "shipflow/release-main", rc.SHA, true); err != nil {
		t.Fatal(err)
	}
	pr, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "chore(release): 0.2.0", Head: "shipflow/release-main", Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	sha, err := c.MergePullRequest(ctx, "o", "r", pr.Number, github.MergeOptions{Method: "squash", SHA: rc.SHA})
	if err != nil {
		t.Fatal(err)
	}
	if got := git(t, bare, "rev-parse", "refs/heads/main"); got != sha {
		t.Fatalf("bare repository's main = %s, want the squash commit %s", got, sha)
	}
	if got := git(t, bare, "rev-parse", sha+"^@"); got != tip {
		t.Errorf("squash commit's parents = %q, want %s", got, tip)
	}
	if got := git(t, bare, "log", "-1", "--format=%s", sha); got != "chore(release): 0.2.0 (#1)" {
		t.Errorf("squash commit's title = %q", got)
	}
	if got, want := git(t, bare, "rev-parse", sha+"^{tree}"), rc.Tree; got != want {
		t.Errorf("squash commit's tree = %s, want the head's %s", got, want)
	}
	if out, err := gitErr(t, bare, "cat-file", "-e", sha+":README.md"); err == nil {
		t.Errorf("README.md deleted through the API is in the squash commit: %s", out)
	}
}

// TestGitBackedMergeConflict: a pull request whose head conflicts with
// main's tip is not merged, and main does not move.
func TestGitBackedMergeConflict(t *testing.T) {
	ctx := context.Background()
	_, c, bare, work := gitBackedRepo(t)
	tip := git(t, work, "rev-parse", "HEAD")
	rc, err := c.CreateCommitFromTree(ctx, "o", "r", tip, []github.TreeFile{{Path: "README.md", Content: "from the PR\n"}}, "chore: readme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetBranch(ctx, "o", "r", "shipflow/release-main", rc.SHA, true); err != nil {
		t.Fatal(err)
	}
	pr, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "readme", Head: "shipflow/release-main", Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(work, "README.md"), "from main\n")
	git(t, work, "commit", "-q", "-am", "docs: readme")
	git(t, work, "push", "-q", "origin", "main")
	main := git(t, work, "rev-parse", "HEAD")
	if _, err := c.MergePullRequest(ctx, "o", "r", pr.Number, github.MergeOptions{}); err == nil || !strings.Contains(err.Error(), "Merge conflict") {
		t.Errorf("merging a conflicting pull request: %v, want Merge conflict", err)
	}
	if got := git(t, bare, "rev-parse", "refs/heads/main"); got != main {
		t.Errorf("bare repository's main = %s, want unmoved %s", got, main)
	}
}

// TestGitBackedProtectionAndHelpers: protection set on the fake still
// refuses ref updates through the API before the bare repository changes;
// the fake's own helpers write real commits; a rebase merge replays the
// head's commits on the base with GitHub as committer.
func TestGitBackedProtectionAndHelpers(t *testing.T) {
	ctx := context.Background()
	f, c, bare, work := gitBackedRepo(t)
	tip := git(t, work, "rev-parse", "HEAD")

	head := f.AddCommit("o", "r", "feature", "feat: more", map[string]string{"lib/a.py": "a = 1\n"})
	if got := git(t, bare, "rev-parse", "refs/heads/feature"); got != head {
		t.Fatalf("AddCommit: bare repository's feature = %s, want %s", got, head)
	}
	if got := git(t, bare, "show", head+":lib/a.py"); got != "a = 1" {
		t.Errorf("AddCommit: lib/a.py = %q", got)
	}
	f.SetBranch("o", "r", "feature", tip)
	if got, ok := f.Ref("o", "r", "heads/feature"); !ok || got != tip {
		t.Errorf("after SetBranch: Ref(heads/feature) = %s, %v; want %s", got, ok, tip)
	}
	head = f.AddCommit("o", "r", "feature", "feat: more", map[string]string{"lib/a.py": "a = 1\n"})
	if got := git(t, bare, "rev-parse", head+"^@"); got != tip {
		t.Errorf("AddCommit on feature: parents %q, want %s", got, tip)
	}

	f.Protect("o", "r", "main", githubfake.Protection{RequireReviews: true, RequiredApprovingReviews: 1})
	if err := c.UpdateRef(ctx, "o", "r", "heads/main", head, false); err == nil || !strings.Contains(err.Error(), "Protected branch update failed") {
		t.Errorf("UpdateRef of protected main: %v, want refused", err)
	}
	if got := git(t, bare, "rev-parse", "refs/heads/main"); got != tip {
		t.Errorf("bare repository's main after the refused update = %s, want %s", got, tip)
	}

	pr, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "feat: more", Head: "feature", Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	sha, err := c.MergePullRequest(ctx, "o", "r", pr.Number, github.MergeOptions{Method: "rebase"})
	if err != nil {
		t.Fatal(err)
	}
	if sha == head {
		t.Errorf("rebase merge kept the head commit %s; GitHub rewrites the committer", sha)
	}
	if got := git(t, bare, "log", "-1", "--format=%P|%T|%an|%cn|%s", "refs/heads/main"); got != tip+"|"+git(t, bare, "rev-parse", head+"^{tree}")+"|dev|GitHub|feat: more" {
		t.Errorf("main after a rebase merge: %q", got)
	}
	if got := git(t, bare, "rev-parse", "refs/heads/main"); got != sha {
		t.Errorf("bare repository's main = %s, want %s", got, sha)
	}
}
