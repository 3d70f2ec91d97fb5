package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

func TestPushDryRunWritesNothing(t *testing.T) {
	ctx := ctxT(t)
	host := memRegistry(t)
	repo := host + "/app"
	first, err := Push(ctx, PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: "1.0.0"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	before := imagetest.Tags(t, repo)
	rep, err := Push(ctx, PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: "1.1.0", DryRun: true}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("dry run changed the registry (-before +after):\n%s", diff)
	}
	want := []TagChange{
		{Tag: "1.1.0", Kind: Immutable, Reason: "the version", New: rep.Digest},
		{Tag: "1.1", Kind: Moving, Reason: "highest 1.1.* release", New: rep.Digest},
		{Tag: "1", Kind: Moving, Reason: "highest 1.*.* release", Old: first.Digest, New: rep.Digest},
		{Tag: "latest", Kind: Moving, Reason: "highest release", Old: first.Digest, New: rep.Digest},
	}
	if diff := cmp.Diff(want, rep.Tags); diff != "" {
		t.Errorf("dry-run plan (-want +got):\n%s", diff)
	}
	if !rep.DryRun || rep.Uploaded != 0 {
		t.Errorf("DryRun = %v, Uploaded = %d; want true, 0", rep.DryRun, rep.Uploaded)
	}
}

func TestPushImmutableConflict(t *testing.T) {
	ctx := ctxT(t)
	repo := memRegistry(t) + "/app"
	if _, err := Push(ctx, PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: "1.0.0"}, testKnobs()...); err != nil {
		t.Fatal(err)
	}
	before := imagetest.Tags(t, repo)
	_, err := Push(ctx, PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: "1.0.0"}, testKnobs()...)
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Tag != "1.0.0" {
		t.Fatalf("error = %v, want a *ConflictError on tag 1.0.0", err)
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("a refused push changed the registry (-before +after):\n%s", diff)
	}
}

func TestPushSecondTimeUploadsNothing(t *testing.T) {
	ctx := ctxT(t)
	repo := memRegistry(t) + "/app"
	src := tarballOf(t, randomImage(t, 4096, 3))
	opts := PushOptions{From: src, To: repo, Version: "1.0.0"}
	var progressed atomic.Int64
	first, err := Push(ctx, opts, testKnobs(WithProgress(func(p Progress) { progressed.Store(p.Complete) }))...)
	if err != nil {
		t.Fatal(err)
	}
	if first.Uploaded < 3*4096 {
		t.Errorf("first push uploaded %d bytes, want at least the 3 layers of 4096", first.Uploaded)
	}
	if progressed.Load() == 0 {
		t.Errorf("no progress was reported")
	}
	second, err := Push(ctx, opts, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if second.Uploaded != 0 || second.Digest != first.Digest {
		t.Errorf("second push: uploaded %d bytes, digest %s; want 0 bytes, digest %s", second.Uploaded, second.Digest, first.Digest)
	}
	for _, c := range second.Tags {
		if c.Written || c.Moved() {
			t.Errorf("second push rewrote tag %s (%s → %s)", c.Tag, c.Old, c.New)
		}
	}
}

func TestPushOCILayoutIndexWithFiles(t *testing.T) {
	ctx := ctxT(t)
	repo := memRegistry(t) + "/app"
	// A two-platform index plus a buildx-style attestation manifest.
	amd, arm, att := randomImage(t, 64, 1), randomImage(t, 64, 1), randomImage(t, 16, 1)
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex),
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
		mutate.IndexAddendum{Add: att, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"}, Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": digestOf(t, amd)}}},
	)
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx); err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	for _, f := range []string{"app-amd64", "app-arm64", "config.yaml"} {
		if err := os.WriteFile(filepath.Join(bin, f), []byte("content of "+f), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := []File{
		{Platform: "linux/amd64", Src: filepath.Join(bin, "app-amd64"), Dst: "/usr/bin/app"},
		{Platform: "linux/arm64", Src: filepath.Join(bin, "app-arm64"), Dst: "/usr/bin/app"},
		{Src: filepath.Join(bin, "config.yaml"), Dst: "/etc/app/config.yaml"},
	}
	rep, err := Push(ctx, PushOptions{From: dir, Files: files, To: repo, Version: "2.0.0", Labels: Labels{Title: "demo"}}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"linux/amd64", "linux/arm64/v8"}, rep.Platforms); diff != "" {
		t.Errorf("platforms (-want +got):\n%s", diff)
	}
	ref, _ := name.ParseReference(repo + ":2.0.0")
	got, err := remote.Index(ref)
	if err != nil {
		t.Fatalf("2.0.0 is not an index: %v", err)
	}
	im, err := got.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 2 {
		t.Fatalf("index has %d manifests, want 2: the base's attestation describes the base, not this build on it", len(im.Manifests))
	}
	for _, d := range im.Manifests {
		img, err := got.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		cf, _ := img.ConfigFile()
		if v := cf.Config.Labels["org.opencontainers.image.version"]; v != "2.0.0" {
			t.Errorf("%s: version label %q, want 2.0.0", d.Platform, v)
		}
		if v := cf.Config.Labels["org.opencontainers.image.title"]; v != "demo" {
			t.Errorf("%s: title label %q, want demo", d.Platform, v)
		}
		if _, ok := cf.Config.Labels["org.opencontainers.image.description"]; ok {
			t.Errorf("%s: base label description leaked through", d.Platform)
		}
		layers, _ := img.Layers()
		files := tarFiles(t, layers[len(layers)-1])
		want := map[string]string{"usr/bin/app": "content of app-" + d.Platform.Architecture, "etc/app/config.yaml": "content of config.yaml"}
		if diff := cmp.Diff(want, files); diff != "" {
			t.Errorf("%s: appended layer (-want +got):\n%s", d.Platform, diff)
		}
	}
}

