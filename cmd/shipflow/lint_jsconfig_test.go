package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// copyCase copies release/jsconfig/testdata/<name> into dir.
func copyCase(t testing.TB, dir, name string) {
	t.Helper()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "release", "jsconfig", "testdata", name))); err != nil {
		t.Fatal(err)
	}
}

// TestLintScriptConfigs: the commit-msg hook reads JavaScript and
// TypeScript configs (no more exit 2), --config picks one, unknown keys
// warn, and a config that throws, loops or has the wrong shape is exit 2
// with the file and line.
func TestLintScriptConfigs(t *testing.T) {
	ts := gittest.New(t)
	copyCase(t, ts.Dir, "ts")
	ts.WriteFile("msg.txt", "chore(api): tidy up\n")
	ts.WriteFile("bad.txt", "docs: explain\n")
	ts.WriteFile("other.config.js", "module.exports = { rules: { 'type-enum': [2, 'always', ['docs']] }, extra: 1 };\n")
	throws := gittest.New(t)
	copyCase(t, throws.Dir, "bad/throws")
	loop := gittest.New(t)
	copyCase(t, loop.Dir, "bad/loop")
	shape := gittest.New(t)
	copyCase(t, shape.Dir, "bad/shape")

	cases := []struct {
		name string
		dir  string
		args []string
		want int
		out  string
	}{
		{"ts config passes", ts.Dir, []string{"lint", "--edit", "msg.txt"}, exitOK, ""},
		{"ts config fails", ts.Dir, []string{"lint", "--edit", "bad.txt"}, exitFindings, "[type-enum]"},
		{"--config picks another file", ts.Dir, []string{"lint", "--config", "other.config.js", "--edit", "bad.txt"}, exitOK, `warning: other.config.js: unknown key "extra" is ignored`},
		{"--config missing", ts.Dir, []string{"lint", "--config", "nope.js", "--edit", "msg.txt"}, exitUsage, "nope.js: no such file"},
		{"throws", throws.Dir, []string{"lint", "-m", "feat: x"}, exitUsage, "commitlint.config.js:3:"},
		{"loops", loop.Dir, []string{"lint", "-m", "feat: x"}, exitUsage, "was stopped"},
		{"wrong shape", shape.Dir, []string{"lint", "-m", "feat: x"}, exitUsage, "commitlint.config.js"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runShipflow(t, c.dir, "", c.args...)
			if code != c.want || !strings.Contains(out+errs, c.out) {
				t.Errorf("exit %d, want %d with %q\nstdout:\n%s\nstderr:\n%s", code, c.want, c.out, out, errs)
			}
		})
	}
}

// BenchmarkHook compares the commit-msg hook (`lint --edit`) with a
// TypeScript config and with the same rules in JSON, in-process, each
// run loading the config as a hook process does (the esbuild output
// cached as in a second commit).
func BenchmarkHook(b *testing.B) {
	for _, c := range []struct{ name, file, body string }{
		{"json", ".commitlintrc.json", `{"extends": ["@commitlint/config-conventional"], "rules": {"type-enum": [2, "always", ["feat", "fix", "chore"]], "scope-empty": [2, "never"], "subject-max-length": [1, "always", 40]}}`},
		{"ts", "commitlint.config.ts", ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			g := gittest.New(b)
			if c.body != "" {
				g.WriteFile(c.file, c.body+"\n")
			} else {
				copyCase(b, g.Dir, "ts")
			}
			g.WriteFile("msg.txt", "feat(api): add a thing\n")
			cache := b.TempDir()
			env := func(k string) string {
				if k == "XDG_CACHE_HOME" {
					return cache
				}
				return ""
			}
			b.ResetTimer()
			for b.Loop() {
				var out strings.Builder
				code := run(b.Context(), []string{"-C", g.Dir, "lint", "--edit", "msg.txt"}, strings.NewReader(""), &out, &out, env)
				if code != exitOK {
					b.Fatalf("exit %d: %s", code, out.String())
				}
			}
		})
	}
}
