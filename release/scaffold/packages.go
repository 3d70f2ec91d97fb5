package scaffold

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/shipflow/shipflow/internal/repofs"
)

// KindCargo is a Rust crate of a Cargo workspace: a package kind
// (Detected.Kind) only, not a test setup of Project.
const KindCargo = "cargo"

// The bounds of DetectPackages's walk, so that a huge tree cannot hang
// init: directories deeper than MaxPackageDepth below the root are not
// read, and the walk stops after MaxPackageEntries directory entries.
const (
	MaxPackageDepth   = 4
	MaxPackageEntries = 20000
)

// maxManifest caps the manifests read (go.mod, package.json, Cargo.toml,
// pyproject.toml, setup.cfg, pnpm-workspace.yaml).
const maxManifest = 1 << 20

// Detected is a package DetectPackages found.
type Detected struct {
	// Name is the package's name as .shipflow.yaml takes it
	// ([a-z0-9][a-z0-9._-]*, unique): the manifest's name without an npm
	// @scope/, lower-cased, other characters turned into '-'; else the
	// directory's name.
	Name string
	// Path is the package's directory, slash-separated and relative to the
	// root; "." for the root module.
	Path string
	// Kind is KindGo, KindNPM, KindPython or KindCargo.
	Kind string
	// TagPrefix goes before X.Y.Z in the package's tags: "dir/v" for a
	// nested Go module (as Go requires; "v" for the root module),
	// "<name>-v" otherwise.
	TagPrefix string
	// Why names what the package was found from ("api/go.mod",
	// "package.json workspaces").
	Why string
}

// limits bound a walk; DetectPackages uses MaxPackageDepth and
// MaxPackageEntries.
type limits struct{ depth, entries int }

// DetectPackages finds the packages of a monorepo at dir, sorted by path:
// nested Go modules (and the root module, when there are nested ones),
// the directories with a package.json matched by the root package.json's
// workspaces (a list, or {packages: [...]}) or pnpm-workspace.yaml's
// packages, the members of a Cargo workspace (Cargo.toml [workspace]
// members minus exclude), and Python projects (pyproject.toml, setup.py or
// setup.cfg) in subdirectories. It skips node_modules, vendor, testdata and
// hidden directories, directories whose names would not make a plain YAML
// path and a valid tag (letters, digits and ._@+-, not starting with one
// of ._@+- nor ending in .lock), and links. The walk is bounded (see
// MaxPackageDepth); files are read through repofs, capped in size: a
// manifest that cannot be read gives no name, never an error.
func DetectPackages(dir string) []Detected {
	return detectPackages(dir, limits{depth: MaxPackageDepth, entries: MaxPackageEntries})
}

func detectPackages(root string, lim limits) []Detected {
	t := walkTree(root, lim)
	var found []Detected
	taken := map[string]bool{} // paths
	add := func(ds ...Detected) {
		for _, d := range ds {
			if !taken[d.Path] {
				taken[d.Path] = true
				found = append(found, d)
			}
		}
	}
	add(t.goModules()...)
	add(t.workspaces()...)
	add(t.cargoMembers()...)
	add(t.pythonProjects(taken)...)
	sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
	return nameAndTag(root, found)
}

// marker reports whether the walk notes a file of this name.
func marker(name string) bool {
	switch name {
	case "go.mod", "package.json", "Cargo.toml", "pyproject.toml", "setup.py", "setup.cfg":
		return true
	}
	return false
}

// maxPatterns caps the workspace globs read, so that a manifest of
// thousands of globs cannot make the matching slow.
const maxPatterns = 1000

