package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// JSONProblem is one finding in the json format.
type JSONProblem struct {
	Rule    string `json:"rule"`
	Level   string `json:"level"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	URL     string `json:"url,omitempty"`
}

// JSONMessage is one linted message in the json format: the whole output
// for one message, an element of "commits" for a range.
type JSONMessage struct {
	Commit   string        `json:"commit,omitempty"`
	Valid    bool          `json:"valid"`
	Ignored  bool          `json:"ignored"`
	Type     string        `json:"type"`
	Scope    string        `json:"scope"`
	Breaking bool          `json:"breaking"`
	Problems []JSONProblem `json:"problems"`
}

// NewJSONMessage returns e in the json format, without its commit (the
// range writer adds it).
func NewJSONMessage(e Entry) JSONMessage {
	out := JSONMessage{Ignored: e.Ignored, Type: e.Type, Scope: e.Scope, Breaking: e.Breaking, Problems: []JSONProblem{}}
	errs, _ := e.Counts()
	out.Valid = errs == 0
	for _, f := range e.Findings {
		out.Problems = append(out.Problems, JSONProblem{Rule: f.Rule, Level: f.Level.String(), Line: f.Line, Column: f.Column, Message: f.Message, Fix: f.Fix, URL: f.URL})
	}
	return out
}

// JSON writes one message as one JSON object (JSONMessage) and a range as
// `{"commits":[...],"range":R,"count":N,"errors":N,"warnings":N}`,
// streamed: each commit is written as it comes. A stream that breaks after
// it started is closed with `"error":"..."` instead of the totals, so
// stdout stays one valid document.
type JSON struct {
	w       errWriter
	rng     bool
	started bool
	n       int
	buf     []byte
}

// NewJSON returns a json writer on w.
func NewJSON(w io.Writer) *JSON { return &JSON{w: errWriter{w: w}} }

// Begin starts the stream. Nothing is written before the first entry, so
// a range that fails at once leaves stdout empty.
func (j *JSON) Begin(r Run) error {
	j.rng = r.Range
	return j.w.err
}

// Write writes one entry.
func (j *JSON) Write(e Entry) error {
	if !j.rng {
		enc := json.NewEncoder(&j.w)
		enc.SetEscapeHTML(false)
		enc.Encode(NewJSONMessage(e)) // cannot fail but for the writer, kept in j.w.err
		return j.w.err
	}
	if !j.started {
		j.w.WriteString(`{"commits":[`)
		j.started = true
	}
	if j.n > 0 {
		j.w.WriteString(",")
	}
	j.n++
	r := NewJSONMessage(e)
	r.Commit = e.Commit
	j.buf = appendJSON(j.buf[:0], r)
	j.w.Write(j.buf)
	return j.w.err
}

// End closes a range's document with its totals, or with err.
func (j *JSON) End(s Summary, err error) error {
	if !j.rng || err != nil && !j.started {
		return j.w.err
	}
	if !j.started {
		j.w.WriteString(`{"commits":[`)
		j.started = true
	}
	j.w.WriteString("]")
	if err == nil {
		rng, _ := json.Marshal(s.Range)
		fmt.Fprintf(&j.w, `,"range":%s,"count":%d,"errors":%d,"warnings":%d`, rng, s.Count, s.Errors, s.Warnings)
	} else {
		b, _ := json.Marshal(err.Error())
		fmt.Fprintf(&j.w, `,"error":%s`, b)
	}
	j.w.WriteString("}\n")
	return j.w.err
}

// appendJSON appends json.Marshal(r). A commit without problems, the usual
// case in a long range, is written by hand: reflection would cost more
// than linting it.
func appendJSON(buf []byte, r JSONMessage) []byte {
	if len(r.Problems) > 0 || !jsonPlain(r.Commit) || !jsonPlain(r.Type) || !jsonPlain(r.Scope) {
		b, _ := json.Marshal(r)
		return append(buf, b...)
	}
	buf = append(buf, '{')
	if r.Commit != "" {
		buf = append(buf, `"commit":"`...)
		buf = append(buf, r.Commit...)
		buf = append(buf, `",`...)
	}
	buf = append(buf, `"valid":`...)
	buf = strconv.AppendBool(buf, r.Valid)
	buf = append(buf, `,"ignored":`...)
	buf = strconv.AppendBool(buf, r.Ignored)
	buf = append(buf, `,"type":"`...)
	buf = append(buf, r.Type...)
	buf = append(buf, `","scope":"`...)
	buf = append(buf, r.Scope...)
	buf = append(buf, `","breaking":`...)
	buf = strconv.AppendBool(buf, r.Breaking)
	return append(buf, `,"problems":[]}`...)
}

// jsonPlain reports whether json.Marshal writes s as is: printable ASCII
// without quotes, backslashes or the characters it escapes for HTML.
func jsonPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
