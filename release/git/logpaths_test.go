package git_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// logPathsRepo builds a history with every kind of change LogPaths must
// report, and returns the hashes by name.
func logPathsRepo(t *testing.T) (*gittest.Repo, map[string]string) {
	t.Helper()
	g := gittest.New(t)
	h := map[string]string{}
	g.WriteFile("README", "r\n")
	g.WriteFile("api/go.mod", "module example.com/api\n")
	g.Git("add", ".")
	g.Git("commit", "-q", "-m", "chore: root")
	h["root"] = g.Head()
	g.Now = g.Now.Add(60e9)

	// Paths with spaces, unicode, newlines (also leading), and a name that
	// looks like a commit hash.
	for _, p := range []string{"a b", "dir/üñí.txt", "new\nline", "\nlead", "0123456789abcdef0123456789abcdef01234567"} {
		g.WriteFile(p, "x\n")
	}
	g.Git("add", ".")
	g.Git("commit", "-q", "-m", "feat: odd names\n\nbody line\n")
	h["odd"] = g.Head()
	g.Now = g.Now.Add(60e9)

	g.Git("commit", "-q", "--allow-empty", "--allow-empty-message", "-m", "")
	h["empty"] = g.Head()
	g.Now = g.Now.Add(60e9)

	g.WriteFile("moved/.keep", "")
	g.Git("rm", "-q", "--cached", "--ignore-unmatch", "moved/.keep")
	g.Git("mv", "a b", "moved/a b")
	g.Git("commit", "-q", "-m", "refactor: move")
	h["move"] = g.Head()
	g.Now = g.Now.Add(60e9)

	g.Git("rm", "-q", "README")
	g.Git("commit", "-q", "-m", "chore: delete")
	h["delete"] = g.Head()
	g.Now = g.Now.Add(60e9)

	g.Branch("feature")
	h["web"] = g.CommitFile("web/index.js", "w\n", "feat(web): page")
	g.Checkout("main")
	h["api"] = g.CommitFile("api/main.go", "package main\n", "fix(api): main")
	h["merge"] = g.Merge("feature", "Merge branch 'feature'")
	return g, h
}

func collectPaths(t *testing.T, r *git.Repo, opt git.LogOptions) []*git.CommitPaths {
	t.Helper()
	var out []*git.CommitPaths
	for c, err := range r.LogPaths(context.Background(), opt) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func TestLogPathsListsChangedPaths(t *testing.T) {
	g, h := logPathsRepo(t)
	r := open(t, g.Dir)
	got := map[string][]string{}
	var order []string
	for _, c := range collectPaths(t, r, git.LogOptions{}) {
		got[c.Hash] = slices.Sorted(slices.Values(c.Paths))
		order = append(order, c.Hash)
	}
	want := map[string][]string{
		h["root"]:   {"README", "api/go.mod"},
		h["odd"]:    {"\nlead", "0123456789abcdef0123456789abcdef01234567", "a b", "dir/üñí.txt", "new\nline"},
		h["empty"]:  nil,
		h["move"]:   {"a b", "moved/a b"},
		h["delete"]: {"README"},
		h["web"]:    {"web/index.js"},
		h["api"]:    {"api/main.go"},
		// The merge brings web/ onto main, not api/.
		h["merge"]: {"web/index.js"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("paths by commit (-want +got):\n%s", d)
	}
	if len(order) != len(want) || order[0] != h["merge"] || order[len(order)-1] != h["root"] {
		t.Errorf("order = %v, want newest first from the merge to the root", order)
	}
}

func TestLogPathsCommitFieldsMatchLog(t *testing.T) {
	g, _ := logPathsRepo(t)
	// A message longer than the reader's buffer.
	msgFile := filepath.Join(t.TempDir(), "msg")
	if err := os.WriteFile(msgFile, []byte("feat: a long message\n\n"+strings.Repeat("x", 200<<10)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g.Git("commit", "-q", "--allow-empty", "-F", msgFile)
	r := open(t, g.Dir)
	var want []git.Commit
	for c, err := range r.Log(context.Background(), git.LogOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, *c)
	}
	var got []git.Commit
	for _, c := range collectPaths(t, r, git.LogOptions{}) {
		got = append(got, c.Commit)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("LogPaths commits differ from Log (-Log +LogPaths):\n%s", d)
	}
}

func TestLogPathsOptions(t *testing.T) {
	g, h := logPathsRepo(t)
	r := open(t, g.Dir)
	hashes := func(cs []*git.CommitPaths) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Hash)
		}
		return out
	}
	tests := []struct {
		name string
		opt  git.LogOptions
		want []string
	}{
		{"range", git.LogOptions{Revs: []string{h["delete"] + "..HEAD"}}, []string{h["merge"], h["api"], h["web"]}},
		{"first parent", git.LogOptions{Revs: []string{h["delete"] + "..HEAD"}, FirstParent: true}, []string{h["merge"], h["api"]}},
		{"max", git.LogOptions{Max: 2}, []string{h["merge"], h["api"]}},
		{"paths", git.LogOptions{Paths: []string{"moved"}}, []string{h["move"]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, hashes(collectPaths(t, r, tt.opt))); d != "" {
				t.Errorf("commits (-want +got):\n%s", d)
			}
		})
	}
	// A path filter selects commits but each lists all its paths.
	got := collectPaths(t, r, git.LogOptions{Paths: []string{"moved"}})
	if d := cmp.Diff([]string{"a b", "moved/a b"}, slices.Sorted(slices.Values(got[0].Paths))); d != "" {
		t.Errorf("paths of the filtered commit (-want +got):\n%s", d)
	}
}

func TestLogPathsStopsEarly(t *testing.T) {
	g, h := logPathsRepo(t)
	r := open(t, g.Dir)
	n := 0
	for c, err := range r.LogPaths(context.Background(), git.LogOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if c.Hash != h["merge"] {
			t.Fatalf("first commit %s, want the merge", c.Hash)
		}
		n++
		break
	}
	if n != 1 {
		t.Fatalf("read %d commits, want 1", n)
	}
}

func TestLogPathsBadRevision(t *testing.T) {
	g, _ := logPathsRepo(t)
	r := open(t, g.Dir)
	for _, rev := range []string{"--all", "nosuchbranch", "v9.9.9..HEAD"} {
		var err error
		for _, e := range r.LogPaths(context.Background(), git.LogOptions{Revs: []string{rev}}) {
			err = e
		}
		if !errors.Is(err, git.ErrUnknownRevision) {
			t.Errorf("LogPaths(%q) error = %v, want ErrUnknownRevision", rev, err)
		}
	}
}

func TestLogPathsIgnoresUserConfig(t *testing.T) {
	g, h := logPathsRepo(t)
	g.Git("config", "log.showRoot", "false")
	g.Git("config", "log.follow", "true")
	g.Git("config", "diff.renames", "copies")
	r := open(t, g.Dir)
	all := collectPaths(t, r, git.LogOptions{})
	root := all[len(all)-1]
	if root.Hash != h["root"] || len(root.Paths) != 2 {
		t.Errorf("root commit %s lists %q, want README and api/go.mod despite log.showRoot=false", root.Short(), root.Paths)
	}
	// log.follow would follow "moved/a b" back to the commit adding "a b".
	var got []string
	for _, c := range collectPaths(t, r, git.LogOptions{Paths: []string{"moved/a b"}}) {
		got = append(got, c.Hash)
	}
	if d := cmp.Diff([]string{h["move"]}, got); d != "" {
		t.Errorf("commits touching moved/a b despite log.follow=true (-want +got):\n%s", d)
	}
}
