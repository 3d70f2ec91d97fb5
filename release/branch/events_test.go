package branch

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestEventPayloads checks the model on pull_request payloads derived from
// GitHub's real webhook examples (testdata/gen.go). The head is
// pull_request.head.ref, never head.label or github.ref.
func TestEventPayloads(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "events", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name    string `json:"name"`
		Allowed bool   `json:"allowed"`
		Rule    string `json:"rule"`
		File    string `json:"file"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases: run `go run testdata/gen.go`")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "events", c.File))
			if err != nil {
				t.Fatal(err)
			}
			var ev struct {
				PullRequest struct {
					Head struct{ Ref, Label string } `json:"head"`
					Base struct{ Ref string }        `json:"base"`
				} `json:"pull_request"`
			}
			if err := json.Unmarshal(b, &ev); err != nil {
				t.Fatal(err)
			}
			r := Check(ev.PullRequest.Head.Ref, ev.PullRequest.Base.Ref, DefaultPolicy())
			if r.Allowed != c.Allowed {
				t.Fatalf("Check(%q, %q).Allowed = %v, want %v; findings %+v", ev.PullRequest.Head.Ref, ev.PullRequest.Base.Ref, r.Allowed, c.Allowed, r.Findings)
			}
			if !c.Allowed && r.Findings[0].Rule != c.Rule {
				t.Errorf("first finding %s, want %s: %+v", r.Findings[0].Rule, c.Rule, r.Findings)
			}
		})
	}
}
