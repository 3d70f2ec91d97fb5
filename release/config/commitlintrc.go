package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/internal/repofs"
)

// commitlintFiles are the files commitlint (through cosmiconfig) reads its
// configuration from, in its search order; the first one present wins.
// Script configs are evaluated by a ScriptLoader.
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

// commitlintConventional and commitlintAngular are the shareable
// configurations shipflow has built in.
const (
	commitlintConventional = "@commitlint/config-conventional"
	commitlintAngular      = "@commitlint/config-angular"
)

// commitlintKeys are the keys of a commitlint configuration; others are
// ignored with a warning, as commitlint ignores them.
var commitlintKeys = []string{"$schema", "defaultIgnores", "extends", "formatter", "helpUrl", "ignores", "parserPreset", "plugins", "prompt", "rules"}

// ScriptLoader evaluates JavaScript and TypeScript configurations
// (release/jsconfig's Loader does, sandboxed). Values are plain Go data:
// map[string]any, []any, strings, numbers, bools, nil, and functions as
// values with a CallJS method.
type ScriptLoader interface {
	// Load evaluates a configuration file (relative to the repository).
	Load(file string) (any, error)
	// Require resolves a shareable configuration or plugin package as
	// require() would from the file from.
	Require(from, name string) (any, error)
}

// scriptFunc is a function of a script configuration.
type scriptFunc interface {
	CallJS(args ...any) (any, error)
}

// CommitlintOptions tune LoadCommitlintWith.
type CommitlintOptions struct {
	// File, when set, is the configuration to read (commitlint's
	// --config), relative to dir; no other file is looked for.
	File string
	// Scripts evaluates script configurations and node_modules packages
	// named in extends and plugins; nil refuses them.
	Scripts ScriptLoader
}

// CommitlintResult is a loaded commitlint configuration.
type CommitlintResult struct {
	Config commitlint.Config
	// File is the file read, "" when there is none (config-conventional).
	File string
	// Warnings are things read and ignored, as commitlint ignores them
	// (unknown keys, parser options shipflow does not honour).
	Warnings []string
}

// LoadCommitlint reads commitlint's configuration from dir: the first of
// package.json (its "commitlint" key), .commitlintrc, .commitlintrc.json,
// .commitlintrc.yaml and .commitlintrc.yml that exists. file is the name
// of the file used, or "" when there is none; then cfg is
// config-conventional (commitlint.ConventionalConfig).
//
// JavaScript and TypeScript configs are refused here (an *Error naming the
// file with a one-line fix); LoadCommitlintWith evaluates them. Problems in
// a file are *Errors with the file, line and column. Files are read as
// repository content, like .shipflow.yaml: regular files inside dir of at
// most MaxFileSize bytes.
func LoadCommitlint(dir string) (cfg commitlint.Config, file string, err error) {
	r, err := LoadCommitlintWith(dir, CommitlintOptions{})
	return r.Config, r.File, err
}

// isScript reports whether a configuration file is JavaScript or
// TypeScript.
func isScript(name string) bool {
	ext := filepath.Ext(name)
	return ext != ".json" && ext != ".yaml" && ext != ".yml" && filepath.Base(name) != ".commitlintrc" && filepath.Base(name) != "package.json"
}

