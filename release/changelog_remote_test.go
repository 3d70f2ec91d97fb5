package release_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestChangelogOriginThatExists checks the changelog never says there is
// no `origin` remote when there is one: an origin git cannot read says
// git's reason, one with no URL says so, and one with only a push URL
// gives its links from that URL.
func TestChangelogOriginThatExists(t *testing.T) {
	for _, tt := range []struct {
		name    string
		config  string // appended to .git/config
		warning string // "" when the changelog has links
		compare string
	}{
		{
			name:    "url without a value",
			config:  "[remote \"origin\"]\n\turl\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
			warning: `cannot read the URL of remote "origin"`,
		},
		{
			name:    "only a fetch refspec",
			config:  "[remote \"origin\"]\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
			warning: `remote "origin" has no URL (remote.origin.url is not set)`,
		},
		{
			name:    "only a push URL",
			config:  "[remote \"origin\"]\n\tpushurl = git@github.com:o/r.git\n",
			compare: "https://github.com/o/r/compare/v1.0.0...v1.1.0",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := gittest.New(t)
			r.Commit("feat: first")
			r.Tag("v1.0.0")
			r.Commit("feat: widgets (#12)")
			cfg := filepath.Join(r.Dir, ".git", "config")
			f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString(tt.config); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			rep := notesRun(t, r.Dir, release.ChangelogOptions{DryRun: true})
			warned := strings.Join(rep.Warnings, "\n")
			if strings.Contains(warned, "no `origin` remote") {
				t.Errorf("warnings = %q: origin exists", rep.Warnings)
			}
			if tt.warning != "" && !strings.Contains(warned, tt.warning) {
				t.Errorf("warnings = %q, want one containing %q", rep.Warnings, tt.warning)
			}
			if rep.Context == nil {
				t.Fatalf("no context: %+v", rep)
			}
			if got := rep.Context.CompareURL; got != tt.compare {
				t.Errorf("compare link = %q, want %q", got, tt.compare)
			}
		})
	}
}
