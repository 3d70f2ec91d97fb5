package release

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/config"
)

// cutRenderPlan is a release plan as the preflight leaves it.
func cutRenderPlan() *CutPlan {
	return &CutPlan{
		Version: "1.2.0", Tag: "v1.2.0", PreviousTag: "v1.1.0", Branch: "main", Remote: "origin",
		Mode: config.ReleaseModeDirect, Owner: "acme", Repo: "app", APIURL: "https://api.github.com/",
		Major: 1, Minor: 2, Latest: true,
		CommitMessage: "chore(release): v1.2.0 [skip ci]", FloatingTag: "v1",
		Notes: "## [1.2.0](https://github.com/acme/app/compare/v1.1.0...v1.2.0)\n\n### Features\n\n* search\n",
	}
}

// TestCutReportWriteTextGolden pins the release report of a direct dry
// run, a release PR opened, updated, merged and closed, and the kinds of
// GitHub release (prerelease, latest or not).
func TestCutReportWriteTextGolden(t *testing.T) {
	steps := func(skip string, names ...string) []StepResult {
		var out []StepResult
		for i, n := range names {
			if i == 0 || skip == "" {
				out = append(out, StepResult{Step: n})
			} else {
				out = append(out, StepResult{Step: n, Skipped: skip})
			}
		}
		return out
	}
	direct := []string{"preflight", "changelog", "commit", "tag", "push", "github-release", "floating-tag"}
	const prURL = "https://github.com/acme/app/pull/12"
	cases := []struct {
		name string
		rep  func() *CutReport
	}{
		{"direct-dry-run", func() *CutReport {
			p := cutRenderPlan()
			p.DryRun = true
			p.Assets = []string{"dist/app-darwin.tar.gz", "dist/app-linux.tar.gz"}
			return &CutReport{Plan: p, Steps: steps("dry run", direct...)}
		}},
		{"direct-dry-run-no-floating-tag", func() *CutReport {
			// release.floating-major-tag off: the step says so, and no
			// floating tag is named.
			p := cutRenderPlan()
			p.DryRun, p.FloatingTag = true, ""
			st := steps("dry run", direct...)
			st[len(st)-1].Skipped = "floating major tag disabled (release.floating-major-tag is off)"
			return &CutReport{Plan: p, Steps: st}
		}},
		{"direct-released", func() *CutReport {
			p := cutRenderPlan()
			p.ReleaseCommit = "5f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a"
			p.ReleaseURL, p.ReleaseID, p.Created = "https://github.com/acme/app/releases/tag/v1.2.0", 7, true
			p.Assets = []string{"a.zip", "b.zip", "c.zip", "d.zip", "e.zip", "f.zip", "g.zip"}
			return &CutReport{Plan: p, Steps: steps("", direct...)}
		}},
		{"hotfix-not-latest", func() *CutReport {
			p := cutRenderPlan()
			p.Version, p.Tag, p.PreviousTag, p.Branch, p.DryRun = "1.1.1", "v1.1.1", "v1.1.0", "release/1.x", true
			p.Latest, p.higherInMajor = false, "v1.2.0"
			p.CommitMessage, p.Notes = "chore(release): v1.1.1 [skip ci]", "## 1.1.1\n\n### Bug Fixes\n\n* a fix\n"
			return &CutReport{Plan: p, Steps: steps("dry run", "preflight", "changelog")}
		}},
		{"maintenance-not-latest", func() *CutReport {
			p := cutRenderPlan()
			p.Version, p.Tag, p.Draft, p.Latest = "1.5.0", "v1.5.0", true, false
			return &CutReport{Plan: p, Steps: steps("", "preflight")}
		}},
		{"prerelease", func() *CutReport {
			p := cutRenderPlan()
			p.Version, p.Tag, p.Branch, p.Prerelease, p.Latest, p.FloatingTag = "1.2.0-dev.3", "v1.2.0-dev.3", "dev", true, false, ""
			return &CutReport{Plan: p, Steps: steps("", "preflight")}
		}},
		{"pr-opened", func() *CutReport {
			p := cutRenderPlan()
			p.Mode = config.ReleaseModePR
			return &CutReport{Plan: p, Steps: steps("", "preflight", "release-pr"),
				ReleasePR: &ReleasePR{Number: 12, URL: prURL, Branch: "shipflow/release-main", Action: "opened", Commit: "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"}}
		}},
		{"pr-updated", func() *CutReport {
			p := cutRenderPlan()
			p.Mode = config.ReleaseModePR
			p.Assets = []string{"dist/app.tar.gz"}
			return &CutReport{Plan: p, Steps: steps("", "preflight", "release-pr"),
				ReleasePR: &ReleasePR{Number: 12, URL: prURL, Branch: "shipflow/release-main", Action: "updated"}}
		}},
		{"pr-dry-run-would-open", func() *CutReport {
			p := cutRenderPlan()
			p.Mode, p.DryRun = config.ReleaseModePR, true
			return &CutReport{Plan: p, Steps: steps("dry run", "preflight", "release-pr"),
				ReleasePR: &ReleasePR{Branch: "shipflow/release-main", Action: "would open"}}
		}},
		{"pr-dry-run-would-update", func() *CutReport {
			p := cutRenderPlan()
			p.Mode, p.DryRun = config.ReleaseModePR, true
			return &CutReport{Plan: p, Steps: steps("dry run", "preflight", "release-pr"),
				ReleasePR: &ReleasePR{Number: 12, URL: prURL, Branch: "shipflow/release-main", Action: "would update"}}
		}},
		{"pr-merged-released", func() *CutReport {
			p := cutRenderPlan()
			p.Mode = config.ReleaseModePR
			p.ReleaseURL, p.ReleaseID, p.Created = "https://github.com/acme/app/releases/tag/v1.2.0", 7, true
			return &CutReport{Plan: p, Steps: steps("", "preflight", "tag", "push", "github-release", "floating-tag"),
				ReleasePR: &ReleasePR{Number: 12, URL: prURL, Branch: "shipflow/release-main", Action: "released", MergeCommit: "abc1234def5678abc1234def5678abc1234def56"}}
		}},
		{"pr-dry-run-would-release", func() *CutReport {
			p := cutRenderPlan()
			p.Mode, p.DryRun = config.ReleaseModePR, true
			return &CutReport{Plan: p, Steps: steps("dry run", "preflight", "tag", "push", "github-release"),
				ReleasePR: &ReleasePR{Number: 12, URL: prURL, Branch: "shipflow/release-main", Action: "would release", MergeCommit: "abc1234def5678abc1234def5678abc1234def56"}}
		}},
		{"pr-dry-run-no-token", func() *CutReport {
			p := cutRenderPlan()
			p.Mode, p.DryRun = config.ReleaseModePR, true
			return &CutReport{Plan: p, Steps: steps("dry run", "preflight", "release-pr"),
				ReleasePR: &ReleasePR{Branch: "shipflow/release-main", Action: "would open or update"}}
		}},
		{"pr-merged-push-failed", func() *CutReport {
			p := cutRenderPlan()
			p.Mode = config.ReleaseModePR
			return &CutReport{Plan: p, Steps: []StepResult{{Step: "preflight"}, {Step: "tag"}, {Step: "push", Error: "rejected"}},
				ReleasePR: &ReleasePR{Number: 12, URL: prURL, Branch: "shipflow/release-main", Action: "merged", MergeCommit: "abc1234def5678abc1234def5678abc1234def56"}}
		}},
		{"pr-closed-nothing", func() *CutReport {
			return &CutReport{Nothing: "nothing to release since v1.2.0", Steps: steps("", "preflight"),
				ReleasePR: &ReleasePR{Number: 12, URL: prURL, Branch: "shipflow/release-main", Action: "closed"}}
		}},
		{"pr-dry-run-would-close", func() *CutReport {
			return &CutReport{Nothing: "nothing to release since v1.2.0", Steps: steps("", "preflight"),
				ReleasePR: &ReleasePR{Number: 12, URL: prURL, Branch: "shipflow/release-main", Action: "would close"}}
		}},
		{"local", func() *CutReport {
			p := cutRenderPlan()
			p.Local, p.Owner, p.Repo = true, "", ""
			p.Assets = nil
			return &CutReport{Plan: p, Steps: append(steps("", "preflight", "changelog", "commit", "tag"), StepResult{Step: "push", Skipped: "local release (--local)"})}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.rep().WriteText(&b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "cut", c.name+".golden"), b.String())
		})
	}
}

