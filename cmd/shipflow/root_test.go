package main

import (
	"strings"
	"testing"
)

// TestGroupCommandsNeedASubcommand: a command that only groups others is a
// usage error when run alone, and says what it takes; --help still works.
func TestGroupCommandsNeedASubcommand(t *testing.T) {
	dir := t.TempDir()
	for verb, subs := range map[string]string{
		"branch": "check, debt",
		"hook":   "install, uninstall",
		"image":  "build, push, rollback, watch",
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
