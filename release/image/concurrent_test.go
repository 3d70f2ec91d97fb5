package image

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// withPlanned runs f after a push planned its tags and before it writes
// anything, so that a test can interleave two pushes at that point.
func withPlanned(f func()) Option { return func(s *settings) { s.planned = f } }

// interleaving is how two concurrent pushes meet at the point between
// planning the tags and writing them. Both plan from a listing taken
// before either wrote, so both plan 1 and latest.
type interleaving string

const (
	// lowerLast: the higher push runs to its end, then the lower one
	// writes. Before the re-read, this left 1 and latest on the lower
	// version every time.
	lowerLast interleaving = "lower writes last"
	// higherLast: the lower push runs to its end, then the higher one.
	higherLast interleaving = "higher writes last"
	// together: both wait until both have planned, then write at once.
	together interleaving = "both planned, then together"
)

// pushTwo pushes lo (1.2.0) and hi (1.3.0) into repo at once, meeting as
// the interleaving says, and returns both results.
func pushTwo(t *testing.T, repo string, how interleaving, knobs []Option) (lo, hi *PushReport, loErr, hiErr error) {
	t.Helper()
	loSrc, hiSrc := tarballOf(t, randomImage(t, 64, 1)), tarballOf(t, randomImage(t, 64, 1))
	loPlanned, hiPlanned := make(chan struct{}), make(chan struct{})
	loGo, hiGo := make(chan struct{}), make(chan struct{})
	var loHook, hiHook func()
	switch how {
	case lowerLast:
		// hi writes only once lo has listed the tags, lo only once hi is done.
		loHook = func() { close(loPlanned); <-loGo }
		hiHook = func() { <-loPlanned }
	case higherLast:
		hiHook = func() { close(hiPlanned); <-hiGo }
		loHook = func() { <-hiPlanned }
	case together:
		var ready sync.WaitGroup
		ready.Add(2)
		loHook = func() { ready.Done(); ready.Wait() }
		hiHook = loHook
	}
	// Each push gets its own options slice: appending to the shared one
	// from two goroutines writes its spare room twice.
	var wg sync.WaitGroup
	wg.Go(func() {
		lo, loErr = Push(ctxT(t), PushOptions{From: loSrc, To: repo, Version: "1.2.0"}, slices.Concat(knobs, []Option{withPlanned(loHook)})...)
		if how == higherLast {
			close(hiGo)
		}
	})
	wg.Go(func() {
		hi, hiErr = Push(ctxT(t), PushOptions{From: hiSrc, To: repo, Version: "1.3.0"}, slices.Concat(knobs, []Option{withPlanned(hiHook)})...)
		if how == lowerLast {
			close(loGo)
		}
	})
	wg.Wait()
	return lo, hi, loErr, hiErr
}

// wantConverged is the end state of two pushes of 1.2.0 and 1.3.0 over
// 1.1.0, whatever the order: every moving tag names the highest release
// of its range.
func wantConverged(seed, lo, hi string) map[string]string {
	return map[string]string{
		"1.1.0": seed, "1.1": seed,
		"1.2.0": lo, "1.2": lo,
		"1.3.0": hi, "1.3": hi, "1": hi, "latest": hi,
	}
}

// concurrentTrials runs pushTwo into a fresh repository per trial and
// checks that both pushes succeed and the tags converge (D6).
func concurrentTrials(t *testing.T, host string, read registryReader, knobs []Option, how interleaving, trials int) {
	for i := range trials {
		repo := fmt.Sprintf("%s/app-%s-%d", host, strings.ReplaceAll(string(how), " ", "-"), i)
		repo = strings.NewReplacer(",", "").Replace(repo)
		seed := seedReleases(t, repo, knobs, "1.1.0")["1.1.0"]
		lo, hi, loErr, hiErr := pushTwo(t, repo, how, knobs)
		if loErr != nil || hiErr != nil {
			t.Fatalf("trial %d: push 1.2.0: %v; push 1.3.0: %v", i, loErr, hiErr)
		}
		if diff := cmp.Diff(wantConverged(seed, lo.Digest, hi.Digest), read.digests(t, repo)); diff != "" {
			t.Fatalf("trial %d (%s): tags (-want +got):\n%s", i, how, diff)
		}
	}
}

func TestConcurrentPushesConverge(t *testing.T) {
	host := memRegistry(t)
	cases := []struct {
		how    interleaving
		trials int
	}{
		{lowerLast, 1},
		{higherLast, 1},
		{together, 20},
	}
	for _, c := range cases {
		t.Run(string(c.how), func(t *testing.T) {
			concurrentTrials(t, host, ggcrReader, testKnobs(), c.how, c.trials)
		})
	}
}

// The same against the real registry, read back once with skopeo. Fewer
// trials of pushes at once: each costs a real registry about 0.7 s, and
// the ordered cases are the ones the old code failed every time.
func TestRealRegistryConcurrentPushesConverge(t *testing.T) {
	reg := startRegistry(t, false)
	cases := []struct {
		how    interleaving
		trials int
	}{
		{lowerLast, 1},
		{higherLast, 1},
		{together, 3},
	}
	for _, c := range cases {
		t.Run(string(c.how), func(t *testing.T) {
			read := ggcrReader
			if c.how == lowerLast {
				read = reg.reader() // an independent reader once
			}
			concurrentTrials(t, reg.Host, read, reg.knobs(), c.how, c.trials)
		})
	}
}

// When the repair cannot be written, the push fails loudly, naming the
// tags left on the lower release, instead of exiting 0.
func TestConcurrentPushRepairFails(t *testing.T) {
	backend := quietRegistry()
	var broken atomic.Bool
	var latestPuts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Once 1.3.0 is done, the lower push's own write of latest lands
		// and every later one (the repair) is refused.
		if broken.Load() && r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/manifests/latest") && latestPuts.Add(1) > 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"errors":[{"code":"DENIED","message":"injected"}]}`)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	repo := strings.TrimPrefix(srv.URL, "http://") + "/app"
	seed := seedReleases(t, repo, testKnobs(), "1.1.0")["1.1.0"]

	loPlanned, loGo := make(chan struct{}), make(chan struct{})
	var lo *PushReport
	var loErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		lo, loErr = Push(ctxT(t), PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: "1.2.0"},
			testKnobs(withPlanned(func() { close(loPlanned); <-loGo }))...)
	}()
	<-loPlanned
	hi, err := Push(ctxT(t), PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: "1.3.0"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	broken.Store(true)
	close(loGo)
	<-done

	var ce *ConvergeError
	if !errors.As(loErr, &ce) {
		t.Fatalf("lower push: error %v, want a *ConvergeError", loErr)
	}
	if diff := cmp.Diff([]string{"latest"}, ce.Tags); diff != "" {
		t.Errorf("tags named by the error (-want +got):\n%s", diff)
	}
	for _, want := range []string{`"latest"`, "1.3.0", "concurrent"} {
		if !strings.Contains(loErr.Error(), want) {
			t.Errorf("error %q does not say %q", loErr, want)
		}
	}
	want := wantConverged(seed, lo.Digest, hi.Digest)
	want["latest"] = lo.Digest // the repair that failed
	if diff := cmp.Diff(want, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	var repaired []string
	for _, c := range lo.Repaired {
		repaired = append(repaired, fmt.Sprintf("%s %v", c.Tag, c.Written))
	}
	if diff := cmp.Diff([]string{"1 true", "latest false"}, repaired); diff != "" {
		t.Errorf("repairs in the report (-want +got):\n%s", diff)
	}
}
