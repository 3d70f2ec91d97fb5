package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/actions"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestFacesPR: `shipflow pr` in a `run:` step and the pr Action print the
// same annotations for the same pull_request event: the values come from
// the payload on both faces, and an input (a flag) overrides its value on
// both.
func TestFacesPR(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login form", "WIP", "fix: validate the password.")
	cases := []struct {
		name    string
		fixture string
		title   string
		inputs  map[string]string
		want    int
		// wantTitles are annotation titles (escaped) that must be there.
		wantTitles []string
	}{
		{"title, commits and squash from the event", "pull_request.opened.feature.json", "Login page", nil, 3,
			[]string{"title=PR title%3A type-empty", "title=commit "}},
		{"a flow the model forbids", "pull_request.opened.feature-main.json", "feat: login page", nil, 3,
			[]string{"title=feature/login-form [branch-flow]"}},
		{"a fork's head may only target dev", "pull_request.opened.fork.json", "feat: login page", nil, 3,
			[]string{"title=feature/login-form [branch-fork]::"}},
		{"inputs over the event", "pull_request.opened.feature.json", "feat: login page", map[string]string{"title": "Login page", "number": "77"}, 3,
			[]string{"title=PR title%3A type-empty"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFaces(t, g.Dir)
			f.event("pull_request", eventFixture(t, c.fixture, func(p map[string]any) {
				prFixture(base, head, c.title)(p)
				if c.fixture == "pull_request.opened.fork.json" {
					// Named feature/*, but a fork's: main is out of reach.
					p["pull_request"].(map[string]any)["base"].(map[string]any)["ref"] = "main"
				}
			}))
			args := []string{"pr"}
			for k, v := range c.inputs {
				args = append(args, "--"+k, v)
			}
			cli, action := f.cli(args...), f.action("pr", c.inputs)
			f.same(cli, action, c.want)
			if cli.code != exitFindings || action.code != exitFindings {
				t.Errorf("exit %d (cli), %d (action), want %d\ncli stderr: %s\naction stderr: %s", cli.code, action.code, exitFindings, cli.stderr, action.stderr)
			}
			for _, w := range c.wantTitles {
				if !strings.Contains(cli.stdout, w) {
					t.Errorf("cli stdout lacks %q:\n%s", w, cli.stdout)
				}
			}
		})
	}
}

// TestPRFromTheEventAlone: in a pull_request workflow a bare `shipflow pr`
// checks the event's pull request, number and branches included.
func TestPRFromTheEventAlone(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login form")
	f := newFaces(t, g.Dir)
	f.event("pull_request", eventFixture(t, "pull_request.opened.feature.json", prFixture(base, head, "feat: login page")))
	r := f.cli("pr", "--format", "text")
	want := "pull request #2: feat: login page\n" +
		"squash, merge commits and rebase are allowed (the default: the repository's settings are unknown): linting the title, the squash commit and every commit\n" +
		"✔ title\n✔ 1 commit\n✔ squash commit\n✔ branches feature/login-form → dev\n" +
		"merging releases v0.1.0-dev.1 (minor: feat: add login form)\n"
	if r.code != exitOK || r.stdout != want {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr: %s", r.code, r.stdout, want, r.stderr)
	}
}

// TestFacesPRMergeGroup: on merge_group both faces lint the queue's
// commits (base_sha..head_sha), with the same annotations.
func TestFacesPRMergeGroup(t *testing.T) {
	g, base, head := prRepo(t, "feat: add login form", "WIP", "fix: validate the password.")
	f := newFaces(t, g.Dir)
	f.event("merge_group", eventFixture(t, "merge_group.checks_requested.json", func(p map[string]any) {
		mg := p["merge_group"].(map[string]any)
		mg["base_sha"], mg["head_sha"] = base, head
	}))
	cli, action := f.cli("pr"), f.action("pr", nil)
	f.same(cli, action, 2)
	if cli.code != exitFindings || action.code != exitFindings {
		t.Errorf("exit %d (cli), %d (action), want %d", cli.code, action.code, exitFindings)
	}
	text := f.cli("pr", "--format", "text")
	if !strings.Contains(text.stdout, "merge group "+base+".."+head+"\nmerge queue: linting the 3 commits the queue adds\n") {
		t.Errorf("text:\n%s%s", text.stdout, text.stderr)
	}
}

// TestFacesPRComment: `shipflow pr --comment always` with GITHUB_TOKEN
// and the pr Action with comment: always keep the same one comment: the
// Action's run finds the CLI's body unchanged. The CLI's JSON names it.
func TestFacesPRComment(t *testing.T) {
	// The predicted merge commit's hash, in the notes, depends on the
	// date git commits it at.
	t.Setenv("GIT_AUTHOR_DATE", "2026-01-02T00:00:00Z")
	t.Setenv("GIT_COMMITTER_DATE", "2026-01-02T00:00:00Z")
	g, base, head := prRepo(t, "feat: add login form", "WIP")
	fake := githubfake.New(t)
	fake.RequireToken("ghs_faces_token")
	fake.AddRepo("Codertocat", "Hello-World", githubfake.Permissions{Push: true, Pull: true})
	first := fake.AddCommit("Codertocat", "Hello-World", "dev", "chore: init", map[string]string{"README.md": "hi\n"})
	fake.SetBranch("Codertocat", "Hello-World", "feature/login-form", first)
	fake.AddCommit("Codertocat", "Hello-World", "feature/login-form", "feat: x", map[string]string{"x": "x\n"})
	c, err := github.New("ghs_faces_token", github.WithBaseURL(fake.URL))
	if err != nil {
		t.Fatal(err)
	}
	pr, err := c.CreatePullRequest(context.Background(), "Codertocat", "Hello-World", github.NewPullRequest{Title: "x", Head: "feature/login-form", Base: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFaces(t, g.Dir)
	f.vars["GITHUB_API_URL"], f.vars["GITHUB_TOKEN"], f.vars["SOURCE_DATE_EPOCH"] = fake.URL, "ghs_faces_token", "1767312000"
	f.event("pull_request", eventFixture(t, "pull_request.opened.feature.json", func(p map[string]any) {
		prFixture(base, head, "feat: login page")(p)
		p["pull_request"].(map[string]any)["number"], p["number"] = pr.Number, pr.Number
	}))
	cli := f.cli("pr", "--comment", "always", "--merge-method", "merge", "--format", "json")
	var doc struct {
		CommentURL string `json:"comment_url"`
	}
	if err := json.Unmarshal([]byte(cli.stdout), &doc); err != nil || doc.CommentURL == "" {
		t.Fatalf("cli: %v, comment_url %q\n%s\n%s", err, doc.CommentURL, cli.stdout, cli.stderr)
	}
	comments := fake.Comments("Codertocat", "Hello-World", pr.Number)
	if len(comments) != 1 || !strings.HasPrefix(comments[0].Body, actions.PRCommentMarker) {
		t.Fatalf("cli comments %+v", comments)
	}
	action := f.action("pr", map[string]string{"comment": "always", "merge-method": "merge", "token": "ghs_faces_token"})
	after := fake.Comments("Codertocat", "Hello-World", pr.Number)
	if len(after) != 1 || after[0].ID != comments[0].ID || after[0].Body != comments[0].Body {
		t.Errorf("the Action's comment differs from the CLI's:\ncli:\n%s\naction:\n%+v\n%s", comments[0].Body, after, action.stderr)
	}
}
