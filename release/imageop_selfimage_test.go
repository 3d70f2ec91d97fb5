package release

// shipflow's own image, built as the release workflow builds it: the
// static per-arch binaries appended by ImagePush (`shipflow image build`)
// onto a multi-arch base that has git, with /etc/gitconfig trusting every
// directory, a non-root user, the entrypoint and the labels from git — no
// Docker daemon, buildx or QEMU. The base is made here (a file stands for
// git; nothing is downloaded), the registry is Debian's docker-registry,
// and the result is read back by an independent client, Debian's skopeo.

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"debug/elf"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// shipflowImageGitconfig is the /etc/gitconfig of the image, in the
// repository so that the release workflow appends the file tested here.
const shipflowImageGitconfig = "image/shipflow.gitconfig"

func TestShipflowImageBuiltByShipflow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a hang guard only
	defer cancel()
	skopeo := imagetest.NeedTool(t, "skopeo", "skopeo")
	reg := imagetest.RealRegistry(t)

	// The release commit, tagged, as the release workflow sees it.
	g := gittest.New(t)
	g.Commit("feat: ship itself")
	g.Tag("v1.4.0")
	g.Git("remote", "add", "origin", "https://github.com/shipflow/shipflow.git")
	head := strings.TrimSpace(g.Git("rev-parse", "HEAD"))
	epoch, err := strconv.ParseInt(strings.TrimSpace(g.Git("log", "-1", "--format=%ct")), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Unix(epoch, 0).UTC().Format(time.RFC3339) // SOURCE_DATE_EPOCH

	// The static binaries, one per arch, cross-compiled.
	bins := map[string]string{}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var buildErr error
	for _, arch := range []string{"amd64", "arm64"} {
		out := filepath.Join(t.TempDir(), "shipflow")
		bins[arch] = out
		wg.Go(func() {
			cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w -X main.version=1.4.0", "-o", out, "./cmd/shipflow")
			cmd.Dir = ".."
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
			if b, err := cmd.CombinedOutput(); err != nil {
				mu.Lock()
				buildErr = errors.Join(buildErr, errors.New(arch+": "+err.Error()+"\n"+string(b)))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if buildErr != nil {
		t.Fatal(buildErr)
	}

	// The base: git (a stand-in file) for both arches, run as root with
	// git as its entrypoint, as alpine/git is.
	base := reg + "/base/git:2"
	baseLayers := imagetest.PushIndex(t, base,
		imagetest.Base{Platform: "linux/amd64", Files: map[string]string{"/usr/bin/git": "git stand-in (amd64)"}, User: "root", Entrypoint: []string{"/usr/bin/git"}, Cmd: []string{"--help"}, Labels: map[string]string{"org.opencontainers.image.title": "git"}},
		imagetest.Base{Platform: "linux/arm64", Files: map[string]string{"/usr/bin/git": "git stand-in (arm64)"}, User: "root", Entrypoint: []string{"/usr/bin/git"}, Cmd: []string{"--help"}, Labels: map[string]string{"org.opencontainers.image.title": "git"}},
	)

	// `shipflow image build` with the release workflow's inputs.
	gitconfig, err := filepath.Abs(shipflowImageGitconfig)
	if err != nil {
		t.Fatal(err)
	}
	files := "linux/amd64=" + bins["amd64"] + ":/usr/local/bin/shipflow\n" +
		"linux/arm64=" + bins["arm64"] + ":/usr/local/bin/shipflow\n" +
		gitconfig + ":/etc/gitconfig\n"
	repoName := reg + "/shipflow/shipflow"
	opts, err := ResolveImagePush(MapInputs{
		"source": base, "repository": repoName, "files": files,
		"user": "65532:65532", "entrypoint": "/usr/local/bin/shipflow",
	}, &config.Config{Image: config.Image{Licenses: "Apache-2.0"}}, CI{})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := git.Open(ctx, g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ImagePush(ctx, repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Version != "1.4.0" {
		t.Errorf("version %q, want 1.4.0 (the tag on HEAD)", rep.Version)
	}
	// Reproducible: built again from the same commit and binaries, the
	// same index, nothing uploaded.
	again, err := ImagePush(ctx, repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.Digest != rep.Digest || again.Uploaded != 0 {
		t.Errorf("second build: %s with %d bytes uploaded, want %s and none", again.Digest, again.Uploaded, rep.Digest)
	}

	sk := func(args ...string) []byte {
		t.Helper()
		cmd := exec.CommandContext(ctx, skopeo, args...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("skopeo %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	ref := "docker://" + repoName + ":1.4.0"

	// The index: one image per arch, nothing else.
	var index struct {
		MediaType string
		Manifests []struct {
			Digest   string
			Platform struct{ OS, Architecture string }
		}
	}
	if err := json.Unmarshal(sk("inspect", "--tls-verify=false", "--raw", ref), &index); err != nil {
		t.Fatal(err)
	}
	var platforms []string
	for _, m := range index.Manifests {
		platforms = append(platforms, m.Platform.OS+"/"+m.Platform.Architecture)
	}
	if index.MediaType != "application/vnd.oci.image.index.v1+json" || !cmp.Equal(platforms, []string{"linux/amd64", "linux/arm64"}) {
		t.Errorf("index %s of %v, want an OCI index of linux/amd64, linux/arm64", index.MediaType, platforms)
	}

	// The config of each arch: user, entrypoint (the base's Cmd cleared),
	// labels from git.
	wantLabels := map[string]string{
		"org.opencontainers.image.source":   "https://github.com/shipflow/shipflow",
		"org.opencontainers.image.revision": head,
		"org.opencontainers.image.version":  "1.4.0",
		"org.opencontainers.image.created":  created,
		"org.opencontainers.image.title":    "shipflow",
		"org.opencontainers.image.licenses": "Apache-2.0",
	}
	for _, arch := range []string{"amd64", "arm64"} {
		var cfg struct {
			Created      string
			Architecture string
			Config       struct {
				User       string
				Entrypoint []string
				Cmd        []string
				Labels     map[string]string
			}
		}
		if err := json.Unmarshal(sk("inspect", "--tls-verify=false", "--override-os", "linux", "--override-arch", arch, "--config", ref), &cfg); err != nil {
			t.Fatal(err)
		}
		c := cfg.Config
		if cfg.Architecture != arch || c.User != "65532:65532" || !cmp.Equal(c.Entrypoint, []string{"/usr/local/bin/shipflow"}) || len(c.Cmd) != 0 {
			t.Errorf("%s config: arch %s user %q entrypoint %q cmd %q; want %s, 65532:65532, [/usr/local/bin/shipflow], no cmd", arch, cfg.Architecture, c.User, c.Entrypoint, c.Cmd, arch)
		}
		if diff := cmp.Diff(wantLabels, c.Labels); diff != "" {
			t.Errorf("%s labels (-want +got):\n%s", arch, diff)
		}
		if got, _ := time.Parse(time.RFC3339, cfg.Created); got.UTC().Format(time.RFC3339) != created {
			t.Errorf("%s created %s, want %s (SOURCE_DATE_EPOCH)", arch, cfg.Created, created)
		}
	}

	// The layers, copied by skopeo to an OCI layout: the base's, then one
	// holding the binary of that arch and /etc/gitconfig.
	dir := filepath.Join(t.TempDir(), "oci")
	sk("copy", "--quiet", "--all", "--src-tls-verify=false", ref, "oci:"+dir+":1.4.0")
	blob := func(digest string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, "blobs", strings.Replace(digest, ":", "/", 1)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var top struct{ Manifests []struct{ Digest string } }
	if err := json.Unmarshal(blob("sha256:"+indexJSONDigest(t, dir)), &top); err != nil {
		t.Fatal(err)
	}
	var copied struct {
		Manifests []struct {
			Digest   string
			Platform struct{ Architecture string }
		}
	}
	if err := json.Unmarshal(blob(top.Manifests[0].Digest), &copied); err != nil {
		t.Fatal(err)
	}
	for _, m := range copied.Manifests {
		arch := m.Platform.Architecture
		var man struct {
			Layers []struct{ Digest, MediaType string }
		}
		if err := json.Unmarshal(blob(m.Digest), &man); err != nil {
			t.Fatal(err)
		}
		if len(man.Layers) != 2 || man.Layers[0].Digest != baseLayers["linux/"+arch][0] {
			t.Fatalf("%s layers %+v, want the base's %v and one appended", arch, man.Layers, baseLayers["linux/"+arch])
		}
		files := layerFiles(t, blob(man.Layers[1].Digest))
		want, err := os.ReadFile(bins[arch])
		if err != nil {
			t.Fatal(err)
		}
		bin := files["usr/local/bin/shipflow"]
		if !bytes.Equal(bin.data, want) || bin.mode&0o111 != 0o111 {
			t.Errorf("%s: /usr/local/bin/shipflow in the layer (%d bytes, mode %o) is not the built binary (%d bytes) executable by all", arch, len(bin.data), bin.mode, len(want))
		}
		if gc := files["etc/gitconfig"]; !strings.Contains(string(gc.data), "[safe]\n\tdirectory = *\n") {
			t.Errorf("%s: /etc/gitconfig = %q, want safe.directory = *", arch, gc.data)
		}
		// Static: no program interpreter, the machine of its arch.
		out := filepath.Join(t.TempDir(), "shipflow")
		if err := os.WriteFile(out, bin.data, 0o755); err != nil {
			t.Fatal(err)
		}
		ef, err := elf.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		machine := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
		for _, p := range ef.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s: the binary has a program interpreter: not static", arch)
			}
		}
		if ef.Machine != machine {
			t.Errorf("%s: binary for %s, want %s", arch, ef.Machine, machine)
		}
		ef.Close()
		// The host's arch runs from its own layer.
		if arch == runtime.GOARCH && runtime.GOOS == "linux" {
			v, err := exec.CommandContext(ctx, out, "--version").CombinedOutput()
			if err != nil || !strings.Contains(string(v), "1.4.0") {
				t.Errorf("extracted shipflow --version: %v, %q; want 1.4.0", err, v)
			}
		}
	}
}

// The release workflow builds the image the test above builds: `shipflow
// image build` of GoReleaser's linux binaries with the same gitconfig, user
// and entrypoint, and no Docker daemon, buildx or QEMU.
func TestReleaseWorkflowBuildsShipflowImage(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", ".github", "workflows", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	wf := string(data)
	for _, gone := range []string{"docker/setup-qemu-action", "docker/setup-buildx-action", "docker/build-push-action", "docker build", "docker buildx"} {
		if strings.Contains(wf, gone) {
			t.Errorf("release.yml uses %s: the image is built by shipflow itself", gone)
		}
	}
	_, step, ok := strings.Cut(wf, " image build ")
	if !ok {
		t.Fatal("release.yml has no `shipflow image build` step")
	}
	for _, want := range []string{
		"--files \"linux/amd64=$amd64:/usr/local/bin/shipflow\"",
		"--files \"linux/arm64=$arm64:/usr/local/bin/shipflow\"",
		"--files release/" + shipflowImageGitconfig + ":/etc/gitconfig",
		"--user 65532:65532",
		"--entrypoint /usr/local/bin/shipflow",
		"--source \"$IMAGE_BASE\"",
		"--image-version \"$VERSION\"",
	} {
		if !strings.Contains(step, want) {
			t.Errorf("the image build step of release.yml lacks %s", want)
		}
	}
	// GoReleaser v2's build directories (.goreleaser.yaml: id shipflow,
	// GOAMD64 v1 and GOARM64 v8.0 by default).
	for _, want := range []string{"amd64=dist/shipflow_linux_amd64_v1/shipflow", "arm64=dist/shipflow_linux_arm64_v8.0/shipflow", "GITHUB_TOKEN: ${{ github.token }}"} {
		if !strings.Contains(wf, want) {
			t.Errorf("release.yml lacks %s", want)
		}
	}
}

// indexJSONDigest returns the hex digest of the one manifest an OCI
// layout's index.json lists.
func indexJSONDigest(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct{ Manifests []struct{ Digest string } }
	if err := json.Unmarshal(b, &idx); err != nil || len(idx.Manifests) != 1 {
		t.Fatalf("index.json: %v, %s", err, b)
	}
	return strings.TrimPrefix(idx.Manifests[0].Digest, "sha256:")
}

type layerFile struct {
	data []byte
	mode int64
}

// layerFiles reads the regular files of a gzipped tar layer.
func layerFiles(t *testing.T, b []byte) map[string]layerFile {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string]layerFile{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[h.Name] = layerFile{data: data, mode: h.Mode}
	}
}
