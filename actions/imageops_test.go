package actions

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// pushVersions pushes one image per version to repo with the image action,
// as a release workflow does.
func pushVersions(t *testing.T, dir, repo string, versions ...string) {
	t.Helper()
	for i, v := range versions {
		s := newSim(t)
		s.input("source", imagetest.Tarball(t, 64, int64(i+1)))
		s.input("repository", repo)
		s.input("image-version", v)
		if rep, err := s.run("image", dir); err != nil || rep.Conclusion != Success {
			t.Fatalf("push %s: %v %+v\n%s", v, err, rep, s.log.String())
		}
	}
}

// The image-rollback action moves what `shipflow image rollback` moves,
// writes the record in the working directory, and undoes it from there.
func TestImageRollbackAndUndo(t *testing.T) {
	host := imagetest.Registry(t)
	repo := host + "/acme/app"
	g := gittest.New(t)
	g.Commit("feat: first")
	pushVersions(t, g.Dir, repo, "1.2.3", "1.3.0")
	before := imagetest.Tags(t, repo)

	s := newSim(t)
	s.input("repo", repo)
	s.input("record", "shipflow-rollback.json")
	rep, err := s.run("image-rollback", g.Dir)
	if err != nil {
		t.Fatalf("rollback: %v\n%s", err, s.log.String())
	}
	out := s.outputs()
	want := map[string]string{
		"rolled-back": "true", "repository": repo, "from-version": "1.3.0", "version": "1.2.3",
		"digest": before["1.2.3"], "tags": repo + ":1\n" + repo + ":latest", "record": "shipflow-rollback.json",
	}
	if diff := cmp.Diff(want, out); diff != "" || rep.Conclusion != Success {
		t.Errorf("conclusion %s, outputs (-want +got):\n%s", rep.Conclusion, diff)
	}
	after := imagetest.Tags(t, repo)
	for tag, from := range map[string]string{"latest": "1.2.3", "1": "1.2.3", "1.3": "1.3.0", "1.3.0": "1.3.0"} {
		if after[tag] != before[from] {
			t.Errorf("after rollback %s = %s, want %s's %s", tag, after[tag], from, before[from])
		}
	}
	if _, err := os.Stat(filepath.Join(g.Dir, "shipflow-rollback.json")); err != nil {
		t.Errorf("no rollback record: %v", err)
	}
	if sum := s.summary(); !strings.Contains(sum, "rolled back "+repo+" from 1.3.0 to 1.2.3") || !strings.Contains(sum, "```text") {
		t.Errorf("summary:\n%s", sum)
	}

	u := newSim(t)
	u.input("undo", "true")
	u.input("record", "shipflow-rollback.json")
	if rep, err := u.run("image-rollback", g.Dir); err != nil || rep.Conclusion != Success {
		t.Fatalf("undo: %v %+v\n%s", err, rep, u.log.String())
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("undo did not restore the tags (-before +after):\n%s", diff)
	}
	if got := u.outputs()["version"]; got != "1.3.0" {
		t.Errorf("undo version = %q, want 1.3.0", got)
	}
}

// Nothing to roll back to fails the step with an error annotation (the
// CLI's exit 1); a workflow's mistakes are input errors.
func TestImageRollbackRefusals(t *testing.T) {
	host := imagetest.Registry(t)
	g := gittest.New(t)
	g.Commit("feat: first")
	pushVersions(t, g.Dir, host+"/one", "1.0.0")

	s := newSim(t)
	s.input("repo", host+"/one")
	rep, err := s.run("image-rollback", g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conclusion != Failed || s.outputs()["rolled-back"] != "false" || !strings.Contains(s.log.String(), "::error title=shipflow image-rollback::") ||
		!strings.Contains(rep.Title, "no release below 1.0.0") {
		t.Errorf("conclusion %s, title %q, log:\n%s", rep.Conclusion, rep.Title, s.log.String())
	}

	for _, tc := range []struct {
		name   string
		inputs map[string]string
		want   string
	}{
		{"no repository", nil, "no repository"},
		{"prerelease target", map[string]string{"repo": host + "/one", "to": "1.2.4-rc.1"}, "not a stable release"},
		{"no record", map[string]string{"undo": "true", "record": "none.json"}, "reading the rollback record"},
		{"record outside the work tree", map[string]string{"undo": "true", "record": "../x.json"}, "reading the rollback record"},
		{"bad undo", map[string]string{"undo": "yes"}, `"yes" is not a boolean`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			for k, v := range tc.inputs {
				s.input(k, v)
			}
			_, err := s.run("image-rollback", g.Dir)
			var ie *InputError
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &ie) {
				t.Errorf("err = %v, want an input error with %q", err, tc.want)
			}
		})
	}

	// A record that reads but cannot be undone is the workflow's mistake
	// in both steps that undo (the rollback's undo let image.Undo's
	// refusals through as failures).
	g.WriteFile("no-digests.json", `{"repository": "`+host+`/one"}`)
	g.WriteFile("bad-repo.json", `{"repository": "`+host+`/UPPER", "from_digest": "sha256:`+strings.Repeat("1", 64)+`", "to_digest": "sha256:`+strings.Repeat("2", 64)+`"}`)
	g.WriteFile("created-tag.json", `{"repository": "`+host+`/one", "env": "prod", "to": "1.0.0", "to_digest": "sha256:`+strings.Repeat("2", 64)+`"}`)
	for _, step := range []string{"image-rollback", "image-promote"} {
		for record, want := range map[string]string{
			"no-digests.json":  "the record names no repository or digests",
			"bad-repo.json":    "UPPER",
			"created-tag.json": "tag prod did not exist before it",
		} {
			t.Run(step+" undo "+record, func(t *testing.T) {
				s := newSim(t)
				s.input("undo", "true")
				s.input("record", record)
				_, err := s.run(step, g.Dir)
				var ie *InputError
				if err == nil || !strings.Contains(err.Error(), want) || !errors.As(err, &ie) {
					t.Errorf("err = %v, want an input error with %q", err, want)
				}
			})
		}
	}
}

