package config

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shipflow/shipflow/commitlint"
)

// commitlintrcConventional returns config-conventional changed by f.
func commitlintrcConventional(f func(*commitlint.Config)) commitlint.Config {
	cfg := commitlint.ConventionalConfig()
	if f != nil {
		f(&cfg)
	}
	return cfg
}

func TestLoadCommitlint(t *testing.T) {
	always := func(l commitlint.Level, v any) commitlint.RuleConfig {
		return commitlint.RuleConfig{Level: l, Always: true, Value: v}
	}
	cases := []struct {
		dir      string
		wantFile string
		want     commitlint.Config
		wantErr  string
	}{
		{dir: "json-extends", wantFile: ".commitlintrc.json", want: commitlintrcConventional(func(c *commitlint.Config) {
			c.Rules["type-enum"] = always(commitlint.Error, []string{"feat", "fix", "chore"})
			c.Rules["header-max-length"] = always(commitlint.Warning, 72)
			c.Rules["body-leading-blank"] = commitlint.RuleConfig{Level: commitlint.Disabled, Always: true}
		})},
		{dir: "yaml-full", wantFile: ".commitlintrc.yaml", want: commitlintrcConventional(func(c *commitlint.Config) {
			c.DefaultIgnores = false
			c.HelpURL = "https://example.com/how-we-commit"
			c.Rules["scope-enum"] = always(commitlint.Error, []string{"api", "web"})
			c.Rules["subject-case"] = always(commitlint.Error, []string{"lower-case"})
		})},
		{dir: "yml-rules-only", wantFile: ".commitlintrc.yml", want: commitlint.Config{
			DefaultIgnores: true,
			Rules: map[string]commitlint.RuleConfig{
				"type-empty":        {Level: commitlint.Error},
				"header-max-length": always(commitlint.Error, math.MaxInt),
			},
		}},
		{dir: "noext-json", wantFile: ".commitlintrc", want: commitlintrcConventional(func(c *commitlint.Config) {
			c.Rules["scope-empty"] = commitlint.RuleConfig{Level: commitlint.Error}
		})},
		{dir: "noext-yaml", wantFile: ".commitlintrc", want: commitlintrcConventional(func(c *commitlint.Config) {
			c.Rules["signed-off-by"] = always(commitlint.Warning, "Signed-off-by:")
		})},
		{dir: "package-json", wantFile: "package.json", want: commitlintrcConventional(func(c *commitlint.Config) {
			c.Rules["type-case"] = always(commitlint.Error, []string{"upper-case"})
		})},
		{dir: "package-json-without-key", wantFile: ".commitlintrc.yml", want: commitlint.ConventionalConfig()},
		{dir: "none", wantFile: "", want: commitlint.ConventionalConfig()},
		{dir: "json-before-js", wantFile: ".commitlintrc.json", want: commitlint.ConventionalConfig()},
		{dir: "js", wantFile: "commitlint.config.js", wantErr: "commitlint.config.js: JavaScript configs are not supported; move the rules to .commitlintrc.json"},
		{dir: "ts", wantFile: ".commitlintrc.ts", wantErr: ".commitlintrc.ts: TypeScript configs are not supported; move the rules to .commitlintrc.json"},
		{dir: "mts", wantFile: "commitlint.config.mts", wantErr: "commitlint.config.mts: TypeScript configs are not supported; move the rules to .commitlintrc.json"},
		{dir: "unknown-extends", wantFile: ".commitlintrc.json", wantErr: `.commitlintrc.json:2:50: extends "@commitlint/config-lerna-scopes" is not supported here: only "@commitlint/config-conventional" and "@commitlint/config-angular" are built in; copy the rules you need from @commitlint/config-lerna-scopes into ` + "`rules`"},
		// config-angular is built in, with its parser preset; the unknown
		// key "extend" is ignored (LoadCommitlintWith warns).
		{dir: "json-extends-angular", wantFile: ".commitlintrc.json", want: func() commitlint.Config {
			c := commitlint.AngularConfig()
			c.Rules["header-max-length"] = always(commitlint.Error, 80)
			return c
		}()},
		// Without a script loader, plugin packages and preset files are
		// JavaScript that cannot be read.
		{dir: "plugins", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:2:11: plugin "commitlint-plugin-function-rules" is a JavaScript package; it needs a script loader (shipflow lint reads it from node_modules)`},
		{dir: "parser-preset", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:2:15: parser preset "./parser-preset.js" is not built in (conventional-changelog-conventionalcommits, conventional-changelog-angular are); write its parserOpts into ` + "`parserPreset: {parserOpts: {...}}`"},
		// An empty list of ignores is accepted, as commitlint accepts it.
		{dir: "ignores", wantFile: ".commitlintrc.json", want: commitlint.ConventionalConfig()},
		{dir: "bad-level", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:2:15: rule "type-enum": level must be 0 (disabled), 1 (warning) or 2 (error), got 3`},
		{dir: "bad-when", wantFile: ".commitlintrc.json", wantErr: `.commitlintrc.json:3:22: rule "type-enum": second item must be "always" or "never", got "sometimes"`},
		{dir: "bad-value", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:2:34: rule "header-max-length": value must be a number of characters (0 or more), got "seventy-two"`},
		{dir: "bad-case", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:2:44: rule "subject-case": unknown case "Upper-case"; valid cases are lower-case, upper-case, camel-case, kebab-case, pascal-case, sentence-case, snake-case, start-case; did you mean "upper-case"?`},
		{dir: "not-a-list", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:2:14: rule "type-enum": want a list [level, "always"|"never", value], got "feat"`},
		{dir: "unknown-rule", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:3:3: unknown rule "type-enums"; did you mean "type-enum"?`},
		// An unknown key is ignored (with a warning), as commitlint ignores
		// it: what is left has no rules.
		{dir: "unknown-key", wantFile: ".commitlintrc.yml", wantErr: ".commitlintrc.yml:1:1: no rules: add `extends: ['@commitlint/config-conventional']` or a `rules` mapping"},
		{dir: "repeated-rule", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:3:3: rule "type-enum" is repeated`},
		{dir: "empty", wantFile: ".commitlintrc.yml", wantErr: ".commitlintrc.yml: the file is empty; add `extends: ['@commitlint/config-conventional']` or a `rules` mapping"},
		{dir: "no-rules", wantFile: ".commitlintrc.json", wantErr: ".commitlintrc.json:1:1: no rules: add `extends: ['@commitlint/config-conventional']` or a `rules` mapping"},
		// yaml.v3 reports this syntax error on the line where the document
		// starts.
		{dir: "syntax", wantFile: ".commitlintrc.yml", wantErr: ".commitlintrc.yml:1: did not find expected ',' or ']'"},
		{dir: "default-ignores-string", wantFile: ".commitlintrc.yml", wantErr: `.commitlintrc.yml:2:17: ` + "`defaultIgnores`" + ` must be true or false, got "no"`},
		{dir: "not-a-mapping", wantFile: ".commitlintrc.json", wantErr: ".commitlintrc.json:1:1: the configuration must be a mapping with `extends` and `rules`"},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		seen[tc.dir] = true
		t.Run(tc.dir, func(t *testing.T) {
			cfg, file, err := LoadCommitlint(filepath.Join("testdata", "commitlintrc", tc.dir))
			if file != tc.wantFile {
				t.Errorf("file = %q, want %q", file, tc.wantFile)
			}
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("LoadCommitlint succeeded, want error %q", tc.wantErr)
				}
				if got := err.Error(); got != tc.wantErr {
					t.Errorf("error:\n got %s\nwant %s", got, tc.wantErr)
				}
				var ce *Error
				if !errors.As(err, &ce) {
					t.Errorf("error %T is not a *config.Error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadCommitlint: %v", err)
			}
			if diff := cmp.Diff(tc.want, cfg, cmpopts.IgnoreUnexported(regexp.Regexp{})); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
	dirs, err := os.ReadDir(filepath.Join("testdata", "commitlintrc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !seen[d.Name()] {
			t.Errorf("testdata/commitlintrc/%s has no test case", d.Name())
		}
	}
}

// TestLoadCommitlintLints checks that a loaded configuration drives Lint:
// the file's rules replace config-conventional's.
func TestLoadCommitlintLints(t *testing.T) {
	cfg, _, err := LoadCommitlint(filepath.Join("testdata", "commitlintrc", "json-extends"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		msg       string
		wantRules []string
	}{
		{"chore: tidy up", nil},
		{"docs: explain the loader", []string{"type-enum"}},
		{"feat: " + strings.Repeat("x", 70), []string{"header-max-length"}},
		{"feat: x\nno blank line", nil},
	}
	for _, tc := range cases {
		res := commitlint.Lint(tc.msg, cfg, commitlint.Input{})
		var rules []string
		for _, f := range res.Findings {
			rules = append(rules, f.Rule)
		}
		if diff := cmp.Diff(tc.wantRules, rules); diff != "" {
			t.Errorf("Lint(%q) rules (-want +got):\n%s", tc.msg, diff)
		}
	}
}

func TestParseCommitlintFormats(t *testing.T) {
	// The same configuration in JSON (tab-indented, as editors write it)
	// and in YAML decodes to the same Config.
	jsonCfg, err := ParseCommitlint(".commitlintrc.json", []byte("{\n\t\"extends\": [\"@commitlint/config-conventional\"],\n\t\"rules\": {\n\t\t\"type-enum\": [2, \"always\", [\"feat\"]]\n\t}\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	yamlCfg, err := ParseCommitlint(".commitlintrc.yaml", []byte("extends: ['@commitlint/config-conventional']\nrules:\n  type-enum: [2, always, [feat]]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonCfg, yamlCfg, cmpopts.IgnoreUnexported(regexp.Regexp{})); diff != "" {
		t.Errorf("JSON and YAML differ (-json +yaml):\n%s", diff)
	}
}
