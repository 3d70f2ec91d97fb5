package actions

import (
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/image/imagetest"
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
		{"no source", map[string]string{"repository": "127.0.0.1:1/a"}, "the source input"},
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

// The Action resolves its inputs as the CLI does (release.ResolveImagePush):
// an input over .shipflow.yaml, and a refused push reported as the
// findings release.ImagePushFindings gives, not an error.
func TestImageResolvedAsTheCLI(t *testing.T) {
	host := imagetest.Registry(t)
	repo := gittest.New(t)
	repo.WriteFile(".shipflow.yaml", "image:\n  latest: false\n")
	repo.Commit("feat: first")
	repo.Tag("v1.0.0")
	push := func(seed int64, inputs map[string]string) (*Report, error) {
		s := newSim(t)
		s.input("source", imagetest.Tarball(t, 64, seed))
		s.input("repository", host+"/app")
		for k, v := range inputs {
			s.input(k, v)
		}
		return s.run("image", repo.Dir)
	}
	rep, err := push(1, map[string]string{"no-latest": "false", "no-sha-tag": "true"})
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, o := range rep.Outputs {
		if o.Name == "tags" {
			tags = strings.Split(o.Value, "\n")
		}
	}
	want := []string{host + "/app:1.0.0", host + "/app:1.0", host + "/app:1", host + "/app:latest"}
	if diff := cmp.Diff(want, tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}

	rep, err = push(2, nil)
	if err != nil {
		t.Fatalf("a refused push is a failed report, not an error: %v", err)
	}
	if rep.Conclusion != Failed || len(rep.Annotations) != 1 || rep.Annotations[0].Level != Failure ||
		rep.Annotations[0].Title != "shipflow image" || !strings.Contains(rep.Annotations[0].Message, `tag "1.0.0" already names`) {
		t.Errorf("conclusion %s, annotations %+v", rep.Conclusion, rep.Annotations)
	}
}
