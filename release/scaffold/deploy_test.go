package scaffold

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scripts renders the deploy scripts with d and writes them, with their
// modes, into a new directory that also holds a .env; it returns the
// directory.
func scripts(t *testing.T, d Deploy) string {
	t.Helper()
	files, err := render(Project{}, "", nil, d)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	n := 0
	for _, f := range files {
		if f.Path != DeployScriptPath && f.Path != RollbackScriptPath {
			continue
		}
		n++
		if f.Mode != 0o755 {
			t.Errorf("%s has mode %v, want 0755", f.Path, f.Mode)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Path), f.Data, f.Mode); err != nil {
			t.Fatal(err)
		}
	}
	if n != 2 {
		t.Fatalf("the scaffold has %d of deploy_docker.sh and rollback.sh", n)
	}
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("SECRET_KEY=x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDeployScriptsPassShellcheck: both scripts, with and without the
// settings init found in .shipflow.yaml, are shellcheck-clean. shellcheck
// must be installed (scripts/test.sh installs it).
func TestDeployScriptsPassShellcheck(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Fatal("shellcheck is not installed (apt-get install shellcheck; scripts/test.sh does)")
	}
	for name, d := range map[string]Deploy{
		"no settings":   {},
		"with settings": {Repository: "ghcr.io/acme/app", Health: "https://app.example/healthz"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := scripts(t, d)
			// Every optional check too, but two: SC2250 wants braces
			// around every variable, and SC2310 notes that set -e is off
			// in an if's condition, where the scripts' exists() runs and
			// exits 3 itself when docker fails.
			cmd := exec.Command(sc, "--norc", "--enable=all", "--exclude=SC2250,SC2310", DeployScriptPath, RollbackScriptPath)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("shellcheck: %v\n%s", err, out)
			}
		})
	}
}

// TestDeploySettingsAreQuoted: image.repository and image.watch.health
// reach the scripts single-quoted, and only when they are a repository
// name and an http(s) URL: nothing else of .shipflow.yaml gets into a
// script.
func TestDeploySettingsAreQuoted(t *testing.T) {
	cases := []struct {
		name       string
		in         Deploy
		repo, heal string
	}{
		{"plain", Deploy{Repository: "ghcr.io/acme/app", Health: "https://app.example/healthz"}, "ghcr.io/acme/app", "https://app.example/healthz"},
		{"registry with a port", Deploy{Repository: "localhost:5000/app"}, "localhost:5000/app", ""},
		{"command in the repository", Deploy{Repository: "x/$(touch pwned)"}, "", ""},
		{"quote in the repository", Deploy{Repository: "x/a'b"}, "", ""},
		{"not a URL", Deploy{Health: "file:///etc/passwd"}, "", ""},
		{"quote and command in the URL", Deploy{Health: "http://h/'$(touch pwned)'"}, "", "http://h/'$(touch pwned)'"},
		{"newline in the URL", Deploy{Health: "http://h/\nx"}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := scripts(t, c.in)
			// Print what the script's assignments leave in its variables.
			data, err := os.ReadFile(filepath.Join(dir, DeployScriptPath))
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for l := range strings.SplitSeq(string(data), "\n") {
				if strings.HasPrefix(l, "default_image=") || strings.HasPrefix(l, "default_health=") {
					lines = append(lines, l)
				}
			}
			script := strings.Join(lines, "\n") + "\nprintf '%s\\n%s\\n' \"$default_image\" \"$default_health\"\n"
			cmd := exec.Command("bash", "-c", script)
			cmd.Dir = dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v\n%s", err, script)
			}
			if diff := cmp.Diff(c.repo+"\n"+c.heal+"\n", string(out)); diff != "" {
				t.Errorf("defaults (-want +got):\n%s", diff)
			}
			if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
				t.Error("a setting ran a command")
			}
		})
	}
}

