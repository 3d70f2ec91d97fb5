package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

const releaseTestToken = "ghp_releaseCmdT0ken9876543210zyxwvuTSRQ"

// releaseSetup makes a repository with a bare origin, one release and two
// releasable commits, and a fake GitHub.
func releaseSetup(t *testing.T) (*gittest.Repo, *githubfake.Server, map[string]string) {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
	r := gittest.New(t)
	r.Commit("feat: first")
	r.AnnotatedTag("v0.1.0", "v0.1.0")
	r.Commit("feat(cli): add release")
	r.Commit("fix: keep tokens out of errors")
	r.InitBare("origin")
	r.Git("push", "-q", "origin", "main", "--tags")
	f := githubfake.New(t)
	f.RequireToken(releaseTestToken)
	f.AddRepo("o", "r", githubfake.Permissions{Push: true, Pull: true})
	env := map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL, "SOURCE_DATE_EPOCH": "1767312000"}
	return r, f, env
}

func releaseRun(t *testing.T, dir string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"-C", dir, "release"}, args...), strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestReleaseDryRun(t *testing.T) {
	r, f, env := releaseSetup(t)
	// The header names an API other than github.com's; a dry run calls
	// none, and the fake's URL has a random port.
	delete(env, "GITHUB_API_URL")
	code, stdout, stderr := releaseRun(t, r.Dir, env, "--dry-run")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	// The notes hold commit hashes, fixed by gittest's clock.
	golden.Check(t, filepath.Join("testdata", "release", "dry-run.golden"), stdout)

	code, stdout, stderr = releaseRun(t, r.Dir, env, "--dry-run", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var rep struct {
		Plan struct {
			Version, Tag, Notes string
			DryRun              bool `json:"dry_run"`
		}
		Steps []struct{ Step, Skipped string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if rep.Plan.Tag != "v0.2.0" || !rep.Plan.DryRun || !strings.HasPrefix(rep.Plan.Notes, "## [0.2.0]") || len(rep.Steps) != 7 {
		t.Errorf("json report = %+v", rep)
	}
	if calls := f.Calls(); len(calls) != 0 {
		t.Errorf("dry run called GitHub %d times", len(calls))
	}
	if tags := r.Git("tag"); tags != "v0.1.0" {
		t.Errorf("dry run made tags: %q", tags)
	}
}

func TestReleaseCuts(t *testing.T) {
	r, f, env := releaseSetup(t)
	env["GITHUB_TOKEN"] = releaseTestToken
	code, stdout, stderr := releaseRun(t, r.Dir, env)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	for _, s := range []string{"release v0.2.0 (from v0.1.0) on main → origin, GitHub o/r", "✓ push", "✓ github-release", "- floating-tag: floating major tag disabled", "/o/r/releases/tag/v0.2.0"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout)
		}
	}
	rels := f.Releases("o", "r")
	if len(rels) != 1 || rels[0].TagName != "v0.2.0" || rels[0].Draft {
		t.Errorf("releases = %+v", rels)
	}
	if strings.Contains(stdout+stderr, releaseTestToken) {
		t.Error("token printed")
	}
	code, stdout, _ = releaseRun(t, r.Dir, env)
	if code != exitOK || !strings.Contains(stdout, "- github-release: release v0.2.0 already published with these notes") {
		t.Errorf("re-run: exit %d\n%s", code, stdout)
	}
}

// TestReleaseResumesAfterFailure fails the GitHub release with a 500 (a
// POST is not retried), then runs again.
func TestReleaseResumesAfterFailure(t *testing.T) {
	r, f, env := releaseSetup(t)
	env["GITHUB_TOKEN"] = releaseTestToken
	f.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: 500})
	code, stdout, stderr := releaseRun(t, r.Dir, env)
	if code != exitFailure || !strings.Contains(stderr, `cutting release: github-release: creating release "v0.2.0" in o/r: 500`) || !strings.Contains(stdout, "✗ github-release") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = releaseRun(t, r.Dir, env)
	if code != exitOK || !strings.Contains(stdout, "- push: main and v0.2.0 already on \"origin\"") || !strings.Contains(stdout, "✓ github-release") {
		t.Fatalf("re-run: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if rels := f.Releases("o", "r"); len(rels) != 1 || rels[0].Draft {
		t.Errorf("releases = %+v", rels)
	}
}

func TestReleaseExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(r *gittest.Repo, f *githubfake.Server, env map[string]string)
		args     []string
		wantCode int
		wantErr  string
	}{
		{
			name: "read-only token refused",
			setup: func(r *gittest.Repo, f *githubfake.Server, env map[string]string) {
				f.SetPermissions("o", "r", githubfake.Permissions{Pull: true})
			},
			wantCode: exitFindings,
			wantErr:  "the token may not push to o/r",
		},
		{
			name: "bad token",
			setup: func(r *gittest.Repo, f *githubfake.Server, env map[string]string) {
				f.RequireToken("ghp_someoneElse")
			},
			wantCode: exitFailure,
			wantErr:  "reading permissions of o/r: 401",
		},
		{
			name: "repository not visible",
			setup: func(r *gittest.Repo, f *githubfake.Server, env map[string]string) {
				f.Fail("GET /repos/{owner}/{repo}", 1, githubfake.Fault{Status: 404})
			},
			wantCode: exitFindings,
			wantErr:  "the token cannot read o/r: reading permissions of o/r: 404 Not Found",
		},
		{
			name: "bad SOURCE_DATE_EPOCH",
			setup: func(r *gittest.Repo, f *githubfake.Server, env map[string]string) {
				env["SOURCE_DATE_EPOCH"] = "yesterday"
			},
			wantCode: exitUsage,
			wantErr:  `SOURCE_DATE_EPOCH "yesterday"`,
		},
		{
			name:     "no token",
			setup:    func(r *gittest.Repo, f *githubfake.Server, env map[string]string) { delete(env, "GITHUB_TOKEN") },
			wantCode: exitFindings,
			wantErr:  "no GitHub token",
		},
		{
			name:     "bad tag prefix",
			setup:    func(*gittest.Repo, *githubfake.Server, map[string]string) {},
			args:     []string{"--tag-prefix", "v.."},
			wantCode: exitUsage,
			wantErr:  `tag prefix "v.." is not a valid tag name`,
		},
		{
			name:     "unknown mode",
			setup:    func(*gittest.Repo, *githubfake.Server, map[string]string) {},
			args:     []string{"--mode", "queue"},
			wantCode: exitUsage,
			wantErr:  `input mode: "queue" is not "direct" or "pr"`,
		},
		{
			name:     "--pr contradicts --mode direct",
			setup:    func(*gittest.Repo, *githubfake.Server, map[string]string) {},
			args:     []string{"--pr", "--mode", "direct"},
			wantCode: exitUsage,
			wantErr:  "--pr and --mode direct contradict each other",
		},
		{
			name:     "bad tag prefix, dry run",
			setup:    func(*gittest.Repo, *githubfake.Server, map[string]string) {},
			args:     []string{"--tag-prefix", "v..", "--dry-run"},
			wantCode: exitUsage,
			wantErr:  `tag prefix "v.." is not a valid tag name`,
		},
		{
			name: "main behind origin",
			setup: func(r *gittest.Repo, f *githubfake.Server, env map[string]string) {
				r.Git("commit", "-q", "--allow-empty", "-m", "fix: a teammate's fix")
				r.Git("push", "-q", "origin", "main")
				r.Git("reset", "-q", "--hard", "HEAD~1")
			},
			wantCode: exitFindings,
			wantErr:  "main is behind origin/main",
		},
		{
			name:     "bad format",
			setup:    func(*gittest.Repo, *githubfake.Server, map[string]string) {},
			args:     []string{"--format", "xml"},
			wantCode: exitUsage,
			wantErr:  `unknown --format "xml"`,
		},
		{
			name:     "bad repo",
			setup:    func(r *gittest.Repo, f *githubfake.Server, env map[string]string) { env["GITHUB_REPOSITORY"] = "nope" },
			wantCode: exitUsage,
			wantErr:  `input repo: "nope" is not OWNER/NAME (the CI context's repository, GITHUB_REPOSITORY)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, f, env := releaseSetup(t)
			env["GITHUB_TOKEN"] = releaseTestToken
			tt.setup(r, f, env)
			head := r.Head()
			code, stdout, stderr := releaseRun(t, r.Dir, env, tt.args...)
			if got := r.Head(); got != head {
				t.Errorf("failed release moved HEAD from %s to %s", head, got)
			}
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
			if strings.Contains(stdout+stderr, releaseTestToken) {
				t.Error("token printed")
			}
			if tags := r.Git("tag"); tags != "v0.1.0" {
				t.Errorf("failed release made tags: %q", tags)
			}
		})
	}
}

// TestReleaseRemoteHost: the GitHub the release goes to is named by a
// flag, GITHUB_API_URL or the configuration, or is github.com's (or a
// *.ghe.com one) for a remote there; a remote on any other host is refused
// until the API is named, and a remote that names no GitHub repository is
// refused (a warning in a dry run).
func TestReleaseRemoteHost(t *testing.T) {
	tests := []struct {
		name, remote string
		args         []string
		env          map[string]string
		code         int
		want         []string // in stdout
		notWant      []string // in stdout
		wantErr      string
	}{
		{
			name: "enterprise server, API not named", remote: "https://ghe.example.com/o/r.git", args: []string{"--dry-run"},
			code:    exitUsage,
			wantErr: `remote "origin" is at ghe.example.com, which is not github.com: name its GitHub API with --github-api-url or GITHUB_API_URL (GitHub Enterprise Server: https://ghe.example.com/api/v3/)`,
		},
		{
			name: "enterprise cloud", remote: "https://acme.ghe.com/o/r.git", args: []string{"--dry-run"},
			want: []string{"GitHub o/r at https://api.acme.ghe.com/ (dry run)"},
		},
		{
			name: "enterprise server, API given", remote: "https://ghe.example.com/o/r.git", args: []string{"--dry-run", "--github-api-url", "https://api.example.com/"},
			want: []string{"GitHub o/r at https://api.example.com/ (dry run)"},
		},
		{
			name: "enterprise server, API from the environment", remote: "git@ghe.example.com:o/r.git", args: []string{"--dry-run"},
			env:  map[string]string{"GITHUB_API_URL": "https://ghe.example.com/api/v3/"},
			want: []string{"GitHub o/r at https://ghe.example.com/api/v3/ (dry run)"},
		},
		{
			name: "github.com", remote: "https://github.com/o/r.git", args: []string{"--dry-run"},
			want: []string{"GitHub o/r (dry run)"},
		},
		{
			name: "gitlab, API not named", remote: "git@gitlab.com:o/r.git",
			env:     map[string]string{"GITHUB_TOKEN": releaseTestToken},
			code:    exitUsage,
			wantErr: `remote "origin" is at gitlab.com, which is not github.com`,
		},
		{
			name: "gitlab subgroup, dry run", remote: "https://gitlab.com/group/sub/r.git", args: []string{"--dry-run"},
			env:     map[string]string{"GITHUB_API_URL": "https://api.github.com"},
			want:    []string{"release v0.2.0 (from v0.1.0) on main → origin (dry run)", `warning: no GitHub repository: remote "origin" names group/sub/r, which is not a GitHub repository`},
			notWant: []string{"GitHub group/sub/r", "GitHub /"},
		},
		{
			name: "gitlab subgroup", remote: "https://gitlab.com/group/sub/r.git",
			env:     map[string]string{"GITHUB_TOKEN": releaseTestToken, "GITHUB_API_URL": "https://api.github.com"},
			code:    exitFindings,
			wantErr: "names group/sub/r, which is not a GitHub repository (OWNER/NAME) (pass --repo OWNER/NAME)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _, env := releaseSetup(t)
			delete(env, "GITHUB_REPOSITORY")
			delete(env, "GITHUB_API_URL")
			for k, v := range tt.env {
				env[k] = v
			}
			r.Git("remote", "set-url", "origin", tt.remote)
			// Fail at once instead of reaching out to the remote's host.
			t.Setenv("GIT_CONFIG_COUNT", "1")
			t.Setenv("GIT_CONFIG_KEY_0", "protocol.allow")
			t.Setenv("GIT_CONFIG_VALUE_0", "never")
			code, stdout, stderr := releaseRun(t, r.Dir, env, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.wantErr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q\n%s", code, stderr, tt.code, tt.wantErr, stdout)
			}
			for _, s := range tt.want {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(stdout, s) {
					t.Errorf("stdout has %q:\n%s", s, stdout)
				}
			}
			if n := strings.Count(stdout+stderr, "pass --repo OWNER/NAME"); n > 1 {
				t.Errorf("\"pass --repo OWNER/NAME\" said %d times:\n%s%s", n, stdout, stderr)
			}
		})
	}
}

