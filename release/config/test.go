package config

// Test is the `test:` section of .shipflow.yaml.
type Test struct{}
