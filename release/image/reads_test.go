package image

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// inflightTransport counts the manifest reads (GET and HEAD) in flight
// at once, holding each a little so that reads made together overlap.
type inflightTransport struct {
	mu       sync.Mutex
	now, max int
	reads    int
	requests []string // "METHOD PATH"
}

func (t *inflightTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	read := req.Method != http.MethodPut && strings.Contains(req.URL.Path, "/manifests/")
	t.mu.Lock()
	t.requests = append(t.requests, req.Method+" "+req.URL.Path)
	t.mu.Unlock()
	if read {
		t.mu.Lock()
		t.now++
		t.reads++
		t.max = max(t.max, t.now)
		t.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		defer func() {
			t.mu.Lock()
			t.now--
			t.mu.Unlock()
		}()
	}
	return remote.DefaultTransport.RoundTrip(req)
}

// An unchanged re-push reads the tags it planned, and after the fan-out
// re-reads them, each set at once rather than one round trip after the
// other, and writes nothing. Its X.Y.Z tag names the image, so it does not
// ask for the image's blobs or its manifest by digest either, and as no
// tag moves it downloads no manifest.
func TestRepushReadsTagsAtOnce(t *testing.T) {
	reg := memRegistry(t)
	src := tarballOf(t, randomImage(t, 1024, 2))
	opts := PushOptions{From: src, To: reg + "/app", Version: "1.2.3"}
	if _, err := Push(t.Context(), opts, testKnobs()...); err != nil {
		t.Fatal(err)
	}
	tr := &inflightTransport{}
	rep, err := Push(t.Context(), opts, testKnobs(WithTransport(tr))...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Tags {
		if c.Written || c.Moved() {
			t.Errorf("re-push changed tag %s: %+v", c.Tag, c)
		}
	}
	if rep.Uploaded != 0 {
		t.Errorf("re-push uploaded %d bytes, want 0", rep.Uploaded)
	}
	// 4 planned tags read, then X.Y.Z and the 3 moving tags re-read.
	if tr.reads < 8 {
		t.Errorf("re-push made %d manifest reads, want at least 8", tr.reads)
	}
	for _, r := range tr.requests {
		if strings.Contains(r, "/blobs/") || strings.Contains(r, "/manifests/sha256:") || strings.HasPrefix(r, http.MethodPut) {
			t.Errorf("re-push sent %s; the X.Y.Z tag already names the image", r)
		}
		// A GET of a manifest counts as a pull on Docker Hub; the digest
		// a HEAD answers is all the plan needs when no tag moves.
		if strings.HasPrefix(r, http.MethodGet) && strings.Contains(r, "/manifests/") {
			t.Errorf("re-push sent %s; reading what a tag names needs a HEAD only", r)
		}
	}
	if tr.max < 4 {
		t.Errorf("re-push made at most %d manifest reads at once, want the tags read together (at least 4)", tr.max)
	}
}