// LoadCommitlintWith reads commitlint's configuration from dir, in
// commitlint's search order (package.json, .commitlintrc,
// .commitlintrc.{json,yaml,yml,js,cjs,mjs}, commitlint.config.{js,cjs,mjs},
// .commitlintrc.{ts,cts,mts}, commitlint.config.{ts,cts,mts}), or the file
// opts.File names. Script configurations are evaluated by opts.Scripts.
func LoadCommitlintWith(dir string, opts CommitlintOptions) (CommitlintResult, error) {
	names := commitlintFiles
	if opts.File != "" {
		name, err := commitlintExplicit(dir, opts.File)
		if err != nil {
			return CommitlintResult{File: opts.File}, err
		}
		names = []string{name}
	}
	for _, name := range names {
		res := CommitlintResult{File: name}
		d := &commitlintDecoder{file: name, scripts: opts.Scripts, funcs: map[*yaml.Node]scriptFunc{}}
		if isScript(name) {
			if _, err := os.Lstat(filepath.Join(dir, name)); err != nil {
				if opts.File != "" {
					return res, &Error{File: name, Message: "no such file"}
				}
				continue
			}
			if opts.Scripts == nil {
				lang := "JavaScript"
				if strings.Contains(filepath.Ext(name), "ts") {
					lang = "TypeScript"
				}
				return res, &Error{File: name, Message: fmt.Sprintf("%s configs are not supported; move the rules to .commitlintrc.json", lang)}
			}
			v, err := opts.Scripts.Load(name)
			if err != nil {
				return res, err
			}
			if v == nil {
				return res, &Error{File: name, Message: "the configuration exports nothing; export an object with `extends` and `rules` (module.exports = {...} or export default {...})"}
			}
			res.Config, err = d.decode(d.node(v))
			res.Warnings = d.warnings
			return res, err
		}
		data, err := readFile(dir, name)
		if errors.Is(err, fs.ErrNotExist) {
			if opts.File != "" {
				return res, &Error{File: name, Message: "no such file"}
			}
			continue
		}
		if err != nil {
			return res, err
		}
		if filepath.Base(name) == "package.json" {
			node, err := commitlintPackageJSON(data)
			if err != nil {
				return res, err
			}
			if node == nil {
				if opts.File != "" {
					return res, &Error{File: name, Message: "no \"commitlint\" key"}
				}
				continue // no "commitlint" key
			}
			res.Config, err = d.decode(node)
			res.Warnings = d.warnings
			return res, err
		}
		root, err := commitlintRoot(name, data)
		if err != nil {
			return res, err
		}
		res.Config, err = d.decode(root)
		res.Warnings = d.warnings
		return res, err
	}
	return CommitlintResult{Config: commitlint.ConventionalConfig()}, nil
}

// commitlintExplicit checks the --config name: inside dir, slash-separated.
func commitlintExplicit(dir, file string) (string, error) {
	name := file
	if filepath.IsAbs(name) {
		rel, err := filepath.Rel(dir, name)
		if err != nil || strings.HasPrefix(rel, "..") {
			return "", &Error{File: file, Message: "the configuration must be inside the repository"}
		}
		name = rel
	}
	name = filepath.ToSlash(filepath.Clean(name))
	if _, err := repofs.Clean(name); err != nil {
		return "", &Error{File: file, Message: "the configuration must be inside the repository: " + err.Error()}
	}
	return name, nil
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
// @commitlint/config-conventional or @commitlint/config-angular starts
// from its rules and puts its own rules on top; a config without extends
// has only its own rules. Other extends, plugins and ignores (JavaScript in
// commitlint) are refused, and so are unknown rules and bad rule values,
// each as an *Error with the line and column; unknown keys are ignored.
func ParseCommitlint(name string, data []byte) (commitlint.Config, error) {
	root, err := commitlintRoot(name, data)
	if err != nil {
		return commitlint.Config{}, err
	}
	d := &commitlintDecoder{file: name, funcs: map[*yaml.Node]scriptFunc{}}
	return d.decode(root)
}

// commitlintRoot parses a YAML or JSON configuration's root node.
func commitlintRoot(name string, data []byte) (*yaml.Node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: name, Message: "the file is empty; add `extends: ['" + commitlintConventional + "']` or a `rules` mapping"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	// An empty document ("---") has a null root placed past the end of
	// the input: say so without a position.
	if len(doc.Content) == 0 || doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null" && doc.Content[0].Value == "" {
		return nil, &Error{File: name, Message: "the file has no configuration"}
	}
	return doc.Content[0], nil
}

// commitlintDecoder decodes one configuration and what it extends.
type commitlintDecoder struct {
	file    string
	scripts ScriptLoader
	// funcs are the script functions of nodes made from script values.
	funcs    map[*yaml.Node]scriptFunc
	warnings []string
	depth    int

	cfg commitlint.Config
	// rules are the rules as configured, checked once plugins are known.
	rules     map[string]*yaml.Node
	ruleKeys  map[string]*yaml.Node
	ruleFiles map[string]string
	// localRules are the last local plugin's rules (commitlint keeps only
	// the last object in plugins); named are packages' rules.
	localRules, namedRules map[string]scriptFunc
}

