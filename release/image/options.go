// Package image publishes versioned container images to any OCI registry:
// it loads an image (a `docker save` tarball, an OCI layout or an image in a
// registry), optionally appends files as layers, stamps the
// org.opencontainers.image.* labels, pushes it by digest and fans the tags
// out (X.Y.Z and sha-<short> always; X.Y, X and latest only for the highest
// stable version). It also rolls the moving tags back by digest, and watches
// a health endpoint to do so automatically.
//
// It is shipflow's only user of go-containerregistry, which it drives as a
// library: no Docker daemon and no crane, ko or skopeo binaries. Functions
// take ctx first, return reports and never print or read the environment;
// credentials come in through options.
package image

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Option is a knob shared by Push, Rollback, Undo and Watch.
type Option func(*settings)

type settings struct {
	creds    map[string]authn.AuthConfig // registry host → credentials
	keychain authn.Keychain
	insecure bool
	listed   []string // WithInsecureRegistries, as given
	// insecureHosts are the listed registries reached insecurely (no
	// credentials for them, or loopback); keptSecure those listed but
	// kept on verified HTTPS because credentials would be sent. Both are
	// normalised registry names (index.docker.io, host:port).
	insecureHosts map[string]bool
	keptSecure    map[string]bool
	caPEM         []byte
	transport     http.RoundTripper
	progress      func(Progress)
	backoff       remote.Backoff
	userAgent     string
	jobs          int
	ghcrDefault   bool
	// planned, when set, runs after Push planned its tags and before it
	// writes anything: tests use it to interleave concurrent pushes.
	planned func()
}

// Progress is the byte count of an upload in flight.
type Progress struct {
	// Complete and Total are bytes of blobs written and to write.
	Complete, Total int64
}

// WithBasicAuth logs in to registry (a host[:port], e.g. "ghcr.io") with a
// user name and password or token. Credentials apply to that registry only,
// never to the registry a base image comes from. The default is the docker
// keychain (see WithKeychain).
func WithBasicAuth(registry, username, password string) Option {
	return func(s *settings) {
		if s.creds == nil {
			s.creds = map[string]authn.AuthConfig{}
		}
		s.creds[registry] = authn.AuthConfig{Username: username, Password: password}
	}
}

// WithGitHubToken logs in to ghcr.io with a GitHub token (in Actions, the
// job's GITHUB_TOKEN, which needs `permissions: packages: write` to push).
// user is the GitHub user name; ghcr.io does not check it, so "" means
// "x-access-token". The default is the docker keychain.
func WithGitHubToken(user, token string) Option {
	if user == "" {
		user = "x-access-token"
	}
	return WithBasicAuth("ghcr.io", user, token)
}

// WithKeychain replaces the keychain consulted for registries without
// explicit credentials. The default is authn.DefaultKeychain: the docker
// config file ($DOCKER_CONFIG/config.json or ~/.docker/config.json) and the
// credential helpers it names.
func WithKeychain(k authn.Keychain) Option { return func(s *settings) { s.keychain = k } }

// WithInsecure allows plain HTTP and unverified TLS for every registry.
// The default is off: HTTPS with verified certificates, except for
// loopback registries (localhost:PORT, 127.0.0.1, [::1]), which may be
// reached over plain HTTP. go-containerregistry would also use plain HTTP
// for private addresses (10.*, 172.16-31.*, 192.168.*) and *.local hosts;
// without this option those requests are upgraded to HTTPS instead.
// Credentials go along, so set it only from trusted input (a command-line
// flag); for a list read from a repository, use WithInsecureRegistries.
func WithInsecure(insecure bool) Option { return func(s *settings) { s.insecure = insecure } }

