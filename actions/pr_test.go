package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/report"
)

func TestPR(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("chore: init")
	repo.Branch("dev")
	base := repo.Head()
	repo.Branch("feature/login-form")
	repo.Commit("feat(login): add the form")
	repo.Commit("Fixed stuff")
	head := repo.Commit("fix(login): validate the email")

	tests := []struct {
		name       string
		file       string
		title      string
		conclusion Conclusion
		wants      []string
	}{
		{"good title, one bad commit", "pull_request.opened.feature.json", "feat(login): add a login form", Failed, []string{"commit "}},
		{"bad title", "pull_request.edited.base-changed.json", "Login form", Failed, []string{"title=PR title%3A type-empty::Login form: "}},
		{"squash header too long", "pull_request.opened.feature.json", "feat(login): " + strings.Repeat("a", 84), Failed, []string{"title=squash commit%3A header-max-length::"}},
		{"wrong base", "pull_request.opened.feature-main.json", "feat(login): add a login form", Failed, []string{"[branch-flow]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			s.event("pull_request", tc.file, func(p map[string]any) {
				setSHAs(base, head)(p)
				p["pull_request"].(map[string]any)["title"] = tc.title
			})
			rep, err := s.run("pr", repo.Dir)
			if err != nil {
				t.Fatalf("pr: %v\n%s", err, s.log.String())
			}
			if rep.Conclusion != tc.conclusion {
				t.Errorf("conclusion %s, want %s", rep.Conclusion, tc.conclusion)
			}
			for _, w := range tc.wants {
				if !strings.Contains(s.log.String(), w) {
					t.Errorf("log lacks %q:\n%s", w, s.log.String())
				}
			}
			out := s.outputs()
			if out["commits"] != "3" || out["errors"] == "0" {
				t.Errorf("outputs %v", out)
			}
			// The summary is `shipflow pr --format markdown`: a row per finding.
			if !strings.Contains(s.summary(), "| where | level | rule | finding |") || !strings.Contains(s.summary(), " Fixed stuff 1:6 | ❌ error |") {
				t.Errorf("summary:\n%s", s.summary())
			}
		})
	}
}

func TestPRUnknownSHAsSayFetch(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("chore: init")
	s := newSim(t)
	s.event("pull_request", "pull_request.opened.feature.json", nil) // SHAs of Codertocat's repository
	_, err := s.run("pr", repo.Dir)
	if err == nil || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("err = %v, want the fetch-depth fix", err)
	}
}