// decode turns a configuration's root mapping into a Config.
func (d *commitlintDecoder) decode(root *yaml.Node) (commitlint.Config, error) {
	d.cfg = commitlint.Config{Rules: map[string]commitlint.RuleConfig{}, DefaultIgnores: true}
	d.rules = map[string]*yaml.Node{}
	d.ruleFiles = map[string]string{}
	d.ruleKeys = map[string]*yaml.Node{}
	if err := d.layer(d.file, root, true); err != nil {
		return commitlint.Config{}, err
	}
	plugins := map[string]scriptFunc{}
	for name, f := range d.namedRules {
		plugins[name] = f
	}
	for name, f := range d.localRules {
		plugins[name] = f
	}
	names := make([]string, 0, len(d.rules))
	for name := range d.rules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := d.rules[name]
		if f, ok := plugins[name]; ok {
			var raw any
			if err := v.Decode(&raw); err != nil {
				return commitlint.Config{}, d.bad(d.ruleFiles[name], v, "rule %q: %v", name, err)
			}
			rc, err := commitlint.ParsePluginRuleConfig(name, raw)
			if err != nil {
				return commitlint.Config{}, d.bad(d.ruleFiles[name], v, "%v", err)
			}
			d.cfg.Rules[name] = rc
			if d.cfg.Plugins == nil {
				d.cfg.Plugins = map[string]commitlint.PluginRule{}
			}
			d.cfg.Plugins[name] = pluginRule(f)
			continue
		}
		k := d.ruleKeys[name]
		if k == nil {
			k = &yaml.Node{Kind: yaml.ScalarNode, Value: name, Line: v.Line, Column: v.Column}
		}
		rc, err := commitlintRule(d.ruleFiles[name], k, v)
		if err != nil {
			return commitlint.Config{}, err
		}
		d.cfg.Rules[name] = rc
	}
	if len(d.cfg.Rules) == 0 {
		return commitlint.Config{}, d.bad(d.file, root, "no rules: add `extends: ['%s']` or a `rules` mapping", commitlintConventional)
	}
	return d.cfg, nil
}

// pluginRule wraps a plugin's rule function: it is called with the
// parsed commit in commitlint's shape, "always" or "never" and the value,
// and returns [ok, message]. A rule that throws fails with the error.
func pluginRule(f scriptFunc) commitlint.PluginRule {
	return func(c *commitlint.Commit, always bool, value any) (bool, string) {
		when := "never"
		if always {
			when = "always"
		}
		out, err := f.CallJS(c.Parsed(), when, value)
		if err != nil {
			return false, "the plugin rule failed: " + err.Error()
		}
		list, _ := out.([]any)
		if len(list) == 0 {
			return false, "the plugin rule returned no [valid, message] pair"
		}
		ok, _ := list[0].(bool)
		msg := ""
		if len(list) > 1 && list[1] != nil {
			msg = fmt.Sprint(list[1])
		}
		return ok, msg
	}
}

func (d *commitlintDecoder) bad(file string, n *yaml.Node, format string, args ...any) error {
	return &Error{File: file, Line: n.Line, Column: n.Column, Message: fmt.Sprintf(format, args...)}
}

// show names a node's value for an error message.
func (d *commitlintDecoder) show(n *yaml.Node) string {
	if _, ok := d.funcs[n]; ok {
		return "a function"
	}
	return commitlintShow(n)
}

