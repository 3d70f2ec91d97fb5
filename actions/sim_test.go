package actions

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/github/githubfake"
)

// sim is a simulated runner step: temporary files for GITHUB_OUTPUT,
// GITHUB_ENV and GITHUB_STEP_SUMMARY, an event payload file, and inputs, all
// reached through the getenv function — as `act` and the real runner set
// them.
type sim struct {
	t    *testing.T
	vars map[string]string
	log  strings.Builder
	fake *githubfake.Server
}

func newSim(t *testing.T) *sim {
	t.Helper()
	dir := t.TempDir()
	s := &sim{t: t, vars: map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_ENV":          filepath.Join(dir, "env"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_RUN_ID":       "42",
		"GITHUB_REPOSITORY":   "Codertocat/Hello-World",
	}}
	return s
}

// input sets the input name as the runner does: INPUT_ + upper case, with
// hyphens kept.
func (s *sim) input(name, value string) {
	s.vars["INPUT_"+strings.ToUpper(name)] = value
}

// event writes the testdata payload file, after edit changes it (e.g. to
// point its SHAs at a real repository), and sets GITHUB_EVENT_*.
func (s *sim) event(name, file string, edit func(p map[string]any)) {
	s.t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "events", file))
	if err != nil {
		s.t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		s.t.Fatal(err)
	}
	if edit != nil {
		edit(p)
	}
	data, err = json.Marshal(p)
	if err != nil {
		s.t.Fatal(err)
	}
	path := filepath.Join(s.t.TempDir(), "event.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.vars["GITHUB_EVENT_NAME"] = name
	s.vars["GITHUB_EVENT_PATH"] = path
	if pr, ok := p["pull_request"].(map[string]any); ok {
		s.vars["GITHUB_SHA"] = "0000000000000000000000000000000000000001" // the merge commit: never used
		s.vars["GITHUB_REF"] = "refs/pull/2/merge"
		s.vars["GITHUB_HEAD_REF"] = pr["head"].(map[string]any)["ref"].(string)
	}
}

// github starts a fake GitHub holding Codertocat/Hello-World with perms and
// hands its URL and a token to the step.
func (s *sim) github(perms githubfake.Permissions) *githubfake.Server {
	s.fake = githubfake.New(s.t)
	s.fake.AddRepo("Codertocat", "Hello-World", perms)
	s.fake.RequireToken("ghs_test_token")
	s.vars["GITHUB_API_URL"] = strings.TrimSuffix(s.fake.URL, "/")
	s.input("token", "ghs_test_token")
	return s.fake
}

func (s *sim) getenv(k string) string { return s.vars[k] }

// run runs verb in dir.
func (s *sim) run(verb, dir string) (*Report, error) {
	s.t.Helper()
	r := NewRunner(s.getenv, &s.log)
	return Run(context.Background(), r, verb, Options{Dir: dir})
}

// outputs parses GITHUB_OUTPUT as the runner does.
func (s *sim) outputs() map[string]string {
	s.t.Helper()
	if _, err := os.Stat(s.vars["GITHUB_OUTPUT"]); os.IsNotExist(err) {
		return map[string]string{}
	}
	return readFileCommands(s.t, s.vars["GITHUB_OUTPUT"])
}

func (s *sim) summary() string {
	data, _ := os.ReadFile(s.vars["GITHUB_STEP_SUMMARY"])
	return string(data)
}

// commands counts the workflow commands in the log by name ("error",
// "warning", "add-mask", ...).
func (s *sim) commands() map[string]int {
	n := map[string]int{}
	for _, l := range strings.Split(s.log.String(), "\n") {
		if !strings.HasPrefix(l, "::") {
			continue
		}
		cmd := strings.TrimPrefix(l, "::")
		if i := strings.IndexAny(cmd, " :"); i >= 0 {
			cmd = cmd[:i]
		}
		n[cmd]++
	}
	return n
}

// setSHAs points a pull_request payload at base and head.
func setSHAs(base, head string) func(map[string]any) {
	return func(p map[string]any) {
		pr := p["pull_request"].(map[string]any)
		pr["base"].(map[string]any)["sha"] = base
		pr["head"].(map[string]any)["sha"] = head
	}
}
