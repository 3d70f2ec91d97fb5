// Package imagetest gives tests outside release/image a registry and
// images without importing go-containerregistry themselves: an in-memory
// registry, random images as `docker save` tarballs, and a reader of tags
// and labels.
package imagetest

import (
	"io"
	"log"
	"math/rand"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Registry starts go-containerregistry's in-memory registry for the test
// and returns its host:port (plain HTTP on 127.0.0.1).
func Registry(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// Tarball writes a single-layer image of size random bytes as a `docker
// save` tarball in a temporary directory and returns its path. The same
// seed gives the same image, so digests in golden files stay put.
func Tarball(t testing.TB, size, seed int64) string {
	t.Helper()
	img, err := random.Image(size, 1, random.WithSource(rand.NewSource(seed)))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "image.tar")
	tag, _ := name.NewTag("example.com/app:build")
	if err := tarball.WriteToFile(p, tag, img); err != nil {
		t.Fatal(err)
	}
	return p
}

// Tags returns every tag of repo (REGISTRY/REPO) with its digest.
func Tags(t testing.TB, repo string) map[string]string {
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

// Labels returns the config labels of ref (REGISTRY/REPO:TAG).
func Labels(t testing.TB, ref string) map[string]string {
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
