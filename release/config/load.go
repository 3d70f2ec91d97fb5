package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/shipflow/shipflow/commitlint"
	"go.yaml.in/yaml/v3"
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

// Load reads `.shipflow.yaml` from dir. A missing file is not an error: it
// yields the zero Config (all defaults) and found == false.
func Load(dir string) (cfg *Config, found bool, err error) {
	path := filepath.Join(dir, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading configuration: %w", err)
	}
	cfg, err = Parse(FileName, data)
	if err != nil {
		return nil, true, err
	}
	return cfg, true, nil
}

// Parse decodes `.shipflow.yaml` content strictly: an unknown key, a value
// of the wrong kind or a repeated key is an *Error naming the file, line and
// column. name is used in errors only.
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
	if err := checkKeys(name, root, reflect.TypeOf(*cfg), ""); err != nil {
		return nil, err
	}
	if err := root.Decode(cfg); err != nil {
		return nil, yamlError(name, err)
	}
	return cfg, nil
}

// checkKeys walks a mapping node against a struct type and reports the first
// key that is unknown or repeated, with its position. yaml.v3's KnownFields
// reports only a line; users deserve the column and the valid keys.
func checkKeys(file string, n *yaml.Node, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.AliasNode:
		return checkKeys(file, n.Alias, t, path)
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
				if err := checkKeys(file, v, ft, join(path, k.Value)); err != nil {
					return err
				}
			}
		case reflect.Map:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if err := checkKeys(file, n.Content[i+1], t.Elem(), join(path, n.Content[i].Value)); err != nil {
					return err
				}
			}
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, c := range n.Content {
				if err := checkKeys(file, c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
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
