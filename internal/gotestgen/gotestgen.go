// Package gotestgen writes synthetic `go test -json` streams for the
// benchmarks of `shipflow test`: the package benchmark in release/testreport
// and the whole-CLI one in bench/testreport share one generator, so they
// measure the same shapes.
package gotestgen

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// Stream returns the stream that Write writes.
func Stream(tests, failing int) []byte {
	var b bytes.Buffer
	Write(&b, tests, failing)
	return b.Bytes()
}

// Write writes the `go test -json` stream of a run of the module
// example.com/bench with about tests test cases, failing of them failing,
// in packages of 1,000 tests. The tests come in the shapes that real runs
// have, in turn: a test that logs its failure ("x_test.go:N: got 1"), a
// table test whose one subtest fails (the parent fails without a message of
// its own), a test that fails with t.Fail() and no message, and every
// fourth package runs its tests in parallel (all start before any ends).
func Write(w io.Writer, tests, failing int) {
	ev := func(format string, a ...any) {
		fmt.Fprintf(w, format, a...)
		fmt.Fprintln(w)
	}
	output := func(pkg, test, out string) {
		ev(`{"Action":"output","Package":%q,"Test":%q,"Output":%q}`, pkg, test, out)
	}
	const perPkg = 1000
	cases, failed := 0, 0
	for p := 0; cases < tests; p++ {
		pkg := fmt.Sprintf("example.com/bench/p%d", p)
		parallel := p%4 == 3
		ev(`{"Action":"start","Package":%q}`, pkg)
		type test struct {
			name string
			fail bool
		}
		var ts []test
		for i := 0; i < perPkg && cases < tests; i++ {
			name := fmt.Sprintf("TestCase%d", i)
			fail := failed < failing
			ts = append(ts, test{name, fail})
			if fail {
				failed++
			}
			cases++
			if i%3 == 1 {
				cases++ // the subtest
				if fail && failed < failing {
					failed++
				}
			}
		}
		start := func(name string) {
			ev(`{"Action":"run","Package":%q,"Test":%q}`, pkg, name)
			output(pkg, name, "=== RUN   "+name+"\n")
		}
		if parallel {
			for _, t := range ts {
				start(t.name)
				output(pkg, t.name, "=== PAUSE "+t.name+"\n")
			}
		}
		pkgFailed := false
		for i, t := range ts {
			if parallel {
				output(pkg, t.name, "=== CONT  "+t.name+"\n")
			} else {
				start(t.name)
			}
			result, word := "pass", "PASS"
			if t.fail {
				result, word, pkgFailed = "fail", "FAIL", true
			}
			switch i % 3 {
			case 0:
				if t.fail {
					output(pkg, t.name, fmt.Sprintf("    x_test.go:%d: got %d, want %d\n", i+10, i, i+1))
				}
			case 1:
				sub := t.name + "/case_" + strconv.Itoa(i)
				start(sub)
				if t.fail {
					output(pkg, sub, fmt.Sprintf("    table_test.go:%d: case %d: got %q\n", i+20, i, "x"))
					output(pkg, sub, "        more detail on a continuation line\n")
				}
				output(pkg, sub, fmt.Sprintf("    --- %s: %s (0.00s)\n", word, sub))
				ev(`{"Action":%q,"Package":%q,"Test":%q,"Elapsed":0.001}`, result, pkg, sub)
			}
			output(pkg, t.name, fmt.Sprintf("--- %s: %s (0.00s)\n", word, t.name))
			ev(`{"Action":%q,"Package":%q,"Test":%q,"Elapsed":0.001}`, result, pkg, t.name)
		}
		if pkgFailed {
			output(pkg, "", "FAIL\n")
			output(pkg, "", "FAIL\t"+pkg+"\t0.500s\n")
			ev(`{"Action":"fail","Package":%q,"Elapsed":0.5}`, pkg)
		} else {
			output(pkg, "", "ok  \t"+pkg+"\t0.500s\n")
			ev(`{"Action":"pass","Package":%q,"Elapsed":0.5}`, pkg)
		}
	}
}
