package image

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// registryReader reads a repository independently of the code under test:
// every tag with its digest, and the labels of one tag.
type registryReader struct {
	digests func(t testing.TB, repo string) map[string]string
	labels  func(t testing.TB, ref string) map[string]string
}

var ggcrReader = registryReader{digests: imagetest.Tags, labels: imagetest.Labels}

// releaseScenario is the "done when" list, run against a
// registry: 1.2.3 fans out; 1.3.0 moves latest and 1; 1.4.0-dev.1 and a
// 1.2.4 backport do not move latest; rollback to 1.2.4 points latest and 1
// at it without touching 1.3.0; the rollback can be undone.
func releaseScenario(t *testing.T, repo string, read registryReader, knobs []Option) {
	ctx := ctxT(t)
	created := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	push := func(i int, version string) *PushReport {
		t.Helper()
		rev := fmt.Sprintf("%07x", i+1) + "000000000000000000000000000000000"
		rep, err := Push(ctx, PushOptions{
			From: tarballOf(t, randomImage(t, 256, 2)), To: repo, Version: version,
			Labels: Labels{Revision: rev, Source: "https://github.com/shipflow/demo", Created: created, Licenses: "MIT"},
		}, knobs...)
		if err != nil {
			t.Fatalf("pushing %s: %v", version, err)
		}
		return rep
	}
	want := map[string]string{}
	expect := func(step string) {
		t.Helper()
		if diff := cmp.Diff(want, read.digests(t, repo)); diff != "" {
			t.Fatalf("%s: tags (-want +got):\n%s", step, diff)
		}
	}

	r123 := push(0, "1.2.3")
	for _, tag := range []string{"1.2.3", "sha-0000001", "1.2", "1", "latest"} {
		want[tag] = r123.Digest
	}
	expect("after 1.2.3")
	labels := read.labels(t, repo+":latest")
	wantLabels := map[string]string{
		"org.opencontainers.image.version":  "1.2.3",
		"org.opencontainers.image.revision": "0000001000000000000000000000000000000000",
		"org.opencontainers.image.source":   "https://github.com/shipflow/demo",
		"org.opencontainers.image.created":  "2026-11-25T12:00:00Z",
		"org.opencontainers.image.title":    repo[len(repo)-len("app"):],
		"org.opencontainers.image.licenses": "MIT",
		"maintainer":                        "base team",
	}
	if diff := cmp.Diff(wantLabels, labels); diff != "" {
		t.Errorf("labels of latest (-want +got):\n%s", diff)
	}

	r130 := push(1, "1.3.0")
	for _, tag := range []string{"1.3.0", "sha-0000002", "1.3", "1", "latest"} {
		want[tag] = r130.Digest
	}
	expect("after 1.3.0")

	rdev := push(2, "1.4.0-dev.1")
	want["1.4.0-dev.1"], want["sha-0000003"] = rdev.Digest, rdev.Digest
	expect("after 1.4.0-dev.1")

	r124 := push(3, "1.2.4")
	want["1.2.4"], want["sha-0000004"], want["1.2"] = r124.Digest, r124.Digest, r124.Digest
	expect("after the 1.2.4 backport")
	if diff := cmp.Diff([]string{"1: a higher release exists", "latest: a higher release exists"}, r124.Skipped); diff != "" {
		t.Errorf("1.2.4 skipped (-want +got):\n%s", diff)
	}

	rb, err := Rollback(ctx, RollbackOptions{Repository: repo, To: "1.2.4"}, knobs...)
	if err != nil {
		t.Fatalf("rolling back: %v", err)
	}
	want["1"], want["latest"] = r124.Digest, r124.Digest
	expect("after rollback to 1.2.4")
	if rb.From != "1.3.0" || rb.FromDigest != r130.Digest || rb.To != "1.2.4" || rb.ToDigest != r124.Digest {
		t.Errorf("rollback = %s (%s) → %s (%s), want 1.3.0 → 1.2.4", rb.From, rb.FromDigest, rb.To, rb.ToDigest)
	}
	var moved []string
	for _, c := range rb.Tags {
		if c.Written && c.Old == r130.Digest && c.New == r124.Digest {
			moved = append(moved, c.Tag)
		}
	}
	if diff := cmp.Diff([]string{"1", "latest"}, moved); diff != "" {
		t.Errorf("rollback moved (-want +got):\n%s", diff)
	}

	undo, err := Undo(ctx, rb, knobs...)
	if err != nil {
		t.Fatalf("undoing the rollback: %v", err)
	}
	want["1"], want["latest"] = r130.Digest, r130.Digest
	expect("after undo")
	if len(undo.Tags) != 2 {
		t.Errorf("undo moved %d tags, want 2: %+v", len(undo.Tags), undo.Tags)
	}

	// Without --to, the target is the highest release below the bad one.
	rb, err = Rollback(ctx, RollbackOptions{Repository: repo}, knobs...)
	if err != nil {
		t.Fatalf("rolling back to the default target: %v", err)
	}
	if rb.To != "1.2.4" {
		t.Errorf("default rollback target = %s, want 1.2.4", rb.To)
	}
	want["1"], want["latest"] = r124.Digest, r124.Digest
	expect("after default rollback")
}

func TestReleaseScenarioInMemory(t *testing.T) {
	host := memRegistry(t)
	releaseScenario(t, host+"/shipflow/app", ggcrReader, testKnobs())
}
