package secrets

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/repofs"
)

// awsKey is an AWS access key id of the right form that gitleaks'
// aws-access-token rule reports (not one of its allowlisted examples).
const awsKey = "AKIAZ52HGXYRN4WBTEST"

// gitRepo makes a repository in a temporary directory with files
// committed (or only staged when commit is false).
func gitRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, args := range [][]string{{"init", "-q"}, {"config", "user.email", "t@example.com"}, {"config", "user.name", "t"}, {"config", "commit.gpgsign", "false"}} {
		git(t, dir, args...)
	}
	return dir
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scanStaged scans what is staged in dir.
func scanStaged(t *testing.T, dir string) []Finding {
	t.Helper()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	patch := git(t, dir, "diff", "--cached", "-U0", "--no-color")
	var got []Finding
	if err := s.ScanPatch(context.Background(), strings.NewReader(patch), func(f Finding) error {
		got = append(got, f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestScanPatchPlacesContentFindings(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, "x.txt", "a\nb\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "init")
	write(t, dir, "x.txt", "a\nb\nc\n  aws_key = \""+awsKey+"\"\nfoo\n")
	git(t, dir, "add", ".")
	got := scanStaged(t, dir)
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(got), got)
	}
	f := got[0]
	if f.File != "x.txt" || f.Line != 4 || f.Rule != "aws-access-token" || f.Kind != Content || f.Commit != "" {
		t.Errorf("finding = %+v, want x.txt line 4 aws-access-token", f)
	}
	if f.Column != 14 {
		t.Errorf("column = %d, want 14 (where the key starts)", f.Column)
	}
}

func TestPathRule(t *testing.T) {
	cases := []struct {
		name, want string
	}{
		{".env", RuleEnvFile},
		{"svc/api/.env", RuleEnvFile},
		{".env.local", RuleEnvFile},
		{"deploy/.env.production", RuleEnvFile},
		{".env.template", ""},
		{"sub/.env.example", ""},
		{"env", ""},
		{"x.env", ""},
		{".envrc", ""},
		{"id_rsa", RulePrivateKeyFile},
		{"keys/id_ed25519", RulePrivateKeyFile},
		{"id_rsa.pub", ""},
		{"README.md", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := PathRule(c.name); got != c.want {
				t.Errorf("PathRule(%q) = %q, want %q", c.name, got, c.want)
			}
		})
	}
}

func TestScanPatchRefusesEnvAndKeyFilesByName(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, ".env", "SECRET=1\n")
	write(t, dir, "svc/.env.prod", "")
	write(t, dir, ".env.template", "API_TOKEN=changeme\nDB_PASSWORD=\nSIGNING_KEY=<your key>\n")
	write(t, dir, "home/id_ed25519", "not really a key\n")
	write(t, dir, "README.md", "hello\n")
	git(t, dir, "add", ".")
	got := scanStaged(t, dir)
	files := map[string]string{}
	for _, f := range got {
		files[f.File] = f.Rule
		if f.Kind != Path {
			t.Errorf("unexpected content finding %+v", f)
		}
	}
	want := map[string]string{".env": RuleEnvFile, "svc/.env.prod": RuleEnvFile, "home/id_ed25519": RulePrivateKeyFile}
	if len(files) != len(want) {
		t.Errorf("findings %v, want %v", files, want)
	}
	for k, v := range want {
		if files[k] != v {
			t.Errorf("%s: rule %q, want %q", k, files[k], v)
		}
	}
}

func TestScanPatchDeletedEnvIsNotAFinding(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, ".env", "X=1\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "oops")
	git(t, dir, "rm", "-q", "--cached", ".env")
	if got := scanStaged(t, dir); len(got) != 0 {
		t.Errorf("removing .env from the index: got %+v, want nothing", got)
	}
}

func TestScanPatchTemplateWithRealSecret(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, ".env.template", "AWS_ACCESS_KEY_ID="+awsKey+"\nAPI_TOKEN=changeme\n")
	git(t, dir, "add", ".")
	got := scanStaged(t, dir)
	if len(got) != 1 || got[0].Kind != Template || got[0].Line != 1 || got[0].File != ".env.template" {
		t.Fatalf("got %+v, want one template finding on line 1", got)
	}
}

func TestPrivateKeyContentInPem(t *testing.T) {
	dir := gitRepo(t)
	key := "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAuW0wJ3G0Jm4yR8oQdY0aL8yXbQkJ3N2f7xVn1dXcZp5e2K9q\nh3Jk4L5m6N7o8P9q0R1s2T3u4V5w6X7y8Z9a0B1c2D3e4F5g6H7i8J9k0L1m2N3o\n-----END RSA PRIVATE KEY-----\n"
	write(t, dir, "certs/server.pem", key)
	write(t, dir, "certs/public.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
	git(t, dir, "add", ".")
	got := scanStaged(t, dir)
	if len(got) != 1 || got[0].File != "certs/server.pem" || got[0].Rule != "private-key" || got[0].Line != 1 {
		t.Fatalf("got %+v, want the private-key rule on certs/server.pem:1", got)
	}
}

func TestGitleaksIgnoreFingerprint(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, "a.txt", "aws = "+awsKey+"\n")
	write(t, dir, "b.txt", "aws = "+awsKey+"\n")
	write(t, dir, ".env.ci", "X=1\n")
	write(t, dir, IgnoreFile, "# reviewed\na.txt:aws-access-token:1\n.env.ci:env-file:1\n")
	git(t, dir, "add", ".")
	got := scanStaged(t, dir)
	if len(got) != 1 || got[0].File != "b.txt" {
		t.Fatalf("got %+v, want only b.txt (a.txt and .env.ci are in .gitleaksignore)", got)
	}
}

