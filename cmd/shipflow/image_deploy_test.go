package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// deployDir is a git work tree with .shipflow.yaml and scripts that
// record their arguments in args.txt, one a line.
func deployDir(t *testing.T, yaml string) string {
	t.Helper()
	dir := gittest.New(t).Dir
	if err := os.WriteFile(filepath.Join(dir, ".shipflow.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > args.txt\necho \"switched to $1\"\n"
	for _, name := range []string{"rollback.sh", "promote.sh"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "fail.sh"), []byte("#!/bin/sh\necho 'cannot switch' >&2\nexit 4\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// seedTwoReleases pushes 1.0.0 and 1.1.0 to repo (from outside the
// work tree, which has no commit).
func seedTwoReleases(t *testing.T, _, repo string) {
	t.Helper()
	dir := t.TempDir()
	for i, v := range []string{"1.0.0", "1.1.0"} {
		if code, _, stderr := imageRun(t, dir, "push", "--from", imagetest.Tarball(t, 64, int64(i)), "--to", repo, "--version", v); code != exitOK {
			t.Fatalf("push %s: exit %d, %s", v, code, stderr)
		}
	}
}

func readArgs(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "args.txt"))
	if err != nil {
		t.Fatalf("the command did not run: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// Against the real registry: a dry run shows what would move and the
// command, and moves nothing; the rollback then runs image.on-rollback
// with the version and digest it rolled back to, after the tags moved.
func TestImageRollbackRunsOnRollbackRealRegistry(t *testing.T) {
	repo := imagetest.RealRegistry(t) + "/acme/app"
	dir := deployDir(t, "image:\n  on-rollback: ./rollback.sh {{.Version}} {{.Digest}} {{.Previous}} {{.Tag}}\n")
	seedTwoReleases(t, dir, repo)
	before := imagetest.Tags(t, repo)

	code, stdout, stderr := imageRun(t, dir, "rollback", "--repo", repo, "--dry-run")
	if code != exitOK {
		t.Fatalf("dry run: exit %d, %s", code, stderr)
	}
	for _, want := range []string{
		"dry run: would roll back " + repo + " from 1.1.0 (" + before["1.1.0"] + ") to 1.0.0 (" + before["1.0.0"] + ")",
		"would move", "would run (image.on-rollback): ./rollback.sh 1.0.0 " + before["1.0.0"] + " " + before["1.1.0"] + " latest",
		"nothing moved (dry run)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, stdout)
		}
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("a dry run moved tags (-before +after):\n%s", diff)
	}
	for _, f := range []string{"args.txt", release.DefaultImageRecord} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("a dry run wrote %s", f)
		}
	}

	code, stdout, stderr = imageRun(t, dir, "rollback", "--repo", repo)
	if code != exitOK {
		t.Fatalf("rollback: exit %d, %s", code, stderr)
	}
	after := imagetest.Tags(t, repo)
	if after["latest"] != before["1.0.0"] {
		t.Fatalf("latest = %s, want 1.0.0's %s", after["latest"], before["1.0.0"])
	}
	if got, want := readArgs(t, dir), []string{"1.0.0", before["1.0.0"], before["1.1.0"], "latest"}; !slices.Equal(got, want) {
		t.Errorf("on-rollback got %q, want %q", got, want)
	}
	if !strings.Contains(stdout, "switched to 1.0.0") || strings.Index(stdout, "rolled back") > strings.Index(stdout, "switched to") {
		t.Errorf("the command's output is not passed through after the report:\n%s", stdout)
	}
}

// A failing command is exit 3, names the command and says that the tags
// have moved and how to put them back; --on-rollback wins over the
// configuration, and none runs nothing.
func TestImageRollbackCommandFails(t *testing.T) {
	repo := imagetest.Registry(t) + "/app"
	dir := deployDir(t, "image:\n  on-rollback: ./rollback.sh {{.Version}}\n")
	seedTwoReleases(t, dir, repo)
	code, stdout, stderr := imageRun(t, dir, "rollback", "--repo", repo, "--on-rollback", "./fail.sh {{.Version}}")
	if code != exitFailure {
		t.Fatalf("exit %d, want %d; %s", code, exitFailure, stderr)
	}
	for _, want := range []string{`--on-rollback "./fail.sh 1.0.0": exit status 4`, "the tags HAVE moved (1, latest now name 1.0.0", "shipflow image rollback --undo --record", "cannot switch"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stdout, "rolled back "+repo+" from 1.1.0 to 1.0.0") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "args.txt")); err == nil {
		t.Error("the configured command ran although --on-rollback replaced it")
	}
	// Undo runs nothing; a rollback with --on-rollback none neither.
	if code, _, stderr := imageRun(t, dir, "rollback", "--undo"); code != exitOK {
		t.Fatalf("undo: exit %d, %s", code, stderr)
	}
	if code, _, stderr := imageRun(t, dir, "rollback", "--repo", repo, "--on-rollback", "none"); code != exitOK {
		t.Fatalf("rollback with none: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "args.txt")); err == nil {
		t.Error("a command ran on undo or with --on-rollback none")
	}
	// A command that could run a shell by its program is refused before
	// anything moves.
	before := imagetest.Tags(t, repo)
	code, _, stderr = imageRun(t, dir, "rollback", "--repo", repo, "--to", "1.1.0", "--on-rollback", "/bin/sh -c id")
	if code != exitUsage || !strings.Contains(stderr, "is absolute") {
		t.Errorf("absolute program: exit %d, %s", code, stderr)
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("a refused command moved tags (-before +after):\n%s", diff)
	}
}

// Promote moves the environment tag by digest and runs image.on-promote;
// undo puts the previous digest back; a version without a tag is refused.
func TestImagePromoteThenUndoRealRegistry(t *testing.T) {
	repo := imagetest.RealRegistry(t) + "/acme/app"
	dir := deployDir(t, "image:\n  on-promote: [./promote.sh, \"{{.Env}}\", \"{{.Version}}\", \"{{.Digest}}\"]\n")
	seedTwoReleases(t, dir, repo)
	tags := imagetest.Tags(t, repo)
	if code, _, stderr := imageRun(t, dir, "promote", "1.0.0", "--env", "prod", "--repo", repo); code != exitOK {
		t.Fatalf("promote 1.0.0: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := imageRun(t, dir, "promote", "1.1.0", "--env", "prod", "--repo", repo)
	if code != exitOK {
		t.Fatalf("promote 1.1.0: exit %d, %s", code, stderr)
	}
	if !strings.Contains(stdout, "promoted "+repo+" 1.1.0 to prod (was 1.0.0)") || !strings.Contains(stdout, "undo with: shipflow image promote --undo") {
		t.Errorf("promote output:\n%s", stdout)
	}
	if got := imagetest.Tags(t, repo)["prod"]; got != tags["1.1.0"] {
		t.Errorf("prod = %s, want 1.1.0's %s", got, tags["1.1.0"])
	}
	if got, want := readArgs(t, dir), []string{"prod", "1.1.0", tags["1.1.0"]}; !slices.Equal(got, want) {
		t.Errorf("on-promote got %q, want %q", got, want)
	}
	if code, _, stderr := imageRun(t, dir, "promote", "--undo"); code != exitOK {
		t.Fatalf("undo: exit %d, %s", code, stderr)
	}
	if got := imagetest.Tags(t, repo)["prod"]; got != tags["1.0.0"] {
		t.Errorf("prod after undo = %s, want 1.0.0's %s", got, tags["1.0.0"])
	}
	before := imagetest.Tags(t, repo)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"promote", "9.9.9", "--env", "prod", "--repo", repo}, "version 9.9.9 has no image"},
		{[]string{"promote", "1.0.0", "--env", "latest", "--repo", repo}, "a tag that image push moves itself"},
		{[]string{"promote", "1.0.0", "--env", "-x", "--repo", repo}, "is not a tag name"},
		{[]string{"promote", "1.0.0", "--repo", repo}, "no environment"},
	} {
		if code, _, stderr := imageRun(t, dir, c.args...); code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, %s; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if code, stdout, stderr := imageRun(t, dir, "promote", "1.1.0", "--env", "prod", "--repo", repo, "--dry-run"); code != exitOK || !strings.Contains(stdout, "would run (image.on-promote): ./promote.sh prod 1.1.0 "+tags["1.1.0"]) {
		t.Errorf("dry run: exit %d, %s%s", code, stdout, stderr)
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("refused promotes or a dry run moved tags (-before +after):\n%s", diff)
	}
}

// When the watch rolls back, it runs the command, writes the incident
// record as JSON, prints it, and opens the incident issue (githubfake).
func TestImageWatchIncident(t *testing.T) {
	host := imagetest.Registry(t)
	repo := host + "/app"
	dir := deployDir(t, "image:\n  on-rollback: ./rollback.sh {{.Version}} {{.Digest}}\n")
	seedTwoReleases(t, dir, repo)
	tags := imagetest.Tags(t, repo)
	health := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }))
	t.Cleanup(health.Close)
	f := githubfake.New(t)
	f.AddRepo("acme", "app", githubfake.Permissions{Push: true})
	env := map[string]string{"GITHUB_TOKEN": "ghs_incidenttoken", "GITHUB_REPOSITORY": "acme/app", "GITHUB_API_URL": f.URL}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-C", dir, "image", "watch", "--health", health.URL, "--failures", "2", "--interval", "10ms", "--timeout", "5m", "--repo", repo},
		strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; %s", code, exitFindings, errb.String())
	}
	if got, want := readArgs(t, dir), []string{"1.0.0", tags["1.0.0"]}; !slices.Equal(got, want) {
		t.Errorf("on-rollback got %q, want %q", got, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, release.DefaultIncidentRecord))
	if err != nil {
		t.Fatal(err)
	}
	var inc release.Incident
	if err := json.Unmarshal(b, &inc); err != nil {
		t.Fatal(err)
	}
	if inc.From.Version != "1.1.0" || inc.To.Digest != tags["1.0.0"] || len(inc.FailedChecks) != 2 || inc.FailedChecks[0].Status != 503 ||
		inc.Command == nil || inc.Command.ExitCode != 0 || !strings.HasSuffix(inc.Issue, "/acme/app/issues/1") {
		t.Errorf("incident record:\n%s", b)
	}
	is := f.Issues("acme", "app")
	if len(is) != 1 || is[0].Title != "Incident: rollback of "+repo+" from 1.1.0 to 1.0.0" || !slices.Equal(is[0].Labels, []string{"incident"}) || !strings.Contains(is[0].Body, "| 503 |") {
		t.Errorf("issues: %+v", is)
	}
	if !strings.Contains(out.String(), "incident record: shipflow-incident.json") || !strings.Contains(out.String(), "issue: ") {
		t.Errorf("output:\n%s", out.String())
	}

	// A token that may not open issues: a warning, the record is written.
	f.SetPermissions("acme", "app", githubfake.Permissions{Pull: true})
	if code, _, stderr := imageRun(t, dir, "rollback", "--repo", repo, "--to", "1.1.0", "--on-rollback", "none"); code != exitOK {
		t.Fatalf("roll forward: exit %d, %s", code, stderr)
	}
	os.Remove(filepath.Join(dir, release.DefaultIncidentRecord))
	out.Reset()
	errb.Reset()
	code = run(context.Background(), []string{"-C", dir, "image", "watch", "--health", health.URL, "--failures", "2", "--interval", "10ms", "--timeout", "5m", "--repo", repo, "--incident", "incidents/today.json"},
		strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	if code != exitFindings || !strings.Contains(errb.String(), "warning: no incident issue opened") || strings.Contains(out.String()+errb.String(), "ghs_incidenttoken") {
		t.Errorf("exit %d, stderr %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "incidents", "today.json")); err != nil {
		t.Errorf("no incident record: %v", err)
	}
}

// The repository's image.on-rollback and image.on-promote run only in the
// verbs that exist to run them: next, changelog, lint, pr, release,
// secrets and test never start them, whatever else they read from
// .shipflow.yaml.
func TestImageCommandsRunOnlyInImageVerbs(t *testing.T) {
	g := gittest.New(t)
	g.WriteFile(".shipflow.yaml", "image:\n  repository: 127.0.0.1:1/app\n  on-rollback: ./pwn.sh rollback\n  on-promote: [./pwn.sh, promote]\n")
	g.WriteFile("pwn.sh", "#!/bin/sh\ntouch pwned-$1\n")
	if err := os.Chmod(filepath.Join(g.Dir, "pwn.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	g.Commit("feat: first")
	g.Tag("v1.0.0")
	g.Commit("fix: second")
	for _, args := range [][]string{
		{"next"}, {"next", "--format", "json"}, {"changelog", "--dry-run"}, {"lint", "--from", "v1.0.0"},
		{"pr", "--title", "fix: x"}, {"release", "--dry-run", "--local"}, {"branch", "check"},
	} {
		runShipflow(t, g.Dir, "", args...)
		for _, f := range []string{"pwned-rollback", "pwned-promote"} {
			if _, err := os.Stat(filepath.Join(g.Dir, f)); err == nil {
				t.Errorf("shipflow %s ran the image command (%s exists)", strings.Join(args, " "), f)
				os.Remove(filepath.Join(g.Dir, f))
			}
		}
	}
}
