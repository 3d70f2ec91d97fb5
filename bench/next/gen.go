//go:build ignore

// gen.go writes a `git fast-import` stream of a linear history for the
// `shipflow next` benchmark: a root commit tagged v1.0.0, then -n commits
// whose messages cycle through the real subjects of the shared corpus
// (release/version/testdata/corpus.jsonl.gz, rebuilt by its gen.go), with
// their breaking-change footers. The newest commit is on refs/heads/main.
//
//	go run bench/next/gen.go -n 100000 | git fast-import --quiet
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
)

func main() {
	n := flag.Int("n", 100000, "commits after the tag")
	corpus := flag.String("corpus", "release/version/testdata/corpus.jsonl.gz", "corpus to take subjects from")
	flag.Parse()

	f, err := os.Open(*corpus)
	if err != nil {
		log.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	var msgs []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var p struct {
			Commits []struct {
				Subject        string `json:"subject"`
				BreakingFooter bool   `json:"breaking_footer"`
				Merge          bool   `json:"merge"`
			} `json:"commits"`
		}
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			log.Fatal(err)
		}
		for _, c := range p.Commits {
			if c.Merge {
				continue
			}
			msg := c.Subject + "\n"
			if c.BreakingFooter {
				msg += "\nBREAKING CHANGE: see the original commit\n"
			}
			msgs = append(msgs, msg)
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}

	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	const who = "Bench <bench@example.com>"
	t := int64(1700000000)
	data := func(s string) { fmt.Fprintf(w, "data %d\n%s\n", len(s), s) }
	fmt.Fprintf(w, "commit refs/heads/main\nmark :1\ncommitter %s %d +0000\n", who, t)
	data("chore: init\n")
	fmt.Fprintf(w, "M 644 inline README\n")
	data("bench\n")
	fmt.Fprintf(w, "reset refs/tags/v1.0.0\nfrom :1\n\n")
	for i := 0; i < *n; i++ {
		t += 60
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter %s %d +0000\n", who, t)
		data(msgs[i%len(msgs)])
	}
}
