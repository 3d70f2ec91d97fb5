package release

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/github"
)

// TestCutLinksToTheForge: a release's changelog links go to the pages of
// the forge it is published on (its web root, port included), not to
// whatever host the remote names (an ssh alias, a mirror).
func TestCutLinksToTheForge(t *testing.T) {
	e := newCutEnv(t)
	forge, err := github.New(cutTestToken, github.WithBaseURL(e.fake.URL),
		github.WithWebURL("https://ghe.example.com:8443/"),
		github.WithSleep(func(context.Context, time.Duration) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	opts := e.opts()
	opts.Forge = forge
	rep, err := e.cut(opts)
	if err != nil {
		t.Fatal(err)
	}
	want := "## [1.1.0](https://ghe.example.com:8443/o/r/compare/v1.0.0...v1.1.0)"
	if st := e.state(); !strings.Contains(st.Changelog, want) {
		t.Errorf("CHANGELOG.md lacks %q:\n%s", want, st.Changelog)
	}
	if !strings.HasPrefix(rep.Plan.Notes, want) {
		t.Errorf("notes do not start with %q:\n%s", want, rep.Plan.Notes)
	}
}

// TestCutWebRepo: where a release's changelog links point, for each way
// the forge's web root is known.
func TestCutWebRepo(t *testing.T) {
	ghe, err := github.New("", github.WithBaseURL("https://ghe.example.com/api/v3/"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		remote string
		set    func(*CutOptions)
		want   string
	}{
		{
			// An ssh alias (Host ghe-work in ~/.ssh/config) is no web host.
			name:   "the forge's",
			remote: "git@ghe-work:o/r.git",
			set:    func(o *CutOptions) { o.Forge = ghe },
			want:   "https://ghe.example.com/o/r",
		},
		{
			name:   "told (GITHUB_SERVER_URL)",
			remote: "git@ghe-work:o/r.git",
			set:    func(o *CutOptions) { o.Forge, o.WebURL = ghe, "https://ghe.example.com:8443/" },
			want:   "https://ghe.example.com:8443/o/r",
		},
		{
			name:   "dry run: the API's",
			remote: "git@ghe-work:o/r.git",
			set:    func(o *CutOptions) { o.Forge, o.APIURL = nil, "https://ghe.example.com/api/v3/" },
			want:   "https://ghe.example.com/o/r",
		},
		{
			name:   "dry run: github.com",
			remote: "https://bitbucket.org/o/r.git",
			set:    func(o *CutOptions) { o.Forge = nil },
			want:   "https://github.com/o/r",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newCutEnv(t)
			e.r.Git("remote", "set-url", "origin", tt.remote)
			opts := e.opts()
			tt.set(&opts)
			c := e.cutter(opts)
			if got := c.webRepo(&CutPlan{Owner: "o", Repo: "r", Remote: "origin"}).URL(); got != tt.want {
				t.Errorf("links to %q, want %q", got, tt.want)
			}
		})
	}
}
