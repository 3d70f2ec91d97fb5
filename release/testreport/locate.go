package testreport

import (
	"bufio"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// maxIndexFiles bounds the walk of the repository that maps a bare file name
// in a stack trace ("FooTest.java:12") to its path.
const maxIndexFiles = 50000

// locator turns paths found in test output into repository-relative ones.
type locator struct {
	root     string // absolute repository root
	realOnce sync.Once
	realRoot string // root with symlinks resolved, when different
	dir      string // absolute directory of the command (base of relative paths)

	modOnce sync.Once
	modPath string // Go module path of the module around dir
	modDir  string

	indexOnce sync.Once
	index     map[string][]string // base name -> repository-relative paths

	mu       sync.Mutex
	resolved map[string]resolved // resolve's answers, by the path asked
	stats    int                 // file system look-ups made by resolve
}

type resolved struct {
	rel string
	ok  bool
}

// maxResolved bounds resolve's cache: test output names few files many
// times, but untrusted output may name millions once.
const maxResolved = 10000

func newLocator(dir, root string) *locator {
	if dir == "" {
		dir = "."
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if root == "" {
		root = dir
	} else if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	return &locator{root: filepath.Clean(root), dir: filepath.Clean(dir)}
}

// real returns the root with symlinks resolved, or "" when that is the
// root: git reports the top level with symlinks resolved; tools print paths
// as they were given. It is looked up once, when first needed, so parsing
// a report that names no path outside the root costs no file system call.
func (l *locator) real() string {
	l.realOnce.Do(func() {
		if real, err := filepath.EvalSymlinks(l.root); err == nil && real != l.root {
			l.realRoot = real
		}
	})
	return l.realRoot
}

// rel returns abs relative to the root, slash-separated, if it lies inside.
func (l *locator) rel(abs string) (string, bool) {
	abs = filepath.Clean(abs)
	if r, ok := relTo(l.root, abs); ok {
		return r, true
	}
	if real := l.real(); real != "" {
		return relTo(real, abs)
	}
	return "", false
}

// relTo returns abs relative to root, slash-separated, if it lies inside.
func relTo(root, abs string) (string, bool) {
	r, err := filepath.Rel(root, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// module finds the go.mod governing dir (searching up to the root) once.
func (l *locator) module() (modPath, modDir string) {
	l.modOnce.Do(func() {
		for d := l.dir; ; d = filepath.Dir(d) {
			if p := readModulePath(filepath.Join(d, "go.mod")); p != "" {
				l.modPath, l.modDir = p, d
				return
			}
			if d == l.root || filepath.Dir(d) == d {
				return
			}
		}
	})
	return l.modPath, l.modDir
}

// readModulePath returns the module path declared in a go.mod file, or "".
func readModulePath(name string) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			p := strings.TrimSpace(rest)
			if i := strings.Index(p, "//"); i >= 0 {
				p = strings.TrimSpace(p[:i])
			}
			if u, err := strconv.Unquote(p); err == nil {
				p = u
			}
			return p
		}
	}
	return ""
}

// goFile maps a file name printed by package testing ("x_test.go") in the
// package importPath to a repository-relative path.
func (l *locator) goFile(importPath, base string) string {
	modPath, modDir := l.module()
	if modPath == "" {
		return ""
	}
	var dir string
	switch {
	case importPath == modPath:
		dir = modDir
	case strings.HasPrefix(importPath, modPath+"/"):
		dir = filepath.Join(modDir, filepath.FromSlash(importPath[len(modPath)+1:]))
	default:
		return ""
	}
	r, ok := l.rel(filepath.Join(dir, base))
	if !ok {
		return ""
	}
	return r
}

// resolve maps a path printed by a tool — absolute, relative to the command's
// directory or to the root, or a bare file name — to a repository-relative
// path. Absolute paths inside the root are taken as they are; others must
// exist. Answers are remembered: 10k failures with stack traces through the
// same files ask for the same paths 10k times.
func (l *locator) resolve(p string) (string, bool) {
	p = strings.TrimPrefix(p, "file://")
	if p == "" {
		return "", false
	}
	if filepath.IsAbs(p) {
		return l.rel(p)
	}
	l.mu.Lock()
	r, seen := l.resolved[p]
	l.mu.Unlock()
	if seen {
		return r.rel, r.ok
	}
	r.rel, r.ok = l.lookup(p)
	l.mu.Lock()
	if l.resolved == nil {
		l.resolved = map[string]resolved{}
	}
	if len(l.resolved) < maxResolved {
		l.resolved[p] = r
	}
	l.mu.Unlock()
	return r.rel, r.ok
}

// lookup is resolve for a relative path, without the cache.
func (l *locator) lookup(p string) (string, bool) {
	for _, base := range []string{l.dir, l.root} {
		full := filepath.Join(base, filepath.FromSlash(p))
		l.mu.Lock()
		l.stats++
		l.mu.Unlock()
		if fi, err := os.Stat(full); err == nil && fi.Mode().IsRegular() {
			return l.rel(full)
		}
	}
	// A bare or partial name ("FooTest.java", "com/x/FooTest.java"): look it
	// up by base name; take it only when the match is unique.
	slashed := path.Clean(filepath.ToSlash(p))
	var found string
	for _, cand := range l.files()[path.Base(slashed)] {
		if cand == slashed || strings.HasSuffix(cand, "/"+slashed) {
			if found != "" {
				return "", false
			}
			found = cand
		}
	}
	return found, found != ""
}

func (l *locator) files() map[string][]string {
	l.indexOnce.Do(func() {
		l.index = map[string][]string{}
		n := 0
		filepath.WalkDir(l.root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				switch d.Name() {
				case ".git", "node_modules", "vendor", "__pycache__", ".venv", "target", ".gradle":
					if p != l.root {
						return filepath.SkipDir
					}
				}
				return nil
			}
			if n++; n > maxIndexFiles {
				return filepath.SkipAll
			}
			if r, ok := l.rel(p); ok {
				l.index[d.Name()] = append(l.index[d.Name()], r)
			}
			return nil
		})
	})
	return l.index
}

