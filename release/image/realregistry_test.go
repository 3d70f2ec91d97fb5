package image

// Integration tests against a real registry: Debian's docker-registry
// (distribution 2.8) started by the test on 127.0.0.1, plain HTTP or TLS
// with htpasswd, read back by an independent client, Debian's skopeo.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// realRegistry is a running docker-registry.
type realRegistry struct {
	Host       string // 127.0.0.1:PORT
	CAPEM      []byte // TLS only
	User, Pass string // htpasswd only
	certDir    string // for skopeo --cert-dir
}

// knobs are the options that reach it.
func (r *realRegistry) knobs(extra ...Option) []Option {
	// The real registry answers 500 for a moment while another push
	// rewrites a tag's link file (its filesystem driver is not atomic):
	// retry as a client would, over about a second, not within 4 ms.
	k := testKnobs(append([]Option{WithRetry(5, 20*time.Millisecond)}, extra...)...)
	if r.CAPEM != nil {
		k = append(k, WithCACerts(r.CAPEM), WithBasicAuth(r.Host, r.User, r.Pass))
	}
	return k
}

// needTool fails (never skips) when a Debian package is missing.
func needTool(t testing.TB, bin, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(bin)
	if err != nil {
		t.Fatalf("%s not found: run scripts/test.sh, or apt-get install -y %s", bin, pkg)
	}
	return p
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startRegistry runs `docker-registry serve` with a config of its own:
// 127.0.0.1 only, storage in a temp dir; with secure, TLS from a fresh
// self-signed certificate and htpasswd (bcrypt) auth.
func startRegistry(t testing.TB, secure bool) *realRegistry {
	t.Helper()
	bin := needTool(t, "docker-registry", "docker-registry")
	dir := t.TempDir()
	r := &realRegistry{Host: fmt.Sprintf("127.0.0.1:%d", freePort(t))}
	cfg := fmt.Sprintf(`version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
  relativeurls: true
  secret: shipflow-test-secret
`, filepath.Join(dir, "storage"), r.Host)
	if secure {
		certPEM, keyPEM := selfSigned(t)
		r.CAPEM = certPEM
		r.User, r.Pass = "shipflow", "correct horse battery staple"
		hash, err := bcrypt.GenerateFromPassword([]byte(r.Pass), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		r.certDir = filepath.Join(dir, "certs")
		writeFile(t, filepath.Join(r.certDir, "ca.crt"), certPEM)
		writeFile(t, filepath.Join(dir, "cert.pem"), certPEM)
		writeFile(t, filepath.Join(dir, "key.pem"), keyPEM)
		writeFile(t, filepath.Join(dir, "htpasswd"), []byte(r.User+":"+string(hash)+"\n"))
		cfg += fmt.Sprintf(`  tls:
    certificate: %s
    key: %s
auth:
  htpasswd:
    realm: shipflow
    path: %s
`, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "htpasswd"))
	}
	writeFile(t, filepath.Join(dir, "config.yml"), []byte(cfg))
	var out bytes.Buffer
	cmd := exec.Command(bin, "serve", filepath.Join(dir, "config.yml"))
	cmd.Stdout, cmd.Stderr = &out, &out
	// Dies with the test binary even when cleanups do not run.
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

	// Ready when /v2/ answers (200, or 401 with auth): about 0.3 s on an
	// idle machine. The timeouts are hang guards only, never a measure of
	// speed: under load the registry may take many seconds to start.
	client := &http.Client{Timeout: hangGuard}
	scheme := "http"
	if secure {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(r.CAPEM)
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
		scheme = "https"
	}
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("docker-registry exited: %v\n%s", err, out.String())
		default:
		}
		resp, err := client.Get(scheme + "://" + r.Host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized {
				return r
			}
		}
		if time.Since(start) > hangGuard {
			t.Fatalf("docker-registry not ready after %s: %v\n%s", hangGuard, err, out.String())
		}
	}
}

func writeFile(t testing.TB, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// selfSigned makes a CA certificate for 127.0.0.1 and its key.
func selfSigned(t testing.TB) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "shipflow test registry"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

// skopeo runs Debian's skopeo against r.
func (r *realRegistry) skopeo(t testing.TB, args ...string) []byte {
	t.Helper()
	bin := needTool(t, "skopeo", "skopeo")
	flags := []string{"--tls-verify=false"}
	if r.CAPEM != nil {
		flags = []string{"--cert-dir", r.certDir, "--creds", r.User + ":" + r.Pass}
	}
	full := append([]string{args[0]}, append(flags, args[1:]...)...)
	cmd := exec.Command(bin, full...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("skopeo %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// reader reads tags, digests and labels with skopeo.
func (r *realRegistry) reader() registryReader {
	return registryReader{
		digests: func(t testing.TB, repo string) map[string]string {
			var list struct{ Tags []string }
			if err := json.Unmarshal(r.skopeo(t, "list-tags", "docker://"+repo), &list); err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, tag := range list.Tags {
				wg.Go(func() {
					raw := r.skopeo(t, "inspect", "--raw", "docker://"+repo+":"+tag)
					sum := sha256.Sum256(raw)
					mu.Lock()
					out[tag] = "sha256:" + hex.EncodeToString(sum[:])
					mu.Unlock()
				})
			}
			wg.Wait()
			return out
		},
		labels: func(t testing.TB, ref string) map[string]string {
			var info struct{ Labels map[string]string }
			if err := json.Unmarshal(r.skopeo(t, "inspect", "docker://"+ref), &info); err != nil {
				t.Fatal(err)
			}
			return info.Labels
		},
	}
}

func TestRealRegistryScenario(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "tls-htpasswd"}[secure], func(t *testing.T) {
			t.Parallel()
			r := startRegistry(t, secure)
			releaseScenario(t, r.Host+"/shipflow/app", r.reader(), r.knobs())
		})
	}
}

func TestRealRegistryTLSAuthErrors(t *testing.T) {
	r := startRegistry(t, true)
	opts := PushOptions{From: tarballOf(t, randomImage(t, 64, 1)), To: r.Host + "/app", Version: "1.0.0"}
	t.Run("wrong password", func(t *testing.T) {
		_, err := Push(ctxT(t), opts, testKnobs(WithCACerts(r.CAPEM), WithBasicAuth(r.Host, r.User, "wrong"))...)
		if ae, ok := err.(*AuthError); !ok || ae.Status != http.StatusUnauthorized {
			t.Fatalf("error = %v, want an *AuthError 401", err)
		}
		if strings.Contains(err.Error(), "wrong") && !strings.Contains(err.Error(), "wrong password") {
			t.Errorf("error may show the password: %v", err)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		_, err := Push(ctxT(t), opts, testKnobs(WithBasicAuth(r.Host, r.User, r.Pass))...)
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("error = %v, want a certificate error (custom CAs only when asked)", err)
		}
	})
	t.Run("insecure when asked", func(t *testing.T) {
		rep, err := Push(ctxT(t), opts, testKnobs(WithInsecure(true), WithBasicAuth(r.Host, r.User, r.Pass))...)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.reader().digests(t, r.Host+"/app")["1.0.0"]; got != rep.Digest {
			t.Errorf("skopeo sees 1.0.0 = %s, want %s", got, rep.Digest)
		}
	})
}
