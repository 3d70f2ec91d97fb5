package config

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

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
	// and replaces the default model when set; an empty map (`flows: {}`)
	// is an error, since it would reject every branch. Default:
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

// UnmarshalYAML decodes the section and refuses `flows: {}`: an empty model
// rejects every branch, which is never what was meant. Leaving flows out
// keeps the default model.
func (b *Branches) UnmarshalYAML(n *yaml.Node) error {
	type plain Branches
	if err := n.Decode((*plain)(b)); err != nil {
		return err
	}
	if b.Flows == nil || len(b.Flows) > 0 {
		return nil
	}
	line, col := n.Line, n.Column
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "flows" {
			line, col = n.Content[i+1].Line, n.Content[i+1].Column
		}
	}
	// A *yaml.TypeError with a "line N:" prefix is what Parse turns into
	// an *Error with the file and line.
	return &yaml.TypeError{Errors: []string{fmt.Sprintf(
		"line %d: column %d: `branches.flows` is empty, so every branch would be rejected; list at least one head with its bases (feature/*: [dev]), or leave flows out for the default model", line, col)}}
}
