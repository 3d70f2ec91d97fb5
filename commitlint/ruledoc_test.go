package commitlint

import "testing"

// TestRuleDocCoversEveryRule: a rule added to ruleSpecs without a
// description would show a generic one in every report.
func TestRuleDocCoversEveryRule(t *testing.T) {
	for name := range ruleSpecs {
		if RuleDoc(name) == "" {
			t.Errorf("rule %s has no description in ruleDocs", name)
		}
	}
	for _, name := range []string{"header-format", "encoding"} {
		if RuleDoc(name) == "" {
			t.Errorf("pseudo-rule %s has no description", name)
		}
	}
	if got := RuleDoc("no-such-rule"); got != "" {
		t.Errorf(`RuleDoc("no-such-rule") = %q, want ""`, got)
	}
}
