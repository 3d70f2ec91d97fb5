package release

import (
	"encoding/json"
	"fmt"
	"io"
)

// The reports' text and JSON writers (the *_render.go files) render what
// an operation returns, for the CLI verbs and the Actions alike; findings
// go through release/report's writers instead. They write to the writer
// they are given and return its first error: nothing here prints.

// textWriter writes formatted lines and keeps the first write error, so
// that a renderer reads as a list of lines and still returns it.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) printf(format string, a ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, a...)
	}
}

func (t *textWriter) write(b []byte) {
	if t.err == nil {
		_, t.err = t.w.Write(b)
	}
}

// writeJSON writes v as indented JSON. escapeHTML keeps encoding/json's
// default escaping of <, > and &, which some documents have always had.
func writeJSON(w io.Writer, v any, escapeHTML bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(escapeHTML)
	return enc.Encode(v)
}
