// Package redact is the one place where shipflow removes secrets from what
// leaves the process: the CLI's stdout and stderr, the Actions adapter's
// outputs, environment file, job summary, annotations and check runs, and
// the release notes `shipflow release` commits and publishes.
//
// A Redactor replaces two kinds of text with Mask:
//   - the value of every environment variable whose name contains TOKEN,
//     SECRET, PASSWORD or PASSWD (case-insensitive), and any secret added
//     with Add (an Action's token input);
//   - anything shaped like a GitHub token (ghp_, gho_, ghu_, ghs_, ghr_,
//     github_pat_), whatever variable it came from, or none.
//
// The zero and the nil *Redactor redact token shapes only, so a library
// package that was given no Redactor still never passes a GitHub token on.
package redact

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Mask replaces a secret.
const Mask = "***"

// MinLength is the shortest secret value that is redacted. A variable such
// as SKIP_TOKEN_CHECK=1 would otherwise turn every "1" in the output into
// Mask; GitHub's own log masking has the same problem and the same answer.
const MinLength = 6

// tokenPattern matches GitHub token shapes: "ghp_" and its kin (personal,
// OAuth, user-to-server, server-to-server and refresh tokens) followed by
// base62, and fine-grained personal access tokens ("github_pat_" followed
// by base62 and underscores). Classic tokens carry 36 characters after the
// prefix; fewer than 20 is not taken for a token, so words such as
// "ghs_config" survive. The upper bound keeps the longest match known, which
// Writer needs to hold back the end of a long line safely.
// (github.blog/2021-04-05-behind-githubs-new-authentication-token-formats)
//
// Output escapes text on its way (a Markdown job summary writes "ghp\_"),
// so a backslash before each underscore is matched too.
const tokenPattern = `gh[pousr]\\?_[A-Za-z0-9]{20,255}|github\\?_pat\\?_(?:[A-Za-z0-9]|\\?_){20,255}`

// tokenRE compiles tokenPattern on first use: its counted repetitions make
// a large program, and most runs (the commit-msg hook) never need it.
var tokenRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(tokenPattern) })

// maxTokenShape is the longest text tokenRE matches.
const maxTokenShape = 2*len("github_pat_") + 2*255

// KnownVariables are the variables that hold tokens shipflow, gh, git
// and the Actions runner use, for callers that can look variables up but
// not list them (FromGetenv). Action inputs arrive as INPUT_<NAME>.
var KnownVariables = []string{
	"GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN",
	"SHIPFLOW_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
	"INPUT_TOKEN", "INPUT_GITHUB-TOKEN", "INPUT_GITHUB_TOKEN", "INPUT_PASSWORD",
}

// sensitive are the parts of a variable name that make its value a secret.
var sensitive = []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD"}

// Redactor removes secrets from text. Its methods are safe for concurrent
// use; a nil *Redactor redacts token shapes only.
type Redactor struct {
	mu sync.RWMutex
	// secrets is sorted longest first, so that a secret that contains
	// another is replaced whole.
	secrets []string
	// re matches the secrets, as written and as output formats escape
	// them, and token shapes; nil until it is first needed after a secret
	// is added (see regexp): compiling it is the costly part of starting
	// the CLI, and most output holds no anchor and never needs it.
	re *regexp.Regexp
	// anchors are literal parts of the secrets that every escaped form
	// keeps (their longest run of letters and digits): text holding none
	// of them, and no token shape's start, cannot need redacting, and
	// strings.Contains says so at memory speed where the regexp would
	// crawl. always is set when a secret has no usable anchor.
	anchors []string
	always  bool
}

// New returns a Redactor for the secrets in environ, a list of "KEY=VALUE"
// pairs as os.Environ returns them: the values of the variables whose name
// contains TOKEN, SECRET, PASSWORD or PASSWD, in any case.
func New(environ []string) *Redactor {
	r := &Redactor{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && IsSecretName(k) {
			r.Add(v)
		}
	}
	return r
}

// FromGetenv returns a Redactor for the values of the variables names, read
// through getenv, whose name IsSecretName. It serves callers that can look
// variables up but not list them.
func FromGetenv(getenv func(string) string, names ...string) *Redactor {
	r := &Redactor{}
	for _, n := range names {
		if IsSecretName(n) {
			r.Add(getenv(n))
		}
	}
	return r
}

// IsSecretName reports whether an environment variable named name holds a
// secret: its name contains TOKEN, SECRET, PASSWORD or PASSWD, in any case.
func IsSecretName(name string) bool {
	up := strings.ToUpper(name)
	for _, s := range sensitive {
		if strings.Contains(up, s) {
			return true
		}
	}
	return false
}

