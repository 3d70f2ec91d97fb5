package release

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
)

// APIURLOptions are the places the GitHub REST API URL may come from, most
// trusted first. The token goes to the URL ResolveAPIURL picks, so where a
// value comes from matters as much as the value.
type APIURLOptions struct {
	// Flag is --github-api-url: whoever runs shipflow chose it.
	Flag string
	// Env is GITHUB_API_URL: the Actions runner sets it to the API of the
	// GitHub the job runs on, GitHub Enterprise Server included.
	Env string
	// Config is `.shipflow.yaml`'s release section: GitHubAPIURL and the
	// release Remote. It is repository content, which anyone who can open
	// a pull request writes.
	Config config.Release
	// Repo is the repository: its release remote's host is where a GitHub
	// Enterprise Cloud API is known from, and its `.shipflow.yaml` gives
	// errors a line and column. Nil when there is no repository.
	Repo *git.Repo
}

// ResolveAPIURL returns the GitHub REST API base URL, ending in "/", that
// the token may be sent to:
//
//  1. o.Flag, when set;
//  2. o.Env (GITHUB_API_URL), when set; a release.github-api-url naming
//     another API is then refused (a *config.Error): in CI, a pull request
//     must not be able to send the job's token to a server of its choosing
//     by editing `.shipflow.yaml`. Refusing is safer than ignoring it with a
//     warning: a release that was meant for another GitHub does not quietly
//     go to the runner's;
//  3. o.Config.GitHubAPIURL, when set;
//  4. from the release remote's host: github.com (or no host: a local path,
//     no remote) → github.DefaultBaseURL; HOST.ghe.com (GitHub Enterprise
//     Cloud with data residency) → https://api.HOST.ghe.com/. Any other
//     host is refused: shipflow never guesses an API from an arbitrary
//     remote and sends the token there.
//
// Every URL must be http(s) without credentials, and plain HTTP is
// accepted only for this machine (127.0.0.0/8, ::1, localhost).
func ResolveAPIURL(ctx context.Context, o APIURLOptions) (string, error) {
	if o.Flag != "" {
		return checkAPIURL("--github-api-url", o.Flag)
	}
	cfg := o.Config.GitHubAPIURL
	if o.Env != "" {
		env, err := checkAPIURL("GITHUB_API_URL", o.Env)
		if err != nil {
			return "", err
		}
		if cfg != "" {
			if c, err := checkAPIURL("", cfg); err != nil || sameAPIURL(c, env) != nil {
				return "", configKeyError(o.Repo, "release", "github-api-url", fmt.Sprintf(
					"release.github-api-url is %q, but GITHUB_API_URL is %q (the API of the GitHub this job runs on): a repository's configuration may not send the token to another server; remove release.github-api-url, make it match, or pass --github-api-url",
					redactURL(cfg), redactURL(o.Env)))
			}
		}
		return env, nil
	}
	if cfg != "" {
		u, err := checkAPIURL("", cfg)
		if err != nil {
			return "", configKeyError(o.Repo, "release", "github-api-url", "release.github-api-url "+err.Error())
		}
		return u, nil
	}
	if o.Repo == nil {
		return github.DefaultBaseURL, nil
	}
	remote := cutOr(o.Config.Remote, config.DefaultRemote)
	raw, err := o.Repo.RemoteURL(ctx, remote)
	if err != nil {
		// No such remote: the release stops at its push with a clear
		// error; no host means no API to guess.
		return github.DefaultBaseURL, nil
	}
	host, name := remoteHost(raw)
	switch {
	case name == "" || name == "github.com" || strings.HasSuffix(name, ".github.com"):
		return github.DefaultBaseURL, nil
	case strings.HasSuffix(name, ".ghe.com") && !strings.HasPrefix(name, "api."):
		return "https://api." + name + "/", nil
	}
	return "", fmt.Errorf("remote %q is at %s, which is not github.com: name its GitHub API with --github-api-url or GITHUB_API_URL (GitHub Enterprise Server: https://%s/api/v3/), or release.github-api-url in %s; shipflow does not guess where to send the token",
		remote, host, name, config.FileName)
}

