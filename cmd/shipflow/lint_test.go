package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
	"go.yaml.in/yaml/v3"
)

// runShipflow runs the CLI in-process in dir and returns the exit code and
// the two output streams.
func runShipflow(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	all := append([]string{"-C", dir}, args...)
	code := run(context.Background(), all, strings.NewReader(stdin), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

func TestLintExitCodes(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: start")
	g.Tag("v1.0.0")
	g.Commit("Added a thing.")
	shallow := g.Clone("--depth=1")
	g.WriteFile("msg.txt", "Added a thing.\n")
	g.WriteFile("comments.txt", "\n# Please enter the commit message for your changes.\n")
	g.WriteFile("bom.txt", "\ufeff# Please enter the commit message for your changes.\nfeat: add a thing\n")
	binary := filepath.Join(t.TempDir(), "binary.bin")
	if err := os.WriteFile(binary, []byte("feat: x \x00\xff\xfe\x89PNG\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		dir   string
		stdin string
		args  []string
		want  int
		out   string // substring of stdout+stderr
	}{
		{"clean message", g.Dir, "feat(core): add a thing\n", []string{"lint"}, exitOK, ""},
		{"bad message", g.Dir, "Added a thing.\n", []string{"lint"}, exitFindings, "[type-empty]"},
		{"warning only", g.Dir, "feat: x\nbody\n", []string{"lint"}, exitOK, "warning:"},
		{"warning strict", g.Dir, "feat: x\nbody\n", []string{"lint", "--strict"}, exitFindings, "warning:"},
		{"bad range", g.Dir, "", []string{"lint", "--from", "v1.0.0"}, exitFindings, "Added a thing."},
		{"unknown ref", g.Dir, "", []string{"lint", "--from", "v2.0.0"}, exitUsage, `unknown revision "v2.0.0"`},
		{"shallow", shallow.Dir, "", []string{"lint", "--to", "HEAD"}, exitFailure, "fetch-depth: 0"},
		{"usage", g.Dir, "", []string{"lint", "--message", "x", "--from", "HEAD"}, exitUsage, "none of the others can be"},
		{"unknown verb", g.Dir, "", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"empty message", g.Dir, "", []string{"lint"}, exitFindings, "input is required"},
		{"blank message", g.Dir, "  \n\n", []string{"lint"}, exitFindings, "input is required"},
		{"empty --message", g.Dir, "", []string{"lint", "--message", ""}, exitFindings, "input is required"},
		{"--edit empty after cleanup passes", g.Dir, "", []string{"lint", "--edit", "comments.txt"}, exitOK, ""},
		{"--edit BOM before a comment line", g.Dir, "", []string{"lint", "--edit", "bom.txt"}, exitOK, "the message still has it"},
		{"missing file", g.Dir, "", []string{"lint", "--edit", "nope.txt"}, exitUsage, "nope.txt: no such file"},
		{"directory", g.Dir, "", []string{"lint", "--edit", "."}, exitUsage, "is a directory"},
		{"binary file", g.Dir, "", []string{"lint", "--edit", binary}, exitFindings, "[encoding]"},
		{"range outside a repository", t.TempDir(), "", []string{"lint", "--to", "HEAD"}, exitUsage, "not a git repository"},
		{"missing -C directory", filepath.Join(g.Dir, "nope"), "", []string{"lint", "-m", "feat: fine"}, exitUsage, "no such directory"},
		{"unknown --to with --from-last-tag", g.Dir, "", []string{"lint", "--from-last-tag", "--to", "nope"}, exitUsage, `unknown revision "nope"`},
		{"option as a revision", g.Dir, "", []string{"lint", "--from", "-n"}, exitUsage, "not a revision"},
		{"--edit is relative to -C", g.Dir, "", []string{"lint", "--edit", "msg.txt"}, exitFindings, "msg.txt:1:6:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runShipflow(t, tt.dir, tt.stdin, tt.args...)
			if code != tt.want {
				t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.want, out, errs)
			}
			if !strings.Contains(out+errs, tt.out) {
				t.Errorf("output does not contain %q\nstdout:\n%s\nstderr:\n%s", tt.out, out, errs)
			}
		})
	}
}

func TestLintConfigErrorIsUsage(t *testing.T) {
	g := gittest.New(t)
	if err := os.WriteFile(filepath.Join(g.Dir, ".shipflow.yaml"), []byte("lint:\n  strikt: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runShipflow(t, g.Dir, "feat: x\n", "lint")
	if code != exitUsage || !strings.Contains(errs, ".shipflow.yaml:2:3: unknown key \"strikt\"") {
		t.Fatalf("code = %d, stderr = %q", code, errs)
	}
}

func TestLintHugeMessageDoesNotPanic(t *testing.T) {
	msg := "feat: big\n\n" + strings.Repeat("word ", 2<<20) + "\n"
	code, out, _ := runShipflow(t, t.TempDir(), msg, "lint")
	if code != exitFindings || !strings.Contains(out, "body-max-line-length") {
		t.Fatalf("code = %d, out = %.300s", code, out)
	}
}

// TestLintNeutralisesControlCharacters: a commit message is anyone's text;
// an escape sequence in it must not reach the terminal that lints it.
func TestLintNeutralisesControlCharacters(t *testing.T) {
	msg := "Feat: \x1b]0;pwned\x07 \x9b31m\n"
	for _, format := range []string{"text", "github"} {
		code, out, _ := runShipflow(t, t.TempDir(), msg, "lint", "--format", format)
		if code != exitFindings {
			t.Fatalf("%s: exit %d", format, code)
		}
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%s output carries control characters: %q", format, out)
		}
		if format == "text" && !strings.Contains(out, "\u241b]0;pwned\u2407") {
			t.Errorf("%s output does not show the escape visibly: %q", format, out)
		}
	}
}

// TestPreCommitHookDefinition checks .pre-commit-hooks.yaml against the CLI:
// the entry, run the way pre-commit runs it (with the message file appended),
// must accept a good message and refuse a bad one.
func TestPreCommitHookDefinition(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID       string   `yaml:"id"`
		Entry    string   `yaml:"entry"`
		Language string   `yaml:"language"`
		Stages   []string `yaml:"stages"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "shipflow-lint" || hooks[0].Language != "golang" || len(hooks[0].Stages) != 1 || hooks[0].Stages[0] != "commit-msg" {
		t.Fatalf("hooks = %+v, want one golang commit-msg hook shipflow-lint", hooks)
	}
	entry := strings.Fields(hooks[0].Entry)
	if len(entry) < 2 || entry[0] != "shipflow" {
		t.Fatalf("entry %q does not run the shipflow binary (go install ./cmd/shipflow)", hooks[0].Entry)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		msg  string
		want int
	}{{"feat(core): add a thing\n", exitOK}, {"Added a thing.\n", exitFindings}} {
		file := filepath.Join(dir, "COMMIT_EDITMSG")
		if err := os.WriteFile(file, []byte(c.msg), 0o644); err != nil {
			t.Fatal(err)
		}
		args := append(append([]string{}, entry[1:]...), file)
		if code, out, errs := runShipflow(t, dir, "", args...); code != c.want {
			t.Errorf("%s on %q: exit %d, want %d\n%s%s", hooks[0].Entry, c.msg, code, c.want, out, errs)
		}
	}
}

// sarifLog is the part of a SARIF 2.1.0 log that code scanning reads; the
// test fails when a required member is missing.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					HelpURI          string `json:"helpUri"`
					ShortDescription *struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   *struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					Name string `json:"name"`
					Kind string `json:"kind"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
		} `json:"invocations"`
	} `json:"runs"`
}

