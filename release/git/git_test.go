package git_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

func open(t *testing.T, dir string) *git.Repo {
	t.Helper()
	r, err := git.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func collect(t *testing.T, r *git.Repo, opt git.LogOptions) ([]*git.Commit, error) {
	t.Helper()
	var cs []*git.Commit
	for c, err := range r.Log(context.Background(), opt) {
		if err != nil {
			return cs, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}

func TestLogReadsEveryField(t *testing.T) {
	g := gittest.New(t)
	first := g.Commit("feat: first\n\nbody with\ttab and ünïcödé\n\nRefs: #1\n")
	g.Author = "Bot <bot@example.com>"
	second := g.Commit("fix: second")
	g.Branch("feature/x")
	side := g.Commit("docs: side")
	g.Checkout("main")
	third := g.Commit("chore: third\n\n\n")
	merge := g.Merge("feature/x", "Merge branch 'feature/x'")

	r := open(t, g.Dir)
	cs, err := collect(t, r, git.LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Short()+" "+strings.SplitN(c.Message, "\n", 2)[0])
	}
	want := []string{
		merge[:7] + " Merge branch 'feature/x'",
		third[:7] + " chore: third",
		side[:7] + " docs: side",
		second[:7] + " fix: second",
		first[:7] + " feat: first",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log order (-want +got):\n%s", diff)
	}
	m := cs[0]
	if !m.IsMerge() || len(m.Parents) != 2 || m.Parents[0] != third || m.Parents[1] != side {
		t.Errorf("merge parents = %v, want [%s %s]", m.Parents, third, side)
	}
	root := cs[len(cs)-1]
	if root.Message != "feat: first\n\nbody with\ttab and ünïcödé\n\nRefs: #1\n" {
		t.Errorf("message = %q", root.Message)
	}
	if len(root.Parents) != 0 || root.IsMerge() {
		t.Errorf("root parents = %v", root.Parents)
	}
	if root.AuthorName != "Ada Lovelace" || root.AuthorEmail != "ada@example.com" || !root.AuthorDate.Equal(gittest.Epoch) {
		t.Errorf("root author = %q %q %v", root.AuthorName, root.AuthorEmail, root.AuthorDate)
	}
	if cs[3].Author() != "Bot <bot@example.com>" {
		t.Errorf("second author = %q", cs[3].Author())
	}
}

func TestLogRangeFirstParentMaxAndPaths(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: a")
	g.Tag("v1.0.0")
	g.Branch("topic")
	g.CommitFile("docs/x.md", "x", "docs: x")
	g.Checkout("main")
	g.CommitFile("y.go", "package y", "fix: y")
	g.Merge("topic", "Merge branch 'topic'")
	r := open(t, g.Dir)

	subjects := func(opt git.LogOptions) []string {
		cs, err := collect(t, r, opt)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, c := range cs {
			s = append(s, strings.TrimSpace(c.Message))
		}
		return s
	}
	tests := []struct {
		name string
		opt  git.LogOptions
		want []string
	}{
		{"range", git.LogOptions{Revs: []string{"v1.0.0..HEAD"}}, []string{"Merge branch 'topic'", "fix: y", "docs: x"}},
		{"first-parent", git.LogOptions{Revs: []string{"v1.0.0..HEAD"}, FirstParent: true}, []string{"Merge branch 'topic'", "fix: y"}},
		{"max", git.LogOptions{Max: 1}, []string{"Merge branch 'topic'"}},
		{"paths", git.LogOptions{Paths: []string{"docs"}}, []string{"docs: x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, subjects(tt.opt)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogStopsEarly(t *testing.T) {
	g := gittest.New(t)
	for range 50 {
		g.Commit("chore: x")
	}
	r := open(t, g.Dir)
	n := 0
	for _, err := range r.Log(context.Background(), git.LogOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatalf("read %d commits, want 3", n)
	}
}

func TestLogUnknownRevisionNamesIt(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: a")
	r := open(t, g.Dir)
	_, err := collect(t, r, git.LogOptions{Revs: []string{"v9.9.9..HEAD"}})
	if err == nil || !strings.Contains(err.Error(), `unknown revision "v9.9.9"`) {
		t.Fatalf("err = %v, want one naming v9.9.9", err)
	}
	_, err = collect(t, r, git.LogOptions{Revs: []string{"--all"}})
	if err == nil || !strings.Contains(err.Error(), "not a revision") {
		t.Fatalf("err = %v, want option injection refused", err)
	}
}

// TestUnknownRevisionIsTyped checks that every way of naming no commit is
// ErrUnknownRevision, so callers never match git's message text.
func TestUnknownRevisionIsTyped(t *testing.T) {
	ctx := context.Background()
	g := gittest.New(t)
	g.Commit("feat: a")
	r := open(t, g.Dir)
	logErr := func(rev string) error {
		_, err := collect(t, r, git.LogOptions{Revs: []string{rev}})
		return err
	}
	_, resolveUnknown := r.ResolveCommit(ctx, "nope")
	_, resolveOption := r.ResolveCommit(ctx, "-n")
	_, tagsOption := r.Tags(ctx, "--all")
	for _, c := range []struct {
		name string
		err  error
	}{
		{"ResolveCommit unknown", resolveUnknown},
		{"ResolveCommit option", resolveOption},
		{"Log unknown", logErr("v9.9.9..HEAD")},
		{"Log option", logErr("--all")},
		{"Tags option", tagsOption},
	} {
		t.Run(c.name, func(t *testing.T) {
			var re *git.RevisionError
			if !errors.Is(c.err, git.ErrUnknownRevision) || !errors.As(c.err, &re) {
				t.Fatalf("err = %v, want a *git.RevisionError matching ErrUnknownRevision", c.err)
			}
		})
	}
	if _, err := r.ResolveCommit(ctx, "HEAD"); errors.Is(err, git.ErrUnknownRevision) {
		t.Errorf("ResolveCommit(HEAD) = %v", err)
	}
}

func TestLogEmptyRepository(t *testing.T) {
	g := gittest.New(t)
	r := open(t, g.Dir)
	_, err := collect(t, r, git.LogOptions{})
	if err == nil || !strings.Contains(err.Error(), `unknown revision "HEAD"`) {
		t.Fatalf("err = %v, want unknown HEAD", err)
	}
}

func TestShallowCloneIsDetected(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: a")
	g.Tag("v1.0.0")
	g.Commit("fix: b")
	g.Commit("fix: c")
	full := open(t, g.Dir)
	if err := full.CheckFullHistory(context.Background()); err != nil {
		t.Fatalf("full clone: %v", err)
	}
	c := g.Clone("--depth=1", "--no-tags")
	r := open(t, c.Dir)
	err := r.CheckFullHistory(context.Background())
	if !errors.Is(err, git.ErrShallow) || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Fatalf("err = %v, want ErrShallow with the fetch-depth fix", err)
	}
	_, err = collect(t, r, git.LogOptions{Revs: []string{"v1.0.0..HEAD"}})
	if !errors.Is(err, git.ErrShallow) {
		t.Fatalf("log on shallow clone: err = %v, want ErrShallow", err)
	}
}

func TestOpenNotARepository(t *testing.T) {
	dir := t.TempDir()
	_, err := git.Open(context.Background(), dir)
	var nr *git.NotRepoError
	if !errors.As(err, &nr) || !strings.Contains(err.Error(), "not a git repository") {
		t.Fatalf("err = %v, want NotRepoError", err)
	}
	_, err = git.Open(context.Background(), filepath.Join(dir, "missing"))
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want not-exist", err)
	}
}

func TestOpenFromSubdirectory(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile("a/b/c.txt", "x", "feat: a")
	r := open(t, filepath.Join(g.Dir, "a", "b"))
	want, _ := filepath.EvalSymlinks(g.Dir)
	if got, _ := filepath.EvalSymlinks(r.Dir()); got != want {
		t.Fatalf("Dir = %q, want %q", got, want)
	}
}

func TestErrorCarriesExitCodeAndStderr(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: a")
	r := open(t, g.Dir)
	_, err := r.Run(context.Background(), "cat-file", "-p", "nosuchobject")
	var ge *git.Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %T %v, want *git.Error", err, err)
	}
	if ge.ExitCode != 128 || !strings.Contains(ge.Stderr, "nosuchobject") || ge.Args[0] != "cat-file" {
		t.Fatalf("error = %+v", ge)
	}
	if !strings.Contains(err.Error(), "git cat-file -p nosuchobject: exit status 128") {
		t.Fatalf("message = %q", err)
	}
}

func TestTagsBranchCleanRemote(t *testing.T) {
	g := gittest.New(t)
	ctx := context.Background()
	g.Commit("feat: a")
	g.Tag("v1.0.0")
	g.Branch("dev")
	g.Commit("feat: b")
	g.AnnotatedTag("v1.1.0-dev.1", "dev")
	g.Checkout("main")
	g.Commit("fix: c")
	g.Tag("v1.0.1")
	r := open(t, g.Dir)

	all, err := r.Tags(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"v1.0.0", "v1.0.1", "v1.1.0-dev.1"}, all); diff != "" {
		t.Errorf("all tags (-want +got):\n%s", diff)
	}
	merged, err := r.Tags(ctx, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"v1.0.0", "v1.1.0-dev.1"}, merged); diff != "" {
		t.Errorf("merged into dev (-want +got):\n%s", diff)
	}
	devHead, _ := r.ResolveCommit(ctx, "dev")
	if got, _ := r.TagCommit(ctx, "v1.1.0-dev.1"); got != devHead {
		t.Errorf("annotated tag peels to %q, want %q", got, devHead)
	}
	if got, err := r.TagCommit(ctx, "v7.0.0"); got != "" || err != nil {
		t.Errorf("missing tag = %q, %v", got, err)
	}
	if _, err := r.ResolveCommit(ctx, "nope"); err == nil || !strings.Contains(err.Error(), `unknown revision "nope"`) {
		t.Errorf("ResolveCommit(nope) = %v", err)
	}

	if b, _ := r.CurrentBranch(ctx); b != "main" {
		t.Errorf("branch = %q", b)
	}
	g.Checkout(devHead)
	if b, _ := r.CurrentBranch(ctx); b != "" {
		t.Errorf("detached branch = %q, want empty", b)
	}
	if clean, _ := r.IsClean(ctx); !clean {
		t.Error("fresh repo not clean")
	}
	g.WriteFile("new.txt", "x")
	if clean, _ := r.IsClean(ctx); clean {
		t.Error("untracked file not seen")
	}
	g.InitBare("origin")
	if u, err := r.RemoteURL(ctx, "origin"); err != nil || !strings.HasSuffix(u, "origin.git") {
		t.Errorf("origin = %q, %v", u, err)
	}
	if _, err := r.RemoteURL(ctx, "upstream"); err == nil {
		t.Error("missing remote gave no error")
	}
	if v, ok, err := r.ConfigValue(ctx, "user.name"); v != "Ada Lovelace" || !ok || err != nil {
		t.Errorf("user.name = %q %v %v", v, ok, err)
	}
	if _, ok, err := r.ConfigValue(ctx, "core.commentChar"); ok || err != nil {
		t.Errorf("unset key: ok=%v err=%v", ok, err)
	}
	hooks, err := r.GitPath(ctx, "hooks")
	if err != nil || !strings.HasSuffix(hooks, filepath.Join(".git", "hooks")) {
		t.Errorf("hooks = %q, %v", hooks, err)
	}
}

