package git_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// countObjects counts the files under a repository's .git/objects.
func countObjects(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, ".git", "objects"), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWithObjectsInWritesOutsideGitDir(t *testing.T) {
	ctx := context.Background()
	r := gittest.New(t)
	base := r.CommitFile("a.txt", "a\n", "feat: a")
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	before := countObjects(t, r.Dir)
	overlay := t.TempDir()
	o, err := repo.WithObjectsIn(ctx, overlay)
	if err != nil {
		t.Fatal(err)
	}
	out, err := o.Run(ctx, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit-tree", "-p", base, "-m", "feat: virtual", base+"^{tree}")
	if err != nil {
		t.Fatal(err)
	}
	virtual := strings.TrimSpace(string(out))
	// The overlay sees the new commit and the repository's own history.
	if got, err := o.Run(ctx, "log", "--format=%s", virtual); err != nil || string(got) != "feat: virtual\nfeat: a\n" {
		t.Errorf("log through the overlay = %q, %v", got, err)
	}
	// The repository does not: nothing was written under .git.
	if _, err := repo.Run(ctx, "cat-file", "-e", virtual); err == nil {
		t.Errorf("the repository has the overlay's commit %s", virtual)
	}
	if after := countObjects(t, r.Dir); after != before {
		t.Errorf(".git/objects has %d files, had %d", after, before)
	}
	if entries, _ := os.ReadDir(overlay); len(entries) == 0 {
		t.Errorf("the overlay %s is empty", overlay)
	}
}

func TestWithObjectsInBadDir(t *testing.T) {
	ctx := context.Background()
	r := gittest.New(t)
	r.Commit("feat: a")
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.WithObjectsIn(ctx, "relative/dir"); err == nil {
		t.Error("a relative overlay directory was accepted")
	}
	if _, err := repo.WithObjectsIn(ctx, filepath.Join(r.Dir, ".git", "x")); err == nil {
		t.Error("an overlay under .git was accepted")
	}
}
