package release

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCutRefusesUntaggedRelease: a release commit whose tag push failed,
// with commits landed after it, is not released over again: the release
// refuses with the command that tags it, and after that command the next
// release starts from that tag.
func TestCutRefusesUntaggedRelease(t *testing.T) {
	for _, dryRun := range []bool{false, true} {
		name := "real"
		if dryRun {
			name = "dry run"
		}
		t.Run(name, func(t *testing.T) {
			e := newCutEnv(t)
			rc := e.r.Commit("chore(release): v1.1.0 [skip ci]")
			e.r.Commit("fix: after the release")
			e.r.Git("push", "-q", "origin", "main")
			o := e.opts()
			o.DryRun = dryRun
			before := e.state()
			_, err := e.cut(o)
			fix := "git tag -a -m \"Release v1.1.0\" v1.1.0 " + rc[:7] + " && git push origin v1.1.0"
			if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), fix) {
				t.Fatalf("error = %v, want a refusal with the fix %q", err, fix)
			}
			if diff := cmp.Diff(before, e.state()); diff != "" {
				t.Errorf("the refused release changed (-before +after):\n%s", diff)
			}
			if dryRun {
				return
			}

			e.r.Git("tag", "-a", "-m", "Release v1.1.0", "v1.1.0", rc)
			e.r.Git("push", "-q", "origin", "v1.1.0")
			rep, err := e.cut(e.opts())
			if err != nil {
				t.Fatal(err)
			}
			if p := rep.Plan; p.Tag != "v1.1.1" || p.PreviousTag != "v1.1.0" {
				t.Errorf("after tagging: release %s from %s, want v1.1.1 from v1.1.0", p.Tag, p.PreviousTag)
			}
		})
	}
}