// WithInsecureRegistries allows plain HTTP and unverified TLS for the
// registries listed (host[:port]) as WithInsecure does, but only for them
// and only where no credentials are at stake, because the list comes from
// untrusted input (a repository's .shipflow.yaml, which a pull request can
// change): a listed registry that is not on the loopback interface and
// for which credentials are configured (WithBasicAuth, WithGitHubToken or
// the keychain) stays on verified HTTPS, so that the list can never make a
// password or token travel in clear text or to an unverified server. Only
// WithInsecure, set from trusted input, does that. The default lists none.
func WithInsecureRegistries(registries ...string) Option {
	return func(s *settings) { s.listed = append(s.listed, registries...) }
}

// WithCACerts trusts the PEM-encoded certificates in addition to the
// system's. The default is the system pool only.
func WithCACerts(pem []byte) Option { return func(s *settings) { s.caPEM = pem } }

// WithTransport sends every request through rt (retries, auth and TLS
// settings still apply on top of it only when rt is an *http.Transport, in
// which case its TLS config is extended). The default is
// remote.DefaultTransport.
func WithTransport(rt http.RoundTripper) Option { return func(s *settings) { s.transport = rt } }

// WithProgress calls f with the bytes uploaded so far while blobs are
// written. The default reports nothing.
func WithProgress(f func(Progress)) Option { return func(s *settings) { s.progress = f } }

// WithRetry retries a failed request (network errors, 408, 429 and 5xx)
// attempts times in all, waiting first, then three times longer after each
// further failure. The default is 3 attempts, waiting 1s then 3s
// (go-containerregistry's default).
func WithRetry(attempts int, first time.Duration) Option {
	return func(s *settings) {
		s.backoff = remote.Backoff{Duration: first, Factor: 3, Jitter: 0.1, Steps: attempts}
	}
}

// WithUserAgent sets the User-Agent of requests. The default is
// go-containerregistry's.
func WithUserAgent(ua string) Option { return func(s *settings) { s.userAgent = ua } }

// WithJobs sets how many blobs are uploaded at once. The default is 4.
func WithJobs(n int) Option { return func(s *settings) { s.jobs = n } }

func newSettings(opts []Option) *settings {
	s := &settings{
		keychain: authn.DefaultKeychain,
		backoff:  remote.Backoff{Duration: time.Second, Factor: 3, Jitter: 0.1, Steps: 3},
		jobs:     4,
	}
	for _, o := range opts {
		o(s)
	}
	s.insecureHosts, s.keptSecure = map[string]bool{}, map[string]bool{}
	for _, l := range s.listed {
		reg, err := name.NewRegistry(l, name.WeakValidation)
		if err != nil {
			continue // names no registry, so it lets nothing through
		}
		host := strings.ToLower(reg.RegistryStr())
		if loopbackHost(host) || !s.hasCredentials(reg) {
			s.insecureHosts[host] = true
		} else {
			s.keptSecure[host] = true
		}
	}
	return s
}

// hasCredentials says whether a request to reg would carry credentials:
// explicit ones or the keychain's. A keychain that fails counts as having
// some, so that an error never lowers the protection.
func (s *settings) hasCredentials(reg name.Registry) bool {
	if _, ok := s.creds[reg.RegistryStr()]; ok {
		return true
	}
	if reg.RegistryStr() == name.DefaultRegistry {
		if _, ok := s.creds["docker.io"]; ok {
			return true
		}
	}
	auth, err := s.keychain.Resolve(reg)
	if err != nil {
		return true
	}
	if auth == authn.Anonymous {
		return false
	}
	cfg, err := auth.Authorization()
	return err != nil || *cfg != (authn.AuthConfig{})
}

// insecureFor says whether registry (a normalised host[:port]) may be
// reached over plain HTTP and unverified TLS.
func (s *settings) insecureFor(registry string) bool {
	return s.insecure || s.insecureHosts[strings.ToLower(registry)]
}

