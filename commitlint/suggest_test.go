package commitlint

import "testing"

func TestSuggest(t *testing.T) {
	keys := []string{"lint", "version", "changelog", "release", "branches", "test", "image"}
	tests := []struct{ in, want string }{
		{"lnit", "lint"},           // neighbours swapped: one edit
		{"verison", "version"},     // swap inside
		{"chnagelog", "changelog"}, // swap
		{"LINT", "lint"},           // case only
		{"relase", "release"},      // one deletion
		{"branch", "branches"},     // two insertions, word long enough
		{"xyz", ""},                // nothing close
		{"tst", "test"},            // one insertion
		{"im", ""},                 // too short to guess from two edits
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, keys); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"ab", "ba", 1}, {"abc", "", 3}, {"ä", "a", 1}, {"feature", "fetaure", 1}, {"ca", "abc", 3}} {
		if got := fixDistance(c.a, c.b); got != c.d {
			t.Errorf("fixDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