// authRecorder is a server on 127.0.0.1 that records the Authorization
// header of every request and answers 404.
type authRecorder struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
}

func newAuthRecorder(t *testing.T) *authRecorder {
	rec := &authRecorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec.mu.Lock()
		rec.auths = append(rec.auths, req.Method+" "+req.URL.Path+" "+req.Header.Get("Authorization"))
		rec.mu.Unlock()
		http.NotFound(w, req)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (rec *authRecorder) seen() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.auths)
}

// TestReleaseTokenGoesOnlyToTheAPI: the token is not sent to a host the
// repository names (security review D3: with origin at
// http://127.0.0.1:PORT/o/r.git, `release` sent Authorization: Bearer to
// http://127.0.0.1/api/v3/, plain HTTP on the wrong port; and a
// release.github-api-url in .shipflow.yaml won over GITHUB_API_URL).
// Nothing changes before the refusal.
func TestReleaseTokenGoesOnlyToTheAPI(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, r *gittest.Repo, rec *authRecorder, env map[string]string)
		wantErr string
	}{
		{
			name: "origin on a plain HTTP host",
			setup: func(t *testing.T, r *gittest.Repo, rec *authRecorder, env map[string]string) {
				delete(env, "GITHUB_API_URL")
				r.Git("remote", "set-url", "origin", rec.URL+"/o/r.git")
			},
			wantErr: `remote "origin" is at 127.0.0.1:`,
		},
		{
			name: "config names another API than GITHUB_API_URL",
			setup: func(t *testing.T, r *gittest.Repo, rec *authRecorder, env map[string]string) {
				r.CommitFile(".shipflow.yaml", "release:\n  github-api-url: "+rec.URL+"/api/v3/\n", "chore: send the token elsewhere")
				r.Git("push", "-q", "origin", "main")
			},
			wantErr: ".shipflow.yaml:2:3: release.github-api-url is \"" + "http://127.0.0.1:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, f, env := releaseSetup(t)
			rec := newAuthRecorder(t)
			env["GITHUB_TOKEN"] = releaseTestToken
			tt.setup(t, r, rec, env)
			before := r.Git("log", "--oneline", "--all")
			code, stdout, stderr := releaseRun(t, r.Dir, env)
			if code != exitUsage || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q\n%s", code, stderr, exitUsage, tt.wantErr, stdout)
			}
			if got := rec.seen(); len(got) != 0 {
				t.Errorf("the repository's server got %q", got)
			}
			if calls := f.Calls(); len(calls) != 0 {
				t.Errorf("GitHub got %d calls before the refusal", len(calls))
			}
			if after := r.Git("log", "--oneline", "--all"); after != before || r.Git("tag") != "v0.1.0" {
				t.Errorf("the refused release changed the repository")
			}
			if strings.Contains(stdout+stderr, releaseTestToken) {
				t.Error("the token is in the output")
			}
		})
	}
}
