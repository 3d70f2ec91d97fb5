//go:build ignore

// gen.go writes a `git fast-import` stream of a synthetic monorepo history
// for bench/monorepo/run.sh: -pkgs packages under packages/pNN/, and -n
// commits on refs/heads/main, each touching 1–3 files in 1–2 packages with
// a conventional message scoped to its first package. The sequence is
// seeded, so the history (and its hashes) is the same on every run.
//
//	go run bench/monorepo/gen.go -n 100000 -pkgs 50 | git fast-import --quiet
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

func main() {
	n := flag.Int("n", 100000, "commits")
	pkgs := flag.Int("pkgs", 50, "packages")
	files := flag.Int("files", 20, "files per package")
	flag.Parse()

	rng := rand.New(rand.NewPCG(17, 42))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	const who = "Bench <bench@example.com>"
	t := int64(1700000000)
	data := func(s string) { fmt.Fprintf(w, "data %d\n%s\n", len(s), s) }
	kinds := []string{"feat", "fix", "chore", "docs", "refactor"}
	for i := 0; i < *n; i++ {
		t += 60
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter %s %d +0000\n", who, t)
		first := rng.IntN(*pkgs)
		touched := []int{first}
		if rng.IntN(4) == 0 {
			touched = append(touched, rng.IntN(*pkgs))
		}
		data(fmt.Sprintf("%s(p%02d): change %d\n", kinds[rng.IntN(len(kinds))], first, i))
		nfiles := 1 + rng.IntN(3)
		for f := 0; f < nfiles; f++ {
			p := touched[f%len(touched)]
			fmt.Fprintf(w, "M 644 inline packages/p%02d/src/f%02d.go\n", p, rng.IntN(*files))
			data(fmt.Sprintf("package p%02d // %d.%d\n", p, i, f))
		}
	}
}
