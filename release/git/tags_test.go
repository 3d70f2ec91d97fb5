package git_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// tagKinds makes one tag of each kind: lightweight and annotated tags of
// commits, a tag of a tree, a tag of a tag, and tags packed into
// packed-refs (where git records what they peel to) next to loose ones.
func tagKinds(t *testing.T) (r *gittest.Repo, first, second string) {
	t.Helper()
	r = gittest.New(t)
	first = r.Commit("feat: a")
	r.Tag("v1.0.0")
	r.AnnotatedTag("v1.1.0", "Release v1.1.0")
	r.Git("pack-refs", "--all")
	second = r.Commit("fix: b")
	r.AnnotatedTag("v1.1.1", "Release v1.1.1")
	r.Tag("light")
	r.Git("tag", "tree", second+"^{tree}")
	r.Git("tag", "-a", "-m", "a tag of a tag", "nested", "v1.1.1")
	r.Git("tag", "api/v1.0.0", first)
	return r, first, second
}

func TestListTags(t *testing.T) {
	r, first, second := tagKinds(t)
	ctx := context.Background()
	tags, err := open(t, r.Dir).ListTags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	obj := func(name string) string { return r.Git("rev-parse", "refs/tags/"+name) }
	want := []git.TagRef{
		{Name: "api/v1.0.0", Object: first},
		{Name: "light", Object: second},
		{Name: "nested", Object: obj("nested"), Peeled: second},
		{Name: "tree", Object: r.Git("rev-parse", second+"^{tree}")},
		{Name: "v1.0.0", Object: first},
		{Name: "v1.1.0", Object: obj("v1.1.0"), Peeled: first},
		{Name: "v1.1.1", Object: obj("v1.1.1"), Peeled: second},
	}
	if diff := cmp.Diff(want, tags); diff != "" {
		t.Errorf("ListTags (-want +got):\n%s", diff)
	}
	if got := tags[5].Target(); got != first {
		t.Errorf("Target of v1.1.0 = %s, want its commit %s", got, first)
	}

	none, err := open(t, gittest.New(t).Dir).ListTags(ctx)
	if err != nil || none != nil {
		t.Errorf("ListTags without tags = %v, %v; want none and no error", none, err)
	}

	// ListTagsEach hands over each tag's name once (a peeled line is no
	// tag) and returns what ListTags does.
	var names []string
	each, err := open(t, r.Dir).ListTagsEach(ctx, func(name string) { names = append(names, name) })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, each); diff != "" {
		t.Errorf("ListTagsEach (-want +got):\n%s", diff)
	}
	var wantNames []string
	for _, t := range want {
		wantNames = append(wantNames, t.Name)
	}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("ListTagsEach's names (-want +got):\n%s", diff)
	}
}

// TestTagCommits: a tag's commit peeled through every level of tag, as
// git peels it (`rev-parse TAG^{commit}`), "" for a tag of a tree; for all
// tags or a few.
func TestTagCommits(t *testing.T) {
	r, first, second := tagKinds(t)
	repo := open(t, r.Dir)
	ctx := context.Background()
	refs, err := repo.ListTags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{
		"api/v1.0.0": first, "light": second, "nested": second, "tree": "",
		"v1.0.0": first, "v1.1.0": first, "v1.1.1": second,
	}
	got, err := repo.TagCommits(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(all, got); diff != "" {
		t.Errorf("TagCommits(all) (-want +got):\n%s", diff)
	}
	// As git peels them.
	peeled := map[string]string{}
	for _, ref := range refs {
		c, err := r.TryGit("rev-parse", "--verify", "--quiet", "refs/tags/"+ref.Name+"^{commit}")
		if err != nil {
			c = ""
		}
		peeled[ref.Name] = c
	}
	if diff := cmp.Diff(peeled, got); diff != "" {
		t.Errorf("TagCommits differs from rev-parse TAG^{commit} (-git +TagCommits):\n%s", diff)
	}
	some := []git.TagRef{refs[2], refs[5]} // nested, v1.1.0
	got, err = repo.TagCommits(ctx, some)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"v1.1.0": first, "nested": second}, got); diff != "" {
		t.Errorf("TagCommits(some) (-want +got):\n%s", diff)
	}
	if got, err := repo.TagCommits(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("TagCommits(none) = %v, %v; want nothing and no git run", got, err)
	}
}

func TestReached(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit("feat: a")
	r.Branch("side")
	side := r.Commit("fix: side")
	r.Checkout("main")
	b := r.Commit("fix: b")
	got, err := open(t, r.Dir).Reached(context.Background(), b, []string{a, side, b, "0000000000000000000000000000000000000000"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{a: true, b: true}, got); diff != "" {
		t.Errorf("Reached (-want +got):\n%s", diff)
	}
	if _, err := open(t, r.Dir).Reached(context.Background(), "--all", []string{a}); err == nil {
		t.Errorf("Reached(--all) = nil error, want a refused revision")
	}
}

// TestReadTagObjects: an annotated tag's object one level down (a tag of
// a tag names the inner tag), its type and the tagger's date in the
// tagger's zone; an oid that is no tag object, or names nothing, reads as
// a zero TagObject.
func TestReadTagObjects(t *testing.T) {
	r, first, second := tagKinds(t)
	r.Now = time.Date(2024, 3, 5, 1, 2, 3, 0, time.FixedZone("", -(9*3600+30*60)))
	r.AnnotatedTag("zoned", "a tag in -09:30")
	obj := func(name string) string { return r.Git("rev-parse", "refs/tags/"+name) }
	repo := open(t, r.Dir)
	got, err := repo.ReadTagObjects(context.Background(), []string{
		obj("v1.1.0"), obj("nested"), obj("zoned"), first, "0000000000000000000000000000000000000000",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("ReadTagObjects returned %d answers, want 5", len(got))
	}
	if got[0].Object != first || got[0].Type != "commit" {
		t.Errorf("v1.1.0 = %+v, want commit %s", got[0], first)
	}
	if got[1].Object != obj("v1.1.1") || got[1].Type != "tag" {
		t.Errorf("nested = %+v, want the tag v1.1.1 (%s)", got[1], obj("v1.1.1"))
	}
	if got[2].Object != second {
		t.Errorf("zoned names %s, want %s", got[2].Object, second)
	}
	want := r.Git("for-each-ref", "--format=%(creatordate:iso-strict)", "refs/tags/zoned")
	if s := got[2].Date.Format(time.RFC3339); s != want {
		t.Errorf("zoned's date = %s, want %s as git prints it", s, want)
	}
	if got[3] != (git.TagObject{}) || got[4] != (git.TagObject{}) {
		t.Errorf("a commit and a missing oid read as %+v and %+v, want zero TagObjects", got[3], got[4])
	}
}

// TestReadObjects: contents in the order asked, nil for a name that names
// nothing (a path with a space included), and no name with a line break.
func TestReadObjects(t *testing.T) {
	r := gittest.New(t)
	r.CommitFile("dir/a file.txt", "one\ntwo\n", "feat: a")
	repo := open(t, r.Dir)
	ctx := context.Background()
	got, err := repo.ReadObjects(ctx, []string{"HEAD:dir/a file.txt", "HEAD:no such file", "HEAD:dir/a file.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]byte{[]byte("one\ntwo\n"), nil, []byte("one\ntwo\n")}, got); diff != "" {
		t.Errorf("ReadObjects (-want +got):\n%s", diff)
	}
	if _, err := repo.ReadObjects(ctx, []string{"HEAD\nHEAD"}); err == nil {
		t.Error("ReadObjects of a name with a line break = nil error, want one")
	}
}
