package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

const cutTestToken = "ghp_cutTestT0ken0123456789abcdefABCDEF"

// cutEnv is a repository with a bare origin and a fake GitHub.
type cutEnv struct {
	t      *testing.T
	r      *gittest.Repo
	origin string
	fake   *githubfake.Server
	gh     *github.Client
}

func newCutEnv(t *testing.T) *cutEnv {
	t.Helper()
	// The release commit and tags are made by shipflow's git layer with the
	// process environment: pin identity and dates so that two runs make the
	// same hashes.
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Release Bot", "GIT_AUTHOR_EMAIL": "bot@example.com", "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME": "Release Bot", "GIT_COMMITTER_EMAIL": "bot@example.com", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
	r := gittest.New(t)
	r.CommitFile("go.mod", "module example.com/m\n", "feat: first")
	r.AnnotatedTag("v1.0.0", "v1.0.0")
	r.Commit("feat(api): add widgets")
	r.Commit("fix: stop leaking handles\n\nCloses #12")
	r.Commit("docs: explain widgets")
	origin := r.InitBare("origin")
	r.Git("push", "-q", "origin", "main", "--tags")

	f := githubfake.New(t)
	f.RequireToken(cutTestToken)
	f.AddRepo("o", "r", githubfake.Permissions{Push: true, Pull: true})
	e := &cutEnv{t: t, r: r, origin: origin, fake: f}
	e.gh = e.newClient()
	return e
}

func (e *cutEnv) newClient() *github.Client {
	e.t.Helper()
	// The fake stands in for github.com: links go to its pages.
	gh, err := github.New(cutTestToken, github.WithBaseURL(e.fake.URL), github.WithWebURL("https://github.com"),
		github.WithSleep(func(context.Context, time.Duration) error { return nil }))
	if err != nil {
		e.t.Fatal(err)
	}
	return gh
}

func (e *cutEnv) opts() CutOptions {
	return CutOptions{
		Config: config.Release{FloatingMajorTag: true},
		Forge:  e.gh, Owner: "o", Repo: "r",
		Now: func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) },
	}
}

func (e *cutEnv) cutter(opts CutOptions) *cutter {
	e.t.Helper()
	repo, err := git.Open(context.Background(), e.r.Dir)
	if err != nil {
		e.t.Fatal(err)
	}
	return &cutter{repo: repo, forge: opts.Forge, opts: opts}
}

func (e *cutEnv) cut(opts CutOptions) (*CutReport, error) {
	e.t.Helper()
	c := e.cutter(opts)
	return c.run(context.Background(), c.steps())
}

// cutState is everything a release changes.
type cutState struct {
	Log, LocalTags, RemoteRefs, Changelog string
	Releases                              []githubfake.Release
}

func (e *cutEnv) state() cutState {
	e.t.Helper()
	doc, _ := os.ReadFile(filepath.Join(e.r.Dir, "CHANGELOG.md"))
	return cutState{
		Log:        e.r.Git("log", "--format=%H %s", "main"),
		LocalTags:  e.r.Git("for-each-ref", "--format=%(refname) %(objectname) %(*objectname)", "refs/tags"),
		RemoteRefs: e.r.Git("ls-remote", e.origin),
		Changelog:  string(doc),
		Releases:   e.fake.Releases("o", "r"),
	}
}

func stepsRun(rep *CutReport) []string {
	var out []string
	for _, s := range rep.Steps {
		if s.Skipped == "" && s.Error == "" {
			out = append(out, s.Step)
		}
	}
	return out
}

