package release

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// image.insecure-registries comes from the repository, which anyone can
// write in a pull request: listing ghcr.io there must not make shipflow
// send GITHUB_TOKEN over plain HTTP (or to an unverified server). Every
// connection goes to a plain-HTTP trap that asks for credentials, so a
// downgrade would show as a request it records.
func TestImageKnobsInsecureListNeverDowngradesCredentials(t *testing.T) {
	const token = "ghs_SENTINEL0123456789"
	cfg := config.Image{InsecureRegistries: []string{"ghcr.io"}}
	knobs, err := ImageKnobs(cfg, "ghcr.io/acme/app")
	if err != nil {
		t.Fatal(err)
	}
	trap := imagetest.NewTrap(t)
	knobs = append(knobs,
		image.WithGitHubToken("", token),
		image.WithKeychain(authn.NewMultiKeychain()), // no docker config
		image.WithTransport(trap.Transport),
		image.WithRetry(1, time.Millisecond),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // hang guard
	defer cancel()
	_, err = image.Rollback(ctx, image.RollbackOptions{Repository: "ghcr.io/acme/app"}, knobs...)
	if err == nil {
		t.Fatal("rollback against a trap that speaks no TLS: no error")
	}
	for _, r := range trap.Requests() {
		if r.Authorization != "" {
			t.Errorf("credentials sent over plain HTTP: %s %s%s with Authorization %q", r.Method, r.Host, r.Path, r.Authorization)
		} else {
			t.Errorf("ghcr.io reached over plain HTTP: %s %s%s", r.Method, r.Host, r.Path)
		}
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("error shows the token: %v", err)
	}
}