// fakeDocker is a stand-in docker: it appends its arguments to $LOG and
// keeps containers as files in $STATE (the file holds the image, NAME.running
// says it runs). pull, image inspect (a digest made from the reference),
// ps -a --filter name=PART, inspect (the image), rename, stop, start,
// rm -f and run -d --name are what the scripts use.
const fakeDocker = `#!/usr/bin/env bash
set -euo pipefail
printf 'docker %s\n' "$*" >>"$LOG"
st=$STATE
case $1 in
pull) [[ ${FAIL:-} != pull ]] ;;
image)
	ref=${*: -1}
	printf '%s@sha256:%s\n' "${ref%:*}" "$(printf '%s' "$ref" | sha256sum | cut -c1-64)" ;;
ps)
	for f in "$st"/*; do
		f=${f##*/}
		if [[ $f == *"${4#name=}"* && $f != *.running ]]; then echo "$f"; fi
	done ;;
inspect) cat "$st/${*: -1}" ;;
rename)
	[[ -e $st/$2 && ! -e $st/$3 ]]
	mv "$st/$2" "$st/$3"
	if [[ -e $st/$2.running ]]; then mv "$st/$2.running" "$st/$3.running"; fi ;;
stop) rm -f "$st/$2.running" ;;
start) [[ -e $st/$2 ]] && touch "$st/$2.running" ;;
rm) rm -f "$st/$3" "$st/$3.running" ;;
run)
	[[ ${FAIL:-} != run ]]
	name=$4
	[[ ! -e $st/$name ]]
	printf '%s\n' "${*: -1}" >"$st/$name"
	touch "$st/$name.running"
	echo 0123456789ab ;;
*) echo "fake docker: $1 not known" >&2; exit 125 ;;
esac
`

// fakeShipflow stands in for shipflow: it logs its arguments and exits
// $WATCH_EXIT (the watch's verdict).
const fakeShipflow = `#!/bin/sh
printf 'shipflow %s\n' "$*" >>"$LOG"
exit "${WATCH_EXIT:-0}"
`

// host is a deploy host: the scripts, a fake docker and shipflow on PATH,
// and their state.
type host struct {
	t               *testing.T
	dir, state, log string
	env             []string
	stdout, stderr  string
	bin             string
}

func newHost(t *testing.T, d Deploy) *host {
	h := &host{t: t, dir: scripts(t, d), state: t.TempDir(), bin: t.TempDir()}
	h.log = filepath.Join(t.TempDir(), "log")
	for name, body := range map[string]string{"docker": fakeDocker, "shipflow": fakeShipflow} {
		if err := os.WriteFile(filepath.Join(h.bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h.env = []string{"PATH=" + h.bin + ":/usr/bin:/bin", "LOG=" + h.log, "STATE=" + h.state, "HOME=" + t.TempDir()}
	return h
}

// container makes a container that runs (or not) image.
func (h *host) container(name, image string, running bool) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.state, name), []byte(image+"\n"), 0o644); err != nil {
		h.t.Fatal(err)
	}
	if running {
		if err := os.WriteFile(filepath.Join(h.state, name+".running"), nil, 0o644); err != nil {
			h.t.Fatal(err)
		}
	}
}

// containers returns every container: its image, and " (running)".
func (h *host) containers() map[string]string {
	h.t.Helper()
	entries, err := os.ReadDir(h.state)
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".running")
		if ok {
			continue
		}
		b, err := os.ReadFile(filepath.Join(h.state, name))
		if err != nil {
			h.t.Fatal(err)
		}
		out[name] = strings.TrimSpace(string(b))
		if _, err := os.Stat(filepath.Join(h.state, name+".running")); err == nil {
			out[name] += " (running)"
		}
	}
	return out
}

// run runs a script with args and extra environment, and returns its
// exit code and the commands it ran (docker and shipflow), clearing the
// log.
func (h *host) run(script string, env []string, args ...string) (int, []string) {
	h.t.Helper()
	cmd := exec.CommandContext(context.Background(), "./"+script, args...)
	cmd.Dir = h.dir
	cmd.Env = append(append([]string{}, h.env...), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	h.stdout, h.stderr = stdout.String(), stderr.String()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		h.t.Fatal(err)
	}
	b, err := os.ReadFile(h.log)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		h.t.Fatal(err)
	}
	if err := os.Remove(h.log); err != nil && !errors.Is(err, os.ErrNotExist) {
		h.t.Fatal(err)
	}
	return code, strings.Split(strings.TrimSpace(string(b)), "\n")
}

// digestOf is the fake docker's digest of ref.
func digestOf(ref string) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(ref)))
}

const (
	appRepo = "ghcr.io/acme/app"
	oldRef  = appRepo + "@sha256:0000000000000000000000000000000000000000000000000000000000000001"
)

