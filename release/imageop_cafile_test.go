package release

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
)

// image.ca-file is repository content: read from inside the work tree the
// configuration came from, never through a link out of it, and a refusal
// points at the key's line and column.
func TestImageKnobsCAFileStaysInTheRepository(t *testing.T) {
	const cfgText = "image:\n  repository: registry.internal:5000/acme/app\n  ca-file: certs/ca.pem\n"
	tests := []struct {
		name  string
		setup func(t *testing.T, root, outside string)
		want  string // "" for success
	}{
		{"inside", func(t *testing.T, root, _ string) {
			testrunWrite(t, filepath.Join(root, "certs", "ca.pem"), "-----BEGIN CERTIFICATE-----\n")
		}, ""},
		{"committed link out", func(t *testing.T, root, outside string) {
			testrunLink(t, outside, filepath.Join(root, "certs", "ca.pem"))
		}, `.shipflow.yaml:3:12: image.ca-file: "certs/ca.pem" is a symbolic link to`},
		{"link to /proc", func(t *testing.T, root, _ string) {
			testrunLink(t, "/proc/self/environ", filepath.Join(root, "certs", "ca.pem"))
		}, "outside the repository"},
		{"over 1 MiB", func(t *testing.T, root, _ string) {
			testrunWrite(t, filepath.Join(root, "certs", "ca.pem"), strings.Repeat("x", 1<<20+1))
		}, "more than the 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			root, outside := filepath.Join(base, "repo"), filepath.Join(base, "private.key")
			testrunWrite(t, outside, "SECRET KEY")
			testrunWrite(t, filepath.Join(root, config.FileName), cfgText)
			tt.setup(t, root, outside)
			cfg, _, err := config.Load(root)
			if err != nil {
				t.Fatal(err)
			}
			knobs, err := ImageKnobs(cfg.Image, "ghcr.io/acme/app")
			if tt.want == "" {
				if err != nil || len(knobs) == 0 {
					t.Fatalf("ImageKnobs = %d knobs, %v", len(knobs), err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ImageKnobs error = %v, want a *config.Error containing %q", err, tt.want)
			}
		})
	}

	// A section not loaded from a repository has no work tree to read from.
	if _, err := ImageKnobs(config.Image{CAFile: "ca.pem"}, "x/y"); err == nil || !strings.Contains(err.Error(), "image.ca-file") {
		t.Errorf("ImageKnobs without a repository = %v", err)
	}
}
