// Package github is shipflow's GitHub REST client: a small Client with
// methods named for what shipflow does (find a release by tag, create it as
// a draft, publish it, report a check run or commit status, check what the
// token may do; for release PRs: make a commit through the git data API,
// point a branch at it, open, update, find and merge a pull request, read
// whether a branch takes direct pushes, upload release assets). It is the
// only package that imports go-github.
//
// Requests that GitHub rate limits or answers with a 5xx are retried a
// bounded number of times, honouring Retry-After and X-RateLimit-Reset.
// Errors say what was being attempted and never contain the token.
package github

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"
)

// DefaultBaseURL is the REST API of github.com.
const DefaultBaseURL = "https://api.github.com/"

// Client talks to one GitHub (github.com or a GitHub Enterprise Server).
type Client struct {
	gh     *gh.Client
	token  string
	webURL string
}

type options struct {
	baseURL    string
	webURL     string
	httpClient *http.Client
	retry      retryPolicy
}

// Option configures a Client.
type Option func(*options)

// WithBaseURL sets the REST API base URL, e.g. "https://ghe.example.com/api/v3/"
// for GitHub Enterprise Server ("/api/v3/" is appended to a bare host URL).
// The default is DefaultBaseURL.
func WithBaseURL(u string) Option { return func(o *options) { o.baseURL = u } }

// WithWebURL sets the web root of the GitHub the client talks to, where
// the pages of releases, commits and issues are, e.g. GITHUB_SERVER_URL.
// The default is the one the base URL names (see WebURL).
func WithWebURL(u string) Option { return func(o *options) { o.webURL = u } }

// WithHTTPClient sets the HTTP client whose transport carries the requests.
// The default is a client with http.DefaultTransport.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithRetry sets how often a rate limited or failed (5xx) request is retried
// and the longest wait before one retry; a longer Retry-After or rate limit
// reset is not waited for. The default is 3 retries and one minute.
func WithRetry(max int, maxWait time.Duration) Option {
	return func(o *options) { o.retry.max, o.retry.maxWait = max, maxWait }
}

// WithSleep sets how the client waits between retries; tests pass a function
// that records the duration and returns at once. The default sleeps on a
// timer and returns early with ctx's error when ctx ends.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(o *options) { o.retry.sleep = sleep }
}

// WithClock sets the clock used to turn X-RateLimit-Reset into a wait.
// The default is time.Now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.retry.now = now } }

// New returns a client that authenticates with token (none when empty).
//
// The token goes only to the API's own origins (the base URL's and the
// upload URL's scheme, host and port): a redirect to another origin is
// refused, and any other request the client makes goes without it. A base
// URL with plain HTTP is refused when there is a token, unless its host is
// this machine (127.0.0.0/8, ::1, localhost), as tests and tunnels use.
func New(token string, opts ...Option) (*Client, error) {
	o := options{
		baseURL: DefaultBaseURL,
		retry:   retryPolicy{max: 3, maxWait: time.Minute, sleep: sleepCtx, now: time.Now},
	}
	for _, opt := range opts {
		opt(&o)
	}
	hc := &http.Client{}
	if o.httpClient != nil {
		c := *o.httpClient
		hc = &c
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &retryTransport{base: base, policy: o.retry}
	// origins are the API's scheme://host:port, filled in below once the
	// base and upload URLs are known; the transport and the redirect check
	// share the map (go-github copies hc).
	origins := map[string]bool{}
	if token != "" {
		// Not go-github's WithAuthToken: it sets the header in a
		// RoundTripper on every request, below net/http's redirect
		// handling, so a redirect to another host got the token too.
		hc.Transport = &authTransport{base: hc.Transport, header: "Bearer " + token, origins: origins}
		next := hc.CheckRedirect
		hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if !origins[origin(req.URL)] {
				return fmt.Errorf("refusing to follow a redirect from %s to %s, another origin than the GitHub API's: the token is not sent there", origin(via[0].URL), origin(req.URL))
			}
			if next != nil {
				return next(req, via)
			}
			// net/http's default policy.
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return nil
		}
	}
	c := gh.NewClient(hc)
	if o.baseURL != DefaultBaseURL {
		u, err := url.Parse(o.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("github base URL %q is not an http(s) URL", redactURL(o.baseURL))
		}
		if u.User != nil {
			return nil, fmt.Errorf("github base URL %q must not carry credentials: pass the token instead", redactURL(o.baseURL))
		}
		if token != "" && u.Scheme == "http" && !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("github base URL %q uses plain HTTP, which would send the token in clear text: use https (plain HTTP is allowed only to this machine: 127.0.0.0/8, ::1, localhost)", redactURL(o.baseURL))
		}
		upload := *u
		upload.Path = strings.Replace(strings.TrimSuffix(u.Path, "/")+"/", "/api/v3/", "/api/uploads/", 1)
		c, err = c.WithEnterpriseURLs(u.String(), upload.String())
		if err != nil {
			return nil, fmt.Errorf("setting github base URL: %w", err)
		}
	}
	origins[origin(c.BaseURL)] = true
	origins[origin(c.UploadURL)] = true
	web := ""
	if o.webURL != "" {
		if web = WebURL(o.webURL); web == "" {
			return nil, fmt.Errorf("github web URL %q is not an http(s) URL", redactURL(o.webURL))
		}
	}
	return &Client{gh: c, token: token, webURL: web}, nil
}

