package actions

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestCheckNameInput: input check-name names the check run, so matrix jobs
// of one workflow don't overwrite each other's; empty keeps the default.
func TestCheckNameInput(t *testing.T) {
	for _, tc := range []struct{ input, want string }{
		{"", "shipflow branch"},
		{"shipflow branch (ubuntu)", "shipflow branch (ubuntu)"},
	} {
		s := newSim(t)
		fake := s.github(githubfake.Permissions{Push: true})
		s.event("pull_request", "pull_request.opened.feature.json", nil)
		s.input("check-name", tc.input)
		if _, err := s.run("branch", t.TempDir()); err != nil {
			t.Fatal(err)
		}
		runs := fake.CheckRuns("Codertocat", "Hello-World")
		if len(runs) != 1 || runs[0].Name != tc.want {
			t.Errorf("check-name %q: check runs %+v, want one named %q", tc.input, runs, tc.want)
		}
	}
	s := newSim(t)
	s.event("pull_request", "pull_request.opened.feature.json", nil)
	s.input("check-name", strings.Repeat("x", 101))
	if _, err := s.run("branch", t.TempDir()); err == nil || !strings.Contains(err.Error(), "check-name") {
		t.Errorf("a 101-character check-name: err = %v", err)
	}
}

// TestMergeGroupChecksTheQueueCommit: a merge queue's run lints the
// commits the queue adds (base_sha..head_sha) and reports under the usual
// check name on the queue's commit, so a required check never stalls it;
// the branch check passes the queue's gh-readonly-queue/* branch.
func TestMergeGroupChecksTheQueueCommit(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("chore: init")
	base := repo.Head()
	repo.Commit("feat(login): add the form")
	head := repo.Commit("fix(login): validate the email")
	for _, verb := range []string{"commitlint", "branch", "pr"} {
		t.Run(verb, func(t *testing.T) {
			s := newSim(t)
			fake := s.github(githubfake.Permissions{Push: true})
			s.event("merge_group", "merge_group.checks_requested.json", func(p map[string]any) {
				p["repository"].(map[string]any)["full_name"] = "Codertocat/Hello-World"
				mg := p["merge_group"].(map[string]any)
				mg["base_sha"], mg["head_sha"] = base, head
			})
			s.vars["GITHUB_SHA"] = head
			rep, err := s.run(verb, repo.Dir)
			if err != nil {
				t.Fatalf("%s: %v\n%s", verb, err, s.log.String())
			}
			if rep.Conclusion != Success {
				t.Errorf("conclusion %s, want success; summary:\n%s", rep.Conclusion, s.summary())
			}
			if out := s.outputs(); verb != "branch" && out["commits"] != "2" {
				t.Errorf("linted %s commits, want the 2 the queue adds", out["commits"])
			}
			runs := fake.CheckRuns("Codertocat", "Hello-World")
			if len(runs) != 1 || runs[0].Name != "shipflow "+verb || runs[0].HeadSHA != head {
				t.Errorf("check runs %+v, want one %q on %s", runs, "shipflow "+verb, head)
			}
		})
	}
}

// forkPR is a repository with a pull request of three commits, one of
// them bad, as a fork would open it.
func forkPR(t *testing.T) (repo *gittest.Repo, base, head string) {
	repo = gittest.New(t)
	repo.Commit("chore: init")
	repo.Branch("dev")
	base = repo.Head()
	repo.Branch("feature/login-form")
	repo.Commit("feat(login): add the form")
	repo.Commit("Fixed stuff")
	head = repo.Commit("fix(login): validate the email")
	return repo, base, head
}

