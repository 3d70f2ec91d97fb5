package version

import (
	"fmt"
	"testing"
)

// BenchmarkNext plans over 100,000 parsed commits (the corpus' real
// subjects, repeated) from a 1.x tag.
func BenchmarkNext(b *testing.B) {
	var all []Commit
	for _, p := range readCorpus(b) {
		all = append(all, p.messages()...)
	}
	in := Input{Prefix: "v", Branch: "main", Tags: []string{"v1.0.0"}, Reachable: []string{"v1.0.0"}}
	for len(in.Commits) < 100_000 {
		for _, c := range all {
			c.Hash = fmt.Sprintf("%040x", len(in.Commits))
			in.Commits = append(in.Commits, c)
			if len(in.Commits) == 100_000 {
				break
			}
		}
	}
	rules := DefaultRules()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Next(in, rules); err != nil {
			b.Fatal(err)
		}
	}
}
