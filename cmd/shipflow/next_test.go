package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// nextRun runs shipflow in-process in dir with the environment env.
func nextRun(t *testing.T, dir string, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), append([]string{"-C", dir}, args...), strings.NewReader(""), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

// nextHistory is v1.2.3 on main, then a feature merged, a fix, a revert
// pair and docs; a dev branch with a dev tag; a foreign tag.
func nextHistory(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.Commit("chore: init")
	r.AnnotatedTag("v1.2.3", "v1.2.3")
	r.Tag("latest")
	r.Branch("feature/search")
	r.Commit("feat(search): add full-text search")
	r.Checkout("main")
	r.Commit("fix: handle empty input (#12)")
	r.Merge("feature/search", "Merge pull request #13 from ada/feature/search")
	f := r.Commit("feat: experimental cache")
	r.Commit("Revert \"feat: experimental cache\"\n\nThis reverts commit " + f + ".")
	r.Commit("docs: explain search")
	return r
}

func TestNextText(t *testing.T) {
	cases := []struct {
		name  string
		build func(r *gittest.Repo)
		args  []string
		env   map[string]string
	}{
		{name: "main"},
		{name: "nothing", build: func(r *gittest.Repo) { r.Tag("v1.3.0") }},
		{name: "dev", build: func(r *gittest.Repo) {
			r.Branch("dev")
			r.Commit("feat!: new config format\n\nBREAKING CHANGE: .app.yaml replaces .apprc")
		}},
		{name: "feature", build: func(r *gittest.Repo) { r.Checkout("feature/search") }},
		{name: "detached in actions", build: func(r *gittest.Repo) { r.Checkout("HEAD~1") },
			env: map[string]string{"GITHUB_HEAD_REF": "dev", "GITHUB_REF_NAME": "13/merge"}},
		{name: "unreachable tag", build: func(r *gittest.Repo) {
			r.Branch("dev")
			r.Checkout("main")
			r.Commit("fix: hot")
			r.Tag("v1.3.0")
			r.Checkout("dev")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := nextHistory(t)
			if c.build != nil {
				c.build(r)
			}
			code, out, errOut := nextRun(t, r.Dir, c.env, append([]string{"next"}, c.args...)...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden.Check(t, filepath.Join("testdata", "next", strings.ReplaceAll(c.name, " ", "-")+".golden"), out)
		})
	}
}

func TestNextJSON(t *testing.T) {
	r := nextHistory(t)
	head := r.Head()
	r.Git("branch", "feature/x") // --branch reads the branch's history
	cases := []struct {
		name    string
		args    []string
		commits int
		want    map[string]any
	}{
		{
			name: "minor",
			args: nil, commits: 6,
			want: map[string]any{"current": "1.2.3", "current_tag": "v1.2.3", "since_tag": "v1.2.3", "next": "1.3.0", "next_tag": "v1.3.0", "bump": "minor",
				"branch": "main", "channel": "stable", "release_as": nil, "released": []any{}, "untagged_release": nil, "warnings": []any{}, "ignored_tags": []any{"latest"}},
		},
		{
			name: "major forced",
			args: []string{"--major"}, commits: 6,
			want: map[string]any{"current": "1.2.3", "current_tag": "v1.2.3", "since_tag": "v1.2.3", "next": "2.0.0", "next_tag": "v2.0.0", "bump": "major",
				"branch": "main", "channel": "stable", "release_as": nil, "released": []any{}, "untagged_release": nil, "warnings": []any{}, "ignored_tags": []any{"latest"}},
		},
		{
			name: "other prefix: no tag yet",
			args: []string{"--tag-prefix", "release-"}, commits: 7,
			want: map[string]any{"current": nil, "current_tag": nil, "since_tag": nil, "next": "0.1.0", "next_tag": "release-0.1.0", "bump": "minor",
				"branch": "main", "channel": "stable", "release_as": nil, "released": []any{}, "untagged_release": nil, "ignored_tags": []any{"latest", "v1.2.3"},
				"warnings": []any{`no tag is "release-" + X.Y.Z, but "v1.2.3" looks like a version with another prefix: set the tag prefix (--tag-prefix, version.tag-prefix)`}},
		},
		{
			name: "empty prefix",
			args: []string{"--tag-prefix="}, commits: 7,
			want: map[string]any{"current": nil, "current_tag": nil, "since_tag": nil, "next": "0.1.0", "next_tag": "0.1.0", "bump": "minor",
				"branch": "main", "channel": "stable", "release_as": nil, "released": []any{}, "untagged_release": nil, "ignored_tags": []any{"latest", "v1.2.3"},
				"warnings": []any{`no tag is "" + X.Y.Z, but "v1.2.3" looks like a version with another prefix: set the tag prefix (--tag-prefix, version.tag-prefix)`}},
		},
		{
			name: "feature build",
			args: []string{"--branch", "feature/x"}, commits: 6,
			want: map[string]any{"current": "1.2.3", "current_tag": "v1.2.3", "since_tag": "v1.2.3", "next": "1.3.0+" + head[:7], "next_tag": nil, "bump": "minor",
				"branch": "feature/x", "channel": "feature", "release_as": nil, "released": []any{}, "untagged_release": nil, "warnings": []any{}, "ignored_tags": []any{"latest"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := nextRun(t, r.Dir, nil, append([]string{"next", "--format", "json"}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			commits, _ := got["commits"].([]any)
			if len(commits) != c.commits {
				t.Errorf("%d commits, want %d", len(commits), c.commits)
			}
			for _, c := range commits {
				m := c.(map[string]any)
				for _, k := range []string{"commit", "type", "scope", "breaking", "bump", "reason"} {
					if _, ok := m[k]; !ok {
						t.Errorf("commit %v has no %q", m, k)
					}
				}
				if m["reason"] == "" || len(m["commit"].(string)) != 40 {
					t.Errorf("commit %v: no reason or not a full hash", m)
				}
			}
			if rules, _ := got["rules"].([]any); len(rules) == 0 {
				t.Errorf("no rules echoed")
			}
			delete(got, "commits")
			delete(got, "rules")
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("json (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNextNothingIsNull(t *testing.T) {
	r := gittest.New(t)
	r.Commit("chore: init")
	r.Tag("v0.4.0")
	r.Commit("docs: x")
	code, out, _ := nextRun(t, r.Dir, nil, "next", "--format=json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Next    *string `json:"next"`
		NextTag *string `json:"next_tag"`
		Bump    string  `json:"bump"`
		Commits []struct {
			Type, Bump, Reason string
		} `json:"commits"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Next != nil || got.NextTag != nil || got.Bump != "none" || len(got.Commits) != 1 || got.Commits[0].Reason != "docs → none" {
		t.Errorf("got %+v\n%s", got, out)
	}
	if !strings.Contains(out, `"next": null`) {
		t.Errorf("next is not null:\n%s", out)
	}
}

func TestNextExitCodes(t *testing.T) {
	cases := []struct {
		name   string
		build  func(t *testing.T) string // returns the directory to run in
		args   []string
		code   int
		stderr string
	}{
		{
			name: "hotfix with a feat",
			build: func(t *testing.T) string {
				r := nextHistory(t)
				r.Branch("hotfix/x")
				return r.Dir
			},
			code:   exitFindings,
			stderr: `allows patch releases at most, but the commits need a minor release`,
		},
		{
			name: "hotfix with a feat, allowed",
			build: func(t *testing.T) string {
				r := nextHistory(t)
				r.Branch("hotfix/x")
				return r.Dir
			},
			args: []string{"--allow-bump"},
			code: exitOK,
		},
		{
			// Ignored with a warning, as release-please does: a bad footer
			// must not block every later release.
			name: "bad release-as is a warning",
			build: func(t *testing.T) string {
				r := nextHistory(t)
				r.Commit("chore: x\n\nRelease-As: next")
				return r.Dir
			},
			args: []string{"--format", "json"},
			code: exitOK,
		},
		{
			name:   "bad tag prefix",
			build:  func(t *testing.T) string { return nextHistory(t).Dir },
			args:   []string{"--tag-prefix", "v.."},
			code:   exitUsage,
			stderr: `tag prefix "v.." is not a valid tag name`,
		},
		{
			// Planned the tag "-0.1.0" before: an option-shaped value that
			// the next-tag output hands to users' shell steps.
			name:   "option-shaped tag prefix",
			build:  func(t *testing.T) string { return nextHistory(t).Dir },
			args:   []string{"--tag-prefix=-"},
			code:   exitUsage,
			stderr: `tag prefix "-" is not a valid tag name`,
		},
		{
			name:   "tag prefix with a shell substitution",
			build:  func(t *testing.T) string { return nextHistory(t).Dir },
			args:   []string{"--tag-prefix", "v$(id)"},
			code:   exitUsage,
			stderr: `tag prefix "v$(id)" is not a valid tag name`,
		},
		{
			name: "option-shaped tag prefix in the config",
			build: func(t *testing.T) string {
				r := nextHistory(t)
				r.WriteFile(".shipflow.yaml", "version:\n  tag-prefix: --output=x\n")
				return r.Dir
			},
			code:   exitUsage,
			stderr: `version.tag-prefix: tag prefix "--output=x" is not a valid tag name`,
		},
		{
			name:   "bad format",
			build:  func(t *testing.T) string { return nextHistory(t).Dir },
			args:   []string{"--format", "yaml"},
			code:   exitUsage,
			stderr: `unknown --format "yaml": use text, json or github`,
		},
		{
			name:   "unknown flag",
			build:  func(t *testing.T) string { return nextHistory(t).Dir },
			args:   []string{"--minor"},
			code:   exitUsage,
			stderr: `unknown flag: --minor`,
		},
		{
			name:   "not a repository",
			build:  func(t *testing.T) string { return t.TempDir() },
			code:   exitUsage,
			stderr: `is not a git repository`,
		},
		{
			name:   "no commits yet",
			build:  func(t *testing.T) string { return gittest.New(t).Dir },
			code:   exitUsage,
			stderr: "HEAD has no commits yet",
		},
		{
			name: "bad configuration",
			build: func(t *testing.T) string {
				r := nextHistory(t)
				r.WriteFile(".shipflow.yaml", "version:\n  types:\n    feat: huge\n")
				return r.Dir
			},
			code:   exitUsage,
			stderr: `.shipflow.yaml: version.types.feat: unknown bump "huge"`,
		},
		{
			name: "configuration is used",
			build: func(t *testing.T) string {
				r := nextHistory(t)
				r.WriteFile(".shipflow.yaml", "version:\n  types:\n    docs: major\n")
				return r.Dir
			},
			args: []string{"--format", "json"},
			code: exitOK,
		},
		{
			name: "shallow clone without a remote",
			build: func(t *testing.T) string {
				c := nextHistory(t).Clone("--depth=1")
				c.Git("remote", "remove", "origin")
				return c.Dir
			},
			code:   exitFailure,
			stderr: "fetch-depth: 0",
		},
		{
			name: "shallow clone, no fetch",
			build: func(t *testing.T) string {
				return nextHistory(t).Clone("--depth=1").Dir
			},
			args:   []string{"--no-fetch"},
			code:   exitFailure,
			stderr: "fetch-depth: 0",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := c.build(t)
			code, out, errOut := nextRun(t, dir, nil, append([]string{"next"}, c.args...)...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr %q", code, c.code, errOut)
			}
			if c.stderr != "" && !strings.Contains(errOut, c.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, c.stderr)
			}
			if c.code != exitOK && out != "" {
				t.Errorf("stdout on failure: %q", out)
			}
			if c.name == "configuration is used" && !strings.Contains(out, `"next_tag": "v2.0.0"`) {
				t.Errorf("docs: major from .shipflow.yaml not applied:\n%s", out)
			}
			if c.name == "bad release-as is a warning" && !strings.Contains(out, `Release-As: \"next\" is not a strict X.Y.Z version: ignored`) {
				t.Errorf("no warning about the bad Release-As:\n%s", out)
			}
		})
	}
}
