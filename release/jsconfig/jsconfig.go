// Package jsconfig evaluates commitlint's script configurations
// (commitlint.config.{js,cjs,mjs,ts,cts,mts}, .commitlintrc.{js,cjs,mjs,ts,cts})
// without Node: esbuild's Go API turns TypeScript and ES modules into
// CommonJS, and goja, a JavaScript engine in pure Go, runs the result.
//
// Everything in a repository is untrusted, so evaluation is sandboxed:
//
//   - no file, network or process access: there is no fs, child_process,
//     net, http or os module, and `process` is a frozen stub whose env is
//     empty;
//   - require() resolves the built-in modules (@commitlint/types,
//     @commitlint/config-conventional, @commitlint/config-angular), files
//     inside the repository (read through internal/repofs: never outside
//     the work tree, never under .git) and node_modules packages that are
//     plain JavaScript or JSON; anything else is an *Error naming the file,
//     the line and what to do;
//   - every evaluation and every later call into the configuration (an
//     ignores function, a plugin rule) is interrupted after Options.Timeout
//     (2s by default) and when the Go heap grows by more than
//     Options.MaxMemory (256 MiB by default; a watcher samples the heap
//     every few milliseconds, so one single allocation larger than the cap
//     can still happen before it is stopped); deep recursion is a
//     RangeError, not a crash;
//   - a panic inside the engine is turned into an *Error.
//
// Values come back as plain Go data: map[string]any, []any, string,
// float64 or int64, bool, nil; regular expressions as their source
// string; functions as *Func, callable later from any goroutine.
package jsconfig

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime/metrics"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"

	"github.com/shipflow/shipflow/internal/repofs"
)

// Options tune a Loader. The zero value is usable.
type Options struct {
	// Timeout caps one evaluation and each later call into the
	// configuration. Default 2s.
	Timeout time.Duration
	// MaxMemory caps how much the Go heap may grow while JavaScript runs.
	// Default 256 MiB.
	MaxMemory uint64
	// CacheDir, when set, keeps the CommonJS that esbuild makes of each
	// TypeScript or ES module file there, keyed by the SHA-256 of the
	// source, its name and Version, so the commit-msg hook transforms a
	// config once. The directory is the caller's (e.g.
	// os.UserCacheDir()/shipflow); it is never under the repository.
	CacheDir string
	// Version is part of the cache key (shipflow's version).
	Version string
}

// MaxFileSize caps each file a configuration loads.
const MaxFileSize = 1 << 20

// Error is a configuration that cannot be evaluated: File (relative to the
// repository) and Line (1-based, 0 when unknown) say where, Message what
// happened and what to do.
type Error struct {
	File   string
	Line   int
	Column int
	// Message says what went wrong and what to do.
	Message string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

// Loader evaluates the script configurations of one repository in one
// JavaScript runtime, so a configuration and what it requires are
// evaluated once per run. A Loader is safe for concurrent use.
type Loader struct {
	root string
	opts Options

	mu      sync.Mutex
	vm      *goja.Runtime
	modules map[string]*goja.Object // module objects by file, for require's cache
	// broken is set when a call was interrupted: the runtime may be in
	// any state, so later calls fail fast.
	broken error
}

// New returns a Loader for the repository at root.
func New(root string, opts Options) *Loader {
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Second
	}
	if opts.MaxMemory == 0 {
		opts.MaxMemory = 256 << 20
	}
	return &Loader{root: root, opts: opts, modules: map[string]*goja.Object{}}
}

// Load evaluates the configuration file (slash-separated, relative to the
// repository) and returns what it exports: module.exports, or the default
// export of an ES module; a function is called and a promise awaited, as
// commitlint does.
func (l *Loader) Load(file string) (any, error) {
	return l.run(file, func(m *machine) (goja.Value, error) {
		mod, err := m.load(file, "")
		if err != nil {
			return nil, err
		}
		return m.resolveExport(mod.Get("exports"), file)
	})
}

// Require resolves name as require() does from the file from (relative to
// the repository; "" is the top level) and returns its exports: a
// shareable configuration or a plugin package of `extends` or `plugins`.
func (l *Loader) Require(from, name string) (any, error) {
	file := from
	if file == "" {
		file = "package.json"
	}
	return l.run(file, func(m *machine) (goja.Value, error) {
		v, err := m.require(path.Dir(from), name)
		if err != nil {
			return nil, err
		}
		return m.resolveExport(v, file)
	})
}

