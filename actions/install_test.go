package actions

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// release is a fake GitHub release download server: assets by path.
func releaseServer(t *testing.T, assets map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := assets[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// tarGz packs one executable file named name.
func tarGz(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(content))}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte(content))
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// runInstall runs actions/install.sh mode with env and returns its
// GITHUB_OUTPUT values, its output and error.
func runInstall(t *testing.T, mode string, env map[string]string) (map[string]string, string, error) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "output")
	cmd := exec.Command("bash", filepath.Join(repoRoot(t), "actions", "install.sh"), mode)
	cmd.Env = append(os.Environ(),
		"GITHUB_OUTPUT="+out, "RUNNER_TEMP="+filepath.Join(dir, "tmp"), "RUNNER_OS=Linux", "RUNNER_ARCH=X64",
		"SHIPFLOW_ACTION_PATH="+filepath.Join(repoRoot(t), "actions", "next"),
		"SHIPFLOW_ACTION_REF=", "SHIPFLOW_ACTION_REPOSITORY=", "SHIPFLOW_VERSION=")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	log, err := cmd.CombinedOutput()
	got := map[string]string{}
	if data, rerr := os.ReadFile(out); rerr == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			k, v, _ := strings.Cut(line, "=")
			got[k] = v
		}
	}
	return got, string(log), err
}