// TestAnnotationOverflow lints 25 bad commits: the log carries 10 errors
// (all the runner shows), the summary the other 15 and says so.
func TestAnnotationOverflow(t *testing.T) {
	repo := gittest.New(t)
	base := repo.Commit("chore: init")
	for i := range 25 {
		repo.Commit(fmt.Sprintf("Bad commit %d", i))
	}
	s := newSim(t)
	s.input("from", base)
	rep, err := s.run("commitlint", repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	failures, _ := rep.Counts()
	if failures < 25 {
		t.Fatalf("%d failures, want at least 25", failures)
	}
	if got := s.commands()["error"]; got != MaxStepAnnotations {
		t.Errorf("%d error annotations in the log, want %d", got, MaxStepAnnotations)
	}
	want := fmt.Sprintf("%d more findings than the log shows", failures-MaxStepAnnotations+rep.warningsOver())
	if !strings.Contains(s.summary(), want) {
		t.Errorf("summary lacks %q:\n%s", want, s.summary())
	}
	// Each finding once: the findings table lists them all, so the
	// overflow is counted, not listed a second time.
	if n := strings.Count(s.summary(), "Bad commit 0"); n != 1 {
		t.Errorf("the summary lists a bad commit the log left out %d times, want once:\n%s", n, s.summary())
	}
	if want := "❌ 25 of 25 commits in `" + base + "..HEAD` with problems"; !strings.Contains(s.summary(), want) {
		t.Errorf("summary lacks %q (`shipflow lint --format markdown`'s verdict):\n%s", want, s.summary())
	}
	if s.outputs()["commits"] != "25" {
		t.Errorf("outputs %v", s.outputs())
	}
}

// warningsOver is the number of warnings beyond what the log shows.
func (rep *Report) warningsOver() int {
	_, w := rep.Counts()
	return max(w-MaxStepAnnotations, 0)
}

// TestCheckRunBatches publishes 120 file annotations: the check run gets
// all of them, in requests of at most 50.
func TestCheckRunBatches(t *testing.T) {
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true})
	rep := &Report{Name: "shipflow test", Title: "120 failures", Conclusion: Failed, Summary: strings.Repeat("é", MaxCheckSummary+100)}
	for i := 1; i <= 120; i++ {
		rep.Annotations = append(rep.Annotations, Annotation{Level: Failure, Source: report.SourceFile, File: "pkg/x_test.go", Line: i, Message: fmt.Sprintf("failure %d", i)})
	}
	r := NewRunner(s.getenv, &s.log)
	ev := &Event{Repository: "Codertocat/Hello-World", SHA: "6113728f27ae82c7b1a177c8d03f9e96e0adf246"}
	pub, err := r.Publish(context.Background(), rep, ev, PublishOptions{Mode: ReportCheck, Token: "ghs_test_token"})
	if err != nil || pub.Err != nil || pub.CheckRunID == 0 {
		t.Fatalf("Publish = %+v, %v", pub, err)
	}
	calls := fake.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d calls, want 3 (50 + 50 + 20 annotations)", len(calls))
	}
	for _, c := range calls {
		var body struct {
			Output struct {
				Summary     string            `json:"summary"`
				Annotations []json.RawMessage `json:"annotations"`
			} `json:"output"`
		}
		if err := json.Unmarshal(c.Body, &body); err != nil {
			t.Fatal(err)
		}
		if n := len(body.Output.Annotations); n > MaxCheckAnnotations {
			t.Errorf("%s carries %d annotations", c.Operation, n)
		}
		if n := len([]rune(body.Output.Summary)); n > MaxCheckSummary {
			t.Errorf("%s summary is %d characters", c.Operation, n)
		}
	}
	runs := fake.CheckRuns("Codertocat", "Hello-World")
	if len(runs) != 1 || len(runs[0].Annotations) != 120 {
		t.Errorf("check runs %d, annotations %d", len(runs), len(runs[0].Annotations))
	}
	if got := s.commands()["error"]; got != MaxStepAnnotations {
		t.Errorf("%d error annotations in the log, want %d", got, MaxStepAnnotations)
	}
}

func TestCommitlintPushRange(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("Bad old commit")
	before := repo.Commit("feat: fine")
	repo.Commit("fix: also fine")
	after := repo.Commit("Bad new commit")
	tests := []struct {
		name          string
		before        string
		commits, errs string
	}{
		{"before..after", before, "2", "1"},
		{"new branch: the pushed commit", "0000000000000000000000000000000000000000", "1", "1"},
		{"force push: before is gone", "1111111111111111111111111111111111111111", "1", "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			s.event("push", "push.main.json", func(p map[string]any) { p["before"], p["after"] = tc.before, after })
			if _, err := s.run("commitlint", repo.Dir); err != nil {
				t.Fatal(err)
			}
			if out := s.outputs(); out["commits"] != tc.commits || out["errors"] != tc.errs {
				t.Errorf("outputs %v, want %s commits and %s errors", out, tc.commits, tc.errs)
			}
		})
	}
}

// TestLintIsCommitlint: `shipflow action lint` is the commitlint verb under
// the CLI's name, with the same outputs.
func TestLintIsCommitlint(t *testing.T) {
	repo := gittest.New(t)
	base := repo.Commit("chore: init")
	repo.Commit("Bad commit")
	repo.Commit("feat: good")
	outputs := map[string]map[string]string{}
	for _, name := range []string{"commitlint", "lint"} {
		s := newSim(t)
		s.input("from", base)
		if _, err := s.run(name, repo.Dir); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		outputs[name] = s.outputs()
	}
	if diff := cmp.Diff(outputs["commitlint"], outputs["lint"]); diff != "" || outputs["lint"]["commits"] != "2" {
		t.Errorf("lint and commitlint differ (-commitlint +lint):\n%s\n%v", diff, outputs)
	}
}

