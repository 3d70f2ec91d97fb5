package release

import (
	"maps"
	"slices"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/config"
)

// lintPackageScopes fills scope-enum with the package names and their
// scopes (config.Package.AllScopes), in packages: order, each once, as
// @commitlint/config-workspace-scopes fills it from the workspace's
// packages ([2, "always", names]: an error, and a commit without a scope
// passes): when pkgs is not empty, lint.package-scopes is on (the
// default), and the commitlint configuration sets no scope-enum of its own
// (an explicit one wins, even one that turns the rule off).
func lintPackageScopes(cfg commitlint.Config, sec config.Lint, pkgs []config.Package) commitlint.Config {
	if len(pkgs) == 0 || !sec.PackageScopesOn() {
		return cfg
	}
	if _, set := cfg.Rules["scope-enum"]; set {
		return cfg
	}
	var scopes []string
	for _, p := range pkgs {
		for _, s := range append([]string{p.Name}, p.AllScopes()...) {
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
	}
	// The caller's map may be shared (a cached configuration): write a copy.
	rules := maps.Clone(cfg.Rules)
	if rules == nil {
		rules = map[string]commitlint.RuleConfig{}
	}
	rules["scope-enum"] = commitlint.RuleConfig{Level: commitlint.Error, Always: true, Value: scopes}
	cfg.Rules = rules
	return cfg
}
