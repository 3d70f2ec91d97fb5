package release

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/redact"
)

// TestCutRedactsNotes: a token in a commit message (or anything else that
// reaches the notes) is not written to CHANGELOG.md, pushed, or published
// as the release body. Before the Redactor option the sentinel reached all
// three (security review D2).
func TestCutRedactsNotes(t *testing.T) {
	const (
		sentinel = "ghp_SENTINEL0123456789abcdefghijABCDEFGHIJ"
		deploy   = "deploy-s3cret-value"
	)
	e := newCutEnv(t)
	e.r.Commit("feat: log in with " + sentinel)
	e.r.Commit("fix: rotate " + deploy)
	e.r.Git("push", "-q", "origin", "main")

	opts := e.opts()
	opts.Redactor = redact.New([]string{"MY_DEPLOY_TOKEN=" + deploy})
	rep, err := e.cut(opts)
	if err != nil {
		t.Fatalf("cut: %v", err)
	}
	if !strings.Contains(rep.Plan.Notes, "log in with ***") || !strings.Contains(rep.Plan.Notes, "rotate ***") {
		t.Errorf("notes not redacted:\n%s", rep.Plan.Notes)
	}
	pushed, err := exec.Command("git", "--git-dir", e.origin, "log", "-p", "--all").CombinedOutput()
	if err != nil {
		t.Fatalf("git log: %v\n%s", err, pushed)
	}
	rels := e.fake.Releases("o", "r")
	if len(rels) != 1 {
		t.Fatalf("releases = %+v", rels)
	}
	for where, text := range map[string]string{
		"CHANGELOG.md":       e.state().Changelog,
		"the release body":   rels[0].Body,
		"the pushed changes": changelogDiff(string(pushed)),
	} {
		if strings.Contains(text, sentinel) || strings.Contains(text, deploy) {
			t.Errorf("%s has a secret:\n%s", where, text)
		}
	}
}

// changelogDiff keeps the added lines of a `git log -p` (the commit
// messages are the test's own input and hold the secrets on purpose).
func changelogDiff(log string) string {
	var b strings.Builder
	for _, line := range strings.Split(log, "\n") {
		if strings.HasPrefix(line, "+") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}
