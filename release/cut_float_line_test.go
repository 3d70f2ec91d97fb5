package release

import (
	"strings"
	"testing"
)

// A patch on an old minor line does not pull the floating major tag back
// from a higher release of the same major.
func TestCutFloatingTagStaysOnHigher(t *testing.T) {
	e := newCutEnv(t)
	e.r.AnnotatedTag("v1.1.0", "v1.1.0")
	e.r.AnnotatedTag("v1", "v1")
	e.r.Git("push", "-q", "origin", "main", "--tags")
	v1 := e.r.Git("rev-parse", "v1^{commit}")
	e.r.Git("checkout", "-q", "-b", "hotfix/1.0", "v1.0.0")
	e.r.Commit("fix: old line")
	e.r.Git("push", "-q", "origin", "hotfix/1.0")
	o := e.opts()
	o.Config.Branch = "hotfix/1.0"
	rep, err := e.cut(o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Plan.Tag != "v1.0.1" || rep.Plan.Latest {
		t.Fatalf("plan %s latest %v", rep.Plan.Tag, rep.Plan.Latest)
	}
	last := rep.Steps[len(rep.Steps)-1]
	if last.Step != "floating-tag" || !strings.Contains(last.Skipped, "v1.1.0") {
		t.Errorf("floating-tag step %+v", last)
	}
	if got := e.r.Git("rev-parse", "v1^{commit}"); got != v1 {
		t.Errorf("v1 moved from %s to %s", v1, got)
	}
}
