package github_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/shipflow/shipflow/release/github"
)

// recorder is a server that records the Authorization header of every
// request it gets and answers a repository.
type recorder struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
}

func newRecorder(t *testing.T) *recorder {
	return newRecorderAt(t, "127.0.0.1")
}

// newRecorderAt starts the recorder on address ip (a loopback address).
func newRecorderAt(t *testing.T, ip string) *recorder {
	rec := &recorder{}
	rec.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec.mu.Lock()
		rec.auths = append(rec.auths, req.Header.Get("Authorization"))
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":1,"name":"r","full_name":"o/r","permissions":{"push":true,"pull":true}}`))
	}))
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatalf("listening on %s: %v", ip, err)
	}
	rec.Listener.Close()
	rec.Listener = l
	rec.Start()
	t.Cleanup(rec.Close)
	return rec
}

func (rec *recorder) seen() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.auths...)
}

// TestTokenNotRedirectedToAnotherHost: an API that redirects to another
// host (127.0.0.2; Linux answers on all of 127.0.0.0/8) does not get the
// token sent there. go-github's WithAuthToken sets the header in a
// RoundTripper, below net/http's redirect handling, so net/http's removal
// of Authorization on a redirect to another domain does not help: before
// the fix the token arrived at the other host.
func TestTokenNotRedirectedToAnotherHost(t *testing.T) {
	other := newRecorderAt(t, "127.0.0.2")
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			var hops []string
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				hops = append(hops, req.Header.Get("Authorization"))
				http.Redirect(w, req, other.URL+req.URL.Path, code)
			}))
			defer api.Close()
			c, err := github.New(token, github.WithBaseURL(api.URL+"/api/v3/"))
			if err != nil {
				t.Fatal(err)
			}
			before := len(other.seen())
			_, err = c.Permissions(context.Background(), "o", "r")
			if len(hops) != 1 || hops[0] != "Bearer "+token {
				t.Errorf("the API got Authorization %q, want the token once", hops)
			}
			for _, a := range other.seen()[before:] {
				if strings.Contains(a, token) {
					t.Fatalf("the token was sent to the redirect's host %s", other.URL)
				}
			}
			if err == nil || strings.Contains(err.Error(), token) {
				t.Errorf("error = %v, want a refused redirect without the token", err)
			}
		})
	}
}

// TestTokenFollowsSameOriginRedirect: GitHub redirects a renamed
// repository to /repositories/ID on the same host; that keeps the token.
func TestTokenFollowsSameOriginRedirect(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		auths = append(auths, req.URL.Path+" "+req.Header.Get("Authorization"))
		mu.Unlock()
		if req.URL.Path == "/api/v3/repos/o/old" {
			http.Redirect(w, req, "/api/v3/repositories/1", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":1,"name":"r","full_name":"o/r","permissions":{"push":true,"pull":true}}`))
	}))
	defer api.Close()
	c, err := github.New(token, github.WithBaseURL(api.URL+"/api/v3/"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Permissions(context.Background(), "o", "old")
	if err != nil || !p.Push {
		t.Fatalf("Permissions = %+v, %v", p, err)
	}
	want := []string{"/api/v3/repos/o/old Bearer " + token, "/api/v3/repositories/1 Bearer " + token}
	if strings.Join(auths, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(auths, "\n"), strings.Join(want, "\n"))
	}
}

// TestPlainHTTPOnlyToLoopback: a token never travels in clear text except
// to this machine.
func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	tests := []struct {
		name, url, token string
		ok               bool
	}{
		{"http to a host, with a token", "http://ghe.example.com/api/v3/", token, false},
		{"http to an address, with a token", "http://10.1.2.3:8080/api/v3/", token, false},
		{"http to a host named like loopback", "http://127.0.0.1.example.com/api/v3/", token, false},
		{"http without a token", "http://ghe.example.com/api/v3/", "", true},
		{"https with a token", "https://ghe.example.com/api/v3/", token, true},
		{"http to 127.0.0.1", "http://127.0.0.1:8080/api/v3/", token, true},
		{"http to 127.1.2.3", "http://127.1.2.3/api/v3/", token, true},
		{"http to ::1", "http://[::1]:8080/api/v3/", token, true},
		{"http to localhost", "http://localhost:8080/api/v3/", token, true},
		{"http to LOCALHOST.", "http://LOCALHOST.:8080/api/v3/", token, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := github.New(tt.token, github.WithBaseURL(tt.url))
			if tt.ok && err != nil {
				t.Fatalf("New(%q) = %v", tt.url, err)
			}
			if !tt.ok && (err == nil || !strings.Contains(err.Error(), "plain HTTP")) {
				t.Fatalf("New(%q) = %v, want a refusal to send the token over plain HTTP", tt.url, err)
			}
		})
	}
}

// TestTokenOnlyToTheAPI: a request the client makes to any other origin
// (an absolute URL GitHub hands back) goes without the token.
func TestTokenOnlyToTheAPI(t *testing.T) {
	api := newRecorder(t)
	other := newRecorder(t)
	hc := &http.Client{}
	c, err := github.New(token, github.WithBaseURL(api.URL+"/api/v3/"), github.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Permissions(context.Background(), "o", "r"); err != nil {
		t.Fatal(err)
	}
	if got := api.seen(); len(got) != 1 || got[0] != "Bearer "+token {
		t.Errorf("the API got %q", got)
	}
	// The transport of the client given to New stays token-free.
	resp, err := hc.Get(other.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := other.seen(); len(got) != 1 || got[0] != "" {
		t.Errorf("another origin got %q", got)
	}
}