// image-watch rolls back an unhealthy release and fails the step; a
// healthy one passes. Inputs win over image.watch in .shipflow.yaml.
func TestImageWatch(t *testing.T) {
	host := imagetest.Registry(t)
	repo := host + "/app"
	g := gittest.New(t)
	g.WriteFile(".shipflow.yaml", "image:\n  repository: "+repo+"\n  watch:\n    failures: 7\n    health: http://127.0.0.1:1/never\n")
	g.Commit("feat: first")
	pushVersions(t, g.Dir, repo, "1.0.0", "1.1.0")
	before := imagetest.Tags(t, repo)

	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	t.Cleanup(bad.Close)
	s := newSim(t)
	s.input("health", bad.URL)
	s.input("failures", "2")
	s.input("interval", "10ms")
	s.input("timeout", "5m")
	rep, err := s.run("image-watch", g.Dir)
	if err != nil {
		t.Fatalf("watch: %v\n%s", err, s.log.String())
	}
	out := s.outputs()
	want := map[string]string{"outcome": "rolled back", "rolled-back": "true", "target": "1.0.0", "checks": "2", "failed-checks": "2",
		"version": "1.0.0", "digest": before["1.0.0"], "tags": repo + ":1\n" + repo + ":latest", "record": "shipflow-rollback.json",
		"incident": "shipflow-incident.json", "issue": ""}
	if diff := cmp.Diff(want, out); diff != "" || rep.Conclusion != Failed {
		t.Errorf("conclusion %s (want failure), outputs (-want +got):\n%s", rep.Conclusion, diff)
	}
	if tags := imagetest.Tags(t, repo); tags["latest"] != before["1.0.0"] {
		t.Errorf("latest = %s, want 1.0.0's %s", tags["latest"], before["1.0.0"])
	}
	if _, err := os.Stat(filepath.Join(g.Dir, "shipflow-rollback.json")); err != nil {
		t.Errorf("no rollback record: %v", err)
	}
	if sum := s.summary(); !strings.Contains(sum, "2 checks, 2 failed, last 500 Internal Server Error") {
		t.Errorf("summary:\n%s", sum)
	}

	// Roll forward, then a healthy watch passes.
	f := newSim(t)
	f.input("to", "1.1.0")
	if _, err := f.run("image-rollback", g.Dir); err != nil {
		t.Fatal(err)
	}
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(ok.Close)
	h := newSim(t)
	h.input("health", ok.URL)
	h.input("interval", "10ms")
	h.input("timeout", "5m")
	h.input("max-duration", "50ms")
	rep, err = h.run("image-watch", g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if out := h.outputs(); rep.Conclusion != Success || out["outcome"] != "healthy" || out["rolled-back"] != "false" || out["version"] != "" {
		t.Errorf("healthy watch: conclusion %s, outputs %v", rep.Conclusion, out)
	}

	w := newSim(t)
	w.input("health", "htp://app.example/healthz")
	var ie *InputError
	if _, err := w.run("image-watch", g.Dir); !errors.As(err, &ie) || !strings.Contains(err.Error(), `scheme "htp"`) {
		t.Errorf("bad health URL: err = %v", err)
	}
}

// A release workflow runs image-watch after every push: without a health
// URL (no health input, no image.watch.health) there is nothing to watch,
// and the step is skipped, saying so, instead of failing the release.
func TestImageWatchWithoutHealthURLSkips(t *testing.T) {
	g := gittest.New(t)
	g.WriteFile(".shipflow.yaml", "image:\n  repository: 127.0.0.1:1/app\n")
	g.Commit("feat: first")
	s := newSim(t)
	rep, err := s.run("image-watch", g.Dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Skipped || !strings.Contains(rep.Title, "image.watch.health") || s.outputs()["outcome"] != "skipped" || s.outputs()["rolled-back"] != "false" {
		t.Errorf("conclusion %s, title %q, outputs %v", rep.Conclusion, rep.Title, s.outputs())
	}
}

// The first release has nothing to roll back to: the watch warns and
// does not fail the release.
func TestImageWatchFirstReleaseIsNotWatched(t *testing.T) {
	host := imagetest.Registry(t)
	g := gittest.New(t)
	g.Commit("feat: first")
	pushVersions(t, g.Dir, host+"/app", "1.0.0")
	s := newSim(t)
	s.input("health", "http://127.0.0.1:1/healthz")
	s.input("repo", host+"/app")
	rep, err := s.run("image-watch", g.Dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Neutral || s.outputs()["outcome"] != "not watched" || !strings.Contains(s.log.String(), "::warning title=shipflow image-watch::not watched") {
		t.Errorf("conclusion %s, outputs %v, log:\n%s", rep.Conclusion, s.outputs(), s.log.String())
	}
}
