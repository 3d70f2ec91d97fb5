package release

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// A release stopped after the changelog step wrote CHANGELOG.md and bumped
// the version files, before it committed them, is finished by a re-run:
// the clean-tree check allows exactly what that step writes for this
// version, and the release commit holds all of it.
func TestCutResumesAfterVersionFilesWritten(t *testing.T) {
	vfEnv(t)
	r := gittest.New(t)
	r.WriteFile("VERSION", "0.1.0\n")
	r.Git("add", "--", "VERSION")
	r.Commit("chore: start")
	r.AnnotatedTag("v0.1.0", "v0.1.0")
	r.Commit("fix: a bug")
	// What the interrupted run left: the section and the bump, uncommitted.
	r.WriteFile("CHANGELOG.md", "# Changelog\n\n## 0.1.1 (2026-01-02)\n\n### Bug Fixes\n\n* a bug\n")
	r.WriteFile("VERSION", "0.1.1\n")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := CutOptions{Local: true, Now: func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }}
	if _, err := Cut(context.Background(), repo, opts); err != nil {
		t.Fatalf("re-run after the bump: %v", err)
	}
	if got := r.Git("show", "--name-only", "--format=%s", "HEAD"); !strings.Contains(got, "VERSION") || !strings.Contains(got, "CHANGELOG.md") {
		t.Errorf("release commit:\n%s\nwant CHANGELOG.md and VERSION in it", got)
	}
	if got := strings.TrimSpace(r.Git("status", "--porcelain")); got != "" {
		t.Errorf("work tree not clean after the release: %q", got)
	}
	// Any other change still stops a release.
	r.WriteFile("VERSION", "0.1.1-oops\n")
	r.Commit("fix: another")
	r.WriteFile("README", "stray\n")
	if _, err := Cut(context.Background(), repo, opts); err == nil || !strings.Contains(err.Error(), "uncommitted changes") {
		t.Errorf("stray file: err = %v, want the clean-tree refusal", err)
	}
}