// authTransport adds the Authorization header to requests for the API's
// origins and to no other.
type authTransport struct {
	base    http.RoundTripper
	header  string
	origins map[string]bool
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.origins[origin(req.URL)] {
		return t.base.RoundTrip(req)
	}
	// A RoundTripper must not change the request it was given.
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", t.header)
	return t.base.RoundTrip(req)
}

// origin returns u's scheme, host and port ("https://api.github.com:443"),
// lower-cased, with the scheme's default port made explicit, so that two
// spellings of one origin compare equal.
func origin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.TrimSuffix(host, "."), port)
}

// IsLoopback reports whether host (a name or an IP address, without port
// or brackets) is this machine: localhost, 127.0.0.0/8 or ::1. Plain HTTP
// may carry a token only there.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// BaseURL returns the REST API base URL the client uses.
func (c *Client) BaseURL() string { return c.gh.BaseURL.String() }

// Error is a failed GitHub request.
type Error struct {
	// Op says what was being attempted, e.g. `creating release "v1.2.0" in o/r`.
	Op string
	// StatusCode is the HTTP status, 0 when no answer came back.
	StatusCode int
	// Message is GitHub's message, with validation details.
	Message string
	// RateLimited is true when GitHub refused because of a rate limit.
	RateLimited bool
	// RetryAfter is how long GitHub asked to wait, when it said.
	RetryAfter time.Duration
	// AcceptedPermissions is GitHub's X-Accepted-GitHub-Permissions header:
	// the permissions the refused call needs, e.g. "contents=write".
	AcceptedPermissions string
	// Err is the underlying error, with the token removed.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	switch {
	case e.StatusCode != 0:
		fmt.Fprintf(&b, "%d %s", e.StatusCode, e.Message)
		if e.AcceptedPermissions != "" {
			fmt.Fprintf(&b, " (the token needs %s)", e.AcceptedPermissions)
		}
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString(e.Message)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// IsForbidden reports whether err is GitHub refusing the token (403) for a
// reason other than a rate limit: a read-only token, a fork pull request's
// token, a missing permission.
func IsForbidden(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusForbidden && !e.RateLimited
}

// IsNotFound reports whether err is a 404. GitHub also answers 404 when the
// token may not see the repository.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound
}

// IsValidation reports whether err is a 422: GitHub understood the request
// but refused its content (e.g. a release for that tag already exists).
func IsValidation(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusUnprocessableEntity
}

