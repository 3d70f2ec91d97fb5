package release_test

import (
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestChangelogLinksFromTheForge: links point to a forge shipflow knows
// the link shapes of, named by changelog.repository-url or by the origin
// remote's host; a remote on any other host gets no links rather than
// GitHub-shaped paths that lead nowhere.
func TestChangelogLinksFromTheForge(t *testing.T) {
	for _, tt := range []struct {
		name       string
		remote     string // "" for none
		config     config.Changelog
		githubURLs []string
		// compare is the section's compare link, "" for none; commit a
		// part of the first entry's commit link.
		compare, commit string
		// warning is part of the warning that says why there are no links.
		warning string
	}{
		{
			name:    "github.com over ssh",
			remote:  "git@github.com:o/r.git",
			compare: "https://github.com/o/r/compare/v1.0.0...v1.1.0",
			commit:  "https://github.com/o/r/commit/",
		},
		{
			// ssh over the https port: the pages are on github.com.
			name:    "ssh.github.com",
			remote:  "ssh://git@ssh.github.com:443/o/r.git",
			compare: "https://github.com/o/r/compare/v1.0.0...v1.1.0",
		},
		{
			name:    "credentials in the remote",
			remote:  "https://x-access-token:ghs_secret@github.com/o/r.git",
			compare: "https://github.com/o/r/compare/v1.0.0...v1.1.0",
		},
		{
			name:    "GitHub Enterprise Cloud",
			remote:  "git@octo.ghe.com:o/r.git",
			compare: "https://octo.ghe.com/o/r/compare/v1.0.0...v1.1.0",
		},
		{
			// The configured API URL says which host is a GitHub, and
			// where its pages are (port included).
			name:       "GitHub Enterprise Server named by its API URL",
			remote:     "git@ghe.example.com:o/r.git",
			githubURLs: []string{"https://ghe.example.com:8443/api/v3/"},
			compare:    "https://ghe.example.com:8443/o/r/compare/v1.0.0...v1.1.0",
		},
		{
			name:       "GitHub Enterprise Server named by its web URL",
			remote:     "https://GHE.example.com/o/r.git",
			githubURLs: []string{"", "https://ghe.example.com"},
			compare:    "https://ghe.example.com/o/r/compare/v1.0.0...v1.1.0",
		},
		{
			name:    "gitlab.com",
			remote:  "https://gitlab.com/group/sub/r.git",
			compare: "https://gitlab.com/group/sub/r/-/compare/v1.0.0...v1.1.0",
			commit:  "https://gitlab.com/group/sub/r/-/commit/",
		},
		{
			name:    "bitbucket.org",
			remote:  "git@bitbucket.org:o/r.git",
			warning: `remote "origin" is on bitbucket.org, which is not a forge shipflow knows the links of`,
		},
		{
			name:       "self-hosted git server",
			remote:     "https://git.example.com:8443/o/r.git",
			githubURLs: []string{"https://ghe.example.com/api/v3/"},
			warning:    "git.example.com",
		},
		{
			name:    "GitHub Enterprise Server not configured",
			remote:  "git@ghe.example.com:o/r.git",
			warning: "ghe.example.com",
		},
		{
			name:    "local path",
			remote:  "/srv/git/r.git",
			warning: `remote "origin" names no repository on a forge`,
		},
		{
			name:    "no remote",
			warning: "no `origin` remote and no changelog.repository-url",
		},
		{
			// The configuration is taken at its word, port included.
			name:    "repository-url",
			remote:  "git@bitbucket.org:o/r.git",
			config:  config.Changelog{RepositoryURL: "https://git.example.com:8443/o/r"},
			compare: "https://git.example.com:8443/o/r/compare/v1.0.0...v1.1.0",
		},
		{
			name:    "repository-url on gitlab.com",
			config:  config.Changelog{RepositoryURL: "git@gitlab.com:group/r.git"},
			compare: "https://gitlab.com/group/r/-/compare/v1.0.0...v1.1.0",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := gittest.New(t)
			if tt.remote != "" {
				r.Git("remote", "add", "origin", tt.remote)
			}
			r.Commit("feat: first")
			r.Tag("v1.0.0")
			r.Commit("feat: widgets (#12)")
			rep := notesRun(t, r.Dir, release.ChangelogOptions{Config: tt.config, GitHubURLs: tt.githubURLs, DryRun: true})
			if rep.Context == nil {
				t.Fatalf("no context: %+v", rep)
			}
			if got := rep.Context.CompareURL; got != tt.compare {
				t.Errorf("compare link = %q, want %q\n%s", got, tt.compare, rep.Section)
			}
			if tt.commit != "" && !strings.Contains(rep.Section, "]("+tt.commit) {
				t.Errorf("section has no commit link to %s:\n%s", tt.commit, rep.Section)
			}
			if tt.compare == "" && strings.Contains(rep.Section, "](") {
				t.Errorf("section has links:\n%s", rep.Section)
			}
			if strings.Contains(rep.Section, "secret") {
				t.Errorf("section leaks the remote's token:\n%s", rep.Section)
			}
			warned := strings.Join(rep.Warnings, "\n")
			switch {
			case tt.warning == "" && strings.Contains(warned, "no links"):
				t.Errorf("warnings = %q, want none about links", rep.Warnings)
			case tt.warning != "" && !strings.Contains(warned, tt.warning):
				t.Errorf("warnings = %q, want one containing %q", rep.Warnings, tt.warning)
			}
		})
	}
}

// TestResolveChangelogKnowsTheGitHub: the changelog verb on GitHub
// Enterprise Server links to it when the CI context or the configuration
// names it; without, a remote on its host gets no links.
func TestResolveChangelogKnowsTheGitHub(t *testing.T) {
	for _, tt := range []struct {
		name    string
		cfg     config.Config
		ci      release.CI
		compare string
	}{
		{name: "GITHUB_SERVER_URL", ci: release.CI{ServerURL: "https://ghe.example.com"}, compare: "https://ghe.example.com/o/r/compare/v1.0.0...v1.1.0"},
		{name: "GITHUB_API_URL", ci: release.CI{APIURL: "https://ghe.example.com/api/v3/"}, compare: "https://ghe.example.com/o/r/compare/v1.0.0...v1.1.0"},
		{
			name:    "release.github-api-url",
			cfg:     config.Config{Release: config.Release{GitHubAPIURL: "https://ghe.example.com:8443/api/v3/"}},
			compare: "https://ghe.example.com:8443/o/r/compare/v1.0.0...v1.1.0",
		},
		{name: "another GitHub", ci: release.CI{ServerURL: "https://github.example.org"}},
		{name: "none"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := gittest.New(t)
			r.Git("remote", "add", "origin", "git@ghe.example.com:o/r.git")
			r.Commit("feat: first")
			r.Tag("v1.0.0")
			r.Commit("feat: widgets")
			opts, err := release.ResolveChangelog(release.NoInputs{}, &tt.cfg, tt.ci)
			if err != nil {
				t.Fatal(err)
			}
			opts.DryRun = true
			rep := notesRun(t, r.Dir, opts)
			if rep.Context == nil || rep.Context.CompareURL != tt.compare {
				t.Errorf("context = %+v, want compare link %q", rep.Context, tt.compare)
			}
		})
	}
}
