package actions

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestPRSummaryGolden is the screenshot-free check: the job
// summary of a failing pull request lists each finding with its fix, then
// the release preview. Run with -update to rewrite the files, and review
// them.
func TestPRSummaryGolden(t *testing.T) {
	// The predicted squash commit's hash, in the notes, depends on the
	// date git commits it at.
	t.Setenv("GIT_AUTHOR_DATE", "2026-01-02T00:00:00Z")
	t.Setenv("GIT_COMMITTER_DATE", "2026-01-02T00:00:00Z")
	cases := []struct {
		name, method, title string
		msgs                []string
	}{
		{"merge-bad-commit", "merge", "feat(login): add a login form", []string{"feat(login): add the form", "Fixed stuff", "fix(login): validate the email"}},
		{"squash-breaking", "squash", "feat(login): new form", []string{"feat(login)!: replace the form", "docs: note"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo, base, head := prLandsRepo(t, c.msgs...)
			s := newSim(t)
			s.vars["SOURCE_DATE_EPOCH"] = "1767312000"
			s.input("merge-method", c.method)
			s.event("pull_request", "pull_request.opened.feature.json", func(p map[string]any) {
				setSHAs(base, head)(p)
				p["pull_request"].(map[string]any)["title"] = c.title
			})
			rep, err := s.run("pr", repo.Dir)
			if err != nil {
				t.Fatalf("pr: %v\n%s", err, s.log.String())
			}
			if rep.Conclusion != Failed {
				t.Errorf("conclusion %s, want failure", rep.Conclusion)
			}
			golden.Check(t, filepath.Join("testdata", "summary", "pr-"+c.name+".golden"), s.summary())
			out := s.outputs()
			if out["valid"] != "false" || out["first-error"] == "" || out["next-version"] != "0.1.0-dev.1" || out["bump"] != "minor" || out["comment-url"] != "" {
				t.Errorf("outputs %v", out)
			}
		})
	}
}

// TestPRSummaryOverflow: a pull request with more findings than GitHub's
// check run summary holds lists the first ones, counts the others, and
// keeps the verdict; the check run gets the same summary, within 65,535
// characters, each finding once.
func TestPRSummaryOverflow(t *testing.T) {
	var msgs []string
	for i := range 400 {
		msgs = append(msgs, fmt.Sprintf("Bad commit number %d with a rather long header to fill the table", i))
	}
	repo, base, head := prLandsRepo(t, msgs...)
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true, Pull: true})
	s.input("merge-method", "rebase")
	s.event("pull_request", "pull_request.opened.feature.json", setSHAs(base, head))
	rep, err := s.run("pr", repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conclusion != Failed {
		t.Errorf("conclusion %s", rep.Conclusion)
	}
	runs := fake.CheckRuns("Codertocat", "Hello-World")
	if len(runs) != 1 {
		t.Fatalf("%d check runs", len(runs))
	}
	sum := runs[0].Summary
	if n := utf8.RuneCountInString(sum); n > MaxCheckSummary {
		t.Errorf("check run summary of %d characters", n)
	}
	rows := strings.Count(sum, "| ❌ error |")
	if want := fmt.Sprintf("_… and %d more findings: ", 400-rows); rows == 0 || !strings.Contains(sum, want) {
		t.Errorf("%d rows; summary lacks %q", rows, want)
	}
	if strings.Count(sum, "Bad commit number 0 ") != 1 {
		t.Errorf("the first finding is not listed once")
	}
	for _, want := range []string{"❌ 400 errors, 0 warnings", "### Release preview"} {
		if !strings.Contains(sum, want) || !strings.Contains(s.summary(), want) {
			t.Errorf("check run or job summary lacks %q", want)
		}
	}
	out := s.outputs()
	if out["valid"] != "false" || !strings.HasPrefix(out["first-error"], "commit ") || out["errors"] != "400" || out["commits"] != "400" {
		t.Errorf("outputs %v", out)
	}
}
