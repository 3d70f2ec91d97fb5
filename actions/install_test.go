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
	"regexp"
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

func sha256Hex(data []byte) string { return fmt.Sprintf("%x", sha256.Sum256(data)) }

// actionTree makes a stand-in for the action as the runner unpacks it:
// DIR/_actions/OWNER/REPO/REF with shipflow's go.mod and the given
// actions/digests.txt (the trust root install.sh reads). It returns the
// path of the actions/next action in it. An empty owner makes a plain
// directory (as `uses: ./` sees it).
func actionTree(t *testing.T, owner, name, ref, digests string) string {
	t.Helper()
	root := t.TempDir()
	if owner != "" {
		root = filepath.Join(root, "_actions", owner, name, ref)
	}
	if err := os.MkdirAll(filepath.Join(root, "actions", "next"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module github.com/shipflow/shipflow\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "actions", "digests.txt"), []byte(digests), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "actions", "next")
}

// pin is one actions/digests.txt line.
func pin(asset []byte, tag string) string {
	return sha256Hex(asset) + "  shipflow_linux_amd64.tar.gz " + tag + "\n"
}

// outputLine is a GITHUB_OUTPUT line that is neither a heredoc header nor
// inside one: the unsafe `name=value` form.
var heredocHeader = regexp.MustCompile(`^([A-Za-z0-9_-]+)<<(.*)$`)

// parseOutput reads a GITHUB_OUTPUT file as the runner does (both forms);
// plain lists the `name=value` lines, which a value with a newline can
// forge.
func parseOutput(data string) (got map[string]string, plain []string, delims []string) {
	got = map[string]string{}
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		if m := heredocHeader.FindStringSubmatch(line); m != nil {
			var val []string
			for i++; i < len(lines) && lines[i] != m[2]; i++ {
				val = append(val, lines[i])
			}
			got[m[1]] = strings.Join(val, "\n")
			delims = append(delims, m[2])
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		got[k] = v
		plain = append(plain, line)
	}
	return got, plain, delims
}

// runInstall runs actions/install.sh mode with env (which may set
// RUNNER_TEMP to share a cache between runs) and returns its GITHUB_OUTPUT
// values, its output and error.
func runInstall(t *testing.T, mode string, env map[string]string, args ...string) (map[string]string, string, error) {
	t.Helper()
	got, _, log, err := runInstallRaw(t, mode, env, args...)
	return got, log, err
}

func runInstallRaw(t *testing.T, mode string, env map[string]string, args ...string) (map[string]string, string, string, error) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "output")
	cmd := exec.Command("bash", append([]string{filepath.Join(repoRoot(t), "actions", "install.sh"), mode}, args...)...)
	// exec keeps the last value of a repeated variable: env overrides
	// these defaults.
	cmd.Env = append(os.Environ(),
		"GITHUB_OUTPUT="+out, "RUNNER_TEMP="+filepath.Join(dir, "tmp"), "RUNNER_OS=Linux", "RUNNER_ARCH=X64",
		"SHIPFLOW_ACTION_PATH="+filepath.Join(repoRoot(t), "actions", "next"),
		"SHIPFLOW_ACTION_REF=", "SHIPFLOW_ACTION_REPOSITORY=", "SHIPFLOW_VERSION=", "SHIPFLOW_VERIFY=", "SHIPFLOW_TOKEN=",
		"RUNNER_TOOL_CACHE="+filepath.Join(dir, "toolcache"))
	if mode == "find" {
		// A runner without Go: a source build is left to actions/setup-go
		// (build=true), as these stand-in actions have no source to build.
		cmd.Env = append(cmd.Env, "PATH="+noGoPath(t))
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	log, err := cmd.CombinedOutput()
	data, _ := os.ReadFile(out)
	got, _, _ := parseOutput(string(data))
	return got, string(data), string(log), err
}

// runBinary runs an installed binary and returns what it printed.
func runBinary(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command(path).Output()
	if err != nil {
		t.Errorf("running the installed binary %s: %v", path, err)
	}
	return string(out)
}

// noGH is a PATH directory with a gh that finds no attestation, so a test
// does not depend on whether gh is installed on the machine.
func ghStub(t *testing.T, script string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir + string(os.PathListSeparator) + noGoPath(t)
}

