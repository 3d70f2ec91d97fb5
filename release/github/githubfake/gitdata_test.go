package githubfake

import (
	"strings"
	"testing"
)

// TestFakeRefusesInvalidReleasePRBodies: the new operations are held to
// the REST description like the old ones, and to GitHub's own refusals.
func TestFakeRefusesInvalidReleasePRBodies(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		path     string // relative to the base path
		body     string
		wantErr  string // in what the fake reports; empty: nothing reported
		wantCode int
	}{
		{name: "tree with a bad mode", method: "POST", path: "repos/o/r/git/trees",
			body: `{"tree":[{"path":"a","mode":"644","type":"blob","content":"x"}]}`, wantErr: "request does not match", wantCode: 422},
		{name: "tree without entries", method: "POST", path: "repos/o/r/git/trees",
			body: `{"base_tree":"x"}`, wantErr: "request does not match", wantCode: 422},
		{name: "tree path into .git", method: "POST", path: "repos/o/r/git/trees",
			body: `{"tree":[{"path":".git/config","mode":"100644","type":"blob","content":"x"}]}`, wantCode: 422},
		{name: "commit without tree", method: "POST", path: "repos/o/r/git/commits",
			body: `{"message":"m"}`, wantErr: "request does not match", wantCode: 422},
		{name: "commit of an unknown tree", method: "POST", path: "repos/o/r/git/commits",
			body: `{"message":"m","tree":"0000000000000000000000000000000000000000"}`, wantCode: 422},
		{name: "ref without sha", method: "POST", path: "repos/o/r/git/refs",
			body: `{"ref":"refs/heads/x"}`, wantErr: "request does not match", wantCode: 422},
		{name: "ref with a slashed name", method: "GET", path: "repos/o/r/git/ref/heads/shipflow/release-main", wantCode: 404},
		{name: "merge with a bad method", method: "PUT", path: "repos/o/r/pulls/1/merge",
			body: `{"merge_method":"octopus"}`, wantErr: "request does not match", wantCode: 422},
		{name: "pull with a bad state", method: "PATCH", path: "repos/o/r/pulls/1",
			body: `{"state":"merged"}`, wantErr: "request does not match", wantCode: 422},
		{name: "labels as a bare array", method: "POST", path: "repos/o/r/issues/1/labels",
			body: `["x"]`, wantErr: "request does not match", wantCode: 422},
		{name: "pull from a missing branch", method: "POST", path: "repos/o/r/pulls",
			body: `{"title":"t","head":"nope","base":"main"}`, wantCode: 422},
		{name: "release with a bad make_latest", method: "POST", path: "repos/o/r/releases",
			body: `{"tag_name":"v1","make_latest":"yes"}`, wantErr: "request does not match", wantCode: 422},
		{name: "unprotected branch", method: "GET", path: "repos/o/r/branches/main/protection", wantCode: 404},
		{name: "no rules", method: "GET", path: "repos/o/r/rules/branches/main", wantCode: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := New(rec)
			s.AddRepo("o", "r", Permissions{Admin: true, Push: true, Pull: true})
			code, body := do(t, tt.method, s.URL+tt.path, tt.body)
			if code != tt.wantCode {
				t.Errorf("status %d (%s), want %d", code, body, tt.wantCode)
			}
			reported := strings.Join(rec.errs, "\n")
			switch {
			case tt.wantErr == "" && reported != "":
				t.Errorf("fake reported %q, want nothing", reported)
			case tt.wantErr != "" && !strings.Contains(reported, tt.wantErr):
				t.Errorf("fake reported %q, want %q", reported, tt.wantErr)
			}
		})
	}
}

// TestMergePullMovesBase: merging (as a person on github.com would, past
// protection) makes a merge commit and moves the base branch to it.
func TestMergePullMovesBase(t *testing.T) {
	s := New(t)
	s.AddRepo("o", "r", Permissions{Push: true, Pull: true})
	base := s.AddCommit("o", "r", "main", "init", map[string]string{"a": "1"})
	s.Protect("o", "r", "main", Protection{RequiredApprovingReviews: 1})
	s.SetBranch("o", "r", "rel", base)
	head := s.AddCommit("o", "r", "rel", "chore(release): 1.0.0", map[string]string{"a": "2"})
	code, body := do(t, "POST", s.URL+"repos/o/r/pulls", `{"title":"release","head":"o:rel","base":"main","body":"plan"}`)
	if code != 201 {
		t.Fatalf("create PR: %d %s", code, body)
	}
	// The protected base refuses a direct ref update.
	code, body = do(t, "PATCH", s.URL+"repos/o/r/git/refs/heads/main", `{"sha":"`+head+`"}`)
	if code != 422 || !strings.Contains(body, "Protected branch update failed") {
		t.Errorf("direct update of main: %d %s; want 422 protected", code, body)
	}
	sha := s.MergePull("o", "r", 1)
	if tip, _ := s.Ref("o", "r", "heads/main"); tip != sha {
		t.Errorf("main = %s, want the merge commit %s", tip, sha)
	}
	c, _ := s.GitCommit("o", "r", sha)
	if len(c.Parents) != 2 || c.Parents[0] != base || c.Parents[1] != head || s.Files("o", "r", sha)["a"] != "2" {
		t.Errorf("merge commit = %+v, files %v", c, s.Files("o", "r", sha))
	}
	prs := s.PullRequests("o", "r")
	if len(prs) != 1 || !prs[0].Merged || prs[0].State != "closed" || prs[0].MergeCommitSHA != sha {
		t.Errorf("PRs after merge = %+v", prs)
	}
}
