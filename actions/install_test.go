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
		{name: "no assets", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, wantBuild: "true"},
		{name: "floating tag builds", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1"}, wantBuild: "true"},
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
			env := map[string]string{"GITHUB_SERVER_URL": srv.URL}
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