// safeDirName is a directory name DetectPackages walks into.
var safeDirName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]*$`) })

// walked is what the bounded walk saw: the directories it read, in
// breadth-first order, and the marker files of each.
type walked struct {
	root  string
	dirs  []string
	files map[string]map[string]bool
}

func (t *walked) has(dir, name string) bool { return t.files[dir][name] }

// walkTree reads root breadth-first within lim, never following links.
func walkTree(root string, lim limits) *walked {
	t := &walked{root: root, files: map[string]map[string]bool{}}
	type item struct {
		rel   string
		depth int
	}
	queue := []item{{".", 0}}
	left := lim.entries
	for len(queue) > 0 && left > 0 {
		it := queue[0]
		queue = queue[1:]
		entries := readDir(filepath.Join(root, filepath.FromSlash(it.rel)), left)
		left -= len(entries)
		t.dirs = append(t.dirs, it.rel)
		for _, e := range entries {
			name := e.Name()
			switch {
			case e.Type().IsRegular() && marker(name):
				if t.files[it.rel] == nil {
					t.files[it.rel] = map[string]bool{}
				}
				t.files[it.rel][name] = true
			case e.IsDir() && it.depth < lim.depth && walkable(name):
				queue = append(queue, item{path.Join(it.rel, name), it.depth + 1})
			}
		}
	}
	return t
}

// walkable reports whether the walk enters a directory named name.
func walkable(name string) bool {
	switch name {
	case "node_modules", "vendor", "testdata":
		return false
	}
	return safeDirName().MatchString(name) && !strings.HasSuffix(name, ".lock")
}

// readDir returns at most max entries of dir (os.File.ReadDir does not
// follow links); errors end the listing.
func readDir(dir string, max int) []os.DirEntry {
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []os.DirEntry
	for len(out) < max {
		batch, err := f.ReadDir(min(256, max-len(out)))
		out = append(out, batch...)
		if err != nil || len(batch) == 0 {
			break
		}
	}
	return out
}

// read returns a manifest's content, or nil when it cannot be read from
// inside the tree within maxManifest.
func (t *walked) read(name string) []byte {
	data, err := repofs.ReadFile(t.root, name, maxManifest)
	if err != nil {
		return nil
	}
	return data
}

// goModules returns the nested Go modules, and the root module when there
// are any; a module whose tag prefix another has (sdk/ and its major
// version subdirectory sdk/v2/) is left out.
func (t *walked) goModules() []Detected {
	var out []Detected
	prefixes := map[string]bool{}
	for _, d := range t.dirs {
		if !t.has(d, "go.mod") {
			continue
		}
		why := path.Join(d, "go.mod")
		prefix := goTagPrefix(d)
		if prefixes[prefix] {
			continue
		}
		prefixes[prefix] = true
		name := lastElem(d) // api, or sdk for sdk/v2
		if d == "." {
			name = lastElem(goModulePath(t.read(why)))
		}
		out = append(out, Detected{Name: name, Path: d, Kind: KindGo, TagPrefix: prefix, Why: why})
	}
	if len(out) == 1 && out[0].Path == "." {
		return nil // a repository of one module is one package
	}
	return out
}

// majorDir is a Go major version subdirectory's name (v2, v3, ...).
var majorDir = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v([2-9]|[1-9][0-9]+)$`) })

// goTagPrefix is the prefix of a Go module's tags at dir: Go looks for
// dir/vX.Y.Z, and for sdk/vX.Y.Z for a module in sdk/v2.
func goTagPrefix(dir string) string {
	if majorDir().MatchString(path.Base(dir)) {
		dir = path.Dir(dir)
	}
	if dir == "." {
		return "v"
	}
	return dir + "/v"
}

// goModulePath returns the module path of a go.mod, or "".
func goModulePath(data []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			if s, err := strconv.Unquote(f[1]); err == nil {
				return s
			}
			return f[1]
		}
	}
	return ""
}

// lastElem is the last element of a module path, its major version suffix
// dropped (example.com/shop/v2 is shop).
func lastElem(p string) string {
	p = strings.TrimSuffix(p, "/")
	if majorDir().MatchString(path.Base(p)) {
		p = path.Dir(p)
	}
	if p == "" || p == "." {
		return ""
	}
	return path.Base(p)
}

