package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// init writes the deploy scripts with image.repository and
// image.watch.health of the .shipflow.yaml it finds as their defaults.
func TestInitDeployDefaultsFromConfig(t *testing.T) {
	g := gittest.New(t)
	g.WriteFile(".shipflow.yaml", "image:\n  repository: ghcr.io/acme/app\n  watch: {health: 'https://app.example/healthz'}\n")
	if code, out, errOut := branchRun(t, g.Dir, nil, "init"); code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	for _, name := range []string{"deploy_docker.sh", "rollback.sh"} {
		fi, err := os.Stat(filepath.Join(g.Dir, name))
		if err != nil || fi.Mode().Perm() != 0o755 {
			t.Fatalf("%s: %v, mode %v", name, err, fi.Mode())
		}
		b, err := os.ReadFile(filepath.Join(g.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "\ndefault_image='ghcr.io/acme/app'\n") {
			t.Errorf("%s does not default to image.repository", name)
		}
		if name == "deploy_docker.sh" && !strings.Contains(string(b), "\ndefault_health='https://app.example/healthz'\n") {
			t.Errorf("%s does not default to image.watch.health", name)
		}
	}
}
