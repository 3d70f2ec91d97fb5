package release_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/branch"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/report"
)

// TestPRGoModule: a pull request whose merge makes v2+ of a Go module
// whose path lacks /vN warns, as `shipflow release` would refuse it.
func TestPRGoModule(t *testing.T) {
	cases := []struct {
		name, commit string
		plan         bool
		want         string // the warning's start; "" for none
	}{
		{"breaking change", "feat!: drop the old API", true, `v2.0.0-dev.1 is a major version of Go module "example.com/m", whose path must then end in "/v2"`},
		{"feature", "feat: add an API", true, ""},
		{"not planned", "feat!: drop the old API", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			r.CommitFile("go.mod", "module example.com/m\n", "feat: first")
			r.Tag("v1.0.0")
			r.Branch("dev")
			base := r.Head()
			r.Branch("feature/x")
			head := r.Commit(tc.commit)
			r.Checkout("dev")
			opts := release.PROptions{BaseSHA: base, HeadSHA: head, Title: tc.commit, Number: 1, Head: "feature/x", Base: "dev",
				Lint: commitlint.ConventionalConfig(), Policy: branch.DefaultPolicy()}
			if tc.plan {
				opts.Plan = &release.PlanOptions{}
			}
			rep, err := release.PR(context.Background(), planOpen(t, r.Dir), opts)
			if err != nil {
				t.Fatal(err)
			}
			var found []string
			for _, e := range rep.Entries() {
				for _, f := range e.Findings {
					if f.Level == report.Warning && strings.Contains(f.Message, "Go module") {
						found = append(found, f.Message)
					}
				}
			}
			switch {
			case tc.want == "" && len(found) > 0:
				t.Errorf("warnings %q, want none", found)
			case tc.want != "" && (len(found) != 1 || !strings.HasPrefix(found[0], tc.want) || rep.Warnings != 1):
				t.Errorf("warnings %q (%d counted), want one starting %q", found, rep.Warnings, tc.want)
			}
		})
	}
}
