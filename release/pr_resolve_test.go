package release_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
)

// TestResolvePR: each value of the pull request comes from its input,
// else from the pull_request event, else is empty; a fork's head may only
// target the integration branch; strict is the input over lint.strict.
func TestResolvePR(t *testing.T) {
	pr := release.CI{Branch: "feature/x", Base: "dev", From: "base", To: "head", Number: 7, Title: "feat: x"}
	fork := pr
	fork.HeadFork = true
	push := release.CI{Branch: "main", From: "before", To: "after"}
	ignore := cmpopts.IgnoreFields(release.PROptions{}, "Lint", "Policy", "Plan", "Preview", "Changelog", "Image", "Repository", "Now", "Redactor", "Comment") // Plan: TestResolvePRPlan; the preview: TestResolvePRPreview
	cases := []struct {
		name string
		in   release.MapInputs
		cfg  *config.Config
		ci   release.CI
		want release.PROptions
	}{
		{"nothing", nil, nil, release.CI{}, release.PROptions{}},
		{"the event", nil, nil, pr, release.PROptions{BaseSHA: "base", HeadSHA: "head", Title: "feat: x", Number: 7, Head: "feature/x", Base: "dev"}},
		{"a push is no pull request", nil, nil, push, release.PROptions{}},
		{"inputs over the event", release.MapInputs{"base-sha": "b2", "head-sha": "h2", "title": "fix: y", "number": "8", "head": "hotfix/y", "base": "main"}, nil, pr,
			release.PROptions{BaseSHA: "b2", HeadSHA: "h2", Title: "fix: y", Number: 8, Head: "hotfix/y", Base: "main"}},
		{"inputs alone", release.MapInputs{"base-sha": "b", "head-sha": "h", "title": "fix: y"}, nil, release.CI{},
			release.PROptions{BaseSHA: "b", HeadSHA: "h", Title: "fix: y"}},
		{"empty inputs are not given", release.MapInputs{"title": "", "number": " "}, nil, pr,
			release.PROptions{BaseSHA: "base", HeadSHA: "head", Title: "feat: x", Number: 7, Head: "feature/x", Base: "dev"}},
		{"a fork's head", nil, nil, fork, release.PROptions{BaseSHA: "base", HeadSHA: "head", Title: "feat: x", Number: 7, Head: "feature/x", Base: "dev",
			Fork: config.DefaultIntegrationBranch}},
		{"a fork's head, integration from the config", nil, &config.Config{Branches: config.Branches{Integration: "develop"}}, fork,
			release.PROptions{BaseSHA: "base", HeadSHA: "head", Title: "feat: x", Number: 7, Head: "feature/x", Base: "dev", Fork: "develop"}},
		{"head input: not the fork's branch", release.MapInputs{"head": "feature/y"}, nil, fork,
			release.PROptions{BaseSHA: "base", HeadSHA: "head", Title: "feat: x", Number: 7, Head: "feature/y", Base: "dev"}},
		{"head-fork input", release.MapInputs{"head-fork": "true"}, nil, pr,
			release.PROptions{BaseSHA: "base", HeadSHA: "head", Title: "feat: x", Number: 7, Head: "feature/x", Base: "dev", Fork: "dev"}},
		{"head-fork false over the event", release.MapInputs{"head-fork": "false"}, nil, fork,
			release.PROptions{BaseSHA: "base", HeadSHA: "head", Title: "feat: x", Number: 7, Head: "feature/x", Base: "dev"}},
		{"strict from the config", nil, &config.Config{Lint: config.Lint{Strict: true}}, release.CI{}, release.PROptions{Strict: true}},
		{"strict input over the config", release.MapInputs{"strict": "false"}, &config.Config{Lint: config.Lint{Strict: true}}, release.CI{}, release.PROptions{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := release.ResolvePR(c.in, c.cfg, c.ci)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got, ignore); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestResolvePRLands: merge methods, check, drafts, WIP, ignore labels,
// draft, labels and body: each input over the pr section over the event;
// a merge_group event is the group's commits.
func TestResolvePRLands(t *testing.T) {
	pr := release.CI{Branch: "feature/x", Base: "dev", From: "base", To: "head", Number: 7, Title: "feat: x",
		Body: "the body", Draft: true, Labels: []string{"bug"}}
	cfg := &config.Config{PR: config.PR{MergeMethods: []string{"squash"}, Check: "title", Drafts: "skip", WIP: "pending", IgnoreLabels: []string{"skip-lint"}}}
	ignore := cmpopts.IgnoreFields(release.PROptions{}, "Lint", "Policy", "Plan", "BaseSHA", "HeadSHA", "Title", "Number", "Head", "Base", "Preview", "Changelog", "Image", "Repository", "Now", "Redactor", "Comment")
	cases := []struct {
		name string
		in   release.MapInputs
		cfg  *config.Config
		ci   release.CI
		want release.PROptions
	}{
		{"the event", nil, nil, pr, release.PROptions{Body: "the body", Draft: true, Labels: []string{"bug"}}},
		{"the config", nil, cfg, pr, release.PROptions{Body: "the body", Draft: true, Labels: []string{"bug"},
			Merge: release.PRMerge{Squash: true, Source: "pr.merge-method"}, TitleOnly: true, Drafts: "skip", WIP: "pending", IgnoreLabels: []string{"skip-lint"}}},
		{"inputs over the config", release.MapInputs{"merge-method": "merge, rebase", "check": "all", "drafts": "check", "wip": "skip", "ignore-labels": "a,b",
			"draft": "false", "labels": "x", "body": "b2"}, cfg, pr,
			release.PROptions{Body: "b2", Labels: []string{"x"}, Merge: release.PRMerge{Merge: true, Rebase: true, Source: "merge-method"},
				Drafts: "check", WIP: "skip", IgnoreLabels: []string{"a", "b"}}},
		{"merge group", nil, nil, release.CI{MergeGroup: true, From: "qb", To: "qh", Branch: "gh-readonly-queue/main/pr-7-abc", Base: "main"},
			release.PROptions{MergeGroup: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := release.ResolvePR(c.in, c.cfg, c.ci)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got, ignore); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if c.ci.MergeGroup && (got.BaseSHA != "qb" || got.HeadSHA != "qh" || got.Base != "main") {
				t.Errorf("merge group: %s..%s base %q, want qb..qh into main", got.BaseSHA, got.HeadSHA, got.Base)
			}
		})
	}
}

func TestResolvePRBadInputs(t *testing.T) {
	cases := []struct {
		name string
		in   release.MapInputs
		cfg  *config.Config
	}{
		{"number not a number", release.MapInputs{"number": "twelve"}, nil},
		{"head-fork not a boolean", release.MapInputs{"head-fork": "y"}, nil},
		{"merge-method unknown", release.MapInputs{"merge-method": "squash,fast-forward"}, nil},
		{"check unknown", release.MapInputs{"check": "commits"}, nil},
		{"drafts unknown", release.MapInputs{"drafts": "hide"}, nil},
		{"wip unknown", release.MapInputs{"wip": "hide"}, nil},
		{"draft not a boolean", release.MapInputs{"draft": "maybe"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := release.ResolvePR(c.in, c.cfg, release.CI{})
			var ie *release.InputError
			if !errors.As(err, &ie) {
				t.Errorf("err = %v, want an *InputError", err)
			}
		})
	}
	t.Run("bad branch model", func(t *testing.T) {
		cfg := &config.Config{Branches: config.Branches{Skip: []string{"["}}}
		_, err := release.ResolvePR(nil, cfg, release.CI{})
		if err == nil || !strings.Contains(err.Error(), "branches section") {
			t.Errorf("err = %v, want the branches section named", err)
		}
	})
}

// TestResolvePRPlan: the pull request's version plan reads what `next`
// reads.
func TestResolvePRPlan(t *testing.T) {
	prefix := "release-"
	cfg := &config.Config{Version: config.Version{TagPrefix: &prefix}, Release: config.Release{Remote: "upstream"}}
	got, err := release.ResolvePR(nil, cfg, release.CI{Branch: "feature/x", Base: "dev", Number: 7})
	if err != nil {
		t.Fatal(err)
	}
	want := &release.PlanOptions{Config: cfg.Version, Remote: "upstream"}
	if diff := cmp.Diff(want, got.Plan, cmpopts.IgnoreUnexported(config.Version{})); diff != "" {
		t.Errorf("Plan (-want +got):\n%s", diff)
	}
}

// TestResolvePRPreview: the preview is the input over pr.preview (default
// on), off on a merge group; the notes link to the event's repository as
// release's do, unless changelog.repository-url says where.
func TestResolvePRPreview(t *testing.T) {
	pr := release.CI{Branch: "feature/x", Base: "main", From: "base", To: "head", Number: 7, Title: "feat: x", Repository: "o/r", ServerURL: "https://ghe.example.com"}
	off := false
	cases := []struct {
		name     string
		in       release.MapInputs
		cfg      config.PR
		ci       release.CI
		want     bool
		wantRepo string
	}{
		{"default on", nil, config.PR{}, pr, true, "https://ghe.example.com/o/r"},
		{"pr.preview false", nil, config.PR{Preview: &off}, pr, false, "https://ghe.example.com/o/r"},
		{"the input over it", release.MapInputs{"preview": "true"}, config.PR{Preview: &off}, pr, true, "https://ghe.example.com/o/r"},
		{"the input off", release.MapInputs{"preview": "false"}, config.PR{}, pr, false, "https://ghe.example.com/o/r"},
		{"merge group", nil, config.PR{}, release.CI{MergeGroup: true, From: "b", To: "h", Repository: "o/r"}, false, "https://github.com/o/r"},
		{"no repository", nil, config.PR{}, release.CI{Number: 1, From: "b", To: "h", Title: "t"}, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := release.ResolvePR(c.in, &config.Config{PR: c.cfg}, c.ci)
			if err != nil {
				t.Fatal(err)
			}
			if o.Preview != c.want || o.Changelog.RepositoryURL != c.wantRepo {
				t.Errorf("preview %v, repository-url %q; want %v, %q", o.Preview, o.Changelog.RepositoryURL, c.want, c.wantRepo)
			}
		})
	}
	o, err := release.ResolvePR(nil, &config.Config{Changelog: config.Changelog{RepositoryURL: "https://example.com/x/y"}}, pr)
	if err != nil || o.Changelog.RepositoryURL != "https://example.com/x/y" || o.Repository != "o/r" {
		t.Errorf("configured repository-url: %q, repository %q (%v)", o.Changelog.RepositoryURL, o.Repository, err)
	}
	if _, err := release.ResolvePR(release.MapInputs{"preview": "maybe"}, nil, pr); err == nil {
		t.Error("preview maybe: no error")
	}
}

// TestResolvePRComment: the input comment over pr.comment, default never.
func TestResolvePRComment(t *testing.T) {
	pr := release.CI{Number: 7, From: "b", To: "h", Title: "t"}
	for _, c := range []struct {
		in   release.MapInputs
		cfg  string
		want string
	}{
		{nil, "", "never"},
		{nil, "on-failure", "on-failure"},
		{release.MapInputs{"comment": "Always"}, "on-failure", "always"},
		{release.MapInputs{"comment": "never"}, "always", "never"},
	} {
		o, err := release.ResolvePR(c.in, &config.Config{PR: config.PR{Comment: c.cfg}}, pr)
		if err != nil || o.Comment != c.want {
			t.Errorf("%v over %q: %q, %v; want %q", c.in, c.cfg, o.Comment, err, c.want)
		}
	}
	if _, err := release.ResolvePR(release.MapInputs{"comment": "sometimes"}, nil, pr); err == nil || !strings.Contains(err.Error(), "comment") {
		t.Errorf("comment sometimes: %v", err)
	}
}
