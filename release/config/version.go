package config

// Version is the `version:` section of .shipflow.yaml.
type Version struct{}
