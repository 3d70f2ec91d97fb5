package image

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// faultProxy sits in front of a registry and breaks requests on demand.
type faultProxy struct {
	Host   string
	mu     sync.Mutex
	faults []*fault
	puts   []string // manifest PUT paths seen, in order
	// uploaded counts the body bytes of blob uploads passing through.
	uploaded atomic.Int64
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n *atomic.Int64
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// fault breaks the next n requests (n < 0: all) with method whose path
// contains path: with an HTTP status, a connection reset, or a delay
// before forwarding.
type fault struct {
	method, path string
	n            int
	status       int
	reset        bool
	delay        time.Duration
	hit          atomic.Int64
}

func startFaultProxy(t *testing.T, target string) *faultProxy {
	u, _ := url.Parse("http://" + target)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorLog = nil
	p := &faultProxy{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/manifests/") {
			p.mu.Lock()
			p.puts = append(p.puts, r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:])
			p.mu.Unlock()
		}
		if r.Body != nil && strings.Contains(r.URL.Path, "/blobs/uploads/") {
			r.Body = struct {
				countingReader
				io.Closer
			}{countingReader{r.Body, &p.uploaded}, r.Body}
		}
		if f := p.match(r); f != nil {
			switch {
			case f.reset:
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					if tc, ok := conn.(*net.TCPConn); ok {
						_ = tc.SetLinger(0) // RST, not FIN
					}
					conn.Close()
				}
				return
			case f.status != 0:
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(f.status)
				fmt.Fprintf(w, `{"errors":[{"code":"UNKNOWN","message":"injected %d"}]}`, f.status)
				return
			case f.delay > 0:
				time.Sleep(f.delay)
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.Host = strings.TrimPrefix(srv.URL, "http://")
	return p
}

func (p *faultProxy) add(f *fault) *fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, f)
	return f
}

func (p *faultProxy) match(r *http.Request) *fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.faults {
		if f.n != 0 && (f.method == "" || f.method == r.Method) && strings.Contains(r.URL.Path, f.path) {
			if f.n > 0 {
				f.n--
			}
			f.hit.Add(1)
			return f
		}
	}
	return nil
}

func (p *faultProxy) manifestPuts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.puts...)
}

func TestFaultsRetried(t *testing.T) {
	reg := startRegistry(t, false)
	cases := []struct {
		name  string
		fault *fault
	}{
		{"5xx on blob uploads", &fault{method: http.MethodPatch, path: "/blobs/uploads/", n: 2, status: http.StatusServiceUnavailable}},
		{"5xx on blob existence checks", &fault{method: http.MethodHead, path: "/blobs/", n: 2, status: http.StatusBadGateway}},
		{"reset on the manifest upload", &fault{method: http.MethodPut, path: "/manifests/sha256:", n: 1, reset: true}},
		{"reset on a tag write", &fault{method: http.MethodPut, path: "/manifests/latest", n: 1, reset: true}},
		{"5xx on the tag list", &fault{method: http.MethodGet, path: "/tags/list", n: 2, status: http.StatusInternalServerError}},
		{"slow responses", &fault{path: "/v2/", n: -1, delay: 30 * time.Millisecond}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := startFaultProxy(t, reg.Host)
			repo := fmt.Sprintf("%s/retry%d", p.Host, i)
			p.add(c.fault)
			rep, err := Push(ctxT(t), PushOptions{From: tarballOf(t, randomImage(t, 1024, 2)), To: repo, Version: "1.0.0"}, reg.knobs()...)
			if err != nil {
				t.Fatalf("push through %s: %v", c.name, err)
			}
			if c.fault.hit.Load() == 0 {
				t.Fatalf("the fault was never injected")
			}
			want := map[string]string{"1.0.0": rep.Digest, "1.0": rep.Digest, "1": rep.Digest, "latest": rep.Digest}
			if diff := cmp.Diff(want, reg.reader().digests(t, fmt.Sprintf("%s/retry%d", reg.Host, i))); diff != "" {
				t.Errorf("skopeo sees (-want +got):\n%s", diff)
			}
		})
	}
}