// TestForkReportPublishedByWorkflowRun is the fork pattern: the
// pull_request run (read-only token) saves its report and publishes
// nothing; the workflow_run run, which never checks out the fork's code,
// posts the check run on the pull request's head.
func TestForkReportPublishedByWorkflowRun(t *testing.T) {
	repo, base, head := forkPR(t)
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true})
	s.event("pull_request", "pull_request.opened.fork.json", func(p map[string]any) {
		setSHAs(base, head)(p)
		p["pull_request"].(map[string]any)["title"] = "feat(login): add a login form"
	})
	s.vars["GITHUB_WORKSPACE"] = repo.Dir
	s.input("save-report", "shipflow-report.json")
	rep, err := s.run("pr", repo.Dir)
	if err != nil {
		t.Fatalf("pr: %v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Failed {
		t.Errorf("conclusion %s, want failure", rep.Conclusion)
	}
	if runs := fake.CheckRuns("Codertocat", "Hello-World"); len(runs) != 0 {
		t.Errorf("the fork's run published %+v", runs)
	}
	if !strings.Contains(s.summary(), "saved as shipflow-report.json for a `workflow_run` job") {
		t.Errorf("the summary does not say where the report went:\n%s", s.summary())
	}
	data, err := os.ReadFile(filepath.Join(repo.Dir, "shipflow-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	sr, err := ParseSavedReport(data)
	if err != nil {
		t.Fatalf("the saved report does not parse: %v\n%s", err, data)
	}
	if sr.HeadSHA != head || sr.PullRequest != 2 || sr.Name != "shipflow pr" || sr.Conclusion != Failed || len(sr.Annotations) == 0 {
		t.Errorf("saved report %+v", sr)
	}

	// The follow-up: another job, a workspace holding only the artifact.
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "shipflow-report.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	p := newSim(t)
	p.fake = fake
	p.vars["GITHUB_API_URL"] = s.vars["GITHUB_API_URL"]
	p.input("token", "ghs_test_token")
	p.event("workflow_run", "workflow_run.completed.fork.json", func(p map[string]any) {
		p["workflow_run"].(map[string]any)["head_sha"] = head
	})
	p.vars["GITHUB_WORKSPACE"] = ws
	p.input("report-file", "shipflow-report.json")
	prep, err := p.run(PublishVerb, ws)
	if err != nil {
		t.Fatalf("publish: %v\n%s", err, p.log.String())
	}
	if prep.Conclusion != Success {
		t.Errorf("publish step conclusion %s, want success", prep.Conclusion)
	}
	runs := fake.CheckRuns("Codertocat", "Hello-World")
	if len(runs) != 1 {
		t.Fatalf("check runs %+v, want one", runs)
	}
	cr := runs[0]
	if cr.Name != "shipflow pr" || cr.HeadSHA != head || cr.Conclusion != "failure" || !strings.Contains(cr.Summary, "Fixed stuff") {
		t.Errorf("check run %+v", cr)
	}
	if out := p.outputs(); out["conclusion"] != "failure" || out["check-run-id"] == "" || out["errors"] != "" {
		t.Errorf("publish outputs %v: want conclusion and check-run-id, never the fork's outputs", out)
	}
}

// savedReport is a valid saved report about sha with one annotation on a
// file, as JSON with edit applied.
func savedReport(t *testing.T, sha string, edit func(map[string]any)) []byte {
	t.Helper()
	m := map[string]any{
		"version": 1, "name": "shipflow test", "title": "1 failed", "conclusion": "failure",
		"summary": "one test failed", "head_sha": sha, "pull_request": 2,
		"annotations": []any{map[string]any{"level": "failure", "file": "calc_test.go", "line": 12, "title": "TestSubtract", "message": "want 1, got 2"}},
		"outputs":     []any{map[string]any{"name": "failed", "value": "1"}},
	}
	if edit != nil {
		edit(m)
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// publishSim is a workflow_run run about head with the report file data
// in its workspace, against a fake GitHub that also holds evil/repo.
func publishSim(t *testing.T, file, head string, data []byte) (*sim, *githubfake.Server) {
	t.Helper()
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true})
	fake.AddRepo("evil", "repo", githubfake.Permissions{Push: true})
	s.event("workflow_run", file, func(p map[string]any) {
		p["workflow_run"].(map[string]any)["head_sha"] = head
	})
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "report.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	s.vars["GITHUB_WORKSPACE"] = ws
	s.input("report-file", "report.json")
	return s, fake
}

// TestPublishAnnotationsAndCheckName: the saved annotations land on the
// check run; input check-name overrides the saved name.
func TestPublishAnnotationsAndCheckName(t *testing.T) {
	const head = "0123456789abcdef0123456789abcdef01234567"
	s, fake := publishSim(t, "workflow_run.completed.fork.json", head, savedReport(t, head, nil))
	s.input("check-name", "tests (fork)")
	if _, err := s.run(PublishVerb, t.TempDir()); err != nil {
		t.Fatalf("publish: %v\n%s", err, s.log.String())
	}
	runs := fake.CheckRuns("Codertocat", "Hello-World")
	if len(runs) != 1 || runs[0].Name != "tests (fork)" || len(runs[0].Annotations) != 1 ||
		runs[0].Annotations[0].Path != "calc_test.go" || runs[0].Annotations[0].StartLine != 12 {
		t.Errorf("check runs %+v", runs)
	}
}

// TestPublishRefusesUntrustedReports: the report file is the fork's data.
// A field naming another repository or API is refused (and nothing goes
// anywhere); oversized, garbled or mismatched files are refused with a
// clear error.
func TestPublishRefusesUntrustedReports(t *testing.T) {
	const head = "0123456789abcdef0123456789abcdef01234567"
	const other = "89abcdef0123456789abcdef0123456789abcdef"
	many := make([]any, MaxSavedAnnotations+1)
	for i := range many {
		many[i] = map[string]any{"level": "notice", "message": "x"}
	}
	tests := []struct {
		name string
		file string
		data []byte
		want string
	}{
		{"forged repository", "", savedReport(t, head, func(m map[string]any) { m["repository"] = "evil/repo" }), `unknown field "repository"`},
		{"forged API URL", "", savedReport(t, head, func(m map[string]any) { m["api_url"] = "http://127.0.0.1:1/" }), `unknown field "api_url"`},
		{"not JSON", "", []byte("PK\x03\x04 a zip"), "not a shipflow report"},
		{"two objects", "", append(savedReport(t, head, nil), savedReport(t, head, nil)...), "data after its JSON object"},
		{"too big", "", []byte(`{"summary":"` + strings.Repeat("x", MaxSavedReport) + `"}`), "more than the 1048576 allowed"},
		{"long summary", "", savedReport(t, head, func(m map[string]any) { m["summary"] = strings.Repeat("x", MaxCheckSummary+1) }), "summary has 65536 characters"},
		{"too many annotations", "", savedReport(t, head, func(m map[string]any) { m["annotations"] = many }), "1001 annotations"},
		{"multi-line title", "", savedReport(t, head, func(m map[string]any) { m["title"] = "ok\n::error::x" }), "title has a line break"},
		{"bad conclusion", "", savedReport(t, head, func(m map[string]any) { m["conclusion"] = "action_required" }), `conclusion "action_required"`},
		{"annotation outside", "", savedReport(t, head, func(m map[string]any) {
			m["annotations"] = []any{map[string]any{"level": "failure", "file": "../../etc/passwd", "message": "x"}}
		}), "leaves the repository"},
		{"output name", "", savedReport(t, head, func(m map[string]any) {
			m["outputs"] = []any{map[string]any{"name": "x\nevil", "value": "1"}}
		}), "not a lower-case output name"},
		{"another commit", "", savedReport(t, other, nil), "comes from another run"},
		// A pull request of this repository's branches: the sha must be its head.
		{"not the pull request's head", "workflow_run.completed.same-repo.json", savedReport(t, head, nil), "not the head of the event's pull request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "workflow_run.completed.fork.json"
			}
			s, fake := publishSim(t, file, head, tc.data)
			if tc.file != "" {
				fake.AddRepo("octo-org", "octo-repo", githubfake.Permissions{Push: true})
				// The payload's pull request keeps its own head.
				s.event("workflow_run", file, func(p map[string]any) {
					p["workflow_run"].(map[string]any)["head_sha"] = head
					p["workflow_run"].(map[string]any)["pull_requests"].([]any)[0].(map[string]any)["head"].(map[string]any)["sha"] = other
				})
			}
			_, err := s.run(PublishVerb, t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			for _, repo := range [][2]string{{"Codertocat", "Hello-World"}, {"evil", "repo"}, {"octo-org", "octo-repo"}} {
				if runs := fake.CheckRuns(repo[0], repo[1]); len(runs) != 0 {
					t.Errorf("%s/%s got check runs %+v", repo[0], repo[1], runs)
				}
			}
		})
	}
}

// TestPublishSameRepoPullRequest: a workflow_run naming the pull request
// publishes on its head, and refuses a report naming another number.
func TestPublishSameRepoPullRequest(t *testing.T) {
	const head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	s, fake := publishSim(t, "workflow_run.completed.same-repo.json", head, savedReport(t, head, nil))
	fake.AddRepo("octo-org", "octo-repo", githubfake.Permissions{Push: true})
	if _, err := s.run(PublishVerb, t.TempDir()); err != nil {
		t.Fatalf("publish: %v\n%s", err, s.log.String())
	}
	if runs := fake.CheckRuns("octo-org", "octo-repo"); len(runs) != 1 || runs[0].HeadSHA != head {
		t.Errorf("check runs %+v", runs)
	}
	s, _ = publishSim(t, "workflow_run.completed.same-repo.json", head, savedReport(t, head, func(m map[string]any) { m["pull_request"] = 7 }))
	if _, err := s.run(PublishVerb, t.TempDir()); err == nil || !strings.Contains(err.Error(), "names pull request #7") {
		t.Errorf("err = %v", err)
	}
}

// TestSaveReportStaysInTheWorkspace: save-report writes inside the
// workspace only.
func TestSaveReportStaysInTheWorkspace(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"../report.json", "leaves the repository"},
		{".git/report.json", "inside .git/"},
		{"/tmp/elsewhere/report.json", "outside the workspace"},
	} {
		s := newSim(t)
		s.event("pull_request", "pull_request.opened.feature.json", nil)
		ws := t.TempDir()
		s.vars["GITHUB_WORKSPACE"] = ws
		s.input("save-report", tc.path)
		if _, err := s.run("branch", ws); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("save-report %s: err = %v, want %q", tc.path, err, tc.want)
		}
	}
	s := newSim(t)
	s.event("pull_request", "pull_request.opened.feature.json", nil)
	ws := t.TempDir()
	s.vars["GITHUB_WORKSPACE"] = ws
	s.input("save-report", filepath.Join(ws, "out", "report.json"))
	if _, err := s.run("branch", ws); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(ws, "out", "report.json")); err != nil {
		t.Errorf("an absolute path inside the workspace: %v", err)
	}
}