// noGoPath is PATH without the directories that hold a go command.
func noGoPath(t *testing.T) string {
	t.Helper()
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if fi, err := os.Stat(filepath.Join(d, "go")); err == nil && !fi.IsDir() {
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, string(os.PathListSeparator))
}

func TestInstallDownloadsAndVerifies(t *testing.T) {
	asset := tarGz(t, "shipflow", "#!/bin/sh\necho shipflow v1.2.3\n")
	evil := tarGz(t, "shipflow", "#!/bin/sh\necho EVIL-BINARY\n")
	sum := sha256Hex(asset)
	const base = "/shipflow/shipflow/releases/download/v1.2.3/"
	noAttestation := ghStub(t, "exit 1\n")
	// attests checks that install.sh asks gh about the downloaded file and
	// the action's repository, as `gh attestation verify` takes them.
	attests := ghStub(t, `[ "$1 $2" = "attestation verify" ] && [ -f "$3" ] && [ "$4 $5" = "--repo shipflow/shipflow" ] && [ -n "$GH_TOKEN" ]`+"\n")
	tests := []struct {
		name      string
		env       map[string]string
		digests   string // the action's actions/digests.txt
		checksums string
		asset     []byte
		wantBuild string
		wantErr   string
		wantLog   string
	}{
		{name: "version input pinned", env: map[string]string{"SHIPFLOW_VERSION": "1.2.3"}, digests: pin(asset, "v1.2.3"), checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantBuild: "false", wantLog: "against actions/digests.txt"},
		{name: "release tag ref pinned", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1.2.3"}, digests: pin(asset, "v1.2.3"), checksums: sum + " *shipflow_linux_amd64.tar.gz\n", asset: asset, wantBuild: "false"},
		{name: "pinned among other versions and assets", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, digests: "# comment\n" + pin(evil, "v1.2.2") + strings.Repeat("a", 64) + "  shipflow_darwin_arm64.tar.gz v1.2.3\n" + pin(asset, "v1.2.3"), checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantBuild: "false"},
		{name: "checksum mismatch", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, digests: pin(asset, "v1.2.3"), checksums: strings.Repeat("0", 64) + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantErr: "checksum mismatch"},
		// D8: whoever can replace the asset can replace checksums.txt too;
		// the digest pinned in the action's tree still tells them apart.
		{name: "tampered asset and checksums", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, digests: pin(asset, "v1.2.3"), checksums: sha256Hex(evil) + "  shipflow_linux_amd64.tar.gz\n", asset: evil, wantErr: "but actions/digests.txt of this action pins " + sum},
		{name: "tampered asset and checksums on the tag ref", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1.2.3"}, digests: pin(asset, "v1.2.3"), checksums: sha256Hex(evil) + "  shipflow_linux_amd64.tar.gz\n", asset: evil, wantErr: "refusing a release asset that differs"},
		{name: "two pins for one asset", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, digests: pin(asset, "v1.2.3") + pin(evil, "v1.2.3"), checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantErr: "pins two digests"},
		{name: "version input without assets fails", env: map[string]string{"SHIPFLOW_VERSION": "v1.2.3"}, digests: pin(asset, "v1.2.3"), wantErr: "could not download shipflow_linux_amd64.tar.gz and checksums.txt of release v1.2.3"},
		{name: "release tag ref without assets builds", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1.2.3"}, digests: pin(asset, "v1.2.3"), wantBuild: "true"},
		{name: "floating tag without releases builds", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1"}, wantBuild: "true"},
		{name: "commit builds", env: map[string]string{"SHIPFLOW_ACTION_REF": "0123456789abcdef0123456789abcdef01234567"}, wantBuild: "true"},

		// A version the action does not pin: the release's attestation,
		// or an explicit opt-in to checksums.txt, or a refusal that says
		// how to pin.
		{name: "unpinned version refused", env: map[string]string{"SHIPFLOW_VERSION": "1.2.3", "PATH": noAttestation}, digests: pin(evil, "v1.0.0"), checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantErr: "pin the action to the release instead (uses: shipflow/shipflow@v1.2.3, without the version input)"},
		{name: "unpinned version refused without digests", env: map[string]string{"SHIPFLOW_VERSION": "1.2.3", "PATH": noAttestation}, checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantErr: "or set verify: checksums"},
		{name: "unpinned version with verify checksums", env: map[string]string{"SHIPFLOW_VERSION": "1.2.3", "SHIPFLOW_VERIFY": "checksums", "PATH": noAttestation}, checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantBuild: "false", wantLog: "trusting checksums.txt of the same release (verify: checksums)"},
		{name: "unpinned version with verify checksums still checks them", env: map[string]string{"SHIPFLOW_VERSION": "1.2.3", "SHIPFLOW_VERIFY": "checksums", "PATH": noAttestation}, checksums: strings.Repeat("0", 64) + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantErr: "checksum mismatch"},
		{name: "unpinned version with an attestation", env: map[string]string{"SHIPFLOW_VERSION": "1.2.3", "SHIPFLOW_TOKEN": "ghs_x", "PATH": attests}, checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantBuild: "false", wantLog: "with its attestation"},
		{name: "unpinned tag ref builds from source", env: map[string]string{"SHIPFLOW_ACTION_REF": "v1.2.3", "PATH": noAttestation}, checksums: sum + "  shipflow_linux_amd64.tar.gz\n", asset: asset, wantBuild: "true", wantLog: "is not pinned in this action's actions/digests.txt and has no verifiable attestation: building from source"},
		{name: "bad verify input", env: map[string]string{"SHIPFLOW_VERSION": "1.2.3", "SHIPFLOW_VERIFY": "none"}, wantErr: `input verify: "none" is not empty or checksums`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assets := map[string][]byte{}
			if tc.asset != nil {
				assets[base+"shipflow_linux_amd64.tar.gz"] = tc.asset
				assets[base+"checksums.txt"] = []byte(tc.checksums)
			}
			srv := releaseServer(t, assets)
			action := actionTree(t, "", "", "", tc.digests)
			env := map[string]string{"GITHUB_SERVER_URL": srv.URL, "GITHUB_API_URL": srv.URL, "SHIPFLOW_ACTION_PATH": action}
			for k, v := range tc.env {
				env[k] = v
			}
			got, log, err := runInstall(t, "find", env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(log, "::error title=shipflow install::") || !strings.Contains(log, tc.wantErr) {
					t.Errorf("err = %v, want an error with %q; log:\n%s", err, tc.wantErr, log)
				}
				if got["build"] == "false" {
					t.Errorf("build = false after an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("install.sh: %v\n%s", err, log)
			}
			if got["build"] != tc.wantBuild || !strings.Contains(log, tc.wantLog) {
				t.Errorf("build = %q, want %q; log lacks %q:\n%s", got["build"], tc.wantBuild, tc.wantLog, log)
			}
			if want := filepath.Join(action, "..", "..", "go.mod"); got["go-mod"] != filepath.Clean(want) {
				t.Errorf("go-mod = %q, want %q", got["go-mod"], want)
			}
			if tc.wantBuild == "false" {
				if out := runBinary(t, got["path"]); out != "shipflow v1.2.3\n" {
					t.Errorf("installed binary %s printed %q", got["path"], out)
				}
			}
		})
	}
}

// TestInstallOutputsDelimited: D9. Every output is written in the heredoc
// form with a fresh random delimiter, and a version input with a newline
// (9.9.9\nbuild=true) is refused before it reaches any output, path or URL.
func TestInstallOutputsDelimited(t *testing.T) {
	t.Run("heredoc with random delimiters", func(t *testing.T) {
		_, data, log, err := runInstallRaw(t, "find", map[string]string{
			"SHIPFLOW_ACTION_PATH": actionTree(t, "", "", "", ""),
			"SHIPFLOW_ACTION_REF":  "0123456789abcdef0123456789abcdef01234567",
		})
		if err != nil {
			t.Fatalf("install.sh: %v\n%s", err, log)
		}
		got, plain, delims := parseOutput(data)
		if len(plain) > 0 {
			t.Errorf("outputs written as name=value, which a newline in a value forges: %q", plain)
		}
		if len(delims) != 3 || got["build"] != "true" {
			t.Errorf("outputs %v with delimiters %q, want path, go-mod and build", got, delims)
		}
		seen := map[string]bool{}
		for _, d := range delims {
			if !regexp.MustCompile(`^ghadelimiter_[0-9a-f]{32}$`).MatchString(d) || seen[d] {
				t.Errorf("delimiter %q is not a fresh ghadelimiter_<32 hex>", d)
			}
			seen[d] = true
		}
	})
	forged := map[string]string{
		"newline then build=true": "1.2.3\nbuild=true\nx=",
		"newline only":            "9.9.9\nbuild=true",
		"heredoc delimiter":       "1.2.3\npath<<EOF\n/tmp/evil\nEOF",
	}
	for name, version := range forged {
		t.Run(name, func(t *testing.T) {
			asset := tarGz(t, "shipflow", "#!/bin/sh\necho ok\n")
			got, data, log, err := runInstallRaw(t, "find", map[string]string{
				"SHIPFLOW_ACTION_PATH": actionTree(t, "", "", "", ""),
				"SHIPFLOW_VERSION":     version,
				"GITHUB_SERVER_URL":    releaseServer(t, map[string][]byte{"/shipflow/shipflow/releases/download/v1.2.3/shipflow_linux_amd64.tar.gz": asset}).URL,
			})
			if err == nil || !strings.Contains(log, "is not a semantic version") {
				t.Errorf("err = %v, want the version refused; log:\n%s", err, log)
			}
			if got["build"] == "true" || strings.Contains(got["path"], "evil") || data != "" {
				t.Errorf("outputs forged or written: %q", data)
			}
		})
	}
}

// TestInstallRefusesBadNames: the version, ref and repository name paths,
// URLs and a linker flag, so anything but their grammar is refused before
// use.
func TestInstallRefusesBadNames(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"version 1.2", map[string]string{"SHIPFLOW_VERSION": "1.2"}, `input version: "1.2" is not a semantic version`},
		{"version with leading zero", map[string]string{"SHIPFLOW_VERSION": "01.2.3"}, "is not a semantic version"},
		{"version with path", map[string]string{"SHIPFLOW_VERSION": "1.2.3/../../../etc"}, "is not a semantic version"},
		{"version traversal", map[string]string{"SHIPFLOW_VERSION": "../1.2.3"}, "is not a semantic version"},
		{"version with a space", map[string]string{"SHIPFLOW_VERSION": "1.2.3 "}, "is not a semantic version"},
		{"version latest", map[string]string{"SHIPFLOW_VERSION": "latest"}, "is not a semantic version"},
		{"version with build metadata", map[string]string{"SHIPFLOW_VERSION": "1.2.3+abc"}, "is not a semantic version"},
		{"version with a query", map[string]string{"SHIPFLOW_VERSION": "1.2.3?x=y"}, "is not a semantic version"},
		{"version empty pre-release", map[string]string{"SHIPFLOW_VERSION": "1.2.3-"}, "is not a semantic version"},
		{"version with substitution", map[string]string{"SHIPFLOW_VERSION": "$(id)"}, "is not a semantic version"},
		{"ref with a linker flag", map[string]string{"SHIPFLOW_ACTION_REF": "main -X main.version=evil"}, `action ref "main -X main.version=evil" is not a tag, branch or commit name`},
		{"ref with a newline", map[string]string{"SHIPFLOW_ACTION_REF": "v1.2.3\nbuild=true"}, "is not a tag, branch or commit name"},
		{"ref traversal", map[string]string{"SHIPFLOW_ACTION_REF": "../../x"}, "is not a tag, branch or commit name"},
		{"ref option", map[string]string{"SHIPFLOW_ACTION_REF": "-ldflags"}, "is not a tag, branch or commit name"},
		{"repository traversal", map[string]string{"SHIPFLOW_ACTION_REPOSITORY": "../../etc"}, `action repository "../../etc" is not OWNER/REPO`},
		{"repository dotdot name", map[string]string{"SHIPFLOW_ACTION_REPOSITORY": "acme/.."}, "is not OWNER/REPO"},
		{"repository with a query", map[string]string{"SHIPFLOW_ACTION_REPOSITORY": "acme/x?y"}, "is not OWNER/REPO"},
		{"repository three parts", map[string]string{"SHIPFLOW_ACTION_REPOSITORY": "a/b/c"}, "is not OWNER/REPO"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"SHIPFLOW_ACTION_PATH": actionTree(t, "", "", "", ""), "GITHUB_SERVER_URL": "http://127.0.0.1:1", "GITHUB_API_URL": "http://127.0.0.1:1"}
			for k, v := range tc.env {
				env[k] = v
			}
			got, log, err := runInstall(t, "find", env)
			if err == nil || !strings.Contains(log, "::error title=shipflow install::") || !strings.Contains(log, tc.wantErr) {
				t.Errorf("err = %v, want an error with %q; log:\n%s", err, tc.wantErr, log)
			}
			if len(got) != 0 {
				t.Errorf("outputs written before the check: %v", got)
			}
		})
	}
	t.Run("ref from the action path", func(t *testing.T) {
		root := filepath.Join(t.TempDir(), "_actions", "acme", "shipflow", "v1.0.0;x")
		if err := os.MkdirAll(filepath.Join(root, "actions", "next"), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(root, "go.mod"), []byte("module github.com/shipflow/shipflow\n"), 0o644)
		_, log, err := runInstall(t, "find", map[string]string{"SHIPFLOW_ACTION_PATH": filepath.Join(root, "actions", "next")})
		if err == nil || !strings.Contains(log, `action ref "v1.0.0;x" is not a tag`) {
			t.Errorf("err = %v; log:\n%s", err, log)
		}
	})
}

// TestInstallCache: D8. The binary of an earlier step is reused only after
// its tarball matches the pinned digest again; a binary planted in
// RUNNER_TEMP never runs, and a fork's vX.Y.Z is not upstream's.
func TestInstallCache(t *testing.T) {
	asset := tarGz(t, "shipflow", "#!/bin/sh\necho shipflow v1.2.3\n")
	evil := tarGz(t, "shipflow", "#!/bin/sh\necho EVIL-BINARY\n")
	const base = "/shipflow/shipflow/releases/download/v1.2.3/"
	release := map[string][]byte{
		base + "shipflow_linux_amd64.tar.gz": asset,
		base + "checksums.txt":               []byte(sha256Hex(asset) + "  shipflow_linux_amd64.tar.gz\n"),
	}
	plant := func(t *testing.T, path string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	// installsThePinnedBinary installs v1.2.3 into the runner temp tmp, with
	// its digest pinned in the action, and checks the binary that runs is
	// the release's, whatever was planted in tmp.
	installsThePinnedBinary := func(t *testing.T, tmp string) {
		t.Helper()
		srv := releaseServer(t, release)
		got, log, err := runInstall(t, "find", map[string]string{
			"RUNNER_TEMP": tmp, "GITHUB_SERVER_URL": srv.URL, "SHIPFLOW_VERSION": "1.2.3",
			"SHIPFLOW_ACTION_PATH": actionTree(t, "", "", "", pin(asset, "v1.2.3")),
		})
		if err != nil || got["build"] != "false" {
			t.Fatalf("build %q, err %v\n%s", got["build"], err, log)
		}
		if out := runBinary(t, got["path"]); out != "shipflow v1.2.3\n" {
			t.Errorf("the planted binary ran: %q\n%s", out, log)
		}
	}

	t.Run("planted binary", func(t *testing.T) {
		tmp := t.TempDir()
		// Where install.sh kept release binaries before (per version
		// only) and where it keeps them now (per repository and version).
		for _, dir := range []string{"shipflow/v1.2.3", "shipflow/shipflow/shipflow/v1.2.3"} {
			plant(t, filepath.Join(tmp, dir, "shipflow"), []byte("#!/bin/sh\necho EVIL-BINARY\n"))
		}
		installsThePinnedBinary(t, tmp)
	})

	t.Run("planted binary and tarball", func(t *testing.T) {
		tmp := t.TempDir()
		dir := filepath.Join(tmp, "shipflow", "shipflow", "shipflow", "v1.2.3")
		plant(t, filepath.Join(dir, "shipflow"), []byte("#!/bin/sh\necho EVIL-BINARY\n"))
		plant(t, filepath.Join(dir, "shipflow_linux_amd64.tar.gz"), evil)
		installsThePinnedBinary(t, tmp)
	})

	t.Run("second step reuses the verified download", func(t *testing.T) {
		tmp := t.TempDir()
		action := actionTree(t, "", "", "", pin(asset, "v1.2.3"))
		srv := releaseServer(t, release)
		env := map[string]string{"RUNNER_TEMP": tmp, "GITHUB_SERVER_URL": srv.URL, "SHIPFLOW_VERSION": "1.2.3", "SHIPFLOW_ACTION_PATH": action}
		if _, log, err := runInstall(t, "find", env); err != nil {
			t.Fatalf("first step: %v\n%s", err, log)
		}
		srv.Close() // the second step must not need the network
		got, log, err := runInstall(t, "find", env)
		if err != nil || got["build"] != "false" || !strings.Contains(log, "verified against actions/digests.txt again") {
			t.Fatalf("second step: build %q, err %v\n%s", got["build"], err, log)
		}
		if out := runBinary(t, got["path"]); out != "shipflow v1.2.3\n" {
			t.Errorf("second step runs %q", out)
		}
	})

	t.Run("a fork's release is not upstream's", func(t *testing.T) {
		tmp := t.TempDir()
		fork := tarGz(t, "shipflow", "#!/bin/sh\necho FORK\n")
		assets := map[string][]byte{
			"/acme/shipflow/releases/download/v1.2.3/shipflow_linux_amd64.tar.gz": fork,
			"/acme/shipflow/releases/download/v1.2.3/checksums.txt":               []byte(sha256Hex(fork) + "  shipflow_linux_amd64.tar.gz\n"),
		}
		for k, v := range release {
			assets[k] = v
		}
		srv := releaseServer(t, assets)
		// An earlier job on this runner used the fork's action at v1.2.3,
		// whose own digests.txt pins the fork's build.
		got, log, err := runInstall(t, "find", map[string]string{
			"RUNNER_TEMP": tmp, "GITHUB_SERVER_URL": srv.URL,
			"SHIPFLOW_ACTION_PATH": actionTree(t, "acme", "shipflow", "v1.2.3", pin(fork, "v1.2.3")),
		})
		if err != nil || runBinary(t, got["path"]) != "FORK\n" {
			t.Fatalf("fork install: %v\n%s", err, log)
		}
		got, log, err = runInstall(t, "find", map[string]string{
			"RUNNER_TEMP": tmp, "GITHUB_SERVER_URL": srv.URL,
			"SHIPFLOW_ACTION_PATH": actionTree(t, "shipflow", "shipflow", "v1.2.3", pin(asset, "v1.2.3")),
		})
		if err != nil || got["build"] != "false" {
			t.Fatalf("upstream install: build %q, err %v\n%s", got["build"], err, log)
		}
		if out := runBinary(t, got["path"]); out != "shipflow v1.2.3\n" {
			t.Errorf("upstream's step runs the fork's binary: %q\n%s", out, log)
		}
	})
}

func TestInstallRefFromActionPath(t *testing.T) {
	// When github.action_ref is empty (composite actions), the ref comes
	// from the runner's _actions/OWNER/REPO/REF directory.
	asset := tarGz(t, "shipflow", "#!/bin/sh\necho fork\n")
	action := actionTree(t, "acme", "shipflow-fork", "v2.0.1", pin(asset, "v2.0.1"))
	srv := releaseServer(t, map[string][]byte{
		"/acme/shipflow-fork/releases/download/v2.0.1/shipflow_linux_amd64.tar.gz": asset,
		"/acme/shipflow-fork/releases/download/v2.0.1/checksums.txt":               []byte(fmt.Sprintf("%x  shipflow_linux_amd64.tar.gz\n", sha256.Sum256(asset))),
	})
	got, log, err := runInstall(t, "find", map[string]string{
		"GITHUB_SERVER_URL":    srv.URL,
		"SHIPFLOW_ACTION_PATH": action,
	})
	if err != nil || got["build"] != "false" {
		t.Fatalf("build %q, err %v\n%s", got["build"], err, log)
	}
	if !strings.Contains(got["path"], filepath.Join("shipflow", "acme", "shipflow-fork", "v2.0.1")) {
		t.Errorf("path %q is not keyed by the repository", got["path"])
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
				"SHIPFLOW_ACTION_PATH": actionTree(t, "", "", "", pin(asset, "v1.10.0")),
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
				if out := runBinary(t, got["path"]); out != "shipflow v1.10.0\n" {
					t.Errorf("installed binary %s: %q", got["path"], out)
				}
			}
		})
	}
}