func TestCutEndToEnd(t *testing.T) {
	e := newCutEnv(t)
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"preflight", "changelog", "commit", "tag", "push", "github-release", "floating-tag"}
	if diff := cmp.Diff(want, stepsRun(rep)); diff != "" {
		t.Errorf("steps run mismatch (-want +got):\n%s", diff)
	}
	p := rep.Plan
	if p.Version != "1.1.0" || p.Tag != "v1.1.0" || p.PreviousTag != "v1.0.0" || p.FloatingTag != "v1" {
		t.Errorf("plan = %+v", p)
	}
	st := e.state()
	head := e.r.Git("rev-parse", "HEAD")
	if got := e.r.Git("log", "-1", "--format=%B"); got != "chore(release): v1.1.0 [skip ci]" {
		t.Errorf("release commit message = %q", got)
	}
	for _, tag := range []string{"v1.1.0", "v1"} {
		if got := e.r.Git("rev-parse", tag+"^{commit}"); got != head {
			t.Errorf("tag %s at %s, want HEAD %s", tag, got, head)
		}
		if typ := e.r.Git("cat-file", "-t", tag); typ != "tag" {
			t.Errorf("tag %s is a %s, want an annotated tag", tag, typ)
		}
	}
	for _, ref := range []string{"refs/heads/main", "refs/tags/v1.1.0^{}", "refs/tags/v1^{}"} {
		if !strings.Contains(st.RemoteRefs, head+"\t"+ref) {
			t.Errorf("origin lacks %s at %s:\n%s", ref, head, st.RemoteRefs)
		}
	}
	for _, s := range []string{"# Changelog\n\n## [1.1.0](https://github.com/o/r/compare/v1.0.0...v1.1.0) (2026-01-02)", "### Features", "**api:** add widgets", "### Bug Fixes", "stop leaking handles"} {
		if !strings.Contains(st.Changelog, s) {
			t.Errorf("CHANGELOG.md lacks %q:\n%s", s, st.Changelog)
		}
	}
	if strings.Contains(st.Changelog, "explain widgets") {
		t.Errorf("CHANGELOG.md lists a docs commit:\n%s", st.Changelog)
	}
	if len(st.Releases) != 1 {
		t.Fatalf("fake has %d releases, want 1", len(st.Releases))
	}
	rel := st.Releases[0]
	if rel.TagName != "v1.1.0" || rel.Draft || rel.Body != p.Notes || !strings.HasPrefix(rel.Body, "## [1.1.0]") || rel.TargetCommitish != head {
		t.Errorf("release = %+v, want published v1.1.0 at %s with the changelog section", rel, head)
	}

	// Running again changes nothing and says why for every step.
	rep, err = e.cut(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"preflight"}, stepsRun(rep)); diff != "" {
		t.Errorf("re-run ran steps (-want +got):\n%s\n%+v", diff, rep.Steps)
	}
	if diff := cmp.Diff(st, e.state()); diff != "" {
		t.Errorf("re-run changed the state (-before +after):\n%s", diff)
	}
}

