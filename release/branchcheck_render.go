package release

import (
	"io"
	"strings"

	"github.com/shipflow/shipflow/release/branch"
)

// WriteText writes the check as `shipflow branch check` prints it: one
// line with the verdict (✔ allowed or skipped, ✖ rejected with the
// findings under it), then the back-merge debt, as a warning, when it was
// checked.
func (r BranchCheckReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	res := r.Result
	switch {
	case res.Skipped:
		t.printf("✔ %s → %s: skipped, %s\n", res.Head, res.Base, res.Note)
	case res.Allowed:
		t.printf("✔ %s → %s: allowed (%s → %s)\n", res.Head, res.Base, res.HeadKind, res.BaseKind)
	default:
		t.printf("✖ %s → %s: rejected\n", res.Head, res.Base)
		brFindingsText(t, res.Findings, "  ")
	}
	if r.Debt != nil {
		brDebtText(t, *r.Debt, true)
	}
	return t.err
}

// WriteJSON writes the check as one indented JSON document: a
// BranchResultJSON, with the debt when it was checked.
func (r BranchCheckReport) WriteJSON(w io.Writer) error {
	out := NewBranchResultJSON(r.Result)
	if r.Debt != nil {
		out.Debt = brDebtJSON(*r.Debt)
	}
	return writeJSON(w, out, false)
}

// WriteText writes the debt as `shipflow branch debt` prints it: ✔ when
// there is none, else ✖, the message and the commits.
func (r BranchDebtReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	brDebtText(t, r, false)
	return t.err
}

// WriteJSON writes the debt as one indented JSON document.
func (r BranchDebtReport) WriteJSON(w io.Writer) error {
	return writeJSON(w, brDebtJSON(r), false)
}

// brFindingsText writes findings of the branching model as the text
// reports show them, each line after indent: `branch: message [rule]`
// (with the character and a caret under it when the finding has a
// column), then the fix.
func brFindingsText(t *textWriter, fs []branch.Finding, indent string) {
	for _, f := range fs {
		if f.Column > 0 {
			t.printf("%s%s: character %d: %s [%s]\n", indent, f.Branch, f.Column, f.Message, f.Rule)
			t.printf("%s    %s\n%s    %s^\n", indent, f.Branch, indent, strings.Repeat(" ", f.Column-1))
		} else {
			t.printf("%s%s: %s [%s]\n", indent, f.Branch, f.Message, f.Rule)
		}
		if f.Fix != "" {
			t.printf("%s    fix: %s\n", indent, f.Fix)
		}
	}
}

func brDebtText(t *textWriter, rep BranchDebtReport, warning bool) {
	if !rep.InDebt() {
		t.printf("✔ %s holds every change of %s: no back-merge debt\n", rep.Integration, rep.Stable)
		return
	}
	mark := "✖ "
	if warning {
		mark = "warning: "
	}
	t.printf("%s%s [%s]\n", mark, rep.Message(), BranchDebtRule)
	for _, c := range rep.Commits {
		t.printf("    %.7s %s\n", c.Hash, c.Subject)
	}
}

// BranchResultJSON is the JSON document of a branching-model verdict, as
// `branch check --format json` writes it and `pr --format json` embeds it.
type BranchResultJSON struct {
	Head     string              `json:"head"`
	Base     string              `json:"base"`
	HeadKind string              `json:"head_kind"`
	BaseKind string              `json:"base_kind"`
	Allowed  bool                `json:"allowed"`
	Skipped  bool                `json:"skipped"`
	Note     string              `json:"note,omitempty"`
	Findings []BranchFindingJSON `json:"findings"`
	// Debt is the back-merge debt, when it was checked.
	Debt *BranchDebtJSON `json:"debt,omitempty"`
}

// BranchFindingJSON is one finding of a BranchResultJSON.
type BranchFindingJSON struct {
	Rule    string   `json:"rule"`
	Branch  string   `json:"branch"`
	Column  int      `json:"column"`
	Message string   `json:"message"`
	Fix     string   `json:"fix,omitempty"`
	Allowed []string `json:"allowed,omitempty"`
}

// BranchDebtJSON is the JSON document of a back-merge debt.
type BranchDebtJSON struct {
	Stable      string                 `json:"stable"`
	Integration string                 `json:"integration"`
	InDebt      bool                   `json:"in_debt"`
	Message     string                 `json:"message,omitempty"`
	Commits     []BranchDebtCommitJSON `json:"commits"`
}

// BranchDebtCommitJSON is one commit of a BranchDebtJSON.
type BranchDebtCommitJSON struct {
	Hash    string `json:"hash"`
	Subject string `json:"subject"`
}

// NewBranchResultJSON is the JSON document of r, without debt.
func NewBranchResultJSON(r branch.Result) *BranchResultJSON {
	out := &BranchResultJSON{Head: r.Head, Base: r.Base, HeadKind: r.HeadKind, BaseKind: r.BaseKind,
		Allowed: r.Allowed, Skipped: r.Skipped, Note: r.Note, Findings: []BranchFindingJSON{}}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, BranchFindingJSON{Rule: f.Rule, Branch: f.Branch, Column: f.Column, Message: f.Message, Fix: f.Fix, Allowed: f.Allowed})
	}
	return out
}

func brDebtJSON(rep BranchDebtReport) *BranchDebtJSON {
	out := &BranchDebtJSON{Stable: rep.Stable, Integration: rep.Integration, InDebt: rep.InDebt(), Message: rep.Message(), Commits: []BranchDebtCommitJSON{}}
	for _, c := range rep.Commits {
		out.Commits = append(out.Commits, BranchDebtCommitJSON{Hash: c.Hash, Subject: c.Subject})
	}
	return out
}
