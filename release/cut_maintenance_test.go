package release

import (
	"errors"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestCutMaintenanceLine: a release/1.x branch below a newer major is
// released from its own checkout (release.maintenance-branches, default
// release/*), with no configuration: a feat gives the line's next minor,
// published with make_latest false, and v1 follows it while v2 stays
// Latest; a breaking change on the line is refused, and a branch that is
// neither the release branch nor a maintenance line still is.
func TestCutMaintenanceLine(t *testing.T) {
	e := newCutEnv(t)
	e.r.Commit("feat!: new world")
	e.r.AnnotatedTag("v2.0.0", "v2.0.0")
	e.r.Git("push", "-q", "origin", "main", "--tags")
	e.fake.AddRelease("o", "r", githubfake.Release{TagName: "v2.0.0", Name: "v2.0.0"})
	e.r.Git("checkout", "-q", "-b", "release/1.x", "v1.0.0")
	e.r.Commit("feat: backport search")
	e.r.Git("push", "-q", "origin", "release/1.x")

	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Plan
	if p.Branch != "release/1.x" || p.Tag != "v1.1.0" || p.Latest || p.Prerelease || p.FloatingTag != "v1" {
		t.Fatalf("plan = branch %s tag %s latest %v prerelease %v floating %s; want release/1.x v1.1.0, not latest, v1 moved", p.Branch, p.Tag, p.Latest, p.Prerelease, p.FloatingTag)
	}
	if latest, ok := e.fake.Latest("o", "r"); !ok || latest.TagName != "v2.0.0" {
		t.Errorf("latest = %+v, want v2.0.0", latest)
	}
	if got := e.r.Git("ls-remote", e.origin, "refs/heads/release/1.x"); !strings.HasPrefix(got, p.ReleaseCommit) {
		t.Errorf("release/1.x on the remote = %q, want the release commit %s", got, p.ReleaseCommit)
	}
	if got := e.r.Git("ls-remote", e.origin, "refs/tags/v1^{}"); !strings.HasPrefix(got, p.ReleaseCommit) {
		t.Errorf("v1 on the remote = %q, want the release commit", got)
	}

	// A breaking change does not belong on a maintenance line.
	e.r.Commit("feat!: drop the old API")
	if _, err := e.cut(e.opts()); err == nil || !strings.Contains(err.Error(), "maintenance") {
		t.Errorf("breaking change on release/1.x: err = %v, want a refusal naming the maintenance line", err)
	}

	// No maintenance branches: only main releases.
	o := e.opts()
	o.Config.MaintenanceBranches = []string{}
	_, err = e.cut(o)
	if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), `releases are cut from branch "main", but branch "release/1.x"`) {
		t.Errorf("maintenance-branches []: err = %v, want the branch refused", err)
	}
	cfg, err := config.Parse(config.FileName, []byte("release:\n  maintenance-branches: []\n"))
	if err != nil || cfg.Release.MaintenanceBranches == nil {
		t.Errorf("maintenance-branches: [] parsed as %#v, %v; want an empty, non-nil list", cfg.Release.MaintenanceBranches, err)
	}
}
