package versionfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/internal/golden"
	"github.com/shipflow/shipflow/internal/repofs"
)

// copyTree copies testdata/<name>/in into a fresh directory, with CRLF
// line endings when crlf is set.
func copyTree(t *testing.T, src string, crlf bool) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if crlf {
			data = []byte(strings.ReplaceAll(string(data), "\n", "\r\n"))
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func listing(files []File, skips []Skip) string {
	var b strings.Builder
	for _, f := range files {
		b.WriteString(string(f.Kind) + " " + f.String() + "\n")
	}
	for _, s := range skips {
		b.WriteString("skip " + s.Path + ": " + s.Reason + "\n")
	}
	return b.String()
}

// TestGolden detects the version files of each testdata/<kind>/in tree,
// checks the listing against testdata/<kind>/detect.golden, bumps them to
// 1.3.0 and compares the tree with testdata/<kind>/want byte for byte;
// then again with CRLF line endings, and a second bump changes nothing.
func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		for _, crlf := range []bool{false, true} {
			name := d.Name()
			if crlf {
				name += "/crlf"
			}
			t.Run(name, func(t *testing.T) {
				root := copyTree(t, filepath.Join("testdata", d.Name(), "in"), crlf)
				files, skips, err := Detect(root)
				if err != nil {
					t.Fatal(err)
				}
				if !crlf {
					golden.Check(t, filepath.Join("testdata", d.Name(), "detect.golden"), listing(files, skips))
				} else if len(files) == 0 || len(skips) != 0 {
					t.Fatalf("CRLF detection differs:\n%s", listing(files, skips))
				}
				if got := Disagree(files, "1.2.0"); len(got) != 0 {
					t.Errorf("Disagree(1.2.0) = %v, want none", got)
				}
				wrote, err := Bump(root, files, "1.3.0")
				if err != nil {
					t.Fatal(err)
				}
				if len(wrote) == 0 {
					t.Error("Bump wrote nothing")
				}
				want := readTree(t, copyTree(t, filepath.Join("testdata", d.Name(), "want"), crlf))
				if diff := cmp.Diff(want, readTree(t, root)); diff != "" {
					t.Errorf("after Bump (-want +got):\n%s", diff)
				}
				again, _, err := Detect(root)
				if err != nil {
					t.Fatal(err)
				}
				if got := Disagree(again, "v1.3.0"); len(got) != 0 {
					t.Errorf("after Bump, Disagree(v1.3.0) = %v", got)
				}
				wrote, err = Bump(root, again, "1.3.0")
				if err != nil || len(wrote) != 0 {
					t.Errorf("second Bump wrote %v, %v; want nothing", wrote, err)
				}
			})
		}
	}
}

func write(t *testing.T, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSymlinkOutsideIsRefused: a VERSION that links out of the work tree
// is reported as a skip, never read; Bump refuses it and the target is
// untouched.
func TestSymlinkOutsideIsRefused(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, "secret", "1.2.0\n")
	root := t.TempDir()
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "VERSION")); err != nil {
		t.Fatal(err)
	}
	files, skips, err := Detect(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 0 || len(skips) != 1 || !strings.Contains(skips[0].Reason, "outside the repository") {
		t.Fatalf("Detect = %v, %v; want one skip for the link out", files, skips)
	}
	_, err = Bump(root, []File{{Path: "VERSION", Kind: KindPlain, Key: "VERSION", Value: "1.2.0"}}, "1.3.0")
	if !repofs.IsRefused(err) {
		t.Fatalf("Bump through the link = %v, want a refusal", err)
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "secret")); string(data) != "1.2.0\n" {
		t.Fatalf("the target outside changed: %q", data)
	}
}

// TestRefusedPaths: Bump never writes under .git/ or outside the tree.
func TestRefusedPaths(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".git/VERSION", "1.2.0\n")
	for _, p := range []string{".git/VERSION", "../VERSION", "/etc/VERSION"} {
		_, err := Bump(root, []File{{Path: p, Kind: KindPlain, Key: "VERSION"}}, "1.3.0")
		if !repofs.IsRefused(err) {
			t.Errorf("Bump(%q) = %v, want a refusal", p, err)
		}
	}
}

