package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Paths in .shipflow.yaml are repository content: one that leaves the
// repository or enters .git/ is refused at its key's line and column (D1:
// `changelog: {file: .git/config, template: .tmpl}` wrote core.fsmonitor
// into .git/config).
func TestParseRefusesPathsOutsideTheRepository(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"changelog file in .git", "changelog:\n  file: .git/config\n  template: .tmpl\n",
			`.shipflow.yaml:2:9: changelog.file: ".git/config" is inside .git/`},
		{"changelog file absolute", "changelog:\n  file: /etc/passwd\n",
			`.shipflow.yaml:2:9: changelog.file: "/etc/passwd" is absolute`},
		{"changelog file escapes", "changelog:\n  preset: angular\n  file: docs/../../outside.md\n",
			`.shipflow.yaml:3:9: changelog.file: "docs/../../outside.md" leaves the repository`},
		{"changelog file in a nested .git", "changelog: {file: sub/.GIT/hooks/pre-commit}\n",
			`.shipflow.yaml:1:19: changelog.file: "sub/.GIT/hooks/pre-commit" is inside .git/`},
		{"template from /proc", "changelog:\n  template: /proc/self/environ\n",
			`.shipflow.yaml:2:13: changelog.template: "/proc/self/environ" is absolute`},
		{"template escapes", "changelog:\n  template: ../../etc/passwd\n",
			`.shipflow.yaml:2:13: changelog.template: "../../etc/passwd" leaves the repository`},
		{"ca-file absolute", "image:\n  repository: r.example/a\n  ca-file: /etc/ssl/private/key.pem\n",
			`.shipflow.yaml:3:12: image.ca-file: "/etc/ssl/private/key.pem" is absolute`},
		{"junit glob escapes", "test:\n  junit:\n    - reports/*.xml\n    - ../other/*.xml\n",
			`.shipflow.yaml:4:7: test.junit[1]: "../other/*.xml" leaves the repository`},
		{"junit glob in .git", "test:\n  junit: ['.git/*']\n",
			`.shipflow.yaml:2:11: test.junit[0]: ".git/*" is inside .git/`},
		{"junit glob empty", "test:\n  junit: ['']\n",
			`.shipflow.yaml:2:11: test.junit[0]: is empty`},
		{"through an alias", "x: &p /etc/passwd\n",
			""}, // an unknown key: refused before the paths are looked at
		{"alias value", "changelog:\n  file: &f ../up.md\n",
			`.shipflow.yaml:2:9: changelog.file: "../up.md" leaves the repository`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(FileName, []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse accepted %q", tt.in)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error is %T, want *config.Error: %v", err, err)
			}
			if tt.want != "" && !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v\nwant prefix %q", err, tt.want)
			}
		})
	}
}

func TestParseKeepsPathsInsideTheRepository(t *testing.T) {
	cfg, err := Parse(FileName, []byte("changelog:\n  file: docs/CHANGES.md\n  template: ./.github/changelog.tmpl\nimage:\n  ca-file: certs/ca.pem\ntest:\n  junit: ['**/junit-*.xml', 'reports/../out/*.xml']\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Changelog.File != "docs/CHANGES.md" || cfg.Changelog.Template != "./.github/changelog.tmpl" || cfg.Image.CAFile != "certs/ca.pem" || len(cfg.Test.JUnit) != 2 {
		t.Fatalf("cfg = %+v", cfg)
	}
	// Problems found later (a template that links out of the repository)
	// still point at the value.
	if got := cfg.Changelog.KeyError("template", "is a link").Error(); got != ".shipflow.yaml:3:13: changelog.template: is a link" {
		t.Errorf("KeyError = %q", got)
	}
	if got := cfg.Test.KeyError("junit[1]", "x").Error(); got != ".shipflow.yaml:7:29: test.junit[1]: x" {
		t.Errorf("KeyError = %q", got)
	}
	rel, err := Parse(FileName, []byte("release:\n  github-api-url: http://x/\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rel.Release.KeyError("github-api-url", "x").Error(); got != ".shipflow.yaml:2:19: release.github-api-url: x" {
		t.Errorf("KeyError = %q", got)
	}
	if got := (Image{}).KeyError("ca-file", "x").Error(); got != ".shipflow.yaml: image.ca-file: x" {
		t.Errorf("KeyError of a section built in code = %q", got)
	}
}

// A configuration file is read up to MaxFileSize, from inside the
// repository: a 50 MB .shipflow.yaml took 9.6 s and 300 MB to parse, and a
// committed link could make shipflow read any file.
func TestLoadCapsAndConfines(t *testing.T) {
	big := "lint:\n  ignores:\n" + strings.Repeat("    - '^WIP: some long enough pattern to fill the file quickly'\n", MaxFileSize/60+10)
	tests := []struct {
		name  string
		setup func(t *testing.T, dir, outside string)
		want  string
	}{
		{"too big", func(t *testing.T, dir, _ string) { write(t, filepath.Join(dir, FileName), big) },
			"bytes, more than the 1048576 allowed (configuration files are read up to 1 MiB"},
		{"link out of the repository", func(t *testing.T, dir, outside string) { link(t, outside, filepath.Join(dir, FileName)) },
			"outside the repository"},
		{"link to /proc", func(t *testing.T, dir, _ string) { link(t, "/proc/self/environ", filepath.Join(dir, FileName)) },
			"outside the repository"},
		{"a directory", func(t *testing.T, dir, _ string) { os.Mkdir(filepath.Join(dir, FileName), 0o755) },
			"not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "repo")
			outside := filepath.Join(base, "outside.yaml")
			os.Mkdir(dir, 0o755)
			write(t, outside, "lint:\n  strict: true\n")
			tt.setup(t, dir, outside)
			_, _, err := Load(dir)
			var ce *Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v; want a *config.Error containing %q", err, tt.want)
			}
			if ce.File != FileName {
				t.Errorf("error names %q, want %q", ce.File, FileName)
			}
		})
	}
	// A link inside the repository is fine.
	dir := t.TempDir()
	write(t, filepath.Join(dir, "shared.yaml"), "lint:\n  strict: true\n")
	link(t, "shared.yaml", filepath.Join(dir, FileName))
	if cfg, found, err := Load(dir); err != nil || !found || !cfg.Lint.Strict {
		t.Fatalf("Load through a link inside = %+v, %v, %v", cfg, found, err)
	}
}

func TestLoadCommitlintCapsAndConfines(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "repo")
	os.Mkdir(dir, 0o755)
	write(t, filepath.Join(base, "secret.json"), `{"extends": ["@commitlint/config-conventional"]}`)
	link(t, filepath.Join(base, "secret.json"), filepath.Join(dir, ".commitlintrc.json"))
	if _, file, err := LoadCommitlint(dir); err == nil || file != ".commitlintrc.json" || !strings.Contains(err.Error(), "outside the repository") {
		t.Fatalf("a link out of the repository: file %q, err %v", file, err)
	}
	os.Remove(filepath.Join(dir, ".commitlintrc.json"))
	write(t, filepath.Join(dir, "package.json"), `{"name": "x", "description": "`+strings.Repeat("x", MaxFileSize)+`"}`)
	_, file, err := LoadCommitlint(dir)
	var ce *Error
	if !errors.As(err, &ce) || file != "package.json" || !strings.Contains(err.Error(), "package.json: the file is 10") || !strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("a package.json over the cap: file %q, err %v", file, err)
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, path string) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}
