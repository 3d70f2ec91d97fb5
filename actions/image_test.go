package actions

import (
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/shipflow/shipflow/release/git/gittest"
)

func TestImage(t *testing.T) {
	reg := httptest.NewServer(registry.New())
	t.Cleanup(reg.Close)
	host := strings.TrimPrefix(reg.URL, "http://")

	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "app.tar")
	tag, _ := name.NewTag("app:build")
	if err := tarball.WriteToFile(src, tag, img); err != nil {
		t.Fatal(err)
	}

	repo := gittest.New(t)
	repo.Commit("feat: first")
	repo.AnnotatedTag("v1.4.0", "v1.4.0")

	s := newSim(t)
	s.input("source", src)
	s.input("repository", host+"/acme/app")
	s.input("labels", "org.example.team=release")
	rep, err := s.run("image", repo.Dir)
	if err != nil {
		t.Fatalf("image: %v\n%s", err, s.log.String())
	}
	out := s.outputs()
	if rep.Conclusion != Success || out["pushed"] != "true" || out["version"] != "1.4.0" || !strings.HasPrefix(out["digest"], "sha256:") {
		t.Fatalf("conclusion %s, outputs %v", rep.Conclusion, out)
	}
	if !strings.Contains(out["tags"], ":1.4.0") || !strings.Contains(out["tags"], ":latest") {
		t.Errorf("tags %q", out["tags"])
	}
	// The registry really has it, under the version tag, with the labels.
	ref, _ := name.NewTag(host + "/acme/app:1.4.0")
	got, err := remote.Image(ref)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := got.Digest()
	if d.String() != out["digest"] {
		t.Errorf("1.4.0 is %s, the output says %s", d, out["digest"])
	}
	cfg, err := got.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Config.Labels["org.opencontainers.image.version"] != "1.4.0" || cfg.Config.Labels["org.example.team"] != "release" {
		t.Errorf("labels %v", cfg.Config.Labels)
	}
	if !strings.Contains(s.summary(), "1.4.0") {
		t.Errorf("summary:\n%s", s.summary())
	}
}

func TestImageInputs(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: first")
	tests := []struct {
		name   string
		inputs map[string]string
		want   string
	}{
		{"no source", map[string]string{"repository": "127.0.0.1:1/a"}, "input source"},
		{"bad label", map[string]string{"source": "x.tar", "labels": "novalue"}, `"novalue" is not KEY=VALUE`},
		{"user without password", map[string]string{"source": "x.tar", "username": "bob"}, "username and password go together"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			for k, v := range tc.inputs {
				s.input(k, v)
			}
			_, err := s.run("image", repo.Dir)
			var ie *InputError
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &ie) {
				t.Errorf("err = %v, want an input error with %q", err, tc.want)
			}
		})
	}
}
