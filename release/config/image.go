package config

// Image is the `image:` section of .shipflow.yaml.
type Image struct{}
