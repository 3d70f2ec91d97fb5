package release_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/github"
)

// squashOnly is a repository that only squash-merges, with GitHub's
// default squash messages.
var squashOnly = release.PRMerge{Squash: true, Source: "pr.merge-method"}

// TestPRLintsWhatLands: what is linted follows the merge methods the
// repository allows; the report says what and why.
func TestPRLintsWhatLands(t *testing.T) {
	cases := []struct {
		name       string
		merge      release.PRMerge
		msgs       []string
		title      string
		wantRules  []string
		wantLinted string
		wantOK     bool
	}{
		{
			name: "squash-only: a bad intermediate commit passes", merge: squashOnly,
			msgs: []string{"feat: add login", "wip", "fix typo"}, title: "feat: login page",
			wantLinted: "only squash is allowed (pr.merge-method): linting the title and the squash commit",
			wantOK:     true,
		},
		{
			name: "squash-only: a bad title fails", merge: squashOnly,
			msgs: []string{"feat: add login", "wip"}, title: "Login page",
			wantRules:  []string{"title:type-empty"},
			wantLinted: "only squash is allowed (pr.merge-method): linting the title and the squash commit",
		},
		{
			name: "merge-only lints every commit and the title", merge: release.PRMerge{Merge: true, Source: "pr.merge-method"},
			msgs: []string{"feat: add login", "wip"}, title: "feat: login page",
			wantRules:  []string{"wip:type-empty"},
			wantLinted: "only merge commits are allowed (pr.merge-method): linting the title and every commit",
		},
		{
			name: "rebase-only lints every commit, not the title", merge: release.PRMerge{Rebase: true, Source: "pr.merge-method"},
			msgs: []string{"feat: add login", "wip"}, title: "Login page",
			wantRules:  []string{"wip:type-empty"},
			wantLinted: "only rebase is allowed (pr.merge-method): linting every commit",
		},
		{
			name: "squash and merge: the union", merge: release.PRMerge{Squash: true, Merge: true, Source: "the repository's settings"},
			msgs: []string{"feat: add login", "wip"}, title: "feat: login page",
			wantRules:  []string{"wip:type-empty"},
			wantLinted: "squash and merge commits are allowed (the repository's settings): linting the title, the squash commit and every commit",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, base, head := prRepo(t, c.msgs...)
			opt := prOpts(base, head, c.title)
			opt.Merge = c.merge
			rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.wantRules, prRules(rep)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if rep.Linted != c.wantLinted {
				t.Errorf("Linted = %q, want %q", rep.Linted, c.wantLinted)
			}
			if rep.OK() != c.wantOK || rep.Failed() == c.wantOK {
				t.Errorf("OK() = %v, Failed() = %v, want OK %v (errors %d)", rep.OK(), rep.Failed(), c.wantOK, rep.Errors)
			}
		})
	}
}

// TestPRDefaultLintsEverything: with no merge settings, all three
// methods are assumed and the report says so.
func TestPRDefaultLintsEverything(t *testing.T) {
	r, base, head := prRepo(t, "feat: a", "wip")
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), prOpts(base, head, "feat: ab"))
	if err != nil {
		t.Fatal(err)
	}
	want := "squash, merge commits and rebase are allowed (the default: the repository's settings are unknown): linting the title, the squash commit and every commit"
	if rep.Linted != want {
		t.Errorf("Linted = %q, want %q", rep.Linted, want)
	}
	if diff := cmp.Diff([]string{"wip:type-empty"}, prRules(rep)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestPRSquashDropsBreaking: a breaking commit squashed under a title
// without `!` loses the breaking change on the base: an error with the fix.
func TestPRSquashDropsBreaking(t *testing.T) {
	cases := []struct {
		name      string
		merge     release.PRMerge
		msgs      []string
		title     string
		wantRules []string
	}{
		{"bang commit, plain title", squashOnly, []string{"feat!: drop v1 API", "docs: note"}, "feat(api): v2", []string{"squash:squash-drops-breaking"}},
		// commitlint.Parse, as the plan reads the squash commit on the
		// base, still finds the footer among the "* " items: kept.
		{"footer in the commit list", squashOnly, []string{"feat: drop v1\n\nBREAKING CHANGE: v1 is gone", "docs: note"}, "feat: v2", nil},
		{"footer, PR_BODY drops it", release.PRMerge{Squash: true, SquashMessage: "PR_BODY"}, []string{"feat: drop v1\n\nBREAKING CHANGE: v1 is gone", "docs: note"}, "feat: v2", []string{"squash:squash-drops-breaking"}},
		{"bang title keeps it", squashOnly, []string{"feat!: drop v1 API", "docs: note"}, "feat(api)!: v2", nil},
		{"PR_TITLE single commit", release.PRMerge{Squash: true, SquashTitle: "PR_TITLE", SquashMessage: "BLANK"}, []string{"feat!: drop v1 API"}, "feat: v2", []string{"squash:squash-drops-breaking"}},
		{"single commit keeps its message", squashOnly, []string{"feat!: drop v1 API"}, "feat: v2", nil},
		{"merge-only: no squash, no error", release.PRMerge{Merge: true}, []string{"feat!: drop v1 API", "docs: note"}, "feat: v2", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, base, head := prRepo(t, c.msgs...)
			opt := prOpts(base, head, c.title)
			opt.Merge = c.merge
			rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.wantRules, prRules(rep)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if len(c.wantRules) > 0 {
				f := rep.Squash.Result.Findings[0]
				if !strings.Contains(f.Fix, "add `!` to the title: `") || !strings.Contains(f.Fix, "!: v2`") {
					t.Errorf("fix = %q, want it to add `!` to the title", f.Fix)
				}
				if !rep.Failed() {
					t.Error("Failed() = false, want true")
				}
			}
		})
	}
}