// TestCommitlintStrictFromConfig: lint.strict in .shipflow.yaml fails a
// range with warnings only, as `shipflow lint` does; the strict input
// overrides it.
func TestCommitlintStrictFromConfig(t *testing.T) {
	repo := gittest.New(t)
	base := repo.CommitFile(".shipflow.yaml", "lint:\n  strict: true\n", "chore: init")
	repo.Commit("feat: add x\nno blank line before this body")
	for _, tc := range []struct {
		strict string
		want   Conclusion
	}{{"", Failed}, {"false", Success}} {
		s := newSim(t)
		s.input("from", base)
		s.input("strict", tc.strict)
		rep, err := s.run("commitlint", repo.Dir)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Conclusion != tc.want {
			t.Errorf("strict input %q: conclusion %s, want %s", tc.strict, rep.Conclusion, tc.want)
		}
	}
}

// prLandsRepo builds dev and a feature branch with msgs as commits.
func prLandsRepo(t *testing.T, msgs ...string) (*gittest.Repo, string, string) {
	t.Helper()
	repo := gittest.New(t)
	repo.Commit("chore: init")
	repo.Branch("dev")
	base := repo.Head()
	repo.Branch("feature/login-form")
	for _, m := range msgs {
		repo.Commit(m)
	}
	return repo, base, repo.Head()
}

// TestPRLintsWhatLands: on a squash-only repository (the API's merge
// settings), a bad intermediate commit under a good title passes; a
// breaking commit under a title without `!` fails with the fix.
func TestPRLintsWhatLands(t *testing.T) {
	tests := []struct {
		name       string
		msgs       []string
		title      string
		conclusion Conclusion
		wants      []string
	}{
		{"bad intermediate commit passes", []string{"feat(login): add the form", "Fixed stuff"}, "feat(login): add a login form", Success,
			[]string{"**Linted:** only squash is allowed (the repository's settings): linting the title and the squash commit."}},
		{"squash drops a breaking change", []string{"feat(login)!: replace the form", "docs: note"}, "feat(login): new form", Failed,
			[]string{"squash-drops-breaking", "add \\`!\\` to the title: \\`feat(login)!: new form\\`"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			repo, base, head := prLandsRepo(t, tc.msgs...)
			s := newSim(t)
			fake := s.github(githubfake.Permissions{Push: true, Pull: true})
			fake.SetMergeSettings("Codertocat", "Hello-World", githubfake.MergeSettings{AllowSquash: true, SquashTitle: "COMMIT_OR_PR_TITLE", SquashMessage: "COMMIT_MESSAGES"})
			s.event("pull_request", "pull_request.opened.feature.json", func(p map[string]any) {
				setSHAs(base, head)(p)
				p["pull_request"].(map[string]any)["title"] = tc.title
			})
			rep, err := s.run("pr", repo.Dir)
			if err != nil {
				t.Fatalf("pr: %v\n%s", err, s.log.String())
			}
			if rep.Conclusion != tc.conclusion {
				t.Errorf("conclusion %s, want %s\n%s", rep.Conclusion, tc.conclusion, s.summary())
			}
			for _, w := range tc.wants {
				if !strings.Contains(s.summary(), w) {
					t.Errorf("summary lacks %q:\n%s", w, s.summary())
				}
			}
		})
	}
}

