package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `shipflow changelog` writes only inside the repository: a path from
// .shipflow.yaml, --file or a committed link that leaves the work tree or
// enters .git/ is a usage error (exit 2), named at its key's line:col when
// it came from the configuration, and nothing is written (D1, D2, D4).
func TestChangelogCmdStaysInTheRepository(t *testing.T) {
	const fsmonitor = "[core]\n\tfsmonitor = \"touch PWNED; false\"\n"
	tests := []struct {
		name  string
		setup func(t *testing.T, dir, outside string)
		args  []string
		want  string
	}{
		{"D1 config file in .git", func(t *testing.T, dir, _ string) {
			cmdWrite(t, filepath.Join(dir, ".tmpl"), fsmonitor)
			cmdWrite(t, filepath.Join(dir, ".shipflow.yaml"), "changelog:\n  file: .git/config\n  template: .tmpl\n")
		}, nil, `.shipflow.yaml:2:9: changelog.file: ".git/config" is inside .git/`},
		{"D2 template from /proc", func(t *testing.T, dir, _ string) {
			cmdWrite(t, filepath.Join(dir, ".shipflow.yaml"), "changelog:\n  template: /proc/self/environ\n")
		}, []string{"--stdout"}, `.shipflow.yaml:2:13: changelog.template: "/proc/self/environ" is absolute`},
		{"D2 template linked to /proc", func(t *testing.T, dir, _ string) {
			cmdLink(t, "/proc/self/environ", filepath.Join(dir, "notes.tmpl"))
			cmdWrite(t, filepath.Join(dir, ".shipflow.yaml"), "changelog:\n  template: notes.tmpl\n")
		}, []string{"--stdout"}, `.shipflow.yaml:2:13: changelog.template: "notes.tmpl" is a symbolic link to /proc/`},
		{"--file escapes", nil, []string{"--file", "../outside.md"}, `input file: "../outside.md" leaves the repository`},
		{"--file absolute", nil, []string{"--file", "/tmp/outside.md"}, `input file: "/tmp/outside.md" is absolute`},
		{"--file in .git", nil, []string{"--file", ".git/hooks/post-commit"}, "is inside .git/"},
		{"D4 committed link out", func(t *testing.T, dir, outside string) {
			os.Remove(filepath.Join(dir, "CHANGELOG.md"))
			cmdLink(t, outside, filepath.Join(dir, "CHANGELOG.md"))
		}, nil, `changelog file: "CHANGELOG.md" is a symbolic link to`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := changelogRepo(t)
			outside := filepath.Join(filepath.Dir(r.Dir), "outside.txt")
			cmdWrite(t, outside, "outside\n")
			if tt.setup != nil {
				tt.setup(t, r.Dir, outside)
			}
			r.Git("add", "-A")
			r.Git("commit", "-q", "--allow-empty", "-m", "chore: set up")
			gitConfig, _ := os.ReadFile(filepath.Join(r.Dir, ".git", "config"))
			code, out, errOut := nextRun(t, r.Dir, nil, append([]string{"changelog"}, tt.args...)...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("code %d, stderr %q; want 2 and %q\nstdout: %s", code, errOut, tt.want, out)
			}
			if strings.Contains(out, "PATH=") || strings.Contains(errOut, "PATH=") {
				t.Fatal("the environment reached the output")
			}
			if got, _ := os.ReadFile(filepath.Join(r.Dir, ".git", "config")); string(got) != string(gitConfig) {
				t.Errorf(".git/config changed:\n%s", got)
			}
			if got, _ := os.ReadFile(outside); string(got) != "outside\n" {
				t.Errorf("the file outside changed: %q", got)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(r.Dir), "outside.md")); err == nil {
				t.Error("a file was written outside the repository")
			}
		})
	}
}

func cmdWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func cmdLink(t *testing.T, target, path string) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}
