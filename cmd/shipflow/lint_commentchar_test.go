package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestLintEditUsesGitsCommentChar: in hook mode git's cleanup
// (core.commentChar) has removed the comments, and commitlint's --edit
// puts git's comment character in place of the config's commentChar, so a
// `#123` line survives when git comments with `;`.
func TestLintEditUsesGitsCommentChar(t *testing.T) {
	r := gittest.New(t)
	r.Git("config", "core.commentChar", ";")
	cfg := `{"parserPreset": {"parserOpts": {"commentChar": "#"}}, "rules": {"references-empty": [2, "never"]}}`
	if err := os.WriteFile(filepath.Join(r.Dir, ".commitlintrc.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := filepath.Join(r.Dir, "MSG")
	if err := os.WriteFile(msg, []byte("fix: keep the session\n\n#123 is the issue\n; a git comment\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errb := runShipflow(t, r.Dir, "", "lint", "--edit", "MSG"); code != 0 {
		t.Errorf("--edit: exit %d, want 0 (the #123 line is a reference):\n%s%s", code, out, errb)
	}
	// On stdin the config's commentChar applies: the line is a comment.
	if code, out, errb := runShipflow(t, r.Dir, "fix: keep the session\n\n#123 is the issue\n", "lint"); code != 1 {
		t.Errorf("stdin: exit %d, want 1 (the #123 line is a comment there):\n%s%s", code, out, errb)
	}
}