// TestCutUsesTheChangelogConfig: `shipflow release` writes the section that
// `shipflow changelog` would, to the configured file, in the configured
// preset, with the configured links.
func TestCutUsesTheChangelogConfig(t *testing.T) {
	e := newCutEnv(t)
	opts := e.opts()
	opts.Changelog = config.Changelog{File: "docs/CHANGES.md", Preset: "keepachangelog", RepositoryURL: "https://ghe.example.com/team/app"}
	repo, err := git.Open(context.Background(), e.r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Changelog(context.Background(), repo, ChangelogOptions{Config: opts.Changelog, Plan: opts.Plan, DryRun: true, Now: opts.Now})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.cut(opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Plan.Notes != want.Section {
		t.Errorf("release notes differ from `shipflow changelog`'s section:\n--- release\n%s\n--- changelog\n%s", rep.Plan.Notes, want.Section)
	}
	doc, err := os.ReadFile(filepath.Join(e.r.Dir, "docs", "CHANGES.md"))
	if err != nil {
		t.Fatalf("the configured changelog file was not written: %v", err)
	}
	if !strings.Contains(string(doc), "## [1.1.0]") || !strings.Contains(string(doc), "ghe.example.com/team/app") || strings.Contains(string(doc), "### Features") {
		t.Errorf("docs/CHANGES.md is not keepachangelog with the configured links:\n%s", doc)
	}
	if _, err := os.Stat(filepath.Join(e.r.Dir, "CHANGELOG.md")); err == nil {
		t.Error("CHANGELOG.md was written although changelog.file names another file")
	}
	if got := e.r.Git("show", "--name-only", "--format=", "HEAD"); got != "docs/CHANGES.md" {
		t.Errorf("release commit changes %q, want docs/CHANGES.md", got)
	}
}

// cutFailingAt runs a release whose step named step (if any) breaks before
// changing anything, as a killed or failing run would at that point.
func (e *cutEnv) cutFailingAt(step string) (*CutReport, error) {
	e.t.Helper()
	c := e.cutter(e.opts())
	steps := c.steps()
	for i, s := range steps {
		if s.String() == step {
			steps[i] = cutMutating{cutFailing{s.(cutMutating).Step}}
		}
	}
	return c.run(context.Background(), steps)
}

// cutFailing stands in for a step that breaks before changing anything,
// as a failed atomic write or a git that cannot write its objects does.
type cutFailing struct{ Step }

func (cutFailing) Run(context.Context, *CutPlan) error { return errors.New("injected failure") }

// TestCutResumes kills the release at each step and checks that running it
// again ends in the same state as an uninterrupted run.
func TestCutResumes(t *testing.T) {
	// The reference: an uninterrupted run.
	ref := newCutEnv(t)
	if _, err := ref.cut(ref.opts()); err != nil {
		t.Fatal(err)
	}
	want := ref.state()
	if n := len(want.Releases); n != 1 {
		t.Fatalf("reference run made %d releases", n)
	}

	const rejectAll = "#!/bin/sh\necho 'rejected by test hook' >&2\nexit 1\n"
	const rejectV1 = "#!/bin/sh\nwhile read old new ref; do [ \"$ref\" = refs/tags/v1 ] && { echo 'v1 is protected' >&2; exit 1; }; done\nexit 0\n"
	tests := []struct {
		name     string
		step     string // the step that must fail
		inject   func(e *cutEnv) (undo func())
		failStep string // replace this step with cutFailing
		// beforeRerun changes the clone between the runs.
		beforeRerun func(e *cutEnv)
	}{
		{name: "changelog write fails", step: "changelog", failStep: "changelog"},
		{
			name: "commit hook fails", step: "commit",
			inject: func(e *cutEnv) func() {
				return hook(e.t, filepath.Join(e.r.Dir, ".git", "hooks", "pre-commit"), rejectAll)
			},
		},
		{name: "tag fails", step: "tag", failStep: "tag"},
		{
			name: "push rejected", step: "push",
			inject: func(e *cutEnv) func() { return hook(e.t, filepath.Join(e.origin, "hooks", "pre-receive"), rejectAll) },
		},
		{
			name: "release creation 500", step: "github-release",
			inject: func(e *cutEnv) func() {
				e.fake.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: 500})
				return func() {}
			},
		},
		{
			name: "release creation 422", step: "github-release",
			inject: func(e *cutEnv) func() {
				e.fake.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: 422})
				return func() {}
			},
		},
		{
			name: "publishing keeps failing", step: "github-release",
			inject: func(e *cutEnv) func() {
				e.fake.Fail("PATCH /repos/{owner}/{repo}/releases/{release_id}", 4, githubfake.Fault{Status: 502})
				return func() {}
			},
		},
		{
			name: "listing releases rate limited", step: "github-release",
			inject: func(e *cutEnv) func() {
				e.fake.Fail("GET /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: 403, RetryAfter: 2 * time.Hour})
				return func() {}
			},
		},
		{
			// GitHub Actions re-runs a workflow at its original commit: the
			// release commit is on origin, one ahead of HEAD.
			name: "re-run from the original commit", step: "github-release",
			inject: func(e *cutEnv) func() {
				e.fake.Fail("PATCH /repos/{owner}/{repo}/releases/{release_id}", 4, githubfake.Fault{Status: 502})
				return func() {}
			},
			beforeRerun: func(e *cutEnv) { e.r.Git("reset", "-q", "--hard", "HEAD~1") },
		},
		{
			name: "re-run in a clone of the original commit without the tag", step: "github-release",
			failStep: "github-release",
			beforeRerun: func(e *cutEnv) {
				e.r.Git("tag", "-d", "v1.1.0")
				e.r.Git("reset", "-q", "--hard", "HEAD~1")
			},
		},
		{
			name: "floating tag push rejected", step: "floating-tag",
			inject: func(e *cutEnv) func() { return hook(e.t, filepath.Join(e.origin, "hooks", "pre-receive"), rejectV1) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newCutEnv(t)
			undo := func() {}
			if tt.inject != nil {
				undo = tt.inject(e)
			}
			_, err := e.cutFailingAt(tt.failStep)
			var ce *CutError
			if !errors.As(err, &ce) || ce.Step != tt.step {
				t.Fatalf("first run error = %v, want a failure in step %q", err, tt.step)
			}
			undo()
			if tt.beforeRerun != nil {
				tt.beforeRerun(e)
			}

			// A re-run is a new process, with a new client: go-github's
			// memory of a rate limit does not carry over.
			e.gh = e.newClient()
			rep, err := e.cut(e.opts())
			if err != nil {
				t.Fatalf("re-run: %v", err)
			}
			if diff := cmp.Diff(want, e.state(), cmpopts.IgnoreFields(githubfake.Release{}, "ID")); diff != "" {
				t.Errorf("end state differs from an uninterrupted run (-want +got):\n%s", diff)
			}
			// And once more: nothing left to do.
			rep, err = e.cut(e.opts())
			if err != nil {
				t.Fatal(err)
			}
			if got := stepsRun(rep); len(got) != 1 {
				t.Errorf("third run ran %v, want only preflight", got)
			}
		})
	}
}

