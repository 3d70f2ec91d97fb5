package image

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

func TestRollbackRefuses(t *testing.T) {
	cases := []struct {
		name     string
		versions []string
		to       string
		want     string
		// input: an *InputError (the user named a target that is not a
		// stable release of the repository), not ErrNoTarget.
		input bool
	}{
		{name: "no release", versions: nil, want: "has no release tag"},
		{name: "only prereleases", versions: []string{"1.0.0-rc.1"}, want: "has no release tag"},
		{name: "nothing below", versions: []string{"1.0.0"}, want: "no release below 1.0.0"},
		{name: "target without image", versions: []string{"1.0.0", "1.1.0"}, to: "9.9.9", input: true, want: `version "9.9.9" has no image (no tag 9.9.9); its releases are 1.1.0, 1.0.0`},
		{name: "target is a prerelease", versions: []string{"1.0.0", "1.1.0", "1.2.0-rc.1"}, to: "1.2.0-rc.1", input: true, want: `target version "1.2.0-rc.1" is not a stable release`},
		{name: "target has build metadata", versions: []string{"1.0.0", "1.1.0"}, to: "1.0.0+b1", input: true, want: "is not a stable release"},
		{name: "target is current", versions: []string{"1.0.0", "1.1.0"}, to: "1.1.0", want: "already what latest names"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo := memRegistry(t) + "/app"
			if c.versions == nil {
				// A repository with a non-release tag only.
				img, _ := random.Image(16, 1)
				ref, _ := name.NewTag(repo + ":nightly")
				if err := remote.Write(ref, img); err != nil {
					t.Fatal(err)
				}
			}
			seedReleases(t, repo, testKnobs(), c.versions...)
			before := imagetest.Tags(t, repo)
			_, err := Rollback(ctxT(t), RollbackOptions{Repository: repo, To: c.to}, testKnobs()...)
			switch {
			case err == nil || !strings.Contains(err.Error(), c.want):
				t.Fatalf("error = %v, want one saying %q", err, c.want)
			case c.input && (!errors.As(err, new(*InputError)) || errors.Is(err, ErrNoTarget)):
				t.Errorf("error = %v, want an *InputError", err)
			case !c.input && !errors.Is(err, ErrNoTarget):
				t.Errorf("error = %v, want ErrNoTarget", err)
			}
			if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
				t.Errorf("a refused rollback changed tags (-before +after):\n%s", diff)
			}
		})
	}
	if _, err := Rollback(ctxT(t), RollbackOptions{Repository: "127.0.0.1:1/a", To: "v1"}, testKnobs()...); !errors.As(err, new(*InputError)) {
		t.Errorf("bad --to: error = %v, want an *InputError", err)
	}
}

