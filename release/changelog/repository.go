package changelog

import (
	"fmt"
	"net/url"
	"strings"
)

// Repository is where links in a changelog point: a repository's web
// pages on GitHub, GitHub Enterprise or GitLab.
type Repository struct {
	// Host is the web root, with scheme, any port and no trailing slash
	// ("https://github.com", "https://ghe.example.com:8443").
	Host string
	// Owner is the user or organisation (on GitLab, the group and its
	// subgroups, "group/sub"); Name the repository.
	Owner, Name string
	// Style is the shape of the forge's link paths. The default is
	// GitHubStyle.
	Style Style
}

// Style is the shape of a forge's commit, issue and compare paths.
type Style int

const (
	// GitHubStyle is GitHub's and GitHub Enterprise's: /commit/HASH,
	// /issues/N, /compare/A...B.
	GitHubStyle Style = iota
	// GitLabStyle is GitLab's: /-/commit/HASH, /-/issues/N,
	// /-/compare/A...B.
	GitLabStyle
)

// ParseRepositoryURL returns the repository a git remote URL or a web URL
// names. It understands scp-like ssh (`git@host:o/r.git`), `ssh://`,
// `git://`, `http(s)://` (with or without `.git`), and drops any user
// name, password or token in the URL. Links always use https, except for
// an http:// web URL, which is kept as it is; an http(s) URL's port is
// kept, an ssh or git URL's is that protocol's and is dropped. The Style
// is GitHubStyle: which forge a host is, is the caller's to say.
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
		host, path = u.Hostname(), u.Path
		switch u.Scheme {
		case "http", "https":
			if host != "" {
				scheme, host = u.Scheme, u.Host
			}
		}
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

// page returns the URL of one of the repository's pages ("commit/HASH"),
// or "" without a repository.
func (r Repository) page(p string) string {
	if r.Name == "" {
		return ""
	}
	if r.Style == GitLabStyle {
		return r.URL() + "/-/" + p
	}
	return r.URL() + "/" + p
}

// CommitURL returns the web URL of a commit, or "" without a repository.
func (r Repository) CommitURL(hash string) string { return r.page("commit/" + hash) }

// IssueURL returns the web URL of issue n, or "" without a repository.
func (r Repository) IssueURL(n string) string { return r.page("issues/" + n) }

// CompareURL returns the web URL comparing two tags, or "" without a
// repository.
func (r Repository) CompareURL(from, to string) string {
	return r.page("compare/" + from + "..." + to)
}

// Sibling returns the repository owner/name on the same forge, for links
// to another repository's issues ("closes other/repo#3").
func (r Repository) Sibling(owner, name string) Repository {
	r.Owner, r.Name = owner, name
	return r
}
