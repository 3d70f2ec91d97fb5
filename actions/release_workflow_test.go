package actions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestReleaseWorkflowOrder checks the order of shipflow's own release
// workflow (.github/workflows/release.yml): GoReleaser builds every
// binary, archive and SBOM first (without publishing), their digests are
// pinned, build provenance is attested, and only then does the release step
// create the draft, attach the assets (`assets` input) and publish it.
// Nothing is uploaded afterwards: an immutable release takes no asset once
// published.
func TestReleaseWorkflowOrder(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".github", "workflows", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Name string            `yaml:"name"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	steps := wf.Jobs["release"].Steps
	if len(steps) == 0 {
		t.Fatal("release.yml has no release job steps")
	}
	find := func(what string, match func(i int) bool) int {
		t.Helper()
		for i := range steps {
			if match(i) {
				return i
			}
		}
		t.Fatalf("release.yml has no step that %s", what)
		return -1
	}
	build := find("runs goreleaser release --skip=publish", func(i int) bool {
		return strings.Contains(steps[i].Run, "goreleaser release") && strings.Contains(steps[i].Run, "--skip=publish")
	})
	pin := find("pins the archives' digests", func(i int) bool {
		return strings.Contains(steps[i].Run, "actions/install.sh pin")
	})
	attest := find("attests build provenance", func(i int) bool {
		return strings.HasPrefix(steps[i].Uses, "actions/attest-build-provenance@")
	})
	release := find("uses ./actions/release", func(i int) bool { return steps[i].Uses == "./actions/release" })
	if !(build < pin && pin < attest && attest < release) {
		t.Errorf("steps in the order build %d, pin %d, attest %d, release %d; want build < pin < attest < release", build, pin, attest, release)
	}
	if got := steps[attest].With["subject-path"]; !strings.Contains(got, "dist/shipflow_*.tar.gz") {
		t.Errorf("the attestation's subject-path %q does not name the archives", got)
	}
	assets := steps[release].With["assets"]
	for _, want := range []string{"dist/shipflow_*.tar.gz", "dist/shipflow_*.tar.gz.sbom.json"} {
		if !strings.Contains(assets, want) {
			t.Errorf("the release step's assets %q do not name %s", assets, want)
		}
	}
	for i, s := range steps {
		if strings.Contains(s.Run, "gh release upload") || strings.Contains(s.Run, "gh release edit") {
			t.Errorf("step %d (%s) changes the GitHub release outside the release step, which publishes it:\n%s", i, s.Name, s.Run)
		}
		if strings.Contains(s.Run, "goreleaser release") && !strings.Contains(s.Run, "--skip=publish") {
			t.Errorf("step %d (%s) runs goreleaser release without --skip=publish", i, s.Name)
		}
	}
}
