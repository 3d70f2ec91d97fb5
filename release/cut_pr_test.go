package release

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/version"
)

// newPREnv is a cutEnv whose project has version files, released in PR
// mode: the fake's main is the local main (the model holds its commit
// with an empty tree; the release commit's tree is what the release adds).
func newPREnv(t *testing.T) *cutEnv {
	e := newCutEnv(t)
	e.r.CommitFile("pyproject.toml", "[project]\nname = \"app\"\nversion = \"1.0.0\"  # kept\n", "build: add pyproject")
	e.r.CommitFile("package.json", "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\"\r\n}\n", "build: add package.json")
	e.r.Git("push", "-q", "origin", "main")
	e.fake.SetBranch("o", "r", "main", e.r.Head())
	return e
}

func (e *cutEnv) prOpts() CutOptions {
	o := e.opts()
	o.Config.Mode = config.ReleaseModePR
	return o
}

func (e *cutEnv) cutPR(opts CutOptions) (*CutReport, error) {
	e.t.Helper()
	repo, err := git.Open(context.Background(), e.r.Dir)
	if err != nil {
		e.t.Fatal(err)
	}
	return Cut(context.Background(), repo, opts)
}

// writes returns the fake's calls that are not GETs.
func writes(f *githubfake.Server) []string {
	var out []string
	for _, c := range f.Calls() {
		if c.Method != "GET" {
			out = append(out, c.Operation)
		}
	}
	return out
}

