package release

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// A local release makes the changelog, the release commit and the tag in
// a repository without a remote, a GitHub or a token; a re-run changes
// nothing.
func TestCutLocal(t *testing.T) {
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Release Bot", "GIT_AUTHOR_EMAIL": "bot@example.com", "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME": "Release Bot", "GIT_COMMITTER_EMAIL": "bot@example.com", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
	r := gittest.New(t)
	r.CommitFile("go.mod", "module example.com/m\n", "feat: first")
	r.AnnotatedTag("v1.0.0", "v1.0.0")
	r.Commit("feat(api): add widgets")
	r.Commit("fix: stop leaking handles")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := CutOptions{
		Config: config.Release{FloatingMajorTag: true},
		Local:  true,
		Now:    func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) },
	}
	rep, err := Cut(context.Background(), repo, opts)
	if err != nil {
		t.Fatalf("cut: %v (%+v)", err, rep)
	}
	if diff := cmp.Diff([]string{"preflight", "changelog", "commit", "tag"}, stepsRun(rep)); diff != "" {
		t.Errorf("steps run (-want +got):\n%s", diff)
	}
	for _, s := range rep.Steps[4:] {
		if s.Skipped != "local release (--local)" {
			t.Errorf("step %s skipped %q", s.Step, s.Skipped)
		}
	}
	p := rep.Plan
	if p.Tag != "v1.1.0" || !p.Local || p.ReleaseCommit == "" || p.ReleaseURL != "" || !p.Latest {
		t.Errorf("plan %+v", p)
	}
	if got := r.Git("rev-parse", "v1.1.0^{commit}"); got != r.Git("rev-parse", "HEAD") || got != p.ReleaseCommit {
		t.Errorf("tag v1.1.0 at %s, HEAD %s, plan %s", got, r.Git("rev-parse", "HEAD"), p.ReleaseCommit)
	}
	if msg := r.Git("log", "-1", "--format=%s"); msg != "chore(release): v1.1.0 [skip ci]" {
		t.Errorf("release commit %q", msg)
	}
	doc, err := os.ReadFile(filepath.Join(r.Dir, "CHANGELOG.md"))
	if err != nil || !strings.Contains(string(doc), "1.1.0") || !strings.Contains(string(doc), "add widgets") {
		t.Errorf("CHANGELOG.md: %v\n%s", err, doc)
	}
	if tags := r.Git("tag", "--list"); tags != "v1.0.0\nv1.1.0" {
		t.Errorf("tags %q (no floating tag in a local release)", tags)
	}

	before := r.Git("for-each-ref", "--format=%(refname) %(objectname)")
	again, err := Cut(context.Background(), repo, opts)
	if err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if got := stepsRun(again); len(got) != 1 || got[0] != "preflight" {
		t.Errorf("re-run ran %v", got)
	}
	if after := r.Git("for-each-ref", "--format=%(refname) %(objectname)"); after != before {
		t.Errorf("re-run changed refs:\n%s\n->\n%s", before, after)
	}
	if st := r.Git("status", "--porcelain"); st != "" {
		t.Errorf("re-run left changes: %s", st)
	}
}
