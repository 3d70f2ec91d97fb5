package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shipflow/shipflow/commitlint"
)

// commitlintFiles are the files commitlint (through cosmiconfig) reads its
// configuration from, in its search order; the first one present wins.
// Script configs are listed so that they are found and refused with a fix
// instead of being silently ignored.
var commitlintFiles = []string{
	"package.json",
	".commitlintrc",
	".commitlintrc.json",
	".commitlintrc.yaml",
	".commitlintrc.yml",
	".commitlintrc.js",
	".commitlintrc.cjs",
	".commitlintrc.mjs",
	"commitlint.config.js",
	"commitlint.config.cjs",
	"commitlint.config.mjs",
	".commitlintrc.ts",
	".commitlintrc.cts",
	".commitlintrc.mts",
	"commitlint.config.ts",
	"commitlint.config.cts",
	"commitlint.config.mts",
}

// commitlintConventional is the one shareable configuration shipflow has
// built in.
const commitlintConventional = "@commitlint/config-conventional"

// commitlintKeys are the keys of a commitlint configuration, with what
// shipflow does with each.
var commitlintKeys = map[string]string{
	"$schema":        "ignored",
	"extends":        "only " + commitlintConventional,
	"rules":          "read",
	"defaultIgnores": "read",
	"helpUrl":        "read",
	"ignores":        "refused",
	"plugins":        "refused",
	"parserPreset":   "conventional-changelog-conventionalcommits only",
	"formatter":      "@commitlint/format only",
	"prompt":         "ignored",
}

// LoadCommitlint reads commitlint's configuration from dir: the first of
// package.json (its "commitlint" key), .commitlintrc, .commitlintrc.json,
// .commitlintrc.yaml and .commitlintrc.yml that exists. file is the name
// of the file used, or "" when there is none; then cfg is
// config-conventional (commitlint.ConventionalConfig).
//
// JavaScript and TypeScript configs (commitlint.config.js, .commitlintrc.ts,
// ...) cannot be read without running them: finding one first is an *Error
// naming the file with a one-line fix. Problems in a file are *Errors with
// the file, line and column. Files are read as repository content, like
// .shipflow.yaml: regular files inside dir of at most MaxFileSize bytes.
func LoadCommitlint(dir string) (cfg commitlint.Config, file string, err error) {
	for _, name := range commitlintFiles {
		if ext := filepath.Ext(name); ext != ".json" && ext != ".yaml" && ext != ".yml" && name != ".commitlintrc" {
			// A script config is refused by name; its content is never read.
			if _, err := os.Lstat(filepath.Join(dir, name)); err != nil {
				continue
			}
			lang := "JavaScript"
			if strings.Contains(ext, "ts") {
				lang = "TypeScript"
			}
			return commitlint.Config{}, name, &Error{File: name, Message: fmt.Sprintf("%s configs are not supported; move the rules to .commitlintrc.json", lang)}
		}
		data, err := readFile(dir, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return commitlint.Config{}, name, err
		}
		if name == "package.json" {
			node, err := commitlintPackageJSON(data)
			if err != nil {
				return commitlint.Config{}, name, err
			}
			if node == nil {
				continue // no "commitlint" key
			}
			cfg, err := commitlintDecode(name, node)
			return cfg, name, err
		}
		cfg, err := ParseCommitlint(name, data)
		return cfg, name, err
	}
	return commitlint.ConventionalConfig(), "", nil
}

// commitlintPackageJSON returns the node of package.json's "commitlint"
// key, or nil when there is none.
func commitlintPackageJSON(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError("package.json", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "commitlint" {
			return root.Content[i+1], nil
		}
	}
	return nil, nil
}

// ParseCommitlint decodes a commitlint configuration file's content (YAML
// or JSON; name is used in errors only). A config that extends
// @commitlint/config-conventional starts from its rules and puts its own
// rules on top; a config without extends has only its own rules. Other
// extends, plugins, parser presets and ignores (JavaScript functions in
// commitlint) are refused; so are unknown keys and rules and bad rule
// values, each as an *Error with the line and column.
func ParseCommitlint(name string, data []byte) (commitlint.Config, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return commitlint.Config{}, &Error{File: name, Message: "the file is empty; add `extends: ['" + commitlintConventional + "']` or a `rules` mapping"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return commitlint.Config{}, yamlError(name, err)
	}
	// An empty document ("---") has a null root placed past the end of
	// the input: say so without a position.
	if len(doc.Content) == 0 || doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null" && doc.Content[0].Value == "" {
		return commitlint.Config{}, &Error{File: name, Message: "the file has no configuration"}
	}
	return commitlintDecode(name, doc.Content[0])
}

