package release

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// The files of a Python service with a web front end, formatted as people
// write them: comments, odd spacing, CRLF line endings in package.json.
const (
	vfPyproject = "# the service\r\n[project]\r\nname = \"svc\"   # keep\r\nversion = \"0.1.0\"  # shipflow bumps this\r\n\r\n[tool.other]\r\nversion = \"9.9.9\"\r\n"
	vfPackage   = "{\r\n  \"name\": \"web\",\r\n    \"version\":   \"0.1.0\",\r\n  \"dependencies\": {\"x\": \"0.1.0\"}\r\n}\r\n"
)

func vfEnv(t *testing.T) {
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Release Bot", "GIT_AUTHOR_EMAIL": "bot@example.com", "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME": "Release Bot", "GIT_COMMITTER_EMAIL": "bot@example.com", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
}

// A local release writes the new version into pyproject.toml and
// package.json, changing only the version's bytes, and commits them with
// CHANGELOG.md in the release commit; a re-run changes nothing.
func TestCutLocalBumpsVersionFiles(t *testing.T) {
	vfEnv(t)
	r := gittest.New(t)
	r.WriteFile("pyproject.toml", vfPyproject)
	r.WriteFile("package.json", vfPackage)
	r.Git("add", "--", "pyproject.toml", "package.json")
	r.Commit("chore: start")
	r.AnnotatedTag("v0.1.0", "v0.1.0")
	r.Commit("feat: add widgets")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := CutOptions{Local: true, Now: func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }}

	dry := opts
	dry.DryRun = true
	drep, err := Cut(context.Background(), repo, dry)
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	var text bytes.Buffer
	if err := drep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	wantFiles := "version files (→ 0.2.0):\n  pyproject.toml:4:12: project.version = \"0.1.0\"\n  package.json:3:19: version = \"0.1.0\"\n"
	if !strings.Contains(text.String(), wantFiles) {
		t.Errorf("dry run text lacks\n%s\ngot:\n%s", wantFiles, text.String())
	}
	if got := r.Git("status", "--porcelain"); got != "" {
		t.Errorf("dry run changed the work tree: %q", got)
	}

	rep, err := Cut(context.Background(), repo, opts)
	if err != nil {
		t.Fatalf("cut: %v (%+v)", err, rep)
	}
	if rep.Plan.Tag != "v0.2.0" || len(rep.Plan.VersionFiles) != 2 {
		t.Fatalf("plan %+v", rep.Plan)
	}
	if got := r.Git("show", "--name-only", "--format=", "v0.2.0^{commit}"); got != "CHANGELOG.md\npackage.json\npyproject.toml" {
		t.Errorf("release commit holds %q", got)
	}
	want := map[string]string{
		"pyproject.toml": strings.Replace(vfPyproject, "version = \"0.1.0\"", "version = \"0.2.0\"", 1),
		"package.json":   strings.Replace(vfPackage, "\"version\":   \"0.1.0\"", "\"version\":   \"0.2.0\"", 1),
	}
	for name, w := range want {
		if got := r.Git("show", "v0.2.0:"+name); got+"\r\n" != w {
			t.Errorf("%s in the release commit (-want +got):\n%s", name, cmp.Diff(w, got+"\r\n"))
		}
	}
	if got := r.Git("status", "--porcelain"); got != "" {
		t.Errorf("work tree not clean after the release: %q", got)
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
		t.Errorf("re-run changed refs:\n%s\n→\n%s", before, after)
	}
	if got := r.Git("status", "--porcelain"); got != "" {
		t.Errorf("re-run changed the work tree: %q", got)
	}
}

// A changelog step that finds CHANGELOG.md already written but a version
// file not yet bumped (a run stopped between the two) still bumps it.
func TestCutChangelogStepBumpsWhatIsLeft(t *testing.T) {
	vfEnv(t)
	r := gittest.New(t)
	r.WriteFile("VERSION", "0.1.0\n")
	r.Git("add", "--", "VERSION")
	r.Commit("chore: start")
	r.AnnotatedTag("v0.1.0", "v0.1.0")
	r.Commit("fix: a bug")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := Plan(context.Background(), repo, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := &cutter{repo: repo, opts: CutOptions{Local: true}}
	p := &CutPlan{Version: "0.1.1", ChangelogFile: "CHANGELOG.md", Notes: "## 0.1.1\n\n- a bug\n", VersionFiles: pr.VersionFiles}
	r.WriteFile("CHANGELOG.md", "# Changelog\n\n## 0.1.1\n\n- a bug\n")
	step := cutChangelog{c}
	if why := step.Skip(context.Background(), p); why != "" {
		t.Fatalf("skipped: %s", why)
	}
	if err := step.Run(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if got := r.Git("diff", "--", "VERSION"); !strings.Contains(got, "+0.1.1") {
		t.Errorf("VERSION not bumped: %s", got)
	}
	p.VersionFiles[0].Value = "0.1.1"
	if why := step.Skip(context.Background(), p); why != "CHANGELOG.md and the version files already have 0.1.1" {
		t.Errorf("skip = %q", why)
	}
}