// TestCutReportWriteJSONReleasePR: `shipflow release --format json`
// carries the release pull request, with the plan or with nothing to
// release, and leaves it out in direct mode.
func TestCutReportWriteJSONReleasePR(t *testing.T) {
	pr := &ReleasePR{Number: 12, URL: "https://github.com/acme/app/pull/12", Branch: "shipflow/release-main", Action: "opened", Commit: "9a8b7c6"}
	p := cutRenderPlan()
	p.Mode = config.ReleaseModePR
	for _, rep := range []*CutReport{
		{Plan: p, ReleasePR: pr},
		{Nothing: "nothing to release since v1.2.0", ReleasePR: &ReleasePR{Number: 12, Branch: "shipflow/release-main", Action: "closed"}},
	} {
		var b bytes.Buffer
		if err := rep.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Plan      *struct{ Mode string } `json:"plan"`
			ReleasePR *ReleasePR             `json:"release_pr"`
		}
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		if diff := cmp.Diff(rep.ReleasePR, got.ReleasePR); diff != "" {
			t.Errorf("release_pr (-want +got):\n%s\n%s", diff, b.String())
		}
		if rep.Plan != nil && (got.Plan == nil || got.Plan.Mode != "pr") {
			t.Errorf("plan mode: %s", b.String())
		}
	}
	var b bytes.Buffer
	if err := (&CutReport{Plan: cutRenderPlan()}).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("release_pr")) {
		t.Errorf("a direct release has a release_pr:\n%s", b.String())
	}
}
