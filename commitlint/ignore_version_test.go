package commitlint

import (
	"strings"
	"testing"
)

// perfRefIsVersion is lintIsVersion without its shortcut: strip a chore
// prefix and the skip-CI markers, then ask the semver pattern.
func perfRefIsVersion(h string) bool {
	h = strings.TrimSpace(lintStripSkipCI(lintStripChore(h)))
	return h != "" && lintSemver().MatchString(h)
}

// TestLintIsVersionShortcutAgrees: lintIsVersion answers from the first
// character when no skip-CI marker can change it, and agrees with the
// full strip-and-match on the corpus and on markers in every place.
func TestLintIsVersionShortcutAgrees(t *testing.T) {
	hs := perfHeaders(t)
	for _, m := range []string{"[ci skip]", "[skip ci]", "(skip-ci)", "(CI SKIP)", "[ci\u00a0skip]", "[ci\ufeffskip]", "[ſkip ci]", "[ci sKip]"} {
		for _, h := range []string{
			m, m + " 1.2.3", " " + m + " v1.2.3", "\u00a0" + m + "1.2.3", "1.2.3 " + m, m + m + "1.2.3", "chore: " + m + " 1.2.3",
			"chore(release): " + m + "v2.0.0", "[x]" + m + " 1.2.3", "(x) " + m + " 1.2.3", "[ci skip](skip ci)1.2.3",
			"(skip ci)[ci skip] 1.2.3", "feat: " + m, m + " feat: x", "x" + m + "1.2.3",
		} {
			hs = append(hs, h)
		}
	}
	for _, h := range hs {
		if got, want := lintIsVersion(h), perfRefIsVersion(h); got != want {
			t.Errorf("lintIsVersion(%q) = %v, stripping then matching says %v", h, got, want)
		}
	}
}

// BenchmarkLintIsVersion measures the version check on the corpus's
// headers, most of which start with a type and are not versions.
func BenchmarkLintIsVersion(b *testing.B) {
	hs := perfHeaders(b)
	for b.Loop() {
		for _, h := range hs {
			lintIsVersion(h)
		}
	}
}
