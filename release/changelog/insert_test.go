package changelog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const handWritten = `# Changelog

All notable changes to this project are documented here.
Keep this paragraph.
`

const oldSections = `## [1.1.0](https://github.com/o/r/compare/v1.0.0...v1.1.0) (2024-01-02)


### Features

* old feature

### [1.0.1](https://github.com/o/r/compare/v1.0.0...v1.0.1) (2023-12-01)

* old fix
`

func TestInsert(t *testing.T) {
	section := "## [1.2.0](https://github.com/o/r/compare/v1.1.0...v1.2.0) (2024-05-01)\n\n\n### Bug Fixes\n\n* new fix\n"
	tests := []struct {
		name   string
		doc    string
		marker string
		want   string
		added  bool
	}{
		{
			name: "above first heading", doc: handWritten + "\n" + oldSections, marker: DefaultMarker,
			want:  handWritten + "\n" + section + "\n" + oldSections,
			added: true,
		},
		{
			name: "below marker", doc: "# Log\n\n" + DefaultMarker + "\n\nNotes kept below the marker.\n\n" + oldSections, marker: DefaultMarker,
			want:  "# Log\n\n" + DefaultMarker + "\n\n" + section + "\nNotes kept below the marker.\n\n" + oldSections,
			added: true,
		},
		{
			name: "marker at end without newline", doc: "# Log\n" + DefaultMarker, marker: DefaultMarker,
			want:  "# Log\n" + DefaultMarker + "\n\n" + section,
			added: true,
		},
		{
			name: "marker ignored when empty", doc: "# Log\n\n" + DefaultMarker + "\n\n" + oldSections, marker: "",
			want:  "# Log\n\n" + DefaultMarker + "\n\n" + section + "\n" + oldSections,
			added: true,
		},
		{
			name: "empty file", doc: "", want: DefaultHeader + "\n" + section, added: true,
		},
		{
			name: "no version heading yet", doc: handWritten, want: handWritten + "\n" + section, added: true,
		},
		{
			name: "no trailing newline", doc: "# Changelog", want: "# Changelog\n\n" + section, added: true,
		},
		{
			name: "trailing blank line kept single", doc: "# Changelog\n\n", want: "# Changelog\n\n" + section, added: true,
		},
		{
			name: "heading in a code block is not a version", doc: "# Changelog\n\n```\n## 0.9.0\n```\n\n" + oldSections,
			want:  "# Changelog\n\n```\n## 0.9.0\n```\n\n" + section + "\n" + oldSections,
			added: true,
		},
		{
			name: "idempotent", doc: handWritten + "\n" + section + "\n" + oldSections,
			want: handWritten + "\n" + section + "\n" + oldSections,
		},
		{
			name: "idempotent with v prefix and no link", doc: "# Changelog\n\n## v1.2.0 (2024-05-01)\n\n* x\n",
			want: "# Changelog\n\n## v1.2.0 (2024-05-01)\n\n* x\n",
		},
		{
			name: "idempotent keepachangelog heading", doc: "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2024-05-01\n",
			want: "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2024-05-01\n",
		},
		// A CRLF file gets a CRLF section, not mixed line endings.
		{
			name: "CRLF file", doc: "# Changelog\r\n\r\n## [1.1.0] (x)\r\n",
			want:  "# Changelog\r\n\r\n" + crlf(section) + "\r\n## [1.1.0] (x)\r\n",
			added: true,
		},
		{
			name: "CRLF above first heading", doc: crlf(handWritten + "\n" + oldSections), marker: DefaultMarker,
			want:  crlf(handWritten + "\n" + section + "\n" + oldSections),
			added: true,
		},
		{
			name: "CRLF below marker", doc: crlf("# Log\n\n" + DefaultMarker + "\n\nNotes kept below the marker.\n\n" + oldSections), marker: DefaultMarker,
			want:  crlf("# Log\n\n" + DefaultMarker + "\n\n" + section + "\nNotes kept below the marker.\n\n" + oldSections),
			added: true,
		},
		{
			name: "CRLF marker at end without newline", doc: "# Log\r\n" + DefaultMarker, marker: DefaultMarker,
			want:  crlf("# Log\n" + DefaultMarker + "\n\n" + section),
			added: true,
		},
		{
			name: "CRLF no version heading yet", doc: crlf(handWritten), want: crlf(handWritten + "\n" + section), added: true,
		},
		{
			name: "CRLF heading on the first line", doc: crlf(oldSections), want: crlf(section + "\n" + oldSections), added: true,
		},
		{
			name: "mixed line endings get LF", doc: "# Changelog\r\nHand text.\n\n## [1.1.0] (x)\r\n",
			want:  "# Changelog\r\nHand text.\n\n" + section + "\n## [1.1.0] (x)\r\n",
			added: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, added := Insert([]byte(tt.doc), "1.2.0", section, tt.marker)
			if added != tt.added {
				t.Errorf("added = %v, want %v", added, tt.added)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Insert() (-want +got):\n%s", diff)
			}
			// Insert-only: what was there is still there, byte for byte,
			// before and after the new section.
			if added && tt.doc != "" {
				sec := section
				if !bytes.Contains(got, []byte(sec)) {
					sec = crlf(section)
				}
				i := bytes.Index(got, []byte(strings.TrimRight(sec, "\r\n")))
				before, after := string(got[:i]), string(got[i+len(sec):])
				if !strings.HasPrefix(tt.doc, strings.TrimRight(before, "\r\n")) || !strings.HasSuffix(tt.doc, strings.TrimLeft(after, "\r\n")) {
					t.Errorf("Insert changed existing text:\nbefore %q\nafter %q", before, after)
				}
			}
			// An all-CRLF file stays all-CRLF.
			if strings.Contains(tt.doc, "\r\n") && strings.Count(tt.doc, "\n") == strings.Count(tt.doc, "\r\n") {
				if n := strings.Count(string(got), "\n") - strings.Count(string(got), "\r\n"); n > 0 {
					t.Errorf("Insert wrote %d LF line endings into a CRLF file", n)
				}
			}
			// Running again adds nothing.
			again, added := Insert(got, "1.2.0", section, tt.marker)
			if added || !bytes.Equal(again, got) {
				t.Errorf("second Insert changed the file")
			}
		})
	}
}