// A tag write that keeps failing mid fan-out leaves no tag set half-moved:
// the moving tags already written go back to their old digests.
func TestFaultTagWriteRestoresOldDigests(t *testing.T) {
	reg := startRegistry(t, false)
	p := startFaultProxy(t, reg.Host)
	repo := p.Host + "/app"
	d := seedReleases(t, repo, reg.knobs(), "1.2.3")
	p.add(&fault{method: http.MethodPut, path: "/manifests/latest", n: -1, status: http.StatusInternalServerError})
	rep, err := Push(ctxT(t), PushOptions{From: tarballOf(t, randomImage(t, 256, 1)), To: repo, Version: "1.3.0"}, reg.knobs()...)
	var te *TagWriteError
	if !errors.As(err, &te) || te.Tag != "latest" {
		t.Fatalf("error = %v, want a *TagWriteError on latest", err)
	}
	if len(te.NotRestored) != 1 || !strings.HasPrefix(te.NotRestored[0], "1.3 ") {
		t.Errorf("not restored = %q, want only the new tag 1.3", te.NotRestored)
	}
	want := map[string]string{
		"1.2.3": d["1.2.3"], "1.2": d["1.2.3"], "1": d["1.2.3"], "latest": d["1.2.3"],
		"1.3.0": rep.Digest, "1.3": rep.Digest,
	}
	if diff := cmp.Diff(want, reg.reader().digests(t, reg.Host+"/app")); diff != "" {
		t.Errorf("skopeo sees (-want +got):\n%s", diff)
	}
	var restored []string
	for _, c := range rep.Tags {
		if c.Restored {
			restored = append(restored, c.Tag)
		}
	}
	if diff := cmp.Diff([]string{"1"}, restored); diff != "" {
		t.Errorf("restored tags in the report (-want +got):\n%s", diff)
	}
}

// A failing health endpoint triggers exactly one rollback on the real
// registry: two manifest PUTs (1 and latest), nothing uploaded.
func TestRealRegistryWatchRollsBackOnce(t *testing.T) {
	reg := startRegistry(t, false)
	p := startFaultProxy(t, reg.Host)
	repo := p.Host + "/app"
	d := seedReleases(t, repo, reg.knobs(), "1.2.3", "1.3.0", "1.2.4")
	before := len(p.manifestPuts())
	srv, hits := healthServer(t, func(i int) int { return map[bool]int{true: 200, false: 500}[i < 3] })
	// The test clock ticks as fast as Watch takes the ticks and never
	// reaches the deadline first, so a slow machine changes nothing.
	rep, err := Watch(ctxT(t), WatchOptions{
		Health: srv.URL + "/healthz", Failures: 3, Interval: 10 * time.Millisecond, Timeout: hangGuard,
		Rollback: RollbackOptions{Repository: repo}, Clock: newDeadlineClock(100),
	}, reg.knobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != "rolled back" || hits.Load() != 6 {
		t.Errorf("outcome %q after %d health requests, want rolled back after 6", rep.Outcome, hits.Load())
	}
	// Watch checks synchronously and stops its ticker before it returns,
	// so there is nothing to wait for: no sleep to see whether a watcher
	// keeps running.
	if diff := cmp.Diff([]string{"1", "latest"}, p.manifestPuts()[before:]); diff != "" {
		t.Errorf("manifest PUTs of the rollback (-want +got):\n%s", diff)
	}
	want := map[string]string{
		"1.2.3": d["1.2.3"], "1.3.0": d["1.3.0"], "1.3": d["1.3.0"], "1.2.4": d["1.2.4"], "1.2": d["1.2.4"],
		"1": d["1.2.4"], "latest": d["1.2.4"],
	}
	if diff := cmp.Diff(want, reg.reader().digests(t, reg.Host+"/app")); diff != "" {
		t.Errorf("skopeo sees (-want +got):\n%s", diff)
	}
}

// A second push of the same image uploads no blob byte, counted by the
// proxy in front of the real registry.
func TestRealRegistrySecondPushUploadsNothing(t *testing.T) {
	reg := startRegistry(t, false)
	p := startFaultProxy(t, reg.Host)
	src := tarballOf(t, randomImage(t, 64<<10, 3))
	opts := PushOptions{From: src, To: p.Host + "/app", Version: "1.0.0"}
	first, err := Push(ctxT(t), opts, reg.knobs()...)
	if err != nil {
		t.Fatal(err)
	}
	sent := p.uploaded.Load()
	if sent < 3*64<<10 || first.Uploaded != sent {
		t.Errorf("first push: proxy saw %d bytes, report says %d; want equal and at least the 3 layers of 64 KiB", sent, first.Uploaded)
	}
	second, err := Push(ctxT(t), opts, reg.knobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if again := p.uploaded.Load() - sent; again != 0 || second.Uploaded != 0 {
		t.Errorf("second push: proxy saw %d bytes, report says %d; want 0", again, second.Uploaded)
	}
}
