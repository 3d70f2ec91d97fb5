package release

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

func TestImagePushFromGit(t *testing.T) {
	cases := []struct {
		name        string
		setup       func(r *gittest.Repo)
		version     string
		wantVersion string
		wantErr     string
	}{
		{name: "tag on HEAD", setup: func(r *gittest.Repo) { r.Commit("feat: first"); r.Tag("v1.2.3") }, wantVersion: "1.2.3"},
		{name: "highest tag on HEAD", setup: func(r *gittest.Repo) { r.Commit("feat: first"); r.Tag("v1.2.3"); r.Tag("v1.3.0"); r.Tag("nightly") }, wantVersion: "1.3.0"},
		{name: "next version from the plan", setup: func(r *gittest.Repo) { r.Commit("feat: first"); r.Tag("v1.2.3"); r.Commit("feat: more") }, wantVersion: "1.3.0"},
		{name: "explicit version wins", setup: func(r *gittest.Repo) { r.Commit("feat: first"); r.Tag("v1.2.3") }, version: "2.0.0-rc.1", wantVersion: "2.0.0-rc.1"},
		{name: "nothing releasable", setup: func(r *gittest.Repo) { r.Commit("feat: first"); r.Tag("v1.2.3"); r.Commit("docs: words") }, wantErr: "nothing releasable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			g := gittest.New(t)
			c.setup(g)
			g.Git("remote", "add", "origin", "https://x-access-token:ghs_secret@github.com/acme/app.git")
			repo, err := git.Open(ctx, g.Dir)
			if err != nil {
				t.Fatal(err)
			}
			no := false
			cfg := config.Image{
				Repository: imagetest.Registry(t) + "/acme/app", SHATag: &no, Licenses: "Apache-2.0",
				Labels: map[string]string{"org.opencontainers.image.vendor": "Acme"},
			}
			// The tag policy of the config is read by the resolver.
			opts, err := ResolveImagePush(MapInputs{"source": imagetest.Tarball(t, 128, 1), "image-version": c.version}, &config.Config{Image: cfg}, CI{})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := ImagePush(ctx, repo, opts, image.WithRetry(1, time.Millisecond))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			head := strings.TrimSpace(g.Git("rev-parse", "HEAD"))
			date := strings.TrimSpace(g.Git("log", "-1", "--format=%cI"))
			created, _ := time.Parse(time.RFC3339, date)
			want := map[string]string{
				"org.opencontainers.image.version":  c.wantVersion,
				"org.opencontainers.image.revision": head,
				"org.opencontainers.image.created":  created.UTC().Format(time.RFC3339),
				"org.opencontainers.image.source":   "https://github.com/acme/app",
				"org.opencontainers.image.title":    "app",
				"org.opencontainers.image.licenses": "Apache-2.0",
				"org.opencontainers.image.vendor":   "Acme",
			}
			if diff := cmp.Diff(want, imagetest.Labels(t, cfg.Repository+":"+c.wantVersion)); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
			for _, tc := range rep.Tags {
				if strings.HasPrefix(tc.Tag, "sha-") {
					t.Errorf("sha-tag: false in the config, but %s was written", tc.Tag)
				}
			}
		})
	}
}

func TestImagePushNeedsRepository(t *testing.T) {
	_, err := ImagePush(context.Background(), nil, ImagePushOptions{Push: image.PushOptions{From: "x", Version: "1.0.0"}})
	if err == nil || !strings.Contains(err.Error(), "image.repository") {
		t.Errorf("error = %v, want one naming image.repository", err)
	}
	_, err = ImagePush(context.Background(), nil, ImagePushOptions{Config: config.Image{Repository: "r.example/a"}, Push: image.PushOptions{From: "x"}})
	if err == nil || !strings.Contains(err.Error(), "give --image-version") {
		t.Errorf("error = %v, want one asking for --image-version", err)
	}
}

func TestImageSourceURL(t *testing.T) {
	cases := []struct{ name, remote, want string }{
		{"scp-like", "git@github.com:acme/app.git", "https://github.com/acme/app"},
		{"ssh port goes", "ssh://git@github.com:22/acme/app.git", "https://github.com/acme/app"},
		{"credentials go", "https://x-access-token:ghs_abc@github.com/acme/app", "https://github.com/acme/app"},
		{"subgroups", "https://gitlab.example/group/sub/app.git", "https://gitlab.example/group/sub/app"},
		{"https port stays", "https://git.example:8443/acme/app.git", "https://git.example:8443/acme/app"},
		{"http port stays", "http://git.example:8080/acme/app", "http://git.example:8080/acme/app"},
		{"git daemon port goes", "git://git.example:9418/acme/app.git", "https://git.example/acme/app"},
		{"ssh ipv6 keeps brackets", "ssh://git@[2001:db8::1]:2222/acme/app.git", "https://[2001:db8::1]/acme/app"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ImageSourceURL(c.remote); got != c.want {
				t.Errorf("ImageSourceURL(%q) = %q, want %q", c.remote, got, c.want)
			}
		})
	}
}

func TestImageConfig(t *testing.T) {
	cfg, err := config.Parse(".shipflow.yaml", []byte(`image:
  repository: registry.internal:5000/acme/app
  latest: false
  insecure-registries: [registry.internal:5000]
  watch: {health: http://app/healthz, failures: 5, interval: 2s, max-duration: 3m}
`))
	if err != nil {
		t.Fatal(err)
	}
	w := cfg.Image.Watch
	if w.Failures != 5 || w.Interval != 2*time.Second || w.MaxDuration != 3*time.Minute || *cfg.Image.Latest {
		t.Errorf("image config = %+v", cfg.Image)
	}
	knobs, err := ImageKnobs(cfg.Image, cfg.Image.Repository)
	if err != nil || len(knobs) != 1 {
		t.Errorf("ImageKnobs = %d knobs, %v; want the insecure one", len(knobs), err)
	}
	// The list applies per registry (and never to one with credentials),
	// so that ghcr.io is not affected is checked by sending requests: see
	// TestImageKnobsInsecureListNeverDowngradesCredentials.
	if _, err := ImageKnobs(config.Image{CAFile: "/nonexistent/ca.pem"}, "x/y"); err == nil || !strings.Contains(err.Error(), "image.ca-file") {
		t.Errorf("missing CA file: %v", err)
	}
}
