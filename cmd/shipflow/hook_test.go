package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestHookCommandFor checks which shipflow the hook records: this binary's
// absolute path when it stays where it is, and "shipflow" (looked up on
// PATH at commit time) for a binary that vanishes: a `go run` or `go test`
// build, or anything under a temporary directory.
func TestHookCommandFor(t *testing.T) {
	const tmp = "/var/folders/xy/T"
	for _, tt := range []struct{ exe, want string }{
		{"/usr/local/bin/shipflow", "/usr/local/bin/shipflow"},
		{"/home/ada/go/bin/shipflow", "/home/ada/go/bin/shipflow"},
		{"/home/ada/.cache/go-build/ab/cd-d/shipflow", "shipflow"},
		{"/var/folders/xy/T/go-build123/b001/exe/shipflow", "shipflow"},
		{"/var/folders/xy/T/shipflow", "shipflow"},
		{"/tmp/shipflow", "shipflow"},
		{"/tmp/build/bin/shipflow", "shipflow"},
		{"/var/tmp/shipflow", "shipflow"},
		{"/tmpfs-home/bin/shipflow", "/tmpfs-home/bin/shipflow"},
		{"/home/ada/src/shipflow/cmd/shipflow/shipflow.test", "shipflow"},
		{"relative/shipflow", "shipflow"},
		{"", "shipflow"},
	} {
		if got := hookCommandFor(tt.exe, tmp); got != tt.want {
			t.Errorf("hookCommandFor(%q) = %q, want %q", tt.exe, got, tt.want)
		}
	}
}

// TestHookInstallSaysWhenNotOnPath checks `hook install` says so when the
// hook is to find shipflow on PATH and PATH has none: the first commit
// would otherwise be the first to tell.
func TestHookInstallSaysWhenNotOnPath(t *testing.T) {
	r := gittest.New(t)
	bin := t.TempDir()
	code, out, errOut := branchRun(t, r.Dir, map[string]string{"PATH": bin}, "hook", "install", "--command", "shipflow")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, w := range []string{"no shipflow on PATH", bin, "go install github.com/shipflow/shipflow/cmd/shipflow@latest"} {
		if !strings.Contains(out+errOut, w) {
			t.Errorf("output does not say %q:\n%s%s", w, out, errOut)
		}
	}

	// With shipflow on PATH, nothing more is said.
	if err := os.WriteFile(filepath.Join(bin, "shipflow"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(r.Dir, ".git", "hooks", "commit-msg")); err != nil {
		t.Fatal(err)
	}
	_, out, errOut = branchRun(t, r.Dir, map[string]string{"PATH": bin}, "hook", "install", "--command", "shipflow")
	if strings.Contains(out+errOut, "PATH") {
		t.Errorf("output warns although shipflow is on PATH:\n%s%s", out, errOut)
	}

	// A recorded absolute path needs no PATH.
	if err := os.Remove(filepath.Join(r.Dir, ".git", "hooks", "commit-msg")); err != nil {
		t.Fatal(err)
	}
	_, out, errOut = branchRun(t, r.Dir, map[string]string{"PATH": t.TempDir()}, "hook", "install", "--command", filepath.Join(bin, "shipflow"))
	if strings.Contains(out+errOut, "no shipflow on PATH") {
		t.Errorf("output warns although the hook runs %s:\n%s%s", filepath.Join(bin, "shipflow"), out, errOut)
	}
}
