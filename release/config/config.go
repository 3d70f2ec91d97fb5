// Package config loads shipflow's configuration: `.shipflow.yaml` (strictly
// decoded: an unknown key is an error with its line and column) and
// commitlint's `.commitlintrc.json|.yaml|.yml`.
//
// Each section is a plain struct owned by this package; the release package
// maps sections to the options of the leaf packages, so leaves never import
// each other or this package.
package config

// FileName is the name of shipflow's configuration file at the repository root.
const FileName = ".shipflow.yaml"

// Config is the whole of `.shipflow.yaml`. Every field is optional; the zero
// value means "use the defaults", which are documented on each field.
type Config struct {
	Lint      Lint      `yaml:"lint"`
	Version   Version   `yaml:"version"`
	Changelog Changelog `yaml:"changelog"`
	Release   Release   `yaml:"release"`
	Branches  Branches  `yaml:"branches"`
	Test      Test      `yaml:"test"`
	Image     Image     `yaml:"image"`
	PR        PR        `yaml:"pr"`
	// Packages are the packages of a monorepo, each versioned and
	// released on its own (see Package). Default none: the repository is
	// one package.
	Packages []Package `yaml:"packages"`
}
