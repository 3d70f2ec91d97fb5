package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
)

// parseImageConfig parses a .shipflow.yaml.
func parseImageConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(".shipflow.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var (
	testDigest = "sha256:" + strings.Repeat("ab", 32)
	testPrev   = "sha256:" + strings.Repeat("cd", 32)
	testData   = ImageCommandData{Version: "1.2.3", Tag: "latest", Digest: testDigest, Previous: testPrev, Repository: "127.0.0.1:5000/acme/app"}
)

// argsScript writes a script into dir that records its arguments, one a
// line, in args.txt.
func argsScript(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > args.txt\necho switched\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// A configured command gets the values as arguments, one argv entry per
// configured argument, and no shell: $(...), backquotes, ; and {{.}}
// tricks stay text.
func TestImageCommandRunsWithoutShell(t *testing.T) {
	dir := t.TempDir()
	argsScript(t, dir, "scripts/rollback.sh")
	cmd := ImageCommand{From: "image.on-rollback", Args: []string{
		"./scripts/rollback.sh", "{{.Version}}", "{{.Digest}}", "--previous={{.Previous}}",
		"$(touch pwned1)", "; touch pwned2", "`touch pwned3`", "{{.}}", `{{printf "%s|%s" .Repository .Tag}}`, "x{{.Env}}y",
	}}
	var out strings.Builder
	run, err := ImageCommandRunner{Dir: dir, Stdout: &out}.Run(context.Background(), cmd, testData)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "args.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1.2.3", testDigest, "--previous=" + testPrev, "$(touch pwned1)", "; touch pwned2", "`touch pwned3`",
		"{1.2.3 latest " + testDigest + " " + testPrev + " 127.0.0.1:5000/acme/app }", "127.0.0.1:5000/acme/app|latest", "xy"}
	if got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"); !slices.Equal(got, want) {
		t.Errorf("arguments:\n%q\nwant\n%q", got, want)
	}
	if run.ExitCode != 0 || !slices.Equal(run.Args[1:], want) || out.String() != "switched\n" {
		t.Errorf("run %+v, output %q", run, out.String())
	}
	for _, f := range []string{"pwned1", "pwned2", "pwned3"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s exists: a shell ran", f)
		}
	}
}

func TestImageCommandRefuses(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	argsScript(t, outside, "evil.sh")
	if err := os.Symlink(filepath.Join(outside, "evil.sh"), filepath.Join(dir, "link.sh")); err != nil {
		t.Fatal(err)
	}
	argsScript(t, dir, "ok.sh")
	cases := []struct {
		name string
		args []string
		data ImageCommandData
		want string
	}{
		{"templated program", []string{"{{.Repository}}"}, testData, "is a template"},
		{"option program", []string{"--exec=sh"}, testData, "looks like an option"},
		{"absolute program", []string{"/bin/sh", "-c", "id"}, testData, "is absolute"},
		{"program above the tree", []string{"../x.sh"}, testData, "leaves the repository"},
		{"program in .git", []string{".git/hooks/post-checkout"}, testData, "inside .git/"},
		{"link out of the tree", []string{"./link.sh"}, testData, "outside the repository"},
		{"bad template", []string{"./ok.sh", "{{.Version"}, testData, "argument 1"},
		{"unknown field", []string{"./ok.sh", "{{.Token}}"}, testData, "Token"},
		{"template call", []string{"./ok.sh", `{{call .Version}}`}, testData, "call"},
		{"option-shaped version", []string{"./ok.sh", "{{.Version}}"}, ImageCommandData{Version: "--help", Digest: testDigest, Repository: "r.example/a"}, `version "--help" is not X.Y.Z`},
		{"shell in a digest", []string{"./ok.sh"}, ImageCommandData{Version: "1.0.0", Digest: "sha256:ab;id", Repository: "r.example/a"}, "is not sha256:<64 hex digits>"},
		{"option repository", []string{"./ok.sh"}, ImageCommandData{Version: "1.0.0", Digest: testDigest, Repository: "-x"}, "is not REGISTRY/REPO"},
		{"bad env", []string{"./ok.sh"}, ImageCommandData{Version: "1.0.0", Digest: testDigest, Repository: "r.example/a", Env: "$(id)"}, `environment "$(id)" is not a tag name`},
		{"huge output", []string{"./ok.sh", "{{range 100000000}}x{{end}}"}, testData, "too much work"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run, err := ImageCommandRunner{Dir: dir}.Run(context.Background(), ImageCommand{From: "image.on-rollback", Args: c.args}, c.data)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v (run %+v), want one saying %q", err, run, c.want)
			}
			if _, err := os.Stat(filepath.Join(outside, "args.txt")); err == nil {
				t.Errorf("the script outside the work tree ran")
			}
			if _, err := os.Stat(filepath.Join(dir, "args.txt")); err == nil {
				t.Errorf("the command ran")
			}
		})
	}
}