// TestHugeFileIsCapped: a package.json over MaxSize is skipped with the
// reason, not read (the file is sparse, so the test writes nothing).
func TestHugeFileIsCapped(t *testing.T) {
	root := t.TempDir()
	f, err := os.Create(filepath.Join(root, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	files, skips, err := Detect(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 0 || len(skips) != 1 || !strings.Contains(skips[0].Reason, "more than the") {
		t.Fatalf("Detect = %v, %v; want one skip for the size", files, skips)
	}
}

// TestBumpRefusesAChangedValue: a value edited between plan and bump is
// an error and nothing is written.
func TestBumpRefusesAChangedValue(t *testing.T) {
	root := t.TempDir()
	write(t, root, "VERSION", "1.2.0\n")
	write(t, root, "package.json", `{"version": "1.2.0"}`)
	files, _, err := Detect(root)
	if err != nil || len(files) != 2 {
		t.Fatalf("Detect = %v, %v", files, err)
	}
	write(t, root, "package.json", `{"version": "1.2.5"}`)
	if _, err := Bump(root, files, "1.3.0"); err == nil || !strings.Contains(err.Error(), `now "1.2.5"`) {
		t.Fatalf("Bump = %v, want the value changed", err)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "VERSION")); string(data) != "1.2.0\n" {
		t.Errorf("VERSION was written: %q", data)
	}
}

// TestDisagree reports the file and line of a value behind the last tag.
func TestDisagree(t *testing.T) {
	root := t.TempDir()
	write(t, root, "pyproject.toml", "[project]\nname = \"seed\"\nversion = \"0.1.0\"\n")
	write(t, root, "package.json", "{\n  \"version\": \"1.2.0\"\n}\n")
	files, _, err := Detect(root)
	if err != nil {
		t.Fatal(err)
	}
	got := Disagree(files, "v1.2.0")
	if len(got) != 1 || got[0].String() != `pyproject.toml:3:12: project.version = "0.1.0"` {
		t.Fatalf("Disagree = %v", got)
	}
}

// TestExplicit locates configured entries of each format, and a bad entry
// is an error naming it.
func TestExplicit(t *testing.T) {
	root := t.TempDir()
	write(t, root, "app.json", "{\r\n  \"meta\": {\"releases\": [{\"version\": \"0.9.0\"}, {\"version\": \"1.2.0\"}]}\r\n}\r\n")
	write(t, root, "deploy/values.yaml", "# values\nimage:\n  repository: ghcr.io/seed/app\n  tag: \"1.2.0\" # app image\n")
	write(t, root, "conf/app.toml", "[app]\n\"release.version\" = \"1.2.0\"\n")
	entries := []Entry{
		{Path: "app.json", JSON: "meta.releases.1.version"},
		{Path: "deploy/values.yaml", YAML: "image.tag"},
		{Path: "conf/app.toml", TOML: `app."release.version"`},
	}
	files, err := Explicit(root, entries)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/TestExplicit.golden", listing(files, nil))
	if _, err := Bump(root, files, "1.3.0"); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, root)
	want := map[string]string{
		"app.json":           "{\r\n  \"meta\": {\"releases\": [{\"version\": \"0.9.0\"}, {\"version\": \"1.3.0\"}]}\r\n}\r\n",
		"deploy/values.yaml": "# values\nimage:\n  repository: ghcr.io/seed/app\n  tag: \"1.3.0\" # app image\n",
		"conf/app.toml":      "[app]\n\"release.version\" = \"1.3.0\"\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after Bump (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		name  string
		entry Entry
		want  string
	}{
		{"NoKey", Entry{Path: "app.json"}, "exactly one of"},
		{"TwoKeys", Entry{Path: "app.json", JSON: "a", YAML: "b"}, "exactly one of"},
		{"Missing", Entry{Path: "nope.json", JSON: "version"}, "does not exist"},
		{"NotAString", Entry{Path: "app.json", JSON: "meta"}, "not a string"},
		{"Absent", Entry{Path: "deploy/values.yaml", YAML: "image.digest"}, "no key image.digest"},
		{"Escaped", Entry{Path: "esc.json", JSON: "version"}, "escapes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			write(t, root, "esc.json", `{"version": "1.2\u002e0"}`)
			_, err := Explicit(root, []Entry{tc.entry})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Explicit = %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestSplitKey(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want []string
		err  bool
	}{
		{key: "version", want: []string{"version"}},
		{key: "tool.poetry.version", want: []string{"tool", "poetry", "version"}},
		{key: `packages."".version`, want: []string{"packages", "", "version"}},
		{key: `a."b.c"`, want: []string{"a", "b.c"}},
		{key: "a..b", err: true},
		{key: "a.", err: true},
		{key: `"a`, err: true},
		{key: `"a"b`, err: true},
	} {
		t.Run(tc.key, func(t *testing.T) {
			got, err := splitKey(tc.key)
			if (err != nil) != tc.err || !tc.err && !cmp.Equal(got, tc.want) {
				t.Fatalf("splitKey(%q) = %q, %v", tc.key, got, err)
			}
			if !tc.err && joinKey(got) != tc.key {
				t.Errorf("joinKey = %q, want %q", joinKey(got), tc.key)
			}
		})
	}
}

// TestDetectSkips: candidates that exist but cannot be used are listed
// with the reason; a marker on a line already found is listed once.
func TestDetectSkips(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"DynamicPyproject", map[string]string{"pyproject.toml": "[project]\nname = \"seed\"\ndynamic = [\"version\"]\n"},
			"skip pyproject.toml: has no string version at project.version or tool.poetry.version\n"},
		{"BrokenTOML", map[string]string{"Cargo.toml": "[package\nversion = \"1.2.0\"\n"},
			"skip Cargo.toml: package.version: parsing TOML: expected ']' to close table name\n"},
		{"TwiceAssigned", map[string]string{"seed/__init__.py": "__version__ = \"1.2.0\"\n__version__ = \"1.2.1\"\n"},
			"skip seed/__init__.py: __version__: the version is assigned twice (lines 1 and 2)\n"},
		{"MarkerWithoutVersion", map[string]string{"Makefile": "VERSION ?= $(shell cat VERSION) # " + Marker + "\n"},
			"skip Makefile: line 1: no version there: line 1 carries " + Marker + " but no version\n"},
		{"MarkerOnAKnownLine", map[string]string{"version.go": "package seed\n\nconst Version = \"1.2.0\" // " + Marker + "\n"},
			"go version.go:3:18: Version = \"1.2.0\"\n"},
		{"CargoWorkspace", map[string]string{
			"Cargo.toml": "[workspace]\nmembers = [\"a\"]\n\n[workspace.package]\nversion = \"1.2.0\"\n",
		}, "Cargo.toml Cargo.toml:5:12: workspace.package.version = \"1.2.0\"\n"},
		{"HiddenAndVendoredAreNotSearched", map[string]string{
			".github/x.yaml":          "v: 1.2.0 # " + Marker + "\n",
			"node_modules/a/index.js": "const v = '1.2.0' // " + Marker + "\n",
			"vendor/b/version.go":     "package b\n\nconst Version = \"1.2.0\"\n",
			"testdata/in/VERSION.txt": "1.2.0 # " + Marker + "\n",
		}, ""},
		{"DeepPackagesAreNotTheProject", map[string]string{
			"src/seed/sub/__init__.py": "__version__ = \"1.2.0\"\n",
			"a/b/c/d/version.go":       "package d\n\nconst Version = \"1.2.0\"\n",
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for name, data := range tc.files {
				write(t, root, name, data)
			}
			files, skips, err := Detect(root)
			if err != nil {
				t.Fatal(err)
			}
			got := listing(files, skips)
			if got != tc.want {
				t.Fatalf("Detect listed:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestDetectDir finds one package's files in a monorepo, with paths from
// the repository root, and refuses a package dir outside it.
func TestDetectDir(t *testing.T) {
	root := t.TempDir()
	write(t, root, "VERSION", "0.1.0\n")
	write(t, root, "packages/web/package.json", "{\"version\": \"2.0.0\"}\n")
	write(t, root, "packages/api/pyproject.toml", "[project]\nversion = \"1.2.0\"\n")
	write(t, root, "packages/api/src/api/__init__.py", "__version__ = \"1.2.0\"\n")
	write(t, root, "packages/api/Dockerfile", "ARG V=1.2.0 # "+Marker+"\n")
	files, skips, err := DetectDir(root, "packages/api")
	if err != nil {
		t.Fatal(err)
	}
	want := "pyproject.toml packages/api/pyproject.toml:2:12: project.version = \"1.2.0\"\n" +
		"python packages/api/src/api/__init__.py:1:16: __version__ = \"1.2.0\"\n" +
		"marker packages/api/Dockerfile:1:7: " + Marker + " = \"1.2.0\"\n"
	if got := listing(files, skips); got != want {
		t.Fatalf("DetectDir listed:\n%s\nwant:\n%s", got, want)
	}
	if _, err := Bump(root, files, "1.3.0"); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "packages/api/pyproject.toml")); string(data) != "[project]\nversion = \"1.3.0\"\n" {
		t.Errorf("pyproject.toml = %q", data)
	}
	if _, _, err := DetectDir(root, "../elsewhere"); !repofs.IsRefused(err) {
		t.Errorf("DetectDir(../elsewhere) = %v, want a refusal", err)
	}
}

// TestShipflowHasNoMarkedLines: this package talks about the marker
// without marking its own lines, so releasing shipflow itself bumps
// nothing by accident.
func TestShipflowHasNoMarkedLines(t *testing.T) {
	files, _, err := Detect("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Kind == KindMarker {
			t.Errorf("%s is a marked line", f)
		}
	}
}

// TestBumpedWritesNothing: Bumped returns the new contents (only the
// value's bytes changed, a file already at the version left out) and
// leaves the files as they are, for a release commit made elsewhere.
func TestBumpedWritesNothing(t *testing.T) {
	root := t.TempDir()
	write(t, root, "VERSION", "1.3.0\n")
	write(t, root, "package.json", "{\r\n  \"version\": \"v1.2.0\"\r\n}\r\n")
	files, _, err := Detect(root)
	if err != nil || len(files) != 2 {
		t.Fatalf("Detect = %v, %v", files, err)
	}
	got, err := Bumped(root, files, "1.3.0")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Path != "package.json" || string(got[0].Data) != "{\r\n  \"version\": \"v1.3.0\"\r\n}\r\n" {
		t.Fatalf("Bumped = %q", got)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "package.json")); string(data) != "{\r\n  \"version\": \"v1.2.0\"\r\n}\r\n" {
		t.Errorf("package.json was written: %q", data)
	}
}
