package release

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
)

// BenchmarkPlanPackages plans every package of a monorepo history: REPO is
// a clone (bench/monorepo/run.sh builds one: packages/pNN, PKGS of them,
// default 50). Compare with the floor bench/monorepo/run.sh prints.
func BenchmarkPlanPackages(b *testing.B) {
	dir := os.Getenv("REPO")
	if dir == "" {
		b.Skip("set REPO to a monorepo history (bench/monorepo/run.sh makes one) to run this benchmark")
	}
	n, _ := strconv.Atoi(os.Getenv("PKGS"))
	if n == 0 {
		n = 50
	}
	var cfg strings.Builder
	cfg.WriteString("packages:\n")
	for i := range n {
		fmt.Fprintf(&cfg, "  - name: p%02d\n    path: packages/p%02d\n", i, i)
	}
	c, err := config.Parse(config.FileName, []byte(cfg.String()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	repo, err := git.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := PlanPackages(ctx, repo, PlanOptions{}, c.Packages, nil, false)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Packages) != n {
			b.Fatalf("%d plans, want %d", len(rep.Packages), n)
		}
	}
}
