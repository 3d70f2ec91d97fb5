package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/internal/repofs"
)

// Error is a problem in a configuration file, with its place.
type Error struct {
	File         string
	Line, Column int // 1-based; zero when unknown
	Message      string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	default:
		return fmt.Sprintf("%s: %s", e.File, e.Message)
	}
}

// MaxFileSize caps the configuration files shipflow reads from a
// repository (.shipflow.yaml, .commitlintrc.*, package.json): real ones are
// a few kilobytes, and a 50 MB file took 9.6 s and 300 MB to parse.
const MaxFileSize = 1 << 20

// Load reads `.shipflow.yaml` from dir. A missing file is not an error: it
// yields the zero Config (all defaults) and found == false. The file is read
// as repository content (package repofs): a regular file inside dir, of at
// most MaxFileSize bytes; a link out of the repository is refused.
func Load(dir string) (cfg *Config, found bool, err error) {
	data, err := readFile(dir, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	cfg, err = Parse(FileName, data)
	if err != nil {
		return nil, true, err
	}
	if src := cfg.Image.src; src != nil {
		src.dir = dir
	}
	// Parse could not tell which packages are Go modules (dir/v tags).
	if err := cfg.checkPackages(func(d string) bool { return HasGoMod(dir, d) }); err != nil {
		return nil, true, err
	}
	return cfg, true, nil
}

// readFile reads a configuration file of dir through repofs, capped at
// MaxFileSize; a refusal is an *Error naming the file.
func readFile(dir, name string) ([]byte, error) {
	data, err := repofs.ReadFile(dir, name, MaxFileSize)
	var re *repofs.Error
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, err
	case errors.As(err, &re):
		return nil, &Error{File: name, Message: "the file " + re.Reason + " (configuration files are read up to 1 MiB, from inside the repository)"}
	default:
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
}

// Parse decodes `.shipflow.yaml` content strictly: an unknown key, a value
// of the wrong kind or a repeated key is an *Error naming the file, line and
// column. name is used in errors only.
//
// Paths (changelog.file, changelog.template, image.ca-file, test.junit) are
// repository content and must stay inside it: one that is absolute, leaves
// the repository with "..", or names something under .git/ is an *Error
// at its value. Symbolic links are checked where the files are used.
func Parse(name string, data []byte) (*Config, error) {
	cfg := &Config{}
	if len(bytes.TrimSpace(data)) == 0 {
		return cfg, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 {
		return cfg, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			return cfg, nil
		}
		return nil, &Error{File: name, Line: root.Line, Column: root.Column, Message: "the configuration must be a mapping of sections (lint:, version:, changelog:, ...)"}
	}
	src := &source{file: name, pos: map[string]Position{}}
	if err := checkKeys(src, root, reflect.TypeOf(*cfg), ""); err != nil {
		return nil, err
	}
	if err := root.Decode(cfg); err != nil {
		return nil, yamlError(name, err)
	}
	cfg.Changelog.src, cfg.Test.src, cfg.Image.src, cfg.Release.src, cfg.PR.src = src, src, src, src, src
	if err := checkPaths(cfg); err != nil {
		return nil, err
	}
	for i := range cfg.Packages {
		cfg.Packages[i].src = src
	}
	if err := cfg.checkPackages(nil); err != nil {
		return nil, err
	}
	if _, err := cfg.Changelog.FoldPrereleases(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkPaths refuses path values that leave the repository or enter .git/
// (D1: `changelog.file: .git/config` wrote core.fsmonitor there, and the
// next git command ran it).
func checkPaths(cfg *Config) error {
	check := func(s *source, key, value string) error {
		if value == "" {
			return nil // the default
		}
		if _, err := repofs.Clean(value); err != nil {
			return s.errorf(key, "%v", err)
		}
		return nil
	}
	if err := check(cfg.Changelog.src, "changelog.file", cfg.Changelog.File); err != nil {
		return err
	}
	if err := check(cfg.Changelog.src, "changelog.template", cfg.Changelog.Template); err != nil {
		return err
	}
	if err := check(cfg.Image.src, "image.ca-file", cfg.Image.CAFile); err != nil {
		return err
	}
	if err := cfg.PR.check(); err != nil {
		return err
	}
	if err := cfg.Release.checkMode(); err != nil {
		return err
	}
	if err := cfg.Release.checkVersionFiles(); err != nil {
		return err
	}
	for i, g := range cfg.Test.JUnit {
		if g == "" {
			return cfg.Test.src.errorf(fmt.Sprintf("test.junit[%d]", i), "is empty: give a glob of JUnit XML files relative to the repository root")
		}
		if err := check(cfg.Test.src, fmt.Sprintf("test.junit[%d]", i), g); err != nil {
			return err
		}
	}
	return nil
}

// Position is where a value is in a configuration file; 1-based, zero when
// unknown (a section built in code, a value merged in with `<<`).
type Position struct {
	Line, Column int
}

// source is the file a section was parsed from and the position of every
// value in it, by dotted key ("changelog.file", "test.junit[1]"), so that
// problems found after parsing (a template that links out of the
// repository) still point at the value.
type source struct {
	file string
	pos  map[string]Position
	dir  string // the directory Load read the file from; "" after Parse
}

// errorf returns an *Error about key's value: "FILE:LINE:COL: KEY: message".
// s may be nil (a section built in code): then the error names FileName.
func (s *source) errorf(key, format string, a ...any) *Error {
	e := &Error{File: FileName, Message: key + ": " + fmt.Sprintf(format, a...)}
	if s != nil {
		e.File = s.file
		p := s.pos[key]
		e.Line, e.Column = p.Line, p.Column
	}
	return e
}

// checkKeys walks a mapping node against a struct type and reports the first
// key that is unknown or repeated, with its position. yaml.v3's KnownFields
// reports only a line; users deserve the column and the valid keys. It
// records the position of every value in src.pos as it goes.
func checkKeys(src *source, n *yaml.Node, t reflect.Type, path string) error {
	file := src.file
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if _, ok := src.pos[path]; !ok && path != "" {
		src.pos[path] = Position{Line: n.Line, Column: n.Column}
	}
	switch n.Kind {
	case yaml.AliasNode:
		return checkKeys(src, n.Alias, t, path)
	case yaml.MappingNode:
		switch t.Kind() {
		case reflect.Struct:
			fields := yamlFields(t)
			seen := map[string]bool{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "<<" {
					continue // merge keys are checked through their alias
				}
				if seen[k.Value] {
					return &Error{File: file, Line: k.Line, Column: k.Column, Message: fmt.Sprintf("key %q is repeated in %s", k.Value, where(path))}
				}
				seen[k.Value] = true
				ft, ok := fields[k.Value]
				if !ok {
					return &Error{File: file, Line: k.Line, Column: k.Column, Message: unknownKey(k.Value, path, fields)}
				}
				if err := checkKeys(src, v, ft, join(path, k.Value)); err != nil {
					return err
				}
			}
		case reflect.Map:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if err := checkKeys(src, n.Content[i+1], t.Elem(), join(path, n.Content[i].Value)); err != nil {
					return err
				}
			}
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, c := range n.Content {
				if err := checkKeys(src, c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func where(path string) string {
	if path == "" {
		return "the top level"
	}
	return "`" + path + "`"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func unknownKey(key, path string, fields map[string]reflect.Type) string {
	var names []string
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	msg := fmt.Sprintf("unknown key %q in %s", key, where(path))
	if best := commitlint.Suggest(key, names); best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	if len(names) == 0 {
		return msg + "; this section takes no keys yet"
	}
	return msg + "; valid keys: " + strings.Join(names, ", ")
}

// yamlFields maps yaml key names to field types, following inline structs.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				fields[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Type
	}
	return fields
}

// yamlError turns a yaml.v3 error into an *Error with the line it names.
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	var line int
	if strings.HasPrefix(msg, "line ") {
		if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
			_, rest, _ := strings.Cut(msg, ": ")
			msg = rest
		}
	}
	return &Error{File: file, Line: line, Message: msg}
}
