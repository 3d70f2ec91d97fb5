package testreport

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/shipflow/shipflow/internal/gotestgen"
)

// goStreamFixture builds a `go test -json` stream of about n events: tests
// of 10 packages, each with a run, three output lines and a result; every
// 50th test fails.
func goStreamFixture(n int) ([]byte, int) {
	var b bytes.Buffer
	events := 0
	ev := func(format string, a ...any) {
		fmt.Fprintf(&b, format, a...)
		b.WriteByte('\n')
		events++
	}
	for p := 0; events < n; p++ {
		pkg := fmt.Sprintf("example.com/m/p%d", p)
		ev(`{"Time":"2026-11-25T19:30:04.676792758Z","Action":"start","Package":%q}`, pkg)
		for i := 0; i < n/10/6 && events < n-1; i++ {
			name := fmt.Sprintf("TestCase%d", i)
			ev(`{"Time":"2026-11-25T19:30:04.676792758Z","Action":"run","Package":%q,"Test":%q}`, pkg, name)
			ev(`{"Time":"2026-11-25T19:30:04.676792758Z","Action":"output","Package":%q,"Test":%q,"Output":"=== RUN   %s\n"}`, pkg, name, name)
			ev(`{"Time":"2026-11-25T19:30:04.676792758Z","Action":"output","Package":%q,"Test":%q,"Output":"    x_test.go:%d: checking value %d\n"}`, pkg, name, i+1, i)
			result := "pass"
			if i%50 == 49 {
				result = "fail"
			}
			ev(`{"Time":"2026-11-25T19:30:04.676792758Z","Action":"output","Package":%q,"Test":%q,"Output":"--- %s: %s (0.00s)\n"}`, pkg, name, result, name)
			ev(`{"Time":"2026-11-25T19:30:04.676792758Z","Action":%q,"Package":%q,"Test":%q,"Elapsed":0.01}`, result, pkg, name)
		}
		ev(`{"Time":"2026-11-25T19:30:04.676792758Z","Action":"fail","Package":%q,"Elapsed":1.5}`, pkg)
	}
	return b.Bytes(), events
}

// BenchmarkParseGoTest parses a 100k-event stream.
func BenchmarkParseGoTest(b *testing.B) {
	stream, events := goStreamFixture(100000)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := ParseGoTest(bytes.NewReader(stream), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if rep.Counts().Failed == 0 {
			b.Fatal("no failures parsed")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(events), "ns/event")
}

// BenchmarkHugeOutput feeds one failing test 50 MB of output in 100-byte
// lines and reports the heap in use afterwards, which must stay near the
// per-case output limit however long the output is.
func BenchmarkHugeOutput(b *testing.B) {
	line := []byte(`{"Action":"output","Package":"example.com/m","Test":"TestHuge","Output":"` +
		string(bytes.Repeat([]byte("x"), 100)) + `\n"}` + "\n")
	const lines = 500_000
	b.SetBytes(int64(len(line)) * lines)
	for b.Loop() {
		s := newGoStream(b.TempDir(), makeOptions(nil))
		s.Write([]byte(`{"Action":"run","Package":"example.com/m","Test":"TestHuge"}` + "\n"))
		for range lines {
			s.Write(line)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MiB-heap")
		s.Write([]byte(`{"Action":"fail","Package":"example.com/m","Test":"TestHuge"}` + "\n"))
		rep := s.Close()
		if len(rep.Cases[0].Output) > DefaultOutputLimit+100 {
			b.Fatalf("kept %d bytes", len(rep.Cases[0].Output))
		}
	}
}

// BenchmarkReport reads a synthetic `go test -json` stream as `shipflow
// test` does (the failures' output echoed as plain text) and renders the
// report in each format, for 10k passing, 10k failing and 100k failing
// tests. Linear means fail-10k within 2x of pass-10k and fail-100k about
// 10x fail-10k; bench/testreport/run.sh prints those ratios.
func BenchmarkReport(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/bench\n\ngo 1.22\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	formats := []struct {
		name   string
		render func(io.Writer, *Report) error
	}{
		{"text", func(w io.Writer, r *Report) error { return WriteText(w, r, TextOptions{Slowest: 10}) }},
		{"json", WriteJSON},
		// The github format is text plus annotations, which package
		// release turns into findings for release/report's writer.
		{"github", func(w io.Writer, r *Report) error {
			Annotations(r)
			return WriteText(w, r, TextOptions{Slowest: 10})
		}},
		{"summary", func(w io.Writer, r *Report) error { return WriteSummary(w, r, SummaryOptions{Slowest: 10}) }},
		{"junit", WriteJUnit},
	}
	for _, size := range []struct {
		name           string
		tests, failing int
	}{
		{"pass-10k", 10000, 0},
		{"fail-10k", 10000, 10000},
		{"fail-100k", 100000, 100000},
	} {
		var stream []byte // made when a benchmark of this size first runs
		for _, f := range formats {
			b.Run(size.name+"/"+f.name, func(b *testing.B) {
				if stream == nil {
					stream = gotestgen.Stream(size.tests, size.failing)
					b.ResetTimer()
				}
				b.SetBytes(int64(len(stream)))
				for b.Loop() {
					o := makeOptions(nil)
					o.echo = io.Discard
					s := newGoStream(dir, o)
					s.Write(stream)
					rep := s.Close()
					if n := rep.Counts(); n.Failed < size.failing || n.Total() < size.tests {
						b.Fatalf("counts %+v, want %d tests, %d failing", n, size.tests, size.failing)
					}
					if err := f.render(io.Discard, rep); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
