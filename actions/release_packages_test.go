package actions

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// releaseMonorepo is a monorepo with every package released once and a
// change in web/ and in py/.
func releaseMonorepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.WriteFile(".shipflow.yaml", "packages:\n  - name: api\n    path: api\n  - name: web\n    path: web\n  - name: tool\n    path: py\n")
	r.WriteFile("api/go.mod", "module example.com/mono/api\n\ngo 1.22\n")
	r.WriteFile("web/package.json", `{"name": "web", "version": "1.0.0"}`+"\n")
	r.WriteFile("py/pyproject.toml", "[project]\nname = \"tool\"\nversion = \"0.3.0\"\n")
	r.Git("add", "-A")
	r.Commit("feat: first version of everything")
	for _, tag := range []string{"api/v1.0.0", "web-v1.0.0", "tool-v0.3.0"} {
		r.AnnotatedTag(tag, tag)
	}
	r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	r.CommitFile("py/tool.py", "x\n", "fix(tool): x")
	return r
}

// TestReleasePackages: in a monorepo the release action releases each
// package with changes, and its outputs list them.
func TestReleasePackages(t *testing.T) {
	repo := releaseMonorepo(t)
	repo.InitBare("origin")
	repo.Git("push", "-q", "origin", "main", "--tags")
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true, Pull: true})
	s.vars["GITHUB_REPOSITORY"] = "Codertocat/Hello-World"
	rep, err := s.run("release", repo.Dir)
	if err != nil {
		t.Fatalf("release: %v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Success || rep.Title != "released web-v1.1.0, tool-v0.3.1" {
		t.Fatalf("conclusion %s, title %q\n%s", rep.Conclusion, rep.Title, s.log.String())
	}
	if rels := fake.Releases("Codertocat", "Hello-World"); len(rels) != 2 {
		t.Errorf("releases %+v, want web's and tool's", rels)
	}
	out := s.outputs()
	if out["released"] != "true" || out["releasing"] != "web-v1.1.0,tool-v0.3.1" {
		t.Errorf("released %q, releasing %q", out["released"], out["releasing"])
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out["packages"]), &list); err != nil || len(list) != 2 || list[0]["name"] != "web" || list[1]["created"] != true {
		t.Errorf("packages output %s (%v)", out["packages"], err)
	}
}

// TestChangelogPackagesAction: the changelog action writes each package's
// file; with one package input its outputs describe it.
func TestChangelogPackagesAction(t *testing.T) {
	repo := releaseMonorepo(t)
	s := newSim(t)
	s.input("package", "tool")
	rep, err := s.run("changelog", repo.Dir)
	if err != nil {
		t.Fatalf("changelog: %v\n%s", err, s.log.String())
	}
	out := s.outputs()
	if rep.Conclusion != Success || out["tag"] != "tool-v0.3.1" || out["written"] != "true" || !strings.HasSuffix(out["path"], "py/CHANGELOG.md") || !strings.HasPrefix(out["notes"], "## 0.3.1") {
		t.Errorf("conclusion %s, outputs %v", rep.Conclusion, out)
	}
}