// The frame patterns are compiled on first use, so that starting shipflow (the commit-msg
// hook, at every commit) does not pay for them.
var (
	// Python tracebacks: File "/abs/x.py", line 12, in f
	pyFrameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`File "([^"\n]+)", line (\d+)`) })
	// file:line[:col] as printed by pytest, node, Java, Go, compilers.
	frameRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:^|[\s(\[<'"=])((?:file://)?(?:[A-Za-z]:)?[\w.\-/\\@+~]*\.[A-Za-z][A-Za-z0-9]{0,9}):(\d+)(?::\d+)?`)
	})
)

// maxFrames bounds how many candidate locations are examined per text.
const maxFrames = 200

// fromText finds the location of a failure in a failure text or stack trace:
// the innermost frame inside the repository, which is the last one for
// Python tracebacks and the first one for everything else. With hint, only
// frames in that repository-relative file count.
func (l *locator) fromText(text, hint string) (string, int) {
	type frame struct {
		file string
		line int
	}
	var frames []frame
	python := false
	add := func(p, line string) {
		n, err := strconv.Atoi(line)
		if err != nil || n <= 0 {
			return
		}
		r, ok := l.resolve(p)
		if !ok || (hint != "" && r != hint) {
			return
		}
		frames = append(frames, frame{r, n})
	}
	for _, m := range pyFrameRE().FindAllStringSubmatch(text, maxFrames) {
		python = true
		add(m[1], m[2])
	}
	if len(frames) == 0 {
		for _, m := range frameRE().FindAllStringSubmatch(text, maxFrames) {
			if strings.HasSuffix(m[1], ".py") {
				python = true
			}
			add(m[1], m[2])
		}
	}
	// Frames in installed dependencies are a last resort.
	own := frames[:0:0]
	for _, f := range frames {
		if !isDependency(f.file) {
			own = append(own, f)
		}
	}
	if len(own) > 0 {
		frames = own
	}
	if len(frames) == 0 {
		return "", 0
	}
	f := frames[0]
	if python {
		f = frames[len(frames)-1]
	}
	return f.file, f.line
}

// isDependency reports whether a repository-relative path lies in a
// directory of installed dependencies.
func isDependency(rel string) bool {
	for _, dir := range []string{"node_modules", "site-packages", "dist-packages", ".venv", "vendor"} {
		if strings.HasPrefix(rel, dir+"/") || strings.Contains(rel, "/"+dir+"/") {
			return true
		}
	}
	return false
}
