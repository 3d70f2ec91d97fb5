package release

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/shipflow/shipflow/release/git"
)

// BenchmarkPlanRealHistory plans the clone at $REPO as `shipflow next`
// does (Plan, then the JSON rendering), for profiling on real histories:
//
//	REPO=/path/to/clone [TAG_PREFIX=none] go test ./release/ -run '^$' \
//	    -bench PlanRealHistory -benchtime 3x -cpuprofile /tmp/plan.prof
//
// TAG_PREFIX, when set, is --tag-prefix. It is skipped without REPO: the
// histories worth measuring are public clones too large for the tests.
func BenchmarkPlanRealHistory(b *testing.B) {
	dir := os.Getenv("REPO")
	if dir == "" {
		b.Skip("set REPO to a clone's path to plan its history (and TAG_PREFIX for --tag-prefix)")
	}
	ctx := context.Background()
	repo, err := git.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	var opts PlanOptions
	if p, ok := os.LookupEnv("TAG_PREFIX"); ok {
		opts.TagPrefix = &p
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Plan(ctx, repo, opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := rep.WriteJSON(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
