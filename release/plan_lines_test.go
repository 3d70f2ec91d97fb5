package release_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/version"
)

// linesSummary is planSummary plus the tag the commits are read from.
type linesSummary struct {
	Plan     planSummary
	SinceTag string
}

// TestPlanLines: Plan reads commits from the newest tag HEAD reaches,
// stable or prerelease, and lines never propose a version below it or jump
// to another line.
func TestPlanLines(t *testing.T) {
	cases := []struct {
		name  string
		build func(r *gittest.Repo)
		opts  release.PlanOptions
		want  linesSummary
	}{
		{
			// electron: stable 1.x on main long ago, nightlies on main
			// since, stable releases on branches main never merges (so the
			// highest stable tag is not reachable: git tag --merged).
			name: "nightly line on main with stable releases on branches",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.8.1")
				for range 20 {
					r.Commit("fix: before the nightlies")
				}
				r.Tag("v2.0.0-nightly.20180101")
				r.Branch("2-x-y")
				r.Commit("fix: backport")
				r.Tag("v2.0.0")
				r.Checkout("main")
				r.Commit("feat: next major")
				r.Tag("v3.0.0-nightly.20180301")
				r.Commit("fix: after the nightly")
				r.Commit("docs: z")
			},
			want: linesSummary{SinceTag: "v3.0.0-nightly.20180301", Plan: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.8.1", NextTag: "v3.0.0", Next: "3.0.0", Bump: "major",
				Commits: []string{"docs: z: none: docs → none", "fix: after the nightly: patch: fix → patch"}}},
		},
		{
			// The highest stable tag is reachable: one log from it finds the
			// nightly in its range.
			name: "nightly line on main above a reachable stable tag",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.8.1")
				for range 20 {
					r.Commit("fix: before the nightlies")
				}
				r.Tag("v2.0.0-nightly.20180101")
				r.Commit("fix: after the nightly")
			},
			want: linesSummary{SinceTag: "v2.0.0-nightly.20180101", Plan: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.8.1", NextTag: "v2.0.0", Next: "2.0.0", Bump: "major",
				Commits: []string{"fix: after the nightly: patch: fix → patch"}}},
		},
		{
			name: "dev merged into main graduates its line",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Branch("dev")
				r.Commit("feat: a")
				r.Tag("v1.1.0-dev.1")
				r.Commit("fix: b")
				r.Tag("v1.1.0-dev.2")
				r.Checkout("main")
				r.Merge("dev", "Merge branch 'dev'")
			},
			want: linesSummary{SinceTag: "v1.1.0-dev.2", Plan: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.0.0", NextTag: "v1.1.0", Next: "1.1.0", Bump: "minor",
				Commits: []string{"Merge branch 'dev': none: promotion merge of dev: the commits it brings in count, not the merge"}}},
		},
		{
			name: "prereleases HEAD does not reach are not where the range starts",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Branch("dev")
				r.Commit("feat: a")
				r.Tag("v1.1.0-dev.1")
				r.Checkout("main")
				r.Commit("fix: hot")
			},
			want: linesSummary{SinceTag: "v1.0.0", Plan: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.0.0", NextTag: "v1.0.1", Next: "1.0.1", Bump: "patch",
				Commits: []string{"fix: hot: patch: fix → patch"}}},
		},
		{
			name: "prereleases only",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Branch("dev")
				r.Commit("feat: a")
				r.Tag("v0.1.0-dev.1")
				r.Commit("fix: b")
			},
			want: linesSummary{SinceTag: "v0.1.0-dev.1", Plan: planSummary{Branch: "dev", Channel: "dev", NextTag: "v0.1.0-dev.2", Next: "0.1.0-dev.2", Bump: "minor",
				Commits: []string{"fix: b: patch: fix → patch"}}},
		},
		{
			name: "hotfix line stays on its line",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.4.3")
				r.Branch("hotfix/login")
				r.Checkout("main")
				r.Commit("feat!: new api")
				r.Tag("v2.0.0")
				r.Checkout("hotfix/login")
				r.Commit("fix: login")
			},
			want: linesSummary{SinceTag: "v1.4.3", Plan: planSummary{Branch: "hotfix/login", Channel: "hotfix", PreviousTag: "v1.4.3", NextTag: "v1.4.4", Next: "1.4.4", Bump: "patch",
				Commits: []string{"fix: login: patch: fix → patch"}}},
		},
		{
			name: "0.x options from the configuration",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v0.3.0")
				r.Commit("feat: a")
			},
			opts: release.PlanOptions{Config: config.Version{BumpPatchForMinorPreMajor: true}},
			want: linesSummary{SinceTag: "v0.3.0", Plan: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v0.3.0", NextTag: "v0.3.1", Next: "0.3.1", Bump: "patch",
				Commits: []string{"feat: a: patch: feat → patch while 0.x"}}},
		},
		{
			name: "initial from the configuration",
			build: func(r *gittest.Repo) {
				r.Commit("feat: a")
			},
			opts: release.PlanOptions{Config: config.Version{Initial: "1.0.0"}},
			want: linesSummary{Plan: planSummary{Branch: "main", Channel: "stable", NextTag: "v1.0.0", Next: "1.0.0", Bump: "minor",
				Commits: []string{"feat: a: minor: feat → minor"}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := gittest.New(t)
			c.build(r)
			rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), c.opts)
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			got := linesSummary{Plan: planSummarize(rep), SinceTag: rep.SinceTag}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanLineTagExists: an older commit of main that needs a tag made
// later on its line refuses, naming the tag, rather than jump past it.
func TestPlanLineTagExists(t *testing.T) {
	r := gittest.New(t)
	r.Commit("chore: init")
	r.Tag("v3.5.39")
	r.Commit("fix: a")
	r.Tag("v3.5.40")
	r.Commit("fix: b")
	r.Tag("v3.5.41")
	r.Checkout("v3.5.39")
	r.Commit("fix: c")
	rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{Branch: "main"})
	var te *version.TagExistsError
	if !errors.As(err, &te) || te.Tag != "v3.5.40" || te.Newest != "v3.5.41" {
		t.Fatalf("Plan = %+v, %v; want a *version.TagExistsError naming v3.5.40", rep, err)
	}
	if !release.PlanRefused(err) {
		t.Errorf("PlanRefused(%v) = false: a line that may not jump is a refusal (exit 1), not a failure", err)
	}
}

