package release

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git"
)

// Benchmarks of `shipflow secrets`, each paired with its floor: the same
// git process with its output thrown away. Run them interleaved, a few
// rounds, on a quiet machine:
//
//	go test ./release -run '^$' -bench 'ScanSecrets' -count 3 -benchtime 5x
//
// BenchmarkScanSecretsRange reads SHIPFLOW_BENCH_REPO (default
// /tmp/bench-repos/renovate) and skips when it is missing; it only reads.

// BenchmarkScanSecretsStaged is the pre-commit hook's work on a typical
// change: three files staged, 150 lines added, one of them a config.
func BenchmarkScanSecretsStaged(b *testing.B) {
	dir := b.TempDir()
	secretsGit(b, dir, "init", "-q", "-b", "main")
	for i := range 3 {
		var s strings.Builder
		for j := range 50 {
			fmt.Fprintf(&s, "func f%d_%d(x int) int { return x*%d + %d } // handler line\n", i, j, j, i)
		}
		if err := os.WriteFile(fmt.Sprintf("%s/file%d.go", dir, i), []byte(s.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(dir+"/config.yaml", []byte("region: eu-west-1\ntimeout: 30s\napi_url: https://api.example.com\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	secretsGit(b, dir, "add", ".")
	repo, err := git.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("floor=git-diff", func(b *testing.B) {
		for b.Loop() {
			benchStream(b, repo, "diff", "--cached", "-p", "-U0")
		}
	})
	b.Run("shipflow", func(b *testing.B) {
		for b.Loop() {
			rep, err := ScanSecrets(context.Background(), repo, SecretsOptions{Staged: true})
			if err != nil || len(rep.Findings) != 0 {
				b.Fatal(err, rep)
			}
		}
	})
}

// BenchmarkScanSecretsRange scans the diff of a 1,000-commit range: one
// `git log -p` stream.
func BenchmarkScanSecretsRange(b *testing.B) {
	dir := cmpOr(os.Getenv("SHIPFLOW_BENCH_REPO"), "/tmp/bench-repos/renovate")
	if _, err := os.Stat(dir + "/.git"); err != nil {
		b.Skipf("no repository at %s (set SHIPFLOW_BENCH_REPO)", dir)
	}
	repo, err := git.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	from, err := repo.ResolveCommit(context.Background(), "HEAD~1000")
	if err != nil {
		b.Skip(err)
	}
	b.Run("floor=git-log-p", func(b *testing.B) {
		for b.Loop() {
			benchStream(b, repo, "log", "-p", "-U0", "--no-color", from+"..HEAD")
		}
	})
	b.Run("shipflow", func(b *testing.B) {
		for b.Loop() {
			if _, err := ScanSecrets(context.Background(), repo, SecretsOptions{From: from}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchStream(b *testing.B, repo *git.Repo, args ...string) {
	b.Helper()
	if err := repo.Stream(context.Background(), func(r io.Reader) error {
		_, err := io.Copy(io.Discard, r)
		return err
	}, args...); err != nil {
		b.Fatal(err)
	}
}
