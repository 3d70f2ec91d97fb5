package repofs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree makes a work tree with a .git directory, a docs/ folder, a file
// outside it, and the links an attacker could commit.
func tree(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "repo")
	outside = filepath.Join(base, "outside.txt")
	for _, d := range []string{".git", "docs"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		outside:                               "secret outside",
		filepath.Join(root, ".git", "config"): "[core]\n",
		filepath.Join(root, "docs", "CHANGELOG.md"): "# Changelog\n",
		filepath.Join(root, "tmpl"):                 "{{.Version}}",
	}
	for p, s := range files {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"CHANGELOG.md": "docs/CHANGELOG.md", // inside: followed
		"escape.md":    outside,             // absolute, outside
		"up.md":        "../outside.txt",    // relative, outside
		"gitcfg":       ".git/config",       // into .git
		"gitdir":       ".git",              // a directory link into .git
		"environ":      "/proc/self/environ",
		"dev":          "/dev/zero",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	return root, outside
}

func TestResolve(t *testing.T) {
	root, _ := tree(t)
	cases := []struct {
		name, want, refused string
	}{
		{name: "CHANGELOG.md", want: "docs/CHANGELOG.md"},
		{name: "./docs/../CHANGELOG.md", want: "docs/CHANGELOG.md"},
		{name: "new/dir/file.md", want: "new/dir/file.md"},
		{name: "docs/new.md", want: "docs/new.md"},
		{name: "/etc/passwd", refused: "is absolute"},
		{name: "../outside.txt", refused: "leaves the repository"},
		{name: "docs/../../outside.txt", refused: "leaves the repository"},
		{name: ".git/config", refused: "inside .git/"},
		{name: ".GIT/config", refused: "inside .git/"},
		{name: "sub/.git/hooks/pre-commit", refused: "inside .git/"},
		{name: "escape.md", refused: "outside the repository"},
		{name: "up.md", refused: "outside the repository"},
		{name: "gitcfg", refused: "into .git/"},
		{name: "gitdir/config", refused: "into .git/"},
		{name: "environ", refused: "outside the repository"},
		{name: "", refused: "is empty"},
		{name: "a\x00b", refused: "NUL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Resolve(root, c.name)
			if c.refused != "" {
				if err == nil || !IsRefused(err) || !strings.Contains(err.Error(), c.refused) {
					t.Fatalf("Resolve(%q) = %q, %v; want a refusal saying %q", c.name, got, err, c.refused)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("Resolve(%q) = %q, %v; want %q", c.name, got, err, c.want)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	root, _ := tree(t)
	if got, err := ReadFile(root, "tmpl", DefaultMaxRead); err != nil || string(got) != "{{.Version}}" {
		t.Fatalf("ReadFile(tmpl) = %q, %v", got, err)
	}
	if _, err := ReadFile(root, "tmpl", 3); !IsRefused(err) || !strings.Contains(err.Error(), "more than the 3") {
		t.Fatalf("a file over the cap: %v", err)
	}
	if _, err := ReadFile(root, "docs", DefaultMaxRead); !IsRefused(err) || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a directory: %v", err)
	}
	if _, err := ReadFile(root, "missing", DefaultMaxRead); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a missing file: %v, want fs.ErrNotExist", err)
	}
	for _, name := range []string{"environ", "dev", "escape.md", "up.md", "gitcfg", "/proc/self/environ", "../outside.txt"} {
		got, err := ReadFile(root, name, DefaultMaxRead)
		if !IsRefused(err) {
			t.Errorf("ReadFile(%q) = %q, %v; want a refusal", name, got, err)
		}
	}
}

func TestWriteFile(t *testing.T) {
	root, outside := tree(t)
	if err := WriteFile(root, "CHANGELOG.md", []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(filepath.Join(root, "CHANGELOG.md")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link inside the repository was replaced: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "docs", "CHANGELOG.md")); string(got) != "new" {
		t.Fatalf("the link's target = %q, want new", got)
	}
	if err := WriteFile(root, "a/b/c.md", []byte("deep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"escape.md", "up.md", "../outside.txt", outside, ".git/config", "gitcfg", "gitdir/config"} {
		if err := WriteFile(root, name, []byte("PWNED"), 0o644); !IsRefused(err) {
			t.Errorf("WriteFile(%q) = %v; want a refusal", name, err)
		}
	}
	if got, _ := os.ReadFile(outside); string(got) != "secret outside" {
		t.Fatalf("the file outside the repository changed: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(root, ".git", "config")); string(got) != "[core]\n" {
		t.Fatalf(".git/config changed: %q", got)
	}
}