// layer applies one configuration (the file's, or one it extends) on top
// of what d has: extends first, then its own keys, as commitlint merges.
func (d *commitlintDecoder) layer(file string, root *yaml.Node, top bool) error {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > 16 {
		return d.bad(file, root, "extends nest deeper than 16 configurations (a cycle?)")
	}
	if root.Kind != yaml.MappingNode {
		return d.bad(file, root, "the configuration must be a mapping with `extends` and `rules`")
	}
	seen := map[string]bool{}
	var ext *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if seen[k.Value] {
			return d.bad(file, k, "key %q is repeated", k.Value)
		}
		seen[k.Value] = true
		if k.Value == "extends" {
			ext = root.Content[i+1]
		}
	}
	if ext != nil {
		if err := d.extends(file, ext); err != nil {
			return err
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "$schema", "prompt", "extends":
		case "rules":
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.MappingNode {
				return d.bad(file, v, "`rules` must be a mapping of rule names to [level, \"always\"|\"never\", value]")
			}
			seenRule := map[string]bool{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				rk, rv := v.Content[j], v.Content[j+1]
				if seenRule[rk.Value] {
					return d.bad(file, rk, "rule %q is repeated", rk.Value)
				}
				seenRule[rk.Value] = true
				if f, ok := d.funcs[rv]; ok {
					// A rule computed by a function: commitlint calls it
					// (and awaits it) while loading.
					out, err := f.CallJS()
					if err != nil {
						return err
					}
					rv = d.node(out)
					rv.Line, rv.Column = rk.Line, rk.Column
				}
				if rv.Line == 0 {
					rv.Line, rv.Column = rk.Line, rk.Column
				}
				d.rules[rk.Value] = rv
				d.ruleKeys[rk.Value] = rk
				d.ruleFiles[rk.Value] = file
			}
		case "defaultIgnores":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return d.bad(file, v, "`defaultIgnores` must be true or false, got %s", d.show(v))
			}
			d.cfg.DefaultIgnores = v.Value == "true"
		case "helpUrl":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				return d.bad(file, v, "`helpUrl` must be a string, got %s", d.show(v))
			}
			d.cfg.HelpURL = v.Value
		case "plugins":
			if err := d.plugins(file, v); err != nil {
				return err
			}
		case "parserPreset":
			if err := d.parserPreset(file, k, v); err != nil {
				return err
			}
		case "formatter":
			if v.Kind == yaml.ScalarNode && v.Value == "@commitlint/format" {
				continue
			}
			d.warnings = append(d.warnings, fmt.Sprintf("%s: `formatter` %s is ignored; shipflow lint prints with --format", file, d.show(v)))
		case "ignores":
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.SequenceNode {
				return d.bad(file, v, "`ignores` must be a list of functions (message) => boolean, got %s", d.show(v))
			}
			// A configuration's ignores replace what it extends.
			var fns []func(string) bool
			for _, e := range v.Content {
				f, ok := d.funcs[e]
				if !ok {
					return d.bad(file, e, "`ignores` entries are JavaScript functions (message) => boolean, got %s; in a JSON or YAML config, put regular expressions under `lint.ignores` in .shipflow.yaml", d.show(e))
				}
				fns = append(fns, func(msg string) bool {
					out, err := f.CallJS(msg)
					if err != nil {
						return false
					}
					return truthy(out)
				})
			}
			d.cfg.IgnoreFuncs = fns
		default:
			msg := fmt.Sprintf("%s: unknown key %q is ignored, as commitlint ignores it", file, k.Value)
			if best := commitlint.Suggest(k.Value, commitlintKeys); best != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", best)
			}
			if k.Line > 0 {
				msg = fmt.Sprintf("%s:%d:%d:%s", file, k.Line, k.Column, strings.TrimPrefix(msg, file+":"))
			}
			d.warnings = append(d.warnings, msg)
		}
	}
	return nil
}

// truthy is JavaScript's truthiness of a converted value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0 && x == x
	}
	return true
}

// extends applies each configuration ext names, in order.
func (d *commitlintDecoder) extends(file string, v *yaml.Node) error {
	exts, err := commitlintStrings(file, v, "extends")
	if err != nil {
		return err
	}
	for j, name := range exts {
		at := v
		if v.Kind == yaml.SequenceNode {
			at = v.Content[j]
		}
		switch name {
		case commitlintConventional, commitlintAngular:
			base := commitlint.ConventionalConfig()
			if name == commitlintAngular {
				base = commitlint.AngularConfig()
			}
			for rule, rc := range base.Rules {
				d.rules[rule] = rcNode(rule, rc)
				delete(d.ruleKeys, rule)
				d.ruleFiles[rule] = name
			}
			d.cfg.Parser = base.Parser
			continue
		}
		if d.scripts == nil {
			return d.bad(file, at, "extends %q is not supported here: only %q and %q are built in; copy the rules you need from %s into `rules`", name, commitlintConventional, commitlintAngular, name)
		}
		val, err := d.scripts.Require(file, name)
		if err != nil {
			return err
		}
		if err := d.layer(name, d.node(val), false); err != nil {
			return err
		}
	}
	return nil
}

