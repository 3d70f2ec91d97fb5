// Package goreleaser checks shipflow's own release build: .goreleaser.yaml
// passes `goreleaser check`, a --snapshot release of the host's platform
// builds the archive, checksums.txt and SBOM that actions/install.sh and the
// release workflow expect, and install.sh installs that snapshot from a
// local HTTP server standing in for GitHub's release downloads, refusing a
// tampered archive.
//
// It needs goreleaser (github.com/goreleaser/goreleaser/v2@v2.15.1) and
// cyclonedx-gomod (github.com/CycloneDX/cyclonedx-gomod v1.10.0, for the
// SBOMs): scripts/test.sh builds both once into the user cache
// (~/.cache/shipflow-test), where the tests find them; else
// $SHIPFLOW_GORELEASER or goreleaser on PATH, and cyclonedx-gomod on PATH.
package goreleaser

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".goreleaser.yaml")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// toolCache is where scripts/test.sh builds the tools once.
func toolCache() string {
	dir := os.Getenv("XDG_CACHE_HOME")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache")
	}
	return filepath.Join(dir, "shipflow-test")
}

// goreleaserBin is $SHIPFLOW_GORELEASER, else scripts/test.sh's build,
// else goreleaser on PATH.
func goreleaserBin(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SHIPFLOW_GORELEASER"); p != "" {
		return p
	}
	if p := filepath.Join(toolCache(), "goreleaser-v2.15.1", "goreleaser"); isExec(p) {
		return p
	}
	p, err := exec.LookPath("goreleaser")
	if err != nil {
		t.Fatal("goreleaser is not on PATH, in " + toolCache() + " or SHIPFLOW_GORELEASER: scripts/test.sh builds github.com/goreleaser/goreleaser/v2@v2.15.1 into its tool cache")
	}
	return p
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// goreleaserEnv is the environment GoReleaser runs in: scripts/test.sh's
// cyclonedx-gomod (for the SBOMs) first on PATH when it is built.
func goreleaserEnv(extra ...string) []string {
	env := os.Environ()
	if dir := filepath.Join(toolCache(), "cyclonedx-gomod-v1.10.0"); isExec(filepath.Join(dir, "cyclonedx-gomod")) {
		env = append(env, "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	return append(env, extra...)
}

// snapshot is one --snapshot release of the host's platform, shared by the
// tests of this package (it takes a build of shipflow).
var snapshot struct {
	once    sync.Once
	dist    string
	version string
	err     error
	log     string
}

// hostTarget is GoReleaser's name of the host's platform.
func hostTarget() string { return runtime.GOOS + "_" + runtime.GOARCH }

// hostAsset is the archive name actions/install.sh downloads on this host.
func hostAsset() string { return "shipflow_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz" }

// hostConfig writes .goreleaser.yaml with its builds narrowed to the host's
// platform and dist/ moved to dist: the file's own settings otherwise.
func hostConfig(t *testing.T, src, dist string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	builds, _ := cfg["builds"].([]any)
	if len(builds) == 0 {
		t.Fatal(".goreleaser.yaml has no builds")
	}
	for _, b := range builds {
		m := b.(map[string]any)
		delete(m, "goos")
		delete(m, "goarch")
		m["targets"] = []string{hostTarget()}
	}
	cfg["dist"] = dist
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "goreleaser.yaml")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// buildSnapshot runs `goreleaser release --snapshot --skip=publish` for the
// host's platform once and returns its dist directory and version.
func buildSnapshot(t *testing.T) (dist, version string) {
	t.Helper()
	snapshot.once.Do(func() {
		dir, err := os.MkdirTemp("", "shipflow-goreleaser-")
		if err != nil {
			snapshot.err = err
			return
		}
		snapshot.dist = filepath.Join(dir, "dist")
		cfg := hostConfig(t, filepath.Join(root(t), ".goreleaser.yaml"), snapshot.dist)
		cmd := exec.Command(goreleaserBin(t), "release", "--snapshot", "--clean", "--skip=publish", "--config", cfg)
		cmd.Dir = root(t)
		cmd.Env = goreleaserEnv()
		out, err := cmd.CombinedOutput()
		snapshot.log = string(out)
		if err != nil {
			snapshot.err = fmt.Errorf("goreleaser release --snapshot: %v", err)
			return
		}
		var meta struct {
			Version string `json:"version"`
		}
		data, err := os.ReadFile(filepath.Join(snapshot.dist, "metadata.json"))
		if err == nil {
			err = json.Unmarshal(data, &meta)
		}
		if err != nil {
			snapshot.err = fmt.Errorf("reading dist/metadata.json: %v", err)
			return
		}
		snapshot.version = meta.Version
	})
	if snapshot.err != nil {
		t.Fatalf("%v\n%s", snapshot.err, snapshot.log)
	}
	return snapshot.dist, snapshot.version
}

func TestMain(m *testing.M) {
	code := m.Run()
	if snapshot.dist != "" {
		os.RemoveAll(filepath.Dir(snapshot.dist))
	}
	os.Exit(code)
}

func TestCheck(t *testing.T) {
	cmd := exec.Command(goreleaserBin(t), "check")
	cmd.Dir = root(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser check: %v\n%s", err, out)
	}
}

// TestEveryOSBuilds compiles cmd/shipflow for each goos of
// .goreleaser.yaml's builds, as GoReleaser does (CGO_ENABLED=0,
// -trimpath): the snapshot builds only the host's platform, and a file
// that compiles only on Unix (a process group, a signal) would fail the
// tagged release. One goarch per goos: shipflow has no code specific to
// an architecture, and each cold cross-build takes a minute.
func TestEveryOSBuilds(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Builds []struct {
			Main   string   `yaml:"main"`
			GOOS   []string `yaml:"goos"`
			GOARCH []string `yaml:"goarch"`
		} `yaml:"builds"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, b := range cfg.Builds {
		if len(b.GOOS) == 0 || len(b.GOARCH) == 0 {
			t.Fatalf(".goreleaser.yaml: a build without goos or goarch: %+v", b)
		}
		main := b.Main
		if main == "" {
			main = "."
		}
		for _, goos := range b.GOOS {
			if seen[goos+" "+main] {
				continue
			}
			seen[goos+" "+main] = true
			t.Run(goos, func(t *testing.T) {
				cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(t.TempDir(), "shipflow"), main)
				cmd.Dir = root(t)
				cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+b.GOARCH[0], "CGO_ENABLED=0")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("GOOS=%s GOARCH=%s go build %s: %v\n%s", goos, b.GOARCH[0], main, err, out)
				}
			})
		}
	}
	if len(seen) < 2 {
		t.Fatalf(".goreleaser.yaml builds for %d systems; want shipflow's (linux, darwin, windows)", len(seen))
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}

// TestSnapshotAssets checks the snapshot's dist/: the archive install.sh
// downloads, a checksums.txt line for it, and its CycloneDX SBOM naming
// shipflow's modules.
func TestSnapshotAssets(t *testing.T) {
	dist, version := buildSnapshot(t)
	if !regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+-snapshot$`).MatchString(version) {
		t.Errorf("snapshot version %q is not X.Y.Z-snapshot", version)
	}
	asset := filepath.Join(dist, hostAsset())
	sums, err := os.ReadFile(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if want := sha256File(t, asset) + "  " + hostAsset() + "\n"; !strings.Contains(string(sums), want) {
		t.Errorf("checksums.txt has no line %q:\n%s", want, sums)
	}
	var sbom struct {
		BOMFormat string `json:"bomFormat"`
		Metadata  struct {
			Component struct {
				Name    string `json:"name"`
				Version string `json:"version"`
			} `json:"component"`
		} `json:"metadata"`
		Components []struct {
			Name string `json:"name"`
			PURL string `json:"purl"`
		} `json:"components"`
	}
	data, err := os.ReadFile(asset + ".sbom.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sbom); err != nil {
		t.Fatalf("%s.sbom.json: %v", hostAsset(), err)
	}
	if sbom.BOMFormat != "CycloneDX" {
		t.Errorf("SBOM bomFormat = %q, want CycloneDX", sbom.BOMFormat)
	}
	var purls []string
	for _, c := range sbom.Components {
		purls = append(purls, c.PURL)
	}
	if !strings.Contains(strings.Join(purls, "\n"), "pkg:golang/github.com/spf13/cobra@") {
		t.Errorf("SBOM components do not name github.com/spf13/cobra:\n%s", strings.Join(purls, "\n"))
	}
	if sbom.Metadata.Component.Name == "" || sbom.Metadata.Component.Version != "v"+version {
		t.Errorf("SBOM describes %q %q, want shipflow's main module at v%s", sbom.Metadata.Component.Name, sbom.Metadata.Component.Version, version)
	}
}

// installEnv is the environment actions/install.sh gets in a job step on
// this host.
func installEnv(t *testing.T, tmp string, extra map[string]string) []string {
	t.Helper()
	runnerOS := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS]
	runnerArch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"RUNNER_TEMP=" + filepath.Join(tmp, "runner-temp"), "RUNNER_OS=" + runnerOS, "RUNNER_ARCH=" + runnerArch,
		"GITHUB_OUTPUT=" + filepath.Join(tmp, "output"), "GITHUB_PATH=" + filepath.Join(tmp, "path"), "GITHUB_ENV=" + filepath.Join(tmp, "env"),
		"SHIPFLOW_ACTION_REPOSITORY=shipflow/shipflow"}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

// action copies what install.sh reads of the action (go.mod, install.sh,
// digests.txt) into a fresh tree and returns its root.
func action(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "actions", "next"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"go.mod", "actions/install.sh"} {
		data, err := os.ReadFile(filepath.Join(root(t), f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var outputRE = regexp.MustCompile(`(?m)^path<<(\S+)\n(.*)\n`)

// install runs `install.sh find` of the action tree against the release
// server and returns the installed binary's path and the log.
func install(t *testing.T, tree, server string, extra map[string]string) (string, string, error) {
	t.Helper()
	tmp := t.TempDir()
	env := map[string]string{"GITHUB_SERVER_URL": server, "GITHUB_API_URL": server,
		"SHIPFLOW_ACTION_PATH": filepath.Join(tree, "actions", "next")}
	for k, v := range extra {
		env[k] = v
	}
	cmd := exec.Command("bash", filepath.Join(tree, "actions", "install.sh"), "find")
	cmd.Env = installEnv(t, tmp, env)
	log, err := cmd.CombinedOutput()
	out, _ := os.ReadFile(filepath.Join(tmp, "output"))
	m := outputRE.FindStringSubmatch(string(out))
	if m == nil {
		return "", string(log), err
	}
	if !strings.Contains(string(out), "build<<") || !regexp.MustCompile(`(?m)^build<<\S+\nfalse\n`).Match(out) {
		return "", string(log) + "\noutputs:\n" + string(out), fmt.Errorf("install.sh would build from source")
	}
	return m[2], string(log), err
}

// serve serves dist's files as the assets of release tag of
// shipflow/shipflow, with replace overriding some of them.
func serve(t *testing.T, dist, tag string, replace map[string][]byte) string {
	t.Helper()
	prefix := "/shipflow/shipflow/releases/download/" + tag + "/"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok || strings.Contains(name, "/") || name == "" {
			http.NotFound(w, r)
			return
		}
		if data, ok := replace[name]; ok {
			w.Write(data)
			return
		}
		http.ServeFile(w, r, filepath.Join(dist, name))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestInstallSnapshot installs the snapshot's archive with install.sh, as
// the actions do: pinned in actions/digests.txt by `install.sh pin` (what
// the release workflow does with GoReleaser's dist/), and unpinned with
// verify: checksums. The installed binary reports the snapshot's version;
// a tampered archive is refused.
func TestInstallSnapshot(t *testing.T) {
	dist, version := buildSnapshot(t)
	tag := "v" + version
	archive, err := os.ReadFile(filepath.Join(dist, hostAsset()))
	if err != nil {
		t.Fatal(err)
	}
	// A tampered archive: the same archive with a byte flipped in the
	// middle of the compressed stream.
	tampered := bytes.Clone(archive)
	tampered[len(tampered)/2] ^= 0xff
	// No gh: no attestation to check here.
	noGH := t.TempDir()
	if err := os.WriteFile(filepath.Join(noGH, "gh"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := noGH + string(os.PathListSeparator) + os.Getenv("PATH")

	pinned := action(t)
	pin := exec.Command("bash", filepath.Join(pinned, "actions", "install.sh"), "pin", tag, dist)
	if out, err := pin.CombinedOutput(); err != nil {
		t.Fatalf("install.sh pin %s %s: %v\n%s", tag, dist, err, out)
	}
	unpinned := action(t)

	tests := []struct {
		name    string
		tree    string
		env     map[string]string
		replace map[string][]byte
		wantErr string
	}{
		{name: "pinned", tree: pinned, env: map[string]string{"SHIPFLOW_VERSION": version}},
		{name: "unpinned with verify checksums", tree: unpinned, env: map[string]string{"SHIPFLOW_VERSION": version, "SHIPFLOW_VERIFY": "checksums", "PATH": path}},
		{name: "tampered pinned", tree: pinned, env: map[string]string{"SHIPFLOW_VERSION": version}, replace: map[string][]byte{hostAsset(): tampered}, wantErr: "refusing a release asset that differs"},
		{name: "tampered unpinned", tree: unpinned, env: map[string]string{"SHIPFLOW_VERSION": version, "SHIPFLOW_VERIFY": "checksums", "PATH": path}, replace: map[string][]byte{hostAsset(): tampered}, wantErr: "checksum mismatch for " + hostAsset()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, dist, tag, tt.replace)
			bin, log, err := install(t, tt.tree, srv, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(log, tt.wantErr) {
					t.Fatalf("install.sh: err %v, want a failure saying %q:\n%s", err, tt.wantErr, log)
				}
				if bin != "" {
					if _, err := os.Stat(bin); err == nil {
						t.Errorf("the tampered archive left a binary at %s", bin)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("install.sh: %v\n%s", err, log)
			}
			out, err := exec.Command(bin, "--version").CombinedOutput()
			if err != nil {
				t.Fatalf("%s --version: %v\n%s", bin, err, out)
			}
			if !strings.Contains(string(out), tag) {
				t.Errorf("%s --version = %q, want the snapshot version %s", bin, out, tag)
			}
		})
	}
}

// TestTagBuildReproducible runs GoReleaser the way the release workflow
// pins a tag that does not exist yet (GORELEASER_CURRENT_TAG,
// --skip=publish,validate, no token) and checks that it builds the
// snapshot's archive byte for byte when given the snapshot's version: the
// archives depend on the version and the source only, which is what lets
// actions/digests.txt pin them before the release commit.
func TestTagBuildReproducible(t *testing.T) {
	dist, version := buildSnapshot(t)
	tag := "v" + version
	dist2 := filepath.Join(t.TempDir(), "dist")
	// A release needs the repository's remote (GoReleaser reads its URL):
	// a commit of the work tree in a fresh repository with an origin.
	clone := workTreeRepo(t)
	cfg := hostConfig(t, filepath.Join(clone, ".goreleaser.yaml"), dist2)
	cmd := exec.Command(goreleaserBin(t), "release", "--clean", "--skip=publish,validate,sbom", "--config", cfg)
	cmd.Dir = clone
	cmd.Env = goreleaserEnv("GORELEASER_CURRENT_TAG="+tag, "GITHUB_TOKEN=", "GH_TOKEN=", "GORELEASER_FORCE_TOKEN=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GORELEASER_CURRENT_TAG=%s goreleaser release --skip=publish,validate: %v\n%s", tag, err, out)
	}
	if a, b := sha256File(t, filepath.Join(dist, hostAsset())), sha256File(t, filepath.Join(dist2, hostAsset())); a != b {
		t.Errorf("%s differs between the snapshot (%s) and the tag build (%s): the archives are not reproducible", hostAsset(), a, b)
	}
}

// workTreeRepo copies the work tree's files (tracked and not ignored) into
// a new git repository with one commit and origin set to shipflow's.
func workTreeRepo(t *testing.T) string {
	t.Helper()
	src := root(t)
	list, err := exec.Command("git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(src, name))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"},
		{"add", "-A"},
		{"-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "--no-verify", "-m", "chore: snapshot of the work tree"},
		{"remote", "add", "origin", "https://github.com/shipflow/shipflow.git"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dst
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dst
}
