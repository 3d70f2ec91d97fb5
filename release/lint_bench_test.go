package release_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// BenchmarkLintRealHistory lints a range of the clone at $REPO as `shipflow
// lint --from FROM` does (git log, lint, the text or json rendering), for
// profiling on real histories:
//
//	REPO=/path/to/clone FROM=HEAD~10000 [FORMAT=json] go test ./release/ \
//	    -run '^$' -bench LintRealHistory -benchtime 3x -cpuprofile /tmp/lint.prof
//
// FROM defaults to HEAD~10000, FORMAT to text. It is skipped without REPO:
// the histories worth measuring are public clones too large for the tests.
func BenchmarkLintRealHistory(b *testing.B) {
	dir := os.Getenv("REPO")
	if dir == "" {
		b.Skip("set REPO to a clone's path (and FROM, default HEAD~10000; FORMAT text or json) to lint its history")
	}
	from := os.Getenv("FROM")
	if from == "" {
		from = "HEAD~10000"
	}
	ctx := context.Background()
	repo, err := git.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg := commitlint.ConventionalConfig()
	b.ReportAllocs()
	for b.Loop() {
		out := bufio.NewWriterSize(io.Discard, 64<<10)
		w := report.Writer(report.NewText(out))
		if os.Getenv("FORMAT") == "json" {
			w = report.NewJSON(out)
		}
		w.Begin(report.Run{Range: true})
		rep, err := release.LintRange(ctx, repo, release.LintRangeOptions{From: from, Config: cfg, OnCommit: func(cl release.CommitLint) {
			w.Write(report.LintEntry(report.SourceCommit, cl.Commit.Hash, "", cl.Result))
		}})
		if err != nil {
			b.Fatal(err)
		}
		w.End(report.Summary{Range: rep.Range, Count: rep.Count, Bad: rep.BadCount, Errors: rep.Errors, Warnings: rep.Warnings}, nil)
		out.Flush()
	}
}
