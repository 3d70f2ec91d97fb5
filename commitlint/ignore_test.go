package commitlint

import (
	"regexp"
	"strings"
	"testing"
)

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

func TestLintIsBot(t *testing.T) {
	cases := []struct {
		author string
		want   bool
	}{
		{"dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", true},
		{"Dependabot <support@github.com>", true},
		{"renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>", true},
		{"Renovate Bot <bot@renovateapp.com>", true},
		{"github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>", true},
		{"A Developer <dev@example.com>", false},
		{"Robert Botham <rob@example.com>", false},
		{"", false},
	}
	for _, tc := range cases {
		if got := lintIsBot(tc.author); got != tc.want {
			t.Errorf("lintIsBot(%q) = %v, want %v", tc.author, got, tc.want)
		}
	}
}