func TestLintSARIF(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: start")
	g.Tag("v1.0.0")
	bad := g.Commit("feature: Add a thing")
	g.Commit("fix: fine")
	msgFile := filepath.Join(g.Dir, "MSG")
	msgURI := "file://" + filepath.ToSlash(msgFile)
	if err := os.WriteFile(msgFile, []byte("feature: add a thing\nbody right after the header\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	type want struct {
		rule, level string
		file        string // artifact uri, "" for a logical location
		line, col   int    // region, with file
		logical     string // logical location name, without file
		kind        string
		sha         string // partialFingerprints.commitSha
		text        string // substring of message.text
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []want
	}{
		{"edit file has a region", "", []string{"lint", "--format", "sarif", "--edit", msgFile}, exitFindings, []want{
			{rule: "type-enum", level: "error", file: msgURI, line: 1, col: 1, text: "fix: did you mean `feat`?"},
			{rule: "body-leading-blank", level: "warning", file: msgURI, line: 2, col: 1, text: "leading blank line"},
		}},
		{"stdin is the logical location message", "Feat: x\n", []string{"lint", "--format", "sarif"}, exitFindings, []want{
			{rule: "type-case", level: "error", logical: "message", kind: "message", text: "1:1: type"},
			{rule: "type-enum", level: "error", logical: "message", kind: "message", text: "Feat"},
		}},
		{"range names the commit", "", []string{"lint", "--format", "sarif", "--from", "v1.0.0"}, exitFindings, []want{
			{rule: "type-enum", level: "error", logical: bad, kind: "commit", sha: bad, text: bad[:7] + " feature: Add a thing: 1:1: type `feature`"},
			{rule: "subject-case", level: "error", logical: bad, kind: "commit", sha: bad, text: bad[:7] + " feature: Add a thing: 1:10: "},
		}},
		{"clean range", "", []string{"lint", "--format", "sarif", "--from", "HEAD~1"}, exitOK, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runShipflow(t, g.Dir, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code = %d, want %d\nstderr:\n%s", code, tt.code, errs)
			}
			var log sarifLog
			if err := json.Unmarshal([]byte(out), &log); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			if log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || log.Version != "2.1.0" || len(log.Runs) != 1 {
				t.Fatalf("$schema %q, version %q, %d runs; want SARIF 2.1.0 with one run", log.Schema, log.Version, len(log.Runs))
			}
			run := log.Runs[0]
			d := run.Tool.Driver
			if d.Name != "shipflow" || d.Version != buildVersion() || d.InformationURI == "" {
				t.Errorf("driver = %q %q %q", d.Name, d.Version, d.InformationURI)
			}
			if run.ColumnKind != "unicodeCodePoints" {
				t.Errorf("columnKind = %q", run.ColumnKind)
			}
			if run.Results == nil || len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
				t.Errorf("results = %v, invocations = %+v; want an array and one successful invocation", run.Results, run.Invocations)
			}
			rules := map[string]bool{}
			for i, r := range d.Rules {
				if r.ShortDescription == nil || r.ShortDescription.Text == "" || !strings.HasPrefix(r.HelpURI, "https://") {
					t.Errorf("rule %d %q: shortDescription %v, helpUri %q", i, r.ID, r.ShortDescription, r.HelpURI)
				}
				rules[r.ID] = true
			}
			for _, r := range run.Results {
				if !rules[r.RuleID] || r.RuleIndex == nil || *r.RuleIndex >= len(d.Rules) || d.Rules[*r.RuleIndex].ID != r.RuleID {
					t.Errorf("result of %q: not in rules or wrong ruleIndex", r.RuleID)
				}
				if r.Message == nil || r.Message.Text == "" || len(r.Locations) != 1 {
					t.Errorf("result of %q: no message or not one location", r.RuleID)
				}
			}
			for _, w := range tt.want {
				found := false
				for _, r := range run.Results {
					if r.RuleID != w.rule {
						continue
					}
					found = true
					loc := r.Locations[0]
					if r.Level != w.level || !strings.Contains(r.Message.Text, w.text) {
						t.Errorf("%s: level %q, text %q; want %q containing %q", w.rule, r.Level, r.Message.Text, w.level, w.text)
					}
					if w.file != "" {
						p := loc.PhysicalLocation
						if p == nil || p.ArtifactLocation.URI != w.file || p.Region == nil || p.Region.StartLine != w.line || p.Region.StartColumn != w.col {
							t.Errorf("%s: physical location %+v, want %s:%d:%d", w.rule, p, w.file, w.line, w.col)
						}
						continue
					}
					if loc.PhysicalLocation != nil || len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].Name != w.logical || loc.LogicalLocations[0].Kind != w.kind {
						t.Errorf("%s: location %+v, want logical %q (%s)", w.rule, loc, w.logical, w.kind)
					}
					if r.PartialFingerprints["commitSha"] != w.sha {
						t.Errorf("%s: partialFingerprints %v, want commitSha %q", w.rule, r.PartialFingerprints, w.sha)
					}
				}
				if !found {
					t.Errorf("no result for %s in\n%s", w.rule, out)
				}
			}
			if len(tt.want) == 0 && len(run.Results) != 0 {
				t.Errorf("got %d results, want none", len(run.Results))
			}
		})
	}
}

