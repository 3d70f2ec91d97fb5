package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run this test binary as the `shipflow` command,
// so scripts (and git hooks they install) exercise the real CLI.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"shipflow": func() {
			os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
		},
		// The real main, signal handling included (TestTestInterrupted).
		"shipflow-main": main,
	})
}

// TestScripts runs the end-to-end scenarios in testdata/script/*.txtar: one
// file per scenario, real git, real files, the real binary.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_AUTHOR_NAME", "Ada Lovelace")
			env.Setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "Ada Lovelace")
			env.Setenv("GIT_COMMITTER_EMAIL", "ada@example.com")
			env.Setenv("GIT_AUTHOR_DATE", "2024-01-02T03:04:05Z")
			env.Setenv("GIT_COMMITTER_DATE", "2024-01-02T03:04:05Z")
			env.Setenv("TZ", "UTC")
			return nil
		},
	})
}
