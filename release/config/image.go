package config

import (
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Image is the `image:` section of .shipflow.yaml: where `shipflow image`
// publishes the container image, which tags move, the labels it stamps and
// how the health watch rolls back. Every field is optional.
//
//	image:
//	  repository: ghcr.io/acme/app
//	  moving-tags: true
//	  latest: true
//	  sha-tag: true
//	  title: app
//	  licenses: MIT
//	  labels: {org.opencontainers.image.vendor: Acme}
//	  insecure-registries: [registry.internal:5000]
//	  watch: {health: https://app.example/healthz, failures: 3, interval: 10s, max-duration: 10m}
//	  on-rollback: ./rollback.sh {{.Version}} {{.Digest}}
//	  on-promote: [./deploy_docker.sh, "{{.Env}}", "{{.Version}}", "{{.Digest}}"]
type Image struct {
	// Repository is REGISTRY/REPO to push to and roll back (--to, --repo).
	// Default none: give it on the command line.
	Repository string `yaml:"repository"`
	// MovingTags writes X.Y and X for a stable version that is the highest
	// in its range. Default true.
	MovingTags *bool `yaml:"moving-tags"`
	// Latest writes latest for a stable version that is the highest in the
	// repository. Default true.
	Latest *bool `yaml:"latest"`
	// SHATag writes sha-<short commit> next to X.Y.Z. Default true.
	SHATag *bool `yaml:"sha-tag"`
	// Title is the org.opencontainers.image.title label. Default the last
	// element of the repository.
	Title string `yaml:"title"`
	// Licenses is the org.opencontainers.image.licenses label, an SPDX
	// expression. Default none (the label is left out).
	Licenses string `yaml:"licenses"`
	// Source is the org.opencontainers.image.source label. Default the
	// https URL of the `origin` remote.
	Source string `yaml:"source"`
	// Labels are further labels; org.opencontainers.image.* keys here win
	// over the computed ones. Default none.
	Labels map[string]string `yaml:"labels"`
	// InsecureRegistries are registries (host[:port]) reached over plain
	// HTTP or unverified TLS. Default none: HTTPS with verified
	// certificates, except that loopback registries (localhost:PORT,
	// 127.0.0.1, [::1]) may use plain HTTP; private addresses (10.*,
	// 192.168.* ...) and *.local hosts need listing here for it. This file
	// is the repository's, so the list never applies to a registry that
	// credentials go to: that needs the --insecure flag.
	InsecureRegistries []string `yaml:"insecure-registries"`
	// CAFile is a PEM file of extra CA certificates to trust, relative to
	// the repository root and inside it (a regular file of at most 1 MiB).
	// Default none: the system pool.
	CAFile string `yaml:"ca-file"`
	// Watch are the defaults of `shipflow image watch`.
	Watch ImageWatch `yaml:"watch"`
	// OnRollback is the command `image rollback` and `image watch` run
	// in the work tree after a rollback moved tags, so that the running
	// service switches: a bare command name or a path inside the work
	// tree, then arguments that are text/templates over .Version, .Tag,
	// .Digest, .Previous, .Repository and .Env. No shell runs it. Only
	// those verbs run it (see SECURITY.md). Default none.
	OnRollback Command `yaml:"on-rollback"`
	// OnPromote is the command `image promote` runs after it moved an
	// environment tag, with the same rules as OnRollback. Default none.
	OnPromote Command `yaml:"on-promote"`

	src *source // where Parse read the section; nil when built in code
}

// KeyError returns an *Error about the value of key, a key of this section
// ("ca-file"), with the value's line and column when Parse read the
// section.
func (c Image) KeyError(key, format string, a ...any) *Error {
	return c.src.errorf("image."+key, format, a...)
}

// Root is the directory Load read the section from, the work tree that
// CAFile is relative to; "" for a section built in code or by Parse.
func (c Image) Root() string {
	if c.src == nil {
		return ""
	}
	return c.src.dir
}

// ImageWatch is `image.watch:` in .shipflow.yaml.
type ImageWatch struct {
	// Health is the URL polled, an absolute http or https URL; 200 is
	// healthy. Default none.
	Health string `yaml:"health"`
	// Failures is how many failed checks in a row roll back. Default 3.
	Failures int `yaml:"failures"`
	// Interval is the time between checks. Default 10s.
	Interval time.Duration `yaml:"interval"`
	// Timeout bounds one check. Default the interval, at most 10s.
	Timeout time.Duration `yaml:"timeout"`
	// MaxDuration bounds the watch. Default 10m.
	MaxDuration time.Duration `yaml:"max-duration"`
}

// Command is a command line in .shipflow.yaml: a list of arguments, or a
// string split at white space into arguments. No shell reads it: quotes,
// $, ; and | are plain characters, so an argument with a space in it needs
// the list form.
type Command []string

// UnmarshalYAML reads a list of arguments, or a string split at white
// space.
func (c *Command) UnmarshalYAML(n *yaml.Node) error {
	list, err := decodeScalarOrList(n, strings.Fields)
	if err != nil {
		return err
	}
	*c = list
	return nil
}
