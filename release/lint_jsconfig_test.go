package release

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/config"
)

// jsVerdict is what commitlint 20.x said about one message
// (release/jsconfig/testdata/gen.sh records them).
type jsVerdict struct {
	Valid    bool     `json:"valid"`
	Errors   []string `json:"errors"`
	Warnings []string `json:"warnings"`
}

// TestScriptConfigsAgreeWithCommitlint: each real config in
// release/jsconfig/testdata (a CommonJS commitlint.config.js, an ES
// module .mjs, a TypeScript .ts with `import type` and RuleConfigSeverity,
// a .cjs extending config-angular, a local plugin rule, function ignores,
// parserPreset options and object-valued scope-enum) passes and fails
// every message exactly as commitlint 20.x does, with the same rule names.
func TestScriptConfigsAgreeWithCommitlint(t *testing.T) {
	td := filepath.Join("jsconfig", "testdata")
	data, err := os.ReadFile(filepath.Join(td, "verdicts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Commitlint string                          `json:"commitlint"`
		Cases      map[string]map[string]jsVerdict `json:"cases"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Cases) < 8 {
		t.Fatalf("verdicts.json has %d cases; want the 8 configurations", len(rec.Cases))
	}
	total, agree := 0, 0
	for name, verdicts := range rec.Cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(td, name))); err != nil {
				t.Fatal(err)
			}
			res, err := LoadLintConfig(dir, config.Lint{}, LintConfigOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.File == "" {
				t.Fatal("no configuration file found")
			}
			l := commitlint.NewLinter(res.Config)
			for msg, want := range verdicts {
				total++
				r := l.Lint(msg, commitlint.Input{})
				got := jsVerdict{Valid: r.Valid(), Errors: []string{}, Warnings: []string{}}
				for _, f := range r.Findings {
					switch f.Level {
					case commitlint.Error:
						got.Errors = append(got.Errors, jsRuleName(f.Rule, r.Commit))
					case commitlint.Warning:
						got.Warnings = append(got.Warnings, jsRuleName(f.Rule, r.Commit))
					}
				}
				got.Errors, got.Warnings = jsNames(got.Errors), jsNames(got.Warnings)
				want.Errors, want.Warnings = jsNames(want.Errors), jsNames(want.Warnings)
				if got.Valid == want.Valid && slices.Equal(got.Errors, want.Errors) && slices.Equal(got.Warnings, want.Warnings) {
					agree++
					continue
				}
				t.Errorf("%q:\n got  %+v\n want %+v (commitlint %s)", msg, got, want, rec.Commitlint)
			}
		})
	}
	t.Logf("agreement with commitlint %s on script configs: %d/%d", rec.Commitlint, agree, total)
}

// jsRuleName is the name a finding is compared under. A header that is
// not `type(scope): subject` is one problem: commitlint reports it under
// both type-empty and subject-empty, shipflow once, under one of them (a
// deliberate difference: one finding with a fix instead of a cascade), so
// both names compare as one.
func jsRuleName(rule string, _ *commitlint.Commit) string {
	if rule == "type-empty" || rule == "subject-empty" {
		return "type-empty|subject-empty"
	}
	return rule
}

// jsNames folds the header rules (jsRuleName), sorts and deduplicates.
func jsNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, jsRuleName(n, nil))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
