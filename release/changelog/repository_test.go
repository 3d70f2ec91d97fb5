package changelog

import (
	"strings"
	"testing"
)

// TestRepositoryLinks checks the link shapes of each forge style.
func TestRepositoryLinks(t *testing.T) {
	type links struct{ url, commit, issue, compare string }
	for _, tt := range []struct {
		name string
		repo Repository
		want links
	}{
		{
			name: "github",
			repo: Repository{Host: "https://github.com", Owner: "o", Name: "r"},
			want: links{
				"https://github.com/o/r", "https://github.com/o/r/commit/abc",
				"https://github.com/o/r/issues/7", "https://github.com/o/r/compare/v1.0.0...v1.1.0",
			},
		},
		{
			// gitlab.com puts a repository's pages under /-/.
			name: "gitlab",
			repo: Repository{Host: "https://gitlab.com", Owner: "group/sub", Name: "r", Style: GitLabStyle},
			want: links{
				"https://gitlab.com/group/sub/r", "https://gitlab.com/group/sub/r/-/commit/abc",
				"https://gitlab.com/group/sub/r/-/issues/7", "https://gitlab.com/group/sub/r/-/compare/v1.0.0...v1.1.0",
			},
		},
		{
			name: "no repository",
			repo: Repository{},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.repo
			got := links{r.URL(), r.CommitURL("abc"), r.IssueURL("7"), r.CompareURL("v1.0.0", "v1.1.0")}
			if got != tt.want {
				t.Errorf("links = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestOtherRepositoryIssueLinks: a reference to another repository's issue
// ("closes other/repo#3") is linked on the same forge, in its style.
func TestOtherRepositoryIssueLinks(t *testing.T) {
	for _, tt := range []struct {
		name string
		repo Repository
		want string
	}{
		{"github", Repository{Host: "https://github.com", Owner: "o", Name: "r"}, "https://github.com/other/repo/issues/3"},
		{"gitlab", Repository{Host: "https://gitlab.com", Owner: "o", Name: "r", Style: GitLabStyle}, "https://gitlab.com/other/repo/-/issues/3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := presets[PresetAngular].entry(commit("a1", "fix: x\n\nCloses other/repo#3"), tt.repo)
			if len(e.References) != 1 || e.References[0].URL != tt.want {
				t.Errorf("references = %+v, want one to %s", e.References, tt.want)
			}
		})
	}
}

// TestParseRepositoryURLKeepsWebPort: a web URL's port is where the pages
// are; an ssh URL's port is ssh's and not part of any link.
func TestParseRepositoryURLKeepsWebPort(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://localhost:3000/o/r", "http://localhost:3000/o/r"},
		{"https://git.example.com:8443/o/r.git", "https://git.example.com:8443/o/r"},
		{"https://[::1]:8443/o/r", "https://[::1]:8443/o/r"},
		{"https://user:secret@git.example.com:8443/o/r", "https://git.example.com:8443/o/r"},
		{"ssh://git@github.com:22/o/r", "https://github.com/o/r"},
		{"git://git.example.com:9418/o/r.git", "https://git.example.com/o/r"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			r, err := ParseRepositoryURL(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.URL(); got != tt.want || strings.Contains(got, "secret") {
				t.Errorf("URL() = %q, want %q", got, tt.want)
			}
		})
	}
}
