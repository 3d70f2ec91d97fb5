package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
)

// fakeScripts stands in for release/jsconfig: it "evaluates" a file to
// the value registered for it.
type fakeScripts struct {
	files    map[string]any
	packages map[string]any
	loaded   []string
}

func (f *fakeScripts) Load(file string) (any, error) {
	f.loaded = append(f.loaded, file)
	return f.files[file], nil
}

func (f *fakeScripts) Require(_, name string) (any, error) { return f.packages[name], nil }

// fakeFunc is a script function.
type fakeFunc func(args ...any) (any, error)

func (f fakeFunc) CallJS(args ...any) (any, error) { return f(args...) }

// writeFiles makes a directory with the named (empty) files.
func writeFiles(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(`{"extends": ["@commitlint/config-conventional"]}`+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestScriptSearchOrder: commitlint's order decides which file is read,
// scripts included.
func TestScriptSearchOrder(t *testing.T) {
	cases := []struct {
		files []string
		want  string
	}{
		{[]string{"commitlint.config.js", ".commitlintrc.js"}, ".commitlintrc.js"},
		{[]string{"commitlint.config.ts", "commitlint.config.mjs"}, "commitlint.config.mjs"},
		{[]string{"commitlint.config.cts", ".commitlintrc.mts"}, ".commitlintrc.mts"},
		{[]string{"commitlint.config.js", ".commitlintrc.yml"}, ".commitlintrc.yml"},
	}
	for _, c := range cases {
		dir := writeFiles(t, c.files...)
		fs := &fakeScripts{files: map[string]any{}}
		for _, f := range c.files {
			fs.files[f] = map[string]any{"extends": "@commitlint/config-conventional"}
		}
		res, err := LoadCommitlintWith(dir, CommitlintOptions{Scripts: fs})
		if err != nil {
			t.Fatal(err)
		}
		if res.File != c.want {
			t.Errorf("%v: read %s, want %s", c.files, res.File, c.want)
		}
	}
}

// TestExplicitConfig: --config reads the file named, even one commitlint
// would not find, and refuses one outside the repository.
func TestExplicitConfig(t *testing.T) {
	dir := writeFiles(t, ".commitlintrc.json")
	if err := os.MkdirAll(filepath.Join(dir, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "conf", "lint.yml"), []byte("rules:\n  type-enum: [2, always, [only]]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := LoadCommitlintWith(dir, CommitlintOptions{File: "conf/lint.yml"})
	if err != nil {
		t.Fatal(err)
	}
	if res.File != "conf/lint.yml" || !slices.Equal(res.Config.Rules["type-enum"].Value.([]string), []string{"only"}) {
		t.Errorf("read %s: %+v", res.File, res.Config.Rules)
	}
	for _, bad := range []string{"../x.json", "missing.json", "/etc/passwd"} {
		if _, err := LoadCommitlintWith(dir, CommitlintOptions{File: bad}); err == nil {
			t.Errorf("--config %s: no error", bad)
		}
	}
}

// TestUnknownKeysWarn: unknown top-level keys are ignored with a warning
// that names the file, the line and the key, as commitlint ignores them.
func TestUnknownKeysWarn(t *testing.T) {
	res, err := LoadCommitlintWith(filepath.Join("testdata", "commitlintrc", "json-extends-angular"), CommitlintOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `.commitlintrc.json:4:3: unknown key "extend" is ignored, as commitlint ignores it (did you mean "extends"?)`
	if !slices.Equal(res.Warnings, []string{want}) {
		t.Errorf("warnings = %q, want %q", res.Warnings, want)
	}
}

// TestScriptValues: functions in a script config: a rule computed by a
// function, ignores functions, a local plugin rule (only the last local
// plugin counts, as in commitlint), object-valued scope-enum and a
// parser preset's header pattern.
func TestScriptValues(t *testing.T) {
	dir := writeFiles(t, "commitlint.config.js")
	var seen map[string]any
	fs := &fakeScripts{files: map[string]any{"commitlint.config.js": map[string]any{
		"extends": []any{"@commitlint/config-conventional"},
		"ignores": []any{fakeFunc(func(a ...any) (any, error) { return strings.HasPrefix(a[0].(string), "WIP"), nil })},
		"plugins": []any{
			map[string]any{"rules": map[string]any{"first": fakeFunc(func(...any) (any, error) { return []any{false, "first"}, nil })}},
			map[string]any{"rules": map[string]any{"ticket": fakeFunc(func(a ...any) (any, error) {
				seen = a[0].(map[string]any)
				return []any{strings.Contains(seen["subject"].(string), "ABC-"), "no ticket (" + a[1].(string) + ")"}, nil
			})}},
		},
		"parserPreset": map[string]any{"parserOpts": map[string]any{"headerPattern": `^(\w*)(?:\((.*)\))?!?: (.*)$`, "noteKeywords": []any{"BREAKING"}, "revertPattern": "^Revert"}},
		"rules": map[string]any{
			"header-max-length": fakeFunc(func(...any) (any, error) { return []any{int64(2), "always", int64(30)}, nil }),
			"ticket":            []any{int64(2), "always"},
			"scope-enum":        []any{int64(2), "always", map[string]any{"scopes": []any{"a", "b"}, "delimiters": []any{"|"}}},
		},
		"unknownThing": true,
	}}}
	res, err := LoadCommitlintWith(dir, CommitlintOptions{Scripts: fs})
	if err != nil {
		t.Fatal(err)
	}
	cfg := res.Config
	if got := cfg.Rules["header-max-length"].Value; got != 30 {
		t.Errorf("header-max-length = %v, want 30 from the function", got)
	}
	if _, ok := cfg.Plugins["first"]; ok {
		t.Errorf("the first local plugin counts; commitlint keeps only the last")
	}
	if cfg.Parser == nil || cfg.Parser.HeaderPattern == nil || !slices.Equal(cfg.Parser.NoteKeywords, []string{"BREAKING"}) {
		t.Errorf("parser preset not read: %+v", cfg.Parser)
	}
	if len(res.Warnings) != 2 {
		t.Errorf("warnings = %q; want one for unknownThing and one for revertPattern", res.Warnings)
	}
	l := commitlint.NewLinter(cfg)
	for msg, want := range map[string][]string{
		"feat(a|b): add ABC-1":            nil,
		"feat(a|c): add ABC-1":            {"scope-enum"},
		"feat: add a thing":               {"ticket"},
		"WIP: anything goes here!":        nil,
		"feat: add ABC-1 header too long": {"header-max-length"},
	} {
		var got []string
		for _, f := range l.Lint(msg, commitlint.Input{}).Findings {
			got = append(got, f.Rule)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: rules %v, want %v", msg, got, want)
		}
	}
	if seen["type"] != "feat" || seen["header"] == nil || seen["notes"] == nil {
		t.Errorf("the plugin saw %#v; want commitlint's parsed shape", seen)
	}
}

// TestScriptWrongShape: a script that exports something other than an
// object is a configuration error naming the file.
func TestScriptWrongShape(t *testing.T) {
	dir := writeFiles(t, "commitlint.config.js")
	for _, v := range []any{nil, []any{"x"}, "rules"} {
		fs := &fakeScripts{files: map[string]any{"commitlint.config.js": v}}
		_, err := LoadCommitlintWith(dir, CommitlintOptions{Scripts: fs})
		if err == nil || !strings.HasPrefix(err.Error(), "commitlint.config.js") {
			t.Errorf("export %#v: err = %v", v, err)
		}
	}
}
