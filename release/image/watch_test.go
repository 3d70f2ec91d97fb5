package image

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// deadlineClock ticks n times, as fast as Watch takes the ticks, then
// fires the deadline: ticks are unbuffered, so the deadline comes only
// once Watch is back in its select after the last tick.
type deadlineClock struct {
	n     int
	ticks chan time.Time
	dl    chan time.Time
}

func newDeadlineClock(n int) *deadlineClock {
	return &deadlineClock{n: n, ticks: make(chan time.Time), dl: make(chan time.Time)}
}

func (c *deadlineClock) Ticker(time.Duration) (<-chan time.Time, func()) {
	stop := make(chan struct{})
	go func() {
		for i := 0; i < c.n; i++ {
			select {
			case c.ticks <- time.Unix(int64(i), 0):
			case <-stop:
				return
			}
		}
		select {
		case c.dl <- time.Time{}:
		case <-stop:
		}
	}()
	return c.ticks, func() { close(stop) }
}
func (c *deadlineClock) After(time.Duration) <-chan time.Time { return c.dl }
func (c *deadlineClock) Now() time.Time                       { return time.Unix(0, 0) }

// healthServer answers the i-th request (from 0) with status(i).
func healthServer(t *testing.T, status func(i int) int) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status(int(n.Add(1) - 1)))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// seedReleases pushes the versions in order and returns their digests.
func seedReleases(t *testing.T, repo string, knobs []Option, versions ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range versions {
		rep, err := Push(ctxT(t), PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: v}, knobs...)
		if err != nil {
			t.Fatal(err)
		}
		out[v] = rep.Digest
	}
	return out
}

