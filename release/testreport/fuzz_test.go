package testreport

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseGoTest: any stream yields a report whose every case has an
// outcome, and a stream with a started package never passes unless every
// package reported a result.
func FuzzParseGoTest(f *testing.F) {
	stream, _ := goStreamFixture(200)
	f.Add(stream)
	f.Add(stream[:len(stream)/2])
	f.Add([]byte(`{"Action":"run","Package":"p","Test":"T"}` + "\n" + `{"Action":"output","Package":"p","Test":"T","Output":"panic: x\n"}`))
	f.Add([]byte("not json\n{\"Action\":\"build-fail\",\"ImportPath\":\"p [p.test]\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ParseGoTest(bytes.NewReader(data), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		n := rep.Counts()
		if n.Total() != len(rep.Cases) {
			t.Fatalf("%d cases, %d with an outcome", len(rep.Cases), n.Total())
		}
	})
}

// FuzzParseJUnit: no input makes the parser panic, and every case it
// returns has an outcome.
func FuzzParseJUnit(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "junit", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<testsuite><testcase name="a"><failure>x.py:1: E</failure></testcase></testsuite>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ParseJUnit(bytes.NewReader(data), t.TempDir())
		if err != nil {
			return
		}
		if n := rep.Counts(); n.Total() != len(rep.Cases) {
			t.Fatalf("%d cases, %d with an outcome", len(rep.Cases), n.Total())
		}
	})
}