func hook(t *testing.T, path, script string) (undo func()) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCutDryRun(t *testing.T) {
	e := newCutEnv(t)
	before := e.state()
	opts := e.opts()
	opts.Forge = nil // no token needed
	opts.DryRun = true
	rep, err := e.cut(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Steps[1:] {
		if s.Skipped != "dry run" {
			t.Errorf("step %s: skipped %q, want \"dry run\"", s.Step, s.Skipped)
		}
	}
	if !strings.HasPrefix(rep.Plan.Notes, "## [1.1.0]") || rep.Plan.Tag != "v1.1.0" {
		t.Errorf("dry-run plan = %+v", rep.Plan)
	}
	if diff := cmp.Diff(before, e.state()); diff != "" {
		t.Errorf("dry run changed the state:\n%s", diff)
	}
	if calls := e.fake.Calls(); len(calls) != 0 {
		t.Errorf("dry run called GitHub: %+v", calls)
	}
}

// TestCutDryRunWithoutRemote: a plan is shown from a fresh local clone with
// no GitHub remote and a dirty tree, each problem a warning, while the real
// run still refuses.
func TestCutDryRunWithoutRemote(t *testing.T) {
	e := newCutEnv(t)
	e.r.Git("remote", "remove", "origin")
	e.r.WriteFile("scratch.txt", "work in progress")
	opts := e.opts()
	opts.Forge, opts.Owner, opts.Repo = nil, "", ""
	opts.DryRun = true
	rep, err := e.cut(opts)
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if rep.Plan.Tag != "v1.1.0" {
		t.Errorf("tag = %q, want v1.1.0", rep.Plan.Tag)
	}
	warnings := strings.Join(rep.Plan.Warnings, "\n")
	for _, want := range []string{"no GitHub repository", "pass --repo OWNER/NAME", "uncommitted changes (scratch.txt)", "tag v1.1.0 not checked on the remote"} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings)
		}
	}
	opts.DryRun = false
	if _, err := e.cut(opts); err == nil || !strings.Contains(err.Error(), `No such remote 'origin'`) {
		t.Fatalf("real run: err = %v, want it to stop at the missing remote", err)
	}
}

func TestCutRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(e *cutEnv, o *CutOptions)
		want  string
	}{
		{
			name: "read-only token",
			setup: func(e *cutEnv, o *CutOptions) {
				e.fake.SetPermissions("o", "r", githubfake.Permissions{Pull: true})
			},
			want: "the token may not push to o/r",
		},
		{
			name: "403 on preflight",
			setup: func(e *cutEnv, o *CutOptions) {
				e.fake.Fail("GET /repos/{owner}/{repo}", 1, githubfake.Fault{Status: 403})
			},
			want: "the token cannot read o/r",
		},
		{
			name:  "no token",
			setup: func(e *cutEnv, o *CutOptions) { o.Forge = nil },
			want:  "no GitHub token",
		},
		{
			name:  "wrong branch",
			setup: func(e *cutEnv, o *CutOptions) { e.r.Branch("dev") },
			want:  `releases are cut from branch "main" or a maintenance branch (release/*), but branch "dev" is checked out`,
		},
		{
			name:  "dirty tree",
			setup: func(e *cutEnv, o *CutOptions) { e.r.WriteFile("notes.txt", "x") },
			want:  "uncommitted changes (notes.txt)",
		},
		{
			// A re-run finds its release commit, but the tag went elsewhere.
			name: "tag exists elsewhere",
			setup: func(e *cutEnv, o *CutOptions) {
				e.r.CommitFile("CHANGELOG.md", "# Changelog\n\n## 1.1.0\n\n* x\n", "chore(release): v1.1.0 [skip ci]")
				e.r.Git("tag", "v1.1.0", "HEAD~1")
			},
			want: "tag v1.1.0 already exists at",
		},
		{
			name: "tag exists on the remote",
			setup: func(e *cutEnv, o *CutOptions) {
				e.r.Git("tag", "v1.1.0", "HEAD~1")
				e.r.Git("push", "-q", "origin", "v1.1.0")
				e.r.Git("tag", "-d", "v1.1.0")
			},
			want: `tag v1.1.0 already exists on "origin"`,
		},
		{
			// GitLab subgroups are not GitHub repositories.
			name: "remote is not OWNER/NAME",
			setup: func(e *cutEnv, o *CutOptions) {
				o.Owner, o.Repo = "", ""
				e.r.Git("remote", "set-url", "origin", "https://gitlab.com/group/sub/r.git")
			},
			want: `remote "origin" names group/sub/r, which is not a GitHub repository (OWNER/NAME) (pass --repo OWNER/NAME)`,
		},
		{
			name:  "main behind origin",
			setup: func(e *cutEnv, o *CutOptions) { e.teammatePushes("fix: a teammate's fix") },
			want:  `main is behind origin/main (at `,
		},
		{
			name: "main diverged from origin",
			setup: func(e *cutEnv, o *CutOptions) {
				e.teammatePushes("fix: a teammate's fix")
				e.r.Commit("fix: a local fix")
			},
			want: "which has commits",
		},
		{
			name:  "v2 without /v2 module path",
			setup: func(e *cutEnv, o *CutOptions) { e.r.Commit("feat!: drop the old API") },
			want:  `v2.0.0 is a major version of Go module "example.com/m", whose path must then end in "/v2"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newCutEnv(t)
			o := e.opts()
			tt.setup(e, &o)
			before := e.state()
			_, err := e.cut(o)
			if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want a refusal containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), cutTestToken) {
				t.Errorf("token in error: %v", err)
			}
			if diff := cmp.Diff(before, e.state()); diff != "" {
				t.Errorf("a refused release changed the state:\n%s", diff)
			}
			for _, c := range e.fake.Calls() {
				if c.Method != "GET" {
					t.Errorf("refused release called %s", c.Operation)
				}
			}
		})
	}
}

func TestCutAppTokenWarns(t *testing.T) {
	e := newCutEnv(t)
	e.fake.HidePermissions("o", "r")
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(rep.Plan.Warnings, "\n"); !strings.Contains(w, "make sure it has contents: write") {
		t.Errorf("warnings = %q, want one about unknown permissions", rep.Plan.Warnings)
	}
}

func TestCutShallowClone(t *testing.T) {
	e := newCutEnv(t)
	clone := e.r.Clone("--depth=1")
	repo, err := git.Open(context.Background(), clone.Dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Cut(context.Background(), repo, e.opts())
	if !errors.Is(err, git.ErrShallow) || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("error = %v, want git.ErrShallow with the fetch-depth fix", err)
	}
}

func TestCutNothingToRelease(t *testing.T) {
	e := newCutEnv(t)
	e.r.Git("tag", "-a", "-m", "v1.1.0", "v1.1.0")
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Plan != nil || !strings.Contains(rep.Nothing, "nothing to release") {
		t.Errorf("report = %+v, want nothing to release", rep)
	}
}

func TestCutReleaseRE(t *testing.T) {
	tests := []struct {
		name, template, header, want string
	}{
		{"default", DefaultCutCommitMessage, "chore(release): v1.2.0 [skip ci]", "v1.2.0"},
		{"default, not a release", DefaultCutCommitMessage, "chore(release): prepare", ""},
		{"default, other commit", DefaultCutCommitMessage, "feat: v1.2.0 [skip ci]", ""},
		{"version only", "release {{.Version}}\n\nbody", "release 1.2.0", "v1.2.0"},
		{"both", "chore: release {{.Version}} ({{.Tag}})", "chore: release 1.2.0 (v1.2.0)", "v1.2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re, err := cutReleaseRE(tt.template)
			if err != nil {
				t.Fatal(err)
			}
			c := &cutter{prefix: "v", releaseRE: re}
			got := c.releaseTag(&git.Commit{Parents: []string{"p"}, Message: tt.header + "\n"})
			if got != tt.want {
				t.Errorf("releaseTag(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
	if _, err := cutReleaseRE("chore: release"); !errors.Is(err, ErrCutRefused) {
		t.Errorf("a template without the version: error %v, want a refusal", err)
	}
}

func TestCutCustomCommitMessage(t *testing.T) {
	e := newCutEnv(t)
	o := e.opts()
	o.Config.CommitMessage = "build: release {{.Version}}"
	if _, err := e.cut(o); err != nil {
		t.Fatal(err)
	}
	if got := e.r.Git("log", "-1", "--format=%s"); got != "build: release 1.1.0" {
		t.Errorf("release commit = %q", got)
	}
	st := e.state()
	rep, err := e.cut(o)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Plan.Resumed || len(stepsRun(rep)) != 1 {
		t.Errorf("re-run did not recognise its release commit: %+v", rep.Steps)
	}
	if diff := cmp.Diff(st, e.state()); diff != "" {
		t.Errorf("re-run changed the state:\n%s", diff)
	}
}

func TestCutSection(t *testing.T) {
	doc := "# Changelog\n\n## [1.2.0](u) (2026-01-02)\n\n### Features\n\n* a\n\n```\n## 1.0.0 in a fence\n```\n\n## 1.1.0\n\n* b\n"
	tests := []struct{ version, want string }{
		{"1.2.0", "## [1.2.0](u) (2026-01-02)\n\n### Features\n\n* a\n\n```\n## 1.0.0 in a fence\n```\n"},
		{"1.1.0", "## 1.1.0\n\n* b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, cutSection([]byte(doc), tt.version)); diff != "" {
				t.Errorf("cutSection mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// teammatePushes pushes a commit to origin from another clone: origin's
// main is then ahead of the local main, by a commit the local clone has
// not fetched.
func (e *cutEnv) teammatePushes(msg string) string {
	e.t.Helper()
	origin := &gittest.Repo{T: e.t, Dir: e.origin, Now: e.r.Now, Author: "Grace Hopper <grace@example.com>"}
	other := origin.Clone()
	sha := other.Commit(msg)
	other.Git("push", "-q", "origin", "HEAD:refs/heads/main")
	return sha
}

// TestCutBehindOrigin: a release from a main that lacks commits of
// origin/main is refused before anything changes, the dry run says so,
// and after a pull the release goes through.
func TestCutBehindOrigin(t *testing.T) {
	e := newCutEnv(t)
	theirs := e.teammatePushes("fix: a teammate's fix")
	before := e.state()

	dry := e.opts()
	dry.Forge, dry.DryRun = nil, true
	rep, err := e.cut(dry)
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if w := strings.Join(rep.Plan.Warnings, "\n"); !strings.Contains(w, "main is behind origin/main") || !strings.Contains(w, "a real release stops here") {
		t.Errorf("dry-run warnings = %q, want main behind origin/main", rep.Plan.Warnings)
	}

	_, err = e.cut(e.opts())
	if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), "main is behind origin/main (at "+theirs[:7]+")") || !strings.Contains(err.Error(), "pull, then run again") {
		t.Fatalf("error = %v, want a refusal: main behind origin/main", err)
	}
	if diff := cmp.Diff(before, e.state()); diff != "" {
		t.Errorf("a refused release changed the state:\n%s", diff)
	}

	e.r.Git("pull", "-q", "--rebase", "origin", "main")
	rep, err = e.cut(e.opts())
	if err != nil {
		t.Fatalf("after pulling: %v", err)
	}
	if rep.Plan.Tag != "v1.1.0" || e.r.Git("rev-parse", "HEAD~1") != theirs {
		t.Errorf("release %s not cut on top of the teammate's commit: %s", rep.Plan.Tag, e.r.Git("log", "--oneline", "-3"))
	}
}

// TestCutResumeBehindOrigin: the remote moves between the release commit
// and the push. The re-run refuses (instead of failing the push again)
// and says how to drop the release commit; after that and a pull, the
// release goes through.
func TestCutResumeBehindOrigin(t *testing.T) {
	e := newCutEnv(t)
	if _, err := e.cutFailingAt("push"); err == nil {
		t.Fatal("first run did not fail at push")
	}
	rc := e.r.Head()
	e.teammatePushes("fix: a teammate's fix")
	before := e.state()

	_, err := e.cut(e.opts())
	want := "drop that commit and its tag (git reset --hard " + e.r.Git("rev-parse", "--short=7", "HEAD~1") + "; git tag -d v1.1.0), pull, then run again"
	if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), "unpushed release commit "+rc[:7]) || !strings.Contains(err.Error(), want) {
		t.Fatalf("re-run error = %v, want a refusal containing %q", err, want)
	}
	if diff := cmp.Diff(before, e.state()); diff != "" {
		t.Errorf("a refused re-run changed the state:\n%s", diff)
	}

	e.r.Git("reset", "-q", "--hard", "HEAD~1")
	e.r.Git("tag", "-d", "v1.1.0")
	e.r.Git("pull", "-q", "--rebase", "origin", "main")
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatalf("after dropping the release commit and pulling: %v", err)
	}
	if got := e.r.Git("ls-remote", e.origin, "refs/tags/v1.1.0^{}"); !strings.HasPrefix(got, e.r.Head()) || rep.Plan.Resumed {
		t.Errorf("v1.1.0 on origin = %q, want the new release commit %s", got, e.r.Head())
	}
}