// The watch tests take their ticks and deadline from a test clock, and
// give each check the hang guard as its timeout: a check slowed down by a
// busy machine must not turn into a failed one.
func TestWatch(t *testing.T) {
	cases := []struct {
		name        string
		status      func(i int) int
		ticks       int
		wantChecks  int
		wantOutcome string
	}{
		{name: "turns unhealthy", status: func(i int) int { return map[bool]int{true: 200, false: 500}[i < 2] }, ticks: 20, wantChecks: 5, wantOutcome: "rolled back"},
		{name: "any non-200 is unhealthy", status: func(i int) int { return map[bool]int{true: 200, false: 204}[i < 1] }, ticks: 20, wantChecks: 4, wantOutcome: "rolled back"},
		{name: "flapping never reaches the limit", status: func(i int) int { return map[bool]int{true: 200, false: 503}[i%3 == 2] }, ticks: 9, wantChecks: 10, wantOutcome: "healthy"},
		{name: "healthy until the deadline", status: func(int) int { return 200 }, ticks: 4, wantChecks: 5, wantOutcome: "healthy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo := memRegistry(t) + "/app"
			d := seedReleases(t, repo, testKnobs(), "1.2.3", "1.3.0")
			srv, hits := healthServer(t, c.status)
			rep, err := Watch(ctxT(t), WatchOptions{
				Health: srv.URL + "/healthz", Failures: 3, Interval: time.Second, Timeout: hangGuard,
				Rollback: RollbackOptions{Repository: repo}, Clock: newDeadlineClock(c.ticks),
			}, testKnobs()...)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Outcome != c.wantOutcome || len(rep.Checks) != c.wantChecks || int(hits.Load()) != c.wantChecks {
				t.Errorf("outcome %q after %d checks (%d requests), want %q after %d", rep.Outcome, len(rep.Checks), hits.Load(), c.wantOutcome, c.wantChecks)
			}
			for i, ch := range rep.Checks {
				if ch.Status != c.status(i) {
					t.Errorf("check %d: status %d, want %d", i, ch.Status, c.status(i))
				}
			}
			want := map[string]string{"1.2.3": d["1.2.3"], "1.2": d["1.2.3"], "1.3.0": d["1.3.0"], "1.3": d["1.3.0"], "1": d["1.3.0"], "latest": d["1.3.0"]}
			if c.wantOutcome == "rolled back" {
				// Exactly one rollback: a second would find no release below 1.2.3.
				want["1"], want["latest"] = d["1.2.3"], d["1.2.3"]
				if rep.Target != "1.2.3" || rep.Rollback == nil || rep.Rollback.To != "1.2.3" {
					t.Errorf("rollback = %+v, want one to 1.2.3", rep.Rollback)
				}
			} else if rep.Rollback != nil {
				t.Errorf("rolled back while healthy: %+v", rep.Rollback)
			}
			if diff := cmp.Diff(want, imagetest.Tags(t, repo)); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWatchTimeoutIsUnhealthy(t *testing.T) {
	repo := memRegistry(t) + "/app"
	seedReleases(t, repo, testKnobs(), "1.0.0", "1.1.0")
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	// Each check times out after 20ms of real time (the server never
	// answers, so that holds at any load); the ticks and the deadline come
	// from the test clock, so a slow machine cannot reach MaxDuration first.
	rep, err := Watch(ctxT(t), WatchOptions{
		Health: srv.URL, Failures: 2, Interval: 10 * time.Millisecond, Timeout: 20 * time.Millisecond,
		Rollback: RollbackOptions{Repository: repo}, Clock: newDeadlineClock(100),
	}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != "rolled back" || len(rep.Checks) != 2 || rep.Rollback.To != "1.0.0" || rep.Checks[0].Status != 0 {
		t.Errorf("outcome %q after %d checks, rollback %+v; want rolled back to 1.0.0 after 2", rep.Outcome, len(rep.Checks), rep.Rollback)
	}
}

func TestWatchStopsOnCancel(t *testing.T) {
	repo := memRegistry(t) + "/app"
	seedReleases(t, repo, testKnobs(), "1.0.0", "1.1.0")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancelled during the first check, after the rollback was resolved.
	srv, _ := healthServer(t, func(int) int { cancel(); return 200 })
	rep, err := Watch(ctx, WatchOptions{Health: srv.URL, Interval: time.Hour, Timeout: hangGuard, Rollback: RollbackOptions{Repository: repo}}, testKnobs()...)
	if err != context.Canceled || rep == nil || rep.Outcome != "stopped" {
		t.Errorf("Watch cancelled = %+v, %v; want stopped, context.Canceled", rep, err)
	}
}

// A health URL that can never answer, or a repository with nothing to roll
// back to, fails before the first check: a typo must not roll back a
// healthy release, and a watch that cannot roll back must not pretend to
// guard one.
func TestWatchRefusesBeforeChecking(t *testing.T) {
	cases := []struct {
		name     string
		health   string // "" is the test's health server
		versions []string
		want     string
		input    bool // an *InputError; else ErrNoTarget
	}{
		{name: "scheme typo", health: "htp://app.example/healthz", versions: []string{"1.0.0", "1.1.0"}, want: `scheme "htp" is not http or https`, input: true},
		{name: "unclosed ipv6 bracket", health: "http://[::1", versions: []string{"1.0.0", "1.1.0"}, want: `health URL "http://[::1"`, input: true},
		{name: "relative", health: "/healthz", versions: []string{"1.0.0", "1.1.0"}, want: "is not http or https", input: true},
		{name: "no host", health: "http:///healthz", versions: []string{"1.0.0", "1.1.0"}, want: "has no host", input: true},
		{name: "bad port", health: "http://app.example:99999/", versions: []string{"1.0.0", "1.1.0"}, want: "is not 1-65535", input: true},
		{name: "nothing below the release", versions: []string{"1.0.0"}, want: "no release below 1.0.0"},
		{name: "no release at all", versions: nil, want: "has no release tag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo := memRegistry(t) + "/app"
			seedReleases(t, repo, testKnobs(), c.versions...)
			srv, hits := healthServer(t, func(int) int { return 500 })
			health := c.health
			if health == "" {
				health = srv.URL
			}
			var before map[string]string
			if c.versions != nil {
				before = imagetest.Tags(t, repo)
			}
			rep, err := Watch(ctxT(t), WatchOptions{Health: health, Failures: 1, Interval: time.Millisecond, Rollback: RollbackOptions{Repository: repo}}, testKnobs()...)
			switch {
			case err == nil || !strings.Contains(err.Error(), c.want):
				t.Fatalf("error = %v, want one saying %q", err, c.want)
			case c.input && !errors.As(err, new(*InputError)):
				t.Errorf("error = %v, want an *InputError", err)
			case !c.input && !errors.Is(err, ErrNoTarget):
				t.Errorf("error = %v, want ErrNoTarget", err)
			}
			if rep != nil || hits.Load() != 0 {
				t.Errorf("watched anyway: report %+v, %d checks", rep, hits.Load())
			}
			if c.versions == nil {
				return
			}
			if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
				t.Errorf("tags changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestWatchValidates(t *testing.T) {
	if _, err := Watch(ctxT(t), WatchOptions{Rollback: RollbackOptions{Repository: "r/a"}}); err == nil {
		t.Error("no health URL: no error")
	}
	if _, err := Watch(ctxT(t), WatchOptions{Health: "http://127.0.0.1:1"}); err == nil {
		t.Error("no repository: no error")
	}
}

// A redirect is followed only within the health URL's origin (scheme, host
// and port): a /healthz that sends the checker to a login or maintenance
// page on another host is down, whatever that page answers (D7).
func TestWatchRedirects(t *testing.T) {
	// Two real servers on 127.0.0.1: different ports are different origins.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "please log in")
	}))
	t.Cleanup(other.Close)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cross":
			http.Redirect(w, r, other.URL+"/login", http.StatusFound)
		case "/same":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		case "/same-absolute":
			http.Redirect(w, r, "http://"+r.Host+"/ok", http.StatusTemporaryRedirect)
		case "/via-same-then-cross":
			http.Redirect(w, r, "/cross", http.StatusFound)
		case "/ok":
			io.WriteString(w, "ok")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(app.Close)
	cases := []struct {
		name        string
		path        string
		wantOutcome string
		wantResult  []string // in the last check's result
	}{
		{name: "to another port", path: "/cross", wantOutcome: "rolled back", wantResult: []string{"302 Found", "redirect to " + other.URL + "/login", "leaves " + app.URL}},
		{name: "same origin, relative", path: "/same", wantOutcome: "healthy", wantResult: []string{"200 OK"}},
		{name: "same origin, absolute", path: "/same-absolute", wantOutcome: "healthy", wantResult: []string{"200 OK"}},
		{name: "same origin, then another", path: "/via-same-then-cross", wantOutcome: "rolled back", wantResult: []string{"302 Found", "redirect to " + other.URL + "/login"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo := memRegistry(t) + "/app"
			seedReleases(t, repo, testKnobs(), "1.0.0", "1.1.0")
			rep, err := Watch(ctxT(t), WatchOptions{
				Health: app.URL + c.path, Failures: 2, Interval: time.Second, Timeout: hangGuard,
				Rollback: RollbackOptions{Repository: repo}, Clock: newDeadlineClock(3),
			}, testKnobs()...)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Outcome != c.wantOutcome {
				t.Errorf("outcome %q, want %q; checks %+v", rep.Outcome, c.wantOutcome, rep.Checks)
			}
			last := rep.Checks[len(rep.Checks)-1].Result
			for _, want := range c.wantResult {
				if !strings.Contains(last, want) {
					t.Errorf("last check %q lacks %q", last, want)
				}
			}
		})
	}
}
