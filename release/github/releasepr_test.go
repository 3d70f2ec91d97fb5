package github_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// TestReleasePRCycle drives the client through what a release PR needs:
// a release commit made through the git data API on a branch, a pull
// request opened, labelled, updated when a new commit lands, found by its
// head branch, and merged.
func TestReleasePRCycle(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	base := f.AddCommit("o", "r", "main", "feat: first", map[string]string{
		"pyproject.toml": "[project]\nversion = \"0.1.0\"\n", "README.md": "hi\n",
	})

	rc, err := c.CreateCommitFromTree(ctx, "o", "r", base, []github.TreeFile{
		{Path: "pyproject.toml", Content: "[project]\nversion = \"0.2.0\"\n"},
		{Path: "CHANGELOG.md", Content: "## 0.2.0\n"},
	}, "chore(release): 0.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if !rc.Verified || rc.VerificationReason != "valid" || !cmp.Equal(rc.Parents, []string{base}) || len(rc.SHA) != 40 {
		t.Errorf("release commit = %+v; want verified, parent %s", rc, base)
	}
	wantFiles := map[string]string{"pyproject.toml": "[project]\nversion = \"0.2.0\"\n", "README.md": "hi\n", "CHANGELOG.md": "## 0.2.0\n"}
	if diff := cmp.Diff(wantFiles, f.Files("o", "r", rc.SHA)); diff != "" {
		t.Errorf("release commit's files (-want +got):\n%s", diff)
	}
	got, err := c.GetCommit(ctx, "o", "r", rc.SHA)
	if err != nil || got.Tree != rc.Tree || got.Message != "chore(release): 0.2.0" {
		t.Errorf("GetCommit = %+v, %v; want tree %s", got, err, rc.Tree)
	}

	const head = "shipflow/release-main"
	created, err := c.SetBranch(ctx, "o", "r", head, rc.SHA, true)
	if err != nil || !created {
		t.Fatalf("SetBranch (new) = %v, %v; want created", created, err)
	}
	if sha, ok, err := c.GetRef(ctx, "o", "r", "refs/heads/"+head); err != nil || !ok || sha != rc.SHA {
		t.Fatalf("GetRef = %s, %v, %v; want %s", sha, ok, err, rc.SHA)
	}
	if _, ok, err := c.GetRef(ctx, "o", "r", "heads/nope"); err != nil || ok {
		t.Errorf("GetRef of a missing branch = %v, %v; want false, nil", ok, err)
	}

	if pr, err := c.FindPullRequest(ctx, "o", "r", head, "open"); err != nil || pr != nil {
		t.Fatalf("FindPullRequest before opening = %v, %v; want nil, nil", pr, err)
	}
	pr, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "chore(release): 0.2.0", Body: "plan 1", Head: head, Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Number != 1 || pr.State != "open" || pr.HeadSHA != rc.SHA || pr.Base != "main" || pr.Head != head || !strings.HasSuffix(pr.HTMLURL, "/o/r/pull/1") {
		t.Errorf("created PR = %+v", pr)
	}
	if _, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "again", Head: head, Base: "main"}); !github.IsValidation(err) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second PR for the same head: err = %v; want a 422 saying it exists", err)
	}
	if err := c.AddLabels(ctx, "o", "r", pr.Number, "autorelease: pending"); err != nil {
		t.Fatal(err)
	}

	// A second feature commit lands: the release commit is remade on it
	// and the branch forced there; the PR follows and its body is updated.
	base2 := f.AddCommit("o", "r", "main", "fix: second", map[string]string{"app.py": "x\n"})
	rc2, err := c.CreateCommitFromTree(ctx, "o", "r", base2, []github.TreeFile{{Path: "pyproject.toml", Content: "[project]\nversion = \"0.2.0\"\n"}}, "chore(release): 0.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if created, err := c.SetBranch(ctx, "o", "r", head, rc2.SHA, true); err != nil || created {
		t.Fatalf("SetBranch (existing) = %v, %v", created, err)
	}
	if _, err := c.UpdatePullRequest(ctx, "o", "r", pr.Number, github.PullRequestUpdate{Body: ptr("plan 2")}); err != nil {
		t.Fatal(err)
	}
	found, err := c.FindPullRequest(ctx, "o", "r", head, "open")
	if err != nil || found == nil {
		t.Fatalf("FindPullRequest = %v, %v", found, err)
	}
	if found.Number != pr.Number || found.Body != "plan 2" || found.HeadSHA != rc2.SHA || !cmp.Equal(found.Labels, []string{"autorelease: pending"}) {
		t.Errorf("found PR = %+v; want #1, body plan 2, head %s, labelled", found, rc2.SHA)
	}

	// A stale head sha is refused; the right one merges.
	if _, err := c.MergePullRequest(ctx, "o", "r", pr.Number, github.MergeOptions{SHA: rc.SHA}); err == nil || !strings.Contains(err.Error(), "409") {
		t.Errorf("merge with a stale sha: err = %v; want 409", err)
	}
	mergeSHA, err := c.MergePullRequest(ctx, "o", "r", pr.Number, github.MergeOptions{SHA: rc2.SHA})
	if err != nil {
		t.Fatal(err)
	}
	if tip, _ := f.Ref("o", "r", "heads/main"); tip != mergeSHA {
		t.Errorf("main after merge = %s; want the merge commit %s", tip, mergeSHA)
	}
	mc, _ := f.GitCommit("o", "r", mergeSHA)
	if !cmp.Equal(mc.Parents, []string{base2, rc2.SHA}) {
		t.Errorf("merge commit parents = %v; want [%s %s]", mc.Parents, base2, rc2.SHA)
	}
	merged, err := c.GetPullRequest(ctx, "o", "r", pr.Number)
	if err != nil || !merged.Merged || merged.State != "closed" || merged.MergeCommitSHA != mergeSHA {
		t.Errorf("merged PR = %+v, %v; want merged into %s", merged, err, mergeSHA)
	}
	if open, err := c.FindPullRequest(ctx, "o", "r", head, ""); err != nil || open != nil {
		t.Errorf("open PR after merge = %v, %v; want none", open, err)
	}
	if closed, err := c.FindPullRequest(ctx, "o", "r", head, "closed"); err != nil || closed == nil || !closed.Merged {
		t.Errorf("closed PR after merge = %+v, %v; want the merged one", closed, err)
	}
	if _, err := c.MergePullRequest(ctx, "o", "r", pr.Number, github.MergeOptions{}); err == nil || !strings.Contains(err.Error(), "405") {
		t.Errorf("merging twice: err = %v; want 405", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestClosePullRequestAndFilters(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	f.AddCommit("o", "r", "main", "init", map[string]string{"a": "1"})
	f.AddCommit("o", "r", "x", "x", map[string]string{"b": "2"})
	f.AddCommit("o", "r", "y", "y", map[string]string{"c": "3"})
	for _, h := range []string{"x", "y"} {
		if _, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: h, Head: h, Base: "main"}); err != nil {
			t.Fatal(err)
		}
	}
	closed, err := c.ClosePullRequest(ctx, "o", "r", 1)
	if err != nil || closed.State != "closed" || closed.Merged {
		t.Fatalf("ClosePullRequest = %+v, %v", closed, err)
	}
	all, err := c.ListPullRequests(ctx, "o", "r", github.PullRequestFilter{State: "all", Base: "main"})
	if err != nil || len(all) != 2 || all[0].Number != 2 {
		t.Errorf("all PRs = %+v, %v; want #2 then #1", all, err)
	}
	open, err := c.ListPullRequests(ctx, "o", "r", github.PullRequestFilter{})
	if err != nil || len(open) != 1 || open[0].Head != "y" {
		t.Errorf("open PRs = %+v, %v; want only y", open, err)
	}
	if _, err := c.CreatePullRequest(ctx, "o", "r", github.NewPullRequest{Title: "t", Head: "missing", Base: "main"}); !github.IsValidation(err) {
		t.Errorf("PR from a missing branch: err = %v; want 422", err)
	}
}