// checkAPIURL validates an API URL and returns it ending in "/". what names
// its source in the error; "" leaves the caller to name it.
func checkAPIURL(what, raw string) (string, error) {
	fail := func(format string, a ...any) (string, error) {
		msg := fmt.Sprintf(format, a...)
		if what != "" {
			msg = what + " " + msg
		}
		return "", fmt.Errorf("%s", msg)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fail("%q is not an http(s) URL", redactURL(raw))
	case u.User != nil:
		return fail("%q must not carry credentials: the token is passed apart", redactURL(raw))
	case u.Scheme == "http" && !github.IsLoopback(u.Hostname()):
		return fail("%q uses plain HTTP, which would send the token in clear text: use https (plain HTTP is allowed only to this machine)", redactURL(raw))
	case u.RawQuery != "" || u.Fragment != "":
		return fail("%q must not have a query or fragment", redactURL(raw))
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/"
	return u.String(), nil
}

// sameAPIURL returns nil when a and b (both checked) name the same API:
// the same scheme, host, port and path, whatever the case of the host, a
// default port or a trailing slash.
func sameAPIURL(a, b string) error {
	norm := func(s string) string {
		u, _ := url.Parse(s)
		host, port := strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), u.Port()
		if port == "" {
			port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
		}
		return u.Scheme + "://" + net.JoinHostPort(host, port) + strings.TrimSuffix(u.Path, "/")
	}
	if norm(a) != norm(b) {
		return fmt.Errorf("%s is not %s", a, b)
	}
	return nil
}

// remoteHost returns the host of a git remote URL as written (with its
// port) and its lower-case name; both "" for a local path. Credentials in
// the URL are never returned.
func remoteHost(raw string) (host, name string) {
	s := strings.TrimSpace(raw)
	if i := strings.Index(s, "://"); i >= 0 {
		u, err := url.Parse(s)
		if err != nil {
			// Unparsable, but not a local path: refuse it by name.
			return "an unparsable URL", "?"
		}
		if u.Scheme == "file" {
			return "", ""
		}
		return u.Host, strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	}
	// scp-like [user@]host:path; a colon after a slash is a local path.
	colon := strings.Index(s, ":")
	if colon <= 0 || strings.Contains(s[:colon], "/") {
		return "", ""
	}
	host = s[:colon]
	if at := strings.LastIndex(host, "@"); at >= 0 {
		host = host[at+1:]
	}
	return host, strings.TrimSuffix(strings.ToLower(host), ".")
}

// redactURL drops the userinfo of a URL for messages.
func redactURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User == nil {
		if i := strings.Index(raw, "://"); i >= 0 {
			rest := raw[i+3:]
			if at := strings.LastIndex(rest, "@"); at >= 0 {
				return raw[:i+3] + "REDACTED@" + rest[at+1:]
			}
		}
		return raw
	}
	u.User = url.User("REDACTED")
	return u.String()
}

// configKeyError is a *config.Error about section.key of the repository's
// `.shipflow.yaml`, placed on the key's line and column when they can be
// found.
func configKeyError(repo *git.Repo, section, key, msg string) error {
	e := &config.Error{File: config.FileName, Message: msg}
	if repo == nil {
		return e
	}
	data, err := os.ReadFile(filepath.Join(repo.Dir(), config.FileName))
	if err != nil {
		return e
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return e
	}
	n := doc.Content[0]
	for _, k := range []string{section, key} {
		var next *yaml.Node
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					e.Line, e.Column = n.Content[i].Line, n.Content[i].Column
					next = n.Content[i+1]
				}
			}
		}
		if next == nil {
			return e
		}
		n = next
	}
	return e
}
