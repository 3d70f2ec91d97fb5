package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// imageFaceArgs are the CLI arguments of `image push` for the image
// action's inputs: the flags have the inputs' names.
func imageFaceArgs(inputs map[string]string) []string {
	args := []string{"image", "push"}
	names := make([]string, 0, len(inputs))
	for k := range inputs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		args = append(args, "--"+k+"="+inputs[k])
	}
	return args
}

// `shipflow image push` in a `run:` step and the image action print the
// same annotations for the same repository, registry and inputs: a
// refused push (a version published once with another image) and the
// plan's warnings.
func TestFacesImage(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, g *gittest.Repo, repository string)
		// inputs besides source and repository
		inputs map[string]string
		code   int
		want   string // in the annotations
	}{
		{
			name: "version published with another image",
			setup: func(t *testing.T, g *gittest.Repo, repository string) {
				g.Commit("feat: first")
				g.Tag("v1.0.0")
				if code, _, stderr := imageRun(t, g.Dir, "push", "--source", imagetest.Tarball(t, 64, 1), "--repository", repository); code != exitOK {
					t.Fatalf("first push: exit %d, %s", code, stderr)
				}
			},
			code: exitFindings,
			want: `::error title=shipflow image::tag "1.0.0" already names sha256:`,
		},
		{
			name: "plan warning",
			setup: func(t *testing.T, g *gittest.Repo, _ string) {
				g.Commit("feat: first")
				g.Tag("v1.0.0")
				g.Commit("feat: second\n\nRelease-As: banana")
			},
			inputs: map[string]string{"dry-run": "true"},
			code:   exitOK,
			want:   `::warning title=shipflow image::commit `,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repository := imagetest.Registry(t) + "/acme/app"
			g := gittest.New(t)
			c.setup(t, g, repository)
			inputs := map[string]string{"source": imagetest.Tarball(t, 64, 2), "repository": repository}
			for k, v := range c.inputs {
				inputs[k] = v
			}
			f := newFaces(t, g.Dir)
			cli := f.cli(imageFaceArgs(inputs)...)
			action := f.action("image", inputs)
			if cli.code != c.code || action.code != c.code {
				t.Errorf("exit %d (cli), %d (action); want %d\ncli stderr: %s\naction stderr: %s", cli.code, action.code, c.code, cli.stderr, action.stderr)
			}
			f.same(cli, action, 1)
			if got := strings.Join(cli.annotations(), "\n"); !strings.Contains(got, c.want) {
				t.Errorf("annotations lack %q:\n%s", c.want, got)
			}
		})
	}
}

