package release

import (
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/secrets"
)

// secretsDocs is where the verb is described, linked from every finding.
const secretsDocs = "https://github.com/shipflow/shipflow#secrets-secrets-and-the-pre-commit-hook"

// SecretFinding turns one secret into a finding of the report model:
// placed on its file (and commit in a range), with what is wrong and how
// to get it out of git. It never holds the secret: a secrets.Finding has
// none to give.
func SecretFinding(f secrets.Finding, staged bool) report.Finding {
	src := report.SourceFile
	if f.Commit != "" {
		src = report.SourceCommit
	}
	return report.Finding{
		Source: src, Commit: f.Commit, File: f.File,
		Line: f.Line, Column: f.Column,
		Title:   "shipflow secrets: " + f.Rule,
		Rule:    f.Rule,
		Level:   report.Error,
		Message: secretPlace(f) + ": " + secretMessage(f),
		Fix:     secretFix(f, staged),
		URL:     secretsDocs,
	}
}

// secretPlace is file:line, which a report's message starts with: not
// every format places a finding on its file.
func secretPlace(f secrets.Finding) string {
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// secretMessage says what is wrong with the rule's description, never
// the value.
func secretMessage(f secrets.Finding) string {
	switch f.Kind {
	case secrets.Path:
		if f.Rule == secrets.RuleEnvFile {
			return "a .env file holds the environment's secrets and stays out of git (only .env.template and .env.example are committed)"
		}
		return fmt.Sprintf("a file named like an SSH private key (%s)", path.Base(f.File))
	case secrets.Template:
		return fmt.Sprintf("a value that looks like a real secret (%s): a template holds placeholders only", f.Description)
	}
	return fmt.Sprintf("a secret (%s)", f.Description)
}

// secretFix says how to take the secret out of the index or the history,
// and that it must be rotated either way.
func secretFix(f secrets.Finding, staged bool) string {
	const rotate = "; then rotate the secret: revoke it where it was issued and put the new one in .env or the CI's secrets"
	switch {
	case f.Kind == secrets.Template:
		return fmt.Sprintf("replace the value with a placeholder (changeme, <your-token>, or empty)%s", rotate)
	case staged && f.Kind == secrets.Path:
		return fmt.Sprintf("unstage it and keep it out: git rm --cached -- %s, and add it to .gitignore%s", shellQuote(f.File), rotate)
	case staged:
		return fmt.Sprintf("take the secret out of %s and stage the file again (git add -- %s), reading it from the environment instead%s", f.File, shellQuote(f.File), rotate)
	case f.Kind == secrets.Path:
		return fmt.Sprintf("remove it from history: git filter-repo --invert-paths --path %s (or bfg --delete-files %s), then force-push%s", shellQuote(f.File), shellQuote(path.Base(f.File)), rotate)
	}
	return fmt.Sprintf("remove it from history: git filter-repo --replace-text FILE with the secret on a line of FILE (or bfg --replace-text), or drop %s with git filter-repo --invert-paths --path %s; then force-push%s", f.File, shellQuote(f.File), rotate)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '/' || r == '_' || r == '-') {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// WriteFindings writes the report through a report writer (github
// annotations, sarif, ...): one entry per secret, placed on its file and
// commit.
func (r *SecretsReport) WriteFindings(rw report.Writer) error {
	if err := rw.Begin(report.Run{Range: !r.Staged}); err != nil {
		return err
	}
	for _, e := range secretEntries(r.Findings, r.Staged) {
		if err := rw.Write(e); err != nil {
			return err
		}
	}
	n := len(r.Findings)
	return rw.End(report.Summary{Range: r.Scope, Count: n, Bad: n, Errors: n}, nil)
}

// secretEntries are the report entries of secrets: one each, named by
// its file.
func secretEntries(fs []secrets.Finding, staged bool) []report.Entry {
	out := make([]report.Entry, 0, len(fs))
	for _, f := range fs {
		e := report.Loose(SecretFinding(f, staged))
		e.Header = f.File
		out = append(out, e)
	}
	return out
}

// WriteText writes one finding per secret, as compilers place errors —
// `file:line:col: message [rule]`, after the short commit in a range —
// with its fix, then a verdict line.
func (r *SecretsReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	writeSecretsText(t, "", r.Findings, r.Staged)
	if n := len(r.Findings); n > 0 {
		verdict := "remove them from history and rotate them"
		if r.Staged {
			verdict = "the commit is refused"
		}
		t.printf("✖ %d %s in %s: %s\n", n, report.Plural(n, "secret", "secrets"), r.Scope, verdict)
	} else {
		t.printf("✔ no secrets in %s\n", r.Scope)
	}
	return t.err
}

// writeSecretsText writes one line per secret, after indent, and its fix.
func writeSecretsText(t *textWriter, indent string, fs []secrets.Finding, staged bool) {
	for _, f := range fs {
		rf := SecretFinding(f, staged)
		at := ""
		if f.Commit != "" {
			at = shortSHA(f.Commit) + " "
		}
		t.printf("%s%s%s:%d:%d: %s [%s]\n", indent, at, report.Visible(f.File), f.Line, f.Column, report.Visible(secretMessage(f)), rf.Rule)
		t.printf("%s    fix: %s\n", indent, report.Visible(rf.Fix))
	}
}

// prSecretsText writes the secrets of a pull request's commits under a
// line that counts them; nothing when there are none.
func prSecretsText(t *textWriter, fs []secrets.Finding) {
	if len(fs) == 0 {
		return
	}
	t.printf("✖ %d %s in the commits\n", len(fs), report.Plural(len(fs), "secret", "secrets"))
	writeSecretsText(t, "    ", fs, false)
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// secretsJSONFinding is one secret in the json format.
type secretsJSONFinding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Commit  string `json:"commit,omitempty"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// secretsJSON is the json document of a scan.
type secretsJSON struct {
	Scope    string               `json:"scope"`
	Count    int                  `json:"count"`
	Findings []secretsJSONFinding `json:"findings"`
}

// WriteJSON writes the report as one JSON document:
// {"scope":...,"count":N,"findings":[{"file","line","column","commit","rule","message","fix"}]}.
func (r *SecretsReport) WriteJSON(w io.Writer) error {
	doc := secretsJSON{Scope: r.Scope, Count: len(r.Findings), Findings: secretsJSONFindings(r.Findings, r.Staged)}
	if doc.Findings == nil {
		doc.Findings = []secretsJSONFinding{}
	}
	return writeJSON(w, doc, false)
}

// secretsJSONFindings are secrets in the json format; nil for none.
func secretsJSONFindings(fs []secrets.Finding, staged bool) []secretsJSONFinding {
	var out []secretsJSONFinding
	for _, f := range fs {
		rf := SecretFinding(f, staged)
		out = append(out, secretsJSONFinding{File: f.File, Line: f.Line, Column: f.Column, Commit: f.Commit, Rule: f.Rule, Message: rf.Message, Fix: rf.Fix})
	}
	return out
}
