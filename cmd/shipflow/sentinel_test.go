package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// The sentinel secrets of the sweep: a GitHub token in GITHUB_TOKEN (and in
// the Action's token input), and a secret of no known shape in a variable
// whose name says TOKEN.
const (
	sentinelToken  = "ghp_SENTINEL0123456789abcdefghijABCDEFGHIJ"
	sentinelDeploy = "deploy-SENTINEL-7f3a9c"
)

// sentinelParts are what counts as a leak: each secret, and the token
// without its prefix (a leak that cut the prefix off is still a leak).
var sentinelParts = []string{sentinelToken, "SENTINEL0123456789abcdef", sentinelDeploy}

// sweepEnv is one repository set up to leak: the sentinels are in the
// process environment (so /proc/self/environ holds them), in commit
// messages, and in what the servers answer.
type sweepEnv struct {
	t      *testing.T
	r      *gittest.Repo
	origin string
	fake   *githubfake.Server
	vars   map[string]string // on top of the process environment
	files  string            // a directory outside the work tree for inputs
}

func newSweepEnv(t *testing.T, config string) *sweepEnv {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
		"GITHUB_TOKEN": sentinelToken, "MY_DEPLOY_TOKEN": sentinelDeploy,
	} {
		t.Setenv(k, v)
	}
	r := gittest.New(t)
	r.Commit("feat: first")
	r.AnnotatedTag("v0.1.0", "v0.1.0")
	if config != "" {
		r.CommitFile(".shipflow.yaml", config, "chore: configure shipflow")
	}
	r.Commit("feat: log in with " + sentinelToken + "\n\nBREAKING CHANGE: the token " + sentinelToken + " is now required")
	r.Commit("fix: rotate " + sentinelDeploy)
	origin := r.InitBare("origin")
	r.Git("push", "-q", "origin", "main", "--tags")
	f := githubfake.New(t)
	f.RequireToken(sentinelToken)
	f.AddRepo("o", "r", githubfake.Permissions{Push: true, Pull: true})
	return &sweepEnv{t: t, r: r, origin: origin, fake: f, files: t.TempDir(), vars: map[string]string{
		"GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL, "SOURCE_DATE_EPOCH": "1767312000",
	}}
}

func (s *sweepEnv) getenv(k string) string {
	if v, ok := s.vars[k]; ok {
		return v
	}
	return os.Getenv(k)
}

// run runs shipflow as main does, with the whole environment.
func (s *sweepEnv) run(stdin string, args ...string) (int, string, string) {
	s.t.Helper()
	environ := os.Environ()
	for k, v := range s.vars {
		environ = append(environ, k+"="+v)
	}
	var out, errb bytes.Buffer
	code := runEnviron(context.Background(), append([]string{"-C", s.r.Dir}, args...), strings.NewReader(stdin), &out, &errb, s.getenv, environ)
	return code, out.String(), errb.String()
}