// TestCutBadTagName: a tag prefix that makes an invalid tag name stops the
// release in preflight, dry run or not, before anything is written.
func TestCutBadTagName(t *testing.T) {
	bad := "v.."
	tests := []struct {
		name  string
		setup func(e *cutEnv, o *CutOptions)
	}{
		{"flag", func(e *cutEnv, o *CutOptions) { o.Plan.TagPrefix = &bad }},
		{"config", func(e *cutEnv, o *CutOptions) { o.Plan.Config.TagPrefix = &bad }},
		{"dry run", func(e *cutEnv, o *CutOptions) { o.Plan.TagPrefix, o.DryRun, o.Forge = &bad, true, nil }},
		{
			// A release commit naming such a tag is not resumed either.
			name: "resumed release commit",
			setup: func(e *cutEnv, o *CutOptions) {
				o.Plan.TagPrefix = &bad
				e.r.CommitFile("CHANGELOG.md", "# Changelog\n\n## 1.1.0\n\n* x\n", "chore(release): v..1.1.0 [skip ci]")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newCutEnv(t)
			o := e.opts()
			tt.setup(e, &o)
			before := e.state()
			_, err := e.cut(o)
			var ce *CutError
			if !errors.Is(err, ErrPlanBadTag) || !errors.As(err, &ce) || ce.Step != "preflight" || !strings.Contains(err.Error(), "is not a valid tag name") || !strings.Contains(err.Error(), `tag prefix "v.."`) {
				t.Fatalf("error = %v, want ErrPlanBadTag in preflight", err)
			}
			if diff := cmp.Diff(before, e.state()); diff != "" {
				t.Errorf("the release changed the state:\n%s", diff)
			}
		})
	}
}

