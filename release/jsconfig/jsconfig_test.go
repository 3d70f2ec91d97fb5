package jsconfig

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/commitlint"
)

// load evaluates testdata/<dir>/<file> with a short timeout.
func load(t *testing.T, dir, file string, opts Options) (any, error) {
	t.Helper()
	// A hang guard only: on a loaded machine evaluating a real config
	// may take long; the loop case sets its own short cap.
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Minute
	}
	return New(filepath.Join("testdata", dir), opts).Load(file)
}

func TestLoadFormats(t *testing.T) {
	cases := []struct{ dir, file, rule string }{
		{"cjs", "commitlint.config.js", "scope-enum"},
		{"mjs", "commitlint.config.mjs", "type-enum"},
		{"ts", "commitlint.config.ts", "type-enum"},
		{"angular", "commitlint.config.cjs", "header-max-length"},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			v, err := load(t, c.dir, c.file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			rules, _ := v.(map[string]any)["rules"].(map[string]any)
			if rules[c.rule] == nil {
				t.Fatalf("no rule %s in %#v", c.rule, v)
			}
		})
	}
	// The TypeScript enum is @commitlint/types's: Error is 2.
	v, _ := load(t, "ts", "commitlint.config.ts", Options{})
	got := v.(map[string]any)["rules"].(map[string]any)["type-enum"]
	if diff := cmp.Diff([]any{int64(2), "always", []any{"feat", "fix", "chore"}}, got); diff != "" {
		t.Errorf("type-enum (-want +got):\n%s", diff)
	}
	// The spread of config-conventional's rules kept them all.
	v, _ = load(t, "mjs", "commitlint.config.mjs", Options{})
	if n := len(v.(map[string]any)["rules"].(map[string]any)); n != 12 {
		t.Errorf("mjs config has %d rules, want config-conventional's 12", n)
	}
}

func TestFunctionsAreCallable(t *testing.T) {
	v, err := load(t, "ignores", "commitlint.config.js", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ign := v.(map[string]any)["ignores"].([]any)
	f, ok := ign[0].(*Func)
	if !ok {
		t.Fatalf("ignores[0] is %T, want *Func", ign[0])
	}
	for msg, want := range map[string]bool{"WIP: x": true, "feat: x": false} {
		got, err := f.CallJS(msg)
		if err != nil || got != want {
			t.Errorf("ignores[0](%q) = %v, %v; want %v", msg, got, err, want)
		}
	}
}

// TestSandbox: what a configuration cannot do fails with the file, the
// line and what to do, never a panic or a hang.
func TestSandbox(t *testing.T) {
	cases := []struct {
		dir, file string
		line      int
		want      string
		timeout   time.Duration
	}{
		{"bad/fs", "commitlint.config.js", 1, `require("fs") needs Node's runtime`, 0},
		{"bad/throws", "commitlint.config.js", 3, "threw Error: no config for you", 0},
		{"bad/loop", "commitlint.config.js", -1, "ran for more than 500ms", 500 * time.Millisecond},
		{"bad/alloc", "commitlint.config.js", 2, "allocated more than 64 MiB", 0},
		{"bad/pending", "commitlint.config.js", 0, "never settles", 0},
		{"bad/outside", "commitlint.config.js", 1, "no such file inside the repository", 0},
		{"bad/syntax", "commitlint.config.ts", 5, "cannot compile", 0},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			_, err := load(t, c.dir, c.file, Options{MaxMemory: 64 << 20, Timeout: c.timeout})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			// -1: somewhere in the file (an interrupted loop is placed at
			// its function).
			if e.File != c.file || (c.line >= 0 && e.Line != c.line) || (c.line < 0 && e.Line == 0) || !strings.Contains(e.Message, c.want) {
				t.Errorf("err = %v; want %s:%d: ...%s...", err, c.file, c.line, c.want)
			}
		})
	}
}

