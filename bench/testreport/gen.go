//go:build ignore

// gen.go writes the synthetic `go test -json` stream of the `shipflow test`
// benchmark (internal/gotestgen, which BenchmarkReport in release/testreport
// reads too): a run of the module example.com/bench with about -n test
// cases, -fail of them failing.
//
//	go run bench/testreport/gen.go -n 10000 -fail 10000 > stream.json
package main

import (
	"bufio"
	"flag"
	"os"

	"github.com/shipflow/shipflow/internal/gotestgen"
)

func main() {
	tests := flag.Int("n", 10000, "test cases")
	failing := flag.Int("fail", 0, "failing test cases among them")
	flag.Parse()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	gotestgen.Write(w, *tests, *failing)
}
