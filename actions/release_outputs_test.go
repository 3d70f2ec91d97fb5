package actions

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// A release sets every output a workflow needs to go on: the release's id
// and URLs, the version's parts, the release commit.
func TestReleaseOutputs(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.AnnotatedTag("v0.1.0", "v0.1.0")
	repo.Commit("fix: a bug")
	repo.InitBare("origin")
	repo.Git("push", "-q", "origin", "main", "--tags")
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true, Pull: true})
	s.vars["GITHUB_REPOSITORY"] = "Codertocat/Hello-World"
	rep, err := s.run("release", repo.Dir)
	if err != nil {
		t.Fatalf("release: %v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Success {
		t.Fatalf("conclusion %s\n%s", rep.Conclusion, s.log.String())
	}
	rels := fake.Releases("Codertocat", "Hello-World")
	if len(rels) != 1 {
		t.Fatalf("releases %+v", rels)
	}
	out := s.outputs()
	delete(out, "notes")
	want := map[string]string{
		"released": "true", "created": "true", "version": "0.1.1", "tag": "v0.1.1",
		"major": "0", "minor": "1", "patch": "1", "prerelease": "false",
		"sha":         repo.Git("rev-parse", "v0.1.1^{commit}"),
		"release-id":  fmt.Sprint(rels[0].ID),
		"release-url": out["release-url"], "html-url": out["release-url"], "upload-url": out["upload-url"],
		// Direct mode: no release PR.
		"release-pr-number": "", "release-pr-url": "", "release-pr-action": "",
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if out["release-url"] == "" || out["upload-url"] == "" {
		t.Errorf("no release or upload URL: %v", out)
	}

	// A re-run finds the release made: released, not created.
	s2 := newSim(t)
	s2.github(githubfake.Permissions{Push: true, Pull: true})
	s2.fake = fake
	s2.vars["GITHUB_API_URL"] = s.vars["GITHUB_API_URL"]
	s2.vars["GITHUB_REPOSITORY"] = "Codertocat/Hello-World"
	if _, err := s2.run("release", repo.Dir); err != nil {
		t.Fatalf("re-run: %v\n%s", err, s2.log.String())
	}
	if got := s2.outputs(); got["created"] != "false" || got["released"] != "true" || got["release-id"] != want["release-id"] {
		t.Errorf("re-run outputs %v", got)
	}
}

// A dry run given a token reads GitHub (the branch's rules, which refuse
// the release push: a warning) and never writes to it; the outputs say
// what would be released, not released.
func TestReleaseDryRunWithTokenReadsOnly(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.AnnotatedTag("v0.1.0", "v0.1.0")
	repo.Commit("fix: a bug")
	repo.InitBare("origin")
	repo.Git("push", "-q", "origin", "main", "--tags")
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true, Pull: true})
	fake.AddRule("Codertocat", "Hello-World", "main", githubfake.Rule{Type: "pull_request", RulesetID: 7})
	s.input("dry-run", "true")
	rep, err := s.run("release", repo.Dir)
	if err != nil {
		t.Fatalf("release: %v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Success {
		t.Fatalf("conclusion %s\n%s", rep.Conclusion, s.log.String())
	}
	if log := s.log.String(); !strings.Contains(log, "::warning") || !strings.Contains(log, "the release branch main refuses direct pushes (") || !strings.Contains(log, "a ruleset requires a pull request") {
		t.Errorf("no protected-branch warning in the log:\n%s", s.log.String())
	}
	calls := fake.Calls()
	if len(calls) == 0 {
		t.Error("a dry run with a token read nothing from GitHub")
	}
	for _, c := range calls {
		if c.Method != "GET" {
			t.Errorf("a dry run called %s %s", c.Method, c.Path)
		}
	}
	if out := s.outputs(); out["released"] != "false" || out["created"] != "false" || out["version"] != "0.1.1" || out["release-pr-action"] != "" {
		t.Errorf("outputs %v", out)
	}
	if tags := repo.Git("tag", "--list"); tags != "v0.1.0" {
		t.Errorf("a dry run made tags: %q", tags)
	}
}