// commitlintDecode turns a configuration's root mapping into a Config.
func commitlintDecode(file string, root *yaml.Node) (commitlint.Config, error) {
	bad := func(n *yaml.Node, format string, args ...any) error {
		return &Error{File: file, Line: n.Line, Column: n.Column, Message: fmt.Sprintf(format, args...)}
	}
	if root.Kind != yaml.MappingNode {
		return commitlint.Config{}, bad(root, "the configuration must be a mapping with `extends` and `rules`")
	}
	cfg := commitlint.Config{Rules: map[string]commitlint.RuleConfig{}, DefaultIgnores: true}
	var rules *yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			return commitlint.Config{}, bad(k, "key %q is repeated", k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "$schema", "prompt":
		case "extends":
			exts, err := commitlintStrings(file, v, "extends")
			if err != nil {
				return commitlint.Config{}, err
			}
			for j, ext := range exts {
				at := v
				if v.Kind == yaml.SequenceNode {
					at = v.Content[j]
				}
				if ext != commitlintConventional {
					return commitlint.Config{}, bad(at, "extends %q is not supported: only %q is built in; copy the rules you need from %s into `rules`", ext, commitlintConventional, ext)
				}
				// The file's own rules go on top, after this loop.
				for name, rc := range commitlint.ConventionalConfig().Rules {
					cfg.Rules[name] = rc
				}
			}
		case "rules":
			if v.Kind != yaml.MappingNode {
				return commitlint.Config{}, bad(v, "`rules` must be a mapping of rule names to [level, \"always\"|\"never\", value]")
			}
			rules = v
		case "defaultIgnores":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return commitlint.Config{}, bad(v, "`defaultIgnores` must be true or false, got %s", commitlintShow(v))
			}
			cfg.DefaultIgnores = v.Value == "true"
		case "helpUrl":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				return commitlint.Config{}, bad(v, "`helpUrl` must be a string, got %s", commitlintShow(v))
			}
			cfg.HelpURL = v.Value
		case "plugins":
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				continue
			}
			return commitlint.Config{}, bad(k, "plugins are not supported (they run JavaScript); remove `plugins` and express the checks with the built-in rules")
		case "parserPreset":
			if v.Kind == yaml.ScalarNode && v.Value == "conventional-changelog-conventionalcommits" {
				continue // the grammar shipflow parses anyway
			}
			return commitlint.Config{}, bad(k, "parser presets are not supported: shipflow parses Conventional Commits 1.0.0; remove `parserPreset`")
		case "formatter":
			if v.Kind == yaml.ScalarNode && v.Value == "@commitlint/format" {
				continue
			}
			return commitlint.Config{}, bad(k, "formatters are not supported; remove `formatter` and use `shipflow lint --format`")
		case "ignores":
			return commitlint.Config{}, bad(k, "`ignores` are JavaScript functions in commitlint and are not supported; put regular expressions under `lint.ignores` in .shipflow.yaml")
		default:
			keys := make([]string, 0, len(commitlintKeys))
			for key := range commitlintKeys {
				keys = append(keys, key)
			}
			sort.Strings(keys)
			msg := fmt.Sprintf("unknown key %q", k.Value)
			if best := commitlint.Suggest(k.Value, keys); best != "" {
				msg += fmt.Sprintf("; did you mean %q?", best)
			}
			return commitlint.Config{}, bad(k, "%s; valid keys: %s", msg, strings.Join(keys, ", "))
		}
	}
	if rules != nil {
		seenRule := map[string]bool{}
		for i := 0; i+1 < len(rules.Content); i += 2 {
			k, v := rules.Content[i], rules.Content[i+1]
			if seenRule[k.Value] {
				return commitlint.Config{}, bad(k, "rule %q is repeated", k.Value)
			}
			seenRule[k.Value] = true
			rc, err := commitlintRule(file, k, v)
			if err != nil {
				return commitlint.Config{}, err
			}
			cfg.Rules[k.Value] = rc
		}
	}
	if len(cfg.Rules) == 0 {
		return commitlint.Config{}, bad(root, "no rules: add `extends: ['%s']` or a `rules` mapping", commitlintConventional)
	}
	return cfg, nil
}

// commitlintRule decodes one rule, pointing an error at the item that is
// wrong: the name, the level, "always"/"never" or the value.
func commitlintRule(file string, k, v *yaml.Node) (commitlint.RuleConfig, error) {
	var raw any
	if err := v.Decode(&raw); err != nil {
		return commitlint.RuleConfig{}, &Error{File: file, Line: v.Line, Column: v.Column, Message: fmt.Sprintf("rule %q: %v", k.Value, err)}
	}
	rc, err := commitlint.ParseRuleConfig(k.Value, raw)
	if err == nil {
		return rc, nil
	}
	at := v
	if !slices.Contains(commitlint.RuleNames(), k.Value) {
		at = k
	} else if list, ok := raw.([]any); ok && v.Kind == yaml.SequenceNode && len(v.Content) == len(list) {
		// The first prefix of the list that fails names the bad item.
		for n := 1; n <= len(list) && n <= 3; n++ {
			if _, perr := commitlint.ParseRuleConfig(k.Value, list[:n]); perr != nil {
				at = v.Content[n-1]
				break
			}
		}
		// In a list value, point at the first bad element.
		if len(list) == 3 && at == v.Content[2] && at.Kind == yaml.SequenceNode {
			elems, _ := list[2].([]any)
			for j, e := range elems {
				if _, perr := commitlint.ParseRuleConfig(k.Value, []any{list[0], list[1], []any{e}}); perr != nil && j < len(at.Content) {
					at = at.Content[j]
					break
				}
			}
		}
	}
	return commitlint.RuleConfig{}, &Error{File: file, Line: at.Line, Column: at.Column, Message: err.Error()}
}

// commitlintStrings reads a string or a list of strings.
func commitlintStrings(file string, v *yaml.Node, key string) ([]string, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!str" {
			return []string{v.Value}, nil
		}
	case yaml.SequenceNode:
		out := make([]string, 0, len(v.Content))
		for _, c := range v.Content {
			if c.Kind != yaml.ScalarNode || c.Tag != "!!str" {
				return nil, &Error{File: file, Line: c.Line, Column: c.Column, Message: fmt.Sprintf("`%s` must list package names, got %s", key, commitlintShow(c))}
			}
			out = append(out, c.Value)
		}
		return out, nil
	}
	return nil, &Error{File: file, Line: v.Line, Column: v.Column, Message: fmt.Sprintf("`%s` must be a package name or a list of them, got %s", key, commitlintShow(v))}
}

// commitlintShow names a node's value for an error message.
func commitlintShow(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!str" {
		return fmt.Sprintf("%q", n.Value)
	}
	return n.Value
}