// rcNode writes built-in rule name as the node a file would have.
func rcNode(name string, rc commitlint.RuleConfig) *yaml.Node {
	return (&commitlintDecoder{funcs: map[*yaml.Node]scriptFunc{}}).node(rc.Raw(name))
}

// plugins reads `plugins`: local plugin objects ({rules: {name: fn}}) and
// package names resolved from node_modules.
func (d *commitlintDecoder) plugins(file string, v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		return d.bad(file, v, "`plugins` must be a list, got %s", d.show(v))
	}
	for _, e := range v.Content {
		obj := e
		local := true
		if e.Kind == yaml.ScalarNode && e.Tag == "!!str" {
			if d.scripts == nil {
				return d.bad(file, e, "plugin %q is a JavaScript package; it needs a script loader (shipflow lint reads it from node_modules)", e.Value)
			}
			name := e.Value
			if !strings.HasPrefix(name, "@") && !strings.HasPrefix(name, "commitlint-plugin-") && !strings.HasPrefix(name, ".") {
				name = "commitlint-plugin-" + name
			}
			val, err := d.scripts.Require(file, name)
			if err != nil {
				return err
			}
			obj, local = d.node(val), false
		}
		if obj.Kind != yaml.MappingNode {
			return d.bad(file, e, "a plugin must be an object with `rules`, got %s", d.show(obj))
		}
		rules := map[string]scriptFunc{}
		for i := 0; i+1 < len(obj.Content); i += 2 {
			if obj.Content[i].Value != "rules" {
				continue
			}
			rs := obj.Content[i+1]
			if rs.Kind != yaml.MappingNode {
				return d.bad(file, rs, "a plugin's `rules` must map names to functions, got %s", d.show(rs))
			}
			for j := 0; j+1 < len(rs.Content); j += 2 {
				f, ok := d.funcs[rs.Content[j+1]]
				if !ok {
					return d.bad(file, rs.Content[j], "plugin rule %q must be a function (parsed, when, value) => [valid, message], got %s", rs.Content[j].Value, d.show(rs.Content[j+1]))
				}
				rules[rs.Content[j].Value] = f
			}
		}
		if local {
			d.localRules = rules
			continue
		}
		if d.namedRules == nil {
			d.namedRules = map[string]scriptFunc{}
		}
		for name, f := range rules {
			d.namedRules[name] = f
		}
	}
	return nil
}

// commitlintPresets are parser presets whose grammar is Conventional
// Commits, the one shipflow parses.
var commitlintPresets = map[string]bool{
	"conventional-changelog-conventionalcommits": true,
	"conventional-changelog-angular":             true,
	commitlintConventional:                       true,
	commitlintAngular:                            true,
}

