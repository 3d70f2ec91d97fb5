package main

import (
	"strings"
	"testing"
)

// TestNextReads: what `next` plans from: the history of --branch, a branch
// for a detached HEAD, tags released into HEAD, and their exit codes.
func TestNextReads(t *testing.T) {
	r := nextHistory(t)
	r.Branch("dev")
	r.Commit("feat: dev only")
	r.Checkout("v1.2.3")
	r.Branch("hotfix/crash")
	r.Commit("fix: crash")
	r.Checkout("dev")

	cases := []struct {
		name   string
		setup  func()
		args   []string
		code   int
		stdout string // a line of the text plan
		stderr string
	}{
		{name: "branch reads its history", args: []string{"--branch", "hotfix/crash"},
			stdout: "next     v1.2.4 (bump patch)"},
		{name: "unknown branch", args: []string{"--branch", "hotfix/nope"}, code: 2,
			stderr: `branch "hotfix/nope" (--branch) is neither a local branch nor origin/hotfix/nope`},
		{name: "detached without a branch", setup: func() { r.Checkout("dev~1") }, code: 2,
			stderr: "HEAD is detached and no branch was given: the channel, and so the version, depend on the branch; pass --branch BRANCH"},
		{name: "detached with a branch", setup: func() { r.Checkout("dev~1") }, args: []string{"--branch", "main"},
			stdout: "next     v1.3.0 (bump minor)"},
		{name: "released into dev", setup: func() {
			r.Checkout("main")
			r.Merge("dev", "Merge branch 'dev'")
			r.Commit("chore(release): v1.4.0 [skip ci]")
			r.Tag("v1.4.0")
			r.Checkout("dev")
			r.Commit("fix: after")
		}, stdout: "current  v1.4.0 (not reachable from HEAD, but HEAD holds its changes: released from a merge not merged back)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup()
			}
			code, out, errOut := nextRun(t, r.Dir, nil, append([]string{"next"}, c.args...)...)
			if code != c.code || !strings.Contains(errOut, c.stderr) || !strings.Contains(out, c.stdout) {
				t.Errorf("exit %d, stdout:\n%s\nstderr %q\nwant exit %d, stdout with %q, stderr with %q", code, out, errOut, c.code, c.stdout, c.stderr)
			}
			r.Checkout("dev")
		})
	}
}
