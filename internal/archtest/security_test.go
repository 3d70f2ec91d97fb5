package archtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSecurityClaimsNameRealTests: every test and fuzz target SECURITY.md
// cites as the proof of a guarantee exists, so the page cannot go on
// promising what a renamed or deleted test no longer checks.
func TestSecurityClaimsNameRealTests(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "SECURITY.md"))
	if err != nil {
		t.Fatal(err)
	}
	cited := regexp.MustCompile("`((?:Test|Fuzz)[A-Za-z0-9_]+)`").FindAllStringSubmatch(string(doc), -1)
	if len(cited) < 10 {
		t.Fatalf("SECURITY.md cites %d tests; the guarantees table lost its proofs", len(cited))
	}
	out, err := exec.Command("git", "-C", root, "grep", "--untracked", "-h", "-E", `^func (Test|Fuzz)[A-Za-z0-9_]+\(`, "--", "*_test.go").Output()
	if err != nil {
		t.Fatalf("git grep: %v", err)
	}
	defined := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimPrefix(line, "func "), "(")
		defined[name] = true
	}
	for _, m := range cited {
		if !defined[m[1]] {
			t.Errorf("SECURITY.md cites %s, which no test file defines", m[1])
		}
	}
}
