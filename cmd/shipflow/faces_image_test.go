package main

import (
	"sort"
	"strings"
	"testing"

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