// wrap turns a go-github error into an *Error for op, removing the token.
func (c *Client) wrap(op string, resp *gh.Response, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Op: op, Err: err}
	if resp != nil && resp.Response != nil {
		e.StatusCode = resp.StatusCode
		e.AcceptedPermissions = resp.Header.Get("X-Accepted-GitHub-Permissions")
	}
	var (
		er  *gh.ErrorResponse
		rl  *gh.RateLimitError
		arl *gh.AbuseRateLimitError
	)
	switch {
	case errors.As(err, &rl):
		e.RateLimited = true
		e.Message = rl.Message
		if !rl.Rate.Reset.IsZero() {
			e.Message += fmt.Sprintf(" (resets at %s)", rl.Rate.Reset.UTC().Format(time.RFC3339))
		}
	case errors.As(err, &arl):
		e.RateLimited = true
		e.Message = arl.Message
		if arl.RetryAfter != nil {
			e.RetryAfter = *arl.RetryAfter
			if strings.Contains(arl.Message, "not making remote request") {
				// go-github's own refusal, with a wall-clock time in it.
				e.Message = fmt.Sprintf("secondary rate limit in force for another %s: not retried", e.RetryAfter.Round(time.Second))
			}
		}
		if e.StatusCode == 0 {
			e.StatusCode = http.StatusForbidden
		}
	case errors.As(err, &er):
		e.Message = er.Message
		var details []string
		for _, d := range er.Errors {
			switch {
			case d.Message != "":
				details = append(details, d.Message)
			default:
				details = append(details, strings.Trim(d.Resource+"."+d.Field, ".")+" "+d.Code)
			}
		}
		if len(details) > 0 {
			e.Message += " (" + strings.Join(details, "; ") + ")"
		}
	case e.StatusCode != 0:
		e.Message = http.StatusText(e.StatusCode)
	}
	if (e.StatusCode == http.StatusForbidden || e.StatusCode == http.StatusTooManyRequests) && resp != nil &&
		(resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-RateLimit-Remaining") == "0" ||
			strings.Contains(strings.ToLower(e.Message), "rate limit")) {
		e.RateLimited = true
	}
	if c.token != "" {
		e.Message = strings.ReplaceAll(e.Message, c.token, "[redacted]")
		if msg := err.Error(); strings.Contains(msg, c.token) {
			e.Err = errors.New(strings.ReplaceAll(msg, c.token, "[redacted]"))
		}
	}
	return e
}

// redactURL drops any userinfo from u for messages.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "<unparsable URL>"
	}
	if p.User != nil {
		p.User = url.User("redacted")
	}
	return p.String()
}

// Permissions is what the token may do in a repository.
type Permissions struct {
	// Known is false when GitHub did not say: GitHub App installation
	// tokens (Actions' GITHUB_TOKEN) get no "permissions" object.
	Known bool
	// Admin, Maintain, Push, Triage and Pull are the repository role's
	// rights as GitHub reports them for the token's user.
	Admin, Maintain, Push, Triage, Pull bool
	// Scopes are a classic token's OAuth scopes (X-OAuth-Scopes); nil when
	// GitHub did not send the header (fine-grained and app tokens).
	Scopes []string
}

// CanPush reports whether the token may push commits and tags and write
// releases. It is false when Known is false.
func (p Permissions) CanPush() bool {
	if !p.Known || !(p.Push || p.Maintain || p.Admin) {
		return false
	}
	if p.Scopes == nil {
		return true
	}
	for _, s := range p.Scopes {
		if s == "repo" || s == "public_repo" {
			return true
		}
	}
	return false
}

// Permissions reads what the token may do in owner/repo.
func (c *Client) Permissions(ctx context.Context, owner, repo string) (Permissions, error) {
	r, resp, err := c.gh.Repositories.Get(ctx, owner, repo)
	if err != nil {
		return Permissions{}, c.wrap(fmt.Sprintf("reading permissions of %s/%s", owner, repo), resp, err)
	}
	var p Permissions
	if m := r.Permissions; m != nil {
		p.Known = true
		p.Admin, p.Maintain, p.Push, p.Triage, p.Pull = m["admin"], m["maintain"], m["push"], m["triage"], m["pull"]
	}
	if h, ok := resp.Header["X-Oauth-Scopes"]; ok {
		p.Scopes = []string{}
		for _, s := range strings.Split(strings.Join(h, ","), ",") {
			if s = strings.TrimSpace(s); s != "" {
				p.Scopes = append(p.Scopes, s)
			}
		}
	}
	return p, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