// Add makes r redact each secret from now on. A multi-line secret (a key
// file) is redacted line by line, since output is often cut into lines;
// surrounding blanks are ignored, and values shorter than MinLength are
// skipped. Add on a nil Redactor does nothing.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	added := false
	for _, s := range secrets {
		for _, line := range strings.Split(s, "\n") {
			line = strings.TrimSpace(line)
			if len(line) < MinLength || slices.Contains(r.secrets, line) {
				continue
			}
			r.secrets = append(r.secrets, line)
			added = true
		}
	}
	if !added {
		return
	}
	slices.SortStableFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	r.re = nil
	r.anchors, r.always = r.anchors[:0], false
	for _, sec := range r.secrets {
		a := anchor(sec)
		if len(a) < 4 {
			r.always = true
			continue
		}
		r.anchors = append(r.anchors, a)
	}
}

// anchor returns the longest run of ASCII letters and digits in secret:
// the escapes of Markdown, JSON and HTML touch only punctuation, so every
// form of the secret contains it.
func anchor(secret string) string {
	best, start := "", -1
	for i := 0; i <= len(secret); i++ {
		alnum := i < len(secret) && (secret[i] >= 'a' && secret[i] <= 'z' || secret[i] >= 'A' && secret[i] <= 'Z' || secret[i] >= '0' && secret[i] <= '9')
		switch {
		case alnum && start < 0:
			start = i
		case !alnum && start >= 0:
			if i-start > len(best) {
				best = secret[start:i]
			}
			start = -1
		}
	}
	return best
}

// mayHoldSecret reports whether s could contain a secret or a token shape:
// false only when it holds no anchor and no token prefix.
func (r *Redactor) mayHoldSecret(s string) bool {
	if mayHoldTokenShape(s) {
		return true
	}
	if r == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.always {
		return true
	}
	for _, a := range r.anchors {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}

// mayHoldTokenShape reports whether s has "gh" followed by one of the
// classic token kinds' letters and an (escaped) underscore, or "pat" with
// one (a fine-grained "github_pat_"): where every match of tokenPattern
// starts.
func mayHoldTokenShape(s string) bool {
	if strings.Contains(s, "pat_") || strings.Contains(s, `pat\_`) {
		return true
	}
	for i := 0; ; {
		j := strings.Index(s[i:], "gh")
		if j < 0 {
			return false
		}
		i += j + 2
		if i+1 < len(s) && strings.IndexByte("pousr", s[i]) >= 0 && (s[i+1] == '_' || s[i+1] == '\\') {
			return true
		}
	}
}

// escapedPattern matches secret as written, or with a backslash before any
// of its ASCII punctuation, as Markdown (and JSON, for '"' and '\\')
// escape it.
func escapedPattern(secret string) string {
	var b strings.Builder
	for _, c := range secret {
		if c < 0x80 && unicode.IsPunct(c) || c < 0x80 && unicode.IsSymbol(c) {
			b.WriteString(`\\?`)
		}
		b.WriteString(regexp.QuoteMeta(string(c)))
	}
	return b.String()
}

// regexp returns the pattern of everything r redacts, compiling it the
// first time it is needed after an Add.
func (r *Redactor) regexp() *regexp.Regexp {
	if r == nil {
		return tokenRE()
	}
	r.mu.RLock()
	re, none := r.re, len(r.secrets) == 0
	r.mu.RUnlock()
	switch {
	case re != nil:
		return re
	case none:
		return tokenRE()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.re == nil {
		alts := make([]string, 0, 2*len(r.secrets)+1)
		for _, sec := range r.secrets {
			alts = append(alts, escapedPattern(sec))
			if h := html.EscapeString(sec); h != sec {
				alts = append(alts, regexp.QuoteMeta(h))
			}
		}
		r.re = regexp.MustCompile(strings.Join(append(alts, tokenPattern), "|"))
	}
	return r.re
}

// String returns s with every secret and token shape replaced by Mask.
func (r *Redactor) String(s string) string {
	if !r.mayHoldSecret(s) {
		return s
	}
	re := r.regexp()
	if !re.MatchString(s) {
		return s
	}
	return re.ReplaceAllLiteralString(s, Mask)
}

// Error returns err with its message redacted, or err itself when its
// message holds no secret (so errors.Is and errors.As keep working in the
// common case). A redacted error keeps err in its chain for errors.Is and
// errors.As, but its message is the redacted one.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := r.String(msg); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// String redacts token shapes from s: what a nil Redactor does.
func String(s string) string { return (*Redactor)(nil).String(s) }

// maxLen is the longest text one replacement may span: a secret with
// every character escaped as an HTML entity ("&#34;") at worst.
func (r *Redactor) maxLen() int {
	n := maxTokenShape
	if r != nil {
		r.mu.RLock()
		if len(r.secrets) > 0 && 6*len(r.secrets[0]) > n {
			n = 6 * len(r.secrets[0])
		}
		r.mu.RUnlock()
	}
	return n
}
