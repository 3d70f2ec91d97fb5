package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Clock is the time source of Watch; tests drive it by hand.
type Clock interface {
	// Ticker ticks every d until stop is called.
	Ticker(d time.Duration) (ticks <-chan time.Time, stop func())
	// After fires once after d.
	After(d time.Duration) <-chan time.Time
	// Now is the current time.
	Now() time.Time
}

type realClock struct{}

func (realClock) Ticker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
func (realClock) Now() time.Time                         { return time.Now() }

// WatchOptions are the inputs of Watch.
type WatchOptions struct {
	// Health is the URL to poll, an absolute http or https URL: 200 is
	// healthy; any other status, a timeout or a connection error is not.
	// Redirects are followed only within its origin (scheme, host and
	// port); a redirect to another origin is a failed check.
	Health string
	// Failures is how many unhealthy checks in a row trigger the
	// rollback. Default 3.
	Failures int
	// Interval is the time between checks. Default 10s.
	Interval time.Duration
	// Timeout bounds one check. Default the interval, at most 10s.
	Timeout time.Duration
	// MaxDuration bounds the watch: it stops by itself, healthy, after
	// it. Default 10m.
	MaxDuration time.Duration
	// Rollback says what to roll back. Its target is resolved before the
	// first check and kept: with To empty, the highest stable version
	// below the release latest names then.
	Rollback RollbackOptions
	// Client sends the checks; its CheckRedirect is replaced by the
	// same-origin rule. Default http.DefaultClient.
	Client *http.Client
	// Clock drives the checks. Default the real clock.
	Clock Clock
}

// Check is one health check.
type Check struct {
	Time    time.Time `json:"time"`
	Healthy bool      `json:"healthy"`
	// Result is the status ("200 OK") or the error.
	Result string `json:"result"`
	// Status is the HTTP status code; 0 when no answer came (a timeout,
	// a connection error).
	Status int `json:"status,omitempty"`
}

// WatchReport is what Watch saw and did.
type WatchReport struct {
	Health string `json:"health"`
	// Checks are every check, oldest first.
	Checks []Check `json:"checks"`
	// Outcome is "healthy" (MaxDuration passed without Failures failures
	// in a row), "rolled back" or "stopped" (ctx was cancelled).
	Outcome string `json:"outcome"`
	// Target is the version a rollback goes to, resolved before the first
	// check.
	Target string `json:"target"`
	// Rollback is the rollback done, once at most.
	Rollback *RollbackReport `json:"rollback"`
}

// Watch polls opts.Health every opts.Interval, starting at once. After
// opts.Failures unhealthy checks in a row it rolls back once (see
// Rollback) and returns; after opts.MaxDuration it returns without doing
// anything. A failed rollback is returned with the report.
//
// Before the first check it validates the URL (not an absolute http(s)
// URL: an *InputError) and resolves the rollback with a dry run, so that
// a watch that could not roll back fails before it starts (nothing to roll
// back to wraps ErrNoTarget).
func Watch(ctx context.Context, opts WatchOptions, knobs ...Option) (*WatchReport, error) {
	if opts.Health == "" {
		return nil, &InputError{Err: errors.New("no health URL to watch")}
	}
	if err := checkHealthURL(opts.Health); err != nil {
		return nil, &InputError{Err: err}
	}
	if opts.Rollback.Repository == "" {
		return nil, &InputError{Err: errors.New("no repository to roll back")}
	}
	if opts.Failures <= 0 {
		opts.Failures = 3
	}
	if opts.Interval <= 0 {
		opts.Interval = 10 * time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = min(opts.Interval, 10*time.Second)
	}
	if opts.MaxDuration <= 0 {
		opts.MaxDuration = 10 * time.Minute
	}
	if opts.Client == nil {
		opts.Client = http.DefaultClient
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	plan := opts.Rollback
	plan.DryRun = true
	planned, err := Rollback(ctx, plan, knobs...)
	if err != nil {
		return nil, fmt.Errorf("resolving the rollback before watching: %w", err)
	}
	if len(planned.Tags) == 0 {
		return nil, fmt.Errorf("resolving the rollback before watching: no moving tag of %s names the bad release %s, so a rollback to %s would move nothing: %w", planned.Repository, planned.From, planned.To, ErrNoTarget)
	}
	opts.Rollback.To = planned.To
	rep := &WatchReport{Health: opts.Health, Checks: []Check{}, Target: planned.To}
	deadline := opts.Clock.After(opts.MaxDuration)
	ticks, stop := opts.Clock.Ticker(opts.Interval)
	defer stop()
	streak := 0
	for {
		c := check(ctx, opts.Client, opts.Health, opts.Timeout)
		c.Time = opts.Clock.Now()
		rep.Checks = append(rep.Checks, c)
		if c.Healthy {
			streak = 0
		} else {
			streak++
		}
		if streak >= opts.Failures {
			rep.Outcome = "rolled back"
			rb, err := Rollback(ctx, opts.Rollback, knobs...)
			rep.Rollback = rb
			if err != nil {
				return rep, fmt.Errorf("rolling back after %d failed health checks: %w", streak, err)
			}
			return rep, nil
		}
		select {
		case <-ctx.Done():
			rep.Outcome = "stopped"
			return rep, ctx.Err()
		case <-deadline:
			rep.Outcome = "healthy"
			return rep, nil
		case <-ticks:
		}
	}
}

// checkHealthURL accepts an absolute http or https URL with a host: a typo
// such as "htp://" or "http://[::1" would otherwise fail every check and
// roll back a healthy release.
func checkHealthURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("health URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("health URL %q: scheme %q is not http or https", raw, u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("health URL %q has no host", raw)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("health URL %q: port %q is not 1-65535", raw, p)
		}
	}
	return nil
}

// maxRedirects is how many same-origin redirects a check follows, as
// many as net/http's default policy.
const maxRedirects = 10

// check sends one GET to target. Redirects are followed only within
// target's origin: a health endpoint that redirects elsewhere (a login or
// maintenance page, often on another host) is not serving the release, so
// the redirect itself is the answer and it is unhealthy, whatever the
// other page would say.
func check(ctx context.Context, client *http.Client, target string, timeout time.Duration) Check {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return Check{Result: err.Error()}
	}
	var left *url.URL // the redirect that left the origin
	c := *client
	c.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		if !sameOrigin(next.URL, via[0].URL) {
			left = next.URL
			return http.ErrUseLastResponse
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
	resp, err := c.Do(req)
	if err != nil {
		return Check{Result: err.Error()}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if left != nil {
		return Check{Status: resp.StatusCode, Result: fmt.Sprintf("%s: redirect to %s leaves %s (redirects are followed only within the health URL's scheme, host and port)", resp.Status, left.Redacted(), origin(req.URL))}
	}
	return Check{Healthy: resp.StatusCode == http.StatusOK, Status: resp.StatusCode, Result: resp.Status}
}

// sameOrigin says whether a and b have the same scheme, host and port
// (an omitted port is the scheme's default).
func sameOrigin(a, b *url.URL) bool {
	return origin(a) == origin(b)
}

// origin is scheme://host:port, lower case, with the default port filled in.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
