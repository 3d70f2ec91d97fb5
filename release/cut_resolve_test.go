package release_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github"
)

// TestResolveRelease: inputs over .shipflow.yaml over the CI context over
// the defaults, for every option of `release`.
func TestResolveRelease(t *testing.T) {
	const ghes = "https://ghe.example.com/api/v3/"
	ptr := func(s string) *string { return &s }
	cfg := &config.Config{
		Version:   config.Version{TagPrefix: ptr("release-")},
		Release:   config.Release{Draft: true, FloatingMajorTag: true},
		Changelog: config.Changelog{File: "CHANGES.md"},
	}
	ci := release.CI{
		Branch: "main", Repository: "octo/from-ci", APIURL: ghes,
		ServerURL: "https://ghe.example.com",
	}
	cases := []struct {
		name    string
		in      release.Inputs
		cfg     *config.Config
		ci      release.CI
		want    release.CutOptions
		wantErr string
	}{
		{name: "defaults", in: release.NoInputs{}, want: release.CutOptions{APIURL: github.DefaultBaseURL}},
		{
			name: "config and CI", in: release.NoInputs{}, cfg: cfg, ci: ci,
			want: release.CutOptions{
				Config: cfg.Release, Changelog: cfg.Changelog,
				Plan:  release.PlanOptions{Config: cfg.Version, DetachedBranch: "main"},
				Owner: "octo", Repo: "from-ci", APIURL: ghes, WebURL: "https://ghe.example.com",
			},
		},
		{
			name: "inputs over config and CI", cfg: cfg, ci: ci,
			in: release.MapInputs{
				"dry-run": "true", "major": "true", "tag-prefix": "v", "branch": "main",
				"draft": "false", "floating-major-tag": "FALSE",
				"repo": "octo/given", "github-api-url": "https://other.example.com/api/v3",
			},
			want: release.CutOptions{
				Config: config.Release{}, Changelog: cfg.Changelog,
				Plan:  release.PlanOptions{Config: cfg.Version, TagPrefix: ptr("v"), Branch: "main", DetachedBranch: "main", Major: true},
				Owner: "octo", Repo: "given", APIURL: "https://other.example.com/api/v3/", WebURL: "https://ghe.example.com",
				DryRun: true,
			},
		},
		{
			name: "booleans turn config on", cfg: &config.Config{}, in: release.MapInputs{"draft": "true", "floating-major-tag": "true"},
			want: release.CutOptions{Config: config.Release{Draft: true, FloatingMajorTag: true}, APIURL: github.DefaultBaseURL},
		},
		{name: "bad repo", in: release.MapInputs{"repo": "octo"}, wantErr: `input repo: "octo" is not OWNER/NAME`},
		{name: "bad repo from CI", in: release.NoInputs{}, ci: release.CI{Repository: "a/b/c"}, wantErr: `input repo: "a/b/c" is not OWNER/NAME (the CI context's repository, GITHUB_REPOSITORY)`},
		{name: "bad draft", in: release.MapInputs{"draft": "sure"}, wantErr: `input draft: "sure" is not a boolean (use true or false)`},
		{name: "plain HTTP API", in: release.MapInputs{"github-api-url": "http://ghe.example.com/"}, wantErr: `--github-api-url "http://ghe.example.com/" uses plain HTTP`},
		{
			name: "config may not redirect the token", in: release.NoInputs{}, ci: release.CI{APIURL: github.DefaultBaseURL},
			cfg:     &config.Config{Release: config.Release{GitHubAPIURL: "https://evil.example/"}},
			wantErr: `.shipflow.yaml: release.github-api-url is "https://evil.example/", but GITHUB_API_URL is`,
		},
		{name: "bad SOURCE_DATE_EPOCH", in: release.NoInputs{}, ci: release.CI{SourceDateEpoch: "now"}, wantErr: `SOURCE_DATE_EPOCH "now" is not a number of seconds`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := release.ResolveRelease(context.Background(), c.in, c.cfg, c.ci, nil)
			if c.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			opts := []cmp.Option{
				cmpopts.IgnoreUnexported(config.Changelog{}, config.Release{}),
				cmpopts.IgnoreFields(release.CutOptions{}, "Now"),
			}
			if diff := cmp.Diff(c.want, got, opts...); diff != "" {
				t.Errorf("ResolveRelease (-want +got):\n%s", diff)
			}
			if got.Now != nil {
				t.Errorf("Now is set without SOURCE_DATE_EPOCH")
			}
		})
	}
}

// TestResolveReleaseAPIFromRemote: with no input, CI value or setting, the
// API comes from the release remote's host, and one that is not GitHub's
// is refused rather than guessed.
func TestResolveReleaseAPIFromRemote(t *testing.T) {
	r := gittest.New(t)
	r.Commit("feat: first")
	r.Git("remote", "add", "origin", "https://acme.ghe.com/o/r.git")
	repo := planOpen(t, r.Dir)
	o, err := release.ResolveRelease(context.Background(), release.NoInputs{}, nil, release.CI{}, repo)
	if err != nil || o.APIURL != "https://api.acme.ghe.com/" {
		t.Errorf("APIURL = %q, %v; want https://api.acme.ghe.com/", o.APIURL, err)
	}
	r.Git("remote", "set-url", "origin", "https://ghe.example.com/o/r.git")
	if _, err := release.ResolveRelease(context.Background(), release.NoInputs{}, nil, release.CI{}, repo); err == nil || !strings.Contains(err.Error(), "shipflow does not guess where to send the token") {
		t.Errorf("err = %v, want the remote's host refused", err)
	}
}

// TestResolveReleaseSourceDateEpoch: the release date comes from the CI
// context's SOURCE_DATE_EPOCH.
func TestResolveReleaseSourceDateEpoch(t *testing.T) {
	o, err := release.ResolveRelease(context.Background(), release.NoInputs{}, nil, release.CI{SourceDateEpoch: "86400"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.Now == nil || !o.Now().Equal(time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Now is not 1970-01-02")
	}
	var ie *release.InputError
	if _, err := release.ResolveRelease(context.Background(), release.MapInputs{"dry-run": "1"}, nil, release.CI{}, nil); !errors.As(err, &ie) {
		t.Errorf("err = %v, want an *InputError", err)
	}
}
