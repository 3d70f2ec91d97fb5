package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// release --local releases in a repository with no remote and no token;
// running it again changes nothing.
func TestReleaseLocal(t *testing.T) {
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
	r := gittest.New(t)
	r.Commit("feat: first")
	r.AnnotatedTag("v0.1.0", "v0.1.0")
	r.Commit("fix: a bug")
	env := map[string]string{"SOURCE_DATE_EPOCH": "1767312000"}
	code, stdout, stderr := releaseRun(t, r.Dir, env, "--local")
	if code != exitOK {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
	for _, want := range []string{"release v0.1.1 (from v0.1.0) on main (local)", "✓ tag", "- push: local release (--local)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if got := r.Git("rev-parse", "v0.1.1^{commit}"); got != r.Head() {
		t.Errorf("tag v0.1.1 at %s, HEAD %s", got, r.Head())
	}
	refs := r.Git("for-each-ref")
	code, stdout, stderr = releaseRun(t, r.Dir, env, "--local", "--format", "json")
	if code != exitOK {
		t.Fatalf("re-run: exit %d, stderr %s", code, stderr)
	}
	var rep struct {
		Plan struct {
			Tag                 string
			ReleaseCommit       string `json:"release_commit"`
			Local               bool
			Major, Minor, Patch uint64
			Prerelease, Created bool
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if p := rep.Plan; !p.Local || p.ReleaseCommit != r.Head() || p.Major != 0 || p.Minor != 1 || p.Patch != 1 || p.Prerelease || p.Created {
		t.Errorf("json plan %+v\n%s", p, stdout)
	}
	if again := r.Git("for-each-ref"); again != refs {
		t.Errorf("re-run changed refs:\n%s\n->\n%s", refs, again)
	}
}
