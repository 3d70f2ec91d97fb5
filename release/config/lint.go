package config

// Lint is the `lint:` section of .shipflow.yaml.
type Lint struct{}