// TestCutResumeAfterOthersPushed: the release was pushed, the GitHub
// release failed, and a teammate pushed on top before the re-run. The
// re-run finishes the release without pushing main again.
func TestCutResumeAfterOthersPushed(t *testing.T) {
	e := newCutEnv(t)
	if _, err := e.cutFailingAt("github-release"); err == nil {
		t.Fatal("first run did not fail at github-release")
	}
	rc := e.r.Head()
	theirs := e.teammatePushes("fix: a teammate's fix")

	e.gh = e.newClient()
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if diff := cmp.Diff([]string{"preflight", "github-release", "floating-tag"}, stepsRun(rep)); diff != "" {
		t.Errorf("steps run (-want +got):\n%s", diff)
	}
	if got := e.r.Git("ls-remote", e.origin, "refs/heads/main"); !strings.HasPrefix(got, theirs) {
		t.Errorf("origin main = %q, want the teammate's %s", got, theirs)
	}
	if rels := e.fake.Releases("o", "r"); len(rels) != 1 || rels[0].TargetCommitish != rc || rels[0].Draft {
		t.Errorf("releases = %+v, want one published at %s", rels, rc)
	}
}

// TestCutFloatsV0: on 0.x the floating major tag is v0 (Actions users pin
// `@v0` until 1.0.0); prereleases move nothing.
func TestCutFloatsV0(t *testing.T) {
	e := newCutEnv(t)
	e.r.Git("tag", "-d", "v1.0.0")
	e.r.Git("push", "-q", "origin", ":refs/tags/v1.0.0")
	e.r.Git("tag", "v0.3.0", "HEAD~3")
	e.r.Git("push", "-q", "origin", "v0.3.0")
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Plan.Tag != "v0.4.0" || rep.Plan.FloatingTag != "v0" {
		t.Fatalf("plan tag %q floating %q, want v0.4.0 and v0", rep.Plan.Tag, rep.Plan.FloatingTag)
	}
	if got, want := e.r.Git("rev-parse", "v0^{commit}"), e.r.Git("rev-parse", "HEAD"); got != want {
		t.Errorf("v0 at %s, want the release commit %s", got, want)
	}
}

// TestCutDryRunShowsWhatIsDone: a dry run after (part of) a release says
// which local steps are already done instead of "dry run" for all.
func TestCutDryRunShowsWhatIsDone(t *testing.T) {
	e := newCutEnv(t)
	if _, err := e.cut(e.opts()); err != nil {
		t.Fatal(err)
	}
	e.r.WriteFile("scratch.txt", "work in progress") // only a warning in a dry run
	opts := e.opts()
	opts.Forge, opts.DryRun = nil, true
	rep, err := e.cut(opts)
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(rep.Plan.Warnings, "\n"); !strings.Contains(w, "uncommitted changes (scratch.txt)") {
		t.Errorf("warnings lack the dirty tree:\n%s", w)
	}
	got := map[string]string{}
	for _, s := range rep.Steps {
		got[s.Step] = s.Skipped
	}
	for step, want := range map[string]string{
		"changelog":      "CHANGELOG.md already has 1.1.0",
		"commit":         "release commit",
		"tag":            "tag v1.1.0 already at",
		"push":           "dry run",
		"github-release": "dry run",
	} {
		if !strings.HasPrefix(got[step], want) {
			t.Errorf("step %s skipped %q, want %q...", step, got[step], want)
		}
	}
}
