package release_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/branch"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/version"
)

// The whole outputs of the verbs are pinned by cmd/shipflow's golden
// files and scripts; these tests pin each renderer's cases on its own.

func renderString(t *testing.T, write func(io.Writer) error) string {
	t.Helper()
	var b strings.Builder
	if err := write(&b); err != nil {
		t.Fatalf("write: %v", err)
	}
	return b.String()
}

var pushWithRepair = &release.ImagePushReport{
	PushReport: image.PushReport{Repository: "r/app", Version: "1.2.0", Digest: "sha256:low", Pushed: true,
		Tags:     []image.TagChange{{Tag: "latest", Kind: image.Moving, Old: "sha256:old", New: "sha256:low", Written: true}},
		Repaired: []image.TagChange{{Tag: "latest", Kind: image.Moving, Old: "sha256:low", New: "sha256:high", Written: true}},
	},
	Warnings: []string{"commit abc1234 is not conventional"},
}

// TestImagePushWriteText: the tags, those put right after a concurrent
// push, and the plan's warnings; a failed push shows its tags only, and
// nothing when no tag was planned.
func TestImagePushWriteText(t *testing.T) {
	const tags = "pushed r/app@sha256:low\n  version 1.2.0, no platform, 0 B uploaded\n\ntags:\n" +
		"  latest       moving    sha256:old → sha256:low  moved\n" +
		"\nput right after a concurrent push of a higher version:\n" +
		"  latest       moving    sha256:low → sha256:high  moved\n"
	refused := errors.New("refused")
	cases := []struct {
		name  string
		rep   *release.ImagePushReport
		opErr error
		want  string
	}{
		{"pushed", pushWithRepair, nil, tags + "\nwarnings:\n  ⚠ commit abc1234 is not conventional\n"},
		{"failed with tags", pushWithRepair, refused, tags},
		{"failed before any tag", &release.ImagePushReport{Warnings: []string{"w"}}, refused, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := renderString(t, func(w io.Writer) error { return c.rep.WriteText(w, c.opErr) })
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("WriteText (-want +got):\n%s", diff)
			}
			js := renderString(t, func(w io.Writer) error { return c.rep.WriteJSON(w, c.opErr) })
			if (js == "") != (c.want == "") {
				t.Errorf("WriteJSON wrote %q; want a document exactly when WriteText writes", js)
			}
		})
	}
}

// TestWriteImageRollbackText: what the record line says after a rollback
// that moved tags, one whose record could not be written, and one that
// left nothing moved.
func TestWriteImageRollbackText(t *testing.T) {
	moved := &image.RollbackReport{Repository: "r/app", From: "1.3.0", To: "1.2.0",
		Tags: []image.TagChange{{Tag: "latest", Kind: image.Moving, Old: "sha256:1234567890abcdef", New: "sha256:fedcba0987654321", Written: true}}}
	putBack := &image.RollbackReport{Repository: "r/app", FromDigest: "sha256:1234567890abcdef", To: "1.2.0",
		Tags: []image.TagChange{{Tag: "latest", Kind: image.Moving, Old: "sha256:a", New: "sha256:b", Restored: true}}}
	const movedTags = "\ntags:\n  latest       moving    sha256:1234567890ab → sha256:fedcba098765  moved\n"
	cases := []struct {
		name          string
		rep           *image.RollbackReport
		opErr, recErr error
		want          string
	}{
		{"recorded", moved, nil, nil, "rolled back r/app from 1.3.0 to 1.2.0\n" + movedTags +
			"\nrecord: rb.json (undo with: shipflow image rollback --undo --record rb.json)\n"},
		{"record not written", moved, nil, errors.New("disk full"), "rolled back r/app from 1.3.0 to 1.2.0\n" + movedTags +
			"\nrecord: NOT written (disk full)\n  to reverse it: shipflow image rollback --repo r/app --to 1.3.0\n"},
		{"failed and put back", putBack, errors.New("tag write failed"), nil, "rolled back r/app from sha256:1234567890ab to 1.2.0\n" +
			"  FAILED partway: the tags below say what moved and what was put back\n" +
			"\ntags:\n  latest       moving    sha256:a → sha256:b  put back after a failure\n" +
			"\nrecord: none written: no tag stayed moved\n"},
		{"nothing to move", &image.RollbackReport{Repository: "r/app", From: "1.3.0", To: "1.2.0", Undo: true}, nil, nil,
			"undid rollback: r/app from 1.3.0 to 1.2.0\n  no tag named the bad release: nothing moved\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := renderString(t, func(w io.Writer) error {
				return release.WriteImageRollbackText(w, c.rep, "/work/rb.json", c.opErr, c.recErr)
			})
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("WriteImageRollbackText (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriteImageWatchText: a watch that rolled back quotes its limit and
// ends with the rollback.
func TestWriteImageWatchText(t *testing.T) {
	rep := &image.WatchReport{Health: "http://app/healthz", Target: "1.2.0", Outcome: "rolled back",
		Checks: []image.Check{{Healthy: true, Result: "200"}, {Result: "503"}, {Result: "503"}}}
	opts := image.WatchOptions{Failures: 2, MaxDuration: time.Minute}
	got := renderString(t, func(w io.Writer) error { return release.WriteImageWatchText(w, rep, opts, "rb.json", nil, nil) })
	want := "watched http://app/healthz: 3 checks, 2 failed, last 503\nrollback target: 1.2.0\n2 failures in a row: rollback failed\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WriteImageWatchText (-want +got):\n%s", diff)
	}
}

