package scaffold

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTOMLStrings: the strings and string arrays DetectPackages reads,
// through comments, quoting, multi-line arrays and strings.
func TestTOMLStrings(t *testing.T) {
	in := `# a comment
name = "top"
[package]
name = "my-crate" # trailing
version.workspace = true
description = """
[workspace]
members = ["fake"]
"""
[workspace]
members = [
  "crates/*",   # globs
  'tools/x',
]
exclude = ["crates/old"]
"quoted.key" = 'lit\n'
esc = "a\"b\\c"
bad = [1, 2]
[ tool.poetry ]  # spaced
name = "poet"
`
	got := tomlStrings([]byte(in))
	want := map[string][]string{
		"name":                 {"top"},
		"package.name":         {"my-crate"},
		"workspace.members":    {"crates/*", "tools/x"},
		"workspace.exclude":    {"crates/old"},
		"workspace.quoted.key": {`lit\n`},
		"workspace.esc":        {`a"b\c`},
		"tool.poetry.name":     {"poet"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tomlStrings (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "[", "x = [\"a\"", "x = \"open\n", "= 1", "x = '''never closed", "[[bin]]\nname = \"b\"\n"} {
		_ = tomlStrings([]byte(bad)) // never panics
	}
	if got := tomlString(tomlStrings([]byte("[[bin]]\nname = \"b\"\n")), "bin.name"); got != "b" {
		t.Errorf("array of tables: %q", got)
	}
}
