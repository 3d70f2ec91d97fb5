package release

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/git"
)

// BenchmarkChangelogRebuild times `changelog --rebuild --dry-run` on the
// repository REPO names (a clone of a real history, or bench/history.sh's);
// TAG_PREFIX sets the tag prefix ("none" for none). Profile it with
// `REPO=... go test -run '^$' -bench ChangelogRebuild -cpuprofile cpu.out ./release/`.
func BenchmarkChangelogRebuild(b *testing.B) {
	dir := os.Getenv("REPO")
	if dir == "" {
		b.Skip("set REPO to a repository's path to benchmark the rebuild of its changelog")
	}
	ctx := context.Background()
	repo, err := git.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	opts := ChangelogOptions{Rebuild: true, DryRun: true, Now: func() time.Time { return time.Unix(1790000000, 0) }}
	if p := os.Getenv("TAG_PREFIX"); p != "" {
		opts.Plan.TagPrefix = &p
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Changelog(ctx, repo, opts); err != nil {
			b.Fatal(err)
		}
	}
}