// A dry run resolves the rollback (Watch does it before its first check)
// and writes nothing.
func TestRollbackDryRunWritesNothing(t *testing.T) {
	repo := memRegistry(t) + "/app"
	d := seedReleases(t, repo, testKnobs(), "1.2.3", "1.3.0")
	before := imagetest.Tags(t, repo)
	rb, err := Rollback(ctxT(t), RollbackOptions{Repository: repo, DryRun: true}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if rb.From != "1.3.0" || rb.To != "1.2.3" || rb.ToDigest != d["1.2.3"] || len(rb.Tags) != 2 || rb.Tags[0].Written {
		t.Errorf("dry run = %s → %s (%s), tags %+v; want 1.3.0 → 1.2.3 planning 1 and latest, unwritten", rb.From, rb.To, rb.ToDigest, rb.Tags)
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("a dry run changed tags (-before +after):\n%s", diff)
	}
}

func TestRollbackForwardAndWithoutLatest(t *testing.T) {
	ctx := ctxT(t)
	repo := memRegistry(t) + "/app"
	d := seedReleases(t, repo, testKnobs(), "1.2.3", "1.3.0")
	if _, err := Rollback(ctx, RollbackOptions{Repository: repo}, testKnobs()...); err != nil {
		t.Fatal(err)
	}
	// Rolling forward again is a rollback to a higher version.
	fwd, err := Rollback(ctx, RollbackOptions{Repository: repo, To: "1.3.0"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if fwd.From != "1.2.3" || len(fwd.Tags) != 2 {
		t.Errorf("roll forward from %q moved %+v, want from 1.2.3 moving 1 and latest", fwd.From, fwd.Tags)
	}
	want := map[string]string{"1.2.3": d["1.2.3"], "1.2": d["1.2.3"], "1.3.0": d["1.3.0"], "1.3": d["1.3.0"], "1": d["1.3.0"], "latest": d["1.3.0"]}
	if diff := cmp.Diff(want, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("after roll forward (-want +got):\n%s", diff)
	}

	// Without a latest tag, the bad release is the highest one.
	repo2 := memRegistry(t) + "/nolatest"
	for _, v := range []string{"2.0.0", "2.1.0"} {
		if _, err := Push(ctx, PushOptions{From: tarballOf(t, randomImage(t, 16, 1)), To: repo2, Version: v, Tags: TagPolicy{NoLatest: true}}, testKnobs()...); err != nil {
			t.Fatal(err)
		}
	}
	rb, err := Rollback(ctx, RollbackOptions{Repository: repo2}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if rb.From != "2.1.0" || rb.To != "2.0.0" || len(rb.Tags) != 1 || rb.Tags[0].Tag != "2" {
		t.Errorf("rollback without latest = %s → %s moving %+v; want 2.1.0 → 2.0.0 moving 2", rb.From, rb.To, rb.Tags)
	}
}

func TestUndoLeavesTagsMovedSince(t *testing.T) {
	ctx := ctxT(t)
	repo := memRegistry(t) + "/app"
	d := seedReleases(t, repo, testKnobs(), "1.2.3", "1.3.0")
	rb, err := Rollback(ctx, RollbackOptions{Repository: repo}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	// A new release moves latest and 1 after the rollback.
	d2 := seedReleases(t, repo, testKnobs(), "1.3.1")
	undo, err := Undo(ctx, rb, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if len(undo.Tags) != 0 || len(undo.Untouched) != 2 {
		t.Errorf("undo moved %+v, untouched %q; want nothing moved, 1 and latest untouched", undo.Tags, undo.Untouched)
	}
	if got := imagetest.Tags(t, repo)["latest"]; got != d2["1.3.1"] {
		t.Errorf("latest = %s, want 1.3.1's %s (not %s)", got, d2["1.3.1"], d["1.3.0"])
	}
	if _, err := Undo(ctx, &RollbackReport{}, testKnobs()...); err == nil {
		t.Error("undo of an empty record: no error")
	}
}

func TestPushFromRegistryKeepsIndex(t *testing.T) {
	ctx := ctxT(t)
	host := memRegistry(t)
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: randomImage(t, 64, 1), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: randomImage(t, 64, 1), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}},
	)
	srcRef, _ := name.NewTag(host + "/src:multi")
	if err := remote.WriteIndex(srcRef, idx); err != nil {
		t.Fatal(err)
	}
	rep, err := Push(ctx, PushOptions{From: srcRef.String(), To: host + "/app", Version: "1.0.0"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"linux/amd64", "linux/arm64"}, rep.Platforms); diff != "" {
		t.Errorf("platforms (-want +got):\n%s", diff)
	}
	ref, _ := name.NewTag(host + "/app:latest")
	got, err := remote.Index(ref)
	if err != nil {
		t.Fatalf("latest is not an index: %v", err)
	}
	im, _ := got.IndexManifest()
	if len(im.Manifests) != 2 || im.Manifests[1].Platform.Architecture != "arm64" {
		t.Errorf("pushed index = %+v", im.Manifests)
	}

	// An index without platform entries cannot be stamped per platform.
	bare, _ := random.Index(64, 1, 2)
	bareRef, _ := name.NewTag(host + "/src:bare")
	if err := remote.WriteIndex(bareRef, bare); err != nil {
		t.Fatal(err)
	}
	if _, err := Push(ctx, PushOptions{From: bareRef.String(), To: host + "/app2", Version: "1.0.0"}, testKnobs()...); err == nil || !strings.Contains(err.Error(), "index holds no platform image") {
		t.Errorf("index without platforms: error = %v", err)
	}
}
