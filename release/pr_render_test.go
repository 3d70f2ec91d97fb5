package release_test

import (
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/report"
)

// TestPRReportWriteText: a line per part of the pull request, ✔ or ✖ with
// the findings under it; commits are counted when all are clean, and the
// squash commit made from a bad title points at the problems above.
// prDefaultLinted is what a pull request without merge settings says it
// lints.
const prDefaultLinted = "squash, merge commits and rebase are allowed (the default: the repository's settings are unknown): linting the title, the squash commit and every commit"

// TestPRReportWriteTextLands: the text says what was linted and why, and
// shows only those parts; skipped and pending say so.
func TestPRReportWriteTextLands(t *testing.T) {
	cases := []struct {
		name  string
		msgs  []string
		title string
		set   func(*release.PROptions)
		want  string
	}{
		{
			name: "squash-only", msgs: []string{"feat!: drop v1", "wip"}, title: "feat: v2",
			set: func(o *release.PROptions) { o.Merge = release.PRMerge{Squash: true, Source: "pr.merge-method"} },
			want: "pull request #12: feat: v2\n" +
				"only squash is allowed (pr.merge-method): linting the title and the squash commit\n" +
				"✔ title\n" +
				"✖ squash commit: feat: v2 (#12)\n" +
				"    1:5: commit %s is a breaking change (feat!: drop v1), but the squash commit is not: the release would not count it as breaking [squash-drops-breaking]\n" +
				"        feat: v2 (#12)\n" +
				"            ^\n" +
				"        fix: add `!` to the title: `feat!: v2`\n" +
				"✔ branches feature/x → dev\n" +
				"✖ 1 error, 0 warnings\n",
		},
		{
			name: "skipped draft", msgs: []string{"wip"}, title: "WIP",
			set:  func(o *release.PROptions) { o.Draft, o.Drafts = true, "skip" },
			want: "pull request #12: WIP\n– skipped: draft (pr.drafts: skip)\n",
		},
		{
			name: "pending WIP with a note", msgs: []string{"feat: a"}, title: "WIP feat: a",
			set: func(o *release.PROptions) {
				o.WIP, o.Merge = "pending", release.PRMergeFromRepo(github.MergeSettings{}, nil)
			},
			want: "pull request #12: WIP feat: a\n" +
				"note: the repository's merge settings are unknown (GitHub gives them only to a token with push access): assuming squash, merge commits and rebase; set pr.merge-method\n" +
				prDefaultLinted + "\n" +
				"pending: WIP title: the findings do not fail the check\n" +
				"✖ title: WIP feat: a\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, base, head := prRepo(t, c.msgs...)
			opt := prOpts(base, head, c.title)
			c.set(&opt)
			rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			got := regexp.MustCompile(`commit [0-9a-f]{7,40} is`).ReplaceAllString(renderString(t, rep.WriteText), "commit %s is")
			if c.name == "pending WIP with a note" {
				got = got[:strings.Index(got, "✖ title")+len("✖ title: WIP feat: a\n")]
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("WriteText (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPRReportWriteMarkdown: the job summary leads with what was linted
// and why, then the findings; a skipped pull request says why only.
func TestPRReportWriteMarkdown(t *testing.T) {
	r, base, head := prRepo(t, "feat: a", "wip")
	opt := prOpts(base, head, "feat: ab")
	opt.Merge = release.PRMerge{Squash: true, Merge: true, Source: "the repository's settings"}
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	got := renderString(t, rep.WriteMarkdown)
	lead := "**Linted:** squash and merge commits are allowed (the repository's settings): linting the title, the squash commit and every commit.\n\n"
	if !strings.HasPrefix(got, lead) || !strings.Contains(got, "type-empty") {
		t.Errorf("markdown:\n%s\nwant it to start with %q and list the finding", got, lead)
	}
	opt.Labels, opt.IgnoreLabels = []string{"skip-lint"}, []string{"skip-lint"}
	if rep, err = release.PR(context.Background(), brOpen(t, r.Dir), opt); err != nil {
		t.Fatal(err)
	}
	if got, want := renderString(t, rep.WriteMarkdown), "**Skipped:** label skip-lint (pr.ignore-labels).\n\n"; got != want {
		t.Errorf("skipped markdown = %q, want %q", got, want)
	}
	var js strings.Builder
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"skipped": "label skip-lint (pr.ignore-labels)"`, `"merge_methods": [`, `"linted": "skipped: label skip-lint (pr.ignore-labels)"`} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, js.String())
		}
	}
}

func TestPRReportWriteText(t *testing.T) {
	cases := []struct {
		name  string
		msgs  []string
		title string
		head  string
		want  func(head string) string
	}{
		{
			name: "clean", msgs: []string{"feat: add login", "fix: typo in login"}, title: "feat: login page",
			want: func(string) string {
				return "pull request #12: feat: login page\n" + prDefaultLinted + "\n✔ title\n✔ 2 commits\n✔ squash commit\n✔ branches feature/x → dev\n"
			},
		},
		{
			name: "bad title", msgs: []string{"feat: a", "feat: b"}, title: "Login page",
			want: func(string) string {
				return "pull request #12: Login page\n" + prDefaultLinted + "\n" +
					"✖ title: Login page\n" +
					"    1:6: header is not `type(scope): description`: no `:` after the type `Login` [type-empty]\n" +
					"        Login page\n" +
					"             ^\n" +
					"        fix: start with a type and a colon, e.g. `feat: login page`\n" +
					"        help: https://www.conventionalcommits.org/en/v1.0.0/#specification\n" +
					"✔ 2 commits\n" +
					"✖ squash commit: Login page (#12) (the problems above)\n" +
					"✔ branches feature/x → dev\n" +
					"✖ 1 error, 0 warnings\n"
			},
		},
		{
			name: "bad head branch", msgs: []string{"feat: a"}, title: "feat: a", head: "Feature/x",
			want: func(string) string {
				return "pull request #12: feat: a\n" + prDefaultLinted + "\n✔ title\n✔ 1 commit\n✔ squash commit\n" +
					"✖ branches Feature/x → dev\n" +
					"    Feature/x: head branch is not part of the model; allowed heads are feature/*, hotfix/*, dev, main, dependabot/*, renovate/*, shipflow/* [branch-kind]\n" +
					"        fix: branch names are case-sensitive: did you mean \"feature/x\"?\n" +
					"✖ 1 error, 0 warnings\n"
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, base, head := prRepo(t, c.msgs...)
			opt := prOpts(base, head, c.title)
			if c.head != "" {
				opt.Head = c.head
			}
			rep, err := release.PR(context.Background(), brOpen(t, r.Dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want(head), renderString(t, rep.WriteText)); diff != "" {
				t.Errorf("WriteText (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPRReportWriteJSON: the verdict, each message with its findings, the
// commits with their full hashes and the branches' verdict.
func TestPRReportWriteJSON(t *testing.T) {
	r, base, head := prRepo(t, "WIP")
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), prOpts(base, head, "feat: login"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Number  int    `json:"number"`
		Range   string `json:"range"`
		OK      bool   `json:"ok"`
		Errors  int    `json:"errors"`
		Title   struct{ Message string }
		Commits []struct {
			Commit   string
			Valid    bool
			Problems []struct{ Rule string }
		}
		Squash struct{ Message string }
		Branch struct{ Allowed bool }
	}
	out := renderString(t, rep.WriteJSON)
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Number != 12 || got.Range != base+".."+head || got.OK || got.Errors != 1 || got.Title.Message != "feat: login" ||
		len(got.Commits) != 1 || got.Commits[0].Commit != head || got.Commits[0].Valid || len(got.Commits[0].Problems) != 1 ||
		got.Commits[0].Problems[0].Rule != "type-empty" || got.Squash.Message != "WIP (#12)" || !got.Branch.Allowed {
		t.Errorf("WriteJSON:\n%s", out)
	}
}

// TestPRReportWriteFindings: github and markdown write Entries through
// release/report's writers: the pr Action's annotations and job summary.
func TestPRReportWriteFindings(t *testing.T) {
	r, base, head := prRepo(t, "WIP")
	rep, err := release.PR(context.Background(), brOpen(t, r.Dir), prOpts(base, head, "Login page"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		new  func(io.Writer) report.Writer
		want []string
	}{
		{"github", func(w io.Writer) report.Writer { return report.NewGitHub(w) }, []string{
			"::error line=1,col=6,title=PR title%3A type-empty::Login page: header is not",
			"::error line=1,col=4,title=commit " + head[:7] + "%3A type-empty::" + head[:7] + " WIP: header is not",
		}},
		{"markdown", func(w io.Writer) report.Writer { return report.NewMarkdown(w) }, []string{
			"| PR title: type-empty 1:6 | ❌ error |",
			"| `" + head[:7] + "` WIP 1:4 | ❌ error |",
			"\n❌ 2 errors, 0 warnings\n",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := renderString(t, func(w io.Writer) error { return rep.WriteFindings(c.new(w)) })
			for _, want := range c.want {
				if !strings.Contains(out, want) {
					t.Errorf("lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