// crlf returns s with its LF line endings turned into CRLF.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestVersions(t *testing.T) {
	doc := handWritten + "\n# [2.0.0](x) (d)\n## 1.2.0-rc.1\n### [1.0.1](x)\n#### 0.9.0\n## Not a version\n## [v0.1.0]\n"
	want := []string{"2.0.0", "1.2.0-rc.1", "1.0.1", "0.1.0"}
	if diff := cmp.Diff(want, Versions([]byte(doc))); diff != "" {
		t.Errorf("Versions() (-want +got):\n%s", diff)
	}
	if !HasVersion([]byte(doc), "v1.0.1") || HasVersion([]byte(doc), "1.0.2") {
		t.Errorf("HasVersion wrong")
	}
}

func TestRebuild(t *testing.T) {
	sections := []string{"## 1.2.0\n\n* c\n", "## 1.1.0\n\n* b\n"}
	// Versions 1.0.1, 1.1.0 and 1.2.0 have tags; the others were written
	// by hand.
	untagged := func(v string) bool { return v != "1.0.1" && v != "1.1.0" && v != "1.2.0" }
	const preHistory = "## 0.9.0 (2019-03-01)\n\nWritten by hand, before git.\n\n### 0.8.1\n\n* a fix\n"
	for _, tt := range []struct {
		name, doc, marker, want string
		keep                    func(string) bool
		kept                    []string
	}{
		{name: "keeps text above", doc: handWritten + "\n" + oldSections, marker: DefaultMarker, want: handWritten + "\n## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n"},
		{name: "marker", doc: "# Log\n" + DefaultMarker + "\nold\n" + oldSections, marker: DefaultMarker, want: "# Log\n" + DefaultMarker + "\n\n## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n"},
		{name: "empty", want: DefaultHeader + "\n## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n"},
		{name: "starts with a version", doc: oldSections, want: "## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n"},
		{
			name: "keeps untagged sections below", doc: handWritten + "\n" + oldSections + "\n" + preHistory, keep: untagged,
			want: handWritten + "\n## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n\n" + preHistory,
			kept: []string{"0.9.0", "0.8.1"},
		},
		{
			name: "keeps untagged sections in version order", doc: "# Log\n\n## 1.1.5\n\nhand\n\n## 0.9.0\n\nold\n\n## 1.3.0\n\nmisplaced\n", keep: untagged,
			want: "# Log\n\n## 1.3.0\n\nmisplaced\n\n## 1.2.0\n\n* c\n\n## 1.1.5\n\nhand\n\n## 1.1.0\n\n* b\n\n## 0.9.0\n\nold\n",
			kept: []string{"1.3.0", "1.1.5", "0.9.0"},
		},
		{
			name: "CRLF keeps text above", doc: crlf(handWritten + "\n" + oldSections),
			want: crlf(handWritten + "\n## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n"),
		},
		{
			name: "CRLF marker", doc: crlf("# Log\n" + DefaultMarker + "\nold\n" + oldSections), marker: DefaultMarker,
			want: crlf("# Log\n" + DefaultMarker + "\n\n## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n"),
		},
		{
			name: "CRLF keeps untagged sections byte for byte", doc: crlf(handWritten + "\n" + oldSections + "\n" + preHistory), keep: untagged,
			want: crlf(handWritten + "\n## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n\n" + preHistory),
			kept: []string{"0.9.0", "0.8.1"},
		},
		{
			name: "keeps untagged sections below the marker", doc: "# Log\n" + DefaultMarker + "\n" + oldSections + "\n" + preHistory, marker: DefaultMarker, keep: untagged,
			want: "# Log\n" + DefaultMarker + "\n\n## 1.2.0\n\n* c\n\n## 1.1.0\n\n* b\n\n" + preHistory,
			kept: []string{"0.9.0", "0.8.1"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, kept := Rebuild([]byte(tt.doc), sections, tt.marker, tt.keep)
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Rebuild() (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.kept, kept); diff != "" {
				t.Errorf("Rebuild() kept (-want +got):\n%s", diff)
			}
			// A dry run asks for the kept versions alone.
			if diff := cmp.Diff(tt.kept, RebuildKept([]byte(tt.doc), tt.marker, tt.keep)); diff != "" {
				t.Errorf("RebuildKept() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "CHANGELOG.md")
	if err := WriteFile(path, []byte("one\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new file: %v %v", fi, err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("two\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(got) != "two\n" || fi.Mode().Perm() != 0o640 {
		t.Errorf("after rewrite: %q %v, want \"two\\n\" and the old mode 0640", got, fi.Mode())
	}
	assertNoTemp(t, dir)
}

// TestWriteFileFailureKeepsOld injects a failure after part of the new
// content reached the disk: the old file must stay byte-identical and no
// temporary file may be left behind.
func TestWriteFileFailureKeepsOld(t *testing.T) {
	old := []byte(handWritten + "\n" + oldSections)
	for _, tt := range []struct {
		name string
		hook func(*os.File) error
	}{
		{"disk full after writing", func(*os.File) error { return errors.New("no space left on device") }},
		{"file closed under us", func(f *os.File) error { f.Close(); return nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "CHANGELOG.md")
			if err := os.WriteFile(path, old, 0o644); err != nil {
				t.Fatal(err)
			}
			writeHook = tt.hook
			t.Cleanup(func() { writeHook = nil })
			err := WriteFile(path, []byte("# truncated"), 0o644)
			if err == nil || !strings.Contains(err.Error(), "writing "+path) {
				t.Fatalf("WriteFile() error = %v, want a failure naming the file", err)
			}
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, old) {
				t.Errorf("old file changed after a failed write:\n%s", got)
			}
			assertNoTemp(t, dir)
		})
	}
}

func TestWriteFileErrors(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "missing", "CHANGELOG.md"), []byte("x"), 0o644); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
	if err := WriteFile(dir, []byte("x"), 0o644); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("WriteFile over a directory: %v", err)
	}
	assertNoTemp(t, dir)
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// BenchmarkRender renders a 1000-commit release.
func BenchmarkRender(b *testing.B) {
	rel := benchRelease(1000)
	for _, p := range []Preset{PresetConventionalCommits, PresetAngular} {
		b.Run(string(p), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(rel, WithPreset(p), WithRepository(testRepo)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchRelease(n int) Release {
	types := []string{"feat", "fix", "perf", "chore", "docs", "fix", "feat", "refactor"}
	scopes := []string{"api", "cli", "", "parser", "ui"}
	rel := Release{Version: "2.0.0", PreviousTag: "v1.9.0"}
	for i := range n {
		msg := types[i%len(types)]
		if s := scopes[i%len(scopes)]; s != "" {
			msg += "(" + s + ")"
		}
		msg += ": change number " + itoa(i) + " (#" + itoa(1000+i) + ")\n\nSome body text explaining it.\n\nCloses #" + itoa(i)
		rel.Commits = append(rel.Commits, commit(fmt.Sprintf("%040x", i+1), msg))
	}
	return rel
}

func itoa(i int) string { return strconv.Itoa(i) }
