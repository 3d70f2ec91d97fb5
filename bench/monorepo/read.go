//go:build ignore

// read.go is the shipflow side of bench/monorepo/run.sh: one LogPaths
// stream over the whole history of -C, each commit assigned to its
// packages (packages/pNN, scope pNN) by a monorepo.Matcher, as the
// per-package plan will. It prints the commit count of each package, and its own peak RSS
// on stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"syscall"

	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/monorepo"
)

func main() {
	dir := flag.String("C", ".", "repository")
	npkgs := flag.Int("pkgs", 50, "packages packages/p00 … of the synthetic history")
	dirs := flag.String("dirs", "", "comma-separated package directories of a real history, in place of -pkgs")
	firstParent := flag.Bool("first-parent", false, "follow only first parents")
	flag.Parse()
	ctx := context.Background()
	r, err := git.Open(ctx, *dir)
	if err != nil {
		log.Fatal(err)
	}
	pkgs := make([]monorepo.Package, *npkgs)
	for i := range pkgs {
		name := fmt.Sprintf("p%02d", i)
		pkgs[i] = monorepo.Package{Name: name, Paths: []string{"packages/" + name}}
	}
	if *dirs != "" {
		pkgs = pkgs[:0]
		for _, d := range strings.Split(*dirs, ",") {
			pkgs = append(pkgs, monorepo.Package{Name: d, Paths: []string{d}, Scopes: []string{}})
		}
	}
	m, err := monorepo.NewMatcher(pkgs)
	if err != nil {
		log.Fatal(err)
	}
	counts := make([]int, len(pkgs))
	commits := 0
	for c, err := range r.LogPaths(ctx, git.LogOptions{FirstParent: *firstParent}) {
		if err != nil {
			log.Fatal(err)
		}
		commits++
		for _, o := range m.Owners(c.Paths, scope(c.Message)) {
			counts[o]++
		}
	}
	fmt.Printf("%d commits;", commits)
	for i, n := range counts {
		fmt.Printf(" %s=%d", pkgs[i].Name, n)
	}
	fmt.Println()
	// The Go process's own peak, without git's: what must stay flat.
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		fmt.Fprintf(os.Stderr, "self peak RSS: %d KiB\n", ru.Maxrss)
	}
}

// scope returns the scope of a conventional subject, "" without one.
func scope(msg string) string {
	subject, _, _ := strings.Cut(msg, "\n")
	_, rest, ok := strings.Cut(subject, "(")
	if !ok {
		return ""
	}
	s, _, ok := strings.Cut(rest, ")")
	if !ok {
		return ""
	}
	return s
}