func TestConfigReplacesExtendsAndAllowlists(t *testing.T) {
	cases := []struct {
		name, config string
		wantRules    []string
	}{
		{"own rules only", `
[[rules]]
id = "shipflow-test-token"
regex = '''sftok_[a-z0-9]{16}'''
keywords = ["sftok_"]
`, []string{"shipflow-test-token"}},
		{"extends the default", `
[extend]
useDefault = true
[[rules]]
id = "shipflow-test-token"
regex = '''sftok_[a-z0-9]{16}'''
keywords = ["sftok_"]
`, []string{"aws-access-token", "shipflow-test-token"}},
		{"disables a default rule", `
[extend]
useDefault = true
disabledRules = ["aws-access-token"]
[[rules]]
id = "shipflow-test-token"
regex = '''sftok_[a-z0-9]{16}'''
keywords = ["sftok_"]
`, []string{"shipflow-test-token"}},
		{"global allowlist by path", `
[extend]
useDefault = true
[[allowlists]]
paths = ['''fixtures/''']
`, []string{"aws-access-token"}},
		{"allowlist targets a default rule", `
[extend]
useDefault = true
[[allowlists]]
targetRules = ["aws-access-token"]
regexes = ['''AKIAZ52''']
`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := gitRepo(t)
			write(t, dir, ConfigFile, c.config)
			write(t, dir, "a.txt", "aws = "+awsKey+"\ntok = sftok_abcdefgh12345678\n")
			write(t, dir, "fixtures/f.txt", "aws = "+awsKey+"\n")
			git(t, dir, "add", "a.txt", "fixtures")
			var rules []string
			for _, f := range scanStaged(t, dir) {
				if f.File == "a.txt" {
					rules = append(rules, f.Rule)
				} else if strings.Contains(c.name, "allowlist by path") {
					t.Errorf("allowlisted path reported: %+v", f)
				}
			}
			if strings.Join(rules, ",") != strings.Join(c.wantRules, ",") {
				t.Errorf("rules on a.txt = %v, want %v", rules, c.wantRules)
			}
		})
	}
}

// TestConfigLoadsTwice guards against gitleaks' process-wide extend
// counter: a second load of an extending config must extend too.
func TestConfigLoadsTwice(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, ConfigFile, "[extend]\nuseDefault = true\n")
	for i := range 3 {
		cfg, err := loadConfig(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := cfg.Rules["aws-access-token"]; !ok {
			t.Fatalf("load %d: default rules missing", i+1)
		}
	}
}

func TestConfigExtendPath(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, ConfigFile, "[extend]\npath = \"ci/base.toml\"\n")
	write(t, dir, "ci/base.toml", "[[rules]]\nid = \"base-token\"\nregex = '''basetok_[0-9]{8}'''\n")
	write(t, dir, "a.txt", "x = basetok_12345678\n")
	git(t, dir, "add", "a.txt")
	got := scanStaged(t, dir)
	if len(got) != 1 || got[0].Rule != "base-token" {
		t.Fatalf("got %+v, want the extended base-token rule", got)
	}
}

func TestConfigRefused(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "evil.toml")
	if err := os.WriteFile(outside, []byte("[[rules]]\nid=\"x\"\nregex='''x'''\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, config string
		refused      bool // a path refused by repofs
	}{
		{"url", "[extend]\nurl = \"https://example.com/gitleaks.toml\"\n", false},
		{"absolute path", "[extend]\npath = \"" + outside + "\"\n", true},
		{"path outside", "[extend]\npath = \"../../evil.toml\"\n", true},
		{"path into .git", "[extend]\npath = \".git/config\"\n", true},
		{"bad regex", "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n", false},
		{"bad toml", "[[rules]\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := gitRepo(t)
			write(t, dir, ConfigFile, c.config)
			_, err := New(dir)
			if err == nil {
				t.Fatal("New succeeded, want an error")
			}
			if !IsConfigError(err) {
				t.Errorf("error %v is not a *ConfigError", err)
			}
			if c.refused && !repofs.IsRefused(err) {
				t.Errorf("error %v is not a refused path", err)
			}
			if !strings.Contains(err.Error(), ConfigFile) {
				t.Errorf("error %q does not name %s", err, ConfigFile)
			}
		})
	}
}

func TestScanPatchStopsOnCallbackError(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, ".env", "X=1\n")
	write(t, dir, ".env.local", "X=1\n")
	git(t, dir, "add", ".")
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err = s.ScanPatch(context.Background(), strings.NewReader(git(t, dir, "diff", "--cached", "-U0")), func(Finding) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("err = %v after %d calls, want stop after 1", err, n)
	}
}

func TestColumnCountsCharacters(t *testing.T) {
	dir := gitRepo(t)
	write(t, dir, "a.txt", "é = \""+awsKey+"\"\nx\n  ü = \""+awsKey+"\"\n")
	git(t, dir, "add", ".")
	got := scanStaged(t, dir)
	if len(got) != 2 {
		t.Fatalf("got %+v, want 2 findings", got)
	}
	if got[0].Line != 1 || got[0].Column != 6 || got[1].Line != 3 || got[1].Column != 8 {
		t.Errorf("places = %d:%d and %d:%d, want 1:6 and 3:8", got[0].Line, got[0].Column, got[1].Line, got[1].Column)
	}
}

// BenchmarkNew is building the scanner: parsing and compiling gitleaks'
// default rules, the fixed cost of every run (the pre-commit hook's most).
func BenchmarkNew(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := New(dir); err != nil {
			b.Fatal(err)
		}
	}
}
