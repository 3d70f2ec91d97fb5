package monorepo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// maxManifest caps the manifests Dependencies reads; real ones are a few
// KiB, and the repository is untrusted.
const maxManifest = 1 << 20

// Edge is one dependency of a package on another package of the
// repository.
type Edge struct {
	To int // the index of the package depended on
	// Via is the manifest that declares it, relative to the repository
	// root ("web/package.json", "api/go.mod", "cli/Cargo.toml").
	Via string
}

// Graph is which package of a repository depends on which.
type Graph struct {
	deps       [][]Edge // by package, sorted by To
	dependents [][]int  // by package, sorted
}

// Dependencies reads the manifests in each package's directory and
// returns which package depends on which. dirs[i] is the directory of
// package i relative to the root of fsys ("." for the root, "" for a
// package without one, whose manifests are not read). The caller passes a
// file system confined to the work tree.
//
// It understands package.json (dependencies, devDependencies,
// peerDependencies and optionalDependencies naming another package's
// "name", with any version range, workspace: or npm: alias), go.mod
// (require of another package's module path) and Cargo.toml (a dependency
// with a path that is another package's directory). A missing manifest is
// skipped; an unreadable or malformed one is an error naming it.
func Dependencies(fsys fs.FS, dirs []string) (*Graph, error) {
	ms := make([]manifests, len(dirs))
	npm, mods, cargo := map[string]int{}, map[string]int{}, map[string]int{}
	for i, dir := range dirs {
		if dir == "" {
			continue
		}
		dir = path.Clean(dir)
		m, err := readManifests(fsys, dir)
		if err != nil {
			return nil, err
		}
		ms[i] = m
		if m.npmName != "" {
			npm[m.npmName] = i
		}
		if m.module != "" {
			mods[m.module] = i
		}
		cargo[dir] = i
	}
	g := &Graph{deps: make([][]Edge, len(dirs)), dependents: make([][]int, len(dirs))}
	for i, m := range ms {
		seen := map[int]bool{i: true}
		add := func(to int, ok bool, via string) {
			if ok && !seen[to] {
				seen[to] = true
				g.deps[i] = append(g.deps[i], Edge{To: to, Via: via})
				g.dependents[to] = append(g.dependents[to], i)
			}
		}
		for _, name := range m.npmDeps {
			to, ok := npm[name]
			add(to, ok, path.Join(m.dir, "package.json"))
		}
		for _, mod := range m.requires {
			to, ok := mods[mod]
			add(to, ok, path.Join(m.dir, "go.mod"))
		}
		for _, p := range m.cargoPaths {
			to, ok := cargo[path.Join(m.dir, p)]
			add(to, ok, path.Join(m.dir, "Cargo.toml"))
		}
		slices.SortFunc(g.deps[i], func(a, b Edge) int { return a.To - b.To })
	}
	for i := range g.dependents {
		slices.Sort(g.dependents[i])
	}
	return g, nil
}

// DependsOn returns the packages package i depends on, by index.
func (g *Graph) DependsOn(i int) []Edge { return g.deps[i] }

// Dependents returns the packages that depend, directly or through other
// packages, on one of the released packages and are not released
// themselves: the packages to bump. They come in increasing index order.
func (g *Graph) Dependents(released []int) []int {
	in := make([]bool, len(g.dependents))
	queue := make([]int, 0, len(released))
	for _, r := range released {
		if r >= 0 && r < len(in) && !in[r] {
			in[r] = true
			queue = append(queue, r)
		}
	}
	var out []int
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, d := range g.dependents[p] {
			if !in[d] {
				in[d] = true
				out = append(out, d)
				queue = append(queue, d)
			}
		}
	}
	slices.Sort(out)
	return out
}

// manifests is what Dependencies needs from one package's directory.
type manifests struct {
	dir        string
	npmName    string
	npmDeps    []string
	module     string
	requires   []string
	cargoPaths []string
}

// readManifests reads the manifests of the package in dir.
func readManifests(fsys fs.FS, dir string) (manifests, error) {
	m := manifests{dir: dir}
	if data, err := readManifest(fsys, path.Join(dir, "package.json")); err != nil {
		return m, err
	} else if data != nil {
		if m.npmName, m.npmDeps, err = parsePackageJSON(data); err != nil {
			return m, fmt.Errorf("reading %s: %w", path.Join(dir, "package.json"), err)
		}
	}
	if data, err := readManifest(fsys, path.Join(dir, "go.mod")); err != nil {
		return m, err
	} else if data != nil {
		m.module, m.requires = parseGoMod(data)
	}
	if data, err := readManifest(fsys, path.Join(dir, "Cargo.toml")); err != nil {
		return m, err
	} else if data != nil {
		m.cargoPaths = parseCargoPaths(data)
	}
	return m, nil
}