// TestInstallDistReproducible is the release workflow's trust chain on a
// copy of this repository's committed source: the assets built before the release commit
// are pinned in actions/digests.txt, the release commit (here: a changed
// CHANGELOG.md and the pinned digests, in another directory) builds the
// same bytes, verify-dist accepts them and refuses a changed one, and
// `install.sh find` installs the pinned release.
func TestInstallDistReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds shipflow twice")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not installed")
	}
	const tag = "v9.8.7"
	work := t.TempDir()
	before := filepath.Join(work, "before")
	copySource(t, repoRoot(t), before)
	env := map[string]string{"SHIPFLOW_ACTION_PATH": before, "DIST_TARGETS": "linux/amd64"}
	dist1 := filepath.Join(work, "dist1")
	if _, log, err := runInstall(t, "dist", env, tag, dist1); err != nil {
		t.Fatalf("dist: %v\n%s", err, log)
	}
	if _, log, err := runInstall(t, "pin", env, tag, dist1); err != nil {
		t.Fatalf("pin: %v\n%s", err, log)
	}
	// The release commit: CHANGELOG.md gains the section, digests.txt
	// gains the pins, and the tag is checked out elsewhere.
	tagged := filepath.Join(work, "tagged")
	if err := os.Rename(before, tagged); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(tagged, "CHANGELOG.md"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "\n## [9.8.7]\n\n- a change\n")
	f.Close()
	env["SHIPFLOW_ACTION_PATH"] = tagged
	dist2 := filepath.Join(work, "dist2")
	if _, log, err := runInstall(t, "dist", env, tag, dist2); err != nil {
		t.Fatalf("dist from the tag: %v\n%s", err, log)
	}
	if _, log, err := runInstall(t, "verify-dist", env, tag, dist2); err != nil {
		t.Fatalf("verify-dist: the build from the tag differs from the pinned one: %v\n%s", err, log)
	}
	a1, _ := os.ReadFile(filepath.Join(dist1, "shipflow_linux_amd64.tar.gz"))
	a2, _ := os.ReadFile(filepath.Join(dist2, "shipflow_linux_amd64.tar.gz"))
	if !bytes.Equal(a1, a2) {
		t.Fatalf("the two builds differ")
	}

	// The installed release is the pinned build, and says its version.
	sums, err := os.ReadFile(filepath.Join(dist2, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	srv := releaseServer(t, map[string][]byte{
		"/shipflow/shipflow/releases/download/" + tag + "/shipflow_linux_amd64.tar.gz": a2,
		"/shipflow/shipflow/releases/download/" + tag + "/checksums.txt":               sums,
	})
	got, log, err := runInstall(t, "find", map[string]string{
		"GITHUB_SERVER_URL": srv.URL, "SHIPFLOW_ACTION_PATH": filepath.Join(tagged, "actions", "next"), "SHIPFLOW_ACTION_REF": tag,
	})
	if err != nil || got["build"] != "false" {
		t.Fatalf("find: build %q, err %v\n%s", got["build"], err, log)
	}
	if out, err := exec.Command(got["path"], "--version").Output(); err != nil || !strings.Contains(string(out), tag) {
		t.Errorf("%s --version: %q, %v", got["path"], out, err)
	}

	// An asset that is not the pinned build is refused before upload.
	if err := os.WriteFile(filepath.Join(dist2, "shipflow_linux_amd64.tar.gz"), append(a2, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, log, err := runInstall(t, "verify-dist", env, tag, dist2); err == nil || !strings.Contains(log, "differ from actions/digests.txt") {
		t.Errorf("verify-dist accepted a changed asset: %v\n%s", err, log)
	}
}

// copySource extracts the committed tree of the repository at src (git
// archive HEAD: a consistent source, whatever is being edited in the work
// tree) to dst.
func copySource(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	archive := exec.Command("git", "-C", src, "archive", "--format=tar", "HEAD")
	untar := exec.Command("tar", "-xf", "-", "-C", dst)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	untar.Stdin = pipe
	var stderr bytes.Buffer
	archive.Stderr, untar.Stderr = &stderr, &stderr
	if err := untar.Start(); err != nil {
		t.Fatal(err)
	}
	if err := archive.Run(); err != nil {
		t.Fatalf("git archive: %v\n%s", err, stderr.String())
	}
	if err := untar.Wait(); err != nil {
		t.Fatalf("tar: %v\n%s", err, stderr.String())
	}
}

// TestInstallSourceBuild: an action pinned to a commit has no release to
// download, so install.sh builds the action's source, with a Go the runner
// keeps off the PATH (its tool cache), in a GOPATH and caches of its own
// under RUNNER_TEMP. It leaves the job's PATH and environment alone
// (nothing in GITHUB_PATH or GITHUB_ENV, no actions/setup-go step), and a
// later step of the job reuses the commit's binary.
func TestInstallSourceBuild(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("go is not on PATH")
	}
	goCmd, err = filepath.EvalSymlinks(goCmd)
	if err != nil {
		t.Fatal(err)
	}
	goEnv := func(name string) string {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	// The runner's tool cache: go/VERSION/ARCH/bin/go, not on PATH.
	toolCache := t.TempDir()
	if err := os.MkdirAll(filepath.Join(toolCache, "go", "1.26.0", "x64", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(goCmd, filepath.Join(toolCache, "go", "1.26.0", "x64", "bin", "go")); err != nil {
		t.Fatal(err)
	}
	job := t.TempDir()
	runnerTemp := filepath.Join(job, "runner-temp")
	const commit = "0123456789abcdef0123456789abcdef01234567"
	env := map[string]string{
		"SHIPFLOW_ACTION_REF": commit,
		"RUNNER_TEMP":         runnerTemp,
		"RUNNER_TOOL_CACHE":   toolCache,
		"GITHUB_PATH":         filepath.Join(job, "github_path"),
		"GITHUB_ENV":          filepath.Join(job, "github_env"),
		// The host's caches, so the test builds incrementally; the GOPATH
		// is still the action's own.
		"SHIPFLOW_GOCACHE":    goEnv("GOCACHE"),
		"SHIPFLOW_GOMODCACHE": goEnv("GOMODCACHE"),
	}
	step := func(name string) (map[string]string, string) {
		t.Helper()
		got, _, log, err := runInstallRaw(t, "find", env)
		if err != nil {
			t.Fatalf("%s: install.sh find: %v\n%s", name, err, log)
		}
		if got["build"] != "false" {
			t.Fatalf("%s: build = %q, want false (built by install.sh, no actions/setup-go):\n%s", name, got["build"], log)
		}
		if !strings.HasPrefix(got["path"], runnerTemp+string(filepath.Separator)) {
			t.Errorf("%s: path %s is not under RUNNER_TEMP %s", name, got["path"], runnerTemp)
		}
		for _, f := range []string{"github_path", "github_env"} {
			if data, err := os.ReadFile(filepath.Join(job, f)); err == nil && len(data) > 0 {
				t.Errorf("%s: install.sh wrote to %s:\n%s", name, strings.ToUpper(f), data)
			}
		}
		return got, log
	}

	got, log := step("first step")
	if !strings.Contains(log, "with "+filepath.Join(toolCache, "go", "1.26.0", "x64", "bin", "go")) {
		t.Errorf("first step did not build with the tool cache's Go:\n%s", log)
	}
	if out, err := exec.Command(got["path"], "--version").CombinedOutput(); err != nil || !strings.Contains(string(out), commit) {
		t.Errorf("%s --version = %q, %v; want the commit %s", got["path"], out, err, commit)
	}
	if fi, err := os.Stat(filepath.Join(runnerTemp, "shipflow", "go", "path")); err != nil || !fi.IsDir() {
		t.Errorf("no GOPATH of the action's own under RUNNER_TEMP: %v", err)
	}
	before, err := os.Stat(got["path"])
	if err != nil {
		t.Fatal(err)
	}

	got2, log := step("second step")
	if got2["path"] != got["path"] || !strings.Contains(log, "already built from source in this job") {
		t.Errorf("second step did not reuse the commit's binary %s:\n%s", got["path"], log)
	}
	if after, err := os.Stat(got["path"]); err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("second step rebuilt %s", got["path"])
	}

	// A branch can move: its source is built again on every step.
	env["SHIPFLOW_ACTION_REF"] = "main"
	step("branch")
	_, log = step("branch again")
	if !strings.Contains(log, "Building shipflow from the action's source (main)") {
		t.Errorf("a branch ref reused an earlier build:\n%s", log)
	}
}