func TestUpdateRefRefusedOnProtectedBranch(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	base := f.AddCommit("o", "r", "main", "init", map[string]string{"a": "1"})
	next, err := c.CreateCommitFromTree(ctx, "o", "r", base, []github.TreeFile{{Path: "a", Content: "2"}}, "chore(release): 1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	f.Protect("o", "r", "main", githubfake.Protection{RequiredApprovingReviews: 1})
	if err := c.UpdateRef(ctx, "o", "r", "heads/main", next.SHA, false); !github.IsValidation(err) || !strings.Contains(err.Error(), "Protected branch update failed") {
		t.Errorf("UpdateRef on protected main: err = %v; want 422 protected", err)
	}
	if tip, _ := f.Ref("o", "r", "heads/main"); tip != base {
		t.Errorf("main moved to %s", tip)
	}
	// Unprotected branches move forward only, unless forced.
	f.AddCommit("o", "r", "dev", "d", map[string]string{"d": "1"})
	if err := c.UpdateRef(ctx, "o", "r", "heads/dev", next.SHA, false); !github.IsValidation(err) || !strings.Contains(err.Error(), "fast forward") {
		t.Errorf("non-fast-forward UpdateRef: err = %v; want 422", err)
	}
	if err := c.UpdateRef(ctx, "o", "r", "heads/dev", next.SHA, true); err != nil {
		t.Errorf("forced UpdateRef: %v", err)
	}
	if err := c.CreateRef(ctx, "o", "r", "refs/tags/v1.0.0", next.SHA); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateRef(ctx, "o", "r", "tags/v1.0.0", next.SHA); !github.IsValidation(err) {
		t.Errorf("creating an existing ref: err = %v; want 422", err)
	}
}

func TestBranchProtected(t *testing.T) {
	ctx := context.Background()
	admin := githubfake.Permissions{Admin: true, Push: true, Pull: true}
	tests := []struct {
		name       string
		perms      githubfake.Permissions
		protection *githubfake.Protection
		rules      []githubfake.Rule
		want       bool
		wantReason string
		wantForbid bool
	}{
		{name: "unprotected", perms: admin},
		{name: "protection without push rules", perms: admin, protection: &githubfake.Protection{}},
		{name: "required reviews", perms: admin, protection: &githubfake.Protection{RequiredApprovingReviews: 1}, want: true, wantReason: "requires pull request reviews"},
		{name: "required checks", perms: admin, protection: &githubfake.Protection{RequiredStatusChecks: []string{"ci"}}, want: true, wantReason: "requires status checks"},
		{name: "ruleset pull request", perms: admin, rules: []githubfake.Rule{{Type: "pull_request"}}, want: true, wantReason: "a ruleset requires a pull request"},
		{name: "ruleset that allows pushes", perms: admin, rules: []githubfake.Rule{{Type: "non_fast_forward"}, {Type: "deletion"}}},
		{name: "ruleset read without admin", perms: githubfake.Permissions{Push: true}, rules: []githubfake.Rule{{Type: "pull_request"}}, want: true, wantReason: "ruleset"},
		{name: "classic protection unreadable", perms: githubfake.Permissions{Push: true}, protection: &githubfake.Protection{RequiredApprovingReviews: 1}, wantForbid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.SetPermissions("o", "r", tt.perms)
			c := newClient(t, f, &sleeper{})
			if tt.protection != nil {
				f.Protect("o", "r", "main", *tt.protection)
			}
			for _, r := range tt.rules {
				f.AddRule("o", "r", "main", r)
			}
			got, reason, err := c.BranchProtected(ctx, "o", "r", "main")
			if tt.wantForbid {
				if !github.IsForbidden(err) || got {
					t.Errorf("BranchProtected = %v, %q, %v; want false and a 403", got, reason, err)
				}
				return
			}
			if err != nil || got != tt.want || !strings.Contains(reason, tt.wantReason) || (!tt.want && reason != "") {
				t.Errorf("BranchProtected = %v, %q, %v; want %v, reason containing %q", got, reason, err, tt.want, tt.wantReason)
			}
		})
	}
}

