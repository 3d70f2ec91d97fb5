package release_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// TestResolveLint: a range from the inputs wins over the event's; the
// event's (a pull request's base..head, a push's before..after) over the
// default, which is since the last tag; strict comes from the input, else
// lint.strict.
func TestResolveLint(t *testing.T) {
	pr := release.CI{Branch: "feature/x", Base: "dev", From: "base", To: "head", Number: 7, Title: "feat: x"}
	push := release.CI{Branch: "main", From: "before", To: "after"}
	strictCfg := &config.Config{Lint: config.Lint{Strict: true}}
	cases := []struct {
		name string
		in   release.MapInputs
		cfg  *config.Config
		ci   release.CI
		want release.LintInputs
	}{
		{"nothing: since the last tag", nil, nil, release.CI{}, release.LintInputs{
			Range: release.LintRangeOptions{FromLastTag: true}, Origin: release.RangeDefault}},
		{"pull request", nil, nil, pr, release.LintInputs{
			Range: release.LintRangeOptions{From: "base", To: "head"}, Origin: release.RangeEvent}},
		{"push", nil, nil, push, release.LintInputs{
			Range: release.LintRangeOptions{From: "before", To: "after", Pushed: true}, Origin: release.RangeEvent}},
		{"push that deleted its branch: nothing named", nil, nil, release.CI{Branch: "x", From: "before", To: "0000000000000000000000000000000000000000"}, release.LintInputs{
			Range: release.LintRangeOptions{FromLastTag: true}, Origin: release.RangeDefault}},
		{"from over the event", release.MapInputs{"from": "v1.0.0"}, nil, pr, release.LintInputs{
			Range: release.LintRangeOptions{From: "v1.0.0"}, Origin: release.RangeInputs}},
		{"to over the event", release.MapInputs{"to": "main"}, nil, push, release.LintInputs{
			Range: release.LintRangeOptions{To: "main"}, Origin: release.RangeInputs}},
		{"from-last-tag over the event", release.MapInputs{"from-last-tag": "true", "to": "x"}, nil, pr, release.LintInputs{
			Range: release.LintRangeOptions{To: "x", FromLastTag: true}, Origin: release.RangeInputs}},
		{"empty inputs are not given", release.MapInputs{"from": " ", "to": "", "from-last-tag": ""}, nil, push, release.LintInputs{
			Range: release.LintRangeOptions{From: "before", To: "after", Pushed: true}, Origin: release.RangeEvent}},
		{"from-last-tag false is no range", release.MapInputs{"from-last-tag": "false"}, nil, release.CI{}, release.LintInputs{
			Range: release.LintRangeOptions{FromLastTag: true}, Origin: release.RangeDefault}},
		{"strict from the config", nil, strictCfg, release.CI{}, release.LintInputs{
			Range: release.LintRangeOptions{FromLastTag: true}, Strict: true}},
		{"strict input over the config", release.MapInputs{"strict": "false"}, strictCfg, release.CI{}, release.LintInputs{
			Range: release.LintRangeOptions{FromLastTag: true}}},
		{"strict input", release.MapInputs{"strict": "TRUE"}, nil, release.CI{}, release.LintInputs{
			Range: release.LintRangeOptions{FromLastTag: true}, Strict: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := release.ResolveLint(c.in, c.cfg, c.ci)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got, cmpopts.IgnoreFields(release.LintRangeOptions{}, "Config", "OnCommit")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveLintBadInputs(t *testing.T) {
	for name, in := range map[string]release.MapInputs{
		"from and from-last-tag": {"from": "v1", "from-last-tag": "true"},
		"not a boolean":          {"from-last-tag": "yes"},
		"strict not a boolean":   {"strict": "1"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := release.ResolveLint(in, nil, release.CI{})
			var ie *release.InputError
			if !errors.As(err, &ie) {
				t.Errorf("err = %v, want an *InputError", err)
			}
		})
	}
}

// TestLintRangeSpans: the range LintRange reads, once git is asked about
// the refs: since the last tag, and a push's range when before is all
// zeros (a new branch) or gone (a force push): the pushed commit alone.
func TestLintRangeSpans(t *testing.T) {
	g := gittest.New(t)
	root := g.Commit("feat: root")
	g.Tag("v1.0.0")
	mid := g.Commit("Bad old commit")
	before := g.Commit("feat: fine")
	g.Commit("fix: also fine")
	after := g.Commit("Bad new commit")
	ctx := context.Background()
	repo, err := git.Open(ctx, g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	zeros := "0000000000000000000000000000000000000000"
	cases := []struct {
		name      string
		opt       release.LintRangeOptions
		wantRange string
		wantCount int
	}{
		{"since the last tag", release.LintRangeOptions{FromLastTag: true}, "v1.0.0..HEAD", 4},
		{"since the last tag before to", release.LintRangeOptions{FromLastTag: true, To: mid}, "v1.0.0.." + mid, 1},
		{"push", release.LintRangeOptions{From: before, To: after, Pushed: true}, before + ".." + after, 2},
		{"push of a new branch", release.LintRangeOptions{From: zeros, To: after, Pushed: true}, after + "~1.." + after, 1},
		{"force push: before is gone", release.LintRangeOptions{From: "1111111111111111111111111111111111111111", To: after, Pushed: true}, after + "~1.." + after, 1},
		{"push of a root commit", release.LintRangeOptions{From: zeros, To: root, Pushed: true}, root, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opt.Config = commitlint.ConventionalConfig()
			rep, err := release.LintRange(ctx, repo, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Range != c.wantRange || rep.Count != c.wantCount {
				t.Errorf("range %s with %d commits, want %s with %d", rep.Range, rep.Count, c.wantRange, c.wantCount)
			}
		})
	}
	t.Run("a pull request's missing base is an error", func(t *testing.T) {
		_, err := release.LintRange(ctx, repo, release.LintRangeOptions{From: zeros, To: after, Config: commitlint.ConventionalConfig()})
		if !errors.Is(err, git.ErrUnknownRevision) {
			t.Errorf("err = %v, want git.ErrUnknownRevision", err)
		}
	})
}