// image push relabels the images of an index: buildx's attestations of
// them still describe their files, and are pushed with them.
func TestPushKeepsAttestations(t *testing.T) {
	repo := memRegistry(t) + "/app"
	amd, arm := randomImage(t, 64, 1), randomImage(t, 64, 1)
	attAmd, attArm := randomImage(t, 16, 1), randomImage(t, 16, 1)
	attest := func(img v1.Image) map[string]string {
		return map[string]string{"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": digestOf(t, img)}
	}
	unknown := &v1.Platform{OS: "unknown", Architecture: "unknown"}
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex),
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}},
		mutate.IndexAddendum{Add: attAmd, Descriptor: v1.Descriptor{Platform: unknown, Annotations: attest(amd)}},
		mutate.IndexAddendum{Add: attArm, Descriptor: v1.Descriptor{Platform: unknown, Annotations: attest(arm)}},
	)
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx); err != nil {
		t.Fatal(err)
	}
	rep, err := Push(ctxT(t), PushOptions{From: dir, To: repo, Version: "1.0.0"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"linux/amd64", "linux/arm64"}, rep.Platforms); diff != "" {
		t.Errorf("platforms (-want +got):\n%s", diff)
	}
	ref, _ := name.ParseReference(repo + ":1.0.0")
	got, err := remote.Index(ref)
	if err != nil {
		t.Fatal(err)
	}
	im, _ := got.IndexManifest()
	if len(im.Manifests) != 4 {
		t.Fatalf("index has %d manifests, want the 2 images and their 2 attestations", len(im.Manifests))
	}
	for i, att := range []v1.Image{attAmd, attArm} {
		d, img := im.Manifests[2+i], im.Manifests[i]
		if img.Digest.String() == digestOf(t, []v1.Image{amd, arm}[i]) {
			t.Errorf("image %d was not relabelled", i)
		}
		// Unchanged, in its place, naming the relabelled image.
		if d.Digest.String() != digestOf(t, att) || d.Platform == nil || d.Platform.OS != "unknown" ||
			d.Annotations["vnd.docker.reference.type"] != "attestation-manifest" ||
			d.Annotations["vnd.docker.reference.digest"] != img.Digest.String() {
			t.Errorf("attestation %d = %+v, want %s unknown/unknown describing %s", i, d, digestOf(t, att), img.Digest)
		}
		if _, err := got.Image(d.Digest); err != nil {
			t.Errorf("attestation %d not pushed: %v", i, err)
		}
	}
}

