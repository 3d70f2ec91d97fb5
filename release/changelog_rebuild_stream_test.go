package release

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// rebuildBoth runs the streamed rebuild and the whole-history one on dir
// and fails when their documents or reports differ.
func rebuildBoth(t *testing.T, dir string, opts ChangelogOptions) *ChangelogReport {
	t.Helper()
	ctx := context.Background()
	repo, err := git.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC) }
	doc := []byte("# Changelog\n\n## 0.0.1 (2000-01-01)\n\nhand-written\n")
	streamRep := &ChangelogReport{Dropped: []string{}, Warnings: []string{}}
	streamed, err := notesRebuild(ctx, repo, opts, doc, changelog.DefaultMarker, now, nil, streamRep)
	if err != nil {
		t.Fatal(err)
	}
	_, prefix, err := opts.Plan.rules()
	if err != nil {
		t.Fatal(err)
	}
	tags, tagged, err := notesVersionTags(ctx, repo, prefix, "")
	if err != nil {
		t.Fatal(err)
	}
	wholeRep := &ChangelogReport{Dropped: []string{}, Warnings: []string{}}
	whole, err := notesRebuildWhole(ctx, repo, opts, doc, changelog.DefaultMarker, now, nil, wholeRep, tags, tagged)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(whole), string(streamed)); diff != "" {
		t.Errorf("streamed document differs from the whole-history one (-whole +streamed):\n%s", diff)
	}
	if diff := cmp.Diff(wholeRep, streamRep); diff != "" {
		t.Errorf("streamed report differs (-whole +streamed):\n%s", diff)
	}
	return streamRep
}

