package config

// Release is the `release:` section of .shipflow.yaml.
type Release struct{}
