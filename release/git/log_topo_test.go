package git_test

import (
	"context"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestLogTopoOrder checks that Log honours LogOptions.TopoOrder: with a
// commit dated before its parent (clock skew), the default order shows
// the parent first and --topo-order never does.
func TestLogTopoOrder(t *testing.T) {
	g := gittest.New(t)
	g.Commit("chore: root")
	parent := g.Commit("chore: parent")
	later := g.Now
	g.Branch("old")
	g.Commit("chore: main")
	g.Checkout("old")
	g.Now = later.Add(-24 * time.Hour)
	child := g.Commit("chore: dated before its parent")
	g.Now = later.Add(time.Hour)
	g.Checkout("main")
	g.Merge("old", "Merge branch 'old'")
	r := open(t, g.Dir)
	pos := func(topo bool) map[string]int {
		at := map[string]int{}
		for c, err := range r.Log(context.Background(), git.LogOptions{TopoOrder: topo}) {
			if err != nil {
				t.Fatal(err)
			}
			at[c.Hash] = len(at)
		}
		return at
	}
	if at := pos(false); at[parent] > at[child] {
		t.Fatalf("the default order shows the child first: the history has no skew to test with")
	}
	if at := pos(true); at[parent] < at[child] {
		t.Errorf("TopoOrder: parent at %d before its child at %d", at[parent], at[child])
	}
}

// TestLogNoDates checks that LogOptions.NoDates gives the same commits,
// parents, authors and messages as a full read, with zero dates.
func TestLogNoDates(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: one\n\nbody")
	g.Branch("side")
	g.Commit("fix: two")
	g.Checkout("side")
	g.Commit("docs: three")
	g.Checkout("main")
	g.Merge("side", "Merge branch 'side'")
	r := open(t, g.Dir)
	read := func(noDates bool) []*git.Commit {
		var cs []*git.Commit
		for c, err := range r.Log(context.Background(), git.LogOptions{NoDates: noDates}) {
			if err != nil {
				t.Fatal(err)
			}
			cs = append(cs, c)
		}
		return cs
	}
	full, bare := read(false), read(true)
	if len(full) != 4 || len(bare) != len(full) {
		t.Fatalf("read %d commits in full and %d without dates, want 4 each", len(full), len(bare))
	}
	for i, f := range full {
		b := bare[i]
		if f.AuthorDate.IsZero() || f.CommitterDate.IsZero() {
			t.Fatalf("full read of %s has a zero date", f.Hash)
		}
		if !b.AuthorDate.IsZero() || !b.CommitterDate.IsZero() {
			t.Errorf("NoDates read of %s has dates %v, %v", b.Hash, b.AuthorDate, b.CommitterDate)
		}
		f.AuthorDate, f.CommitterDate = time.Time{}, time.Time{}
		if f.Hash != b.Hash || f.Message != b.Message || f.AuthorName != b.AuthorName ||
			f.AuthorEmail != b.AuthorEmail || len(f.Parents) != len(b.Parents) {
			t.Errorf("commit %d differs: full %+v, without dates %+v", i, f, b)
		}
	}
}
