package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/image/imagetest"
	"go.yaml.in/yaml/v3"
)

// imageRun runs `shipflow -C dir image args...` in-process.
func imageRun(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"-C", dir, "image"}, args...), strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

// imageGolden compares got, with the registry's random port replaced,
// with testdata/image/<name>.golden; -update rewrites it.
func imageGolden(t *testing.T, name, host, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "image", name+".golden"), strings.ReplaceAll(got, host, "REGISTRY"))
}

func TestImagePushRollbackUndo(t *testing.T) {
	host := imagetest.Registry(t)
	repo := host + "/acme/app"
	g := gittest.New(t)
	g.Commit("feat: first")
	g.Tag("v1.2.3")
	code, stdout, stderr := imageRun(t, g.Dir, "push", "--from", imagetest.Tarball(t, 256, 1), "--to", repo)
	if code != exitOK {
		t.Fatalf("push 1.2.3: exit %d, %s", code, stderr)
	}
	imageGolden(t, "push-1.2.3", host, stdout)

	g.Commit("feat: second")
	g.Tag("v1.3.0")
	if code, _, stderr := imageRun(t, g.Dir, "push", "--from", imagetest.Tarball(t, 256, 2), "--to", repo); code != exitOK {
		t.Fatalf("push 1.3.0: exit %d, %s", code, stderr)
	}
	before := imagetest.Tags(t, repo)

	code, stdout, stderr = imageRun(t, g.Dir, "rollback", "--repo", repo)
	if code != exitOK {
		t.Fatalf("rollback: exit %d, %s", code, stderr)
	}
	imageGolden(t, "rollback", host, stdout)
	after := imagetest.Tags(t, repo)
	for tag, from := range map[string]string{"latest": "1.2.3", "1": "1.2.3", "1.3": "1.3.0", "1.3.0": "1.3.0"} {
		if after[tag] != before[from] {
			t.Errorf("after rollback %s = %s, want %s's %s", tag, after[tag], from, before[from])
		}
	}
	if _, err := os.Stat(filepath.Join(g.Dir, "shipflow-rollback.json")); err != nil {
		t.Errorf("no rollback record: %v", err)
	}

	code, stdout, stderr = imageRun(t, g.Dir, "rollback", "--undo")
	if code != exitOK {
		t.Fatalf("undo: exit %d, %s", code, stderr)
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("undo did not restore the tags (-before +after):\n%s\n%s", diff, stdout)
	}
}

