package release

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
	"github.com/shipflow/shipflow/release/image"
)

// incidentWatch is a watch that rolled back after two failed checks, one
// of whose answers tries to mention someone and break the table.
func incidentWatch() *image.WatchReport {
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	return &image.WatchReport{
		Health: "https://app.example/healthz", Outcome: "rolled back", Target: "1.2.3",
		Checks: []image.Check{
			{Time: t0, Healthy: true, Status: 200, Result: "200 OK"},
			{Time: t0.Add(10 * time.Second), Status: 500, Result: "500 Internal Server Error"},
			{Time: t0.Add(20 * time.Second), Result: "dial tcp: refused | @admin <b>x</b>"},
		},
		Rollback: &image.RollbackReport{
			Repository: "ghcr.io/acme/app", From: "1.3.0", FromDigest: testPrev, To: "1.2.3", ToDigest: testDigest,
			Time: t0.Add(21 * time.Second),
			Tags: []image.TagChange{{Tag: "1", Written: true, Old: testPrev, New: testDigest}, {Tag: "latest", Written: true, Old: testPrev, New: testDigest}},
		},
	}
}

func TestIncidentRecord(t *testing.T) {
	run := &ImageCommandRun{Args: []string{"./rollback.sh", "1.2.3", testDigest}, ExitCode: 0}
	inc := NewIncident(incidentWatch(), run)
	if inc.Title() != "Incident: rollback of ghcr.io/acme/app from 1.3.0 to 1.2.3" {
		t.Errorf("title %q", inc.Title())
	}
	if len(inc.FailedChecks) != 2 || inc.FailedChecks[0].Status != 500 || inc.Checks != 3 || !slices.Equal(inc.Tags, []string{"1", "latest"}) {
		t.Errorf("incident %+v", inc)
	}
	b, err := inc.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Incident
	if err := json.Unmarshal(b, &back); err != nil || back.To.Digest != testDigest || back.From.Version != "1.3.0" || back.Command.ExitCode != 0 || back.FailedChecks[1].Time.IsZero() {
		t.Errorf("JSON round trip: %+v, %v\n%s", back, err, b)
	}
	md := inc.Markdown()
	for _, want := range []string{
		"| time | 2026-03-04T05:06:28Z |", "| from | 1.3.0 " + testPrev + " |", "| to | 1.2.3 " + testDigest + " |",
		"| 2026-03-04T05:06:17Z | 500 | 500 Internal Server Error |", "| 2026-03-04T05:06:27Z | no answer |",
		"./rollback.sh 1.2.3 " + testDigest + ": exit 0", "rolled back: 1, latest moved to 1.2.3",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	for _, bad := range []string{"| @admin", "@admin", "<b>"} {
		if strings.Contains(md, bad) {
			t.Errorf("Markdown has %q unescaped:\n%s", bad, md)
		}
	}
	if NewIncident(&image.WatchReport{Outcome: "healthy"}, nil) != nil {
		t.Error("a healthy watch has an incident")
	}
}

// The incident's issue opens in the repository with the incident label;
// a token that may not open issues is a warning, not an error.
func TestOpenIncidentIssue(t *testing.T) {
	f := githubfake.New(t)
	f.AddRepo("acme", "app", githubfake.Permissions{Push: true})
	f.AddRepo("acme", "ro", githubfake.Permissions{Pull: true})
	c, err := github.New("tok", github.WithBaseURL(f.URL))
	if err != nil {
		t.Fatal(err)
	}
	inc := NewIncident(incidentWatch(), nil)
	warn, err := OpenIncidentIssue(context.Background(), c, "acme/app", inc)
	if err != nil || warn != "" {
		t.Fatalf("warning %q, error %v", warn, err)
	}
	is := f.Issues("acme", "app")
	if len(is) != 1 || is[0].Title != inc.Title() || is[0].Body != inc.Markdown() || !slices.Equal(is[0].Labels, []string{"incident"}) || !strings.HasSuffix(inc.Issue, "/acme/app/issues/1") {
		t.Errorf("issues %+v, incident issue %q", is, inc.Issue)
	}
	for _, repo := range []string{"acme/ro", "acme/gone"} {
		warn, err = OpenIncidentIssue(context.Background(), c, repo, NewIncident(incidentWatch(), nil))
		if err != nil || !strings.Contains(warn, "no incident issue opened") {
			t.Errorf("%s: warning %q, error %v; want a warning", repo, warn, err)
		}
	}
	f.Fail("POST /repos/{owner}/{repo}/issues", 10, githubfake.Fault{Status: http.StatusInternalServerError})
	if _, err := OpenIncidentIssue(context.Background(), c, "acme/app", inc); err == nil {
		t.Error("a 500: no error")
	}
}