// TestPRSquashMessageSettings: the squash commit follows GitHub's
// squash_merge_commit_title and squash_merge_commit_message.
func TestPRSquashMessageSettings(t *testing.T) {
	r, base, head := prRepo(t, "feat: a\n\nbody a", "fix: b")
	cases := []struct {
		title, message string
		body           string
		commits        int // how many of the commits
		want           string
	}{
		{"", "", "", 2, "feat: t (#12)\n\n* feat: a\n\nbody a\n\n* fix: b"},
		{"PR_TITLE", "PR_BODY", "the body", 2, "feat: t (#12)\n\nthe body"},
		{"PR_TITLE", "BLANK", "the body", 2, "feat: t (#12)"},
		{"COMMIT_OR_PR_TITLE", "COMMIT_MESSAGES", "", 1, "feat: a (#12)\n\nbody a"},
		{"PR_TITLE", "COMMIT_MESSAGES", "", 1, "feat: t (#12)\n\nfeat: a\n\nbody a"},
		{"COMMIT_OR_PR_TITLE", "PR_BODY", "the body", 1, "feat: a (#12)\n\nthe body"},
	}
	var commits []release.PRCommit
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), prOpts(base, head, "feat: t"))
	if err != nil {
		t.Fatal(err)
	}
	commits = rep.Commits
	for _, c := range cases {
		m := release.PRMerge{Squash: true, SquashTitle: c.title, SquashMessage: c.message}
		got := m.SquashCommit("feat: t", c.body, 12, commits[:c.commits])
		if got != c.want {
			t.Errorf("%s/%s with %d commits = %q, want %q", c.title, c.message, c.commits, got, c.want)
		}
	}
}

// TestPRTitleOnly: check: title lints the title, and the single commit
// whose message the squash commit takes; never the other commits.
func TestPRTitleOnly(t *testing.T) {
	cases := []struct {
		name      string
		merge     release.PRMerge
		msgs      []string
		title     string
		wantRules []string
		linted    string
	}{
		{"bad commits pass", release.PRMerge{}, []string{"feat: a", "wip"}, "feat: ab", nil, "check: title: linting the title"},
		{"one commit whose message the squash takes", release.PRMerge{}, []string{"wip"}, "feat: ab", []string{"squash:type-empty"},
			"check: title: linting the title and the single commit's message, which the squash commit takes"},
		{"one commit, PR_TITLE", release.PRMerge{Squash: true, SquashTitle: "PR_TITLE"}, []string{"wip"}, "feat: ab", nil, "check: title: linting the title"},
		{"bad title", release.PRMerge{}, []string{"feat: a", "feat: b"}, "Ab", []string{"title:type-empty"}, "check: title: linting the title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, base, head := prRepo(t, c.msgs...)
			opt := prOpts(base, head, c.title)
			opt.Merge, opt.TitleOnly = c.merge, true
			rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.wantRules, prRules(rep)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if rep.Linted != c.linted {
				t.Errorf("Linted = %q, want %q", rep.Linted, c.linted)
			}
		})
	}
}

