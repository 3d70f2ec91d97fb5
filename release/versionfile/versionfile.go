// Package versionfile finds the files in a repository that carry its
// version (pyproject.toml, package.json, Cargo.toml, Chart.yaml, __version__,
// VERSION, Go's const Version, any line carrying the Marker comment, and
// explicit entries from the configuration) and bumps them surgically: only
// the version's bytes change, so formatting, comments, key order and line
// endings stay as they were.
//
// It is for the release layer, which lists the files in its plan (Detect,
// Explicit, Disagree) and writes the new version into them before the
// release commit (Bump). Values are located with parsers that report
// positions (go-toml's unstable.Parser, yaml.v3 nodes, encoding/json's
// Decoder.InputOffset); no file is ever re-serialised.
//
// Repository content is untrusted: every path goes through internal/repofs
// (never outside the work tree, never under .git/, no symbolic links out)
// and every write through internal/atomicfile.
package versionfile

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/shipflow/shipflow/internal/repofs"
)

// Kind says what sort of file a version lives in, and so how it is located.
type Kind string

// The kinds Detect and Explicit report.
const (
	KindPyproject   Kind = "pyproject.toml"    // [project].version, [tool.poetry].version
	KindPackageJSON Kind = "package.json"      // the root "version"
	KindPackageLock Kind = "package-lock.json" // the root "version" and packages."".version
	KindCargo       Kind = "Cargo.toml"        // [package].version, [workspace.package].version
	KindCargoLock   Kind = "Cargo.lock"        // the [[package]] whose name is the crate's
	KindChart       Kind = "Chart.yaml"        // version, appVersion
	KindPython      Kind = "python"            // __version__ = "…" in __init__.py / _version.py
	KindGo          Kind = "go"                // const Version = "…" in version.go
	KindPlain       Kind = "VERSION"           // the whole (first line of the) file
	KindMarker      Kind = "marker"            // the version on a line carrying Marker
	KindJSON        Kind = "json"              // explicit entry, Key is a dotted JSON path
	KindTOML        Kind = "toml"              // explicit entry, Key is a dotted TOML key
	KindYAML        Kind = "yaml"              // explicit entry, Key is a dotted YAML path
)

// Marker is the comment that marks a line's version for bumping, as
// release-please's x-release-please-version does.
//
// It is spelled in two parts so that this line is not itself a marked line
// when shipflow releases itself.
const Marker = "shipflow:" + "version"

// MaxSize is the largest version file read, in bytes; bigger files are
// skipped by Detect and refused by Bump. Lock files of large JavaScript
// projects reach a few MiB; 16 MiB leaves room without reading anything
// unbounded.
const MaxSize = 16 << 20

// maxMarkerScan bounds the marker search: files bigger than this are not
// read for a marker, and at most maxMarkerFiles files are read.
const (
	maxMarkerScan  = 1 << 20
	maxMarkerFiles = 20000
)

// File is one version value in one file.
type File struct {
	// Path is slash-separated and relative to the repository root.
	Path string `json:"path"`
	// Kind says how the value is located.
	Kind Kind `json:"kind"`
	// Key names the value in the file: a dotted key path with
	// double-quoted segments where needed (project.version,
	// packages."".version, package.shipflow.version for the
	// Cargo.lock entry named shipflow), __version__, Version, VERSION,
	// or Marker for a marked line.
	Key string `json:"key"`
	// Value is the version as the file has it now.
	Value string `json:"value"`
	// Line and Column (1-based, Column in bytes) are where Value starts.
	Line   int `json:"line"`
	Column int `json:"column"`
}

// String is path:line:col and the key, for plans and findings.
func (f File) String() string {
	return fmt.Sprintf("%s:%d:%d: %s = %q", f.Path, f.Line, f.Column, f.Key, f.Value)
}

// Entry is an explicit version file from the configuration
// (release.version-files). Exactly one of JSON, TOML and YAML names the
// value, as a dotted path (a."b.c".d; a numeric segment indexes a JSON or
// YAML sequence).
type Entry struct {
	Path string `yaml:"path" json:"path"`
	JSON string `yaml:"json,omitempty" json:"json,omitempty"`
	TOML string `yaml:"toml,omitempty" json:"toml,omitempty"`
	YAML string `yaml:"yaml,omitempty" json:"yaml,omitempty"`
}

