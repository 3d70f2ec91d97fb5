// Package buildinfo says which release this is.
package buildinfo

// Version is the release, bumped by shipflow.
const Version = "1.2.0"

// MinServer is not the version.
const MinServer = "1.2.0"