// run runs f in the runtime with the sandbox's caps and converts its
// result to Go.
func (l *Loader) run(file string, f func(m *machine) (goja.Value, error)) (out any, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.broken != nil {
		return nil, l.broken
	}
	if l.vm == nil {
		l.vm = newRuntime()
	}
	m := &machine{l: l, vm: l.vm}
	err = l.guard(file, func() error {
		v, err := f(m)
		if err != nil {
			return err
		}
		out, err = m.export(v, file, 0, map[*goja.Object]bool{})
		return err
	})
	return out, err
}

// errTimeout and errMemory are what an interrupted runtime reports.
var (
	errTimeout = errors.New("timeout")
	errMemory  = errors.New("memory")
)

// guard runs f with the time and memory caps and turns panics and
// JavaScript exceptions into *Errors. The caller holds l.mu.
func (l *Loader) guard(file string, f func() error) (err error) {
	done := make(chan struct{})
	vm := l.vm
	go watch(vm, l.opts, done)
	defer func() {
		close(done)
		if r := recover(); r != nil {
			err = &Error{File: file, Message: fmt.Sprintf("evaluating the configuration failed: %v", r)}
			l.broken = err
		}
		vm.ClearInterrupt()
	}()
	err = f()
	if err == nil {
		return nil
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		e := l.position(&ie.Exception, file)
		switch ie.Value() {
		case errTimeout:
			e.Message = fmt.Sprintf("the configuration ran for more than %s and was stopped; a config must return its value without looping or waiting", l.opts.Timeout)
		case errMemory:
			e.Message = fmt.Sprintf("the configuration allocated more than %d MiB and was stopped", l.opts.MaxMemory>>20)
		default:
			e.Message = fmt.Sprintf("the configuration was stopped: %v", ie.Value())
		}
		l.broken = e
		return e
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		e := l.position(ex, file)
		e.Message = "the configuration threw " + exceptionText(ex)
		if ge, ok := ex.Value().Export().(*Error); ok {
			return ge
		}
		return e
	}
	return err
}

// exceptionText is a thrown value as JavaScript shows it ("Error: x").
func exceptionText(ex *goja.Exception) string {
	v := ex.Value()
	if v == nil {
		return "an exception"
	}
	return v.String()
}

// position finds the first stack frame in one of the repository's files.
func (l *Loader) position(ex *goja.Exception, file string) *Error {
	e := &Error{File: file}
	for _, fr := range ex.Stack() {
		name := fr.SrcName()
		if name == "" || strings.HasPrefix(name, "<") {
			continue
		}
		p := fr.Position()
		e.File, e.Line, e.Column = name, p.Line, p.Column
		break
	}
	return e
}

// watch interrupts vm when it runs too long or the heap grows too much,
// until done is closed.
func watch(vm *goja.Runtime, opts Options, done <-chan struct{}) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	deadline := time.NewTimer(opts.Timeout)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-deadline.C:
			vm.Interrupt(errTimeout)
			return
		case <-tick.C:
			metrics.Read(sample)
			if now := sample[0].Value.Uint64(); now > base && now-base > opts.MaxMemory {
				vm.Interrupt(errMemory)
				return
			}
		}
	}
}

// newRuntime makes the sandboxed runtime: no require of Node's modules, a
// frozen process stub, a console that prints nothing.
func newRuntime() *goja.Runtime {
	vm := goja.New()
	vm.SetMaxCallStackSize(4096)
	_, err := vm.RunString(`
		globalThis.process = Object.freeze({
			env: Object.freeze({}), argv: Object.freeze([]), platform: "linux",
			version: "v20.0.0", versions: Object.freeze({node: "20.0.0"}),
			cwd: function () { return "/"; },
		});
		globalThis.console = Object.freeze({
			log: function () {}, info: function () {}, warn: function () {},
			error: function () {}, debug: function () {}, trace: function () {},
		});
	`)
	if err != nil {
		panic(err)
	}
	return vm
}

// machine is one use of the runtime, under the Loader's lock.
type machine struct {
	l  *Loader
	vm *goja.Runtime
}

