package versionfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/shipflow/shipflow/internal/repofs"
)

// candidate is a file and key Detect tries at the repository root.
type candidate struct {
	path string
	kind Kind
	key  string
}

var rootCandidates = []candidate{
	{"pyproject.toml", KindPyproject, "project.version"},
	{"pyproject.toml", KindPyproject, "tool.poetry.version"},
	{"package.json", KindPackageJSON, "version"},
	{"package-lock.json", KindPackageLock, "version"},
	{"package-lock.json", KindPackageLock, `packages."".version`},
	{"Cargo.toml", KindCargo, "package.version"},
	{"Cargo.toml", KindCargo, "workspace.package.version"},
	{"Chart.yaml", KindChart, "version"},
	{"Chart.yaml", KindChart, "appVersion"},
	{"VERSION", KindPlain, "VERSION"},
}

// skipDirs are never searched: dependencies, build output, fixtures (a
// testdata file with a marker is a test's input, not this project's
// version).
var skipDirs = map[string]bool{
	"node_modules": true, "vendor": true, "testdata": true, "target": true,
	"dist": true, "build": true, "venv": true, "__pycache__": true, "site-packages": true,
}

// Detect finds the version files of the repository at root: the
// well-known files at the root, __version__ in the top-level Python
// packages (<pkg>/ and src/<pkg>/), const Version in version.go (up to
// three directories down), and every line carrying Marker. Candidates that
// exist but cannot be used (refused, too big, unparseable, no string
// version) come back as skips with the reason; absent ones are not
// mentioned. The error is for a root that cannot be walked.
func Detect(root string) ([]File, []Skip, error) {
	return DetectDir(root, ".")
}

// DetectDir is Detect for the package at dir, a slash path relative to the
// repository root (for monorepos' packages:); the files' paths stay
// relative to root. The marker search covers dir's whole subtree,
// nested packages included.
func DetectDir(root, dir string) ([]File, []Skip, error) {
	dir, err := repofs.Resolve(root, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("detecting version files: %w", err)
	}
	in := func(name string) string { return path.Join(dir, name) }
	var files []File
	var skips []Skip
	cache := map[string][]byte{}
	read := func(name string, max int64) ([]byte, bool) {
		if data, ok := cache[name]; ok {
			return data, data != nil
		}
		data, err := repofs.ReadFile(root, name, max)
		if err != nil {
			cache[name] = nil
			if !isNotExist(err) {
				skips = append(skips, Skip{Path: name, Reason: err.Error()})
			}
			return nil, false
		}
		cache[name] = data
		return data, true
	}
	try := func(c candidate, line int, quietAbsent bool) bool {
		c.path = in(c.path)
		data, ok := read(c.path, MaxSize)
		if !ok {
			return false
		}
		f := File{Path: c.path, Kind: c.kind, Key: c.key, Line: line}
		sp, err := locate(data, f)
		if err != nil {
			if !quietAbsent || !errors.Is(err, errNoVersion) {
				skips = append(skips, Skip{Path: c.path, Reason: fmt.Sprintf("%s: %v", c.key, err)})
			}
			return false
		}
		files = append(files, sp.file(f, data))
		return true
	}

	// Root files; a key that is absent is normal (pyproject without
	// [tool.poetry]), so only a file with none of its keys is a skip.
	byPath := map[string][]candidate{}
	var paths []string
	for _, c := range rootCandidates {
		if _, ok := byPath[c.path]; !ok {
			paths = append(paths, c.path)
		}
		byPath[c.path] = append(byPath[c.path], c)
	}
	for _, p := range paths {
		found, before := false, len(skips)
		for _, c := range byPath[p] {
			found = try(c, 0, true) || found
			if len(skips) > before {
				break // unparseable: once is enough
			}
		}
		if data := cache[in(p)]; data != nil && !found && len(skips) == before {
			skips = append(skips, Skip{Path: in(p), Reason: "has no string version at " + keysOf(byPath[p])})
		}
	}
	// Cargo.lock's own entry, named by Cargo.toml.
	if data := cache[in("Cargo.toml")]; data != nil {
		if sp, err := tomlFind(data, []string{"package", "name"}); err == nil {
			name := string(data[sp.start:sp.end])
			try(candidate{"Cargo.lock", KindCargoLock, joinKey([]string{"package", name, "version"})}, 0, false)
		}
	}

	var walked []string
	err = walk(filepath.Join(root, filepath.FromSlash(dir)), func(rel string) {
		walked = append(walked, in(rel))
	})
	if err != nil {
		return nil, nil, err
	}
	for _, rel := range walked {
		local := strings.TrimPrefix(rel, dir+"/")
		if dir == "." {
			local = rel
		}
		pkg, base := path.Split(local)
		pkg = strings.TrimSuffix(pkg, "/")
		switch {
		case (base == "__init__.py" || base == "_version.py") && isTopPackage(pkg):
			try(candidate{local, KindPython, "__version__"}, 0, true)
		case base == "version.go" && strings.Count(local, "/") <= 3:
			try(candidate{rel, KindGo, "Version"}, 0, true)
		}
	}
	// Marked lines anywhere; a line already found by its kind is not
	// listed twice.
	carry := mayCarry(root, walked[:min(len(walked), maxMarkerFiles)])
	for i, rel := range walked {
		if i >= maxMarkerFiles {
			skips = append(skips, Skip{Path: rel, Reason: fmt.Sprintf("not searched for %s: more than %d files", Marker, maxMarkerFiles)})
			break
		}
		if !carry[i] {
			continue
		}
		data, err := repofs.ReadFile(root, rel, maxMarkerScan)
		if err != nil || slices.Contains(data, 0) {
			continue
		}
		for _, l := range markedLines(data) {
			sp, err := markerFind(data, l.line)
			if err != nil {
				skips = append(skips, Skip{Path: rel, Reason: fmt.Sprintf("line %d: %v", l.line, err)})
				continue
			}
			if slices.ContainsFunc(files, func(f File) bool { return f.Path == rel && f.Line == l.line }) {
				continue
			}
			files = append(files, sp.file(File{Path: rel, Kind: KindMarker, Key: Marker}, data))
		}
	}
	return files, skips, nil
}