func TestWithConfig(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: a")
	r, err := git.Open(context.Background(), g.Dir, git.WithConfig("core.commentChar", ";"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := r.ConfigValue(context.Background(), "core.commentChar"); v != ";" {
		t.Fatalf("core.commentChar = %q", v)
	}
}

func TestOpenDubiousOwnership(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: a")
	// git refuses a repository owned by another user unless it is marked
	// safe, as in containers and on CI runners. Handing the work tree to
	// another user takes root, which CI and scripts/test.sh run as.
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the work tree to another user")
	}
	if err := os.Chown(g.Dir, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	_, err := git.Open(context.Background(), g.Dir)
	if err == nil || !strings.Contains(err.Error(), "safe.directory") || !strings.Contains(err.Error(), "another user") {
		t.Fatalf("err = %v, want the safe.directory fix", err)
	}
	if _, err := git.Open(context.Background(), g.Dir, git.WithConfig("safe.directory", "*")); err != nil {
		t.Fatalf("with safe.directory=*: %v", err)
	}
}

func TestOpenAtTopLevel(t *testing.T) {
	g := gittest.New(t)
	g.CommitFile("sub/x.txt", "x", "feat: a")
	ctx := context.Background()
	r, err := git.Open(ctx, g.Dir, git.AtTopLevel())
	if err != nil || r.Dir() != g.Dir {
		t.Fatalf("Open(top, AtTopLevel) = %v, %v", r, err)
	}
	// From a subdirectory there is no .git: git is asked after all.
	r, err = git.Open(ctx, filepath.Join(g.Dir, "sub"), git.AtTopLevel())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.EvalSymlinks(g.Dir)
	if got, _ := filepath.EvalSymlinks(r.Dir()); got != want {
		t.Fatalf("Dir from a subdirectory = %q, want %q", got, want)
	}
	if _, err := git.Open(ctx, t.TempDir(), git.AtTopLevel()); err == nil {
		t.Fatal("AtTopLevel accepted a directory without .git")
	}
}

// TestRunInputDeliversAll: git reads the whole input, whether it fits the
// pipe and is written before git starts, or is written while git runs;
// `git hash-object --stdin` names what it read.
func TestRunInputDeliversAll(t *testing.T) {
	r := gittest.New(t)
	repo := open(t, r.Dir)
	for _, size := range []int{0, 1, 4 << 10, 4<<10 + 1, 1 << 20} {
		in := make([]byte, size)
		for i := range in {
			in[i] = byte('a' + i%26)
		}
		out, err := repo.RunInput(context.Background(), in, "hash-object", "--stdin")
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		h := sha1.New()
		fmt.Fprintf(h, "blob %d\x00", size)
		h.Write(in)
		if got, want := strings.TrimSpace(string(out)), hex.EncodeToString(h.Sum(nil)); got != want {
			t.Errorf("%d bytes: git read an object %s, want %s", size, got, want)
		}
	}
}
