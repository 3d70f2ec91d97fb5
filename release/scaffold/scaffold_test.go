package scaffold

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func actions(rep *Report) map[string]Action {
	m := map[string]Action{}
	for _, e := range rep.Entries {
		m[e.Path] = e.Action
	}
	return m
}

func allFiles(a Action) map[string]Action {
	m := map[string]Action{}
	for _, f := range Files() {
		m[f.Path] = a
	}
	return m
}

func TestWriteFreshThenIdempotent(t *testing.T) {
	dir := t.TempDir()
	rep, err := Write(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := allFiles(Written)
	want[GitignorePath] = Written
	if diff := cmp.Diff(want, actions(rep)); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	for _, f := range Files() {
		got, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil || string(got) != string(f.Data) {
			t.Errorf("%s: err %v, content differs: %v", f.Path, err, string(got) != string(f.Data))
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); string(b) != ".env\n" {
		t.Errorf(".gitignore = %q", b)
	}

	rep, err = Write(context.Background(), dir, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	want = allFiles(Unchanged)
	want[GitignorePath] = Unchanged
	if diff := cmp.Diff(want, actions(rep)); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); string(b) != ".env\n" {
		t.Errorf(".gitignore after second run = %q", b)
	}
}

func TestWriteNeverOverwritesWithoutForce(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "CHANGELOG.md")
	if err := os.WriteFile(mine, []byte("# my changelog\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Write(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(rep)["CHANGELOG.md"]; got != Skipped {
		t.Errorf("CHANGELOG.md: %s, want skipped", got)
	}
	if b, _ := os.ReadFile(mine); string(b) != "# my changelog\n" {
		t.Errorf("CHANGELOG.md was changed: %q", b)
	}
	if rep.Count(Written) != len(Files()) { // the other files and .gitignore
		t.Errorf("%d written, want %d", rep.Count(Written), len(Files()))
	}
	rep, err = Write(context.Background(), dir, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(rep)["CHANGELOG.md"]; got != Overwritten {
		t.Errorf("CHANGELOG.md with force: %s, want overwritten", got)
	}
}

func TestGitignore(t *testing.T) {
	cases := []struct {
		name, before, after string
		action              Action
	}{
		{"no final newline", "node_modules", "node_modules\n.env\n", Appended},
		{"other env files only", ".env.local\n*.env\n", ".env.local\n*.env\n.env\n", Appended},
		{"already there", "dist/\n.env\n", "dist/\n.env\n", Unchanged},
		{"anchored", "/.env\n", "/.env\n", Unchanged},
		{"with spaces", "  .env  \n", "  .env  \n", Unchanged},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, ".gitignore")
			if err := os.WriteFile(path, []byte(c.before), 0o600); err != nil {
				t.Fatal(err)
			}
			for range 2 { // appending is idempotent
				if _, err := Write(context.Background(), dir, Options{}); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := Write(context.Background(), dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(path)
			if string(b) != c.after {
				t.Errorf(".gitignore = %q, want %q", b, c.after)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
			}
			if c.action == Unchanged && actions(rep)[GitignorePath] != Unchanged {
				t.Errorf("action %s", actions(rep)[GitignorePath])
			}
		})
	}
}

func TestWriteErrorNamesThePath(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "CHANGELOG.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Write(context.Background(), dir, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "writing CHANGELOG.md: ") {
		t.Errorf("err = %v", err)
	}
}

func TestTemplatesContent(t *testing.T) {
	files := map[string]string{}
	for _, f := range Files() {
		files[f.Path] = string(f.Data)
	}
	checks := []struct{ path, want string }{
		{".github/workflows/ci.yml", "uses: shipflow/shipflow/actions/pr@v1"},
		{".github/workflows/ci.yml", "uses: shipflow/shipflow/actions/branch@v1"},
		{".github/workflows/ci.yml", "uses: shipflow/shipflow/actions/commitlint@v1"},
		{".github/workflows/ci.yml", "uses: shipflow/shipflow/actions/test@v1"},
		{".github/workflows/ci.yml", "fetch-depth: 0"},
		{".github/workflows/ci.yml", "types: [opened, edited, synchronize, reopened]"},
		{".github/workflows/release.yml", "branches: [main]"},
		{".github/workflows/release.yml", "uses: shipflow/shipflow/actions/release@v1"},
		{".github/workflows/release.yml", "uses: shipflow/shipflow/actions/image@v1"},
		{".env.template", "DATABASE_URL="},
	}
	for _, c := range checks {
		if !strings.Contains(files[c.path], c.want) {
			t.Errorf("%s does not contain %q", c.path, c.want)
		}
	}
}
