//go:build ignore

// gen.go rebuilds corpus.jsonl.gz from the shared next-version corpus
// (/work/shared/data/next-version-corpus.jsonl, documented in
// next-version-corpus.md beside it): the 1,205 pairs with a previous tag,
// keeping only the fields the corpus test replays.
//
//	go run ./release/version/testdata/gen.go [-in FILE] [-out FILE]
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"log"
	"os"
)

type commit struct {
	Hash           string  `json:"hash"`
	Subject        string  `json:"subject"`
	Merge          bool    `json:"merge"`
	BreakingFooter bool    `json:"breaking_footer"`
	Bang           bool    `json:"bang"`
	Reverts        *string `json:"reverts"`
}

type pair struct {
	Repo          string            `json:"repo"`
	PrevTag       *string           `json:"prev_tag"`
	NextTag       string            `json:"next_tag"`
	ActualBump    string            `json:"actual_bump"`
	PredictedBump map[string]string `json:"predicted_bump"`
	Commits       []commit          `json:"commits"`
}

// keep are the rule sets the test compares with.
var keep = []string{"plain_full", "plain_full_cancel_reverts", "plain_full_0x_breaking_minor"}

func main() {
	in := flag.String("in", "/work/shared/data/next-version-corpus.jsonl", "corpus to read")
	out := flag.String("out", "release/version/testdata/corpus.jsonl.gz", "file to write")
	flag.Parse()
	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	o, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(o, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	n := 0
	for sc.Scan() {
		var p pair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			log.Fatalf("line %d: %v", n+1, err)
		}
		if p.PrevTag == nil {
			continue
		}
		pb := map[string]string{}
		for _, k := range keep {
			pb[k] = p.PredictedBump[k]
		}
		p.PredictedBump = pb
		if err := enc.Encode(p); err != nil {
			log.Fatal(err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := o.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d pairs to %s", n, *out)
}
