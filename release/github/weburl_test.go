package github_test

import (
	"testing"

	"github.com/shipflow/shipflow/release/github"
)

// TestWebURL: the web root of a GitHub, from its REST API URL or its web
// root, is where changelog links point.
func TestWebURL(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"github.com API", "https://api.github.com/", "https://github.com"},
		{"github.com API without slash", "https://api.github.com", "https://github.com"},
		{"github.com web", "https://github.com/", "https://github.com"},
		{"Enterprise Cloud API", "https://api.octo.ghe.com/", "https://octo.ghe.com"},
		{"Enterprise Server API", "https://ghe.example.com/api/v3/", "https://ghe.example.com"},
		{"Enterprise Server API with port", "https://ghe.example.com:8443/api/v3", "https://ghe.example.com:8443"},
		{"Enterprise Server web", "https://GHE.example.com", "https://ghe.example.com"},
		{"Enterprise Server under a path", "https://example.com/github/api/v3/", "https://example.com/github"},
		{"credentials dropped", "https://user:secret@ghe.example.com/api/v3/", "https://ghe.example.com"},
		{"not a URL", "ghe.example.com", ""},
		{"empty", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := github.WebURL(tt.in); got != tt.want {
				t.Errorf("WebURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestClientWebURL: a client knows its GitHub's web root from its API
// URL, unless told (GITHUB_SERVER_URL).
func TestClientWebURL(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []github.Option
		want string
	}{
		{"default", nil, "https://github.com"},
		{"Enterprise Server", []github.Option{github.WithBaseURL("https://ghe.example.com/api/v3/")}, "https://ghe.example.com"},
		{"told", []github.Option{github.WithBaseURL("https://ghe.example.com/api/v3/"), github.WithWebURL("https://ghe.example.com:8443/")}, "https://ghe.example.com:8443"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := github.New("", tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.WebURL(); got != tt.want {
				t.Errorf("WebURL() = %q, want %q", got, tt.want)
			}
		})
	}
}
