// Package imagetest gives tests outside release/image a registry and
// images without importing go-containerregistry themselves: an in-memory
// registry, random images as `docker save` tarballs, and a reader of tags
// and labels.
package imagetest

import (
	"context"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
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

// Trap is a registry stand-in on 127.0.0.1 that every connection made
// through its Transport reaches, whatever host and port the request names
// (ghcr.io:443, registry.example:80...), so that a test can see what a
// client would send to a remote registry without anything leaving the
// machine. It speaks plain HTTP only: a TLS handshake with it fails, so a
// request it records went out unencrypted. It answers every request
// without credentials with a Basic challenge (as a registry with htpasswd
// does), which is what makes a client send its credentials.
type Trap struct {
	// Transport dials the trap for every address.
	Transport *http.Transport

	mu       sync.Mutex
	requests []TrapRequest
}

// TrapRequest is one plain-HTTP request the trap received.
type TrapRequest struct {
	// Host is the Host header: the registry the client meant.
	Host, Method, Path string
	// Authorization is the header as sent ("" when none).
	Authorization string
}

// NewTrap starts a Trap for the test.
func NewTrap(t testing.TB) *Trap {
	t.Helper()
	tr := &Trap{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tr.mu.Lock()
		tr.requests = append(tr.requests, TrapRequest{Host: r.Host, Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization")})
		tr.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="trap"`)
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"errors":[{"code":"UNAUTHORIZED","message":"trap"}]}`)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"errors":[{"code":"NAME_UNKNOWN","message":"trap"}]}`)
	}))
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	var d net.Dialer
	tr.Transport = &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}
	t.Cleanup(tr.Transport.CloseIdleConnections)
	return tr
}

// Requests returns the plain-HTTP requests received so far.
func (tr *Trap) Requests() []TrapRequest {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]TrapRequest(nil), tr.requests...)
}
