package imagetest

import (
	"archive/tar"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// RealRegistry starts Debian's docker-registry (distribution) for the
// test on 127.0.0.1, plain HTTP, storage in a temporary directory, and
// returns its host:port. It fails (never skips) when the package is
// missing.
func RealRegistry(t testing.TB) string {
	t.Helper()
	bin := NeedTool(t, "docker-registry", "docker-registry")
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := l.Addr().String()
	l.Close()
	cfg := fmt.Sprintf("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n  relativeurls: true\n  secret: shipflow-test-secret\n",
		filepath.Join(dir, "storage"), host)
	if err := os.WriteFile(filepath.Join(dir, "config.yml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "serve", filepath.Join(dir, "config.yml"))
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	// A hang guard only: under load the registry may take seconds.
	client := &http.Client{Timeout: time.Minute}
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("docker-registry exited: %v\n%s", err, out.String())
		default:
		}
		resp, err := client.Get("http://" + host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return host
			}
		}
		if time.Since(start) > 5*time.Minute {
			t.Fatalf("docker-registry not ready: %v\n%s", err, out.String())
		}
	}
}

// NeedTool returns the path of bin, failing (never skipping) the test
// with the Debian package to install when it is missing.
func NeedTool(t testing.TB, bin, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(bin)
	if err != nil {
		t.Fatalf("%s not found: run scripts/test.sh, or apt-get install -y %s", bin, pkg)
	}
	return p
}

// Base is a locally made base image for a platform: its files (path in
// the image → content; mode 0755) as one layer, and its config.
type Base struct {
	Platform   string // "linux/amd64"
	Files      map[string]string
	User       string
	Entrypoint []string
	Cmd        []string
	Labels     map[string]string
}

// PushIndex pushes an OCI index of one image per base to ref
// (REGISTRY/REPO:TAG) and returns the digests of the images' layers, per
// platform, in order.
func PushIndex(t testing.TB, ref string, bases ...Base) map[string][]string {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	layers := map[string][]string{}
	for _, b := range bases {
		p, err := v1.ParsePlatform(b.Platform)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		paths := make([]string, 0, len(b.Files))
		for p := range b.Files {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		dirs := map[string]bool{}
		for _, p := range paths {
			rel := strings.TrimPrefix(p, "/")
			for d, i := "", 0; ; {
				j := strings.Index(rel[i:], "/")
				if j < 0 {
					break
				}
				d, i = rel[:i+j], i+j+1
				if !dirs[d] {
					dirs[d] = true
					if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755}); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: rel, Mode: 0o755, Size: int64(len(b.Files[p]))}); err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write([]byte(b.Files[p])); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		layer, err := tarball.LayerFromReader(bytes.NewReader(data), tarball.WithMediaType(types.OCILayer))
		if err != nil {
			t.Fatal(err)
		}
		img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), layer)
		if err != nil {
			t.Fatal(err)
		}
		img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
		cf, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		cf = cf.DeepCopy()
		cf.OS, cf.Architecture, cf.Variant = p.OS, p.Architecture, p.Variant
		cf.Config.User, cf.Config.Entrypoint, cf.Config.Cmd, cf.Config.Labels = b.User, b.Entrypoint, b.Cmd, b.Labels
		cf.Config.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin"}
		if img, err = mutate.ConfigFile(img, cf); err != nil {
			t.Fatal(err)
		}
		ld, err := layer.Digest()
		if err != nil {
			t.Fatal(err)
		}
		layers[b.Platform] = []string{ld.String()}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: p}})
	}
	if err := remote.WriteIndex(r, idx); err != nil {
		t.Fatal(err)
	}
	return layers
}
