package actions

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sethvargo/go-githubactions"
)

// hostile are values an attacker controls through a commit body or a PR
// title, trying to end the heredoc early and forge or wipe outputs.
var hostile = []struct {
	name, value string
}{
	{"fixed delimiter of go-githubactions", "x\n_GitHubActionsFileCommandDelimeter_\nnext-version=9.9.9\nreleased<<_GitHubActionsFileCommandDelimeter_"},
	{"EOF lines", "x\nEOF\nnext-version=9.9.9\nEOF"},
	{"guessed ghadelimiter", "x\nghadelimiter_00000000000000000000000000000000\nnext-version=9.9.9"},
	{"crlf", "x\r\nnext-version=9.9.9\r\n"},
	{"empty", ""},
	{"unicode and NUL", "é\x00ü\n"},
}

func TestSetOutputCannotBeForged(t *testing.T) {
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			r, _, vars := tempRunner(t, nil)
			if err := r.SetOutput("next-version", "1.2.3"); err != nil {
				t.Fatal(err)
			}
			if err := r.SetOutput("notes", tc.value); err != nil {
				t.Fatal(err)
			}
			if err := r.SetEnv("SHIPFLOW_NOTES", tc.value); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"next-version": "1.2.3", "notes": strings.ReplaceAll(tc.value, "\r\n", "\n")}
			if diff := cmp.Diff(want, readFileCommands(t, vars["GITHUB_OUTPUT"])); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
			env := readFileCommands(t, vars["GITHUB_ENV"])
			if len(env) != 1 {
				t.Errorf("GITHUB_ENV has %d variables, want 1: %q", len(env), env)
			}
		})
	}
}

// TestGoGitHubActionsOutputInjection documents why SetOutput does not use
// go-githubactions: v1.3.1 writes a fixed heredoc delimiter, so a value can
// end it and forge other outputs. When this test fails, the library was
// fixed and Runner.SetOutput may go back to it.
func TestGoGitHubActionsOutputInjection(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "output")
	a := githubactions.New(githubactions.WithGetenv(func(k string) string {
		if k == "GITHUB_OUTPUT" {
			return out
		}
		return ""
	}))
	a.SetOutput("next-version", "1.2.3")
	a.SetOutput("notes", hostile[0].value)
	got := readFileCommands(t, out)
	if got["next-version"] != "9.9.9" {
		t.Errorf("go-githubactions no longer lets a value forge outputs (next-version = %q): drop Runner.writeFileCommand for SetOutput", got["next-version"])
	}
}

func TestSetOutputRejects(t *testing.T) {
	tests := []struct {
		name, output, value string
	}{
		{"equals in name", "a=b", "x"},
		{"heredoc in name", "a<<b", "x"},
		{"newline in name", "a\nb", "x"},
		{"empty name", "", "x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _, vars := tempRunner(t, nil)
			if err := r.SetOutput(tc.output, tc.value); err == nil {
				t.Fatal("no error")
			}
			if data, _ := os.ReadFile(vars["GITHUB_OUTPUT"]); len(data) != 0 {
				t.Errorf("wrote %q", data)
			}
		})
	}
	t.Run("no GITHUB_OUTPUT", func(t *testing.T) {
		r := NewRunner(func(string) string { return "" }, &strings.Builder{})
		err := r.SetOutput("a", "b")
		if err == nil || !strings.Contains(err.Error(), "GITHUB_OUTPUT is not set") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestWriteFileCommandRejectsItsDelimiter(t *testing.T) {
	// The delimiter is random, so a value can only contain it if it was
	// made after the delimiter was chosen: check the refusal by making
	// every delimiter the same.
	r, _, vars := tempRunner(t, nil)
	d, err := newDelimiter()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d, "ghadelimiter_") || len(d) != len("ghadelimiter_")+32 {
		t.Errorf("delimiter %q", d)
	}
	if d2, _ := newDelimiter(); d2 == d {
		t.Errorf("two delimiters are both %q", d)
	}
	orig := newDelimiterFunc
	newDelimiterFunc = func() (string, error) { return d, nil }
	t.Cleanup(func() { newDelimiterFunc = orig })
	err = r.SetOutput("notes", "x\n"+d+"\nnext-version=9.9.9")
	if !errors.Is(err, ErrDelimiterInValue) {
		t.Errorf("err = %v, want ErrDelimiterInValue", err)
	}
	if data, _ := os.ReadFile(vars["GITHUB_OUTPUT"]); len(data) != 0 {
		t.Errorf("wrote %q", data)
	}
}

func TestInputs(t *testing.T) {
	r, _, _ := tempRunner(t, map[string]string{
		"INPUT_TAG-PREFIX":   "  release-  ",
		"INPUT_DRY-RUN":      "True",
		"INPUT_BAD-BOOL":     "yes",
		"INPUT_tag-prefix":   "lower case is not what the runner sets",
		"INPUT_TAG_PREFIX":   "underscores are not what the runner sets",
		"INPUT_EMPTY-STRING": "",
	})
	if got := r.Input("tag-prefix"); got != "release-" {
		t.Errorf("Input(tag-prefix) = %q, want %q (from INPUT_TAG-PREFIX)", got, "release-")
	}
	if got, err := r.BoolInput("dry-run", false); err != nil || !got {
		t.Errorf("BoolInput(dry-run) = %v, %v", got, err)
	}
	if got, err := r.BoolInput("empty-string", true); err != nil || !got {
		t.Errorf("BoolInput(empty-string, true) = %v, %v", got, err)
	}
	if _, err := r.BoolInput("bad-bool", false); err == nil || !strings.Contains(err.Error(), `"yes"`) {
		t.Errorf("BoolInput(bad-bool) err = %v", err)
	}
}

func TestMask(t *testing.T) {
	r, log, _ := tempRunner(t, nil)
	r.Mask("ghp_secret")
	r.Mask("ghp_secret")
	r.Mask("line1\nline2\n")
	want := "::add-mask::ghp_secret\n::add-mask::line1\n::add-mask::line2\n"
	if got := log.String(); got != want {
		t.Errorf("log = %q, want %q", got, want)
	}
}

func TestLogStopsCommands(t *testing.T) {
	r, log, _ := tempRunner(t, nil)
	if err := r.Log("plain text"); err != nil {
		t.Fatal(err)
	}
	if err := r.Log("subject\n::add-mask::x\n::error::forged\n"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(log.String(), "\n")
	if lines[0] != "plain text" {
		t.Errorf("first line %q", lines[0])
	}
	tok, ok := strings.CutPrefix(lines[1], "::stop-commands::")
	if !ok || len(tok) < 32 {
		t.Fatalf("untrusted text not wrapped in stop-commands:\n%s", log)
	}
	if lines[5] != "::"+tok+"::" {
		t.Errorf("commands not resumed with the token: %q", lines[5])
	}
}

func TestGroup(t *testing.T) {
	r, log, _ := tempRunner(t, nil)
	want := errors.New("inner")
	if err := r.Group("title", func() error { return want }); err != want {
		t.Errorf("err = %v", err)
	}
	if got := log.String(); got != "::group::title\n::endgroup::\n" {
		t.Errorf("log = %q", got)
	}
}