// nodeModules are Node's own modules: none is available.
var nodeModules = map[string]bool{
	"fs": true, "fs/promises": true, "child_process": true, "net": true, "http": true, "https": true,
	"http2": true, "os": true, "path": true, "url": true, "util": true, "crypto": true, "dns": true,
	"tls": true, "dgram": true, "cluster": true, "worker_threads": true, "vm": true, "module": true,
	"process": true, "stream": true, "events": true, "readline": true, "zlib": true, "assert": true,
	"buffer": true, "v8": true, "perf_hooks": true, "async_hooks": true, "inspector": true, "tty": true,
}

// throw raises a JavaScript error carrying e; guard unwraps it.
func (m *machine) throw(e *Error) {
	panic(m.vm.ToValue(e))
}

// callerPosition is where the JavaScript that called into Go is.
func (m *machine) callerPosition(file string) (string, int, int) {
	var buf [8]goja.StackFrame
	for _, fr := range m.vm.CaptureCallStack(8, buf[:0]) {
		if n := fr.SrcName(); n != "" && !strings.HasPrefix(n, "<") {
			p := fr.Position()
			return n, p.Line, p.Column
		}
	}
	return file, 0, 0
}

// requireFunc is the require() of the module in dir.
func (m *machine) requireFunc(dir, file string) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		name := call.Argument(0).String()
		v, err := m.require(dir, name)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				e = &Error{Message: err.Error()}
			}
			if e.Line == 0 {
				e.File, e.Line, e.Column = m.callerPosition(file)
			}
			m.throw(e)
		}
		return v
	}
}

// require resolves name from the module directory dir (slash-separated,
// relative to the repository).
func (m *machine) require(dir, name string) (goja.Value, error) {
	bare := strings.TrimPrefix(name, "node:")
	if v, ok := builtinModule(m.vm, bare); ok {
		return v, nil
	}
	if nodeModules[bare] || nodeModules[strings.SplitN(bare, "/", 2)[0]] || strings.HasPrefix(name, "node:") {
		return nil, &Error{Message: fmt.Sprintf("require(%q) needs Node's runtime, which shipflow does not run: configurations are evaluated without file, network or process access; compute the value in the file itself, or write the config as .commitlintrc.json", name)}
	}
	if strings.HasPrefix(name, "./") || strings.HasPrefix(name, "../") || name == "." || name == ".." {
		file, ok := m.resolveFile(path.Join(dir, name))
		if !ok {
			return nil, &Error{Message: fmt.Sprintf("require(%q): no such file inside the repository", name)}
		}
		mod, err := m.load(file, "")
		if err != nil {
			return nil, err
		}
		return mod.Get("exports"), nil
	}
	if strings.HasPrefix(name, "/") || filepath.IsAbs(name) {
		return nil, &Error{Message: fmt.Sprintf("require(%q): absolute paths are outside the repository; require a relative file", name)}
	}
	file, err := m.resolvePackage(dir, name)
	if err != nil {
		return nil, err
	}
	mod, err := m.load(file, "")
	if err != nil {
		return nil, err
	}
	return mod.Get("exports"), nil
}

// exists reports whether the repository has a regular file at name.
func (m *machine) exists(name string) bool {
	p, err := repofs.Resolve(m.l.root, name)
	if err != nil {
		return false
	}
	fi, err := os.Stat(filepath.Join(m.l.root, filepath.FromSlash(p)))
	return err == nil && fi.Mode().IsRegular()
}

// resolveFile finds base, base with one of Node's extensions, or base's
// index file.
func (m *machine) resolveFile(base string) (string, bool) {
	base = path.Clean(base)
	if strings.HasPrefix(base, "../") || base == ".." {
		return "", false
	}
	for _, ext := range []string{"", ".js", ".cjs", ".mjs", ".ts", ".cts", ".mts", ".json"} {
		if m.exists(base + ext) {
			return base + ext, true
		}
	}
	for _, idx := range []string{"/index.js", "/index.cjs", "/index.mjs", "/index.ts", "/index.json"} {
		if m.exists(base + idx) {
			return base + idx, true
		}
	}
	return "", false
}

