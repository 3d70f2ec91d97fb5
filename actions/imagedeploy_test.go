package actions

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// deployRepo is a repository whose .shipflow.yaml is yaml, with a script
// that records its arguments in args.txt.
func deployRepo(t *testing.T, yaml string) *gittest.Repo {
	t.Helper()
	g := gittest.New(t)
	g.WriteFile(".shipflow.yaml", yaml)
	g.WriteFile("deploy.sh", "#!/bin/sh\nprintf '%s\\n' \"$@\" > args.txt\n")
	if err := os.Chmod(filepath.Join(g.Dir, "deploy.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	g.Commit("feat: first")
	return g
}

func actionArgs(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "args.txt"))
	if err != nil {
		t.Fatalf("the command did not run: %v", err)
	}
	os.Remove(filepath.Join(dir, "args.txt"))
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// image-rollback: dry-run moves nothing; a rollback runs on-rollback with
// the version and digest. image-promote moves the environment tag and
// runs on-promote; its undo puts the tag back.
func TestImageRollbackActionCommandsAndPromote(t *testing.T) {
	repo := imagetest.Registry(t) + "/acme/app"
	g := deployRepo(t, "image:\n  repository: "+repo+"\n  on-rollback: ./deploy.sh rollback {{.Version}} {{.Digest}}\n  on-promote: ./deploy.sh {{.Env}} {{.Version}} {{.Digest}}\n")
	pushVersions(t, g.Dir, repo, "1.2.3", "1.3.0")
	before := imagetest.Tags(t, repo)

	d := newSim(t)
	d.input("dry-run", "true")
	if rep, err := d.run("image-rollback", g.Dir); err != nil || !strings.HasPrefix(rep.Title, "dry run") || !strings.Contains(d.summary(), "would run (image.on-rollback): ./deploy.sh rollback 1.2.3 "+before["1.2.3"]) {
		t.Fatalf("dry run: %v %+v\n%s", err, rep, d.summary())
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("a dry run moved tags (-before +after):\n%s", diff)
	}

	s := newSim(t)
	if _, err := s.run("image-rollback", g.Dir); err != nil {
		t.Fatalf("rollback: %v\n%s", err, s.log.String())
	}
	if got, want := actionArgs(t, g.Dir), []string{"rollback", "1.2.3", before["1.2.3"]}; !slices.Equal(got, want) {
		t.Errorf("on-rollback got %q, want %q", got, want)
	}

	p := newSim(t)
	p.input("env", "prod")
	p.input("image-version", "1.3.0")
	rep, err := p.run("image-promote", g.Dir)
	if err != nil {
		t.Fatalf("promote: %v\n%s", err, p.log.String())
	}
	if imagetest.Tags(t, repo)["prod"] != before["1.3.0"] || rep.Title != "promoted "+repo+" 1.3.0 to prod" {
		t.Errorf("promote: %q, prod = %s", rep.Title, imagetest.Tags(t, repo)["prod"])
	}
	if got, want := actionArgs(t, g.Dir), []string{"prod", "1.3.0", before["1.3.0"]}; !slices.Equal(got, want) {
		t.Errorf("on-promote got %q, want %q", got, want)
	}
	if out := p.outputs(); out["promoted"] != "true" || out["env"] != "prod" || out["digest"] != before["1.3.0"] || out["record"] != "shipflow-rollback.json" {
		t.Errorf("promote outputs %v", out)
	}
	p2 := newSim(t)
	p2.input("env", "prod")
	p2.input("image-version", "1.2.3")
	p2.input("on-promote", "none")
	if _, err := p2.run("image-promote", g.Dir); err != nil {
		t.Fatal(err)
	}
	u := newSim(t)
	u.input("undo", "true")
	if _, err := u.run("image-promote", g.Dir); err != nil {
		t.Fatalf("undo: %v\n%s", err, u.log.String())
	}
	if got := imagetest.Tags(t, repo)["prod"]; got != before["1.3.0"] {
		t.Errorf("prod after undo = %s, want 1.3.0's %s", got, before["1.3.0"])
	}
	if _, err := os.Stat(filepath.Join(g.Dir, "args.txt")); err == nil {
		t.Error("a command ran with on-promote none, or on undo")
	}
}

// image-watch after a rollback runs on-rollback, writes the incident
// record and opens the issue with the token.
func TestImageWatchActionIncident(t *testing.T) {
	repo := imagetest.Registry(t) + "/app"
	g := deployRepo(t, "image:\n  repository: "+repo+"\n  on-rollback: ./deploy.sh {{.Version}} {{.Digest}}\n")
	pushVersions(t, g.Dir, repo, "1.0.0", "1.1.0")
	before := imagetest.Tags(t, repo)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	t.Cleanup(bad.Close)
	f := githubfake.New(t)
	f.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Push: true})

	s := newSim(t)
	s.vars["GITHUB_API_URL"] = f.URL
	s.input("token", "ghs_watchtoken")
	s.input("report", "none")
	s.input("health", bad.URL)
	s.input("failures", "2")
	s.input("interval", "10ms")
	s.input("timeout", "5m")
	rep, err := s.run("image-watch", g.Dir)
	if err != nil {
		t.Fatalf("watch: %v\n%s", err, s.log.String())
	}
	if got, want := actionArgs(t, g.Dir), []string{"1.0.0", before["1.0.0"]}; !slices.Equal(got, want) {
		t.Errorf("on-rollback got %q, want %q", got, want)
	}
	is := f.Issues("Codertocat", "Hello-World")
	if len(is) != 1 || !slices.Equal(is[0].Labels, []string{"incident"}) || !strings.Contains(is[0].Body, "| 502 |") {
		t.Errorf("issues %+v", is)
	}
	out := s.outputs()
	if out["incident"] != "shipflow-incident.json" || !strings.HasSuffix(out["issue"], "/issues/1") || rep.Conclusion != Failed {
		t.Errorf("conclusion %s, outputs %v", rep.Conclusion, out)
	}
	if b, err := os.ReadFile(filepath.Join(g.Dir, "shipflow-incident.json")); err != nil || !strings.Contains(string(b), `"status": 502`) {
		t.Errorf("incident record: %v\n%s", err, b)
	}
	if !strings.Contains(s.summary(), "Incident: rollback of "+repo+" from 1.1.0 to 1.0.0") {
		t.Errorf("summary:\n%s", s.summary())
	}
}