// newRepository parses a target repository: the registry must be
// explicit, so that a missing one never pushes to Docker Hub by accident.
func (s *settings) newRepository(repository string) (name.Repository, error) {
	repo, err := name.NewRepository(repository, name.StrictValidation)
	if err != nil || !s.insecureFor(repo.RegistryStr()) {
		return repo, err
	}
	return name.NewRepository(repository, name.StrictValidation, name.Insecure)
}

// parseSource parses a source reference the way docker does: "alpine" is
// index.docker.io/library/alpine:latest.
func (s *settings) parseSource(ref string) (name.Reference, error) {
	r, err := name.ParseReference(ref, name.WeakValidation)
	if err != nil || !s.insecureFor(r.Context().RegistryStr()) {
		return r, err
	}
	return name.ParseReference(ref, name.WeakValidation, name.Insecure)
}

// staticKeychain answers with explicit credentials for their registry.
type staticKeychain map[string]authn.AuthConfig

func (k staticKeychain) Resolve(r authn.Resource) (authn.Authenticator, error) {
	if c, ok := k[r.RegistryStr()]; ok {
		return authn.FromConfig(c), nil
	}
	// Docker Hub answers to several names.
	if r.RegistryStr() == name.DefaultRegistry {
		if c, ok := k["docker.io"]; ok {
			return authn.FromConfig(c), nil
		}
	}
	return authn.Anonymous, nil
}

// remoteOptions builds go-containerregistry options for one operation.
// progress, when not nil, receives upload updates.
// uploaded, when not nil, counts the blob bytes sent.
func (s *settings) remoteOptions(ctx context.Context, progress chan<- v1.Update, uploaded *atomic.Int64) ([]remote.Option, error) {
	secure, loose, err := s.roundTrippers()
	if err != nil {
		return nil, err
	}
	var rt http.RoundTripper = schemeGuard{secure: secure, loose: loose, s: s}
	if uploaded != nil {
		rt = &countingTransport{rt: rt, n: uploaded}
	}
	kc := s.keychain
	if len(s.creds) > 0 {
		kc = authn.NewMultiKeychain(staticKeychain(s.creds), s.keychain)
	}
	opts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(kc),
		remote.WithTransport(rt),
		remote.WithRetryBackoff(s.backoff),
		remote.WithJobs(s.jobs),
	}
	if s.userAgent != "" {
		opts = append(opts, remote.WithUserAgent(s.userAgent))
	}
	if progress != nil {
		opts = append(opts, remote.WithProgress(progress))
	}
	return opts, nil
}

// roundTrippers returns the transport for verified TLS and, when some
// registry may be reached insecurely, one that does not verify
// certificates (else nil).
func (s *settings) roundTrippers() (secure, loose http.RoundTripper, err error) {
	anyInsecure := s.insecure || len(s.insecureHosts) > 0
	if s.transport != nil && !anyInsecure && len(s.caPEM) == 0 {
		return s.transport, nil, nil
	}
	base := s.transport
	if base == nil {
		base = remote.DefaultTransport
	}
	t, ok := base.(*http.Transport)
	if !ok {
		if anyInsecure || len(s.caPEM) > 0 {
			return nil, nil, errors.New("custom CA certificates and insecure mode need an *http.Transport")
		}
		return base, nil, nil
	}
	t = t.Clone()
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if len(s.caPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(s.caPEM) {
			return nil, nil, errors.New("reading CA certificates: no PEM certificate found")
		}
		t.TLSClientConfig.RootCAs = pool
	}
	if !anyInsecure {
		return t, nil, nil
	}
	l := t.Clone()
	l.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // only for registries the user asked for
	return t, l, nil
}

