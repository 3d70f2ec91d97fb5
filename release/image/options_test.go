package image

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// Plain HTTP only for loopback registries, unless asked for:
// go-containerregistry's name.Registry.Scheme() answers "http" for RFC 1918
// addresses and *.local hosts, and remote builds every URL with it.
func TestPlainHTTPOnlyForLoopback(t *testing.T) {
	cases := []struct {
		name     string
		host     string
		insecure bool
		wantHTTP bool // some request went out over plain HTTP
	}{
		{name: "private 10/8 over https", host: "10.1.2.3:5000"},
		{name: "private 172.16/12 over https", host: "172.16.0.9:5000"},
		{name: "private 192.168/16 over https", host: "192.168.1.10"},
		{name: "mdns .local over https", host: "registry.local:5000"},
		{name: "name containing 127.0.0.1 over https", host: "127.0.0.1.example.com"},
		{name: "public over https", host: "registry.example:5000"},
		{name: "127.0.0.1 may use http", host: "127.0.0.1:5000", wantHTTP: true},
		{name: "localhost may use http", host: "localhost:5000", wantHTTP: true},
		{name: "ipv6 loopback may use http", host: "[::1]:5000", wantHTTP: true},
		{name: "private with --insecure uses http", host: "10.1.2.3:5000", insecure: true, wantHTTP: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen []string
			// The proxy hook sees every request the transport would send,
			// and stops it there: nothing leaves the machine.
			tr := &http.Transport{Proxy: func(r *http.Request) (*url.URL, error) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, r.URL.Scheme+"://"+r.URL.Host+r.URL.Path)
				return nil, errors.New("stopped by the test")
			}}
			knobs := testKnobs(WithTransport(tr), WithRetry(1, time.Millisecond), WithInsecure(c.insecure))
			if _, err := Rollback(ctxT(t), RollbackOptions{Repository: c.host + "/app"}, knobs...); err == nil {
				t.Fatal("rollback through a transport that stops everything: no error")
			}
			mu.Lock()
			defer mu.Unlock()
			if len(seen) == 0 {
				t.Fatal("no request was made")
			}
			sawHTTP := false
			for _, u := range seen {
				if strings.HasPrefix(u, "http:") {
					sawHTTP = true
				}
			}
			if sawHTTP != c.wantHTTP {
				t.Errorf("requests %q: plain HTTP used = %v, want %v", seen, sawHTTP, c.wantHTTP)
			}
		})
	}
}

// WithInsecureRegistries is for lists from untrusted input: it lowers the
// transport only where no credentials are at stake. Every connection goes
// to a plain-HTTP trap that asks for credentials, so a downgrade shows as
// a request it records, and credentials sent in clear as its header.
func TestInsecureRegistriesNeverCarryCredentials(t *testing.T) {
	dockerConfig := t.TempDir()
	writeFile(t, filepath.Join(dockerConfig, "config.json"), []byte(`{"auths":{"registry.example:5000":{"auth":"`+
		base64.StdEncoding.EncodeToString([]byte("bob:docker-config-secret"))+`"}}}`))
	t.Setenv("DOCKER_CONFIG", dockerConfig)
	cases := []struct {
		name      string
		repo      string
		knobs     []Option
		wantPlain bool // some request went out over plain HTTP
		wantAuth  bool // one of them carried credentials
		wantHint  bool // the error says why the list did not apply
	}{
		{name: "ghcr.io listed, with GITHUB_TOKEN", repo: "ghcr.io/acme/app",
			knobs: []Option{WithInsecureRegistries("ghcr.io"), WithGitHubToken("", "ghs_SENTINEL")}, wantHint: true},
		{name: "listed, with docker config auth", repo: "registry.example:5000/app",
			knobs: []Option{WithInsecureRegistries("registry.example:5000"), WithKeychain(authn.DefaultKeychain)}, wantHint: true},
		{name: "listed, with --username", repo: "10.1.2.3:5000/app",
			knobs: []Option{WithInsecureRegistries("10.1.2.3:5000"), WithBasicAuth("10.1.2.3:5000", "bob", "secret")}, wantHint: true},
		{name: "listed, no credentials: plain HTTP allowed", repo: "10.1.2.3:5000/app",
			knobs: []Option{WithInsecureRegistries("10.1.2.3:5000"), WithBasicAuth("ghcr.io", "bob", "secret")}, wantPlain: true},
		{name: "another registry listed", repo: "registry.example:5000/app",
			knobs: []Option{WithInsecureRegistries("10.1.2.3:5000")}},
		{name: "--insecure is trusted: credentials may go in clear", repo: "10.1.2.3:5000/app",
			knobs: []Option{WithInsecure(true), WithBasicAuth("10.1.2.3:5000", "bob", "secret")}, wantPlain: true, wantAuth: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			trap := imagetest.NewTrap(t)
			knobs := append(testKnobs(WithTransport(trap.Transport), WithRetry(1, time.Millisecond)), c.knobs...)
			_, err := Rollback(ctxT(t), RollbackOptions{Repository: c.repo}, knobs...)
			if err == nil {
				t.Fatal("rollback against the trap: no error")
			}
			var plain, auth bool
			for _, r := range trap.Requests() {
				plain = true
				auth = auth || r.Authorization != ""
			}
			if plain != c.wantPlain || auth != c.wantAuth {
				t.Errorf("plain HTTP = %v, with credentials = %v; want %v, %v; requests %+v", plain, auth, c.wantPlain, c.wantAuth, trap.Requests())
			}
			if hint := strings.Contains(err.Error(), "listed as an insecure registry"); hint != c.wantHint {
				t.Errorf("error %q: hint = %v, want %v", err, hint, c.wantHint)
			}
			for _, secret := range []string{"ghs_SENTINEL", "docker-config-secret", "secret"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error shows a secret: %v", err)
				}
			}
		})
	}
}
