package actions

import (
	"context"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// prCommentSim is a pull_request run on a repository whose feature
// branch has msgs, with a fake GitHub holding pull request number (the
// event's number is set to it) and perms.
type prCommentSim struct {
	*sim
	fake   *githubfake.Server
	number int
	dir    string
	base   string
	head   string
}

func newPRCommentSim(t *testing.T, perms githubfake.Permissions, msgs ...string) *prCommentSim {
	t.Helper()
	repo, base, head := prLandsRepo(t, msgs...)
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true, Pull: true})
	first := fake.AddCommit("Codertocat", "Hello-World", "dev", "chore: init", map[string]string{"README.md": "hi\n"})
	fake.SetBranch("Codertocat", "Hello-World", "feature/login-form", first)
	fake.AddCommit("Codertocat", "Hello-World", "feature/login-form", "feat: x", map[string]string{"x": "x\n"})
	c, err := github.New("ghs_test_token", github.WithBaseURL(fake.URL))
	if err != nil {
		t.Fatal(err)
	}
	pr, err := c.CreatePullRequest(context.Background(), "Codertocat", "Hello-World", github.NewPullRequest{Title: "feat: x", Head: "feature/login-form", Base: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	fake.SetPermissions("Codertocat", "Hello-World", perms)
	return &prCommentSim{sim: s, fake: fake, number: pr.Number, dir: repo.Dir, base: base, head: head}
}

// run runs the pr verb with title on the pull_request event file.
func (p *prCommentSim) run(file, title string) *Report {
	p.t.Helper()
	p.log.Reset()
	p.event("pull_request", file, func(m map[string]any) {
		setSHAs(p.base, p.head)(m)
		pr := m["pull_request"].(map[string]any)
		pr["title"] = title
		pr["number"] = p.number
		m["number"] = p.number
	})
	rep, err := p.sim.run("pr", p.dir)
	if err != nil {
		p.t.Fatalf("pr: %v\n%s", err, p.log.String())
	}
	return rep
}

func (p *prCommentSim) bots() []githubfake.Comment {
	var out []githubfake.Comment
	for _, c := range p.fake.Comments("Codertocat", "Hello-World", p.number) {
		if c.Bot {
			out = append(out, c)
		}
	}
	return out
}

// TestPRCommentOnFailure: the comment is created while the check fails
// (the findings with their fixes, the release preview), updated in place
// on the next run, deleted once the pull request passes; a person's
// comment quoting the marker is never touched.
func TestPRCommentOnFailure(t *testing.T) {
	p := newPRCommentSim(t, githubfake.Permissions{Push: true, Pull: true}, "feat(login): add the form", "Fixed stuff")
	p.input("comment", "on-failure")
	p.input("merge-method", "merge")
	person := p.fake.AddComment("Codertocat", "Hello-World", p.number, "mallory", false, PRCommentMarker+"\nmine")

	rep := p.run("pull_request.opened.feature.json", "Login form")
	if rep.Conclusion != Failed {
		t.Fatalf("conclusion %s", rep.Conclusion)
	}
	bots := p.bots()
	if len(bots) != 1 {
		t.Fatalf("%d bot comments, want 1", len(bots))
	}
	first := bots[0]
	for _, want := range []string{PRCommentMarker, "type-empty", "fix: ", "Fixed stuff", "### Release preview"} {
		if !strings.Contains(first.Body, want) {
			t.Errorf("comment lacks %q:\n%s", want, first.Body)
		}
	}
	if url := p.outputs()["comment-url"]; url == "" || !strings.Contains(url, "#issuecomment-") {
		t.Errorf("comment-url %q", url)
	}

	p.run("pull_request.opened.feature.json", "Login form, again")
	bots = p.bots()
	if len(bots) != 1 || bots[0].ID != first.ID || bots[0].Body == first.Body || !strings.Contains(bots[0].Body, "again") {
		t.Errorf("second run: %+v; want comment %d updated", bots, first.ID)
	}

	p.input("merge-method", "squash")
	if rep := p.run("pull_request.opened.feature.json", "feat(login): add a login form"); rep.Conclusion != Success {
		t.Fatalf("clean run: %s\n%s", rep.Conclusion, p.summary())
	}
	if bots := p.bots(); len(bots) != 0 {
		t.Errorf("clean run left %+v", bots)
	}
	if p.outputs()["comment-url"] != "" {
		t.Errorf("comment-url %q after deleting", p.outputs()["comment-url"])
	}
	all := p.fake.Comments("Codertocat", "Hello-World", p.number)
	if len(all) != 1 || all[0].ID != person || all[0].Body != PRCommentMarker+"\nmine" {
		t.Errorf("the person's comment: %+v", all)
	}
}

// TestPRCommentAlways: a clean pull request gets the comment too, saying
// so, with the preview; never writes nothing.
func TestPRCommentAlways(t *testing.T) {
	p := newPRCommentSim(t, githubfake.Permissions{Push: true, Pull: true}, "feat(login): add the form")
	p.input("comment", "always")
	p.input("merge-method", "squash")
	if rep := p.run("pull_request.opened.feature.json", "feat(login): add a login form"); rep.Conclusion != Success {
		t.Fatalf("conclusion %s", rep.Conclusion)
	}
	bots := p.bots()
	if len(bots) != 1 || !strings.Contains(bots[0].Body, "no problems") || !strings.Contains(bots[0].Body, "### Release preview") {
		t.Fatalf("comments %+v", bots)
	}

	q := newPRCommentSim(t, githubfake.Permissions{Push: true, Pull: true}, "Fixed stuff")
	q.input("comment", "never")
	q.run("pull_request.opened.feature.json", "Login form")
	if len(q.bots()) != 0 {
		t.Errorf("never: %+v", q.bots())
	}
}

// TestPRCommentForbidden: a token that may not comment (403) is a
// warning and a note in the summary, never a failure of the step.
func TestPRCommentForbidden(t *testing.T) {
	p := newPRCommentSim(t, githubfake.Permissions{Pull: true}, "feat(login): add the form")
	p.input("comment", "always")
	p.input("merge-method", "squash")
	p.input("report", "none")
	rep := p.run("pull_request.opened.feature.json", "feat(login): add a login form")
	if rep.Conclusion != Success {
		t.Errorf("conclusion %s", rep.Conclusion)
	}
	if !strings.Contains(p.log.String(), "::warning") || !strings.Contains(p.summary(), "could not keep the pull request comment") {
		t.Errorf("no warning:\nlog %s\nsummary %s", p.log.String(), p.summary())
	}
	if p.outputs()["comment-url"] != "" {
		t.Errorf("comment-url %q", p.outputs()["comment-url"])
	}
}

// TestPRCommentFork: a fork's pull_request has a read-only token: no
// comment is tried, the summary says why.
func TestPRCommentFork(t *testing.T) {
	p := newPRCommentSim(t, githubfake.Permissions{Push: true, Pull: true}, "Fixed stuff")
	p.input("comment", "always")
	p.input("merge-method", "merge")
	rep := p.run("pull_request.opened.fork.json", "Login form")
	if rep.Conclusion != Failed {
		t.Errorf("conclusion %s", rep.Conclusion)
	}
	if len(p.bots()) != 0 {
		t.Errorf("comments %+v", p.bots())
	}
	if !strings.Contains(p.summary(), "no pull request comment: the pull request is from a fork") {
		t.Errorf("summary:\n%s", p.summary())
	}
}

func TestPRCommentBadInput(t *testing.T) {
	p := newPRCommentSim(t, githubfake.Permissions{Push: true, Pull: true}, "feat: x")
	p.input("comment", "sometimes")
	p.event("pull_request", "pull_request.opened.feature.json", setSHAs(p.base, p.head))
	if _, err := p.sim.run("pr", p.dir); err == nil || !strings.Contains(err.Error(), "comment") {
		t.Errorf("err = %v", err)
	}
}

// TestPRCommentRedacted: a token in a commit message never reaches the
// comment.
func TestPRCommentRedacted(t *testing.T) {
	secret := "ghp_" + strings.Repeat("a1B2", 9)
	p := newPRCommentSim(t, githubfake.Permissions{Push: true, Pull: true}, "Leaked "+secret)
	p.input("comment", "on-failure")
	p.input("merge-method", "rebase")
	p.run("pull_request.opened.feature.json", "feat: x")
	bots := p.bots()
	// The Markdown escapes the underscore: look for the token's tail.
	if len(bots) != 1 || strings.Contains(bots[0].Body, secret[4:]) || !strings.Contains(bots[0].Body, "Leaked") {
		t.Errorf("comments %+v", bots)
	}
}
