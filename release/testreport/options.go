package testreport

import "io"

// Option is a knob of Run, ParseGoTest and ParseJUnit.
type Option func(*options)

type options struct {
	root        string
	outputLimit int
	progress    func(Counts)
	echo        io.Writer
	echoAll     bool // echo every output line, as `go test -v` would
	echoRaw     bool // echo the JSON stream itself
}

func makeOptions(knobs []Option) options {
	o := options{outputLimit: DefaultOutputLimit}
	for _, k := range knobs {
		k(&o)
	}
	return o
}

// WithRoot sets the repository root that locations are made relative to.
// The default is the command's directory.
func WithRoot(dir string) Option { return func(o *options) { o.root = dir } }

// WithOutputLimit caps the output kept per test case, and of the command
// outside any test, to n bytes (the first and last n/2). The default is
// DefaultOutputLimit.
func WithOutputLimit(n int) Option { return func(o *options) { o.outputLimit = n } }

// WithProgress calls f with the running totals each time a test case ends,
// from the goroutine reading the test output. The default is no callback.
func WithProgress(f func(Counts)) Option { return func(o *options) { o.progress = f } }
