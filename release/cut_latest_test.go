package release

import (
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/github/githubfake"
)

// A release is a GitHub prerelease when its version is one, and is made
// "Latest" only when it is the highest version: a hotfix on an old line
// never takes Latest from a newer major.
func TestCutPrereleaseAndLatest(t *testing.T) {
	cases := []struct {
		name           string
		setup          func(e *cutEnv) string // returns the release branch
		wantTag        string
		wantPrerelease bool
		wantLatest     string
	}{
		{
			name:       "stable on main is latest",
			setup:      func(*cutEnv) string { return "main" },
			wantTag:    "v1.1.0",
			wantLatest: "true",
		},
		{
			name: "dev channel is a prerelease",
			setup: func(e *cutEnv) string {
				e.r.Branch("dev")
				e.r.Checkout("dev")
				e.r.Commit("feat: on dev")
				e.r.Git("push", "-q", "origin", "dev")
				return "dev"
			},
			wantTag:        "v1.1.0-dev.1",
			wantPrerelease: true,
			wantLatest:     "false",
		},
		{
			name: "hotfix below a higher major is not latest",
			setup: func(e *cutEnv) string {
				e.r.Commit("feat!: new world")
				e.r.AnnotatedTag("v2.0.0", "v2.0.0")
				e.r.Git("push", "-q", "origin", "main", "--tags")
				e.r.Git("checkout", "-q", "-b", "hotfix/1.0", "v1.0.0")
				e.r.Commit("fix: old line")
				e.r.Git("push", "-q", "origin", "hotfix/1.0")
				return "hotfix/1.0"
			},
			wantTag:    "v1.0.1",
			wantLatest: "false",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newCutEnv(t)
			branch := tc.setup(e)
			o := e.opts()
			o.Config.Branch = branch
			rep, err := e.cut(o)
			if err != nil {
				t.Fatal(err)
			}
			p := rep.Plan
			if p.Tag != tc.wantTag || p.Prerelease != tc.wantPrerelease || p.Latest != (tc.wantLatest == "true") {
				t.Errorf("plan tag %s prerelease %v latest %v, want %s %v %s", p.Tag, p.Prerelease, p.Latest, tc.wantTag, tc.wantPrerelease, tc.wantLatest)
			}
			rels := e.fake.Releases("o", "r")
			if len(rels) != 1 {
				t.Fatalf("releases = %+v", rels)
			}
			if r := rels[0]; r.TagName != tc.wantTag || r.Prerelease != tc.wantPrerelease || r.MakeLatest != tc.wantLatest || r.Draft {
				t.Errorf("release = %+v, want tag %s prerelease %v make_latest %q", r, tc.wantTag, tc.wantPrerelease, tc.wantLatest)
			}
			// A re-run changes nothing.
			before := e.state()
			if _, err := e.cut(o); err != nil {
				t.Fatal(err)
			}
			if after := e.state(); after.Log != before.Log || len(after.Releases) != 1 {
				t.Errorf("re-run changed something")
			}
		})
	}
}

// GitHub makes a newly published release Latest unless told otherwise
// ("Defaults to true for newly published releases", REST docs for
// make_latest): the publish of the draft says it again.
func TestCutHotfixStaysBehindLatest(t *testing.T) {
	e := newCutEnv(t)
	e.r.Commit("feat!: new world")
	e.r.AnnotatedTag("v2.0.0", "v2.0.0")
	e.r.Git("push", "-q", "origin", "main", "--tags")
	e.fake.AddRelease("o", "r", githubfake.Release{TagName: "v2.0.0", Name: "v2.0.0"})
	e.r.Git("checkout", "-q", "-b", "hotfix/1.0", "v1.0.0")
	e.r.Commit("fix: old line")
	e.r.Git("push", "-q", "origin", "hotfix/1.0")
	o := e.opts()
	o.Config.Branch = "hotfix/1.0"
	if _, err := e.cut(o); err != nil {
		t.Fatal(err)
	}
	var publish []string
	for _, c := range e.fake.Calls() {
		if c.Method == "PATCH" {
			publish = append(publish, string(c.Body))
		}
	}
	if len(publish) != 1 || !strings.Contains(publish[0], `"make_latest":"false"`) {
		t.Errorf("publish requests %q, want one with make_latest false", publish)
	}
	if latest, ok := e.fake.Latest("o", "r"); !ok || latest.TagName != "v2.0.0" {
		t.Errorf("latest = %+v, want v2.0.0", latest)
	}
}