// deployCommands are the commands of a deploy of 1.2.0 over a running
// app and an older app-previous, up to the watch.
var deployCommands = []string{
	"docker pull ghcr.io/acme/app:1.2.0",
	"docker image inspect --format {{index .RepoDigests 0}} ghcr.io/acme/app:1.2.0",
	"docker ps -a --filter name=app --format {{.Names}}",
	"docker inspect --format {{.Config.Image}} app",
	"docker ps -a --filter name=app-previous --format {{.Names}}",
	"docker rm -f app-previous",
	"docker rename app app-previous",
	"docker stop app-previous",
	"docker run -d --name app --env-file .env -p 8000:8000 --restart unless-stopped ghcr.io/acme/app@" + digestOf(appRepo+":1.2.0"),
	"shipflow image watch --repo ghcr.io/acme/app --health http://127.0.0.1:8000/healthz",
}

// rollbackCommands are the commands of a rollback from a running app to
// app-previous, with no app-failed yet.
var rollbackCommands = []string{
	"docker ps -a --filter name=app-previous --format {{.Names}}",
	"docker ps -a --filter name=app --format {{.Names}}",
	"docker ps -a --filter name=app-failed --format {{.Names}}",
	"docker stop app",
	"docker rename app app-failed",
	"docker rename app-previous app",
	"docker start app",
	"docker inspect --format {{.Config.Image}} app",
}

func TestDeployDocker(t *testing.T) {
	newRef := appRepo + "@" + digestOf(appRepo+":1.2.0")
	t.Run("healthy", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		h.container("app", oldRef, true)
		h.container("app-previous", appRepo+"@sha256:00", false)
		code, cmds := h.run(DeployScriptPath, nil, "1.2.0")
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, h.stdout, h.stderr)
		}
		if diff := cmp.Diff(deployCommands, cmds); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
		want := map[string]string{"app": newRef + " (running)", "app-previous": oldRef}
		if diff := cmp.Diff(want, h.containers()); diff != "" {
			t.Errorf("containers (-want +got):\n%s", diff)
		}
		// The same version again: nothing to do.
		code, cmds = h.run(DeployScriptPath, nil, "v1.2.0")
		if code != 0 || !strings.Contains(h.stdout, "nothing to deploy") {
			t.Errorf("again: exit %d\n%s%s", code, h.stdout, h.stderr)
		}
		if diff := cmp.Diff(want, h.containers()); diff != "" {
			t.Errorf("containers after the same deploy (-want +got):\n%s", diff)
		}
		if n := len(cmds); n != 5 || cmds[4] != "docker start app" {
			t.Errorf("the same deploy ran %q", cmds)
		}
	})
	t.Run("unhealthy rolls back", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		h.container("app", oldRef, true)
		h.container("app-previous", appRepo+"@sha256:00", false)
		code, cmds := h.run(DeployScriptPath, []string{"WATCH_EXIT=1"}, "1.2.0")
		if code != 1 {
			t.Fatalf("exit %d, want 1\n%s%s", code, h.stdout, h.stderr)
		}
		if diff := cmp.Diff(append(append([]string{}, deployCommands...), rollbackCommands...), cmds); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
		want := map[string]string{"app": oldRef + " (running)", "app-failed": newRef}
		if diff := cmp.Diff(want, h.containers()); diff != "" {
			t.Errorf("containers (-want +got):\n%s", diff)
		}
		for _, s := range []string{"the watch failed (exit 1)", "rolled back", "app-failed"} {
			if !strings.Contains(h.stdout+h.stderr, s) {
				t.Errorf("output lacks %q:\n%s%s", s, h.stdout, h.stderr)
			}
		}
	})
	t.Run("first deploy", func(t *testing.T) {
		h := newHost(t, Deploy{})
		code, cmds := h.run(DeployScriptPath, []string{"IMAGE=" + appRepo, "PORT=9000", "HEALTH_URL=http://127.0.0.1:9000/ready"}, "1.2.0")
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, h.stdout, h.stderr)
		}
		want := []string{
			"docker pull ghcr.io/acme/app:1.2.0",
			"docker image inspect --format {{index .RepoDigests 0}} ghcr.io/acme/app:1.2.0",
			"docker ps -a --filter name=app --format {{.Names}}",
			"docker run -d --name app --env-file .env -p 9000:9000 --restart unless-stopped " + newRef,
			"shipflow image watch --repo ghcr.io/acme/app --health http://127.0.0.1:9000/ready",
		}
		if diff := cmp.Diff(want, cmds); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
	})
	t.Run("configured health URL", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo, Health: "https://app.example/healthz"})
		code, cmds := h.run(DeployScriptPath, nil, "1.2.0")
		if code != 0 || cmds[len(cmds)-1] != "shipflow image watch --repo ghcr.io/acme/app --health https://app.example/healthz" {
			t.Errorf("exit %d, commands %q\n%s%s", code, cmds, h.stdout, h.stderr)
		}
	})
	t.Run("run fails", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		h.container("app", oldRef, true)
		code, _ := h.run(DeployScriptPath, []string{"FAIL=run"}, "1.2.0")
		if code != 3 {
			t.Fatalf("exit %d, want 3\n%s%s", code, h.stdout, h.stderr)
		}
		want := map[string]string{"app": oldRef + " (running)"}
		if diff := cmp.Diff(want, h.containers()); diff != "" {
			t.Errorf("containers (-want +got):\n%s", diff)
		}
	})
	usage := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"no version", nil, nil, "usage:"},
		{"bad version", nil, []string{"1.2.0;ls"}, "not an image tag"},
		{"no image", []string{"IMAGE="}, []string{"1.2.0"}, "no image repository"},
		{"no env file", []string{"ENV_FILE=missing.env"}, []string{"1.2.0"}, "missing.env not found"},
		{"no shipflow", []string{"SHIPFLOW=no-such-shipflow"}, []string{"1.2.0"}, "no-such-shipflow not found"},
	}
	for _, u := range usage {
		t.Run(u.name, func(t *testing.T) {
			h := newHost(t, Deploy{})
			env := append([]string{"IMAGE=" + appRepo}, u.env...)
			code, cmds := h.run(DeployScriptPath, env, u.args...)
			if code != 2 || !strings.Contains(h.stderr, u.want) {
				t.Errorf("exit %d, want 2 and %q\n%s%s", code, u.want, h.stdout, h.stderr)
			}
			if len(cmds) != 1 || cmds[0] != "" {
				t.Errorf("ran %q before failing", cmds)
			}
		})
	}
}

