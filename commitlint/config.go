package commitlint

import "regexp"

// Config says which rules Lint runs and which messages it skips.
type Config struct {
	// Rules maps commitlint rule names ("type-enum") to their
	// configuration. A rule that is missing or Disabled is not run.
	Rules map[string]RuleConfig
	// DefaultIgnores skips the messages commitlint skips by default, judged
	// by the header alone: merges, reverts, reapplies, fixup!/squash!/amend!
	// commits and bare version commits. ConventionalConfig sets it.
	DefaultIgnores bool
	// Ignores are extra patterns; a message whose header matches one is
	// skipped.
	Ignores []*regexp.Regexp
	// HelpURL, when set, is the help link of every finding. By default each
	// finding links to its rule's documentation.
	HelpURL string
	// IgnoreFuncs are commitlint's `ignores` functions (from a script
	// config): a message for which one returns true is skipped.
	IgnoreFuncs []func(msg string) bool
	// Plugins are plugin rules by name (commitlint's `plugins: [{rules}]`).
	// A rule configured in Rules runs its plugin when there is one, even
	// over a built-in rule of the same name, as in commitlint.
	Plugins map[string]PluginRule
	// Parser, when set, holds a parser preset's options (parserPreset).
	Parser *ParserOptions
}

// ConventionalConfig returns the rules of commitlint's
// @commitlint/config-conventional, with default ignores on. Each call
// returns a fresh map that the caller may change.
func ConventionalConfig() Config {
	types := []string{"build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"}
	return Config{
		Rules: map[string]RuleConfig{
			"body-leading-blank":     {Level: Warning, Always: true},
			"body-max-line-length":   {Level: Error, Always: true, Value: 100},
			"footer-leading-blank":   {Level: Warning, Always: true},
			"footer-max-line-length": {Level: Error, Always: true, Value: 100},
			"header-max-length":      {Level: Error, Always: true, Value: 100},
			"header-trim":            {Level: Error, Always: true},
			"subject-case":           {Level: Error, Always: false, Value: []string{"sentence-case", "start-case", "pascal-case", "upper-case"}},
			"subject-empty":          {Level: Error, Always: false},
			"subject-full-stop":      {Level: Error, Always: false, Value: "."},
			"type-case":              {Level: Error, Always: true, Value: []string{"lower-case"}},
			"type-empty":             {Level: Error, Always: false},
			"type-enum":              {Level: Error, Always: true, Value: types},
		},
		DefaultIgnores: true,
	}
}

// ruleDocsURL is the documentation page of commitlint's rules; each rule
// has an anchor named after it.
const ruleDocsURL = "https://commitlint.js.org/reference/rules.html#"

// lintHeaderFormatURL explains the header format a "header-format"
// finding refers to.
const lintHeaderFormatURL = "https://www.conventionalcommits.org/en/v1.0.0/#specification"

// helpURL returns the help link for a finding of rule.
func (c Config) helpURL(rule string) string {
	if c.HelpURL != "" {
		return c.HelpURL
	}
	if rule == "header-format" {
		return lintHeaderFormatURL
	}
	if _, ok := ruleSpecs[rule]; ok {
		return ruleDocsURL + rule
	}
	return ""
}

// SharedConfigVersion is the version of @commitlint/config-conventional
// and @commitlint/config-angular whose rules ConventionalConfig and
// AngularConfig mirror.
const SharedConfigVersion = "20.5.3"

// AngularConfig returns the rules of commitlint's
// @commitlint/config-angular, with default ignores on, and its parser
// preset's header pattern. Each call returns a fresh Config.
func AngularConfig() Config {
	types := []string{"build", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"}
	return Config{
		Rules: map[string]RuleConfig{
			"subject-exclamation-mark": {Level: Error, Always: false},
			"body-leading-blank":       {Level: Warning, Always: true},
			"footer-leading-blank":     {Level: Warning, Always: true},
			"header-max-length":        {Level: Error, Always: true, Value: 72},
			"scope-case":               {Level: Error, Always: true, Value: []string{"lower-case"}},
			"subject-case":             {Level: Error, Always: false, Value: []string{"sentence-case", "start-case", "pascal-case", "upper-case"}},
			"subject-empty":            {Level: Error, Always: false},
			"subject-full-stop":        {Level: Error, Always: false, Value: "."},
			"type-case":                {Level: Error, Always: true, Value: []string{"lower-case"}},
			"type-empty":               {Level: Error, Always: false},
			"type-enum":                {Level: Error, Always: true, Value: types},
		},
		DefaultIgnores: true,
		Parser:         &ParserOptions{HeaderPattern: regexp.MustCompile(AngularHeaderPattern)},
	}
}

// AngularHeaderPattern is @commitlint/config-angular's parser preset's
// headerPattern.
const AngularHeaderPattern = `^(\w*)(?:\((.*)\))?!?: (.*)$`
