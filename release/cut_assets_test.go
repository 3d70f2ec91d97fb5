package release

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Assets are uploaded to the draft before it is published, with a
// checksums.txt of them; a re-run uploads nothing twice.
func TestCutAssets(t *testing.T) {
	e := newCutEnv(t)
	// Built files are not committed: the release commit's tree stays clean.
	e.r.WriteFile(".gitignore", "dist/\n")
	e.r.Git("add", ".gitignore")
	e.r.Commit("chore: ignore dist")
	e.r.Git("push", "-q", "origin", "main")
	files := map[string]string{"dist/app-linux.tar.gz": "linux bits", "dist/app-darwin.tar.gz": "darwin bits", "dist/notes.md": "not an asset"}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Join(e.r.Dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(e.r.Dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o := e.opts()
	o.Assets = []string{"dist/*.tar.gz"}
	rep, err := e.cut(o)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"dist/app-darwin.tar.gz", "dist/app-linux.tar.gz"}, rep.Plan.Assets); diff != "" {
		t.Errorf("plan assets (-want +got):\n%s", diff)
	}
	rels := e.fake.Releases("o", "r")
	if len(rels) != 1 || rels[0].Draft {
		t.Fatalf("releases %+v", rels)
	}
	got := map[string]string{}
	for _, a := range e.fake.Assets("o", "r", rels[0].ID) {
		got[a.Name] = string(a.Data)
	}
	sum := func(s string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(s))) }
	want := map[string]string{
		"app-darwin.tar.gz": "darwin bits", "app-linux.tar.gz": "linux bits",
		"checksums.txt": sum("darwin bits") + "  app-darwin.tar.gz\n" + sum("linux bits") + "  app-linux.tar.gz\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assets (-want +got):\n%s", diff)
	}
	// Uploaded while a draft: the publish comes after every upload.
	var ops []string
	for _, c := range e.fake.Calls() {
		if strings.Contains(c.Operation, "assets") || strings.HasPrefix(c.Operation, "PATCH") {
			ops = append(ops, c.Operation)
		}
	}
	if len(ops) == 0 || !strings.HasPrefix(ops[len(ops)-1], "PATCH") {
		t.Errorf("publish is not the last release change: %v", ops)
	}

	// A re-run uploads nothing.
	n := len(e.fake.Calls())
	again, err := e.cut(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range e.fake.Calls()[n:] {
		if strings.HasPrefix(c.Operation, "POST") {
			t.Errorf("re-run made %s", c.Operation)
		}
	}
	if len(e.fake.Assets("o", "r", rels[0].ID)) != 3 {
		t.Errorf("re-run changed the assets")
	}
	_ = again
}

// A glob that matches nothing, or names files outside the work tree, is
// refused before anything changes.
func TestCutAssetsRefused(t *testing.T) {
	cases := []struct {
		name, glob, want string
	}{
		{"no match", "dist/*.zip", `release.assets "dist/*.zip" matches no file`},
		{"outside", "../*", `leaves the repository`},
		{"git dir", ".git/*", `inside .git/`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newCutEnv(t)
			before := e.state()
			o := e.opts()
			o.Assets = []string{tc.glob}
			_, err := e.cut(o)
			if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want a refusal with %q", err, tc.want)
			}
			if diff := cmp.Diff(before, e.state()); diff != "" {
				t.Errorf("state changed (-before +after):\n%s", diff)
			}
		})
	}
}
