package config

// Changelog is the `changelog:` section of .shipflow.yaml.
type Changelog struct{}