// TestCutPROpensUpdatesAndKeepsReleasePR: in PR mode a releasable commit
// opens one release PR holding the release commit (made through the API,
// on main's tip: the changelog section and the bumped version files,
// nothing else changed), labelled pending, its body the plan; the local
// repository and the remote are not changed. A re-run changes nothing; a
// new commit updates the same PR.
func TestCutPROpensUpdatesAndKeepsReleasePR(t *testing.T) {
	e := newPREnv(t)
	before := e.state()
	head := e.r.Head()

	rep, err := e.cutPR(e.prOpts())
	if err != nil {
		t.Fatal(err)
	}
	rp := rep.ReleasePR
	if rp == nil || rp.Action != "opened" || rp.Number != 1 || rp.Branch != "shipflow/release-main" || !strings.HasSuffix(rp.URL, "/o/r/pull/1") {
		t.Fatalf("release PR = %+v, want #1 opened", rp)
	}
	if rep.Plan.Tag != "v1.1.0" || rep.Plan.Mode != "pr" || rep.Plan.ReleaseCommit != rp.Commit {
		t.Errorf("plan = %s %s release commit %s; want v1.1.0 in pr mode at %s", rep.Plan.Tag, rep.Plan.Mode, rep.Plan.ReleaseCommit, rp.Commit)
	}
	if diff := cmp.Diff(before, e.state()); diff != "" {
		t.Errorf("opening the release PR changed the repository, the remote or the releases:\n%s", diff)
	}
	if got := e.r.Git("status", "--porcelain"); got != "" {
		t.Errorf("work tree after PR mode: %q, want clean", got)
	}

	sha, ok := e.fake.Ref("o", "r", "heads/shipflow/release-main")
	if !ok || sha != rp.Commit {
		t.Fatalf("shipflow/release-main = %s, %v; want the release commit %s", sha, ok, rp.Commit)
	}
	cm, _ := e.fake.GitCommit("o", "r", sha)
	if !cmp.Equal(cm.Parents, []string{head}) || cm.Message != "chore(release): v1.1.0" || !cm.Verified {
		t.Errorf("release commit = %+v; want a verified chore(release): v1.1.0 on %s (no [skip ci]: its merge must run the release)", cm, head)
	}
	files := e.fake.Files("o", "r", sha)
	if got := files["pyproject.toml"]; got != "[project]\nname = \"app\"\nversion = \"1.1.0\"  # kept\n" {
		t.Errorf("pyproject.toml in the release commit = %q", got)
	}
	if got := files["package.json"]; got != "{\n  \"name\": \"app\",\n  \"version\": \"1.1.0\"\r\n}\n" {
		t.Errorf("package.json in the release commit = %q (only the version's bytes may change, CRLF kept)", got)
	}
	if cl := files["CHANGELOG.md"]; !strings.Contains(cl, "1.1.0") || !strings.Contains(cl, "add widgets") {
		t.Errorf("CHANGELOG.md in the release commit = %q, want the 1.1.0 section", cl)
	}
	if len(files) != 3 {
		t.Errorf("release commit files = %v; want CHANGELOG.md and the two version files", keys(files))
	}

	prs := e.fake.PullRequests("o", "r")
	if len(prs) != 1 {
		t.Fatalf("pull requests = %d, want 1", len(prs))
	}
	pr := prs[0]
	if pr.Head != "shipflow/release-main" || pr.Base != "main" || pr.State != "open" || pr.Title != "chore(release): v1.1.0" || !cmp.Equal(pr.Labels, []string{"autorelease: pending"}) {
		t.Errorf("release PR = %+v", pr)
	}
	for _, want := range []string{`<!-- shipflow:release-pr {"tag":"v1.1.0","version":"1.1.0"} -->`, "releases **v1.1.0**", "after v1.0.0",
		"add widgets", "| minor |", "`pyproject.toml` (project.version): 1.0.0 → 1.1.0", "`package.json`"} {
		if !strings.Contains(pr.Body, want) {
			t.Errorf("release PR body lacks %q:\n%s", want, pr.Body)
		}
	}

	// A re-run with nothing new changes nothing.
	n := len(e.fake.Calls())
	rep, err = e.cutPR(e.prOpts())
	if err != nil {
		t.Fatal(err)
	}
	if rep.ReleasePR.Action != "unchanged" || rep.ReleasePR.Number != 1 {
		t.Errorf("re-run release PR = %+v, want #1 unchanged", rep.ReleasePR)
	}
	for _, c := range e.fake.Calls()[n:] {
		// A tree is content-addressed: making it again changes nothing.
		if c.Method != "GET" && c.Operation != "POST /repos/{owner}/{repo}/git/trees" {
			t.Errorf("re-run called %s %s", c.Method, c.Operation)
		}
	}

	// A new commit on main updates the same PR: a new release commit on
	// the new tip, the body listing the new commit.
	e.r.Commit("fix: handle empty widgets")
	e.r.Git("push", "-q", "origin", "main")
	e.fake.SetBranch("o", "r", "main", e.r.Head())
	rep, err = e.cutPR(e.prOpts())
	if err != nil {
		t.Fatal(err)
	}
	if rep.ReleasePR.Action != "updated" || rep.ReleasePR.Number != 1 {
		t.Errorf("after a new commit: release PR = %+v, want #1 updated", rep.ReleasePR)
	}
	sha2, _ := e.fake.Ref("o", "r", "heads/shipflow/release-main")
	cm2, _ := e.fake.GitCommit("o", "r", sha2)
	if sha2 == sha || !cmp.Equal(cm2.Parents, []string{e.r.Head()}) {
		t.Errorf("release commit after a new commit = %s with parents %v; want a new one on %s", sha2, cm2.Parents, e.r.Head())
	}
	prs = e.fake.PullRequests("o", "r")
	if len(prs) != 1 || !strings.Contains(prs[0].Body, "handle empty widgets") {
		t.Errorf("pull requests = %+v; want the one PR, its body listing the new commit", prs)
	}

	// A dry run says it would update, and writes nothing.
	n = len(e.fake.Calls())
	dry := e.prOpts()
	dry.DryRun = true
	rep, err = e.cutPR(dry)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ReleasePR.Action != "would update" || rep.ReleasePR.Number != 1 {
		t.Errorf("dry run release PR = %+v, want would update #1", rep.ReleasePR)
	}
	for _, c := range e.fake.Calls()[n:] {
		if c.Method != "GET" {
			t.Errorf("dry run called %s %s", c.Method, c.Operation)
		}
	}
}

// TestCutPRClosesWhenNothingLeft: a release PR left open when nothing is
// left to release (the version was released some other way) is closed.
func TestCutPRClosesWhenNothingLeft(t *testing.T) {
	e := newPREnv(t)
	if _, err := e.cutPR(e.prOpts()); err != nil {
		t.Fatal(err)
	}
	e.r.AnnotatedTag("v1.1.0", "v1.1.0")
	e.r.Git("push", "-q", "origin", "v1.1.0")

	dry := e.prOpts()
	dry.DryRun = true
	rep, err := e.cutPR(dry)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Nothing == "" || rep.ReleasePR == nil || rep.ReleasePR.Action != "would close" || rep.ReleasePR.Number != 1 {
		t.Fatalf("dry run: nothing = %q, release PR = %+v; want would close #1", rep.Nothing, rep.ReleasePR)
	}

	rep, err = e.cutPR(e.prOpts())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Nothing == "" || rep.ReleasePR == nil || rep.ReleasePR.Action != "closed" || rep.ReleasePR.Number != 1 {
		t.Fatalf("nothing = %q, release PR = %+v; want #1 closed", rep.Nothing, rep.ReleasePR)
	}
	if prs := e.fake.PullRequests("o", "r"); len(prs) != 1 || prs[0].State != "closed" || prs[0].Merged {
		t.Errorf("pull requests = %+v, want #1 closed unmerged", prs)
	}
	// Nothing open: a re-run does nothing.
	w0 := len(writes(e.fake))
	if rep, err = e.cutPR(e.prOpts()); err != nil || rep.ReleasePR != nil {
		t.Errorf("re-run: release PR = %+v, err = %v; want none", rep.ReleasePR, err)
	}
	if w := writes(e.fake)[w0:]; len(w) != 0 {
		t.Errorf("re-run wrote %v", w)
	}
}

