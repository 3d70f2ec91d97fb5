package actions

import (
	"strings"
	"testing"
)

// TestSummaryIconWarnings checks the job summary's headline never puts ✅
// in front of a result that has warnings: a successful step with warnings
// gets ⚠️, one without gets ✅, a failure ❌ whatever its warnings.
func TestSummaryIconWarnings(t *testing.T) {
	warn := []Annotation{{Level: Warning, Title: "changelog", Message: "no repository URL"}}
	note := []Annotation{{Level: Notice, Message: "fyi"}}
	for _, tt := range []struct {
		name string
		rep  Report
		want string
	}{
		{"success", Report{Conclusion: Success, Title: "released v1.2.0"}, "✅ released v1.2.0"},
		{"success with a notice", Report{Conclusion: Success, Title: "released v1.2.0", Annotations: note}, "✅ released v1.2.0"},
		{"success with a warning", Report{Conclusion: Success, Title: "released v1.2.0", Annotations: warn}, "⚠️ released v1.2.0"},
		{"failure with a warning", Report{Conclusion: Failed, Title: "release refused", Annotations: warn}, "❌ release refused"},
		{"neutral", Report{Conclusion: Neutral, Title: "not watched"}, "ℹ️ not watched"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.rep.Name = "shipflow release"
			md := SummaryMarkdown(&tt.rep, nil)
			if !strings.Contains(md, "\n"+tt.want+"\n") {
				t.Errorf("summary:\n%s\nwant the line %q", md, tt.want)
			}
			if len(tt.rep.Annotations) > 0 && tt.rep.Annotations[0].Level == Warning && strings.Contains(md, "✅") {
				t.Errorf("summary shows ✅ with a warning:\n%s", md)
			}
		})
	}
}
