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
	"github.com/google/go-containerregistry/pkg/v1/remote"
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

// digestsOf reads every tag of repo with go-containerregistry.
func digestsOf(t testing.TB, repo string) map[string]string {
	t.Helper()
	r, err := name.NewRepository(repo)
	if err != nil {
		t.Fatal(err)
	}
	tags, err := remote.List(r)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tag := range tags {
		d, err := remote.Head(r.Tag(tag))
		if err != nil {
			t.Fatal(err)
		}
		out[tag] = d.Digest.String()
	}
	return out
}

// labelsOf reads the config labels of ref.
func labelsOf(t testing.TB, ref string) map[string]string {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	img, err := remote.Image(r)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return cf.Config.Labels
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// quietRegistry is go-containerregistry's in-memory registry without logs.
func quietRegistry() http.Handler { return registry.New(registry.Logger(log.New(io.Discard, "", 0))) }