// input writes an input file outside the work tree.
func (s *sweepEnv) input(name, content string) string {
	s.t.Helper()
	p := filepath.Join(s.files, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// leaks returns a line of text around each sentinel found in text.
func leaks(text string) []string {
	var found []string
	for _, line := range strings.Split(text, "\n") {
		for _, p := range sentinelParts {
			if strings.Contains(line, p) {
				found = append(found, strings.TrimSpace(line))
				break
			}
		}
	}
	return found
}

// sweep greps everything a run may have written: stdout, stderr, every
// file of the work tree, the objects shipflow made here and pushed (diffs
// and tag messages, not the commit messages the test wrote), and what
// reached GitHub.
func (s *sweepEnv) sweep(label, stdout, stderr string, extra ...string) {
	s.t.Helper()
	report := func(where, text string) {
		s.t.Helper()
		if l := leaks(text); len(l) > 0 {
			s.t.Errorf("%s: a secret in %s: %q", label, where, l)
		}
	}
	report("stdout", stdout)
	report("stderr", stderr)
	for _, p := range extra {
		data, _ := os.ReadFile(p)
		report(filepath.Base(p), string(data))
	}
	filepath.WalkDir(s.r.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".git" {
			// The hook and config shipflow may write; objects are read
			// through git below.
			for _, f := range []string{"hooks/commit-msg", "config", "COMMIT_EDITMSG"} {
				if f == "COMMIT_EDITMSG" {
					continue // the test's own commit messages
				}
				data, _ := os.ReadFile(filepath.Join(p, f))
				report(".git/"+f, string(data))
			}
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			data, _ := os.ReadFile(p)
			report(strings.TrimPrefix(p, s.r.Dir+"/"), string(data))
		}
		return nil
	})
	for _, gitDir := range []string{filepath.Join(s.r.Dir, ".git"), s.origin} {
		name := filepath.Base(gitDir)
		report(name+" diffs", gitOut(s.t, gitDir, "log", "-p", "--all", "--format="))
		report(name+" tag messages", gitOut(s.t, gitDir, "for-each-ref", "--format=%(contents)", "refs/tags"))
		report(name+" release commit messages", gitOut(s.t, gitDir, "log", "--all", "--format=%B", "--grep=chore(release)"))
	}
	for _, c := range s.fake.Calls() {
		report("a request to GitHub ("+c.Operation+")", string(c.Body))
	}
	for _, rel := range s.fake.Releases("o", "r") {
		report("the release body", rel.Name+"\n"+rel.Body)
	}
	for _, cr := range s.fake.CheckRuns("o", "r") {
		report("a check run", fmt.Sprintf("%+v", cr))
	}
	for _, st := range s.fake.Statuses("o", "r") {
		report("a commit status", fmt.Sprintf("%+v", st))
	}
}

func gitOut(t *testing.T, gitDir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"--git-dir", gitDir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// echoServer answers every request with 401 and a body that repeats the
// request's Authorization header, decoded when it is Basic, as a careless
// registry or health endpoint might.
func echoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		auth := req.Header.Get("Authorization")
		if b, ok := strings.CutPrefix(auth, "Basic "); ok {
			if dec, err := base64.StdEncoding.DecodeString(b); err == nil {
				auth = "Basic " + string(dec)
			}
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="echo"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials: %s"}]}`, strings.ReplaceAll(auth, `"`, ``))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSentinelSweep runs every CLI verb, on success and failure paths, with
// a sentinel token in the environment and in the inputs, and greps all they
// wrote for it. Before the one redaction place (internal/redact), the
// sentinel reached the release notes, CHANGELOG.md, the pushed commit and
// the GitHub release body through a commit message, and stdout through
// lint, next and changelog.
func TestSentinelSweep(t *testing.T) {
	type step struct {
		name  string
		stdin string
		args  func(s *sweepEnv) []string
		setup func(s *sweepEnv)
		// after undoes the setup's own planting of a secret before the
		// sweep.
		after func(s *sweepEnv)
	}
	steps := []step{
		{name: "lint range", args: func(*sweepEnv) []string { return []string{"lint", "--from", "v0.1.0"} }},
		{name: "lint message finding", args: func(*sweepEnv) []string {
			return []string{"lint", "-m", "Oops " + sentinelToken + " " + sentinelDeploy}
		}},
		{name: "lint json", args: func(*sweepEnv) []string { return []string{"lint", "--format", "json", "-m", "bad: " + sentinelToken} }},
		{name: "lint github", args: func(*sweepEnv) []string { return []string{"lint", "--format", "github", "-m", "bad " + sentinelToken} }},
		{name: "lint sarif", args: func(*sweepEnv) []string { return []string{"lint", "--format", "sarif", "-m", "bad " + sentinelToken} }},
		{name: "lint stdin", stdin: "WIP " + sentinelToken + "\n", args: func(*sweepEnv) []string { return []string{"lint"} }},
		{name: "lint edit", args: func(s *sweepEnv) []string {
			return []string{"lint", "--edit", s.input("COMMIT_MSG", "nope "+sentinelDeploy+"\n")}
		}},
		{name: "lint bad ref", args: func(*sweepEnv) []string { return []string{"lint", "--from", sentinelToken} }},
		{name: "branch check", args: func(*sweepEnv) []string {
			return []string{"branch", "check", "--head", "feature/" + sentinelToken, "--base", "main"}
		}},
		{name: "branch check bad name", args: func(*sweepEnv) []string {
			return []string{"branch", "check", "--head", sentinelDeploy + "..x", "--base", "main", "--format", "github"}
		}},
		{name: "branch debt", args: func(*sweepEnv) []string { return []string{"branch", "debt"} }},
		{name: "next", args: func(*sweepEnv) []string { return []string{"next"} }},
		{name: "next json", args: func(*sweepEnv) []string { return []string{"next", "--format", "json"} }},
		{name: "next bad prefix", args: func(*sweepEnv) []string { return []string{"next", "--tag-prefix", sentinelToken + ".."} }},
		{name: "changelog stdout", args: func(*sweepEnv) []string { return []string{"changelog", "--stdout"} }},
		{name: "changelog json", args: func(*sweepEnv) []string { return []string{"changelog", "--stdout", "--format", "json"} }},
		{name: "changelog write", args: func(*sweepEnv) []string { return []string{"changelog"} }},
		{name: "pr", args: func(s *sweepEnv) []string {
			return []string{"pr", "--title", "feat: " + sentinelToken, "--base-sha", "v0.1.0", "--head-sha", "HEAD", "--head", "feature/x", "--base", "main", "--number", "7"}
		}},
		{name: "pr bad title", args: func(s *sweepEnv) []string {
			return []string{"pr", "--title", "Nope " + sentinelDeploy, "--base-sha", "v0.1.0", "--head-sha", "HEAD", "--format", "json"}
		}},
		{name: "test that prints the token", args: func(s *sweepEnv) []string {
			return []string{"test", "--junit-out", filepath.Join(s.files, "junit.xml"), "--summary", filepath.Join(s.files, "summary.md"), "--",
				"sh", "-c", `echo "token=$GITHUB_TOKEN deploy=$MY_DEPLOY_TOKEN"; echo "partial $GITHUB_TOKEN" >&2; printf %s "$GITHUB_TOKEN"; exit 1`}
		}},
		{name: "test with a JUnit report", args: func(s *sweepEnv) []string {
			junit := s.input("report.xml", `<testsuite name="s" tests="1" failures="1"><testcase name="leaks `+sentinelToken+`" classname="c"><failure message="got `+sentinelDeploy+`">`+sentinelToken+`</failure></testcase></testsuite>`)
			return []string{"test", "--format", "github", "--junit", junit, "--summary", filepath.Join(s.files, "summary2.md")}
		}},
		{name: "image push, registry echoes the password", stdin: sentinelDeploy, args: func(s *sweepEnv) []string {
			echo := echoServer(t)
			return []string{"image", "push", "--from", imagetest.Tarball(t, 64, 1), "--to", strings.TrimPrefix(echo.URL, "http://") + "/acme/app",
				"--version", "1.0.0", "--username", "u", "--password-stdin"}
		}},
		{name: "image push, password flag", args: func(s *sweepEnv) []string {
			echo := echoServer(t)
			return []string{"image", "push", "--from", imagetest.Tarball(t, 64, 2), "--to", strings.TrimPrefix(echo.URL, "http://") + "/acme/app",
				"--version", "1.0.0", "--username", "u", "--password", sentinelToken, "--format", "json"}
		}},
		{name: "image watch, health echoes", args: func(s *sweepEnv) []string {
			echo := echoServer(t)
			return []string{"image", "watch", "--health", echo.URL + "/healthz?token=" + sentinelToken, "--repo", strings.TrimPrefix(echo.URL, "http://") + "/acme/app",
				"--failures", "1", "--interval", "1ms", "--max-duration", "1m", "--record", filepath.Join(s.files, "rollback.json"),
				"--username", "u", "--password", sentinelDeploy}
		}},
		{name: "release dry run", args: func(*sweepEnv) []string { return []string{"release", "--dry-run"} }},
		{name: "release dry run json", args: func(*sweepEnv) []string { return []string{"release", "--dry-run", "--format", "json"} }},
		{name: "release, GitHub echoes the token in a 401", setup: func(s *sweepEnv) {
			s.fake.Fail("GET /repos/{owner}/{repo}", 1, githubfake.Fault{Status: http.StatusUnauthorized, EchoAuthorization: true})
		}, args: func(*sweepEnv) []string { return []string{"release"} }},
		{name: "release, GitHub echoes the token in a 500", setup: func(s *sweepEnv) {
			s.fake.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: http.StatusInternalServerError, EchoAuthorization: true})
		}, args: func(*sweepEnv) []string { return []string{"release"} }},
		{name: "release", args: func(*sweepEnv) []string { return []string{"release"} }},
		{name: "release again", args: func(*sweepEnv) []string { return []string{"release", "--format", "json"} }},
		{name: "release to a remote's host", setup: func(s *sweepEnv) {
			delete(s.vars, "GITHUB_API_URL")
			s.r.Git("remote", "set-url", "origin", "http://x-access-token:"+sentinelDeploy+"@127.0.0.1:9/o/r.git")
		}, after: func(s *sweepEnv) {
			s.vars["GITHUB_API_URL"] = s.fake.URL
			s.r.Git("remote", "set-url", "origin", s.origin)
		}, args: func(*sweepEnv) []string { return []string{"release"} }},
		{name: "hook install", args: func(*sweepEnv) []string { return []string{"hook", "install"} }},
		{name: "hook uninstall", args: func(*sweepEnv) []string { return []string{"hook", "uninstall"} }},
		{name: "init", args: func(*sweepEnv) []string { return []string{"init", "--no-hook"} }},
		{name: "unknown flag", args: func(*sweepEnv) []string { return []string{"next", "--" + sentinelToken} }},
		{name: "unknown verb", args: func(*sweepEnv) []string { return []string{sentinelDeploy} }},
	}
	configs := []struct{ name, config string }{
		{"plain", ""},
		// The repository's configuration tries to read the environment
		// into the notes; another part confines templates, and the sweep
		// checks that nothing gets through either way.
		{"exfiltrating config", "changelog:\n  template: /proc/self/environ\n"},
		{"exfiltrating relative config", "changelog:\n  template: ../../../../../../../../proc/self/environ\n"},
	}
	for _, cfg := range configs {
		t.Run(cfg.name, func(t *testing.T) {
			s := newSweepEnv(t, cfg.config)
			for _, st := range steps {
				if st.setup != nil {
					st.setup(s)
				}
				code, stdout, stderr := s.run(st.stdin, st.args(s)...)
				t.Logf("%s: exit %d", st.name, code)
				if st.after != nil {
					st.after(s)
				}
				s.sweep(st.name, stdout, stderr, filepath.Join(s.files, "junit.xml"), filepath.Join(s.files, "summary.md"),
					filepath.Join(s.files, "summary2.md"), filepath.Join(s.files, "rollback.json"))
			}
		})
	}
}

// TestSentinelSweepAction runs every `shipflow action` verb with the
// sentinel in the environment, the token input, the commits and the event
// payload, and greps stdout, stderr, GITHUB_OUTPUT, GITHUB_ENV,
// GITHUB_STEP_SUMMARY and what reached GitHub. The ::add-mask:: command is
// the one place a secret may be written: it is how the runner learns what
// to mask, and the runner consumes it without showing it.
func TestSentinelSweepAction(t *testing.T) {
	for _, verbName := range []string{"next", "changelog", "commitlint", "branch", "pr", "test", "image", "release"} {
		t.Run(verbName, func(t *testing.T) {
			s := newSweepEnv(t, "")
			dir := t.TempDir()
			for k, v := range map[string]string{
				"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": filepath.Join(dir, "output"), "GITHUB_ENV": filepath.Join(dir, "env"),
				"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"), "INPUT_TOKEN": sentinelToken, "INPUT_REPORT": "check",
				"INPUT_PASSWORD": sentinelDeploy, "INPUT_USERNAME": "u", "INPUT_TITLE": "feat: " + sentinelToken,
				"GITHUB_SHA": s.r.Head(), "GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main", "GITHUB_SERVER_URL": "https://github.com",
				"GITHUB_RUN_ID": "42",
			} {
				s.vars[k] = v
			}
			switch verbName {
			case "pr", "branch", "commitlint":
				base := strings.TrimSpace(s.r.Git("rev-parse", "v0.1.0^{commit}"))
				ev := map[string]any{
					"action": "opened", "number": 7,
					"pull_request": map[string]any{
						"number": 7, "title": "Nope " + sentinelToken, "body": sentinelDeploy,
						"head": map[string]any{"ref": "feature/" + sentinelToken, "sha": s.r.Head(), "repo": map[string]any{"full_name": "o/r", "fork": false}},
						"base": map[string]any{"ref": "main", "sha": base, "repo": map[string]any{"full_name": "o/r", "fork": false}},
					},
					"repository": map[string]any{"full_name": "o/r"},
				}
				data, _ := json.Marshal(ev)
				p := filepath.Join(dir, "event.json")
				os.WriteFile(p, data, 0o644)
				s.vars["GITHUB_EVENT_NAME"], s.vars["GITHUB_EVENT_PATH"] = "pull_request", p
				s.vars["GITHUB_HEAD_REF"], s.vars["GITHUB_BASE_REF"] = "feature/"+sentinelToken, "main"
			case "test":
				s.vars["INPUT_COMMAND"] = `echo "token=$GITHUB_TOKEN"; exit 1`
				s.vars["INPUT_JUNIT"] = s.input("r.xml", `<testsuite name="s" tests="1" failures="1"><testcase name="t `+sentinelToken+`" classname="c"><failure message="m">`+sentinelDeploy+`</failure></testcase></testsuite>`)
			case "image":
				echo := echoServer(t)
				s.vars["INPUT_SOURCE"] = imagetest.Tarball(t, 64, 3)
				s.vars["INPUT_REPOSITORY"] = strings.TrimPrefix(echo.URL, "http://") + "/acme/app"
				s.vars["INPUT_IMAGE-VERSION"] = "1.0.0"
			case "release":
				s.fake.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: http.StatusUnauthorized, EchoAuthorization: true})
			}
			for i := 0; i < 2; i++ { // a release fails once, then resumes
				code, stdout, stderr := s.run("", "action", verbName)
				t.Logf("action %s: exit %d", verbName, code)
				var kept []string
				for _, line := range strings.Split(stdout, "\n") {
					if !strings.HasPrefix(line, "::add-mask::") {
						kept = append(kept, line)
					}
				}
				s.sweep("action "+verbName, strings.Join(kept, "\n"), stderr, s.vars["GITHUB_OUTPUT"], s.vars["GITHUB_ENV"], s.vars["GITHUB_STEP_SUMMARY"])
			}
		})
	}
}
