package commitlint

import "testing"

func TestConventionalConfig(t *testing.T) {
	cfg := ConventionalConfig()
	for name, rc := range cfg.Rules {
		if _, ok := ruleSpecs[name]; !ok {
			t.Errorf("config-conventional names unknown rule %q", name)
		}
		if rc.Level == Disabled {
			t.Errorf("rule %q is disabled", name)
		}
	}
	if !cfg.DefaultIgnores {
		t.Error("DefaultIgnores is off")
	}
	// Each call is independent.
	cfg.Rules["type-enum"] = RuleConfig{}
	if ConventionalConfig().Rules["type-enum"].Level != Error {
		t.Error("ConventionalConfig shares its map between calls")
	}
}

func TestConfigHelpURL(t *testing.T) {
	cases := []struct {
		name, helpURL, rule, want string
	}{
		{"rule", "", "type-enum", "https://commitlint.js.org/reference/rules.html#type-enum"},
		{"header-format", "", "header-format", lintHeaderFormatURL},
		{"unknown", "", "encoding", ""},
		{"override", "https://example.com/how-we-commit", "type-enum", "https://example.com/how-we-commit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Config{HelpURL: tc.helpURL}).helpURL(tc.rule); got != tc.want {
				t.Errorf("helpURL(%q) = %q, want %q", tc.rule, got, tc.want)
			}
		})
	}
}
