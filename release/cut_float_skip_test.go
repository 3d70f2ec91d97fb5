package release

import (
	"bytes"
	"strings"
	"testing"
)

// TestCutDryRunFloatingTagOff checks a dry run with
// release.floating-major-tag off shows the floating-tag step skipped for
// that reason, not as a step the release would run ("dry run"), and a
// dry run with it on still shows it would move the tag.
func TestCutDryRunFloatingTagOff(t *testing.T) {
	for _, tt := range []struct {
		name     string
		floating bool
		want     string
	}{
		{"off", false, "release.floating-major-tag is off"},
		{"on", true, "dry run"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newCutEnv(t)
			opts := e.opts()
			opts.Config.FloatingMajorTag = tt.floating
			opts.DryRun = true
			rep, err := e.cut(opts)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, s := range rep.Steps {
				if s.Step == "floating-tag" {
					got = s.Skipped
				}
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("floating-tag skipped = %q, want it to say %q", got, tt.want)
			}
			var b bytes.Buffer
			if err := rep.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "  - floating-tag: "+got+"\n") {
				t.Errorf("report:\n%s\nwant the floating-tag line skipped with %q", b.String(), got)
			}
			if !tt.floating && strings.Contains(b.String(), "floating tag:") {
				t.Errorf("report names a floating tag although it is off:\n%s", b.String())
			}
		})
	}
}
