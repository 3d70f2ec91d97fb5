package actions

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parseFileCommands reads a GITHUB_OUTPUT or GITHUB_ENV file the way the
// runner does (actions/runner FileCommandManager, EnvFileKeyValuePairs):
// blank lines are skipped; `NAME=VALUE` when '=' comes before any "<<";
// otherwise `NAME<<DELIM`, then lines up to one equal to DELIM. A later
// value for a name replaces the earlier one. A missing delimiter is an
// error, as it fails the step on the runner.
func parseFileCommands(text string) (map[string]string, error) {
	out := map[string]string{}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		eq := strings.Index(line, "=")
		hd := strings.Index(line, "<<")
		switch {
		case eq >= 0 && (hd < 0 || eq < hd):
			k, v, _ := strings.Cut(line, "=")
			if k == "" {
				return nil, fmt.Errorf("line %d: invalid format %q", i+1, line)
			}
			out[k] = v
		case hd >= 0:
			k, delim, _ := strings.Cut(line, "<<")
			if k == "" || delim == "" {
				return nil, fmt.Errorf("line %d: invalid format %q", i+1, line)
			}
			var val []string
			for {
				i++
				if i >= len(lines) {
					return nil, fmt.Errorf("matching delimiter not found %q", delim)
				}
				if lines[i] == delim {
					break
				}
				val = append(val, lines[i])
			}
			out[k] = strings.Join(val, "\n")
		default:
			return nil, fmt.Errorf("line %d: invalid format %q", i+1, line)
		}
	}
	return out, nil
}

// readFileCommands parses the file at path with parseFileCommands.
func readFileCommands(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseFileCommands(string(data))
	if err != nil {
		t.Fatalf("the runner would fail the step: %v\nfile:\n%s", err, data)
	}
	return got
}

func TestParseFileCommands(t *testing.T) {
	got, err := parseFileCommands("a=1\n\nb<<EOF\nx\ny\nEOF\nc=2=3\na=4\n")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "4", "b": "x\ny", "c": "2=3"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := parseFileCommands("b<<EOF\nx\n"); err == nil {
		t.Error("a heredoc without its delimiter parsed")
	}
}

// tempRunner returns a runner whose GITHUB_OUTPUT, GITHUB_ENV and
// GITHUB_STEP_SUMMARY are files in a temporary directory, with extra
// variables from env.
func tempRunner(t *testing.T, env map[string]string) (*Runner, *strings.Builder, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_ENV":          filepath.Join(dir, "env"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
	}
	for k, v := range env {
		vars[k] = v
	}
	var log strings.Builder
	return NewRunner(func(k string) string { return vars[k] }, &log), &log, vars
}
