package github

import (
	"net/url"
	"strings"
)

// WebURL returns the web root of the GitHub whose REST API base URL or
// web root is u, with scheme, any port and no trailing slash:
//
//	https://api.github.com/            → https://github.com
//	https://api.HOST.ghe.com/          → https://HOST.ghe.com (Enterprise Cloud)
//	https://HOST[:PORT][/P]/api/v3/    → https://HOST[:PORT][/P] (Enterprise Server)
//	https://HOST[:PORT][/P]            → itself, a web root already
//
// Any user name or password in u is dropped. It returns "" when u is not
// an http(s) URL with a host.
func WebURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Hostname() == "" {
		return ""
	}
	host := strings.TrimSuffix(strings.ToLower(p.Hostname()), ".")
	if port := p.Port(); port != "" {
		host += ":" + port
	}
	path := strings.TrimSuffix(p.Path, "/")
	switch name := p.Hostname(); {
	case strings.EqualFold(name, "api.github.com"):
		return "https://github.com"
	case strings.HasPrefix(host, "api.") && strings.HasSuffix(strings.ToLower(name), ".ghe.com"):
		host = strings.TrimPrefix(host, "api.")
	}
	path = strings.TrimSuffix(path, "/api/v3")
	return p.Scheme + "://" + host + path
}

// WebURL returns the web root of the GitHub the client talks to: the one
// WithWebURL gave, else the one its API URL names (see the function
// WebURL).
func (c *Client) WebURL() string {
	if c.webURL != "" {
		return c.webURL
	}
	return WebURL(c.BaseURL())
}
