package config

// Lint is the `lint:` section of .shipflow.yaml. The rules themselves live in
// `.commitlintrc.{json,yaml,yml}`, commitlint's own file, so a team moving
// from commitlint keeps one source of truth.
type Lint struct {
	// Strict makes warnings fail the lint (exit 1) too. Default false.
	Strict bool `yaml:"strict"`
	// Ignores are extra regular expressions; a commit whose header matches
	// one is not linted. Default none.
	Ignores []string `yaml:"ignores"`
	// DefaultIgnores turns commitlint's built-in ignores (merge, revert,
	// fixup!, version commits ...) on or off. Default true.
	DefaultIgnores *bool `yaml:"default-ignores"`
	// PackageScopes fills commitlint's scope-enum with the package names
	// and their scopes (see Package.AllScopes), as commitlint's
	// config-workspace-scopes does, when .shipflow.yaml has packages.
	// Default true; read it through PackageScopesOn.
	PackageScopes *bool `yaml:"package-scopes"`
}

// PackageScopesOn reports whether scope-enum is filled with the package
// names when packages exist (default true).
func (c Lint) PackageScopesOn() bool { return c.PackageScopes == nil || *c.PackageScopes }