// TestCutReportWriteText: nothing to release, a run that failed before it
// had a tag, and a dry run with its commits, message and notes.
func TestCutReportWriteText(t *testing.T) {
	next := &release.PlanReport{PreviousTag: "v1.1.0", SinceTag: "v1.1.0", Commits: []release.PlanCommit{{
		Commit: &git.Commit{Hash: "0123456789abcdef0123456789abcdef01234567"},
		Parsed: commitlint.Parse("feat(api): add search\n"), Bump: version.Minor, Reason: "feat → minor",
	}}}
	cases := []struct {
		name string
		rep  *release.CutReport
		want string
	}{
		{"nothing", &release.CutReport{Nothing: "nothing to release since v1.1.0"}, "nothing to release since v1.1.0\n"},
		{"failed before a tag", &release.CutReport{Steps: []release.StepResult{{Step: "preflight", Error: "dirty tree"}, {Step: "changelog", Skipped: "x"}}}, "✗ preflight\n"},
		{"dry run", &release.CutReport{
			Plan: &release.CutPlan{Tag: "v1.2.0", PreviousTag: "v1.1.0", Branch: "main", Remote: "origin", Owner: "acme", Repo: "app",
				APIURL: "https://ghe.example/api/v3/", DryRun: true, CommitMessage: "chore(release): v1.2.0", FloatingTag: "v1", Notes: "## 1.2.0\n", Next: next},
			Steps: []release.StepResult{{Step: "preflight"}, {Step: "tag", Skipped: "dry run"}},
		}, "release v1.2.0 (from v1.1.0) on main → origin, GitHub acme/app at https://ghe.example/api/v3/ (dry run)\n" +
			"  ✓ preflight\n  - tag: dry run\n" +
			"\n1 commit since v1.1.0:\n  0123456 minor feat(api): add search  ← feat → minor\n" +
			"\ncommit message: chore(release): v1.2.0\nfloating tag: v1\n\n## 1.2.0\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, renderString(t, c.rep.WriteText)); diff != "" {
				t.Errorf("WriteText (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanReportWriteCommits: a header longer than 72 characters is cut
// with an ellipsis, by characters, not bytes.
func TestPlanReportWriteCommits(t *testing.T) {
	long := "fix: " + strings.Repeat("é", 80)
	rep := &release.PlanReport{Commits: []release.PlanCommit{{
		Commit: &git.Commit{Hash: "abcdef0123456789"}, Parsed: commitlint.Parse(long), Bump: version.Patch, Reason: "fix → patch",
	}}}
	want := "1 commit in all of history:\n  abcdef0 patch " + "fix: " + strings.Repeat("é", 66) + "…  ← fix → patch\n"
	if diff := cmp.Diff(want, renderString(t, rep.WriteCommits)); diff != "" {
		t.Errorf("WriteCommits (-want +got):\n%s", diff)
	}
	empty := &release.PlanReport{PreviousTag: "v2.0.0", SinceTag: "v2.0.0"}
	if got := renderString(t, empty.WriteCommits); got != "no commits since v2.0.0\n" {
		t.Errorf("WriteCommits of no commits = %q", got)
	}
}

// TestChangelogReportWriteText: a dry run writes the section, else one
// line naming the file relative to the repository root.
func TestChangelogReportWriteText(t *testing.T) {
	root := "/repo"
	cases := []struct {
		name string
		rep  *release.ChangelogReport
		opts release.ChangelogOptions
		want string
	}{
		{"dry run", &release.ChangelogReport{Section: "## 1.2.0\n", Path: "/repo/CHANGELOG.md"}, release.ChangelogOptions{DryRun: true}, "## 1.2.0\n"},
		{"dry run, nothing", &release.ChangelogReport{Skipped: "nothing to release"}, release.ChangelogOptions{DryRun: true}, ""},
		{"written", &release.ChangelogReport{Path: "/repo/docs/CHANGES.md", Tag: "v1.2.0", Written: true, Commits: 1, Dropped: []string{"a", "b"}},
			release.ChangelogOptions{}, "wrote docs/CHANGES.md: v1.2.0 (1 commit, 2 duplicates left out)\n"},
		{"rebuilt", &release.ChangelogReport{Path: "/repo/CHANGELOG.md", Written: true, Commits: 3},
			release.ChangelogOptions{Rebuild: true}, "rebuilt CHANGELOG.md from 3 commits\n"},
		{"not changed, outside the root", &release.ChangelogReport{Path: "/elsewhere/CHANGELOG.md", Skipped: "dry run"},
			release.ChangelogOptions{}, "/elsewhere/CHANGELOG.md not changed: dry run\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := renderString(t, func(w io.Writer) error { return c.rep.WriteText(w, root, c.opts) })
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("WriteText (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBranchReportsWrite: a rejected check shows its findings with a
// caret and the fix, then the debt as a warning; debt alone is ✖.
func TestBranchReportsWrite(t *testing.T) {
	debt := release.BranchDebtReport{Stable: "main", Integration: "dev", Commits: []release.BranchDebtCommit{{Hash: "0123456789", Subject: "fix: crash"}}}
	check := release.BranchCheckReport{
		Result: branch.Result{Head: "feature/a b", Base: "dev", Findings: []branch.Finding{{Rule: "name", Branch: "feature/a b", Column: 10, Message: "' ' (space) is not allowed", Fix: "feature/a-b"}}},
		Debt:   &debt,
	}
	msg := debt.Message()
	want := "✖ feature/a b → dev: rejected\n" +
		"  feature/a b: character 10: ' ' (space) is not allowed [name]\n" +
		"      feature/a b\n" +
		"               ^\n" +
		"      fix: feature/a-b\n" +
		"warning: " + msg + " [" + release.BranchDebtRule + "]\n" +
		"    0123456 fix: crash\n"
	if diff := cmp.Diff(want, renderString(t, check.WriteText)); diff != "" {
		t.Errorf("BranchCheckReport.WriteText (-want +got):\n%s", diff)
	}
	if got := renderString(t, debt.WriteText); !strings.HasPrefix(got, "✖ "+msg) {
		t.Errorf("BranchDebtReport.WriteText = %q, want ✖ and the message", got)
	}
	if got := renderString(t, (release.BranchDebtReport{Stable: "main", Integration: "dev"}).WriteText); got != "✔ dev holds every change of main: no back-merge debt\n" {
		t.Errorf("no debt: %q", got)
	}
	js := renderString(t, check.WriteJSON)
	for _, s := range []string{`"head": "feature/a b"`, `"column": 10`, `"in_debt": true`, `"subject": "fix: crash"`} {
		if !strings.Contains(js, s) {
			t.Errorf("BranchCheckReport.WriteJSON lacks %s:\n%s", s, js)
		}
	}
}

// brokenWriter fails every write, as a closed pipe does.
type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errBroken }

var errBroken = errors.New("broken pipe")

// TestRenderersReturnWriteErrors: a renderer says when its writer failed,
// so that the verb exits 3 instead of claiming a report it did not write.
func TestRenderersReturnWriteErrors(t *testing.T) {
	next := &release.PlanReport{}
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"ImagePushReport.WriteText", func(w io.Writer) error { return pushWithRepair.WriteText(w, nil) }},
		{"ImagePushReport.WriteJSON", func(w io.Writer) error { return pushWithRepair.WriteJSON(w, nil) }},
		{"WriteImageRollbackText", func(w io.Writer) error {
			return release.WriteImageRollbackText(w, &image.RollbackReport{}, "rb.json", nil, nil)
		}},
		{"WriteImageWatchText", func(w io.Writer) error {
			return release.WriteImageWatchText(w, &image.WatchReport{}, image.WatchOptions{}, "rb.json", nil, nil)
		}},
		{"CutReport.WriteText", (&release.CutReport{Nothing: "nothing"}).WriteText},
		{"CutReport.WriteText dry run", (&release.CutReport{Plan: &release.CutPlan{Tag: "v1.0.0", DryRun: true, Next: next}}).WriteText},
		{"CutReport.WriteJSON", (&release.CutReport{}).WriteJSON},
		{"PlanReport.WriteCommits", next.WriteCommits},
		{"ChangelogReport.WriteText", func(w io.Writer) error {
			return (&release.ChangelogReport{Section: "x"}).WriteText(w, "/", release.ChangelogOptions{DryRun: true})
		}},
		{"ChangelogReport.WriteJSON", (&release.ChangelogReport{}).WriteJSON},
		{"BranchCheckReport.WriteText", (release.BranchCheckReport{}).WriteText},
		{"BranchDebtReport.WriteJSON", (release.BranchDebtReport{}).WriteJSON},
	}
	for _, c := range writers {
		t.Run(c.name, func(t *testing.T) {
			if err := c.write(brokenWriter{}); !errors.Is(err, errBroken) {
				t.Errorf("error = %v, want the writer's", err)
			}
		})
	}
}