// workspaces returns the directories with a package.json that the root
// package.json's workspaces or pnpm-workspace.yaml's packages match.
func (t *walked) workspaces() []Detected {
	var patterns []string
	why := "package.json workspaces"
	if data := t.read("package.json"); data != nil {
		var pkg struct {
			Workspaces json.RawMessage `json:"workspaces"`
		}
		if json.Unmarshal(data, &pkg) == nil && len(pkg.Workspaces) > 0 {
			var list []string
			var obj struct {
				Packages []string `json:"packages"`
			}
			if json.Unmarshal(pkg.Workspaces, &list) == nil {
				patterns = list
			} else if json.Unmarshal(pkg.Workspaces, &obj) == nil {
				patterns = obj.Packages
			}
		}
	}
	if data := t.read("pnpm-workspace.yaml"); data != nil {
		var ws struct {
			Packages []string `yaml:"packages"`
		}
		if yaml.Unmarshal(data, &ws) == nil && len(ws.Packages) > 0 {
			patterns, why = append(patterns, ws.Packages...), "pnpm-workspace.yaml"
		}
	}
	var out []Detected
	for _, d := range t.matching(patterns, nil, "package.json") {
		var pkg struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(t.read(path.Join(d, "package.json")), &pkg)
		out = append(out, Detected{Name: npmName(pkg.Name), Path: d, Kind: KindNPM, Why: why})
	}
	return out
}

// npmName drops an npm name's @scope/.
func npmName(name string) string {
	if strings.HasPrefix(name, "@") {
		if _, rest, ok := strings.Cut(name, "/"); ok {
			return rest
		}
	}
	return name
}

// cargoMembers returns the members of the root Cargo.toml's workspace.
func (t *walked) cargoMembers() []Detected {
	data := t.read("Cargo.toml")
	if data == nil {
		return nil
	}
	ws := tomlStrings(data)
	var out []Detected
	for _, d := range t.matching(ws["workspace.members"], ws["workspace.exclude"], "Cargo.toml") {
		name := tomlString(tomlStrings(t.read(path.Join(d, "Cargo.toml"))), "package.name")
		out = append(out, Detected{Name: name, Path: d, Kind: KindCargo, Why: "Cargo.toml workspace"})
	}
	return out
}

// pythonProjects returns the subdirectories holding a Python project that
// is not inside another one, nor already a package (taken).
func (t *walked) pythonProjects(taken map[string]bool) []Detected {
	var out []Detected
	roots := map[string]bool{}
	for _, d := range t.dirs {
		if d == "." || taken[d] || under(d, roots) {
			continue
		}
		for _, m := range []string{"pyproject.toml", "setup.cfg", "setup.py"} {
			if !t.has(d, m) {
				continue
			}
			roots[d] = true
			out = append(out, Detected{Name: pythonName(t, d), Path: d, Kind: KindPython, Why: path.Join(d, m)})
			break
		}
	}
	return out
}

// under reports whether dir is below one of roots.
func under(dir string, roots map[string]bool) bool {
	for d := path.Dir(dir); d != "."; d = path.Dir(d) {
		if roots[d] {
			return true
		}
	}
	return false
}

// pythonName reads the project's name from pyproject.toml ([project] or
// [tool.poetry]) or setup.cfg ([metadata]), normalised as PEP 503 does.
func pythonName(t *walked, dir string) string {
	py := tomlStrings(t.read(path.Join(dir, "pyproject.toml")))
	name := tomlString(py, "project.name")
	if name == "" {
		name = tomlString(py, "tool.poetry.name")
	}
	if name == "" {
		name = setupCfgName(t.read(path.Join(dir, "setup.cfg")))
	}
	return pep503().ReplaceAllString(strings.ToLower(name), "-")
}