// schemeGuard sends each request over the transport its host is allowed.
// A registry reached insecurely (WithInsecure, or listed by
// WithInsecureRegistries without credentials at stake) goes through loose
// as it is. Any other request goes through secure, and one for plain HTTP
// to a host that is not on the loopback interface goes over HTTPS instead:
// name.Registry.Scheme() answers "http" for RFC 1918 addresses and *.local
// hosts (and for anything containing "127.0.0.1"), and remote builds every
// URL with it, so without this a push to 10.0.0.5:5000 would go out
// unencrypted, credentials included, without the user asking. The guard is
// per request, so a token server or a blob redirect on another host gets
// the same treatment as its registry's host would.
type schemeGuard struct {
	secure, loose http.RoundTripper
	s             *settings
}

func (g schemeGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	host := strings.ToLower(req.URL.Host)
	if g.loose != nil && g.s.insecureFor(host) {
		return g.loose.RoundTrip(req)
	}
	if req.URL.Scheme == "http" && !loopback(req.URL.Hostname()) {
		req = req.Clone(req.Context())
		req.URL.Scheme = "https"
	}
	resp, err := g.secure.RoundTrip(req)
	if err != nil && g.s.keptSecure[host] {
		return nil, fmt.Errorf("%w (%s is listed as an insecure registry, but shipflow has credentials for it and sends credentials only over verified HTTPS unless insecure access is asked for on the command line, --insecure)", err, host)
	}
	return resp, err
}

// loopbackHost says whether host[:port] is on the loopback interface.
func loopbackHost(hostport string) bool {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	return loopback(strings.Trim(h, "[]"))
}

// loopback says whether host (no port, no brackets) is localhost or a
// loopback address: 127.0.0.0/8 or ::1.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// countingTransport counts the bytes of blob upload bodies it sends.
type countingTransport struct {
	rt http.RoundTripper
	n  *atomic.Int64
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody || !strings.Contains(req.URL.Path, "/blobs/uploads/") {
		return t.rt.RoundTrip(req)
	}
	// With a known length, count it and leave the body alone: wrapping
	// an *os.File would cost net/http its sendfile fast path.
	if req.ContentLength > 0 {
		resp, err := t.rt.RoundTrip(req)
		if err == nil {
			t.n.Add(req.ContentLength)
		}
		return resp, err
	}
	req = req.Clone(req.Context())
	req.Body = &countingBody{ReadCloser: req.Body, n: t.n}
	return t.rt.RoundTrip(req)
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// AuthError is a registry refusing the credentials (HTTP 401 or 403). Its
// message says what probably fixes it.
type AuthError struct {
	// Registry is the host that refused; Status the HTTP status code.
	Registry string
	Status   int
	// Doing is what was being done ("pushing ghcr.io/o/r@sha256:...").
	Doing string
	Err   error
}

func (e *AuthError) Error() string {
	var hint string
	switch {
	case e.Registry == "ghcr.io" && e.Status == http.StatusForbidden:
		hint = "the token may not write packages: in GitHub Actions give the job `permissions: packages: write` (and the package access to the repository), or use a token with the write:packages scope"
	case e.Registry == "ghcr.io":
		hint = "log in with GITHUB_TOKEN (and `permissions: packages: write` in the workflow) or `docker login ghcr.io`"
	case e.Status == http.StatusForbidden:
		hint = "the credentials are valid but may not push to this repository: check its permissions"
	default:
		hint = "log in with `docker login " + e.Registry + "` or pass --username and --password"
	}
	return fmt.Sprintf("%s: registry %s answered %d %s: %v; %s", e.Doing, e.Registry, e.Status, http.StatusText(e.Status), e.Err, hint)
}

func (e *AuthError) Unwrap() error { return e.Err }

// wrap turns err into an error that says what was being done, and a 401 or
// 403 into an *AuthError.
func wrap(err error, registry, format string, a ...any) error {
	if err == nil {
		return nil
	}
	doing := fmt.Sprintf(format, a...)
	if code := statusCode(err); code == http.StatusUnauthorized || code == http.StatusForbidden {
		return &AuthError{Registry: registry, Status: code, Doing: doing, Err: err}
	}
	return fmt.Errorf("%s: %w", doing, err)
}
