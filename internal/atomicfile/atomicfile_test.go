package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := Write(path, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("new file mode = %v, want 0600", fi.Mode())
	}
	if err := Write(path, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(got) != "two" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("after rewrite: %q %v, want \"two\" with the old mode", got, fi.Mode())
	}
	err := WriteHooked(path, []byte("three"), 0o644, func(*os.File) error { return errors.New("disk full") })
	if err == nil {
		t.Fatal("a failing write reported success")
	}
	if got, _ := os.ReadFile(path); string(got) != "two" {
		t.Fatalf("after a failed write: %q, want the old \"two\"", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	if err := Write(dir, []byte("x"), 0o644); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
}

func TestWriteFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "docs", "CHANGELOG.md")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "CHANGELOG.md")
	if err := os.Symlink(filepath.Join("docs", "CHANGELOG.md"), link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi, err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Fatalf("target = %q, want \"new\"", got)
	}
}

// A write killed after creating its temporary file (SIGKILL mid-write)
// leaves the temporary file; the next write of the same file removes it,
// so a re-run is not blocked by a leftover nobody asked for.
func TestWriteRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "CHANGELOG.md")
	stale := []string{
		".CHANGELOG.md.shipflow-0123abcd.tmp", // this version's
		".CHANGELOG.md.4242.tmp",              // shipflow 0.1's
	}
	keep := []string{".CHANGELOG.md.notes.tmp", ".other.md.shipflow-00.tmp", "CHANGELOG.md.bak"}
	for _, n := range append(append([]string{}, stale...), keep...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range stale {
		if !IsTemp(n) {
			t.Errorf("IsTemp(%q) = false, want true", n)
		}
	}
	for _, n := range []string{".CHANGELOG.md.notes.tmp", "CHANGELOG.md.bak", ".tmp", "..4.tmp"} {
		if IsTemp(n) {
			t.Errorf("IsTemp(%q) = true, want false", n)
		}
	}
	if err := Write(path, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(dir, n)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s survived the next write: %v", n, err)
		}
	}
	for _, n := range keep {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s, not a leftover of CHANGELOG.md, was removed: %v", n, err)
		}
	}
}

func TestWriteInStaysInRoot(t *testing.T) {
	dir := t.TempDir()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := WriteIn(r, "f", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f")); string(got) != "x" {
		t.Fatalf("f = %q", got)
	}
	if err := WriteIn(r, "../escape", []byte("x"), 0o644); err == nil {
		t.Fatal("WriteIn wrote outside its root")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape")); err == nil {
		t.Fatal("a file was written outside the root")
	}
}