// rebuildStreams reports whether the stream answers for dir's history
// (false: the caller reads history whole).
func rebuildStreams(t *testing.T, dir string) bool {
	t.Helper()
	ctx := context.Background()
	repo, err := git.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	tags, _, err := notesVersionTags(ctx, repo, "v", "")
	if err != nil {
		t.Fatal(err)
	}
	ok, err := newRebuildStream(repo, tags, selectRules{}, nil, false).run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestRebuildStreamRendersAsItReads checks that a linear history's
// sections are selected and rendered while git log is read, so that the
// stream holds one section's commits, not history.
func TestRebuildStreamRendersAsItReads(t *testing.T) {
	r := gittest.New(t)
	for i := 1; i <= 5; i++ {
		r.Commit(fmt.Sprintf("feat: change %d (#%d)", i, i))
		r.Commit(fmt.Sprintf("fix: repair %d", i))
		r.Tag(fmt.Sprintf("v1.%d.0", i))
	}
	r.Commit("feat: unreleased")
	ctx := context.Background()
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tags, _, err := notesVersionTags(ctx, repo, "v", "")
	if err != nil {
		t.Fatal(err)
	}
	s := newRebuildStream(repo, tags, selectRules{}, nil, false)
	s.lag = 0 // no late children to wait for: close as soon as complete
	streamed, err := s.run(ctx)
	if err != nil || !streamed {
		t.Fatalf("run = %v, %v; want true, nil", streamed, err)
	}
	for k := int32(1); k <= 5; k++ {
		sec := s.sections[k]
		if sec == nil || !sec.rendered || sec.commits != nil {
			t.Fatalf("section of %s not rendered and freed by the end of the log: %+v", tags[k-1].name, sec)
		}
	}
	if s.sections[s.none] != nil {
		t.Errorf("the unreleased commits were kept without a version to write them under")
	}
	if len(s.pending) != 0 {
		t.Errorf("pending = %v, want none left", s.pending)
	}
	rep := rebuildBoth(t, r.Dir, ChangelogOptions{})
	if rep.Commits != 11 {
		t.Errorf("Commits = %d, want 11", rep.Commits)
	}
}

// TestRebuildStreamMatchesWhole builds histories whose log order is not
// a plain line: merges of branches older than the tag before them, tags
// HEAD does not reach, and clock skew that makes git log show a parent
// before one of its children, with and without a version to write.
func TestRebuildStreamMatchesWhole(t *testing.T) {
	// base: v1.0.0, then a branch that starts before v1.1.0 and is merged
	// after it; a tag on a branch HEAD never merges.
	base := func(t *testing.T) *gittest.Repo {
		r := gittest.New(t)
		r.Commit("feat: start")
		r.Tag("v1.0.0")
		r.Branch("topic")
		r.Commit("fix: on main (#4)")
		r.Tag("v1.1.0")
		r.Checkout("topic")
		r.Commit("feat: topic one (#5)")
		r.Commit("feat: topic two (#5)")
		r.Checkout("main")
		r.Merge("topic", "Merge pull request #5 from o/topic\n\nfeat: the topic")
		r.Branch("side")
		r.Checkout("side")
		r.Commit("fix: only on side")
		r.Tag("v1.1.1")
		r.Checkout("main")
		r.Commit("fix: after the merge")
		r.Tag("v1.2.0")
		r.Commit("feat: unreleased")
		return r
	}
	t.Run("merges", func(t *testing.T) {
		r := base(t)
		rebuildBoth(t, r.Dir, ChangelogOptions{})
		rebuildBoth(t, r.Dir, ChangelogOptions{Version: "1.3.0"})
		rebuildBoth(t, r.Dir, ChangelogOptions{Version: "1.2.0"})
	})
	// A late child whose owner is not lower than its parent's: the
	// sections stand. v1.0.1 is on a branch from v1.0.0 dated before
	// it, so git log shows v1.0.0 before it.
	t.Run("benign skew", func(t *testing.T) {
		r := gittest.New(t)
		r.Commit("feat: start")
		r.Tag("v1.0.0")
		later := r.Now
		r.Branch("old")
		r.Commit("fix: main")
		r.Checkout("old")
		r.Now = later.Add(-24 * time.Hour)
		r.Commit("fix: dated before its parent")
		r.Tag("v1.0.1")
		r.Now = later.Add(time.Hour)
		r.Checkout("main")
		r.Merge("old", "Merge branch 'old'")
		r.Tag("v1.1.0")
		if !rebuildStreams(t, r.Dir) {
			t.Error("the stream gave up on a late child that changes nothing")
		}
		rebuildBoth(t, r.Dir, ChangelogOptions{})
	})
	// A late child with a lower owner than its parent was given: the
	// parent (untagged) belongs to v1.0.1 on the skewed branch, not to
	// v1.1.0 that the stream met first.
	t.Run("harmful skew", func(t *testing.T) {
		r := gittest.New(t)
		r.Commit("feat: root")
		r.Tag("v0.9.0")
		r.Commit("fix: untagged parent")
		later := r.Now
		r.Branch("old")
		r.Commit("fix: main")
		r.Checkout("old")
		r.Now = later.Add(-24 * time.Hour)
		r.Commit("fix: dated before its parent")
		r.Tag("v1.0.1")
		r.Now = later.Add(time.Hour)
		r.Checkout("main")
		r.Merge("old", "Merge branch 'old'")
		r.Tag("v1.1.0")
		if !rebuildStreams(t, r.Dir) {
			t.Error("the stream gave up on a late child that moves its parent to its open section")
		}
		rep := rebuildBoth(t, r.Dir, ChangelogOptions{})
		if rep.Tag != "v1.1.0" || rep.PreviousTag != "v1.0.1" {
			t.Errorf("Tag, PreviousTag = %q, %q", rep.Tag, rep.PreviousTag)
		}
	})
	t.Run("shallow", func(t *testing.T) {
		r := base(t)
		c := r.Clone("--depth=3")
		if !rebuildStreams(t, c.Dir) {
			t.Error("the stream gave up on a shallow history, whose first commits show no parents")
		}
		rebuildBoth(t, c.Dir, ChangelogOptions{})
	})
}

// TestRebuildTagDates: a rebuild dates a section by its annotated tag's
// tagger date, in the tagger's zone, and a lightweight tag's section by
// its commit's committer date, as for-each-ref's %(creatordate) does,
// without reading them up front (rebuildVersionTags). A tag of a tag names
// the commit it peels to, as git (and next) peel it, with its own date;
// a tag of a tree names no commit of the log and gets no section.
func TestRebuildTagDates(t *testing.T) {
	r := gittest.New(t)
	r.Now = time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	first := r.Commit("feat: first")
	r.Tag("v1.0.0")
	r.Now = time.Date(2024, 2, 1, 23, 30, 0, 0, time.FixedZone("", -5*3600)) // Feb 2 in UTC
	r.Commit("fix: second")
	r.Now = time.Date(2024, 3, 5, 1, 0, 0, 0, time.FixedZone("", 13*3600)) // Mar 4 in UTC
	r.AnnotatedTag("v1.1.0", "Release v1.1.0")
	r.Now = time.Date(2024, 4, 1, 12, 0, 0, 0, time.UTC)
	r.Commit("feat: third")
	r.Git("tag", "-a", "-m", "a tag of a tag", "v1.2.0", "v1.1.0")
	r.Git("tag", "v0.9.0", first+"^{tree}")

	ctx := context.Background()
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	fast, _, err := rebuildVersionTags(ctx, repo, "v")
	if err != nil {
		t.Fatal(err)
	}
	slow, _, err := notesVersionTags(ctx, repo, "v", "")
	if err != nil {
		t.Fatal(err)
	}
	// Before the log, only the annotated tag has its date; the commits
	// are the same as for-each-ref's.
	for i, s := range slow {
		f := fast[i]
		if f.name != s.name || f.commit != s.commit {
			t.Errorf("tag %d = %s at %s, want %s at %s", i, f.name, f.commit, s.name, s.commit)
		}
		if f.light == (f.name == "v1.1.0" || f.name == "v1.2.0") {
			t.Errorf("%s: light = %v", f.name, f.light)
		}
		if !f.light && !f.date.Equal(s.date) {
			t.Errorf("%s: date %v, want %v", f.name, f.date, s.date)
		}
	}

	rep := rebuildBoth(t, r.Dir, ChangelogOptions{})
	doc, err := notesRebuild(ctx, repo, ChangelogOptions{}, []byte("# Changelog\n"), changelog.DefaultMarker,
		func() time.Time { return time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC) }, nil, &ChangelogReport{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## 1.2.0 (2024-04-01)\n\n## 1.1.0 (2024-03-05)", "1.0.0 (2024-01-01)"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("rebuilt changelog lacks %q:\n%s", want, doc)
		}
	}
	for _, absent := range []string{"0.9.0"} {
		if strings.Contains(string(doc), absent) {
			t.Errorf("rebuilt changelog has a section for %s, which names no commit of the log:\n%s", absent, doc)
		}
	}
	if rep.Version != "1.2.0" || rep.PreviousTag != "v1.1.0" {
		t.Errorf("report version %q after %q, want 1.2.0 after v1.1.0", rep.Version, rep.PreviousTag)
	}
}