// In PR mode, opening or updating the release PR is not a release:
// released and created are false, the version outputs say what merging
// the PR will release, and the release-pr outputs name it. A run that
// closed the PR has only those; a run that released its merge has both.
func TestReleaseOutputsReleasePR(t *testing.T) {
	plan := func() *release.CutPlan {
		return &release.CutPlan{Version: "1.2.0", Tag: "v1.2.0", Mode: "pr", Major: 1, Minor: 2, Notes: "n"}
	}
	pr := func(action string) *release.ReleasePR {
		return &release.ReleasePR{Number: 12, URL: "https://github.com/o/r/pull/12", Branch: "shipflow/release-main", Action: action}
	}
	released := plan()
	released.ReleaseID, released.ReleaseURL, released.UploadURL, released.Created, released.ReleaseCommit = 7, "https://github.com/o/r/releases/tag/v1.2.0", "https://uploads/7", true, "abc"
	pick := func(out []Output) map[string]string {
		m := map[string]string{}
		for _, o := range out {
			m[o.Name] = o.Value
		}
		return map[string]string{
			"released": m["released"], "created": m["created"], "version": m["version"], "tag": m["tag"], "release-id": m["release-id"],
			"release-pr-number": m["release-pr-number"], "release-pr-url": m["release-pr-url"], "release-pr-action": m["release-pr-action"],
		}
	}
	for _, tt := range []struct {
		name string
		cut  *release.CutReport
		want map[string]string
	}{
		{"opened", &release.CutReport{Plan: plan(), ReleasePR: pr("opened")}, map[string]string{
			"released": "false", "created": "false", "version": "1.2.0", "tag": "v1.2.0", "release-id": "",
			"release-pr-number": "12", "release-pr-url": "https://github.com/o/r/pull/12", "release-pr-action": "opened",
		}},
		{"closed", &release.CutReport{Nothing: "nothing to release since v1.2.0", ReleasePR: pr("closed")}, map[string]string{
			"released": "false", "created": "false", "version": "", "tag": "", "release-id": "",
			"release-pr-number": "12", "release-pr-url": "https://github.com/o/r/pull/12", "release-pr-action": "closed",
		}},
		{"released", &release.CutReport{Plan: released, ReleasePR: pr("released")}, map[string]string{
			"released": "true", "created": "true", "version": "1.2.0", "tag": "v1.2.0", "release-id": "7",
			"release-pr-number": "12", "release-pr-url": "https://github.com/o/r/pull/12", "release-pr-action": "released",
		}},
		{"would open", &release.CutReport{Plan: func() *release.CutPlan { p := plan(); p.DryRun = true; return p }(), ReleasePR: &release.ReleasePR{Branch: "shipflow/release-main", Action: "would open"}}, map[string]string{
			"released": "false", "created": "false", "version": "1.2.0", "tag": "v1.2.0", "release-id": "",
			"release-pr-number": "", "release-pr-url": "", "release-pr-action": "would open",
		}},
		{"direct", &release.CutReport{Plan: released}, map[string]string{
			"released": "true", "created": "true", "version": "1.2.0", "tag": "v1.2.0", "release-id": "7",
			"release-pr-number": "", "release-pr-url": "", "release-pr-action": "",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, pick(releaseOutputs(tt.cut))); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
		})
	}
}

// The step summary names the release PR and what the run did with it.
func TestReleaseSummaryReleasePR(t *testing.T) {
	for _, tt := range []struct {
		pr   *release.ReleasePR
		want string
	}{
		{&release.ReleasePR{Number: 12, URL: "https://github.com/o/r/pull/12", Branch: "shipflow/release-main", Action: "opened"}, "[Release PR #12](https://github.com/o/r/pull/12): opened.\n"},
		{&release.ReleasePR{Branch: "shipflow/release-main", Action: "would open"}, "Release PR from `shipflow/release-main`: would open.\n"},
	} {
		got := releaseSummary(&release.CutReport{Nothing: "x", ReleasePR: tt.pr})
		if !strings.Contains(got, tt.want) {
			t.Errorf("summary %q, want it to contain %q", got, tt.want)
		}
	}
	if got := releaseSummary(&release.CutReport{Nothing: "x"}); strings.Contains(got, "Release PR") {
		t.Errorf("direct-mode summary names a release PR: %q", got)
	}
}