func TestRollback(t *testing.T) {
	newRef := appRepo + "@" + digestOf(appRepo+":1.2.0")
	t.Run("to previous, then again", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		h.container("app", newRef, true)
		h.container("app-previous", oldRef, false)
		code, cmds := h.run(RollbackScriptPath, nil)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, h.stdout, h.stderr)
		}
		if diff := cmp.Diff(rollbackCommands, cmds); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
		want := map[string]string{"app": oldRef + " (running)", "app-failed": newRef}
		if diff := cmp.Diff(want, h.containers()); diff != "" {
			t.Errorf("containers (-want +got):\n%s", diff)
		}
		if !strings.Contains(h.stdout, "rolled back: app runs "+oldRef) {
			t.Errorf("stdout: %s", h.stdout)
		}
		code, cmds = h.run(RollbackScriptPath, nil)
		if code != 0 || !strings.Contains(h.stdout, "already rolled back") {
			t.Errorf("again: exit %d\n%s%s", code, h.stdout, h.stderr)
		}
		wantCmds := []string{
			"docker ps -a --filter name=app-previous --format {{.Names}}",
			"docker ps -a --filter name=app-failed --format {{.Names}}",
			"docker ps -a --filter name=app --format {{.Names}}",
			"docker start app",
			"docker inspect --format {{.Config.Image}} app",
		}
		if diff := cmp.Diff(wantCmds, cmds); diff != "" {
			t.Errorf("again: commands (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, h.containers()); diff != "" {
			t.Errorf("again: containers (-want +got):\n%s", diff)
		}
	})
	t.Run("nothing to roll back to", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		h.container("app", newRef, true)
		code, _ := h.run(RollbackScriptPath, nil)
		if code != 1 || !strings.Contains(h.stderr, "nothing to roll back to: there is no container app-previous") {
			t.Errorf("exit %d, want 1\n%s%s", code, h.stdout, h.stderr)
		}
		if diff := cmp.Diff(map[string]string{"app": newRef + " (running)"}, h.containers()); diff != "" {
			t.Errorf("containers (-want +got):\n%s", diff)
		}
	})
	t.Run("to a digest previous runs", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		h.container("app", newRef, true)
		h.container("app-previous", oldRef, false)
		code, _ := h.run(RollbackScriptPath, nil, "1.1.0", strings.TrimPrefix(oldRef, appRepo+"@"))
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, h.stdout, h.stderr)
		}
		want := map[string]string{"app": oldRef + " (running)", "app-failed": newRef}
		if diff := cmp.Diff(want, h.containers()); diff != "" {
			t.Errorf("containers (-want +got):\n%s", diff)
		}
		// Again: app runs it already.
		code, cmds := h.run(RollbackScriptPath, nil, "1.1.0", strings.TrimPrefix(oldRef, appRepo+"@"))
		if code != 0 || !strings.Contains(h.stdout, "already runs") || cmds[len(cmds)-1] != "docker start app" {
			t.Errorf("again: exit %d, %q\n%s%s", code, cmds, h.stdout, h.stderr)
		}
	})
	t.Run("to another digest", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		h.container("app", newRef, true)
		other := "sha256:" + strings.Repeat("ab", 32)
		code, cmds := h.run(RollbackScriptPath, nil, "1.0.0", other)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, h.stdout, h.stderr)
		}
		want := []string{
			"docker ps -a --filter name=app --format {{.Names}}",
			"docker inspect --format {{.Config.Image}} app",
			"docker ps -a --filter name=app-previous --format {{.Names}}",
			"docker pull ghcr.io/acme/app@" + other,
			"docker ps -a --filter name=app --format {{.Names}}",
			"docker ps -a --filter name=app-failed --format {{.Names}}",
			"docker stop app",
			"docker rename app app-failed",
			"docker run -d --name app --env-file .env -p 8000:8000 --restart unless-stopped ghcr.io/acme/app@" + other,
			"docker inspect --format {{.Config.Image}} app",
		}
		if diff := cmp.Diff(want, cmds); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
	})
	t.Run("pull fails", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		h.container("app", newRef, true)
		code, _ := h.run(RollbackScriptPath, []string{"FAIL=pull"}, "1.0.0", "sha256:"+strings.Repeat("ab", 32))
		if code != 3 {
			t.Errorf("exit %d, want 3\n%s%s", code, h.stdout, h.stderr)
		}
		if diff := cmp.Diff(map[string]string{"app": newRef + " (running)"}, h.containers()); diff != "" {
			t.Errorf("a failed pull changed the containers (-want +got):\n%s", diff)
		}
	})
	t.Run("bad digest", func(t *testing.T) {
		h := newHost(t, Deploy{Repository: appRepo})
		if code, _ := h.run(RollbackScriptPath, nil, "1.0.0", "latest"); code != 2 {
			t.Errorf("exit %d, want 2\n%s%s", code, h.stdout, h.stderr)
		}
	})
}