// A command that exits non-zero is an *ImageCommandError with its exit
// code; one that is not found names the program.
func TestImageCommandFails(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fail.sh"), []byte("#!/bin/sh\nexit 7\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	run, err := ImageCommandRunner{Dir: dir}.Run(context.Background(), ImageCommand{From: "image.on-rollback", Args: []string{"./fail.sh", "{{.Version}}"}}, testData)
	var ce *ImageCommandError
	if !errors.As(err, &ce) || run.ExitCode != 7 || !strings.Contains(err.Error(), `image.on-rollback "./fail.sh 1.2.3": exit status 7`) {
		t.Errorf("run %+v, error %v; want exit 7 named", run, err)
	}
	_, err = ImageCommandRunner{Dir: dir}.Run(context.Background(), ImageCommand{From: "--on-rollback", Args: []string{"shipflow-no-such-command"}}, testData)
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "shipflow-no-such-command") {
		t.Errorf("missing program: error %v", err)
	}
}

// image.on-rollback is checked when the options are resolved, before
// anything moves, with its position in .shipflow.yaml; the input wins
// and "none" turns it off.
func TestResolveImageRollbackCommand(t *testing.T) {
	cfg := parseImageConfig(t, "image:\n  repository: r.example/app\n  on-rollback: ./rollback.sh {{.Version}} {{.Digest}}\n")
	o, err := ResolveImageRollback(MapInputs{}, cfg, CI{})
	if err != nil || o.OnRollback.From != "image.on-rollback" || !slices.Equal(o.OnRollback.Args, []string{"./rollback.sh", "{{.Version}}", "{{.Digest}}"}) {
		t.Errorf("configured: %+v, %v", o.OnRollback, err)
	}
	o, err = ResolveImageRollback(MapInputs{"on-rollback": "deploy {{.Tag}}", "dry-run": "true"}, cfg, CI{})
	if err != nil || o.OnRollback.From != "--on-rollback" || o.OnRollback.Args[0] != "deploy" || !o.Rollback.DryRun {
		t.Errorf("input: %+v dry-run %v, %v", o.OnRollback, o.Rollback.DryRun, err)
	}
	if o, err = ResolveImageRollback(MapInputs{"on-rollback": "none"}, cfg, CI{}); err != nil || !o.OnRollback.Empty() {
		t.Errorf("none: %+v, %v", o.OnRollback, err)
	}
	bad := parseImageConfig(t, "image:\n  repository: r.example/app\n  on-rollback: /bin/sh -c id\n")
	if _, err := ResolveImageRollback(MapInputs{}, bad, CI{}); err == nil || !strings.Contains(err.Error(), ".shipflow.yaml:3:16: image.on-rollback: program") {
		t.Errorf("absolute program: error = %v, want one at 3:16", err)
	}
	if _, err := ResolveImageWatch(MapInputs{"health": "http://127.0.0.1:1/", "on-rollback": "{{.X}}"}, cfg, CI{}); err == nil || !strings.Contains(err.Error(), "input on-rollback") {
		t.Errorf("templated program input: error = %v", err)
	}
}