// `shipflow image rollback` and the image-rollback action resolve their
// flags and inputs the same way (release.ResolveImageRollback): given the
// same repository and target they move the same tags to the same digests
// and write the same record, and they refuse the same mistakes alike.
func TestFacesImageRollback(t *testing.T) {
	host := imagetest.Registry(t)
	repository := host + "/acme/app"
	g := gittest.New(t)
	for i, v := range []string{"1.2.3", "1.2.4", "1.3.0"} {
		g.Commit("feat: release " + v)
		g.Tag("v" + v)
		if code, _, stderr := imageRun(t, g.Dir, "push", "--source", imagetest.Tarball(t, 64, int64(i+1)), "--repository", repository); code != exitOK {
			t.Fatalf("push %s: exit %d, %s", v, code, stderr)
		}
	}
	before := imagetest.Tags(t, repository)
	inputs := map[string]string{"repo": repository, "to": "1.2.3", "record": "rollback.json"}
	args := []string{"image", "rollback", "--repo", repository, "--to", "1.2.3", "--record", "rollback.json"}
	f := newFaces(t, g.Dir)

	cli := f.cli(args...)
	if cli.code != exitOK {
		t.Fatalf("cli: exit %d, %s", cli.code, cli.stderr)
	}
	cliTags := imagetest.Tags(t, repository)
	cliRecord, err := os.ReadFile(filepath.Join(g.Dir, "rollback.json"))
	if err != nil {
		t.Fatal(err)
	}
	if undo := f.cli("image", "rollback", "--undo", "--record", "rollback.json"); undo.code != exitOK {
		t.Fatalf("cli undo: exit %d, %s", undo.code, undo.stderr)
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repository)); diff != "" {
		t.Fatalf("the undo did not restore the tags (-before +after):\n%s", diff)
	}
	if err := os.Remove(filepath.Join(g.Dir, "rollback.json")); err != nil {
		t.Fatal(err)
	}

	action := f.action("image-rollback", inputs)
	if action.code != exitOK {
		t.Fatalf("action: exit %d, %s\n%s", action.code, action.stderr, action.stdout)
	}
	if diff := cmp.Diff(cliTags, imagetest.Tags(t, repository)); diff != "" {
		t.Errorf("the CLI and the Action moved different tags (-cli +action):\n%s", diff)
	}
	if cliTags["latest"] != before["1.2.3"] || cliTags["1"] != before["1.2.3"] {
		t.Errorf("latest, 1 = %s, %s; want 1.2.3's %s", cliTags["latest"], cliTags["1"], before["1.2.3"])
	}
	actionRecord, err := os.ReadFile(filepath.Join(g.Dir, "rollback.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The records differ in their time only.
	untimed := regexp.MustCompile(`"time": "[^"]*"`)
	if diff := cmp.Diff(untimed.ReplaceAllString(string(cliRecord), ""), untimed.ReplaceAllString(string(actionRecord), "")); diff != "" {
		t.Errorf("the CLI and the Action wrote different records (-cli +action):\n%s", diff)
	}

	// The same mistakes, the same refusal: a target without an image,
	// and no repository at all.
	for _, c := range []struct {
		name   string
		inputs map[string]string
		want   string
	}{
		{"missing version", map[string]string{"repo": repository, "to": "9.9.9"}, `version "9.9.9" has no image`},
		{"no repository", map[string]string{}, "no repository: give repo REGISTRY/REPO or set image.repository in .shipflow.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"image", "rollback"}
			for _, k := range []string{"repo", "to"} {
				if v, ok := c.inputs[k]; ok {
					args = append(args, "--"+k+"="+v)
				}
			}
			cli, action := f.cli(args...), f.action("image-rollback", c.inputs)
			if cli.code != exitUsage || action.code != exitUsage {
				t.Errorf("exit %d (cli), %d (action); want %d\ncli: %s\naction: %s", cli.code, action.code, exitUsage, cli.stderr, action.stderr)
			}
			if !strings.Contains(cli.stderr, c.want) || !strings.Contains(action.stdout+action.stderr, c.want) {
				t.Errorf("want %q from both\ncli: %s%s\naction: %s%s", c.want, cli.stdout, cli.stderr, action.stdout, action.stderr)
			}
		})
	}
}

// `shipflow image build --user U --entrypoint A --entrypoint B` and the
// image action with the inputs user and entrypoint (one argument per
// line) build the same image: the same digest from the same commit.
func TestFacesImageBuildUserEntrypoint(t *testing.T) {
	host := imagetest.Registry(t)
	g := gittest.New(t)
	g.Commit("feat: first")
	g.Tag("v1.0.0")
	if err := os.WriteFile(filepath.Join(g.Dir, "app"), []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	base := imagetest.Tarball(t, 64, 3)
	f := newFaces(t, g.Dir)
	cli := f.cli("image", "build", "--source", base, "--files", "app:/usr/local/bin/app", "--repository", host+"/cli/app",
		"--user", "65532:65532", "--entrypoint", "/usr/local/bin/app", "--entrypoint", "serve")
	action := f.action("image", map[string]string{
		"source": base, "files": "app:/usr/local/bin/app", "repository": host + "/action/app",
		"user": "65532:65532", "entrypoint": "/usr/local/bin/app\nserve\n",
	})
	if cli.code != exitOK || action.code != exitOK {
		t.Fatalf("exit %d (cli), %d (action)\ncli: %s\naction: %s%s", cli.code, action.code, cli.stderr, action.stdout, action.stderr)
	}
	c, a := imagetest.Tags(t, host+"/cli/app")["1.0.0"], imagetest.Tags(t, host+"/action/app")["1.0.0"]
	if c == "" || c != a {
		t.Errorf("1.0.0 is %q (cli) and %q (action); want the same image", c, a)
	}
	// And not the image without them: the inputs were read.
	plain := f.cli("image", "build", "--source", base, "--files", "app:/usr/local/bin/app", "--repository", host+"/plain/app")
	if plain.code != exitOK {
		t.Fatalf("plain build: exit %d, %s", plain.code, plain.stderr)
	}
	if p := imagetest.Tags(t, host+"/plain/app")["1.0.0"]; p == c {
		t.Errorf("the image without --user and --entrypoint is the same (%s)", p)
	}
}
