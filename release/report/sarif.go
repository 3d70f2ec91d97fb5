package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html),
// the format code-scanning tools read.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	sarifInfoURI = "https://github.com/shipflow/shipflow"
)

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
	HelpURI          string       `json:"helpUri,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifLogicalLocation struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

// SARIF writes a SARIF 2.1.0 log with one run. A finding in a file has a
// physical location (the file's URI and a region); a message has the
// logical location "message", and a commit of a range the logical location
// of kind "commit" plus a commitSha fingerprint, with the place said in
// the message text.
//
// Results are written as they come; tool.driver, which lists the rules
// that occurred with commitlint's descriptions, is written after them
// (JSON members have no order), so memory holds at most one entry per
// rule whatever the length of the range.
type SARIF struct {
	w       errWriter
	version string
	started bool
	n       int
	rules   []sarifRule
	index   map[string]int
	buf     bytes.Buffer
}

// NewSARIF returns a SARIF writer on w; version is shipflow's, for
// tool.driver.version.
func NewSARIF(w io.Writer, version string) *SARIF {
	return &SARIF{w: errWriter{w: w}, version: version}
}

// Begin starts the stream. Nothing is written before the first result or
// End.
func (s *SARIF) Begin(Run) error { return s.w.err }

func (s *SARIF) start() {
	if s.started {
		return
	}
	s.started = true
	fmt.Fprintf(&s.w, `{"$schema":%q,"version":%q,"runs":[{"columnKind":"unicodeCodePoints","results":[`, sarifSchema, sarifVersion)
}

// ruleIndex returns the index of f's rule in the rules array, adding it.
func (s *SARIF) ruleIndex(f Finding) int {
	if i, ok := s.index[f.Rule]; ok {
		return i
	}
	if s.index == nil {
		s.index = map[string]int{}
	}
	s.index[f.Rule] = len(s.rules)
	s.rules = append(s.rules, sarifRule{ID: f.Rule, ShortDescription: sarifMessage{ruleDescription(f.Rule)}, HelpURI: f.URL})
	return len(s.rules) - 1
}

func (s *SARIF) result(r sarifResult) {
	s.start()
	if s.n > 0 {
		s.w.WriteString(",")
	}
	s.n++
	s.buf.Reset()
	enc := json.NewEncoder(&s.buf)
	enc.SetEscapeHTML(false)
	enc.Encode(r) // cannot fail: plain structs of strings and ints
	s.w.Write(bytes.TrimRight(s.buf.Bytes(), "\n"))
}

// Write writes one result per finding.
func (s *SARIF) Write(e Entry) error {
	for _, f := range e.Findings {
		r := sarifResult{RuleID: f.Rule, RuleIndex: s.ruleIndex(f), Level: sarifLevel(f.Level)}
		prefix := ""
		switch {
		case e.Source == SourceCommit:
			prefix = e.Short() + " " + e.Header + ": "
			if f.Line > 0 {
				prefix += fmt.Sprintf("%d:%d: ", f.Line, f.Column)
			}
			r.Locations = []sarifLocation{{LogicalLocations: []sarifLogicalLocation{{Name: e.Commit, Kind: "commit"}}}}
			r.PartialFingerprints = map[string]string{"commitSha": e.Commit}
		case e.File != "":
			loc := &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{sarifURI(e.File)}}
			if f.Line > 0 {
				loc.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
			}
			r.Locations = []sarifLocation{{PhysicalLocation: loc}}
		default:
			if f.Line > 0 {
				// No region to carry the place: say it in the text.
				prefix = fmt.Sprintf("%d:%d: ", f.Line, f.Column)
			}
			r.Locations = []sarifLocation{{LogicalLocations: []sarifLogicalLocation{{Name: "message", Kind: "message"}}}}
		}
		r.Message = sarifMessage{sarifText(f, prefix)}
		s.result(r)
	}
	return s.w.err
}

// End closes the results, writes the tool and the invocation (failed, with
// err, when the stream broke) and ends the log. A stream that broke before
// any result writes nothing, as the other formats.
func (s *SARIF) End(_ Summary, err error) error {
	if err != nil && !s.started {
		return s.w.err
	}
	s.start()
	type driver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	type notification struct {
		Level   string       `json:"level"`
		Message sarifMessage `json:"message"`
	}
	type invocation struct {
		ExecutionSuccessful        bool           `json:"executionSuccessful"`
		ToolExecutionNotifications []notification `json:"toolExecutionNotifications,omitempty"`
	}
	tool := struct {
		Driver driver `json:"driver"`
	}{driver{Name: "shipflow", Version: s.version, InformationURI: sarifInfoURI, Rules: s.rules}}
	if tool.Driver.Rules == nil {
		tool.Driver.Rules = []sarifRule{}
	}
	inv := invocation{ExecutionSuccessful: err == nil}
	if err != nil {
		inv.ToolExecutionNotifications = []notification{{Level: "error", Message: sarifMessage{err.Error()}}}
	}
	tb, _ := json.Marshal(tool)
	ib, _ := json.Marshal([]invocation{inv})
	fmt.Fprintf(&s.w, `],"tool":%s,"invocations":%s}]}`+"\n", tb, ib)
	return s.w.err
}

// sarifLevel is SARIF's name of a level.
func sarifLevel(l Level) string {
	if l == Info {
		return "note"
	}
	return l.String()
}

// sarifText is a finding's message text with its fix, control characters
// made visible as in the other formats.
func sarifText(f Finding, prefix string) string {
	text := prefix + f.Message
	if f.Fix != "" {
		text += "\nfix: " + f.Fix
	}
	return Visible(text)
}

// sarifURI turns a file path into a SARIF artifact URI: a relative reference
// with forward slashes, or a file: URI for an absolute path.
func sarifURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x → /C:/x
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}
