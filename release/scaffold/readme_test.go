package scaffold

import (
	"os"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readmeWorkflow matches a workflow the README shows as the scaffold's:
// a marker naming the mode, then a fenced YAML block.
var readmeWorkflow = regexp.MustCompile("(?s)<!-- scaffold: release.yml, release-mode ([a-z]+) -->\n```yaml\n(.*?)```\n")

// TestReadmeReleaseWorkflows: the README's release workflow for each mode
// is, byte for byte, the release.yml `shipflow init --release-mode MODE`
// writes, so copying it from the README and running init agree.
func TestReadmeReleaseWorkflows(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range readmeWorkflow.FindAllSubmatch(readme, -1) {
		mode, block := string(m[1]), string(m[2])
		if seen[mode] {
			t.Errorf("README.md shows the %s workflow twice", mode)
		}
		seen[mode] = true
		for _, kind := range Kinds { // the release workflow is the same for every project kind
			want := filesFor(t, Project{Kind: kind}, mode)[releaseYML]
			if diff := cmp.Diff(want, block); diff != "" {
				t.Errorf("README.md's %s workflow differs from the scaffold's release.yml (kind %s) (-scaffold +README):\n%s", mode, kindName(kind), diff)
			}
		}
	}
	for _, mode := range ReleaseModes {
		if !seen[mode] {
			t.Errorf("README.md shows no release workflow for release mode %s (a %q line before a ```yaml block)", mode, "<!-- scaffold: release.yml, release-mode "+mode+" -->")
		}
	}
}
