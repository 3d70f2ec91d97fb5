package commitlint

import "testing"

// TestCommitlintVerdicts pins the examples of issue 12 ("Verdicts and
// names as commitlint's"), each with the verdict commitlint 20 reaches.
func TestCommitlintVerdicts(t *testing.T) {
	conv := ConventionalConfig()
	only := func(rule string, raw ...any) Config {
		rc, err := ParseRuleConfig(rule, raw)
		if err != nil {
			t.Fatal(err)
		}
		return Config{Rules: map[string]RuleConfig{rule: rc}}
	}
	cases := []struct {
		name     string
		cfg      Config
		msg      string
		wantRule string // "" for valid
	}{
		{"cyrillic sentence case", conv, "fix: Исправлена ошибка", "subject-case"},
		{"cyrillic lower case", conv, "fix: исправлена ошибка", ""},
		{"frisian upper case", only("subject-case", 2, "never", "upper-case"), "test: ÛNDERWERP", "subject-case"},
		{"frisian upper case is not lower", only("subject-case", 2, "always", "lower-case"), "test: ÛNDERWERP", "subject-case"},
		{"CJK is caseless", only("subject-case", 2, "always", "upper-case"), "test: 这是一次提交", ""},
		{"ellipsis is no full stop", conv, "fix: wait for it...", ""},
		{"full stop", conv, "fix: done.", "subject-full-stop"},
		{"ellipsis never ends with a stop", only("subject-full-stop", 2, "always", "."), "fix: wait for it...", "subject-full-stop"},
		{"sign-off before cherry-pick line", only("signed-off-by", 2, "always", "Signed-off-by:"),
			"fix: x\n\nSigned-off-by: A <a@b.c>\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)", ""},
		{"empty-valued trailer", only("trailer-exists", 2, "always", "Signed-off-by:"), "fix: x\n\nbody\n\nSigned-off-by:\n", ""},
		{"trailers before comment lines", only("trailer-exists", 2, "always", "Signed-off-by:"),
			"fix: x\n\nbody\n\nOther:\nSigned-off-by:\n\n# Please enter the commit message for your changes.\n# Lines starting with '#' will be ignored.", ""},
		{"scope-empty defaults to never", only("scope-empty", 2), "feat: x", "scope-empty"},
		{"references-empty defaults to never", only("references-empty", 2), "feat: x", "references-empty"},
		{"header-case skips a version", only("header-case", 2, "never", "lower-case"), "1.0.0", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Lint(tc.msg, tc.cfg, Input{})
			got := ""
			for _, f := range res.Findings {
				if f.Level == Error {
					got = f.Rule
				}
			}
			if got != tc.wantRule {
				t.Errorf("Lint(%q): error rule %q, want %q\n%s", tc.msg, got, tc.wantRule, lintRender(res.Findings))
			}
		})
	}
}

// TestDefaultIgnoresCommitlint: commitlint's default ignores, skip-CI
// markers on release commits included.
func TestDefaultIgnoresCommitlint(t *testing.T) {
	for msg, want := range map[string]bool{
		"chore(release): 2.3.3-beta.1 [ci skip]": true,
		"2.3.3 [skip ci]":                        true,
		"chore(release): v1.2.3 (skip-ci)":       true,
		"v1.2.3 [CI SKIP]":                       true,
		"chore(release): 2.3.3 [ci skip] [x]":    false,
		"Reapply \"feat: x\"":                    true,
		"reapply the fix":                        true,
		"Reapplying":                             false,
		"fix: 2.3.3 [skip ci]":                   false,
	} {
		if got := lintIsDefaultIgnored(msg); got != want {
			t.Errorf("lintIsDefaultIgnored(%q) = %t, want %t", msg, got, want)
		}
	}
}
