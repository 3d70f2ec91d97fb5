package commitlint

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRuleConfigRaw(t *testing.T) {
	cases := []struct {
		name string
		rc   RuleConfig
		want []any
	}{
		{"body-leading-blank", RuleConfig{Level: Warning, Always: true}, []any{int64(1), "always"}},
		{"header-max-length", RuleConfig{Level: Error, Always: true, Value: 100}, []any{int64(2), "always", int64(100)}},
		{"type-case", RuleConfig{Level: Error, Always: true, Value: []string{"lower-case"}}, []any{int64(2), "always", "lower-case"}},
		{"subject-case", RuleConfig{Level: Error, Value: []string{"sentence-case", "upper-case"}}, []any{int64(2), "never", []any{"sentence-case", "upper-case"}}},
		{"subject-full-stop", RuleConfig{Level: Error, Value: "."}, []any{int64(2), "never", "."}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, c.rc.Raw(c.name)); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", c.name, diff)
		}
	}
}
