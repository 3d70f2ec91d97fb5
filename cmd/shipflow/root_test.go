package main

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/actions"
)

// TestGroupCommandsNeedASubcommand: a command that only groups others is a
// usage error when run alone, and says what it takes; --help still works.
func TestGroupCommandsNeedASubcommand(t *testing.T) {
	dir := t.TempDir()
	for verb, subs := range map[string]string{
		"branch": "check, debt",
		"hook":   "install, uninstall",
		"image":  "build, promote, push, rollback, watch",
	} {
		code, _, errs := runShipflow(t, dir, "", verb)
		if code != exitUsage || !strings.Contains(errs, "shipflow "+verb+" needs a subcommand: "+subs) {
			t.Errorf("%s: exit %d, stderr %q", verb, code, errs)
		}
		if code, out, _ := runShipflow(t, dir, "", verb, "--help"); code != exitOK || !strings.Contains(out, "Available Commands") {
			t.Errorf("%s --help: exit %d", verb, code)
		}
	}
}

// TestActionVerbsAreCLIVerbs: every verb of `shipflow action` is the CLI
// verb of the same name (by name or alias), so the two faces of one
// operation cannot drift apart under different names.
func TestActionVerbsAreCLIVerbs(t *testing.T) {
	root := newRoot(&env{ctx: context.Background(), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, dir: "."})
	for _, name := range actions.Verbs() {
		// image-rollback runs `shipflow image rollback`: a verb's
		// subcommand joined by a hyphen.
		if group, sub, ok := strings.Cut(name, "-"); ok {
			cmd, _, err := root.Find([]string{group, sub})
			if err != nil || cmd.Name() != sub || cmd.Parent() == nil || cmd.Parent().Name() != group || cmd.Parent().Parent() != root {
				t.Errorf("action verb %q has no CLI verb `%s %s` (found %v, %v)", name, group, sub, cmd.Name(), err)
			}
			continue
		}
		cmd, _, err := root.Find([]string{name})
		if err != nil || cmd == root || cmd.Parent() != root {
			t.Errorf("action verb %q has no CLI verb of that name (found %v, %v)", name, cmd.Name(), err)
			continue
		}
		if cmd.Name() != name && !slices.Contains(cmd.Aliases, name) {
			t.Errorf("action verb %q runs as CLI verb %q, which does not answer to %q", name, cmd.Name(), name)
		}
	}
	if len(verbs) != len(root.Commands())-2 { // help and completion are cobra's
		t.Errorf("%d verbs in the list, %d top-level commands", len(verbs), len(root.Commands()))
	}
}
