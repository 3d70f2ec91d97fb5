package release_test

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/report"
)

// TestPRReportWriteText: a line per part of the pull request, ✔ or ✖ with
// the findings under it; commits are counted when all are clean, and the
// squash commit made from a bad title points at the problems above.
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
				return "pull request #12: feat: login page\n✔ title\n✔ 2 commits\n✔ squash commit\n✔ branches feature/x → dev\n"
			},
		},
		{
			name: "bad title", msgs: []string{"feat: a", "feat: b"}, title: "Login page",
			want: func(string) string {
				return "pull request #12: Login page\n" +
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
				return "pull request #12: feat: a\n✔ title\n✔ 1 commit\n✔ squash commit\n" +
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