// mayCarry says of each file of rels (in walk order) whether it may hold
// Marker (markerScan.mayCarry). The files are split into contiguous
// runs read in parallel, one markerScan each, one per CPU: on a tree of
// thousands of files, reading them is most of what planning a release
// costs.
func mayCarry(root string, rels []string) []bool {
	carry := make([]bool, len(rels))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(rels)/64))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(rels)/workers, (w+1)*len(rels)/workers
		wg.Go(func() {
			quick := newScanner(root)
			defer quick.close()
			for i := lo; i < hi; i++ {
				carry[i] = quick.mayCarry(rels[i])
			}
		})
	}
	wg.Wait()
	return carry
}

// scanner is one worker's quick read of files for Marker, which never
// leaves the root: most files carry no marker, and only those that may go
// through repofs.ReadFile, which says why a file is refused.
type scanner interface {
	// mayCarry reports whether the file rel (a slash path relative to the
	// root) may carry Marker: false only for a regular file read whole,
	// within maxMarkerScan, without it.
	mayCarry(rel string) bool
	close()
}

// newRootScan returns the portable scanner: an os.Root, the last directory
// kept open.
func newRootScan(root string) scanner {
	m := &markerScan{}
	m.root, _ = os.OpenRoot(root) // nil: every file goes through repofs
	return m
}

// markerScan reads files for Marker through an os.Root (which never
// leaves it), keeping the last directory open, so that a file costs a few
// system calls.
type markerScan struct {
	root    *os.Root
	dirName string
	dir     *os.Root
	buf     []byte
}

func (m *markerScan) mayCarry(rel string) bool {
	if m.root == nil {
		return true
	}
	dirName, base := path.Split(rel)
	if m.dir == nil || dirName != m.dirName {
		if m.dir != nil && m.dir != m.root {
			m.dir.Close()
		}
		m.dir, m.dirName = m.root, dirName
		if dirName != "" {
			d, err := m.root.OpenRoot(filepath.FromSlash(strings.TrimSuffix(dirName, "/")))
			if err != nil {
				m.dir = nil
				return true
			}
			m.dir = d
		}
	}
	fi, err := m.dir.Lstat(base)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxMarkerScan {
		return true
	}
	f, err := m.dir.Open(base)
	if err != nil {
		return true
	}
	defer f.Close()
	// One read of the size Lstat gave, and one more byte to see the end.
	if need := int(fi.Size()) + 1; cap(m.buf) < need {
		m.buf = make([]byte, need)
	}
	n, err := io.ReadFull(f, m.buf[:fi.Size()+1])
	if n > int(fi.Size()) || err != io.ErrUnexpectedEOF && err != io.EOF {
		return true // it changed under us: let repofs read it
	}
	return bytes.Contains(m.buf[:n], []byte(Marker))
}

func (m *markerScan) close() {
	if m.dir != nil && m.dir != m.root {
		m.dir.Close()
	}
	if m.root != nil {
		m.root.Close()
	}
}

func keysOf(cs []candidate) string {
	var keys []string
	for _, c := range cs {
		keys = append(keys, c.key)
	}
	return strings.Join(keys, " or ")
}

// isTopPackage: <pkg> or src/<pkg>, with pkg a Python identifier.
func isTopPackage(dir string) bool {
	dir = strings.TrimPrefix(dir, "src/")
	if dir == "" || strings.Contains(dir, "/") {
		return false
	}
	for i, r := range dir {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// walk calls fn for each regular file or symbolic link under root (slash
// paths relative to root), skipping hidden directories (.git among them)
// and skipDirs. Symbolic links to directories are not followed; links to
// files are reported and later resolved by repofs, which refuses the ones
// pointing out.
func walk(root string, fn func(rel string)) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return fmt.Errorf("walking the repository: %w", err)
			}
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() || d.Type()&os.ModeSymlink != 0 {
			fn(rel)
		}
		return nil
	})
}
