package changelog

import (
	"fmt"
	"net/url"
	"strings"
)

// Repository is where links in a changelog point: a GitHub or GitHub
// Enterprise repository.
type Repository struct {
	// Host is the web root, with scheme and without a trailing slash
	// ("https://github.com", "https://ghe.example.com").
	Host string
	// Owner is the user or organisation; Name the repository.
	Owner, Name string
}

// ParseRepositoryURL returns the repository a git remote URL or a web URL
// names. It understands scp-like ssh (`git@host:o/r.git`), `ssh://`,
// `git://`, `http(s)://` (with or without `.git`), and drops any user
// name, password or token in the URL. Links always use https, except for
// an http:// web URL, which is kept as it is.
func ParseRepositoryURL(raw string) (Repository, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Repository{}, fmt.Errorf("empty repository URL")
	}
	scheme, host, path := "https", "", ""
	if i := strings.Index(s, "://"); i >= 0 {
		u, err := url.Parse(s)
		if err != nil {
			return Repository{}, fmt.Errorf("parsing repository URL %q: %v", redact(s), redactErr(err))
		}
		if u.Scheme == "http" {
			scheme = "http"
		}
		host, path = u.Hostname(), u.Path
	} else if at, colon := strings.Index(s, "@"), strings.Index(s, ":"); colon > 0 && (at < 0 || at < colon) && !strings.Contains(s[:colon], "/") {
		// scp-like: [user@]host:owner/repo.git
		host, path = s[at+1:colon], s[colon+1:]
	} else {
		return Repository{}, fmt.Errorf("repository URL %q is neither host:owner/repo nor a URL", redact(s))
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	i := strings.LastIndex(path, "/")
	if host == "" || i <= 0 || i == len(path)-1 {
		return Repository{}, fmt.Errorf("repository URL %q does not name an owner and a repository", redact(s))
	}
	return Repository{Host: scheme + "://" + host, Owner: path[:i], Name: path[i+1:]}, nil
}

// redact removes credentials from a URL-like string so that tokens never
// reach an error message.
func redact(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 && (strings.Index(rest, "/") < 0 || at < strings.Index(rest, "/")) {
			return s[:i+3] + "REDACTED@" + rest[at+1:]
		}
	}
	return s
}

// redactErr keeps url.Error's reason but not the URL it quotes.
func redactErr(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// URL returns the repository's web URL, or "" for the zero Repository.
func (r Repository) URL() string {
	if r.Name == "" {
		return ""
	}
	return r.Host + "/" + r.Owner + "/" + r.Name
}

// CommitURL returns the web URL of a commit, or "" without a repository.
func (r Repository) CommitURL(hash string) string {
	if r.Name == "" {
		return ""
	}
	return r.URL() + "/commit/" + hash
}

// IssueURL returns the web URL of issue n, or "" without a repository.
func (r Repository) IssueURL(n string) string {
	if r.Name == "" {
		return ""
	}
	return r.URL() + "/issues/" + n
}

// CompareURL returns the web URL comparing two tags, or "" without a
// repository.
func (r Repository) CompareURL(from, to string) string {
	if r.Name == "" {
		return ""
	}
	return r.URL() + "/compare/" + from + "..." + to
}