// An existing README.md keeps its text and gets the deploy section once;
// one without it is written with the section alone.
func TestReadmeDeploySection(t *testing.T) {
	dir := t.TempDir()
	mine := "# app\n\nIt serves."
	if err := os.WriteFile(filepath.Join(dir, ReadmePath), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, want := range []Action{Appended, Unchanged} {
		rep, err := Write(context.Background(), dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := actions(rep)[ReadmePath]; got != want {
			t.Errorf("run %d: README.md %s, want %s", i+1, got, want)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, ReadmePath))
	if err != nil {
		t.Fatal(err)
	}
	if want := mine + "\n\n" + string(ReadmeSection()); string(b) != want {
		t.Errorf("README.md:\n%s", b)
	}
	for _, s := range []string{ReadmeMarker, "/healthz", "200", "./deploy_docker.sh 1.2.3", "./rollback.sh", "NAME-previous", "NAME-failed"} {
		if !strings.Contains(string(ReadmeSection()), s) {
			t.Errorf("the deploy section lacks %q", s)
		}
	}

	// Without a README.md, one is written: a title and the section.
	dir = filepath.Join(t.TempDir(), "app")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(context.Background(), dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ReadmePath)); string(b) != "# app\n\n"+string(ReadmeSection()) {
		t.Errorf("new README.md:\n%s", b)
	}

	// A README.md that links out of the repository is not written through.
	dir = t.TempDir()
	outside := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(outside, []byte("theirs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, ReadmePath)); err != nil {
		t.Fatal(err)
	}
	rep, err := Write(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := rep.Entries[len(rep.Entries)-2]; e.Path != ReadmePath || e.Action != Skipped || !strings.Contains(e.Reason, "outside the repository") {
		t.Errorf("README.md linking out of the repository: %+v", e)
	}
	if b, _ := os.ReadFile(outside); string(b) != "theirs\n" {
		t.Errorf("the file outside was changed: %q", b)
	}
}
