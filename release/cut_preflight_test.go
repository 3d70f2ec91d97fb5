package release

import "testing"

// TestCutPreflightChecks keeps the preflight's list well-formed: each check
// named once, and the token checks last, since a dry run (which has no
// token) stops at the first of them.
func TestCutPreflightChecks(t *testing.T) {
	seen := map[string]bool{}
	token := false
	for _, ch := range (&cutPreflightRun{}).checks() {
		if ch.name == "" || seen[ch.name] {
			t.Errorf("check %q: empty or named twice", ch.name)
		}
		seen[ch.name] = true
		if token && !ch.needsToken {
			t.Errorf("check %q runs after a token check, so a dry run never runs it", ch.name)
		}
		token = token || ch.needsToken
		if ch.check == nil {
			t.Errorf("check %q has no func", ch.name)
		}
	}
}
