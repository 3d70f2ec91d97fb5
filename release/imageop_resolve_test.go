package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/image/imagetest"
	"github.com/shipflow/shipflow/release/report"
)

// ResolveImagePush reads every input of `image push` and the image action
// in one order: input > .shipflow.yaml > CI context > default.
func TestResolveImagePush(t *testing.T) {
	off, on := false, true
	src := MapInputs{"source": "app.tar"}
	with := func(kv ...string) MapInputs {
		m := MapInputs{"source": "app.tar"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	strp := func(s string) *string { return &s }
	cases := []struct {
		name string
		in   Inputs
		cfg  config.Config
		ci   CI
		want func(o *ImagePushOptions)
	}{
		{name: "defaults", in: src},
		{name: "config repository", in: src, cfg: config.Config{Image: config.Image{Repository: "r.example/a"}},
			want: func(o *ImagePushOptions) { o.Push.To = "r.example/a" }},
		{name: "input repository over config", in: with("repository", "r.example/b"), cfg: config.Config{Image: config.Image{Repository: "r.example/a"}},
			want: func(o *ImagePushOptions) { o.Push.To = "r.example/b" }},
		{name: "config turns tags off", in: src, cfg: config.Config{Image: config.Image{MovingTags: &off, Latest: &off, SHATag: &off}},
			want: func(o *ImagePushOptions) { o.Push.Tags = image.TagPolicy{NoMoving: true, NoLatest: true, NoSHA: true} }},
		{name: "config leaves tags on", in: src, cfg: config.Config{Image: config.Image{MovingTags: &on, Latest: &on, SHATag: &on}}},
		{name: "inputs turn tags off", in: with("no-moving-tags", "true", "no-latest", "true", "no-sha-tag", "true"),
			want: func(o *ImagePushOptions) { o.Push.Tags = image.TagPolicy{NoMoving: true, NoLatest: true, NoSHA: true} }},
		{name: "inputs over config", in: with("no-latest", "false", "no-sha-tag", "FALSE"), cfg: config.Config{Image: config.Image{Latest: &off, SHATag: &off, MovingTags: &off}},
			want: func(o *ImagePushOptions) { o.Push.Tags = image.TagPolicy{NoMoving: true} }},
		{name: "branch from the CI context", in: src, ci: CI{Branch: "dev"},
			want: func(o *ImagePushOptions) { o.Plan.DetachedBranch = "dev" }},
		{name: "branch input", in: with("branch", "hotfix/x"), ci: CI{Branch: "dev"},
			want: func(o *ImagePushOptions) { o.Plan.Branch, o.Plan.DetachedBranch = "hotfix/x", "dev" }},
		{name: "tag prefix input over config", in: with("tag-prefix", "none"), cfg: config.Config{Version: config.Version{TagPrefix: strp("app-")}},
			want: func(o *ImagePushOptions) { o.Plan.TagPrefix = strp("none") }},
		{name: "version", in: with("image-version", "v1.2.3"),
			want: func(o *ImagePushOptions) { o.Push.Version = "1.2.3" }},
		{name: "dry run", in: with("dry-run", "true"),
			want: func(o *ImagePushOptions) { o.Push.DryRun = true }},
		{name: "files and labels one per line", in: with("files", "bin/app:/app\nlinux/arm64=bin/app-arm64:/app\n", "labels", "team=core\norg.opencontainers.image.authors=a, b"),
			want: func(o *ImagePushOptions) {
				o.Push.Files = []image.File{{Src: "bin/app", Dst: "/app"}, {Platform: "linux/arm64", Src: "bin/app-arm64", Dst: "/app"}}
				o.Push.Labels.Extra = map[string]string{"team": "core", "org.opencontainers.image.authors": "a, b"}
			}},
		{name: "user and entrypoint, one argument per line", in: with("user", " 65532:65532 ", "entrypoint", "/usr/local/bin/shipflow\n--config=a, b\n"),
			want: func(o *ImagePushOptions) {
				o.Push.User, o.Push.Entrypoint = "65532:65532", []string{"/usr/local/bin/shipflow", "--config=a, b"}
			}},
		{name: "registry access", in: with("insecure", "true", "ca-file", "certs/ca.pem", "username", "bob", "password", "pw"), ci: CI{Actor: "octocat"},
			want: func(o *ImagePushOptions) {
				o.Access = ImageAccess{Insecure: true, CAFile: "certs/ca.pem", Username: "bob", Password: "pw", Actor: "octocat"}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := ImagePushOptions{Config: c.cfg.Image, Plan: PlanOptions{Config: c.cfg.Version}, Push: image.PushOptions{From: "app.tar"}}
			if c.want != nil {
				c.want(&want)
			}
			got, err := ResolveImagePush(c.in, &c.cfg, c.ci)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(config.Image{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveImagePushRefuses(t *testing.T) {
	cases := []struct {
		name string
		in   MapInputs
		want string
	}{
		{"no source", MapInputs{"repository": "r.example/a"}, "no image to push: give --source"},
		{"bad label", MapInputs{"source": "x.tar", "labels": "novalue"}, `input labels: "novalue" is not KEY=VALUE`},
		{"bad file", MapInputs{"source": "x.tar", "files": "app"}, "input files: file \"app\": want [PLATFORM=]SRC:/ABSOLUTE/DST"},
		{"bad boolean", MapInputs{"source": "x.tar", "no-latest": "yes"}, `input no-latest: "yes" is not a boolean`},
		{"username without password", MapInputs{"source": "x.tar", "username": "bob"}, "username and password go together"},
		{"password without username", MapInputs{"source": "x.tar", "password": "pw"}, "username and password go together"},
		{"bad tag prefix", MapInputs{"source": "x.tar", "tag-prefix": "-x"}, "tag prefix"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ResolveImagePush(c.in, &config.Config{}, CI{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want %q", err, c.want)
			}
			var ie *InputError
			var iie *image.InputError
			if !errors.As(err, &ie) && !errors.As(err, &iie) && !errors.Is(err, ErrPlanBadTag) {
				t.Errorf("error %T is not an input error", err)
			}
		})
	}
}

// Relative paths (source, files, ca-file) are relative to Dir, the
// directory shipflow runs in (-C), on both faces.
func TestImagePushRelativeToDir(t *testing.T) {
	host := imagetest.Registry(t)
	dir := t.TempDir()
	tarball, err := os.ReadFile(imagetest.Tarball(t, 64, 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.tar"), tarball, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	opts, err := ResolveImagePush(MapInputs{"source": "app.tar", "files": "app:/app", "repository": host + "/a", "image-version": "1.0.0"}, &config.Config{}, CI{})
	if err != nil {
		t.Fatal(err)
	}
	opts.Dir = dir
	rep, err := ImagePush(context.Background(), nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Pushed || rep.Version != "1.0.0" {
		t.Errorf("report %+v", rep.PushReport)
	}

	opts.Access.CAFile = "missing.pem"
	_, err = ImagePush(context.Background(), nil, opts)
	var ie *image.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "ca-file") || !strings.Contains(err.Error(), filepath.Join(dir, "missing.pem")) {
		t.Errorf("missing ca-file: %v, want an input error naming %s", err, filepath.Join(dir, "missing.pem"))
	}
}

// The plan's warnings, when the plan computes the version, are the
// push's warnings.
func TestImagePushPlanWarnings(t *testing.T) {
	ctx := context.Background()
	g := gittest.New(t)
	g.Commit("feat: first")
	g.Tag("v1.0.0")
	g.Commit("feat: second\n\nRelease-As: banana")
	repo, err := git.Open(ctx, g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := ResolveImagePush(MapInputs{"source": imagetest.Tarball(t, 64, 1), "repository": imagetest.Registry(t) + "/a", "dry-run": "true"}, &config.Config{}, CI{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ImagePush(ctx, repo, opts, image.WithRetry(1, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Version != "1.1.0" || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "banana") {
		t.Errorf("version %s, warnings %q; want 1.1.0 and the Release-As warning", rep.Version, rep.Warnings)
	}
}

func TestImagePushFindings(t *testing.T) {
	conflict := &image.ConflictError{Tag: "1.0.0", Existing: "sha256:a", New: "sha256:b"}
	repaired := &ImagePushReport{PushReport: image.PushReport{Repository: "r/app",
		Repaired: []image.TagChange{{Tag: "latest", Old: "sha256:1111111111111111111111", New: "sha256:2222222222222222222222", Written: true}}},
		Warnings: []string{"plan warning"}}
	cases := []struct {
		name string
		rep  *ImagePushReport
		err  error
		want []report.Finding
	}{
		{"clean", &ImagePushReport{}, nil, nil},
		{"refused", nil, conflict, []report.Finding{{Title: "shipflow image", Level: report.Error, Message: conflict.Error()}}},
		{"failed", nil, errors.New("registry down"), nil},
		{"a missing tag put right", &ImagePushReport{PushReport: image.PushReport{Repository: "r/app",
			Repaired: []image.TagChange{{Tag: "1", New: "sha512:" + strings.Repeat("3", 128), Written: true}}}}, nil, []report.Finding{
			{Title: "shipflow image", Level: report.Warning, Message: `tag "1" of r/app was put right after a concurrent push of a higher version ((none) → sha512:333333333333): push to one repository one at a time (a workflow concurrency group with cancel-in-progress: false)`},
		}},
		{"warnings", repaired, nil, []report.Finding{
			{Title: "shipflow image", Level: report.Warning, Message: "plan warning"},
			{Title: "shipflow image", Level: report.Warning, Message: `tag "latest" of r/app was put right after a concurrent push of a higher version (sha256:111111111111 → sha256:222222222222): push to one repository one at a time (a workflow concurrency group with cancel-in-progress: false)`},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, ImagePushFindings(c.rep, c.err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
