// Package gittest builds real git repositories for tests: `git init` in
// t.TempDir(), a hermetic environment (no global or system config), and a
// fixed clock that advances one minute per commit, so hashes and dates are
// reproducible and no test sleeps.
package gittest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Epoch is the author and committer date of the first commit a Repo makes.
var Epoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// Repo is a real git repository in a temporary directory.
type Repo struct {
	T   testing.TB
	Dir string
	// Now is the date the next commit or tag gets; every commit advances it
	// by one minute.
	Now time.Time
	// Author is used for the next commits ("Name <email>").
	Author string
}

// Env returns a hermetic environment for running git in tests: no global or
// system configuration, a fixed identity, no prompts, C locale.
func Env() []string {
	env := []string{}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GIT_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"LC_ALL=C",
		"TZ=UTC",
	)
}

// New creates an empty repository on branch main.
func New(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{T: t, Dir: t.TempDir(), Now: Epoch, Author: "Ada Lovelace <ada@example.com>"}
	r.Git("init", "-q", "-b", "main")
	r.Git("config", "user.name", "Ada Lovelace")
	r.Git("config", "user.email", "ada@example.com")
	r.Git("config", "commit.gpgsign", "false")
	r.Git("config", "tag.gpgsign", "false")
	return r
}

// Clone clones r into a new temporary directory with extra git clone args
// (e.g. "--depth=1"; the source is passed as a file:// URL so that
// --depth works) and returns the clone.
func (r *Repo) Clone(args ...string) *Repo {
	r.T.Helper()
	dst := filepath.Join(r.T.TempDir(), "clone")
	c := &Repo{T: r.T, Dir: r.T.TempDir(), Now: r.Now, Author: r.Author}
	all := append([]string{"clone", "-q"}, args...)
	all = append(all, "file://"+r.Dir, dst)
	c.Git(all...)
	c.Dir = dst
	c.Git("config", "user.name", "Ada Lovelace")
	c.Git("config", "user.email", "ada@example.com")
	return c
}

// Git runs git in the repository and returns its trimmed stdout; a failure
// fails the test.
func (r *Repo) Git(args ...string) string {
	r.T.Helper()
	out, err := r.TryGit(args...)
	if err != nil {
		r.T.Fatal(err)
	}
	return out
}

// TryGit runs git and returns its trimmed stdout, or an error with stderr.
func (r *Repo) TryGit(args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	name, email := splitAuthor(r.Author)
	date := r.Now.Format(time.RFC3339)
	cmd.Env = append(Env(),
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+email, "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME="+name, "GIT_COMMITTER_EMAIL="+email, "GIT_COMMITTER_DATE="+date,
	)
	var stdout, stderr strings.Builder
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(stdout.String()), nil
}

func splitAuthor(a string) (name, email string) {
	name, email, ok := strings.Cut(a, " <")
	if !ok {
		return a, "nobody@example.com"
	}
	return name, strings.TrimSuffix(email, ">")
}

func (r *Repo) tick() { r.Now = r.Now.Add(time.Minute) }

// Commit makes an empty commit with msg (verbatim, no cleanup) and returns
// its hash.
func (r *Repo) Commit(msg string) string {
	r.T.Helper()
	r.Git("commit", "-q", "--allow-empty", "--cleanup=verbatim", "-m", msg)
	r.tick()
	return r.Git("rev-parse", "HEAD")
}

// CommitFile writes content to path (relative to the repository), stages it
// and commits it with msg. It returns the commit's hash.
func (r *Repo) CommitFile(path, content, msg string) string {
	r.T.Helper()
	r.WriteFile(path, content)
	r.Git("add", "--", path)
	r.Git("commit", "-q", "--cleanup=verbatim", "-m", msg)
	r.tick()
	return r.Git("rev-parse", "HEAD")
}

// WriteFile writes content to path (relative to the repository), creating
// directories as needed.
func (r *Repo) WriteFile(path, content string) {
	r.T.Helper()
	full := filepath.Join(r.Dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.T.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		r.T.Fatal(err)
	}
}

// Tag makes a lightweight tag at HEAD.
func (r *Repo) Tag(name string) {
	r.T.Helper()
	r.Git("tag", name)
}

// AnnotatedTag makes an annotated tag at HEAD.
func (r *Repo) AnnotatedTag(name, msg string) {
	r.T.Helper()
	r.Git("tag", "-a", name, "-m", msg)
	r.tick()
}

// Branch creates a branch at HEAD and switches to it.
func (r *Repo) Branch(name string) {
	r.T.Helper()
	r.Git("switch", "-q", "-c", name)
}

// Checkout switches to an existing branch or commit.
func (r *Repo) Checkout(name string) {
	r.T.Helper()
	r.Git("-c", "advice.detachedHead=false", "checkout", "-q", name)
}

// Merge merges branch into the current branch with a merge commit (--no-ff)
// and msg, and returns the merge commit's hash.
func (r *Repo) Merge(branch, msg string) string {
	r.T.Helper()
	r.Git("merge", "-q", "--no-ff", "--no-edit", "-m", msg, branch)
	r.tick()
	return r.Git("rev-parse", "HEAD")
}

// Head returns the hash of HEAD.
func (r *Repo) Head() string {
	r.T.Helper()
	return r.Git("rev-parse", "HEAD")
}

// InitBare creates a bare repository in a new temporary directory, adds it
// as remote name of r and returns its path.
func (r *Repo) InitBare(name string) string {
	r.T.Helper()
	dir := filepath.Join(r.T.TempDir(), name+".git")
	cmd := exec.Command("git", "init", "-q", "--bare", "-b", "main", dir)
	cmd.Env = Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		r.T.Fatalf("git init --bare: %v: %s", err, out)
	}
	r.Git("remote", "add", name, dir)
	return dir
}
