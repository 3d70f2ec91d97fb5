package config

// Branches is the `branches:` section of .shipflow.yaml: the branching model
// that `shipflow branch check` and `shipflow pr` enforce. Patterns are exact
// branch names ("dev") or prefix patterns ending in "/*" ("feature/*").
//
//	branches:
//	  extra-flows:
//	    release/*: [main]
//	  max-length: 80
type Branches struct {
	// Flows maps each head pattern of the model to the bases it may target,
	// and replaces the default model when set. Default:
	//   feature/*: [dev]
	//   hotfix/*: [main, dev]
	//   dev: [main]
	//   main: [dev]
	//   dependabot/*: [dev]
	//   renovate/*: [dev]
	Flows map[string][]string `yaml:"flows"`
	// ExtraFlows adds heads (such as "release/*" or "develop") or extra
	// bases for existing heads to Flows. Default: none.
	ExtraFlows map[string][]string `yaml:"extra-flows"`
	// StrictNames are the head patterns whose names must be one or more
	// '/'-separated parts of [A-Za-z0-9][A-Za-z0-9._-]* after the prefix.
	// Default: [feature/*, hotfix/*].
	StrictNames []string `yaml:"strict-names"`
	// Skip are head patterns allowed without any check. Default:
	// [gh-readonly-queue/*] (GitHub's merge queue).
	Skip []string `yaml:"skip"`
	// MaxLength is the longest allowed name, in characters, of a head that
	// matches StrictNames; -1 removes the limit. Default: 100.
	MaxLength int `yaml:"max-length"`
	// Stable is the branch releases are cut from, checked for back-merge
	// debt against Integration. Default: main.
	Stable string `yaml:"stable"`
	// Integration is the branch features are merged into; it should hold
	// every commit of Stable. Default: dev.
	Integration string `yaml:"integration"`
}