// Validate reports an entry that names no path or not exactly one key.
func (e Entry) Validate() error {
	if e.Path == "" {
		return errors.New("version file entry has no path")
	}
	n := 0
	for _, k := range []string{e.JSON, e.TOML, e.YAML} {
		if k != "" {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("version file %q: give exactly one of json, toml and yaml (got %d)", e.Path, n)
	}
	return nil
}

func (e Entry) kindKey() (Kind, string) {
	switch {
	case e.JSON != "":
		return KindJSON, e.JSON
	case e.TOML != "":
		return KindTOML, e.TOML
	default:
		return KindYAML, e.YAML
	}
}

// Skip is a candidate version file Detect did not use, and why: it is
// refused (a symbolic link out, too big), does not parse, or has no
// string version where one was expected.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Explicit locates the configured entries. Unlike Detect, an entry that
// cannot be read or located is an error: the configuration asked for it.
func Explicit(root string, entries []Entry) ([]File, error) {
	var out []File
	for _, e := range entries {
		if err := e.Validate(); err != nil {
			return nil, err
		}
		kind, key := e.kindKey()
		data, err := repofs.ReadFile(root, e.Path, MaxSize)
		if err != nil {
			return nil, fmt.Errorf("reading version file: %w", err)
		}
		path, _ := repofs.Clean(e.Path)
		f := File{Path: path, Kind: kind, Key: key}
		sp, err := locate(data, f)
		if err != nil {
			return nil, fmt.Errorf("locating %s in %s: %w", key, path, err)
		}
		out = append(out, sp.file(f, data))
	}
	return out, nil
}

// Disagree returns the files whose value is not version (a leading "v" on
// either side is ignored), in order: the plan reports them with their
// file:line rather than overwriting them silently.
func Disagree(files []File, version string) []File {
	var out []File
	want := strings.TrimPrefix(version, "v")
	for _, f := range files {
		if strings.TrimPrefix(f.Value, "v") != want {
			out = append(out, f)
		}
	}
	return out
}

// Change is one file's new content, as Bumped makes it.
type Change struct {
	Path string // slash-separated, relative to the root
	Data []byte
}

// Bump writes newVersion into every file, changing only the value's
// bytes (see Bumped). A file already at newVersion is not rewritten, so
// Bump is idempotent. It returns the paths it wrote.
func Bump(root string, files []File, newVersion string) ([]string, error) {
	changes, err := Bumped(root, files, newVersion)
	if err != nil {
		return nil, err
	}
	var wrote []string
	for _, c := range changes {
		if err := repofs.WriteFile(root, c.Path, c.Data, 0o644); err != nil {
			return wrote, fmt.Errorf("bumping version files: %w", err)
		}
		wrote = append(wrote, c.Path)
	}
	return wrote, nil
}

// Bumped returns the content of every file with newVersion written in,
// changing only the value's bytes, without writing anything: a release
// pull request commits it through the forge's API. Each file is read
// again and its value located again; a value that is no longer the one
// Detect saw is an error (the file changed underneath). A value with a
// leading "v" keeps it. Files already at newVersion are left out, in the
// order files first names them.
func Bumped(root string, files []File, newVersion string) ([]Change, error) {
	if newVersion == "" || strings.ContainsAny(newVersion, "\"'\\\r\n \t") {
		return nil, fmt.Errorf("bumping version files: %q is not a version", newVersion)
	}
	type edit struct {
		sp  span
		val string
	}
	byPath := map[string][]edit{}
	var order []string
	contents := map[string][]byte{}
	for _, f := range files {
		path, err := repofs.Clean(f.Path)
		if err != nil {
			return nil, fmt.Errorf("bumping version files: %w", err)
		}
		data, ok := contents[path]
		if !ok {
			data, err = repofs.ReadFile(root, path, MaxSize)
			if err != nil {
				return nil, fmt.Errorf("bumping version files: %w", err)
			}
			contents[path] = data
			order = append(order, path)
		}
		sp, err := locate(data, f)
		if err != nil {
			return nil, fmt.Errorf("bumping %s in %s: %w", f.Key, path, err)
		}
		have := string(data[sp.start:sp.end])
		if f.Value != "" && have != f.Value {
			return nil, fmt.Errorf("bumping %s in %s: the value is now %q, not the %q planned", f.Key, path, have, f.Value)
		}
		val := newVersion
		if strings.HasPrefix(have, "v") && !strings.HasPrefix(val, "v") {
			val = "v" + val
		}
		byPath[path] = append(byPath[path], edit{sp, val})
	}
	var out []Change
	for _, path := range order {
		data := contents[path]
		edits := byPath[path]
		// Apply from the end so earlier offsets stay valid; two entries
		// for the same value (listed twice) collapse to one.
		slices.SortFunc(edits, func(a, b edit) int { return b.sp.start - a.sp.start })
		next := slices.Clone(data)
		last := -1
		for _, e := range edits {
			if e.sp.start == last {
				continue
			}
			last = e.sp.start
			next = slices.Concat(next[:e.sp.start], []byte(e.val), next[e.sp.end:])
		}
		if string(next) != string(data) {
			out = append(out, Change{Path: path, Data: next})
		}
	}
	return out, nil
}

// span is a value's byte range in a file.
type span struct{ start, end int }

func (s span) file(f File, data []byte) File {
	f.Value = string(data[s.start:s.end])
	f.Line, f.Column = lineCol(data, s.start)
	return f
}

func lineCol(data []byte, off int) (int, int) {
	line := 1 + strings.Count(string(data[:off]), "\n")
	col := off + 1
	if i := strings.LastIndexByte(string(data[:off]), '\n'); i >= 0 {
		col = off - i
	}
	return line, col
}

// errNoVersion says the file has no string value at the key.
var errNoVersion = errors.New("no version there")

// locate finds f's value in data by f's kind and key.
func locate(data []byte, f File) (span, error) {
	switch f.Kind {
	case KindPyproject, KindCargo, KindTOML:
		path, err := splitKey(f.Key)
		if err != nil {
			return span{}, err
		}
		return tomlFind(data, path)
	case KindCargoLock:
		path, err := splitKey(f.Key)
		if err != nil || len(path) != 3 || path[0] != "package" || path[2] != "version" {
			return span{}, fmt.Errorf("key %q is not package.\"<name>\".version", f.Key)
		}
		return cargoLockFind(data, path[1])
	case KindPackageJSON, KindPackageLock, KindJSON:
		path, err := splitKey(f.Key)
		if err != nil {
			return span{}, err
		}
		return jsonFind(data, path)
	case KindChart, KindYAML:
		path, err := splitKey(f.Key)
		if err != nil {
			return span{}, err
		}
		return yamlFind(data, path)
	case KindPython:
		return regexFind(data, pythonVersion())
	case KindGo:
		return regexFind(data, goVersion())
	case KindPlain:
		return plainFind(data)
	case KindMarker:
		return markerFind(data, f.Line)
	}
	return span{}, fmt.Errorf("unknown version file kind %q", f.Kind)
}

// splitKey splits a dotted key; segments may be double-quoted ("" is the
// empty key, "a.b" a key with a dot).
func splitKey(key string) ([]string, error) {
	var out []string
	for i := 0; i <= len(key); {
		if i < len(key) && key[i] == '"' {
			j := strings.IndexByte(key[i+1:], '"')
			if j < 0 {
				return nil, fmt.Errorf("key %q has an unterminated quote", key)
			}
			out = append(out, key[i+1:i+1+j])
			i += j + 2
		} else {
			j := strings.IndexByte(key[i:], '.')
			if j < 0 {
				j = len(key) - i
			}
			seg := key[i : i+j]
			if seg == "" {
				return nil, fmt.Errorf("key %q has an empty segment: quote it as \"\"", key)
			}
			out = append(out, seg)
			i += j
		}
		if i == len(key) {
			break
		}
		if key[i] != '.' {
			return nil, fmt.Errorf("key %q: expected a dot after a quoted segment", key)
		}
		i++
		if i == len(key) {
			return nil, fmt.Errorf("key %q ends with a dot", key)
		}
	}
	return out, nil
}

// isNotExist reports a candidate that is simply absent.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