var pep503 = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[-_.]+`) })

// setupCfgName returns name = ... of setup.cfg's [metadata] section.
func setupCfgName(data []byte) string {
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && section == "metadata" && strings.TrimSpace(k) == "name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// matching returns the walked directories below the root that hold file
// and match one of include and none of exclude (globs relative to the
// root, path.Match part by part, ** for any number of parts; a leading !
// in include excludes too, as npm and pnpm spell it).
func (t *walked) matching(include, exclude []string, file string) []string {
	include, exclude = include[:min(len(include), maxPatterns)], exclude[:min(len(exclude), maxPatterns)]
	var inc, exc []string
	for _, p := range include {
		if neg, ok := strings.CutPrefix(p, "!"); ok {
			exclude = append(exclude, neg)
			continue
		}
		if c, ok := cleanPattern(p); ok {
			inc = append(inc, c)
		}
	}
	for _, p := range exclude {
		if c, ok := cleanPattern(p); ok {
			exc = append(exc, c)
		}
	}
	var out []string
	for _, d := range t.dirs {
		if d == "." || !t.has(d, file) || !matchAny(inc, d) || matchAny(exc, d) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// cleanPattern cleans a workspace glob; one that is empty, absolute or
// leaves the root is dropped.
func cleanPattern(p string) (string, bool) {
	p = strings.TrimSpace(p)
	if p == "" || strings.HasPrefix(p, "/") {
		return "", false
	}
	c := path.Clean(p)
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return "", false
	}
	return c, true
}

func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if matchGlob(strings.Split(p, "/"), strings.Split(name, "/")) {
			return true
		}
	}
	return false
}

// matchGlob matches path parts against pattern parts: path.Match for each,
// ** for any number of parts.
func matchGlob(pat, parts []string) bool {
	if len(pat) == 0 {
		return len(parts) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(parts); i++ {
			if matchGlob(pat[1:], parts[i:]) {
				return true
			}
		}
		return false
	}
	if len(parts) == 0 {
		return false
	}
	ok, err := path.Match(pat[0], parts[0])
	return err == nil && ok && matchGlob(pat[1:], parts[1:])
}

// nameAndTag gives every package a unique valid name and, where it has
// none, its tag prefix "<name>-v".
func nameAndTag(root string, found []Detected) []Detected {
	used := map[string]bool{}
	for i := range found {
		d := &found[i]
		name := sanitizeName(d.Name)
		if name == "" {
			base := path.Base(d.Path)
			if d.Path == "." {
				base = filepath.Base(root)
			}
			name = sanitizeName(base)
		}
		if name == "" || used[name] {
			alt := sanitizeName(strings.ReplaceAll(d.Path, "/", "-"))
			if alt != "" && !used[alt] {
				name = alt
			} else {
				if name == "" {
					name = "root"
				}
				base := name
				for n := 2; used[name]; n++ {
					name = fmt.Sprintf("%s-%d", base, n)
				}
			}
		}
		used[name] = true
		d.Name = name
		if d.TagPrefix == "" {
			d.TagPrefix = name + "-v"
		}
	}
	return found
}

var notNameChars = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-z0-9._-]+`) })

// sanitizeName makes s a package name: [a-z0-9][a-z0-9._-]*, with no "..",
// or "" when nothing is left.
func sanitizeName(s string) string {
	s = notNameChars().ReplaceAllString(strings.ToLower(s), "-")
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".")
	}
	return strings.Trim(s, "._-")
}

// PackagesBlock renders found packages as the packages: section of
// .shipflow.yaml, with a blank line before it; "" for a repository of one
// package (no package, or one at the root), which keeps its
// .shipflow.yaml as it was.
func PackagesBlock(pkgs []Detected) string {
	if len(pkgs) == 0 || len(pkgs) == 1 && pkgs[0].Path == "." {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n# Packages, found by `shipflow init`: each is versioned, tagged (its\n" +
		"# tag-prefix, then X.Y.Z), changelogged (CHANGELOG.md in its directory)\n" +
		"# and released on its own; `--package NAME` picks one. A commit belongs to\n" +
		"# every package one of whose paths it touches (a path is a directory or a\n" +
		"# glob, or a list of them), and to those whose scopes list its scope; a\n" +
		"# package nested in another's directory carves it out (api/ under .).\n" +
		"# Other keys: changelog, version-files, scopes, linked, image.\n" +
		"packages:\n")
	for _, p := range pkgs {
		fmt.Fprintf(&b, "  - name: %s\n", yamlScalar(p.Name))
		fmt.Fprintf(&b, "    path: %s   # %s\n", yamlScalar(p.Path), why(p))
		fmt.Fprintf(&b, "    tag-prefix: %s\n", yamlScalar(p.TagPrefix))
	}
	return b.String()
}

// why is the comment on a package's path line.
func why(p Detected) string {
	switch {
	case p.Kind == KindGo && p.Path == ".":
		return "the root Go module (go.mod), less the packages nested in it"
	case p.Kind == KindGo:
		return fmt.Sprintf("a Go module (%s): Go requires %sX.Y.Z tags", p.Why, p.TagPrefix)
	}
	return "found from " + p.Why
}

// yamlScalar returns s as a YAML plain scalar when YAML reads it back as
// that string, else single-quoted.
func yamlScalar(s string) string {
	var v any
	if err := yaml.Unmarshal([]byte("x: "+s), &v); err == nil {
		if m, ok := v.(map[string]any); ok && m["x"] == s {
			return s
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