// resolvePackage finds a node_modules package's entry file, looking in
// dir's node_modules and each parent's up to the repository's top level.
func (m *machine) resolvePackage(dir, name string) (string, error) {
	pkg, sub := name, ""
	parts := strings.SplitN(name, "/", 3)
	if strings.HasPrefix(name, "@") && len(parts) >= 2 {
		pkg = parts[0] + "/" + parts[1]
		if len(parts) == 3 {
			sub = parts[2]
		}
	} else if len(parts) >= 2 {
		pkg, sub = parts[0], strings.Join(parts[1:], "/")
	}
	for d := path.Clean(dir); ; d = path.Dir(d) {
		base := path.Join(d, "node_modules", pkg)
		if d == "." {
			base = path.Join("node_modules", pkg)
		}
		if m.exists(base + "/package.json") {
			if sub != "" {
				if f, ok := m.resolveFile(base + "/" + sub); ok {
					return f, nil
				}
				break
			}
			entry := m.packageEntry(base)
			if f, ok := m.resolveFile(path.Join(base, entry)); ok {
				return f, nil
			}
			return "", &Error{Message: fmt.Sprintf("require(%q): the package has no entry file %s", name, entry)}
		}
		if d == "." || d == "/" || d == "" {
			break
		}
	}
	return "", &Error{Message: fmt.Sprintf("cannot find module %q: it is neither built in (@commitlint/config-conventional, @commitlint/config-angular, @commitlint/types) nor installed in node_modules; run `npm ci` first, or copy its rules into the config", name)}
}

// packageEntry reads a package.json's entry: exports["."] (require,
// import or default), else main, else index.js.
func (m *machine) packageEntry(base string) string {
	data, err := repofs.ReadFile(m.l.root, base+"/package.json", MaxFileSize)
	if err != nil {
		return "index.js"
	}
	v, err := m.vm.RunString("(" + jsonLiteral(data) + ")")
	if err != nil {
		return "index.js"
	}
	pj, _ := v.Export().(map[string]any)
	pick := func(x any) string {
		for range 4 {
			switch t := x.(type) {
			case string:
				return t
			case map[string]any:
				if d, ok := t["."]; ok {
					x = d
					continue
				}
				for _, k := range []string{"require", "default", "import", "node"} {
					if d, ok := t[k]; ok {
						x = d
						break
					}
				}
				continue
			}
			return ""
		}
		return ""
	}
	if e := pick(pj["exports"]); e != "" {
		return e
	}
	if s, ok := pj["main"].(string); ok && s != "" {
		return s
	}
	return "index.js"
}

// jsonLiteral wraps JSON text so that RunString parses it as an
// expression.
func jsonLiteral(data []byte) string {
	return "JSON.parse(" + quoteJS(string(data)) + ")"
}