// TestPRDraftsWIPLabels: skip and pending for drafts and WIP titles, and
// ignore labels.
func TestPRDraftsWIPLabels(t *testing.T) {
	cases := []struct {
		name        string
		set         func(*release.PROptions)
		title       string
		wantSkipped string
		wantPending string
		wantFailed  bool
	}{
		{"draft checked by default", func(o *release.PROptions) { o.Draft = true }, "Bad title", "", "", true},
		{"draft skipped", func(o *release.PROptions) { o.Draft, o.Drafts = true, "skip" }, "Bad title", "draft (pr.drafts: skip)", "", false},
		{"draft pending", func(o *release.PROptions) { o.Draft, o.Drafts = true, "pending" }, "Bad title", "", "draft", false},
		{"WIP skipped", func(o *release.PROptions) { o.WIP = "skip" }, "[WIP] feat: x", "WIP title (pr.wip: skip)", "", false},
		{"wip: pending", func(o *release.PROptions) { o.WIP = "pending" }, "wip: feat: x", "", "WIP title", false},
		{"WIP word skipped", func(o *release.PROptions) { o.WIP = "skip" }, "WIP feat: x", "WIP title (pr.wip: skip)", "", false},
		{"wipe is no WIP", func(o *release.PROptions) { o.WIP = "skip" }, "wipe: x", "", "", true},
		{"ignore label", func(o *release.PROptions) {
			o.Labels, o.IgnoreLabels = []string{"bug", "Skip-Lint"}, []string{"skip-lint"}
		}, "Bad", "label Skip-Lint (pr.ignore-labels)", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, base, head := prRepo(t, "feat: a", "wip")
			opt := prOpts(base, head, c.title)
			c.set(&opt)
			rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Skipped != c.wantSkipped || rep.Pending != c.wantPending || rep.Failed() != c.wantFailed {
				t.Errorf("Skipped %q, Pending %q, Failed %v; want %q, %q, %v", rep.Skipped, rep.Pending, rep.Failed(), c.wantSkipped, c.wantPending, c.wantFailed)
			}
			if c.wantSkipped != "" && (len(rep.Commits) > 0 || rep.Errors > 0) {
				t.Errorf("skipped, yet %d commits and %d errors", len(rep.Commits), rep.Errors)
			}
			if c.wantPending != "" && rep.Errors == 0 {
				t.Error("pending reports no findings, want them reported")
			}
		})
	}
}

// TestPRMergeGroup: a merge queue's group lints exactly base..head, no
// title, no branches.
func TestPRMergeGroup(t *testing.T) {
	r, base, _ := prRepo(t)
	r.Checkout("dev")
	r.CommitFile("q1.txt", "1", "feat: queued one")
	head := r.CommitFile("q2.txt", "2", "Bad queued commit")
	opt := prOpts(base, head, "")
	opt.Number, opt.MergeGroup = 0, true
	opt.Head, opt.Base = "gh-readonly-queue/dev/pr-12-abc", "dev"
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Bad queued commit:type-empty"}, prRules(rep)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(rep.Commits) != 2 || rep.Branch != nil {
		t.Errorf("%d commits, branch %v; want 2 and no branch check", len(rep.Commits), rep.Branch)
	}
	if want := "merge queue: linting the 2 commits the queue adds"; rep.Linted != want {
		t.Errorf("Linted = %q, want %q", rep.Linted, want)
	}
	if !rep.Failed() {
		t.Error("Failed() = false")
	}
}

// TestPRMergeFromRepo: the repository's settings decide the methods;
// unknown settings or an error fall back to all three, with a note.
func TestPRMergeFromRepo(t *testing.T) {
	m := release.PRMergeFromRepo(github.MergeSettings{Known: true, AllowSquash: true, SquashTitle: "PR_TITLE", SquashMessage: "BLANK"}, nil)
	if !m.Squash || m.Merge || m.Rebase || m.SquashTitle != "PR_TITLE" || m.SquashMessage != "BLANK" || m.Source != "the repository's settings" || m.Note != "" {
		t.Errorf("known settings: %+v", m)
	}
	m = release.PRMergeFromRepo(github.MergeSettings{}, nil)
	if m.Squash || m.Merge || m.Rebase || !strings.Contains(m.Note, "unknown") {
		t.Errorf("unknown settings: %+v, want all three (none set) and a note", m)
	}
	m = release.PRMergeFromRepo(github.MergeSettings{}, context.DeadlineExceeded)
	if !strings.Contains(m.Note, "deadline") {
		t.Errorf("error: note %q, want the error", m.Note)
	}
	if got := release.PRMergeMethods(release.PRMerge{Squash: true, Rebase: true}); !slices.Equal(got, []string{"squash", "rebase"}) {
		t.Errorf("PRMergeMethods = %q", got)
	}
}