// TestLintMarkdownAndJUnit: the report package's markdown and junit
// writers are reachable from lint, for one message and for a range.
func TestLintMarkdownAndJUnit(t *testing.T) {
	g := gittest.New(t)
	g.Commit("feat: start")
	g.Tag("v1.0.0")
	bad := g.Commit("feature: Add a thing")
	g.Commit("fix: fine")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []string
	}{
		{"markdown message", "Feat: x\n", []string{"lint", "--format", "markdown"}, exitFindings, []string{"| 1:1 | ❌ error | [`type-case`]", "❌ 2 errors, 0 warnings\n"}},
		{"markdown range", "", []string{"lint", "--format", "markdown", "--from", "v1.0.0"}, exitFindings, []string{"`" + bad[:7] + "` feature: Add a thing 1:1", "❌ 1 of 2 commits in `v1.0.0..HEAD` with problems"}},
		{"junit range", "", []string{"lint", "--format", "junit", "--from", "v1.0.0"}, exitFindings, []string{`<testcase classname="commit" name="` + bad[:7] + ` feature: Add a thing">`, `<failure type="type-enum"`, "</testsuites>\n"}},
		{"junit clean", "", []string{"lint", "--format", "junit", "--from", "HEAD~1"}, exitOK, []string{`<testcase classname="commit" name=`, "></testcase>\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runShipflow(t, g.Dir, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code = %d, want %d\nstderr:\n%s", code, tt.code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
