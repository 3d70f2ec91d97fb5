package commitlint

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var lintUpdate = flag.Bool("update", false, "rewrite testdata/err/*.out and testdata/TestLintCorpus.golden from the current findings")

// lintRender renders findings as testdata .out lines:
// "line:col: message [rule]", with warnings marked.
func lintRender(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		lvl := ""
		if f.Level == Warning {
			lvl = "warning: "
		}
		fmt.Fprintf(&b, "%d:%d: %s%s [%s]\n", f.Line, f.Column, lvl, f.Message, f.Rule)
		if f.Fix != "" {
			fmt.Fprintf(&b, "  fix: %s\n", f.Fix)
		}
	}
	return b.String()
}

// TestLintTestdata lints every testdata/ok/*.txt (no finding expected) and
// testdata/err/*.txt (findings as in the .out file next to it) with
// config-conventional. Run with -update to rewrite the .out files.
func TestLintTestdata(t *testing.T) {
	oks, _ := filepath.Glob("testdata/ok/*.txt")
	errs, _ := filepath.Glob("testdata/err/*.txt")
	if len(oks) == 0 || len(errs) == 0 {
		t.Fatal("no testdata")
	}
	cfg := ConventionalConfig()
	for _, path := range oks {
		t.Run("ok/"+strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			msg, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := Lint(string(msg), cfg, Input{})
			if len(res.Findings) != 0 || !res.Valid() {
				t.Errorf("Lint(%q) found problems in a good message:\n%s", msg, lintRender(res.Findings))
			}
		})
	}
	for _, path := range errs {
		t.Run("err/"+strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			msg, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := Lint(string(msg), cfg, Input{})
			got := lintRender(res.Findings)
			out := strings.TrimSuffix(path, ".txt") + ".out"
			if *lintUpdate {
				if err := os.WriteFile(out, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Lint(%q) findings differ from %s (-want +got):\n%s", msg, out, diff)
			}
			if len(res.Findings) == 0 {
				t.Errorf("Lint(%q) found nothing in a bad message", msg)
			}
			for _, f := range res.Findings {
				if f.Line < 1 || f.Column < 1 {
					t.Errorf("finding %+v has no place", f)
				}
				if f.URL == "" && f.Rule != "encoding" {
					t.Errorf("finding %+v has no help URL", f)
				}
			}
		})
	}
}

func TestLintBots(t *testing.T) {
	longLine := "Bumps golang.org/x/net from 0.1.0 to 0.2.0, with release notes, a changelog and a list of commits in the body."
	body := "chore(deps): bump golang.org/x/net from 0.1.0 to 0.2.0\n" + longLine + "\n\nsigned-off-by: dependabot[bot] <support@github.com>"
	cases := []struct {
		name       string
		msg        string
		author     string
		wantRules  []string
		wantBreak  bool
		wantIgnore bool
	}{
		{"human-gets-body-rules", body, "A Developer <dev@example.com>", []string{"body-leading-blank", "body-max-line-length"}, false, false},
		{"dependabot-body-relaxed", body, "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", nil, false, false},
		{"renovate-body-relaxed", body, "Renovate Bot <bot@renovateapp.com>", nil, false, false},
		{"any-bot-body-relaxed", body, "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>", nil, false, false},
		{"bot-header-still-checked", "Bump golang.org/x/net from 0.1.0 to 0.2.0", "dependabot[bot] <support@github.com>", []string{"type-empty"}, false, false},
		{"bot-header-length-still-checked", "chore(deps): " + strings.Repeat("x", 100), "dependabot[bot] <support@github.com>", []string{"header-max-length"}, false, false},
		{"bot-breaking-counts", "feat(deps)!: bump major\n" + longLine + "\n\nBREAKING CHANGE: drops go 1.20", "renovate[bot] <bot@renovateapp.com>", nil, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Lint(tc.msg, ConventionalConfig(), Input{Author: tc.author})
			var rules []string
			for _, f := range res.Findings {
				rules = append(rules, f.Rule)
			}
			if diff := cmp.Diff(tc.wantRules, rules); diff != "" {
				t.Errorf("rules (-want +got):\n%s\n%s", diff, lintRender(res.Findings))
			}
			if res.Commit.Breaking != tc.wantBreak {
				t.Errorf("Breaking = %v, want %v", res.Commit.Breaking, tc.wantBreak)
			}
		})
	}
}

