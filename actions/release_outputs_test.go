package actions

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// A release sets every output a workflow needs to go on: the release's id
// and URLs, the version's parts, the release commit.
func TestReleaseOutputs(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.AnnotatedTag("v0.1.0", "v0.1.0")
	repo.Commit("fix: a bug")
	repo.InitBare("origin")
	repo.Git("push", "-q", "origin", "main", "--tags")
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true, Pull: true})
	s.vars["GITHUB_REPOSITORY"] = "Codertocat/Hello-World"
	rep, err := s.run("release", repo.Dir)
	if err != nil {
		t.Fatalf("release: %v\n%s", err, s.log.String())
	}
	if rep.Conclusion != Success {
		t.Fatalf("conclusion %s\n%s", rep.Conclusion, s.log.String())
	}
	rels := fake.Releases("Codertocat", "Hello-World")
	if len(rels) != 1 {
		t.Fatalf("releases %+v", rels)
	}
	out := s.outputs()
	delete(out, "notes")
	want := map[string]string{
		"released": "true", "created": "true", "version": "0.1.1", "tag": "v0.1.1",
		"major": "0", "minor": "1", "patch": "1", "prerelease": "false",
		"sha":         repo.Git("rev-parse", "v0.1.1^{commit}"),
		"release-id":  fmt.Sprint(rels[0].ID),
		"release-url": out["release-url"], "html-url": out["release-url"], "upload-url": out["upload-url"],
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if out["release-url"] == "" || out["upload-url"] == "" {
		t.Errorf("no release or upload URL: %v", out)
	}

	// A re-run finds the release made: released, not created.
	s2 := newSim(t)
	s2.github(githubfake.Permissions{Push: true, Pull: true})
	s2.fake = fake
	s2.vars["GITHUB_API_URL"] = s.vars["GITHUB_API_URL"]
	s2.vars["GITHUB_REPOSITORY"] = "Codertocat/Hello-World"
	if _, err := s2.run("release", repo.Dir); err != nil {
		t.Fatalf("re-run: %v\n%s", err, s2.log.String())
	}
	if got := s2.outputs(); got["created"] != "false" || got["released"] != "true" || got["release-id"] != want["release-id"] {
		t.Errorf("re-run outputs %v", got)
	}
}
