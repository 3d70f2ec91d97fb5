package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
)

// writeRC writes one configuration file into a new directory.
func writeRC(t *testing.T, name, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestParserOptsHonoured: parserPreset.parserOpts' noteKeywords,
// issuePrefixes, issuePrefixesCaseSensitive and commentChar reach the
// parser, without a warning; options shipflow does not honour still warn.
// The verdicts are real commitlint 20.5's with the same configuration.
func TestParserOptsHonoured(t *testing.T) {
	dir := writeRC(t, ".commitlintrc.yml", `extends: ['@commitlint/config-conventional']
parserPreset:
  parserOpts:
    noteKeywords: ['BREAKING CHANGE', 'DEPRECATED']
    issuePrefixes: ['REF-']
    issuePrefixesCaseSensitive: true
    commentChar: ';'
    revertPattern: '^Revert'
rules:
  references-empty: [2, never]
  footer-leading-blank: [2, always]
`)
	res, err := LoadCommitlintWith(dir, CommitlintOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Config.Parser
	if p == nil || !slices.Equal(p.NoteKeywords, []string{"BREAKING CHANGE", "DEPRECATED"}) ||
		!slices.Equal(p.IssuePrefixes, []string{"REF-"}) || !p.IssuePrefixesCaseSensitive || p.CommentChar != ";" {
		t.Fatalf("parser options %+v", p)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "revertPattern") {
		t.Errorf("warnings %q; want one, for revertPattern", res.Warnings)
	}
	l := commitlint.NewLinter(res.Config)
	for msg, want := range map[string][]string{
		"fix: x\n\nREF-12":                             nil,
		"fix: x\n\nCloses #12":                         {"references-empty"},
		"fix: x\n\nref-12":                             {"references-empty"},
		"fix: x\n; REF-12 is a comment":                {"references-empty"},
		"feat: x REF-1\n\nprose\nDEPRECATED: old api":  {"footer-leading-blank"},
		"feat: x REF-1\n\nprose\nDEPRECATION: old api": nil,
	} {
		var got []string
		for _, f := range l.Lint(msg, commitlint.Input{}).Findings {
			got = append(got, f.Rule)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q: rules %v, want %v", msg, got, want)
		}
	}
}

// TestParserOptsBad: a parser option of the wrong shape is a configuration
// error at its place, as commitlint's parser would fail on it.
func TestParserOptsBad(t *testing.T) {
	for opts, want := range map[string]string{
		`noteKeywords: BREAKING`:                ".commitlintrc.yml:3:30: `noteKeywords` must be a list of strings, got \"BREAKING\"",
		`issuePrefixes: ['#', 12]`:              ".commitlintrc.yml:3:37: `issuePrefixes` must be a list of strings, got 12",
		`issuePrefixesCaseSensitive: 'yes'`:     ".commitlintrc.yml:3:44: `issuePrefixesCaseSensitive` must be true or false, got \"yes\"",
		`commentChar: ['#']`:                    ".commitlintrc.yml:3:29: `commentChar` must be a string, got a list",
		`commentChar: ''`:                       "",
		`noteKeywords: {a: 1}`:                  ".commitlintrc.yml:3:30: `noteKeywords` must be a list of strings, got a mapping",
		`issuePrefixes: [['nested']]`:           ".commitlintrc.yml:3:32: `issuePrefixes` must be a list of strings, got a list",
		`headerCorrespondence: [type, subject]`: "",
	} {
		dir := writeRC(t, ".commitlintrc.yml", "extends: ['@commitlint/config-conventional']\nparserPreset:\n  parserOpts: {"+opts+"}\n")
		_, err := LoadCommitlintWith(dir, CommitlintOptions{})
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", opts, got, want)
		}
	}
}