// TestCutPRRefusesSkipCI: in PR mode a release commit message that skips
// CI is refused at its line in .shipflow.yaml, before anything changes:
// the merge would never run the release.
func TestCutPRRefusesSkipCI(t *testing.T) {
	e := newPREnv(t)
	cfg, err := config.Parse(config.FileName, []byte("release:\n  mode: pr\n  commit-message: 'chore(release): {{.Tag}} [skip ci]'\n"))
	if err != nil {
		t.Fatal(err)
	}
	o := e.prOpts()
	o.Config = cfg.Release
	_, err = e.cutPR(o)
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), ".shipflow.yaml:3:") || !strings.Contains(err.Error(), "[skip ci]") {
		t.Fatalf("error = %v, want a config error at .shipflow.yaml:3 naming [skip ci]", err)
	}
	if w := writes(e.fake); len(w) != 0 {
		t.Errorf("refused run wrote %v", w)
	}
}

// TestCutPRForbiddenSaysTheSetting: GitHub refusing a workflow's token
// to open a pull request is reported with the repository setting.
func TestCutPRForbiddenSaysTheSetting(t *testing.T) {
	e := newPREnv(t)
	e.fake.Fail("POST /repos/{owner}/{repo}/pulls", 1, githubfake.Fault{Status: 403, Message: "GitHub Actions is not permitted to create or approve pull requests."})
	_, err := e.cutPR(e.prOpts())
	var ce *CutError
	if !errors.As(err, &ce) || ce.Step != "release-pr" || !strings.Contains(err.Error(), "Allow GitHub Actions to create and approve pull requests") {
		t.Fatalf("error = %v, want the release-pr step failing with the setting named", err)
	}
	// The re-run, once allowed, opens it on the branch already made.
	rep, err := e.cutPR(e.prOpts())
	if err != nil || rep.ReleasePR.Action != "opened" {
		t.Fatalf("re-run: %+v, %v; want the PR opened", rep.ReleasePR, err)
	}
}

// TestCutPRMergedWithoutMarker: a merged release PR whose description lost
// shipflow's marker is refused with the way out, not guessed from its
// title.
func TestCutPRMergedWithoutMarker(t *testing.T) {
	e := newPREnv(t)
	rep, err := e.cutPR(e.prOpts())
	if err != nil {
		t.Fatal(err)
	}
	body := "edited by hand"
	if _, err := e.gh.UpdatePullRequest(context.Background(), "o", "r", rep.ReleasePR.Number, github.PullRequestUpdate{Body: &body}); err != nil {
		t.Fatal(err)
	}
	e.fake.MergePull("o", "r", rep.ReleasePR.Number)
	_, err = e.cutPR(e.prOpts())
	if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), "release PR #1 was merged") || !strings.Contains(err.Error(), `remove the label "autorelease: pending"`) {
		t.Fatalf("error = %v, want a refusal naming the PR and the label", err)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestReleasePRBodyEscapesCommitText: commit headers are untrusted; in the
// release PR's body they neither become HTML nor ping anyone, on every
// update of the pull request.
func TestReleasePRBodyEscapesCommitText(t *testing.T) {
	p := &CutPlan{Tag: "v1.1.0", Version: "1.1.0", PreviousTag: "v1.0.0", ChangelogFile: "CHANGELOG.md",
		Next: &PlanReport{Commits: []PlanCommit{{
			Commit: &git.Commit{Hash: "0123456789abcdef0123456789abcdef01234567", Message: "feat: <img src=x onerror=alert(1)> ask @octocat | now\n\nbody"},
			Bump:   version.Minor, Reason: "feat → minor",
		}}}}
	body := releasePRBody(p)
	for _, bad := range []string{"<img", "@octocat"} {
		if strings.Contains(body, bad) {
			t.Errorf("release PR body carries %q unescaped:\n%s", bad, body)
		}
	}
	if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt; ask @\u200boctocat \\| now") {
		t.Errorf("release PR body lacks the escaped header:\n%s", body)
	}
}