// parserPreset reads `parserPreset`: a conventional preset's name, or
// an object whose parserOpts' headerPattern, headerCorrespondence,
// noteKeywords, issuePrefixes, issuePrefixesCaseSensitive and commentChar
// are honoured; other parser options are read with a warning.
func (d *commitlintDecoder) parserPreset(file string, k, v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!str" {
		if commitlintPresets[v.Value] {
			d.cfg.Parser = nil
			return nil
		}
		if d.scripts == nil {
			return d.bad(file, v, "parser preset %q is not built in (%s are); write its parserOpts into `parserPreset: {parserOpts: {...}}`", v.Value, "conventional-changelog-conventionalcommits, conventional-changelog-angular")
		}
		val, err := d.scripts.Require(file, v.Value)
		if err != nil {
			return err
		}
		v = d.node(val)
	}
	if v.Kind != yaml.MappingNode {
		return d.bad(file, v, "`parserPreset` must be a preset's name or an object with parserOpts, got %s", d.show(v))
	}
	var opts *yaml.Node
	for i := 0; i+1 < len(v.Content); i += 2 {
		if v.Content[i].Value == "parserOpts" {
			opts = v.Content[i+1]
		}
	}
	if opts == nil {
		return nil
	}
	if opts.Kind != yaml.MappingNode {
		return d.bad(file, opts, "`parserPreset.parserOpts` must be an object, got %s", d.show(opts))
	}
	p := &commitlint.ParserOptions{}
	if d.cfg.Parser != nil {
		*p = *d.cfg.Parser
	}
	for i := 0; i+1 < len(opts.Content); i += 2 {
		ok, ov := opts.Content[i], opts.Content[i+1]
		switch ok.Value {
		case "headerPattern":
			if ov.Kind != yaml.ScalarNode || ov.Tag != "!!str" {
				return d.bad(file, ov, "`headerPattern` must be a regular expression, got %s", d.show(ov))
			}
			re, err := regexp.Compile(ov.Value)
			if err != nil {
				return d.bad(file, ov, "headerPattern /%s/ is not a regular expression shipflow can run (no lookaround or backreferences): %v", ov.Value, err)
			}
			p.HeaderPattern = re
		case "headerCorrespondence":
			names, err := commitlintStrings(file, ov, "headerCorrespondence")
			if err != nil {
				return err
			}
			if ov.Kind == yaml.ScalarNode {
				names = strings.Split(names[0], ",")
			}
			for i := range names {
				names[i] = strings.TrimSpace(names[i])
			}
			p.HeaderCorrespondence = names
		case "noteKeywords", "issuePrefixes":
			list, err := d.parserStrings(file, ok.Value, ov)
			if err != nil {
				return err
			}
			if ok.Value == "noteKeywords" {
				p.NoteKeywords = list
			} else {
				p.IssuePrefixes = list
			}
		case "issuePrefixesCaseSensitive":
			if ov.Kind != yaml.ScalarNode || ov.Tag != "!!bool" {
				return d.bad(file, ov, "`issuePrefixesCaseSensitive` must be true or false, got %s", d.show(ov))
			}
			p.IssuePrefixesCaseSensitive = ov.Value == "true"
		case "commentChar":
			if ov.Kind != yaml.ScalarNode || ov.Tag != "!!str" {
				return d.bad(file, ov, "`commentChar` must be a string, got %s", d.show(ov))
			}
			p.CommentChar = ov.Value
		default:
			d.warnings = append(d.warnings, fmt.Sprintf("%s: parserPreset.parserOpts.%s is read but not honoured (shipflow honours headerPattern, headerCorrespondence, noteKeywords, issuePrefixes, issuePrefixesCaseSensitive and commentChar)", file, ok.Value))
		}
	}
	d.cfg.Parser = p
	return nil
}

// parserStrings reads a parser option that lists strings (noteKeywords,
// issuePrefixes).
func (d *commitlintDecoder) parserStrings(file, key string, v *yaml.Node) ([]string, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, d.bad(file, v, "`%s` must be a list of strings, got %s", key, d.show(v))
	}
	out := make([]string, 0, len(v.Content))
	for _, e := range v.Content {
		if e.Kind != yaml.ScalarNode || e.Tag != "!!str" {
			return nil, d.bad(file, e, "`%s` must be a list of strings, got %s", key, d.show(e))
		}
		out = append(out, e.Value)
	}
	return out, nil
}

// node turns a script value into a YAML node, remembering functions.
func (d *commitlintDecoder) node(v any) *yaml.Node {
	switch x := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(x)}
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}
	case int64, int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(x)}
	case float64:
		switch {
		case x > 1e308:
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: ".inf"}
		case x == float64(int64(x)):
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(int64(x))}
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: fmt.Sprint(x)}
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range x {
			n.Content = append(n.Content, d.node(e))
		}
		return n
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, d.node(x[k]))
		}
		return n
	case scriptFunc:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
		d.funcs[n] = x
		return n
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: fmt.Sprint(v)}
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