// readManifest returns the file's bytes, or nil when it does not exist.
func readManifest(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("reading %s: not a regular file", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxManifest+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(data) > maxManifest {
		return nil, fmt.Errorf("reading %s: larger than %d bytes", name, maxManifest)
	}
	return data, nil
}

// parsePackageJSON returns the package's name and the names of the
// packages it depends on, in every kind of dependency.
func parsePackageJSON(data []byte) (name string, deps []string, err error) {
	var pj struct {
		Name                 string            `json:"name"`
		Dependencies         map[string]string `json:"dependencies"`
		DevDependencies      map[string]string `json:"devDependencies"`
		PeerDependencies     map[string]string `json:"peerDependencies"`
		OptionalDependencies map[string]string `json:"optionalDependencies"`
	}
	if err := json.Unmarshal(data, &pj); err != nil {
		return "", nil, err
	}
	for _, m := range []map[string]string{pj.Dependencies, pj.DevDependencies, pj.PeerDependencies, pj.OptionalDependencies} {
		for key, spec := range m {
			deps = append(deps, key)
			if alias, ok := strings.CutPrefix(spec, "npm:"); ok {
				// "npm:real-name@^1" installs real-name under key.
				if at := strings.LastIndexByte(alias, '@'); at > 0 {
					alias = alias[:at]
				}
				deps = append(deps, alias)
			}
		}
	}
	slices.Sort(deps)
	return pj.Name, slices.Compact(deps), nil
}

// parseGoMod returns the module path and required module paths of a
// go.mod file. It reads only the module and require directives, which is
// all the graph needs; anything else is skipped.
func parseGoMod(data []byte) (module string, requires []string) {
	inRequire := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxManifest)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch {
		case inRequire && f[0] == ")":
			inRequire = false
		case inRequire:
			requires = append(requires, unquote(f[0]))
		case f[0] == "module" && len(f) >= 2:
			module = unquote(f[1])
		case f[0] == "require" && len(f) >= 2 && f[1] == "(":
			inRequire = true
		case f[0] == "require" && len(f) >= 2:
			requires = append(requires, unquote(f[1]))
		}
	}
	return module, requires
}

// unquote strips the quotes go.mod allows around a module path.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '`') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// parseCargoPaths returns the path of every path dependency of a
// Cargo.toml: `name = { path = "../x" }` and `name.path = "../x"` in a
// dependencies table, and `path = "../x"` in a `[dependencies.name]`
// table. It reads lines, not TOML: a path dependency written another way
// is missed, never invented.
func parseCargoPaths(data []byte) []string {
	var out []string
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxManifest)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[] \t")
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch {
		case isDepsTable(section) && strings.HasPrefix(val, "{"):
			if p, ok := inlinePath(val); ok {
				out = append(out, p)
			}
		case isDepsTable(section) && strings.HasSuffix(key, ".path"):
			if p, ok := tomlString(val); ok {
				out = append(out, p)
			}
		case key == "path" && isDepsTable(path.Dir(strings.ReplaceAll(section, ".", "/"))):
			if p, ok := tomlString(val); ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// isDepsTable reports whether a TOML table (or a table path with "/"
// separators) holds dependencies: [dependencies], [dev-dependencies],
// [build-dependencies], [workspace.dependencies], [target.X.dependencies].
func isDepsTable(section string) bool {
	section = strings.ReplaceAll(section, "/", ".")
	last := section[strings.LastIndexByte(section, '.')+1:]
	return last == "dependencies" || last == "dev-dependencies" || last == "build-dependencies"
}

// inlinePath finds `path = "..."` in an inline table.
func inlinePath(val string) (string, bool) {
	body := strings.Trim(val, "{} \t")
	for kv := range strings.SplitSeq(body, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.TrimSpace(k) == "path" {
			return tomlString(strings.TrimSpace(v))
		}
	}
	return "", false
}

// tomlString reads a basic or literal TOML string without escapes.
func tomlString(v string) (string, bool) {
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] && !strings.Contains(v, "\\") {
		return v[1 : len(v)-1], true
	}
	return "", false
}
