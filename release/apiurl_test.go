package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github"
)

// TestResolveAPIURL: the token's destination comes from a flag, the
// runner's GITHUB_API_URL or the configuration, in that order, and is never
// guessed from an arbitrary remote host (before, CutAPIURL made
// http://HOST/api/v3/ of an http://HOST:PORT remote: plain HTTP, port
// dropped).
func TestResolveAPIURL(t *testing.T) {
	const ghes = "https://ghe.example.com/api/v3/"
	tests := []struct {
		name, remote string
		o            APIURLOptions
		yaml         string // .shipflow.yaml, for positions
		want         string
		wantErr      string
		configErr    bool // the error is a *config.Error at line 3, column 3
	}{
		{name: "default", want: github.DefaultBaseURL},
		{name: "local path", remote: "/srv/git/r.git", want: github.DefaultBaseURL},
		{name: "file URL", remote: "file:///srv/git/r.git", want: github.DefaultBaseURL},
		{name: "github.com https", remote: "https://github.com/o/r.git", want: github.DefaultBaseURL},
		{name: "github.com ssh", remote: "git@github.com:o/r.git", want: github.DefaultBaseURL},
		{name: "github.com ssh over 443", remote: "ssh://git@ssh.github.com:443/o/r.git", want: github.DefaultBaseURL},
		{name: "enterprise cloud with data residency", remote: "https://acme.ghe.com/o/r.git", want: "https://api.acme.ghe.com/"},
		{
			name: "enterprise server is not guessed", remote: "https://ghe.example.com/o/r.git",
			wantErr: `remote "origin" is at ghe.example.com, which is not github.com: name its GitHub API with --github-api-url or GITHUB_API_URL (GitHub Enterprise Server: https://ghe.example.com/api/v3/)`,
		},
		{
			name: "plain HTTP remote with a port", remote: "http://127.0.0.1:8080/o/r.git",
			wantErr: `remote "origin" is at 127.0.0.1:8080, which is not github.com`,
		},
		{
			name: "credentials in the remote stay out", remote: "https://x-access-token:s3cretvalue@gitlab.example/o/r",
			wantErr: `remote "origin" is at gitlab.example, which is not github.com`,
		},
		{
			name: "scp-like remote", remote: "git@GHE.example.com:o/r.git",
			wantErr: `remote "origin" is at GHE.example.com, which is not github.com`,
		},
		{name: "flag", remote: "https://ghe.example.com/o/r.git", o: APIURLOptions{Flag: "https://ghe.example.com/api/v3"}, want: ghes},
		{name: "environment", remote: "https://ghe.example.com/o/r.git", o: APIURLOptions{Env: ghes}, want: ghes},
		{name: "config", remote: "https://ghe.example.com/o/r.git", o: APIURLOptions{Config: config.Release{GitHubAPIURL: ghes}}, want: ghes},
		{name: "flag beats a different config", o: APIURLOptions{Flag: ghes, Env: github.DefaultBaseURL, Config: config.Release{GitHubAPIURL: "https://evil.example/"}}, want: ghes},
		{name: "config equal to the environment", o: APIURLOptions{Env: "https://GHE.example.com:443/api/v3", Config: config.Release{GitHubAPIURL: ghes}}, want: "https://GHE.example.com:443/api/v3/"},
		{
			name: "config differs from the environment", yaml: "# exfiltrate\nrelease:\n  github-api-url: https://evil.example/\n",
			o:         APIURLOptions{Env: "https://api.github.com", Config: config.Release{GitHubAPIURL: "https://evil.example/"}},
			wantErr:   `.shipflow.yaml:3:3: release.github-api-url is "https://evil.example/", but GITHUB_API_URL is "https://api.github.com"`,
			configErr: true,
		},
		{
			name: "plain HTTP config", yaml: "# x\nrelease:\n  github-api-url: http://ghe.example.com/api/v3/\n",
			o:         APIURLOptions{Config: config.Release{GitHubAPIURL: "http://ghe.example.com/api/v3/"}},
			wantErr:   `.shipflow.yaml:3:3: release.github-api-url "http://ghe.example.com/api/v3/" uses plain HTTP`,
			configErr: true,
		},
		{name: "plain HTTP to loopback", o: APIURLOptions{Env: "http://127.0.0.1:9/api/v3"}, want: "http://127.0.0.1:9/api/v3/"},
		{name: "plain HTTP flag", o: APIURLOptions{Flag: "http://ghe.example.com/"}, wantErr: `--github-api-url "http://ghe.example.com/" uses plain HTTP`},
		{name: "credentials in the URL", o: APIURLOptions{Env: "https://u:pw@ghe.example.com/"}, wantErr: `GITHUB_API_URL "https://REDACTED@ghe.example.com/" must not carry credentials`},
		{name: "not a URL", o: APIURLOptions{Flag: "ghe.example.com"}, wantErr: `--github-api-url "ghe.example.com" is not an http(s) URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gittest.New(t)
			if tt.remote != "" {
				r.Git("remote", "add", "origin", tt.remote)
			}
			if tt.yaml != "" {
				if err := os.WriteFile(filepath.Join(r.Dir, config.FileName), []byte(tt.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			repo, err := git.Open(context.Background(), r.Dir)
			if err != nil {
				t.Fatal(err)
			}
			tt.o.Repo = repo
			got, err := ResolveAPIURL(context.Background(), tt.o)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ResolveAPIURL = %q, %v; want an error with %q", got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cretvalue") || strings.Contains(err.Error(), "pw@") {
					t.Errorf("error has the remote's credentials: %v", err)
				}
				var ce *config.Error
				if tt.configErr != errors.As(err, &ce) {
					t.Errorf("error %v: *config.Error = %v, want %v", err, !tt.configErr, tt.configErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ResolveAPIURL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