func quoteJS(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\u2028', '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// load evaluates one file as a CommonJS module, once per Loader.
func (m *machine) load(file, _ string) (*goja.Object, error) {
	if mod, ok := m.l.modules[file]; ok {
		return mod, nil
	}
	src, err := repofs.ReadFile(m.l.root, file, MaxFileSize)
	if err != nil {
		var re *repofs.Error
		if errors.As(err, &re) {
			return nil, &Error{File: file, Message: "the file " + re.Reason + " (configurations are read up to 1 MiB, from inside the repository)"}
		}
		return nil, &Error{File: file, Message: err.Error()}
	}
	mod := m.vm.NewObject()
	exports := m.vm.NewObject()
	_ = mod.Set("exports", exports)
	_ = mod.Set("id", file)
	m.l.modules[file] = mod
	if strings.HasSuffix(file, ".json") {
		v, err := m.vm.RunString(jsonLiteral(src))
		if err != nil {
			delete(m.l.modules, file)
			return nil, &Error{File: file, Message: "not valid JSON: " + err.Error()}
		}
		_ = mod.Set("exports", v)
		return mod, nil
	}
	code, err := m.l.transform(file, src)
	if err != nil {
		delete(m.l.modules, file)
		return nil, err
	}
	// The wrapper sits on the first line so that line numbers stay.
	wrapped := "(function (exports, require, module, __filename, __dirname) {" + code + "\n})"
	ast, err := goja.Parse(file, wrapped, parser.WithSourceMapLoader(func(string) ([]byte, error) {
		return nil, errors.New("source maps are read inline only")
	}))
	if err != nil {
		delete(m.l.modules, file)
		return nil, &Error{File: file, Message: "cannot parse: " + err.Error()}
	}
	prg, err := goja.CompileAST(ast, false)
	if err != nil {
		delete(m.l.modules, file)
		return nil, &Error{File: file, Message: "cannot compile: " + err.Error()}
	}
	fn, err := m.vm.RunProgram(prg)
	if err != nil {
		delete(m.l.modules, file)
		return nil, err
	}
	call, _ := goja.AssertFunction(fn)
	dir := path.Dir(file)
	req := m.vm.ToValue(m.requireFunc(dir, file))
	if _, err := call(goja.Undefined(), exports, req, mod, m.vm.ToValue(file), m.vm.ToValue(dir)); err != nil {
		delete(m.l.modules, file)
		return nil, err
	}
	return mod, nil
}

// transform turns TypeScript and ES modules into CommonJS with an inline
// source map; plain CommonJS is kept as it is.
func (l *Loader) transform(file string, src []byte) (string, error) {
	ext := path.Ext(file)
	ts := ext == ".ts" || ext == ".cts" || ext == ".mts"
	if !ts && ext != ".mjs" && !strings.Contains(string(src), "import") && !strings.Contains(string(src), "export") {
		return string(src), nil
	}
	var key, cached string
	if l.opts.CacheDir != "" {
		h := sha256.New()
		fmt.Fprintf(h, "jsconfig 1\x00%s\x00%s\x00", l.opts.Version, file)
		h.Write(src)
		key = hex.EncodeToString(h.Sum(nil))
		cached = filepath.Join(l.opts.CacheDir, "jsconfig", key[:2], key+".js")
		if b, err := os.ReadFile(cached); err == nil {
			return string(b), nil
		}
	}
	loader := api.LoaderJS
	if ts {
		loader = api.LoaderTS
	}
	res := api.Transform(string(src), api.TransformOptions{
		Loader:     loader,
		Format:     api.FormatCommonJS,
		Platform:   api.PlatformNode,
		Target:     api.ES2017,
		Sourcemap:  api.SourceMapInline,
		Sourcefile: file,
		LogLevel:   api.LogLevelSilent,
		// No tsconfig.json is read: nothing outside the file is.
		TsconfigRaw: "{}",
	})
	if len(res.Errors) > 0 {
		msg := res.Errors[0]
		e := &Error{File: file, Message: "cannot compile: " + msg.Text}
		if msg.Location != nil {
			e.Line, e.Column = msg.Location.Line, msg.Location.Column+1
			if strings.Contains(msg.Text, "Top-level await") {
				e.Message += "; export an async function instead (module.exports = async () => ({...}))"
			}
		}
		return "", e
	}
	code := string(res.Code)
	if cached != "" {
		// The cache is a speed-up only: failing to write it is not an error.
		if os.MkdirAll(filepath.Dir(cached), 0o700) == nil {
			tmp := cached + fmt.Sprintf(".%d.tmp", os.Getpid())
			if os.WriteFile(tmp, res.Code, 0o600) == nil {
				if os.Rename(tmp, cached) != nil {
					os.Remove(tmp)
				}
			}
		}
	}
	return code, nil
}

// resolveExport takes an ES module's default export, calls an exported
// function and awaits a promise, as commitlint's loader does.
func (m *machine) resolveExport(v goja.Value, file string) (goja.Value, error) {
	if o, ok := v.(*goja.Object); ok {
		if es := o.Get("__esModule"); es != nil && es.ToBoolean() {
			if d := o.Get("default"); d != nil && !goja.IsUndefined(d) {
				v = d
			}
		}
	}
	if fn, ok := goja.AssertFunction(v); ok {
		r, err := fn(goja.Undefined())
		if err != nil {
			return nil, err
		}
		v = r
	}
	return m.await(v, file)
}

// await settles a promise: the runtime's job queue has run when a call
// returns, so a promise still pending waits on something that never comes
// (timers, I/O).
func (m *machine) await(v goja.Value, file string) (goja.Value, error) {
	o, ok := v.(*goja.Object)
	if !ok {
		return v, nil
	}
	p, ok := o.Export().(*goja.Promise)
	if !ok {
		return v, nil
	}
	switch p.State() {
	case goja.PromiseStateFulfilled:
		return m.await(p.Result(), file)
	case goja.PromiseStateRejected:
		r := p.Result()
		if e, ok := r.Export().(*Error); ok {
			return nil, e
		}
		f, line, col := file, 0, 0
		if ro, ok := r.(*goja.Object); ok {
			if st := ro.Get("stack"); st != nil {
				f, line, col = stackPosition(st.String(), file)
			}
		}
		return nil, &Error{File: f, Line: line, Column: col, Message: "the configuration's promise was rejected: " + r.String()}
	}
	return nil, &Error{File: file, Message: "the configuration returns a promise that never settles; shipflow runs no timers or I/O: return the value directly"}
}

// stackPosition reads "at ... (file:line:col)" from a JavaScript stack.
func stackPosition(stack, file string) (string, int, int) {
	for _, line := range strings.Split(stack, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "at ") {
			continue
		}
		loc := line[3:]
		if i := strings.LastIndex(loc, "("); i >= 0 {
			loc = strings.TrimSuffix(loc[i+1:], ")")
		}
		parts := strings.Split(loc, ":")
		if len(parts) < 3 || strings.HasPrefix(parts[0], "<") {
			continue
		}
		var l, c int
		fmt.Sscanf(parts[len(parts)-2], "%d", &l)
		fmt.Sscanf(parts[len(parts)-1], "%d", &c)
		return strings.Join(parts[:len(parts)-2], ":"), l, c
	}
	return file, 0, 0
}

