package config

// Branches is the `branches:` section of .shipflow.yaml.
type Branches struct{}