// TestLintHeaderFormat: a header that does not parse is reported once,
// with Parse's message, fix and place, under commitlint's rule that fails
// on it (type-empty, else subject-empty), at that rule's level; each rule
// obeys its own [level, when].
func TestLintHeaderFormat(t *testing.T) {
	type want struct {
		rule  string
		level Level
		col   int
	}
	cases := []struct {
		name string
		cfg  func(*Config)
		msg  string
		want []want
	}{
		{"no-type", nil, "Added a thing", []want{{"type-empty", Error, 6}}},
		{"both-warnings", func(c *Config) {
			c.Rules["type-empty"] = RuleConfig{Level: Warning}
			c.Rules["subject-empty"] = RuleConfig{Level: Warning}
		}, "Added a thing", []want{{"type-empty", Warning, 6}}},
		{"stricter-rule-names-it", func(c *Config) {
			c.Rules["type-empty"] = RuleConfig{Level: Warning}
		}, "Added a thing", []want{{"subject-empty", Error, 6}}},
		{"format-not-required", func(c *Config) {
			delete(c.Rules, "type-empty")
			delete(c.Rules, "subject-empty")
		}, "Added a thing", nil},
		{"scope-without-type", nil, "(scope): x", []want{{"type-empty", Error, 1}}},
		{"type-empty-always-passes-no-type", func(c *Config) {
			c.Rules["type-empty"] = RuleConfig{Level: Error, Always: true}
		}, "(scope): x", nil},
		{"colon-without-space", nil, "fix:", []want{{"type-empty", Error, 5}}},
		{"subject-only-missing", func(c *Config) {
			delete(c.Rules, "type-empty")
		}, "fix:", []want{{"subject-empty", Error, 5}}},
		// commitlint's parser reads type, scope and subject here and
		// passes it; shipflow still says what is wrong, as a warning.
		{"commitlint-accepts", nil, "feat(api!): x", []want{{"header-format", Warning, 9}}},
		// The rules on the parts judge what commitlint's parser sees.
		{"scope-rules-run", func(c *Config) {
			c.Rules["type-empty"] = RuleConfig{Level: Error, Always: true}
			c.Rules["scope-enum"] = RuleConfig{Level: Error, Always: true, Value: []string{"api"}}
		}, "(web): x", []want{{"scope-enum", Error, 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ConventionalConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			res := Lint(tc.msg, cfg, Input{})
			var got []want
			for _, f := range res.Findings {
				got = append(got, want{f.Rule, f.Level, f.Column})
				if f.Rule == "type-empty" || f.Rule == "subject-empty" || f.Rule == "header-format" {
					if f.Message != res.Commit.HeaderError.Message || f.Fix != res.Commit.HeaderError.Fix {
						t.Errorf("finding %+v does not carry the header's problem %+v", f, res.Commit.HeaderError)
					}
				}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%s", diff, lintRender(res.Findings))
			}
		})
	}
}

func TestLintResult(t *testing.T) {
	cfg := ConventionalConfig()
	cfg.HelpURL = "https://example.com/commits"
	res := Lint("Feat: Add a thing.\nbody", cfg, Input{})
	if got, want := res.Errors(), 4; got != want {
		t.Errorf("Errors() = %d, want %d:\n%s", got, want, lintRender(res.Findings))
	}
	if got, want := res.Warnings(), 1; got != want {
		t.Errorf("Warnings() = %d, want %d", got, want)
	}
	if res.Valid() {
		t.Error("Valid() = true")
	}
	for i, f := range res.Findings {
		if f.URL != cfg.HelpURL {
			t.Errorf("finding %d URL = %q, want %q", i, f.URL, cfg.HelpURL)
		}
		if i > 0 {
			p := res.Findings[i-1]
			if p.Line > f.Line || p.Line == f.Line && p.Column > f.Column {
				t.Errorf("findings not sorted: %+v before %+v", p, f)
			}
		}
	}
	warnOnly := Lint("feat: x\nbody", ConventionalConfig(), Input{})
	if !warnOnly.Valid() || warnOnly.Warnings() != 1 {
		t.Errorf("a warning-only result: Valid() = %v, Warnings() = %d; want true, 1", warnOnly.Valid(), warnOnly.Warnings())
	}
	if res := Lint("feat: x", Config{}, Input{}); len(res.Findings) != 0 || res.Ignored {
		t.Errorf("empty config: %+v", res)
	}
}

func TestLintDefaultURLs(t *testing.T) {
	res := Lint("feature: x", ConventionalConfig(), Input{})
	if len(res.Findings) != 1 {
		t.Fatalf("got %d findings, want 1", len(res.Findings))
	}
	if got, want := res.Findings[0].URL, "https://commitlint.js.org/reference/rules.html#type-enum"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func BenchmarkLint(b *testing.B) {
	msg := "feat(parser): accept CRLF line endings in hook files\n\n" +
		"Editors on Windows save commit messages with CRLF. The parser now\n" +
		"normalises them before it splits the header from the body.\n\n" +
		"Closes #123\nSigned-off-by: A Developer <dev@example.com>\n"
	cfg := ConventionalConfig()
	b.ReportAllocs()
	for b.Loop() {
		res := Lint(msg, cfg, Input{Author: "A Developer <dev@example.com>"})
		if !res.Valid() {
			b.Fatal(lintRender(res.Findings))
		}
	}
}

// TestLintLargeMessage lints a 10 MB message with every rule that reads
// the whole body, to show it stays linear (a quadratic scan would not
// finish) and reports at valid places.
func TestLintLargeMessage(t *testing.T) {
	var b strings.Builder
	b.WriteString("feat: add a thing\n\n")
	for b.Len() < 10<<20 {
		b.WriteString("`'\"unclosed quotes and a rather long line that goes over the limit of one hundred characters, yes\n")
	}
	b.WriteString(strings.Repeat("'`\"", 1<<20))
	cfg := ConventionalConfig()
	cfg.Rules["body-case"] = RuleConfig{Level: Error, Always: true, Value: []string{"lower-case"}}
	cfg.Rules["body-full-stop"] = RuleConfig{Level: Error, Always: false, Value: "."}
	cfg.Rules["body-max-length"] = RuleConfig{Level: Error, Always: true, Value: 1000}
	res := Lint(b.String(), cfg, Input{})
	if res.Valid() {
		t.Fatal("a 10 MB body with long lines is valid")
	}
	lines := strings.Count(res.Commit.Raw, "\n") + 1
	for _, f := range res.Findings {
		if f.Line < 1 || f.Line > lines {
			t.Fatalf("finding outside the message: %+v", f)
		}
	}
}

func BenchmarkLintFindings(b *testing.B) {
	msg := "Feature(API): Added The Thing.\nno blank line before this body\n"
	cfg := ConventionalConfig()
	b.ReportAllocs()
	for b.Loop() {
		if res := Lint(msg, cfg, Input{}); res.Valid() {
			b.Fatal("valid")
		}
	}
}

// TestLintCorpus lints the real commits of testdata/corpus (subjects of six
// projects' release ranges and full messages of eleven releases; rebuilt by
// testdata/gen-corpus.sh) with config-conventional and compares a summary
// per source with testdata/TestLintCorpus.golden (-update rewrites it).
// Merge commits must be ignored by their header alone.
func TestLintCorpus(t *testing.T) {
	type row struct {
		Repo, Source, Hash, Subject, Message string
		Merge                                bool
	}
	type tally struct {
		total, ignored, valid int
		rules                 map[string]int
	}
	tallies := map[string]*tally{}
	read := func(path string, key func(row) (string, string)) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (regenerate with testdata/gen-corpus.sh)", err)
		}
		for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			var r row
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("%s:%d: %v", path, i+1, err)
			}
			name, msg := key(r)
			res := Lint(msg, ConventionalConfig(), Input{})
			if r.Merge && strings.HasPrefix(msg, "Merge ") && !res.Ignored {
				t.Errorf("%s:%d: merge commit %q not ignored", path, i+1, msg)
			}
			tl := tallies[name]
			if tl == nil {
				tl = &tally{rules: map[string]int{}}
				tallies[name] = tl
			}
			tl.total++
			if res.Ignored {
				tl.ignored++
			} else if res.Valid() {
				tl.valid++
			}
			lines := strings.Count(res.Commit.Raw, "\n") + 1
			for _, f := range res.Findings {
				if f.Line < 1 || f.Line > lines || f.Column < 1 {
					t.Errorf("%s:%d: finding outside the message: %+v", path, i+1, f)
				}
				tl.rules[f.Level.String()+" "+f.Rule]++
			}
		}
	}
	read("testdata/corpus/subjects.jsonl", func(r row) (string, string) { return "subjects " + r.Repo, r.Subject })
	read("testdata/corpus/messages.jsonl", func(r row) (string, string) { return "messages", r.Message })

	var b strings.Builder
	names := make([]string, 0, len(tallies))
	for n := range tallies {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		tl := tallies[n]
		fmt.Fprintf(&b, "%s: %d commits, %d ignored, %d valid\n", n, tl.total, tl.ignored, tl.valid)
		rules := make([]string, 0, len(tl.rules))
		for r := range tl.rules {
			rules = append(rules, r)
		}
		sort.Strings(rules)
		for _, r := range rules {
			fmt.Fprintf(&b, "  %s: %d\n", r, tl.rules[r])
		}
	}
	golden := filepath.Join("testdata", t.Name()+".golden")
	if *lintUpdate {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("corpus summary differs from %s (-want +got):\n%s", golden, diff)
	}
}
