package image

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
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
