package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/shipflow/shipflow/actions"
	"github.com/shipflow/shipflow/release"
)

// flagInputs are a verb's flags as release.Inputs: a flag is given when it
// was set on the command line, whatever its default, so .shipflow.yaml and
// the CI context apply to every flag left alone. Flags and Action inputs
// share their names (TestActionInputsAreFlags).
type flagInputs struct{ fs *pflag.FlagSet }

// Lookup returns the flag's value as the command line spelled it; a list
// flag's items one per line.
func (f flagInputs) Lookup(name string) (string, bool) {
	fl := f.fs.Lookup(name)
	if fl == nil || !fl.Changed {
		return "", false
	}
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		return strings.Join(sv.GetSlice(), "\n"), true
	}
	return fl.Value.String(), true
}

// ci is the CI context of the run: what GitHub Actions' event and
// variables say, when shipflow runs in a `run:` step; the zero CI
// elsewhere.
func (e *env) ci() (release.CI, error) {
	return actions.CIContext(e.getenv)
}
