package image

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// testKnobs keep tests hermetic (no docker config) and fast (retries
// after 1ms, not 1s).
func testKnobs(extra ...Option) []Option {
	return append([]Option{WithRetry(3, time.Millisecond), WithKeychain(authn.NewMultiKeychain())}, extra...)
}

// memRegistry starts go-containerregistry's in-memory registry and
// returns its host:port.
func memRegistry(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(quietRegistry())
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// randomImage is a small random image carrying base labels that must not
// leak into pushed images.
func randomImage(t testing.TB, size, layers int64) v1.Image {
	t.Helper()
	img, err := random.Image(size, layers)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg := cf.Config
	cfg.Labels = map[string]string{
		"org.opencontainers.image.version":     "9.9.9",
		"org.opencontainers.image.title":       "base",
		"org.opencontainers.image.description": "the base image",
		"org.opencontainers.image.url":         "https://base.example",
		"maintainer":                           "base team",
	}
	cfg.Env = []string{"PATH=/bin"}
	img, err = mutate.Config(img, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// tarballOf writes img as a `docker save` tarball and returns its path.
func tarballOf(t testing.TB, img v1.Image) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "image.tar")
	tag, _ := name.NewTag("example.com/app:build")
	if err := tarball.WriteToFile(p, tag, img); err != nil {
		t.Fatal(err)
	}
	return p
}

// hangGuard bounds a whole test or scenario. It only stops a test that
// hangs: it is minutes so that no test depends on the machine's speed (a
// 30 s deadline over the registry scenario failed on a 2-core machine at
// load 30).
const hangGuard = 5 * time.Minute

// ctxT is a context for one test, cancelled by the hang guard or when the
// test ends.
func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	t.Cleanup(cancel)
	return ctx
}

// quietRegistry is go-containerregistry's in-memory registry without logs.
func quietRegistry() http.Handler { return registry.New(registry.Logger(log.New(io.Discard, "", 0))) }
