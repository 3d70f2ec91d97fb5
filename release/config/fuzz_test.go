package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipflow/shipflow/internal/repofs"
)

// fuzzSeeds returns real configuration files: the project's own and those
// under testdata. Seeds only; the fuzz bodies never touch the disk.
func fuzzSeeds(f *testing.F, globs ...string) {
	f.Helper()
	for _, g := range globs {
		files, err := filepath.Glob(g)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
}

// checkFuzzError holds an error to what a user is promised: an *Error naming
// the file, at a place inside the input.
func checkFuzzError(t *testing.T, name string, data []byte, err error) {
	t.Helper()
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %T is not a *config.Error: %v", err, err)
	}
	if ce.File != name {
		t.Fatalf("error names %q, want %q: %v", ce.File, name, err)
	}
	// YAML breaks lines at LF, CR, CRLF and, in YAML 1.1, NEL, LS and PS.
	lines := 1
	for _, br := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
		lines += bytes.Count(data, []byte(br))
	}
	if ce.Line < 0 || ce.Line > lines || ce.Column < 0 {
		t.Fatalf("error at %d:%d, outside the %d-line input: %v", ce.Line, ce.Column, lines, err)
	}
}

// FuzzParse: .shipflow.yaml is repository content, anyone's to write. Parse
// never panics, its errors point inside the input, and a configuration it
// accepts has every path inside the repository.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f, "../../.shipflow.yaml", "../scaffold/templates/shipflow.yaml")
	for _, s := range []string{
		"",
		"lint:\n  strict: true\n  ignores: ['^WIP']\n  default-ignores: false\n",
		"changelog:\n  preset: keepachangelog\n  file: docs/CHANGES.md\n  template: .github/changelog.tmpl\n  sections:\n    - {type: feat, section: Features}\n    - {type: docs, section: Docs, hidden: true}\n",
		"changelog: {file: .git/config, template: .tmpl}\n",
		"changelog:\n  template: /proc/self/environ\n",
		"test:\n  command: [go, test, ./...]\n  junit: ['reports/**/*.xml']\n  slowest: 5\n",
		"image:\n  repository: ghcr.io/acme/app\n  ca-file: certs/ca.pem\n  labels: {a: b}\n  watch: {health: https://x/healthz, failures: 3, interval: 10s}\n",
		"base: &b {strict: true}\nlint: *b\n",
		"lint:\n  <<: {strict: true}\n",
		"version:\n  tag-prefix: v\nrelease:\n  branch: main\n  floating-major-tag: true\nbranches: {}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(FileName, data)
		if err != nil {
			checkFuzzError(t, FileName, data, err)
			return
		}
		paths := append([]string{cfg.Changelog.File, cfg.Changelog.Template, cfg.Image.CAFile}, cfg.Test.JUnit...)
		for _, p := range paths {
			if p == "" {
				continue
			}
			if _, err := repofs.Clean(p); err != nil {
				t.Fatalf("Parse accepted a path outside the repository: %v", err)
			}
		}
	})
}

// FuzzParseCommitlint: .commitlintrc.* is repository content too.
func FuzzParseCommitlint(f *testing.F) {
	fuzzSeeds(f, "testdata/commitlintrc/*/.commitlintrc*", "testdata/commitlintrc/*/package.json")
	for _, s := range []string{
		`{"extends": ["@commitlint/config-conventional"], "rules": {"header-max-length": [2, "always", 72]}}`,
		"rules:\n  type-enum: [2, always, [feat, fix]]\n  scope-case: [1, never, upper-case]\n",
		"extends: '@commitlint/config-conventional'\nrules: {body-max-line-length: [0]}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseCommitlint(".commitlintrc.yaml", data)
		if err != nil {
			checkFuzzError(t, ".commitlintrc.yaml", data, err)
			return
		}
		if len(cfg.Rules) == 0 {
			t.Fatal("a configuration without rules was accepted")
		}
	})
}
