package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// eventFixture returns the real webhook payload actions/testdata/events/file
// with edit applied, for faces.event.
func eventFixture(t *testing.T, file string, edit func(p map[string]any)) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "actions", "testdata", "events", file))
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(p)
	}
	if data, err = json.Marshal(p); err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// prFixture sets a pull_request payload's base and head shas, and its title
// when title is not empty.
func prFixture(base, head, title string) func(p map[string]any) {
	return func(p map[string]any) {
		pr := p["pull_request"].(map[string]any)
		pr["base"].(map[string]any)["sha"] = base
		pr["head"].(map[string]any)["sha"] = head
		if title != "" {
			pr["title"] = title
		}
	}
}

// facesLintRepo is a history with good and bad commits after base: two
// errors and a warning.
func facesLintRepo(t *testing.T) (g *gittest.Repo, base, head string) {
	g = gittest.New(t)
	g.Commit("Bad commit before the range")
	base = g.Commit("chore: init")
	g.Commit("Fixed stuff")
	g.Commit("feat(api): add the endpoint")
	g.Commit("fix: handle nil.")
	head = g.Commit("feat: add x\nno blank line before this body")
	return g, base, head
}

// TestFacesLint: `shipflow lint` in a `run:` step and the commitlint
// Action print the same annotations for the same range, whether inputs
// name it or the event does.
func TestFacesLint(t *testing.T) {
	g, base, head := facesLintRepo(t)
	t.Run("inputs", func(t *testing.T) {
		f := newFaces(t, g.Dir)
		cli := f.cli("lint", "--from", base, "--to", head)
		action := f.action("commitlint", map[string]string{"from": base, "to": head})
		f.same(cli, action, 3)
		if cli.code != exitFindings || action.code != exitFindings {
			t.Errorf("exit %d (cli), %d (action), want %d", cli.code, action.code, exitFindings)
		}
	})
	t.Run("push event", func(t *testing.T) {
		f := newFaces(t, g.Dir)
		f.event("push", eventFixture(t, "push.main.json", func(p map[string]any) { p["before"], p["after"] = base, head }))
		cli, action := f.cli("lint"), f.action("commitlint", nil)
		f.same(cli, action, 3)
	})
	t.Run("push of a new branch: the pushed commit", func(t *testing.T) {
		f := newFaces(t, g.Dir)
		f.event("push", eventFixture(t, "push.main.json", func(p map[string]any) {
			p["before"], p["after"] = "0000000000000000000000000000000000000000", head
		}))
		cli, action := f.cli("lint"), f.action("commitlint", nil)
		f.same(cli, action, 1)
		if n := len(cli.annotations()); n != 1 {
			t.Errorf("%d annotations, want the pushed commit's 1:\n%s", n, cli.stdout)
		}
	})
	t.Run("pull_request event", func(t *testing.T) {
		f := newFaces(t, g.Dir)
		f.event("pull_request", eventFixture(t, "pull_request.opened.feature.json", prFixture(base, head, "")))
		cli, action := f.cli("lint"), f.action("commitlint", nil)
		f.same(cli, action, 3)
	})
	t.Run("inputs over the event", func(t *testing.T) {
		f := newFaces(t, g.Dir)
		f.event("pull_request", eventFixture(t, "pull_request.opened.feature.json", prFixture(base, head, "")))
		from := g.Git("rev-parse", head+"~1")
		cli := f.cli("lint", "--from", from[:40])
		action := f.action("commitlint", map[string]string{"from": from[:40]})
		f.same(cli, action, 1)
		if n := len(cli.annotations()); n != 1 {
			t.Errorf("%d annotations, want the last commit's 1:\n%s", n, cli.stdout)
		}
	})
}

// TestLintStdinWinsOverTheEvent: a message piped to `shipflow lint` in a
// CI run is linted, not the event's range.
func TestLintStdinWinsOverTheEvent(t *testing.T) {
	g, base, head := facesLintRepo(t)
	f := newFaces(t, g.Dir)
	f.event("push", eventFixture(t, "push.main.json", func(p map[string]any) { p["before"], p["after"] = base, head }))
	var out, errb strings.Builder
	code := run(context.Background(), []string{"-C", g.Dir, "lint"}, strings.NewReader("feat: fine\n"), &out, &errb, func(k string) string { return f.vars[k] })
	if code != exitOK || out.String() != "" {
		t.Errorf("exit %d, stdout %q, stderr %q: want the piped message linted, clean", code, out.String(), errb.String())
	}
}