func TestReleaseAssets(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	rel, err := c.CreateRelease(ctx, "o", "r", github.NewRelease{Tag: "v1.0.0", Draft: true, Prerelease: true, MakeLatest: "false"})
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("binary\x00data")
	a, err := c.UploadReleaseAsset(ctx, "o", "r", rel.ID, "app linux.tar.gz", bytes.NewReader(data), int64(len(data)), "application/gzip")
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "app linux.tar.gz" || a.Size != int64(len(data)) || a.State != "uploaded" || a.ContentType != "application/gzip" {
		t.Errorf("uploaded asset = %+v", a)
	}
	// A plain io.Reader (not re-readable) uploads too; the content type defaults.
	sums := "abc  app\n"
	if _, err := c.UploadReleaseAsset(ctx, "o", "r", rel.ID, "checksums.txt", strings.NewReader(sums), int64(len(sums)), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UploadReleaseAsset(ctx, "o", "r", rel.ID, "checksums.txt", strings.NewReader(sums), int64(len(sums)), ""); !github.IsValidation(err) {
		t.Errorf("uploading a name twice: err = %v; want 422", err)
	}
	stored := f.Assets("o", "r", rel.ID)
	if len(stored) != 2 || !bytes.Equal(stored[0].Data, data) || stored[1].ContentType != "application/octet-stream" {
		t.Errorf("stored assets = %+v", stored)
	}
	list, err := c.ListReleaseAssets(ctx, "o", "r", rel.ID)
	if err != nil || len(list) != 2 || list[0].ID != a.ID || list[1].Name != "checksums.txt" {
		t.Fatalf("ListReleaseAssets = %+v, %v", list, err)
	}
	if err := c.DeleteReleaseAsset(ctx, "o", "r", a.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := c.ListReleaseAssets(ctx, "o", "r", rel.ID); len(list) != 1 {
		t.Errorf("assets after delete = %+v; want 1", list)
	}
	if err := c.DeleteReleaseAsset(ctx, "o", "r", a.ID); !github.IsNotFound(err) {
		t.Errorf("deleting twice: err = %v; want 404", err)
	}
	rels := f.Releases("o", "r")
	if len(rels) != 1 || !rels[0].Prerelease || rels[0].MakeLatest != "false" || !rels[0].Draft {
		t.Errorf("release = %+v; want a draft prerelease with make_latest false", rels)
	}
	for _, call := range f.Calls() {
		if call.Operation == "POST /repos/{owner}/{repo}/releases/{release_id}/assets" && call.Authorization != "Bearer "+token {
			t.Errorf("upload went without the token")
		}
	}
}

// TestMaintenanceReleaseNotLatest: a hotfix on an old line published with
// make_latest false leaves the newer release "Latest"; a prerelease never
// becomes it.
func TestMaintenanceReleaseNotLatest(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	v2, err := c.CreateRelease(ctx, "o", "r", github.NewRelease{Tag: "v2.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateRelease(ctx, "o", "r", github.NewRelease{Tag: "v2.1.0-dev.1", Prerelease: true}); err != nil {
		t.Fatal(err)
	}
	hotfix, err := c.CreateRelease(ctx, "o", "r", github.NewRelease{Tag: "v1.4.1", Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := c.SetReleaseFlags(ctx, "o", "r", hotfix.ID, github.ReleaseFlags{Draft: ptr(false), MakeLatest: "false"})
	if err != nil || pub.Draft {
		t.Fatalf("SetReleaseFlags = %+v, %v; want published", pub, err)
	}
	if latest, ok := f.Latest("o", "r"); !ok || latest.ID != v2.ID {
		t.Errorf("latest = %+v, %v; want v2.0.0", latest, ok)
	}
	if _, err := c.SetReleaseFlags(ctx, "o", "r", hotfix.ID, github.ReleaseFlags{MakeLatest: "true"}); err != nil {
		t.Fatal(err)
	}
	if latest, _ := f.Latest("o", "r"); latest.ID != hotfix.ID {
		t.Errorf("latest after make_latest true = %s; want v1.4.1", latest.TagName)
	}
}

func TestCreateTreeRefusesPathsOutsideTheWorkTree(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	for _, p := range []string{"", "/etc/passwd", "../x", "a/../../x", ".git/config", "sub/.GIT/hooks/pre-commit", "a//b", `a\b`} {
		t.Run(p, func(t *testing.T) {
			if _, err := c.CreateTree(ctx, "o", "r", "", []github.TreeFile{{Path: p, Content: "x"}}); err == nil {
				t.Errorf("CreateTree(%q) succeeded; want refused", p)
			}
		})
	}
	if len(f.Calls()) != 0 {
		t.Errorf("%d calls reached GitHub; want none", len(f.Calls()))
	}
}