func TestProcessEnvIsEmpty(t *testing.T) {
	t.Setenv("HOME", "/home/someone")
	v, err := load(t, "bad/env", "commitlint.config.mjs", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := v.(map[string]any)["rules"].(map[string]any)["type-enum"].([]any)[2]
	if diff := cmp.Diff([]any{"nohome"}, got); diff != "" {
		t.Errorf("process.env leaked (-want +got):\n%s", diff)
	}
}

func TestRequireRelativeAndNodeModules(t *testing.T) {
	l := New(filepath.Join("testdata", "bad", "relative"), Options{})
	v, err := l.Load("commitlint.config.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.(map[string]any)["rules"].(map[string]any)["scope-enum"]; !ok {
		t.Errorf("the relative file's rules are missing: %#v", v)
	}
	ext, err := l.Require("commitlint.config.js", "commitlint-config-team")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ext.(map[string]any)["rules"].(map[string]any)["type-enum"]; !ok {
		t.Errorf("the JSON package's rules are missing: %#v", ext)
	}
	plug, err := l.Require("commitlint.config.js", "@team/plugin")
	if err != nil {
		t.Fatal(err)
	}
	rule, ok := plug.(map[string]any)["rules"].(map[string]any)["team-rule"].(*Func)
	if !ok {
		t.Fatalf("plugin rule is not a function: %#v", plug)
	}
	out, err := rule.CallJS(map[string]any{"type": "wip"})
	if err != nil || !cmp.Equal(out, []any{false, "no wip"}) {
		t.Errorf("team-rule({type: wip}) = %#v, %v", out, err)
	}
	if _, err := l.Require("", "commitlint-config-missing"); err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("a missing package: err = %v, want one that says to install it", err)
	}
}

// TestCacheKeepsTransformedSource: a TypeScript config is transformed
// once; the second Loader reads esbuild's output from the cache.
func TestCacheKeepsTransformedSource(t *testing.T) {
	cache := t.TempDir()
	if _, err := load(t, "ts", "commitlint.config.ts", Options{CacheDir: cache, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "jsconfig", "*", "*.js"))
	if len(files) != 1 {
		t.Fatalf("cache has %d files, want 1", len(files))
	}
	// A cached entry is used as it is: change it and see the change.
	b, _ := os.ReadFile(files[0])
	if err := os.WriteFile(files[0], []byte(strings.Replace(string(b), `"chore"`, `"cached"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := load(t, "ts", "commitlint.config.ts", Options{CacheDir: cache, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	got := v.(map[string]any)["rules"].(map[string]any)["type-enum"].([]any)[2]
	if !cmp.Equal(got, []any{"feat", "fix", "cached"}) {
		t.Errorf("type-enum = %v; the cache was not used", got)
	}
	// Another version does not read it.
	v, _ = load(t, "ts", "commitlint.config.ts", Options{CacheDir: cache, Version: "other"})
	if got := v.(map[string]any)["rules"].(map[string]any)["type-enum"].([]any)[2]; !cmp.Equal(got, []any{"feat", "fix", "chore"}) {
		t.Errorf("type-enum = %v with another version", got)
	}
}

// TestBuiltinsMirrorPublished: the built-in shareable configurations are
// the published packages' (recorded by testdata/gen.sh from npm), at the
// version commitlint.SharedConfigVersion names.
func TestBuiltinsMirrorPublished(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "verdicts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Shared map[string]map[string]any `json:"shared"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ConventionalName, AngularName} {
		pub := rec.Shared[name]
		if pub == nil {
			t.Fatalf("verdicts.json has no %s", name)
		}
		if pub["version"] != commitlint.SharedConfigVersion {
			t.Errorf("%s: recorded %v, built in %s", name, pub["version"], commitlint.SharedConfigVersion)
		}
		got, _ := Builtin(name)
		// Compare as JSON sees both.
		b, _ := json.Marshal(got)
		var norm map[string]any
		_ = json.Unmarshal(b, &norm)
		delete(pub, "version")
		if diff := cmp.Diff(pub, norm); diff != "" {
			t.Errorf("%s differs from the published package (-published +built in):\n%s", name, diff)
		}
	}
}