func TestImagePushDryRunJSON(t *testing.T) {
	host := imagetest.Registry(t)
	repo := host + "/app"
	dir := t.TempDir() // not a git repository: --version is needed
	if code, _, stderr := imageRun(t, dir, "push", "--from", imagetest.Tarball(t, 64, 1), "--to", repo, "--version", "1.0.0"); code != exitOK {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	before := imagetest.Tags(t, repo)
	code, stdout, stderr := imageRun(t, dir, "push", "--from", imagetest.Tarball(t, 64, 2), "--to", repo, "--version", "1.1.0", "--dry-run", "--format", "json", "--label", "team=core")
	if code != exitOK {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	var rep struct {
		DryRun bool              `json:"dry_run"`
		Digest string            `json:"digest"`
		Labels map[string]string `json:"labels"`
		Tags   []struct{ Tag, Old, New string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	var got []string
	for _, c := range rep.Tags {
		old := c.Old
		if old == before["1.0.0"] {
			old = "1.0.0"
		}
		got = append(got, c.Tag+" "+old+"→"+map[bool]string{true: "new", false: c.New}[c.New == rep.Digest])
	}
	if diff := cmp.Diff([]string{"1.1.0 →new", "1.1 →new", "1 1.0.0→new", "latest 1.0.0→new"}, got); diff != "" {
		t.Errorf("dry-run tags (-want +got):\n%s", diff)
	}
	if !rep.DryRun || rep.Labels["team"] != "core" || rep.Labels["org.opencontainers.image.version"] != "1.1.0" {
		t.Errorf("dry_run %v, labels %v", rep.DryRun, rep.Labels)
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("dry run wrote to the registry (-before +after):\n%s", diff)
	}
}

func TestImageBuild(t *testing.T) {
	repo := imagetest.Registry(t) + "/app"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app"), []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := imageRun(t, dir, "build", "--base", imagetest.Tarball(t, 64, 1), "--file", "app:/usr/local/bin/app", "--to", repo, "--version", "0.1.0")
	if code != exitOK {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	if !strings.Contains(stdout, "pushed "+repo+"@sha256:") {
		t.Errorf("output:\n%s", stdout)
	}
	if got := imagetest.Labels(t, repo+":latest")["org.opencontainers.image.version"]; got != "0.1.0" {
		t.Errorf("version label = %q", got)
	}
}

// --user and --entrypoint (repeatable, one argument each) set the config
// of the built image, as the release workflow builds shipflow's own.
func TestImageBuildUserEntrypoint(t *testing.T) {
	host := imagetest.Registry(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app"), []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := imageRun(t, dir, "build", "--source", imagetest.Tarball(t, 64, 1), "--files", "app:/usr/local/bin/app",
		"--repository", host+"/app", "--image-version", "0.1.0",
		"--user", "65532:65532", "--entrypoint", "/usr/local/bin/app", "--entrypoint", "--flag=a, b")
	if code != exitOK {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	get := func(path, accept string, v any) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, "http://"+host+"/v2/app/"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var man struct{ Config struct{ Digest string } }
	get("manifests/0.1.0", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json", &man)
	var cfg struct {
		Config struct {
			User       string
			Entrypoint []string
			Cmd        []string
		}
	}
	get("blobs/"+man.Config.Digest, "*/*", &cfg)
	c := cfg.Config
	if c.User != "65532:65532" || !cmp.Equal(c.Entrypoint, []string{"/usr/local/bin/app", "--flag=a, b"}) || len(c.Cmd) != 0 {
		t.Errorf("config: user %q, entrypoint %q, cmd %q; want 65532:65532, [/usr/local/bin/app --flag=a, b], no cmd", c.User, c.Entrypoint, c.Cmd)
	}
}

func TestImageWatchRollsBack(t *testing.T) {
	host := imagetest.Registry(t)
	repo := host + "/app"
	dir := t.TempDir()
	for i, v := range []string{"1.0.0", "1.1.0"} {
		if code, _, stderr := imageRun(t, dir, "push", "--from", imagetest.Tarball(t, 64, int64(i)), "--to", repo, "--version", v); code != exitOK {
			t.Fatalf("push %s: exit %d, %s", v, code, stderr)
		}
	}
	health := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	t.Cleanup(health.Close)
	// Rolled back is exit 1: the release was unhealthy, and a pipeline
	// running the watch must notice.
	// --timeout is a hang guard: the default (the 10ms interval) would
	// turn a check slowed by a busy machine into a timeout.
	code, stdout, stderr := imageRun(t, dir, "watch", "--health", health.URL, "--failures", "2", "--interval", "10ms", "--timeout", "5m", "--repo", repo)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; %s", code, exitFindings, stderr)
	}
	for _, want := range []string{"2 checks, 2 failed, last 500 Internal Server Error", "rollback target: 1.0.0", "2 failures in a row: rolled back " + repo + " from 1.1.0 to 1.0.0", "record: shipflow-rollback.json"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	tags := imagetest.Tags(t, repo)
	if tags["latest"] != tags["1.0.0"] {
		t.Errorf("latest = %s, want 1.0.0's %s", tags["latest"], tags["1.0.0"])
	}

	// Healthy to the end is exit 0 (latest now names 1.0.0, and 1.0.0
	// has nothing below it: roll forward first so there is a target).
	if code, _, stderr := imageRun(t, dir, "rollback", "--repo", repo, "--to", "1.1.0"); code != exitOK {
		t.Fatalf("roll forward: exit %d, %s", code, stderr)
	}
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(ok.Close)
	code, stdout, stderr = imageRun(t, dir, "watch", "--health", ok.URL, "--failures", "2", "--interval", "10ms", "--timeout", "5m", "--max-duration", "50ms", "--repo", repo)
	if code != exitOK || !strings.Contains(stdout, "healthy: never 2 failures in a row") {
		t.Errorf("healthy watch: exit %d, stdout %q, stderr %q; want exit 0, healthy", code, stdout, stderr)
	}
}

func TestImageExitCodes(t *testing.T) {
	host := imagetest.Registry(t)
	dir := t.TempDir()
	tarball := imagetest.Tarball(t, 64, 1)
	if code, _, stderr := imageRun(t, dir, "push", "--from", tarball, "--to", host+"/taken", "--version", "1.0.0"); code != exitOK {
		t.Fatalf("setup: exit %d, %s", code, stderr)
	}
	// Records that read but cannot be undone.
	for name, rec := range map[string]string{
		"no-digests.json":  `{"repository": "` + host + `/taken"}`,
		"bad-repo.json":    `{"repository": "` + host + `/UPPER", "from_digest": "sha256:` + strings.Repeat("1", 64) + `", "to_digest": "sha256:` + strings.Repeat("2", 64) + `"}`,
		"created-tag.json": `{"repository": "` + host + `/taken", "env": "prod", "to": "1.0.0", "to_digest": "sha256:` + strings.Repeat("2", 64) + `"}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no source", []string{"push", "--to", host + "/a", "--version", "1.0.0"}, exitUsage, "no image to push: give --source"},
		{"bad format", []string{"push", "--from", tarball, "--to", host + "/a", "--format", "xml"}, exitUsage, `unknown --format "xml"`},
		{"no target", []string{"push", "--from", tarball, "--version", "1.0.0"}, exitUsage, "image.repository"},
		{"no version outside git", []string{"push", "--from", tarball, "--to", host + "/a"}, exitUsage, "give --image-version"},
		{"bad version", []string{"push", "--from", tarball, "--to", host + "/a", "--version", "1.2"}, exitUsage, `version "1.2" is not a semantic version`},
		{"bad file", []string{"build", "--base", tarball, "--file", "app", "--to", host + "/a", "--version", "1.0.0"}, exitUsage, "want [PLATFORM=]SRC:/ABSOLUTE/DST"},
		{"build without files", []string{"build", "--base", tarball, "--to", host + "/a"}, exitUsage, "at least one --file"},
		{"user without password", []string{"push", "--from", tarball, "--to", host + "/a", "--version", "1.0.0", "--username", "bob"}, exitUsage, "username and password go together"},
		{"version taken", []string{"push", "--from", imagetest.Tarball(t, 64, 2), "--to", host + "/taken", "--version", "1.0.0"}, exitFindings, `tag "1.0.0" already names`},
		{"missing tarball", []string{"push", "--from", "app.tar", "--to", host + "/a", "--version", "1.0.0"}, exitUsage, `source "` + filepath.Join(dir, "app.tar") + `" is a path (not an image reference) and cannot be read: stat ` + filepath.Join(dir, "app.tar") + ": no such file or directory"},
		{"missing dot path", []string{"push", "--from", "./app.tar", "--to", host + "/a", "--version", "1.0.0"}, exitUsage, "no such file or directory"},
		{"missing base", []string{"build", "--base", "base.tgz", "--file", tarball + ":/app", "--to", host + "/a", "--version", "1.0.0"}, exitUsage, "no such file or directory"},
		{"directory to append", []string{"build", "--base", tarball, "--file", "/etc:/etc", "--to", host + "/a", "--version", "1.0.0"}, exitUsage, `file to append "/etc" is a directory`},
		{"missing file to append", []string{"build", "--base", tarball, "--file", "none:/app", "--to", host + "/a", "--version", "1.0.0"}, exitUsage, "file to append: stat " + filepath.Join(dir, "none") + ": no such file or directory"},
		{"file above the root", []string{"build", "--base", tarball, "--file", tarball + ":/a/../../x", "--to", host + "/a", "--version", "1.0.0"}, exitUsage, "climbs above the root"},
		{"nothing to roll back to", []string{"rollback", "--repo", host + "/taken"}, exitFindings, "no release below 1.0.0"},
		{"rollback to a missing version", []string{"rollback", "--repo", host + "/taken", "--to", "9.9.9"}, exitUsage, `version "9.9.9" has no image (no tag 9.9.9); its releases are 1.0.0`},
		{"rollback to a prerelease", []string{"rollback", "--repo", host + "/taken", "--to", "1.2.4-rc.1"}, exitUsage, `target version "1.2.4-rc.1" is not a stable release`},
		{"watch health scheme typo", []string{"watch", "--health", "htp://app.example/healthz", "--repo", host + "/taken"}, exitUsage, `scheme "htp" is not http or https`},
		{"watch health bad URL", []string{"watch", "--health", "http://[::1", "--max-duration", "1s", "--repo", host + "/taken"}, exitUsage, `health URL "http://[::1"`},
		{"watch with nothing to roll back to", []string{"watch", "--health", "http://127.0.0.1:1/healthz", "--repo", host + "/taken"}, exitFindings, "resolving the rollback before watching: rolling back " + host + "/taken: no release below 1.0.0"},
		{"no rollback record", []string{"rollback", "--undo", "--record", "none.json"}, exitUsage, "reading the rollback record"},
		{"record without digests", []string{"rollback", "--undo", "--record", "no-digests.json"}, exitUsage, "the record names no repository or digests"},
		{"record with a bad repository", []string{"rollback", "--undo", "--record", "bad-repo.json"}, exitUsage, "UPPER"},
		{"undo of a promote that created its tag", []string{"promote", "--undo", "--record", "created-tag.json"}, exitUsage, "tag prod did not exist before it"},
		{"watch without health", []string{"watch", "--repo", host + "/taken"}, exitUsage, "no health URL"},
		{"watch negative timeout", []string{"watch", "--health", "http://127.0.0.1:1/healthz", "--timeout", "-1s", "--repo", host + "/taken"}, exitUsage, "must be positive"},
		{"watch zero failures", []string{"watch", "--health", "http://127.0.0.1:1/healthz", "--failures", "0", "--repo", host + "/taken"}, exitUsage, "failures, interval and max-duration must be positive"},
		{"registry down", []string{"push", "--from", tarball, "--to", "127.0.0.1:1/a", "--version", "1.0.0"}, exitFailure, "127.0.0.1:1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := imageRun(t, dir, c.args...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, c.code, c.want)
			}
		})
	}
}

// Pushing a second version from the same commit moves sha-<short> to it;
// a refused push does not claim it pushed.
func TestImagePushSameCommitTwoVersions(t *testing.T) {
	host := imagetest.Registry(t)
	repo := host + "/app"
	g := gittest.New(t)
	g.Commit("feat: first")
	for i, v := range []string{"1.2.4-rc.1", "1.2.4"} {
		if code, _, stderr := imageRun(t, g.Dir, "push", "--from", imagetest.Tarball(t, 64, 1), "--to", repo, "--version", v); code != exitOK {
			t.Fatalf("push %d (%s): exit %d, %s", i, v, code, stderr)
		}
	}
	tags := imagetest.Tags(t, repo)
	var sha string
	for tag := range tags {
		if strings.HasPrefix(tag, "sha-") {
			sha = tag
		}
	}
	if sha == "" || tags[sha] != tags["1.2.4"] || tags["1.2.4-rc.1"] == tags["1.2.4"] {
		t.Errorf("tags %v: want the commit tag on 1.2.4's image", tags)
	}

	code, stdout, stderr := imageRun(t, g.Dir, "push", "--from", imagetest.Tarball(t, 64, 2), "--to", repo, "--version", "1.2.4")
	if code != exitFindings || !strings.Contains(stderr, `tag "1.2.4" already names `+tags["1.2.4"]) || !strings.Contains(stderr, "published once") {
		t.Errorf("second 1.2.4: exit %d, stderr %q; want exit 1 naming tag 1.2.4 and why", code, stderr)
	}
	if !strings.HasPrefix(stdout, "not pushed "+repo+"@sha256:") {
		t.Errorf("a refused push says:\n%s", stdout)
	}
	if diff := cmp.Diff(tags, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("a refused push changed tags (-before +after):\n%s", diff)
	}
}

// A rollback record that cannot be written never hides a rollback: what
// moved is printed, then the error (exit 3).
func TestImageRollbackRecordUnwritable(t *testing.T) {
	repo := imagetest.Registry(t) + "/app"
	dir := t.TempDir()
	for i, v := range []string{"1.0.0", "1.1.0"} {
		if code, _, stderr := imageRun(t, dir, "push", "--from", imagetest.Tarball(t, 64, int64(i)), "--to", repo, "--version", v); code != exitOK {
			t.Fatalf("push %s: exit %d, %s", v, code, stderr)
		}
	}
	record := filepath.Join(dir, "nodir", "rb.json")
	cases := []struct {
		name   string
		args   []string
		stdout []string
	}{
		{"text", []string{"rollback", "--repo", repo, "--record", record}, []string{"rolled back " + repo + " from 1.1.0 to 1.0.0", "latest       moving", "moved", "record: NOT written", "to reverse it: shipflow image rollback --repo " + repo + " --to 1.1.0"}},
		{"json", []string{"rollback", "--repo", repo, "--to", "1.1.0", "--record", record, "--format", "json"}, []string{`"from": "1.0.0"`, `"to": "1.1.0"`, `"tag": "latest"`, `"written": true`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := imageRun(t, dir, c.args...)
			if code != exitFailure || !strings.Contains(stderr, "writing the rollback record") {
				t.Errorf("exit %d, stderr %q; want exit 3 and the record error", code, stderr)
			}
			for _, want := range c.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, stdout)
				}
			}
		})
	}
}

// A rollback stopped by a failed tag write prints what moved and what was
// put back, and records what stayed moved so that --undo can reverse it.
func TestImageRollbackTagWriteFailure(t *testing.T) {
	cases := []struct {
		name        string
		failRestore bool // putting tag 1 back fails too
		stdout      []string
		stderr      string
		record      bool
	}{
		{name: "put back", stdout: []string{"FAILED partway", "1            moving", "put back after a failure", "record: none written: no tag stayed moved"}, stderr: "put back 1 → sha256:"},
		{name: "not put back", failRestore: true, stdout: []string{"FAILED partway", "→ sha256:", "moved\n", "record: shipflow-rollback.json"}, stderr: "could NOT put back 1 ", record: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			backend := imagetest.Registry(t)
			target, _ := url.Parse("http://" + backend)
			var broken atomic.Bool
			var putsOf1 atomic.Int64
			proxy := httputil.NewSingleHostReverseProxy(target)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if broken.Load() && r.Method == http.MethodPut {
					fail := strings.HasSuffix(r.URL.Path, "/manifests/latest")
					if strings.HasSuffix(r.URL.Path, "/manifests/1") {
						fail = putsOf1.Add(1) > 1 && c.failRestore
					}
					if fail {
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusBadRequest)
						io.WriteString(w, `{"errors":[{"code":"DENIED","message":"injected"}]}`)
						return
					}
				}
				proxy.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			repo := strings.TrimPrefix(srv.URL, "http://") + "/app"
			dir := t.TempDir()
			for i, v := range []string{"1.0.0", "1.1.0"} {
				if code, _, stderr := imageRun(t, dir, "push", "--from", imagetest.Tarball(t, 64, int64(i)), "--to", repo, "--version", v); code != exitOK {
					t.Fatalf("push %s: exit %d, %s", v, code, stderr)
				}
			}
			broken.Store(true)
			code, stdout, stderr := imageRun(t, dir, "rollback", "--repo", repo)
			if code != exitFailure || !strings.Contains(stderr, `writing tag "latest"`) || !strings.Contains(stderr, c.stderr) {
				t.Errorf("exit %d, stderr %q; want exit 3 and the tag write error saying %q", code, stderr, c.stderr)
			}
			for _, want := range c.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, stdout)
				}
			}
			b, err := os.ReadFile(filepath.Join(dir, "shipflow-rollback.json"))
			if (err == nil) != c.record {
				t.Fatalf("record written = %v, want %v", err == nil, c.record)
			}
			if c.record && !strings.Contains(string(b), `"tag": "1"`) {
				t.Errorf("record does not hold tag 1:\n%s", b)
			}
		})
	}
}

// Two pushes at once whose moving tags could not be put right exit 3,
// naming the tags (the repairs that worked are shown:
// release.TestImagePushWriteText).
func TestImagePushConcurrentRepair(t *testing.T) {
	err := error(&image.ConvergeError{Repository: "r/app", Tags: []string{"latest"}, Details: []string{`"latest" names sha256:a, not the highest release 1.3.0`}})
	if code := exitCode(err); code != exitFailure || !strings.Contains(err.Error(), `"latest"`) {
		t.Errorf("exitCode(*ConvergeError) = %d (%v), want exit %d naming latest", code, err, exitFailure)
	}
}

// The flags of `image push` and `image build` are the image action's
// inputs, by name (the shared inputs of every action aside), and the
// older spellings still work.
func TestImagePushFlagsAreActionInputs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "actions", "image", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	shared := map[string]bool{"token": true, "report": true, "check-name": true, "strict": true, "working-directory": true, "version": true, "verify": true}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, dir: "."}
	for _, build := range []bool{false, true} {
		cmd := newImagePushCmd(e, build)
		for name := range action.Inputs {
			if !shared[name] && cmd.Flags().Lookup(name) == nil {
				t.Errorf("image %s has no flag --%s for the action input %s", cmd.Use, name, name)
			}
		}
		for old, name := range map[string]string{"from": "source", "to": "repository", "version": "image-version", "file": "files", "label": "labels"} {
			if fl := cmd.Flags().Lookup(old); fl == nil || fl.Name != name {
				t.Errorf("image %s: --%s is not an alias of --%s", cmd.Use, old, name)
			}
		}
	}
	if fl := newImagePushCmd(e, true).Flags().Lookup("base"); fl == nil || fl.Name != "source" {
		t.Errorf("image build: --base is not an alias of --source")
	}
}

// A flag wins over .shipflow.yaml, which wins over the default: the
// configuration turns latest off, --no-latest=false turns it back on.
func TestImagePushTagPolicyPrecedence(t *testing.T) {
	host := imagetest.Registry(t)
	cases := []struct {
		name       string
		args       []string
		wantLatest bool
	}{
		{"configuration", nil, false},
		{"flag over configuration", []string{"--no-latest=false"}, true},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := gittest.New(t)
			g.WriteFile(".shipflow.yaml", "image:\n  latest: false\n")
			g.Commit("feat: first")
			g.Tag("v1.0.0")
			repo := fmt.Sprintf("%s/app%d", host, i)
			args := append([]string{"push", "--source", imagetest.Tarball(t, 64, 1), "--repository", repo}, c.args...)
			if code, stdout, stderr := imageRun(t, g.Dir, args...); code != exitOK {
				t.Fatalf("exit %d, %s%s", code, stdout, stderr)
			}
			if _, ok := imagetest.Tags(t, repo)["latest"]; ok != c.wantLatest {
				t.Errorf("latest written = %v, want %v", ok, c.wantLatest)
			}
		})
	}
}

// --password-stdin is the password input: the registry, which asks for
// basic credentials, gets it.
func TestImagePushPasswordStdin(t *testing.T) {
	backend := imagetest.Registry(t)
	target, _ := url.Parse("http://" + backend)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "bob" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	repo := strings.TrimPrefix(srv.URL, "http://") + "/app"
	var out, errb bytes.Buffer
	args := []string{"-C", t.TempDir(), "image", "push", "--source", imagetest.Tarball(t, 64, 1), "--repository", repo, "--image-version", "1.0.0", "--username", "bob", "--password-stdin"}
	code := run(context.Background(), args, strings.NewReader("s3cret\n"), &out, &errb, func(string) string { return "" })
	if code != exitOK {
		t.Fatalf("exit %d, %s", code, errb.String())
	}
	if _, ok := imagetest.Tags(t, backend+"/app")["1.0.0"]; !ok {
		t.Errorf("1.0.0 not pushed:\n%s", out.String())
	}
}

// In the github format a refused push is an error annotation before the
// text report, as the image action writes it.
func TestImagePushGitHubFormat(t *testing.T) {
	host := imagetest.Registry(t)
	dir := t.TempDir()
	if code, _, stderr := imageRun(t, dir, "push", "--source", imagetest.Tarball(t, 64, 1), "--repository", host+"/app", "--image-version", "1.0.0"); code != exitOK {
		t.Fatalf("setup: exit %d, %s", code, stderr)
	}
	code, stdout, _ := imageRun(t, dir, "push", "--source", imagetest.Tarball(t, 64, 2), "--repository", host+"/app", "--image-version", "1.0.0", "--format", "github")
	if code != exitFindings || !strings.HasPrefix(stdout, `::error title=shipflow image::tag "1.0.0" already names sha256:`) || !strings.Contains(stdout, "\nnot pushed "+host+"/app@sha256:") {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 1, an error annotation, then the text report", code, stdout)
	}
}

// An undo the registry refuses fails (exit 3): its error used
// to be lost in a shadowed variable, and the undo exited 0 having done
// nothing.
func TestImageRollbackUndoFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "denied", http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	dir := t.TempDir()
	rec := fmt.Sprintf(`{"repository": %q, "from": "1.3.0", "from_digest": "sha256:%064x", "to": "1.2.3", "to_digest": "sha256:%064x",
		"tags": [{"tag": "latest", "kind": "moving", "old": "sha256:%064x", "new": "sha256:%064x", "written": true}]}`, host+"/acme/app", 1, 2, 1, 2)
	if err := os.WriteFile(filepath.Join(dir, "shipflow-rollback.json"), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := imageRun(t, dir, "rollback", "--undo")
	if code != exitFailure || !strings.Contains(stderr, "403") && !strings.Contains(stderr, "denied") {
		t.Errorf("undo against a failing registry: exit %d, stdout %q, stderr %q; want exit %d naming the failure", code, stdout, stderr, exitFailure)
	}
}
