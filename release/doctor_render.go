package release

import (
	"io"

	"github.com/shipflow/shipflow/release/report"
)

// doctorDocs is where the verb is described, linked from every finding.
const doctorDocs = "https://github.com/shipflow/shipflow#doctor-the-seeds-files-and-settings"

// Finding is the check, when it failed, as a finding of the report model:
// an error when it is required, else a warning, placed on its file, with
// how to fix it. ok is false for a check that passed.
func (c DoctorCheck) Finding() (f report.Finding, ok bool) {
	if c.OK {
		return report.Finding{}, false
	}
	lvl := report.Warning
	if c.Required {
		lvl = report.Error
	}
	return report.Finding{
		Source:  report.SourceFile,
		File:    c.File,
		Title:   "shipflow doctor: " + c.Subject,
		Rule:    c.ID,
		Level:   lvl,
		Message: c.Subject + ": " + c.Status,
		Fix:     c.Fix,
		URL:     doctorDocs,
	}, true
}

// WriteFindings writes the report through a report writer (github
// annotations, markdown): one entry per check, with a finding when it
// failed.
func (r *DoctorReport) WriteFindings(rw report.Writer) error {
	if err := rw.Begin(report.Run{}); err != nil {
		return err
	}
	bad := 0
	for _, c := range r.Checks {
		e := report.Entry{Source: report.SourceFile, File: c.File, Header: c.Subject}
		if f, ok := c.Finding(); ok {
			e.Findings = []report.Finding{f}
			bad++
		}
		if err := rw.Write(e); err != nil {
			return err
		}
	}
	return rw.End(report.Summary{Count: len(r.Checks), Bad: bad, Errors: r.Missing(), Warnings: r.Warnings()}, nil)
}

// WriteText writes one line per check — ✔ what is there, ✖ a required
// file or setting that is missing, ! a warning — with the fix under each
// that failed, then a verdict line.
func (r *DoctorReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	width := 0
	for _, c := range r.Checks {
		width = max(width, len([]rune(c.Subject)))
	}
	for _, c := range r.Checks {
		mark := "✔"
		switch {
		case !c.OK && c.Required:
			mark = "✖"
		case !c.OK:
			mark = "!"
		}
		t.printf("%s %-*s  %s\n", mark, width, report.Visible(c.Subject), report.Visible(c.Status))
		if !c.OK && c.Fix != "" {
			t.printf("    fix: %s\n", report.Visible(c.Fix))
		}
	}
	missing, warns := r.Missing(), r.Warnings()
	switch {
	case missing > 0:
		t.printf("✖ %d required %s missing", missing, report.Plural(missing, "file or setting is", "files or settings are"))
	default:
		t.printf("✔ every required file and setting is there")
	}
	if warns > 0 {
		t.printf("; %d %s", warns, report.Plural(warns, "warning", "warnings"))
	}
	t.printf("\n")
	return t.err
}

// doctorJSONCheck is one check in the json format.
type doctorJSONCheck struct {
	ID       string `json:"id"`
	Subject  string `json:"subject"`
	File     string `json:"file,omitempty"`
	Required bool   `json:"required"`
	OK       bool   `json:"ok"`
	Status   string `json:"status"`
	Fix      string `json:"fix,omitempty"`
}

// doctorJSON is the json document of doctor.
type doctorJSON struct {
	OK       bool              `json:"ok"`
	Missing  int               `json:"missing"`
	Warnings int               `json:"warnings"`
	Checks   []doctorJSONCheck `json:"checks"`
}

// WriteJSON writes the report as one JSON document:
// {"ok":bool,"missing":N,"warnings":N,"checks":[{"id","subject","file","required","ok","status","fix"}]}.
func (r *DoctorReport) WriteJSON(w io.Writer) error {
	doc := doctorJSON{OK: r.Missing() == 0, Missing: r.Missing(), Warnings: r.Warnings(), Checks: []doctorJSONCheck{}}
	for _, c := range r.Checks {
		doc.Checks = append(doc.Checks, doctorJSONCheck(c))
	}
	return writeJSON(w, doc, false)
}
