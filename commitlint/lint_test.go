package commitlint

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/err/*.out from the current findings")

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
			if *update {
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

func TestLintIgnores(t *testing.T) {
	cases := []struct {
		name        string
		msg         string
		cfg         func(*Config)
		in          Input
		wantIgnored bool
	}{
		{name: "merge-branch", msg: "Merge branch 'dev'", wantIgnored: true},
		{name: "merge-into", msg: "Merge feature/x into main", wantIgnored: true},
		{name: "merge-pull-request", msg: "Merge pull request #1 from a/b", wantIgnored: true},
		{name: "merge-tag", msg: "Merge tag 'v1.0.0'", wantIgnored: true},
		{name: "merged-pr", msg: "Merged PR 12: add x", wantIgnored: true},
		{name: "automatic-merge", msg: "Automatic merge from main", wantIgnored: true},
		{name: "auto-merged", msg: "Auto-merged dev into main", wantIgnored: true},
		{name: "revert-quoted", msg: "Revert \"feat: x\"", wantIgnored: true},
		{name: "revert-lower", msg: "revert the last change", wantIgnored: true},
		{name: "reapply", msg: "Reapply \"feat: x\"", wantIgnored: true},
		{name: "fixup", msg: "fixup! whatever", wantIgnored: true},
		{name: "squash", msg: "squash! whatever", wantIgnored: true},
		{name: "amend", msg: "amend! whatever", wantIgnored: true},
		{name: "version-v", msg: "v1.2.3", wantIgnored: true},
		{name: "version-bare", msg: "1.2.3", wantIgnored: true},
		{name: "version-prerelease", msg: "1.2.3-beta.1+build.5", wantIgnored: true},
		{name: "version-chore", msg: "chore: 1.2.3", wantIgnored: true},
		{name: "version-chore-scope", msg: "chore(release): v1.2.3", wantIgnored: true},
		{name: "conventional-revert-type", msg: "revert: feat: x", wantIgnored: false},
		{name: "version-not-semver", msg: "1.2", wantIgnored: false},
		{name: "version-with-text", msg: "v1.2.3 is out", wantIgnored: false},
		{name: "feat", msg: "feat: x", wantIgnored: false},
		{name: "body-merge-line-does-not-hide-header", msg: "Added a thing\n\nMerge branch 'main' into dev", wantIgnored: false},
		{name: "body-revert-line-does-not-hide-header", msg: "Added a thing\n\nRevert \"feat: x\"", wantIgnored: false},
		{name: "body-version-line-does-not-hide-header", msg: "Added a thing\n\n1.2.3", wantIgnored: false},
		{name: "default-ignores-off", msg: "Merge branch 'dev'", cfg: func(c *Config) { c.DefaultIgnores = false }, wantIgnored: false},
		{name: "two-parents", msg: "Added a thing.", in: Input{IsMerge: true}, wantIgnored: true},
		{name: "extra-pattern", msg: "WIP on login", cfg: func(c *Config) { c.Ignores = []*regexp.Regexp{regexp.MustCompile(`^WIP\b`)} }, wantIgnored: true},
		{name: "extra-pattern-header-only", msg: "Added a thing\n\nWIP", cfg: func(c *Config) { c.Ignores = []*regexp.Regexp{regexp.MustCompile(`(?m)^WIP`)} }, wantIgnored: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ConventionalConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			res := Lint(tc.msg, cfg, tc.in)
			if res.Ignored != tc.wantIgnored {
				t.Fatalf("Lint(%q).Ignored = %v, want %v", tc.msg, res.Ignored, tc.wantIgnored)
			}
			if res.Ignored && len(res.Findings) != 0 {
				t.Errorf("ignored message has findings:\n%s", lintRender(res.Findings))
			}
			if !res.Ignored && strings.HasPrefix(tc.msg, "Added") && res.Valid() {
				t.Errorf("Lint(%q) is valid, want the bad header reported", tc.msg)
			}
			if res.Commit == nil {
				t.Error("Result.Commit is nil")
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
		{"bot-header-still-checked", "Bump golang.org/x/net from 0.1.0 to 0.2.0", "dependabot[bot] <support@github.com>", []string{"header-format"}, false, false},
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

func TestLintHeaderFormat(t *testing.T) {
	cases := []struct {
		name      string
		cfg       func(*Config)
		msg       string
		wantLevel Level
		wantCount int
	}{
		{"conventional-error", nil, "Added a thing.", Error, 1},
		{"type-empty-warning", func(c *Config) {
			c.Rules["type-empty"] = RuleConfig{Level: Warning}
			c.Rules["subject-empty"] = RuleConfig{Level: Warning}
		}, "Added a thing.", Warning, 1},
		{"format-not-required", func(c *Config) {
			delete(c.Rules, "type-empty")
			delete(c.Rules, "subject-empty")
		}, "Added a thing.", Disabled, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ConventionalConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			res := Lint(tc.msg, cfg, Input{})
			n := 0
			for _, f := range res.Findings {
				if f.Rule == "header-format" {
					n++
					if f.Level != tc.wantLevel {
						t.Errorf("level = %v, want %v", f.Level, tc.wantLevel)
					}
					if f.URL != lintHeaderFormatURL {
						t.Errorf("URL = %q", f.URL)
					}
				}
				if strings.HasPrefix(f.Rule, "type-") || strings.HasPrefix(f.Rule, "subject-") {
					t.Errorf("cascade finding %+v", f)
				}
			}
			if n != tc.wantCount {
				t.Errorf("%d header-format findings, want %d:\n%s", n, tc.wantCount, lintRender(res.Findings))
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

func TestConventionalConfig(t *testing.T) {
	cfg := ConventionalConfig()
	for name, rc := range cfg.Rules {
		if _, ok := ruleSpecs[name]; !ok {
			t.Errorf("config-conventional names unknown rule %q", name)
		}
		if rc.Level == Disabled {
			t.Errorf("rule %q is disabled", name)
		}
	}
	if !cfg.DefaultIgnores {
		t.Error("DefaultIgnores is off")
	}
	// Each call is independent.
	cfg.Rules["type-enum"] = RuleConfig{}
	if ConventionalConfig().Rules["type-enum"].Level != Error {
		t.Error("ConventionalConfig shares its map between calls")
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
