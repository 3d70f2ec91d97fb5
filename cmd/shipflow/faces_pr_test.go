package main

import (
	"strings"
	"testing"
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
		"✔ title\n✔ 1 commit\n✔ squash commit\n✔ branches feature/login-form → dev\n"
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