// TestPRMergeSettingsUnknown: a token GitHub gives no merge settings
// (no push access) lints everything and says so in a note.
func TestPRMergeSettingsUnknown(t *testing.T) {
	repo, base, head := prLandsRepo(t, "feat(login): add the form", "Fixed stuff")
	s := newSim(t)
	s.github(githubfake.Permissions{Pull: true})
	s.event("pull_request", "pull_request.opened.feature.json", func(p map[string]any) {
		setSHAs(base, head)(p)
		p["pull_request"].(map[string]any)["title"] = "feat(login): add a login form"
	})
	rep, err := s.run("pr", repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conclusion != Failed || !strings.Contains(s.summary(), "merge settings are unknown") {
		t.Errorf("conclusion %s, summary:\n%s\nwant failed and a note", rep.Conclusion, s.summary())
	}
}

// TestPRMergeMethodInput: the merge-method input over the repository:
// merge-only lints every commit.
func TestPRMergeMethodInput(t *testing.T) {
	repo, base, head := prLandsRepo(t, "feat(login): add the form", "Fixed stuff")
	s := newSim(t)
	s.input("merge-method", "merge")
	s.event("pull_request", "pull_request.opened.feature.json", func(p map[string]any) {
		setSHAs(base, head)(p)
		p["pull_request"].(map[string]any)["title"] = "feat(login): add a login form"
	})
	rep, err := s.run("pr", repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conclusion != Failed || !strings.Contains(s.summary(), "only merge commits are allowed (merge-method): linting the title and every commit") {
		t.Errorf("conclusion %s, summary:\n%s", rep.Conclusion, s.summary())
	}
}

// TestPRDraftsAndLabels: a draft skipped or pending and an ignore label
// give a neutral check that says why.
func TestPRDraftsAndLabels(t *testing.T) {
	tests := []struct {
		name   string
		inputs map[string]string
		want   string
	}{
		{"draft skipped", map[string]string{"drafts": "skip"}, "**Skipped:** draft (pr.drafts: skip)."},
		{"draft pending", map[string]string{"drafts": "pending"}, "**Pending:** draft: the findings do not fail the check."},
		{"ignore label", map[string]string{"ignore-labels": "wontfix, bug"}, "**Skipped:** label bug (pr.ignore-labels)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			repo, base, head := prLandsRepo(t, "Fixed stuff")
			s := newSim(t)
			for k, v := range tc.inputs {
				s.input(k, v)
			}
			s.event("pull_request", "pull_request.labeled.draft.json", setSHAs(base, head))
			rep, err := s.run("pr", repo.Dir)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Conclusion != Neutral || !strings.Contains(s.summary(), tc.want) {
				t.Errorf("conclusion %s, summary:\n%s\nwant neutral and %q", rep.Conclusion, s.summary(), tc.want)
			}
			if rep.Name != "shipflow pr" {
				t.Errorf("name %q", rep.Name)
			}
		})
	}
}

// mergeGroupRepo builds main and, on top, the queue's commits.
func mergeGroupRepo(t *testing.T) (*gittest.Repo, string, string) {
	repo := gittest.New(t)
	base := repo.Commit("chore: init")
	repo.Commit("feat(login): add the form")
	head := repo.Commit("Fixed stuff")
	return repo, base, head
}

func setGroupSHAs(base, head string) func(map[string]any) {
	return func(p map[string]any) {
		mg := p["merge_group"].(map[string]any)
		mg["base_sha"], mg["head_sha"] = base, head
	}
}

// TestPRMergeGroup: on merge_group, pr lints exactly the queue's commits
// under the same check name; commitlint lints the same range.
func TestPRMergeGroup(t *testing.T) {
	repo, base, head := mergeGroupRepo(t)
	s := newSim(t)
	s.event("merge_group", "merge_group.checks_requested.json", setGroupSHAs(base, head))
	rep, err := s.run("pr", repo.Dir)
	if err != nil {
		t.Fatalf("pr: %v\n%s", err, s.log.String())
	}
	if rep.Name != "shipflow pr" || rep.Conclusion != Failed {
		t.Errorf("name %q, conclusion %s", rep.Name, rep.Conclusion)
	}
	if !strings.Contains(s.summary(), "merge queue: linting the 2 commits the queue adds") || strings.Contains(s.summary(), "PR title") {
		t.Errorf("summary:\n%s", s.summary())
	}
	if s.outputs()["commits"] != "2" {
		t.Errorf("outputs %v", s.outputs())
	}

	s = newSim(t)
	s.event("merge_group", "merge_group.checks_requested.json", setGroupSHAs(base, head))
	if _, err := s.run("commitlint", repo.Dir); err != nil {
		t.Fatal(err)
	}
	if s.outputs()["commits"] != "2" || !strings.Contains(s.summary(), base+".."+head) {
		t.Errorf("commitlint on merge_group: outputs %v, summary:\n%s", s.outputs(), s.summary())
	}
}
