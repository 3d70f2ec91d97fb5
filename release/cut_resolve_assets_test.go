package release_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
)

// The assets input replaces release.assets; both name globs.
func TestResolveReleaseAssets(t *testing.T) {
	cfg, err := config.Parse(".shipflow.yaml", []byte("release:\n  assets: [dist/*.tar.gz, sbom.json]\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   release.Inputs
		want []string
	}{
		{"config", release.NoInputs{}, []string{"dist/*.tar.gz", "sbom.json"}},
		{"input", release.MapInputs{"assets": "out/*.zip\nout/*.deb, checksums/*"}, []string{"out/*.zip", "out/*.deb", "checksums/*"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := release.ResolveRelease(context.Background(), tc.in, cfg, release.CI{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, o.Assets); diff != "" {
				t.Errorf("assets (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := config.Parse(".shipflow.yaml", []byte("release:\n  assets: dist/*.tar.gz\n")); err == nil {
		t.Error("a string for release.assets was accepted; it is a list")
	}
}