func TestInstallDownloadsAndVerifies(t *testing.T) {
	asset := tarGz(t, "shipflow", "#!/bin/sh\necho shipflow v1.2.3\n")
	sum := fmt.Sprintf("%x", sha256.Sum256(asset))
	const base = "/shipflow/shipflow/releases/download/v1.2.3/"
	tests := []struct {
		name      string
		env       map[string]string
		checksums string
		asset     []byte
		wantBuild string
		wantErr   string
	}{
		{name: "version input", env: map[string]string{"SHIPFLOW_VERSION": "1.2.3"}, checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantBuild: "false"},
		{name: "release tag ref", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1.2.3"}, checksums: sum + " *shipflow_linux_amd64.tar.gz\n", asset: asset, wantBuild: "false"},
		{name: "checksum mismatch", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, checksums: strings.Repeat("0", 64) + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantErr: "checksum mismatch"},
		{name: "no checksum line", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, checksums: sum + "  shipflow_darwin_arm64.tar.gz\n", asset: asset, wantErr: "has no line for shipflow_linux_amd64.tar.gz"},
		{name: "version input without assets fails", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, wantErr: "could not download shipflow_linux_amd64.tar.gz and checksums.txt of release v1.2.3"},
		{name: "release tag ref without assets builds", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1.2.3"}, wantBuild: "true"},
		{name: "floating tag without releases builds", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1"}, wantBuild: "true"},
		{name: "commit builds", env: map[string]string{"SHIPFLOW_ACTION_REF": "0123456789abcdef0123456789abcdef01234567"}, wantBuild: "true"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assets := map[string][]byte{}
			if tc.asset != nil {
				assets[base+"shipflow_linux_amd64.tar.gz"] = tc.asset
				assets[base+"checksums.txt"] = []byte(tc.checksums)
			}
			srv := releaseServer(t, assets)
			env := map[string]string{"GITHUB_SERVER_URL": srv.URL, "GITHUB_API_URL": srv.URL}
			for k, v := range tc.env {
				env[k] = v
			}
			got, log, err := runInstall(t, "find", env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(log, "::error title=shipflow install::") || !strings.Contains(log, tc.wantErr) {
					t.Errorf("err = %v, log:\n%s", err, log)
				}
				return
			}
			if err != nil {
				t.Fatalf("install.sh: %v\n%s", err, log)
			}
			if got["build"] != tc.wantBuild {
				t.Errorf("build = %q, want %q\n%s", got["build"], tc.wantBuild, log)
			}
			if got["go-mod"] != filepath.Join(repoRoot(t), "go.mod") {
				t.Errorf("go-mod = %q", got["go-mod"])
			}
			if tc.wantBuild == "false" {
				out, err := exec.Command(got["path"]).Output()
				if err != nil || string(out) != "shipflow v1.2.3\n" {
					t.Errorf("installed binary %s: %q, %v", got["path"], out, err)
				}
			}
		})
	}
}

func TestInstallRefFromActionPath(t *testing.T) {
	// When github.action_ref is empty (composite actions), the ref comes
	// from the runner's _actions/OWNER/REPO/REF directory.
	actions := filepath.Join(t.TempDir(), "_actions", "acme", "shipflow-fork", "v2.0.1")
	if err := os.MkdirAll(filepath.Join(actions, "actions", "next"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(actions, "go.mod"), []byte("module github.com/shipflow/shipflow\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	asset := tarGz(t, "shipflow", "#!/bin/sh\necho fork\n")
	srv := releaseServer(t, map[string][]byte{
		"/acme/shipflow-fork/releases/download/v2.0.1/shipflow_linux_amd64.tar.gz": asset,
		"/acme/shipflow-fork/releases/download/v2.0.1/checksums.txt":               []byte(fmt.Sprintf("%x  shipflow_linux_amd64.tar.gz\n", sha256.Sum256(asset))),
	})
	got, log, err := runInstall(t, "find", map[string]string{
		"GITHUB_SERVER_URL":    srv.URL,
		"SHIPFLOW_ACTION_PATH": filepath.Join(actions, "actions", "next"),
	})
	if err != nil || got["build"] != "false" {
		t.Fatalf("build %q, err %v\n%s", got["build"], err, log)
	}
}

// TestInstallFloatingRef: `uses: shipflow/shipflow/actions/X@v1` downloads
// the newest v1.x.y release found through the REST API, not a build.
func TestInstallFloatingRef(t *testing.T) {
	asset := tarGz(t, "shipflow", "#!/bin/sh\necho shipflow v1.10.0\n")
	sum := fmt.Sprintf("%x  shipflow_linux_amd64.tar.gz\n", sha256.Sum256(asset))
	const releases = `[
 {"tag_name": "v2.0.0", "draft": false, "prerelease": false},
 {"tag_name": "v1.12.0", "draft": true, "prerelease": false},
 {"tag_name": "v1.11.0-rc.1", "draft": false, "prerelease": true},
 {"tag_name": "v1.9.3", "draft": false, "prerelease": false},
 {"tag_name": "v1.10.0", "draft": false, "prerelease": false},
 {"tag_name": "v10.0.0", "draft": false, "prerelease": false}
]`
	tests := []struct {
		name      string
		ref       string
		releases  string
		assets    bool
		wantBuild string
		wantLog   string
	}{
		{name: "v1 resolves to the newest v1 release", ref: "v1", releases: releases, assets: true, wantBuild: "false", wantLog: "Resolved v1 to the release v1.10.0"},
		{name: "v3 has no release", ref: "v3", releases: releases, assets: true, wantBuild: "true", wantLog: "no v3.x.y release of shipflow/shipflow found for v3: building from source"},
		{name: "release without assets builds", ref: "v1", releases: releases, wantBuild: "true", wantLog: "no shipflow_linux_amd64.tar.gz in release v1.10.0"},
		{name: "API down builds", ref: "v1", wantBuild: "true", wantLog: "could not list the releases of shipflow/shipflow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var auth string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == "/repos/shipflow/shipflow/releases" && tc.releases != "":
					auth = r.Header.Get("Authorization")
					w.Write([]byte(tc.releases))
				case r.URL.Path == "/shipflow/shipflow/releases/download/v1.10.0/shipflow_linux_amd64.tar.gz" && tc.assets:
					w.Write(asset)
				case r.URL.Path == "/shipflow/shipflow/releases/download/v1.10.0/checksums.txt" && tc.assets:
					w.Write([]byte(sum))
				default:
					http.NotFound(w, r)
				}
			}))
			t.Cleanup(srv.Close)
			got, log, err := runInstall(t, "find", map[string]string{
				"GITHUB_SERVER_URL": srv.URL, "GITHUB_API_URL": srv.URL,
				"SHIPFLOW_ACTION_REF": tc.ref, "SHIPFLOW_TOKEN": "ghs_secret",
			})
			if err != nil {
				t.Fatalf("install.sh: %v\n%s", err, log)
			}
			if got["build"] != tc.wantBuild || !strings.Contains(log, tc.wantLog) {
				t.Errorf("build = %q, want %q; log lacks %q:\n%s", got["build"], tc.wantBuild, tc.wantLog, log)
			}
			if tc.releases != "" && auth != "Bearer ghs_secret" {
				t.Errorf("Authorization = %q, want the token", auth)
			}
			if tc.wantBuild == "false" {
				out, err := exec.Command(got["path"]).Output()
				if err != nil || string(out) != "shipflow v1.10.0\n" {
					t.Errorf("installed binary %s: %q, %v", got["path"], out, err)
				}
			}
		})
	}
}