// maxDepth bounds how deep a configuration value may nest.
const maxDepth = 64

// export converts a JavaScript value to Go data.
func (m *machine) export(v goja.Value, file string, depth int, seen map[*goja.Object]bool) (any, error) {
	if depth > maxDepth {
		return nil, &Error{File: file, Message: fmt.Sprintf("the configuration nests deeper than %d levels", maxDepth)}
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		switch x := v.Export().(type) {
		case int64:
			return x, nil
		case float64:
			if math.IsNaN(x) {
				return nil, nil
			}
			return x, nil
		default:
			return x, nil
		}
	}
	if _, ok := goja.AssertFunction(o); ok {
		return &Func{l: m.l, v: o, file: file}, nil
	}
	if seen[o] {
		return nil, &Error{File: file, Message: "the configuration refers to itself (a cycle)"}
	}
	seen[o] = true
	defer delete(seen, o)
	switch o.ClassName() {
	case "Array":
		n := int(o.Get("length").ToInteger())
		if n > 1<<16 {
			return nil, &Error{File: file, Message: fmt.Sprintf("an array of %d items is not a configuration", n)}
		}
		out := make([]any, n)
		for i := range n {
			e, err := m.export(o.Get(fmt.Sprint(i)), file, depth+1, seen)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case "RegExp":
		return o.Get("source").String(), nil
	case "Promise":
		r, err := m.await(o, file)
		if err != nil {
			return nil, err
		}
		return m.export(r, file, depth+1, seen)
	}
	keys := o.Keys()
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		e, err := m.export(o.Get(k), file, depth+1, seen)
		if err != nil {
			return nil, err
		}
		out[k] = e
	}
	return out, nil
}

// Func is a function of a configuration (an ignores entry, a plugin rule,
// a rule computed by a function). Call it from any goroutine: calls are
// serialised and capped like the evaluation.
type Func struct {
	l    *Loader
	v    *goja.Object
	file string
}

// CallJS calls the function with Go arguments (converted as goja converts
// Go values: maps to objects, slices to arrays) and returns its result as
// Go data, a promise awaited.
func (f *Func) CallJS(args ...any) (any, error) {
	return f.l.run(f.file, func(m *machine) (goja.Value, error) {
		fn, _ := goja.AssertFunction(f.v)
		vals := make([]goja.Value, len(args))
		for i, a := range args {
			vals[i] = toValue(m.vm, a)
		}
		r, err := fn(goja.Undefined(), vals...)
		if err != nil {
			return nil, err
		}
		return m.await(r, f.file)
	})
}

// toValue converts Go data to JavaScript, maps and slices as plain
// objects and arrays (not wrapped Go values) so that scripts can spread,
// freeze and enumerate them.
func toValue(vm *goja.Runtime, a any) goja.Value {
	switch x := a.(type) {
	case nil:
		return goja.Null()
	case map[string]any:
		o := vm.NewObject()
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			_ = o.Set(k, toValue(vm, x[k]))
		}
		return o
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			items[i] = toValue(vm, e)
		}
		return vm.NewArray(items...)
	case []string:
		items := make([]any, len(x))
		for i, e := range x {
			items[i] = e
		}
		return vm.NewArray(items...)
	case *Func:
		return x.v
	}
	return vm.ToValue(a)
}
