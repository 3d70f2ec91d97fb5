package scaffold

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/internal/repofs"
)

// maxConfigRead bounds what Detect reads of one configuration file.
const maxConfigRead = 1 << 20

// readConfig reads name at dir's top level through repofs (a symlink out
// of the repository, a FIFO or a huge file is not read); ok is false when
// it cannot be read.
func readConfig(dir, name string) (data []byte, ok bool) {
	data, err := repofs.ReadFile(dir, name, maxConfigRead)
	return data, err == nil
}

// pythonLinter finds a Python project's linter: ruff when it is configured
// (pyproject.toml [tool.ruff], ruff.toml, .ruff.toml) or required
// (requirements*.txt), else flake8 when it is (.flake8, [flake8] in
// setup.cfg or tox.ini, requirements*.txt); else none.
func pythonLinter(dir string) (lint, why string) {
	if data, ok := readConfig(dir, "pyproject.toml"); ok && hasSection(data, "tool.ruff") {
		return LintRuff, "pyproject.toml [tool.ruff]"
	}
	for _, name := range []string{"ruff.toml", ".ruff.toml"} {
		if _, ok := readConfig(dir, name); ok {
			return LintRuff, name
		}
	}
	reqs, _ := filepath.Glob(filepath.Join(dir, "requirements*.txt"))
	if name := requires(dir, reqs, "ruff"); name != "" {
		return LintRuff, name
	}
	if _, ok := readConfig(dir, ".flake8"); ok {
		return LintFlake8, ".flake8"
	}
	for _, name := range []string{"setup.cfg", "tox.ini"} {
		if data, ok := readConfig(dir, name); ok && hasSection(data, "flake8") {
			return LintFlake8, name + " [flake8]"
		}
	}
	if name := requires(dir, reqs, "flake8"); name != "" {
		return LintFlake8, name
	}
	return "", ""
}

// hasSection reports whether an INI or TOML file has the section [name]
// or one of its subtables ([name.x]).
func hasSection(data []byte, name string) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxConfigRead)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "[") {
			continue
		}
		sec, _, ok := strings.Cut(strings.TrimPrefix(line, "["), "]")
		sec = strings.TrimSpace(sec)
		if ok && (sec == name || strings.HasPrefix(sec, name+".")) {
			return true
		}
	}
	return false
}

// requires returns the first of the requirements files (paths in dir)
// that names package pkg as a requirement, or "".
func requires(dir string, files []string, pkg string) string {
	for _, f := range files {
		name := filepath.Base(f)
		data, ok := readConfig(dir, name)
		if !ok {
			continue
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			line, _, _ = strings.Cut(line, "#")
			line = strings.TrimSpace(line)
			end := strings.IndexFunc(line, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
			})
			if end >= 0 {
				line = line[:end]
			}
			if strings.EqualFold(line, pkg) {
				return name
			}
		}
	}
	return ""
}

// eslintConfigs are ESLint's configuration files, flat and legacy.
var eslintConfigs = []string{
	"eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts", "eslint.config.mts", "eslint.config.cts",
	".eslintrc.js", ".eslintrc.cjs", ".eslintrc.json", ".eslintrc.yml", ".eslintrc.yaml", ".eslintrc",
}

// eslint finds ESLint in an npm project: a configuration file, or eslint
// among package.json's (dev)dependencies or its eslintConfig.
func eslint(dir string, pkgJSON []byte) (lint, why string) {
	for _, name := range eslintConfigs {
		if _, ok := readConfig(dir, name); ok {
			return LintESLint, name
		}
	}
	var pkg struct {
		Deps         map[string]string `json:"dependencies"`
		DevDeps      map[string]string `json:"devDependencies"`
		ESLintConfig json.RawMessage   `json:"eslintConfig"`
	}
	if json.Unmarshal(pkgJSON, &pkg) != nil {
		return "", ""
	}
	if _, ok := pkg.DevDeps["eslint"]; ok {
		return LintESLint, "package.json"
	}
	if _, ok := pkg.Deps["eslint"]; ok {
		return LintESLint, "package.json"
	}
	if len(pkg.ESLintConfig) > 0 {
		return LintESLint, "package.json"
	}
	return "", ""
}