// TestPublishStrictAndStatus: the publishing workflow decides strictness
// (a report that passed with warnings is published as failed) and may
// publish a commit status instead of a check run.
func TestPublishStrictAndStatus(t *testing.T) {
	const head = "0123456789abcdef0123456789abcdef01234567"
	warned := savedReport(t, head, func(m map[string]any) {
		m["conclusion"] = "success"
		m["annotations"] = []any{map[string]any{"level": "warning", "message": "subject ends with a period"}}
	})
	s, fake := publishSim(t, "workflow_run.completed.fork.json", head, warned)
	s.input("strict", "true")
	s.input("report", "status")
	if _, err := s.run(PublishVerb, t.TempDir()); err != nil {
		t.Fatalf("publish: %v\n%s", err, s.log.String())
	}
	sts := fake.Statuses("Codertocat", "Hello-World")
	if len(sts) != 1 || sts[0].SHA != head || sts[0].State != "failure" || sts[0].Context != "shipflow test" {
		t.Errorf("statuses %+v", sts)
	}
	if runs := fake.CheckRuns("Codertocat", "Hello-World"); len(runs) != 0 {
		t.Errorf("check runs %+v", runs)
	}
	s, _ = publishSim(t, "workflow_run.completed.fork.json", head, warned)
	s.input("report", "none")
	if _, err := s.run(PublishVerb, t.TempDir()); err == nil || !strings.Contains(err.Error(), "not check or status") {
		t.Errorf("report none: err = %v", err)
	}
}
