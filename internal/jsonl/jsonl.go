// Package jsonl reads test data stored as gzipped JSON lines, such as the
// release-history corpus copied from shared/data into release/version's
// testdata.
package jsonl

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"testing"
)

// ReadGzip decodes every line of the gzipped JSON-lines file at path into a
// T, failing t with the line number when one does not decode.
func ReadGzip[T any](t testing.TB, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []T
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20) // one line holds a whole release's commits
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s:%d: %v", path, len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}