// tarFiles reads the regular files of a layer.
func tarFiles(t *testing.T, l v1.Layer) map[string]string {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	out := map[string]string{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			b, _ := io.ReadAll(tr)
			out[h.Name] = string(b)
			if h.Mode != 0o755 || h.Uid != 0 {
				t.Errorf("%s: mode %o uid %d, want 755 and 0", h.Name, h.Mode, h.Uid)
			}
		}
	}
}

func TestPushFileForMissingPlatform(t *testing.T) {
	src := filepath.Join(t.TempDir(), "f")
	os.WriteFile(src, []byte("x"), 0o644)
	_, err := Push(ctxT(t), PushOptions{From: tarballOf(t, randomImage(t, 16, 1)), Files: []File{{Platform: "linux/s390x", Src: src, Dst: "/f"}}, To: memRegistry(t) + "/app", Version: "1.0.0"}, testKnobs()...)
	if err == nil || !strings.Contains(err.Error(), `has platform "linux/s390x" but the image is not multi-platform`) {
		t.Fatalf("error = %v", err)
	}
}

// failing wraps a registry handler: requests matching fail get status.
func failing(h http.Handler, status int, fail func(*http.Request) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"errors":[{"code":"UNKNOWN","message":"injected %d"}]}`, status)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func TestPushTagFailureRestoresOldDigests(t *testing.T) {
	ctx := ctxT(t)
	var broken atomic.Bool
	srv := httptest.NewServer(failing(quietRegistry(), http.StatusInternalServerError, func(r *http.Request) bool {
		return broken.Load() && r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/manifests/latest")
	}))
	t.Cleanup(srv.Close)
	repo := strings.TrimPrefix(srv.URL, "http://") + "/app"
	old, err := Push(ctx, PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: "1.2.3"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	broken.Store(true)
	rep, err := Push(ctx, PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: "1.2.4"}, testKnobs()...)
	var te *TagWriteError
	if !errors.As(err, &te) || te.Tag != "latest" {
		t.Fatalf("error = %v, want a *TagWriteError on latest", err)
	}
	want := map[string]string{"1.2.3": old.Digest, "1.2": old.Digest, "1": old.Digest, "latest": old.Digest, "1.2.4": rep.Digest}
	if diff := cmp.Diff(want, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("tags after a failed fan-out (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "put back 1.2 → "+old.Digest+", 1 → "+old.Digest) {
		t.Errorf("error does not say what was put back: %v", err)
	}
}

func TestPushAuthErrorExplains(t *testing.T) {
	cases := []struct {
		name   string
		status int
		want   string
	}{
		{"unauthorized", http.StatusUnauthorized, "answered 401 Unauthorized"},
		{"forbidden", http.StatusForbidden, "may not push to this repository"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(failing(quietRegistry(), c.status, func(r *http.Request) bool {
				return r.Method != http.MethodGet && r.Method != http.MethodHead
			}))
			t.Cleanup(srv.Close)
			_, err := Push(ctxT(t), PushOptions{From: tarballOf(t, randomImage(t, 16, 1)), To: strings.TrimPrefix(srv.URL, "http://") + "/app", Version: "1.0.0"},
				testKnobs(WithBasicAuth(strings.TrimPrefix(srv.URL, "http://"), "bob", "s3cret-token"))...)
			var ae *AuthError
			if !errors.As(err, &ae) || ae.Status != c.status {
				t.Fatalf("error = %v, want an *AuthError with status %d", err, c.status)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "s3cret-token") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
	ghcr := &AuthError{Registry: "ghcr.io", Status: http.StatusForbidden, Doing: "pushing", Err: errors.New("denied")}
	if !strings.Contains(ghcr.Error(), "permissions: packages: write") {
		t.Errorf("ghcr.io 403 does not explain the workflow permission: %v", ghcr)
	}
}

func TestPushValidate(t *testing.T) {
	cases := []struct {
		name string
		opts PushOptions
		want string
	}{
		{"no source", PushOptions{To: "r/a", Version: "1.0.0"}, "no source image"},
		{"no target", PushOptions{From: "x", Version: "1.0.0"}, "no target repository"},
		{"digest target", PushOptions{From: "x", To: "r/a@sha256:00", Version: "1.0.0"}, "without tag or digest"},
		{"tag target", PushOptions{From: "x", To: "r.example/a:1.0", Version: "1.0.0"}, "without tag or digest"},
		{"no version", PushOptions{From: "x", To: "r/a"}, "no version"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.opts.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Validate() = %v, want %q", err, c.want)
			}
		})
	}
	_, err := Push(ctxT(t), PushOptions{From: "x", To: "acme/app", Version: "1.0.0"}, testKnobs()...)
	if !errors.As(err, new(*InputError)) || !strings.Contains(err.Error(), "the registry must be explicit") {
		t.Errorf("target without registry: %v", err)
	}
	_, err = Push(ctxT(t), PushOptions{From: "no/such:image:::", To: "127.0.0.1:1/a", Version: "1.0.0"}, testKnobs()...)
	if err == nil || !strings.Contains(err.Error(), `source "no/such:image:::" is neither a file, a directory nor an image reference`) {
		t.Errorf("bad source: %v", err)
	}
}

// The sha-<short> tag names a commit, not a version: the commit of
// 1.2.4-rc.1 pushed again as 1.2.4 moves it to the newer image, while
// X.Y.Z never moves.
func TestPushSameCommit(t *testing.T) {
	const rev = "8aa9a9a0123456789abcdef0123456789abcdef0"
	cases := []struct {
		name          string
		first, second string
		conflict      string // the X.Y.Z tag refused, "" for none
	}{
		{name: "prerelease then release moves the commit tag", first: "1.2.4-rc.1", second: "1.2.4"},
		{name: "release then a later prerelease", first: "1.2.4", second: "1.3.0-rc.1"},
		{name: "same version with another image conflicts on X.Y.Z", first: "1.2.4", second: "1.2.4", conflict: "1.2.4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := ctxT(t)
			repo := memRegistry(t) + "/app"
			push := func(v string) (*PushReport, error) {
				return Push(ctx, PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: repo, Version: v, Labels: Labels{Revision: rev}}, testKnobs()...)
			}
			first, err := push(c.first)
			if err != nil {
				t.Fatal(err)
			}
			before := imagetest.Tags(t, repo)
			second, err := push(c.second)
			if c.conflict != "" {
				var ce *ConflictError
				if !errors.As(err, &ce) || ce.Tag != c.conflict || !strings.Contains(err.Error(), `tag "`+c.conflict+`" already names `+first.Digest) || !strings.Contains(err.Error(), "published once") {
					t.Fatalf("error = %v, want a *ConflictError naming tag %s and why", err, c.conflict)
				}
				if second == nil || second.Pushed {
					t.Errorf("report = %+v, want one saying nothing was pushed", second)
				}
				if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
					t.Errorf("a refused push changed tags (-before +after):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tags := imagetest.Tags(t, repo)
			if tags["sha-8aa9a9a"] != second.Digest || tags[c.first] != first.Digest || tags[c.second] != second.Digest || !second.Pushed {
				t.Errorf("sha-8aa9a9a = %s, %s = %s, %s = %s, pushed %v; want the commit tag on %s's %s, each version on its own image",
					tags["sha-8aa9a9a"], c.first, tags[c.first], c.second, tags[c.second], second.Pushed, c.second, second.Digest)
			}
		})
	}
}

// A source or file to append that looks like a path but is not there is
// an *InputError, found before the registry is asked anything (the
// registry 127.0.0.1:1 is not listening): it is never read as a Docker Hub
// image name.
func TestPushRefusesMissingLocalInputs(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "app")
	if err := os.WriteFile(regular, []byte("x"), 0o755); err != nil {
		t.Fatal(err)
	}
	tarball := tarballOf(t, randomImage(t, 16, 1))
	cases := []struct {
		name  string
		from  string
		files []File
		want  string
	}{
		{name: "missing tarball", from: "app.tar", want: `source "app.tar" is a path (not an image reference) and cannot be read: stat app.tar: no such file or directory`},
		{name: "missing dot path", from: "./app", want: `source "./app" is a path`},
		{name: "missing gzipped tarball", from: "app.tar.gz", want: "no such file or directory"},
		{name: "missing tgz", from: "app.tgz", want: "no such file or directory"},
		{name: "missing absolute path", from: filepath.Join(dir, "oci"), want: "no such file or directory"},
		{name: "missing file to append", from: tarball, files: []File{{Src: filepath.Join(dir, "none"), Dst: "/app"}}, want: "file to append: stat " + filepath.Join(dir, "none") + ": no such file or directory"},
		{name: "directory to append", from: tarball, files: []File{{Src: dir, Dst: "/app"}}, want: "is a directory"},
		{name: "destination above the root", from: tarball, files: []File{{Src: regular, Dst: "/a/../../x"}}, want: "climbs above the root"},
		{name: "relative destination", from: tarball, files: []File{{Src: regular, Dst: "app"}}, want: "not an absolute path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Push(ctxT(t), PushOptions{From: c.from, Files: c.files, To: "127.0.0.1:1/a", Version: "1.0.0"}, testKnobs()...)
			if !errors.As(err, new(*InputError)) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want an *InputError saying %q", err, c.want)
			}
		})
	}
}

func TestIsLocalPath(t *testing.T) {
	cases := []struct {
		name, from string
		want       bool
	}{
		{"docker hub name", "alpine", false},
		{"docker hub name with tag", "alpine:3.20", false},
		{"registry reference", "ghcr.io/acme/app:1.2.3", false},
		{"registry with port", "registry.local:5000/app", false},
		{"tarball", "app.tar", true},
		{"gzipped tarball", "app.tar.gz", true},
		{"tgz", "app.tgz", true},
		{"dot slash", "./oci", true},
		{"dot dot slash", "../oci", true},
		{"absolute", "/tmp/oci", true},
		{"home", "~/app.tar", true},
		{"backslash", `dist\app`, true},
		{"existing directory", ".", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := IsLocalPath(c.from); got != c.want {
				t.Errorf("IsLocalPath(%q) = %v, want %v", c.from, got, c.want)
			}
		})
	}
}

func TestParseFile(t *testing.T) {
	cases := []struct {
		name, in string
		want     File
		err      string
	}{
		{name: "plain", in: "app:/usr/bin/app", want: File{Src: "app", Dst: "/usr/bin/app"}},
		{name: "platform", in: "linux/arm64=bin/app:/app", want: File{Platform: "linux/arm64", Src: "bin/app", Dst: "/app"}},
		{name: "cleaned", in: "app:/a/./b//c", want: File{Src: "app", Dst: "/a/b/c"}},
		{name: "dot dot inside", in: "app:/a/b/../c", want: File{Src: "app", Dst: "/a/c"}},
		{name: "into a directory", in: "dist/app:/usr/local/bin/", want: File{Src: "dist/app", Dst: "/usr/local/bin/app"}},
		{name: "into the root", in: "dist/app:/", want: File{Src: "dist/app", Dst: "/app"}},
		{name: "climbs above the root", in: "app:/a/../../x", err: `destination "/a/../../x" climbs above the root`},
		{name: "climbs at once", in: "app:/../etc/passwd", err: "climbs above the root"},
		{name: "the root", in: "app:/a/..", err: "is the root of the image"},
		{name: "relative destination", in: "app:usr/bin/app", err: "want [PLATFORM=]SRC:/ABSOLUTE/DST"},
		{name: "no destination", in: "app", err: "want [PLATFORM=]SRC:/ABSOLUTE/DST"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseFile(c.in)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("ParseFile(%q) = %+v, %v; want an error saying %q", c.in, got, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("ParseFile(%q) (-want +got):\n%s", c.in, diff)
			}
		})
	}
}

// A gzipped `docker save` tarball pushes the same image as the plain one.
func TestPushGzippedTarball(t *testing.T) {
	plain := tarballOf(t, randomImage(t, 64, 2))
	b, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(t.TempDir(), "app.tar.gz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	if err := os.WriteFile(gz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	repo := memRegistry(t) + "/app"
	want, err := Push(ctxT(t), PushOptions{From: plain, To: repo, Version: "1.0.0", DryRun: true}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Push(ctxT(t), PushOptions{From: gz, To: repo, Version: "1.0.0"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest != want.Digest {
		t.Errorf("gzipped tarball pushed %s, the plain one %s", got.Digest, want.Digest)
	}
}

func digestOf(t testing.TB, img v1.Image) string {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

func TestPushSetsUserAndEntrypoint(t *testing.T) {
	repo := memRegistry(t) + "/app"
	base := randomImage(t, 64, 1)
	cf, _ := base.ConfigFile()
	cfg := cf.Config
	cfg.User, cfg.Entrypoint, cfg.Cmd = "root", []string{"/bin/sh"}, []string{"-c", "echo base"}
	base, err := mutate.Config(base, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name           string
		user           string
		entrypoint     []string
		wantUser       string
		wantEntrypoint []string
		wantCmd        []string
	}{
		{name: "kept", wantUser: "root", wantEntrypoint: []string{"/bin/sh"}, wantCmd: []string{"-c", "echo base"}},
		{name: "set", user: "65532:65532", entrypoint: []string{"/usr/local/bin/app"}, wantUser: "65532:65532", wantEntrypoint: []string{"/usr/local/bin/app"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			version := map[string]string{"kept": "1.0.0", "set": "1.1.0"}[c.name]
			_, err := Push(ctxT(t), PushOptions{From: tarballOf(t, base), To: repo, Version: version, User: c.user, Entrypoint: c.entrypoint}, testKnobs()...)
			if err != nil {
				t.Fatal(err)
			}
			ref, _ := name.ParseReference(repo + ":" + version)
			img, err := remote.Image(ref)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := img.ConfigFile()
			if got.Config.User != c.wantUser || !cmp.Equal(got.Config.Entrypoint, c.wantEntrypoint) || !cmp.Equal(got.Config.Cmd, c.wantCmd, cmpopts.EquateEmpty()) {
				t.Errorf("user %q entrypoint %q cmd %q; want %q %q %q", got.Config.User, got.Config.Entrypoint, got.Config.Cmd, c.wantUser, c.wantEntrypoint, c.wantCmd)
			}
		})
	}
}

// referrerOf is an OCI 1.1 artifact (an SBOM, say) whose subject is img.
func referrerOf(t testing.TB, subject partial.Describable, artifactType, content string) v1.Image {
	t.Helper()
	d, err := partial.Descriptor(subject)
	if err != nil {
		t.Fatal(err)
	}
	l := static.NewLayer([]byte(content), types.MediaType(artifactType))
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), l)
	if err != nil {
		t.Fatal(err)
	}
	img = mutate.ConfigMediaType(img, types.MediaType(artifactType))
	return mutate.Subject(img, v1.Descriptor{MediaType: d.MediaType, Digest: d.Digest, Size: d.Size}).(v1.Image)
}

func TestPushKeepsReferrers(t *testing.T) {
	for _, c := range []struct{ real, remoteSource bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		real := c.real
		name0 := map[bool]string{false: "referrers API", true: "docker-registry fallback tag"}[real] + map[bool]string{false: " from an OCI layout", true: " from a registry"}[c.remoteSource]
		t.Run(name0, func(t *testing.T) {
			t.Parallel()
			host, knobs := memRegistry(t), testKnobs()
			var rr *realRegistry
			if real {
				rr = startRegistry(t, false)
				host, knobs = rr.Host, rr.knobs()
			}
			repo := host + "/app"
			amd, arm := randomImage(t, 64, 1), randomImage(t, 64, 1)
			idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex),
				mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
				mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}},
			)
			sig := referrerOf(t, idx, "application/vnd.example.signature", "signed the index")
			sbom := referrerOf(t, amd, "application/spdx+json", `{"spdxVersion":"SPDX-2.3"}`)
			other := referrerOf(t, randomImage(t, 16, 1), "application/spdx+json", "of another image")
			dir := t.TempDir()
			lp, err := layout.Write(dir, empty.Index)
			if err != nil {
				t.Fatal(err)
			}
			if err := lp.AppendIndex(idx); err != nil {
				t.Fatal(err)
			}
			for _, r := range []v1.Image{sig, sbom, other} {
				if err := lp.AppendImage(r); err != nil {
					t.Fatal(err)
				}
			}
			from := dir
			if c.remoteSource {
				// The same, in a registry: the referrers are found by the
				// referrers API or the fallback tag.
				from = host + "/build:ci"
				src, _ := name.ParseReference(from)
				if err := remote.WriteIndex(src, idx); err != nil {
					t.Fatal(err)
				}
				for _, r := range []v1.Image{sig, sbom} {
					d, _ := r.Digest()
					if err := remote.Write(src.Context().Digest(d.String()), r); err != nil {
						t.Fatal(err)
					}
				}
			}
			rep, err := Push(ctxT(t), PushOptions{From: from, To: repo, Version: "1.0.0"}, knobs...)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Referrers) != 2 {
				t.Errorf("referrers pushed %v, want the signature and the SBOM (not the other image's)", rep.Referrers)
			}
			ref, _ := name.ParseReference(repo + ":1.0.0")
			got, err := remote.Index(ref, remote.WithRetryBackoff(remote.Backoff{Steps: 1}))
			if err != nil {
				t.Fatal(err)
			}
			im, _ := got.IndexManifest()
			if len(im.Manifests) != 2 {
				t.Fatalf("index has %d manifests, want the 2 images (referrers are not index entries)", len(im.Manifests))
			}
			for _, c := range []struct {
				subject      string
				artifactType string
			}{
				{rep.Digest, "application/vnd.example.signature"},
				{im.Manifests[0].Digest.String(), "application/spdx+json"},
			} {
				var types []string
				if real {
					// distribution 2.8 has no referrers API: the fallback
					// tag, read by skopeo.
					var fb v1.IndexManifest
					if err := json.Unmarshal(rr.skopeo(t, "inspect", "--raw", "docker://"+repo+":"+strings.Replace(c.subject, ":", "-", 1)), &fb); err != nil {
						t.Fatal(err)
					}
					for _, d := range fb.Manifests {
						types = append(types, d.ArtifactType)
					}
				} else {
					refs, err := remote.Referrers(ref.Context().Digest(c.subject))
					if err != nil {
						t.Fatal(err)
					}
					rim, _ := refs.IndexManifest()
					for _, d := range rim.Manifests {
						types = append(types, d.ArtifactType)
					}
				}
				if !cmp.Equal(types, []string{c.artifactType}) {
					t.Errorf("referrers of %s: %v, want [%s]", c.subject, types, c.artifactType)
				}
			}
		})
	}
}

// image build appends files onto a base: the base's referrers describe the
// base, so none is carried over to the build.
func TestPushBuildDropsBaseReferrers(t *testing.T) {
	repo := memRegistry(t) + "/app"
	base := randomImage(t, 64, 1)
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range []v1.Image{base, referrerOf(t, base, "application/spdx+json", "the base's SBOM")} {
		if err := lp.AppendImage(img); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(t.TempDir(), "app")
	if err := os.WriteFile(bin, []byte("app"), 0o755); err != nil {
		t.Fatal(err)
	}
	rep, err := Push(ctxT(t), PushOptions{From: dir, Files: []File{{Src: bin, Dst: "/app"}}, To: repo, Version: "1.0.0"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := name.ParseReference(repo + ":1.0.0")
	refs, err := remote.Referrers(ref.Context().Digest(rep.Digest))
	if err != nil {
		t.Fatal(err)
	}
	rim, _ := refs.IndexManifest()
	if len(rep.Referrers) != 0 || len(rim.Manifests) != 0 {
		t.Errorf("the base's SBOM was pushed as the build's: report %v, registry %v", rep.Referrers, rim.Manifests)
	}
}