// TestPlanRulesVersionOptions maps the documented version keys.
func TestPlanRulesVersionOptions(t *testing.T) {
	no, yes := false, true
	cases := []struct {
		name  string
		cfg   config.Version
		check func(r version.Rules) bool
		err   string
	}{
		{name: "initial", cfg: config.Version{Initial: "1.0.0"}, check: func(r version.Rules) bool { return r.Initial.String() == "1.0.0" }},
		{name: "initial-version still read", cfg: config.Version{InitialVersion: "0.2.0"}, check: func(r version.Rules) bool { return r.Initial.String() == "0.2.0" }},
		{name: "bad initial", cfg: config.Version{Initial: "1.0"}, err: `.shipflow.yaml: version.initial: "1.0" is not a plain X.Y.Z version`},
		{name: "initial and initial-version disagree", cfg: config.Version{Initial: "1.0.0", InitialVersion: "0.1.0"},
			err: `.shipflow.yaml: version.initial: initial "1.0.0" and initial-version "0.1.0" disagree: keep initial (initial-version is its older spelling)`},
		{name: "bump-minor-pre-major false", cfg: config.Version{BumpMinorPreMajor: &no}, check: func(r version.Rules) bool { return r.MajorOnZero }},
		{name: "bump-minor-pre-major true", cfg: config.Version{BumpMinorPreMajor: &yes}, check: func(r version.Rules) bool { return !r.MajorOnZero }},
		{name: "bump-minor-pre-major against major-on-zero", cfg: config.Version{BumpMinorPreMajor: &yes, MajorOnZero: true},
			err: `.shipflow.yaml: version.bump-minor-pre-major: major-on-zero: true and bump-minor-pre-major: true disagree: keep one (bump-minor-pre-major: false is major-on-zero: true)`},
		{name: "bump-patch-for-minor-pre-major", cfg: config.Version{BumpPatchForMinorPreMajor: true}, check: func(r version.Rules) bool { return r.MinorAsPatchOnZero }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rules, _, err := release.PlanRules(c.cfg)
			if c.err != "" {
				var ce *config.Error
				if err == nil || err.Error() != c.err || !errors.As(err, &ce) {
					t.Fatalf("PlanRules error = %v, want *config.Error %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("PlanRules: %v", err)
			}
			if !c.check(rules) {
				t.Errorf("PlanRules(%+v) = %+v", c.cfg, rules)
			}
		})
	}
}

// TestChangelogGraduation: the notes of a stable version that graduates a
// prerelease line list every change since the last stable version, though
// the plan counts only those since the newest prerelease.
func TestChangelogGraduation(t *testing.T) {
	r := gittest.New(t)
	r.Commit("chore: init")
	r.Tag("v1.0.0")
	r.Branch("dev")
	r.Commit("feat: add search")
	r.Tag("v1.1.0-dev.1")
	r.Commit("fix: empty query")
	r.Tag("v1.1.0-dev.2")
	r.Checkout("main")
	r.Merge("dev", "Merge branch 'dev'")
	rep, err := release.Changelog(context.Background(), planOpen(t, r.Dir), release.ChangelogOptions{DryRun: true, Now: notesNow})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Version != "1.1.0" || rep.PreviousTag != "v1.0.0" {
		t.Errorf("Changelog = %s from %s, want 1.1.0 from v1.0.0", rep.Version, rep.PreviousTag)
	}
	for _, want := range []string{"add search", "empty query"} {
		if !strings.Contains(rep.Section, want) {
			t.Errorf("section lacks %q:\n%s", want, rep.Section)
		}
	}
}
