package github

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type retryPolicy struct {
	max     int
	maxWait time.Duration
	sleep   func(context.Context, time.Duration) error
	now     func() time.Time
}

// retryTransport retries rate limited and 5xx answers below go-github, so
// go-github only sees the last answer. (go-github remembers a secondary rate
// limit and refuses further calls on the wall clock until it passes; doing
// the waiting here keeps that from firing while a retry is still allowed.)
type retryTransport struct {
	base   http.RoundTripper
	policy retryPolicy
}

// secondaryWait is how long to wait after a secondary rate limit answer that
// carries neither Retry-After nor X-RateLimit-Reset: "wait for at least one
// minute before retrying" (docs.github.com/rest/using-the-rest-api/
// best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately).
const secondaryWait = time.Minute

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.Body != nil {
			if req.GetBody == nil {
				return nil, errNoRewind
			}
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		resp, err := t.base.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		wait, retry := t.wait(req, resp, attempt)
		if !retry || attempt >= t.policy.max || wait > t.policy.maxWait {
			return resp, nil
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if err := t.policy.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

type rewindError struct{}

func (rewindError) Error() string { return "cannot retry a request whose body cannot be re-read" }

var errNoRewind error = rewindError{}

// wait decides whether resp is worth retrying and after how long.
func (t *retryTransport) wait(req *http.Request, resp *http.Response, attempt int) (time.Duration, bool) {
	switch {
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests:
		if v := resp.Header.Get("Retry-After"); v != "" {
			if s, err := strconv.Atoi(v); err == nil && s >= 0 {
				return time.Duration(s) * time.Second, true
			}
		}
		if resp.Header.Get("X-RateLimit-Remaining") == "0" {
			if v, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
				// One extra second: the reset time is rounded down to seconds.
				return max(time.Unix(v, 0).Sub(t.policy.now())+time.Second, 0), true
			}
		}
		// A secondary rate limit without headers is only told by its message;
		// a plain 403 (no permission) is final.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if strings.Contains(strings.ToLower(string(body)), "secondary rate limit") {
			return secondaryWait, true
		}
		return 0, false
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		// A POST that failed with a 5xx may have taken effect (a release
		// created twice); callers make creation idempotent by looking up
		// first, so only requests that can be repeated safely retry here.
		if req.Method == http.MethodPost {
			return 0, false
		}
		if v := resp.Header.Get("Retry-After"); v != "" {
			if s, err := strconv.Atoi(v); err == nil && s >= 0 {
				return time.Duration(s) * time.Second, true
			}
		}
		// 1s, 2s, 4s, ...
		return time.Second << attempt, true
	}
	return 0, false
}
