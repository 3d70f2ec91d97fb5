package release_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/internal/jsonl"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/version"
)

func planOpen(t testing.TB, dir string) *git.Repo {
	t.Helper()
	repo, err := git.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// planSummary is the part of a PlanReport the tables check; commits are
// "subject: bump: reason".
type planSummary struct {
	Branch, Channel       string
	PreviousTag, NextTag  string
	Next, Bump, ReleaseAs string
	Commits               []string
	Ignored, Warnings     []string
}

func planSummarize(rep *release.PlanReport) planSummary {
	s := planSummary{Branch: rep.Branch, Channel: rep.Channel, PreviousTag: rep.PreviousTag, NextTag: rep.NextTag,
		Bump: rep.Bump.String(), ReleaseAs: rep.ReleaseAs, Ignored: rep.IgnoredTags, Warnings: rep.Warnings}
	if rep.Next != nil {
		s.Next = rep.Next.String()
	}
	for _, c := range rep.Commits {
		s.Commits = append(s.Commits, c.Parsed.Header+": "+c.Bump.String()+": "+c.Reason)
	}
	return s
}

func TestPlan(t *testing.T) {
	empty := ""
	cases := []struct {
		name  string
		build func(r *gittest.Repo) // returns with the branch to plan checked out
		opts  release.PlanOptions
		want  planSummary
	}{
		{
			name: "first release",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Commit("feat: login")
			},
			want: planSummary{Branch: "main", Channel: "stable", NextTag: "v0.1.0", Next: "0.1.0", Bump: "minor",
				Commits: []string{"feat: login: minor: feat → minor", "chore: init: none: chore → none"}},
		},
		{
			name: "every parent is followed",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.AnnotatedTag("v1.4.2", "release 1.4.2")
				r.Branch("feature/x")
				r.Commit("feat(api): add x")
				r.Checkout("main")
				r.Commit("fix: y")
				r.Merge("feature/x", "Merge branch 'feature/x'")
			},
			want: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.4.2", NextTag: "v1.5.0", Next: "1.5.0", Bump: "minor",
				Commits: []string{
					"Merge branch 'feature/x': none: merge commit without a conventional header → none",
					"fix: y: patch: fix → patch",
					"feat(api): add x: minor: feat → minor"}},
		},
		{
			name: "highest reachable tag, foreign tags ignored",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Tag("v1.0.1")
				r.Tag("release-2024")
				r.Tag("v2")
				r.Commit("perf: faster")
			},
			want: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.0.1", NextTag: "v1.0.2", Next: "1.0.2", Bump: "patch",
				Commits: []string{"perf: faster: patch: perf → patch"}, Ignored: []string{"release-2024", "v2"}},
		},
		{
			name: "empty tag prefix from the options",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("0.3.0")
				r.Tag("v9.0.0")
				r.Commit("feat!: new api")
			},
			opts: release.PlanOptions{TagPrefix: &empty},
			want: planSummary{Branch: "main", Channel: "stable", PreviousTag: "0.3.0", NextTag: "0.4.0", Next: "0.4.0", Bump: "minor",
				Commits: []string{"feat!: new api: minor: breaking change → minor while 0.x (--major for 1.0.0)"}, Ignored: []string{"v9.0.0"}},
		},
		{
			name: "dev prerelease after tags on other branches",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Branch("dev")
				r.Commit("feat: a")
				r.Tag("v1.1.0-dev.1")
				r.Branch("dev-side")
				r.Commit("fix: side")
				r.Tag("v1.1.0-dev.2")
				r.Checkout("dev")
				r.Commit("fix: b")
			},
			// feat: a is in v1.1.0-dev.1 already: the commits start there.
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.0.0", NextTag: "v1.1.0-dev.3", Next: "1.1.0-dev.3", Bump: "minor",
				Commits: []string{"fix: b: patch: fix → patch"}},
		},
		{
			name: "dev re-run after tagging",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Branch("dev")
				r.Commit("feat: a")
				r.Tag("v1.1.0-dev.1")
			},
			// No commit after the tag at HEAD: the tag's own line.
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.0.0", NextTag: "v1.1.0-dev.1", Next: "1.1.0-dev.1", Bump: "minor",
				Warnings: []string{"HEAD is already tagged v1.1.0-dev.1: proposing it again"}},
		},
		{
			name: "main not merged back into dev",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Branch("dev")
				r.Checkout("main")
				r.Commit("fix: hot")
				r.Tag("v1.0.1")
				r.Checkout("dev")
				r.Commit("fix: b")
			},
			want: planSummary{Branch: "dev", Channel: "dev", PreviousTag: "v1.0.0", NextTag: "v1.0.2-dev.1", Next: "1.0.2-dev.1", Bump: "patch",
				Commits: []string{"fix: b: patch: fix → patch"},
				Warnings: []string{
					"v1.0.1 is higher than v1.0.0 but not reachable from HEAD: main not merged back into dev?",
					"v1.0.1 is at or below the existing tag v1.0.1: proposing v1.0.2 instead"}},
		},
		{
			name: "branch given for a detached head",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Commit("fix: x")
				r.Checkout("HEAD~0")
			},
			opts: release.PlanOptions{Branch: "main"},
			want: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.0.0", NextTag: "v1.0.1", Next: "1.0.1", Bump: "patch",
				Commits: []string{"fix: x: patch: fix → patch"}},
		},
		{
			name: "highest tag names a tree",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Git("tag", "v9.0.0", "HEAD^{tree}")
				r.Commit("fix: x")
			},
			want: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v1.0.0", NextTag: "v9.0.1", Next: "9.0.1", Bump: "patch",
				Commits: []string{"fix: x: patch: fix → patch"},
				Warnings: []string{
					"v9.0.0 is higher than v1.0.0 but not reachable from HEAD: tagged on another branch that was never merged into main?",
					"v1.0.1 is at or below the existing tag v9.0.0: proposing v9.0.1 instead"}},
		},
		{
			// Elsewhere a detached HEAD needs a branch (TestPlanDetached).
			name: "detached head at a version tag builds",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v1.0.0")
				r.Commit("fix: x")
				r.Checkout("v1.0.0")
			},
			want: planSummary{Channel: "none", PreviousTag: "v1.0.0", Next: "1.0.0+<head>", Bump: "none",
				Warnings: []string{"HEAD is detached and no branch was given (--branch): building without a tag"}},
		},
		{
			name: "release-as footer and release commits",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v0.9.0")
				r.Commit("chore(release): v0.9.0 [skip ci]")
				r.Commit("docs: stable api\n\nRelease-As: 1.0.0")
			},
			want: planSummary{Branch: "main", Channel: "stable", PreviousTag: "v0.9.0", NextTag: "v1.0.0", Next: "1.0.0", Bump: "none", ReleaseAs: "1.0.0",
				Commits: []string{"docs: stable api: none: docs → none; Release-As: 1.0.0", "chore(release): v0.9.0 [skip ci]: none: release commit, ignored"}},
		},
		{
			name: "configured types and channels",
			build: func(r *gittest.Repo) {
				r.Commit("chore: init")
				r.Tag("v2.0.0")
				r.Branch("release/next")
				r.Commit("deps: bump go")
			},
			opts: release.PlanOptions{Config: config.Version{
				Types:    map[string]string{"deps": "patch", "feat": "minor"},
				Channels: []config.VersionChannel{{Name: "rc", Branches: []string{"release/*"}, Prerelease: "rc"}},
			}},
			want: planSummary{Branch: "release/next", Channel: "rc", PreviousTag: "v2.0.0", NextTag: "v2.0.1-rc.1", Next: "2.0.1-rc.1", Bump: "patch",
				Commits: []string{"deps: bump go: patch: deps → patch"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := gittest.New(t)
			c.build(r)
			rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), c.opts)
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			head := r.Head()
			c.want.Next = strings.ReplaceAll(c.want.Next, "<head>", head[:7])
			if diff := cmp.Diff(c.want, planSummarize(rep)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
			if rep.Head != head {
				t.Errorf("Head = %s, want %s", rep.Head, head)
			}
			if want, _ := os.Stat(r.Dir); want == nil || rep.Dir == "" {
				t.Errorf("Dir = %q", rep.Dir)
			} else if got, _ := os.Stat(rep.Dir); !os.SameFile(want, got) {
				t.Errorf("Dir = %q, want %q", rep.Dir, r.Dir)
			}
			for _, pc := range rep.Commits {
				if pc.Commit == nil || !strings.HasPrefix(pc.Commit.Message, pc.Parsed.Header) {
					t.Errorf("commit %+v does not match its parsed message %q", pc.Commit, pc.Parsed.Header)
				}
			}
			if len(rep.Rules) < 5 || rep.Rules[0] != `tag prefix: "`+planPrefix(c.opts)+`"` {
				t.Errorf("Rules = %q", rep.Rules)
			}
		})
	}
}

func planPrefix(o release.PlanOptions) string {
	if o.TagPrefix != nil {
		return *o.TagPrefix
	}
	if o.Config.TagPrefix != nil {
		return *o.Config.TagPrefix
	}
	return "v"
}

func TestPlanRefused(t *testing.T) {
	r := gittest.New(t)
	r.Commit("chore: init")
	r.Tag("v1.0.0")
	r.Branch("hotfix/login")
	r.Commit("feat: new login")
	repo := planOpen(t, r.Dir)

	_, err := release.Plan(context.Background(), repo, release.PlanOptions{})
	var be *version.BumpError
	if !errors.As(err, &be) || !release.PlanRefused(err) {
		t.Fatalf("Plan error = %v, want a *version.BumpError", err)
	}
	if be.Bump != version.Minor || len(be.Commits) != 1 || be.Commits[0].Commit.Parsed.Header != "feat: new login" {
		t.Errorf("BumpError = %+v", be)
	}

	rep, err := release.Plan(context.Background(), repo, release.PlanOptions{AllowBump: true})
	if err != nil {
		t.Fatalf("Plan with AllowBump: %v", err)
	}
	if rep.NextTag != "v1.1.0" {
		t.Errorf("NextTag = %q, want v1.1.0", rep.NextTag)
	}
	if release.PlanRefused(errors.New("git broke")) {
		t.Errorf("PlanRefused(other error) = true")
	}
}

func TestPlanShallow(t *testing.T) {
	origin := gittest.New(t)
	origin.Commit("chore: init")
	origin.Tag("v1.0.0")
	origin.Commit("feat: a")
	origin.Commit("fix: b")

	t.Run("deepened from the remote", func(t *testing.T) {
		// As in CI: a bare repository serves the history, the checkout is a
		// depth-1 clone of it over file:// (so that --depth applies).
		hub := origin.InitBare("hub")
		origin.Git("push", "-q", "hub", "main", "--tags")
		dst := filepath.Join(t.TempDir(), "checkout")
		cmd := exec.Command("git", "clone", "-q", "--depth=1", "file://"+hub, dst)
		cmd.Env = gittest.Env()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git clone: %v: %s", err, out)
		}
		clone := &gittest.Repo{T: t, Dir: dst, Now: origin.Now, Author: origin.Author}
		if got := clone.Git("rev-parse", "--is-shallow-repository"); got != "true" {
			t.Fatalf("clone is not shallow: %s", got)
		}
		if got := clone.Git("tag", "--list"); got != "" {
			t.Fatalf("depth-1 clone has tags %q; the test needs them missing", got)
		}
		rep, err := release.Plan(context.Background(), planOpen(t, clone.Dir), release.PlanOptions{})
		if err != nil {
			t.Fatalf("Plan: %v", err)
		}
		if rep.PreviousTag != "v1.0.0" || rep.NextTag != "v1.1.0" || len(rep.Commits) != 2 {
			t.Errorf("plan = %+v, want v1.0.0 → v1.1.0 over 2 commits", planSummarize(rep))
		}
		if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `fetched the full history from "origin"`) {
			t.Errorf("Warnings = %q", rep.Warnings)
		}
		if got := clone.Git("rev-parse", "--is-shallow-repository"); got != "false" {
			t.Errorf("clone still shallow after Plan")
		}
	})
	t.Run("no remote", func(t *testing.T) {
		clone := origin.Clone("--depth=1")
		clone.Git("remote", "remove", "origin")
		_, err := release.Plan(context.Background(), planOpen(t, clone.Dir), release.PlanOptions{})
		if !errors.Is(err, git.ErrShallow) || !strings.Contains(err.Error(), "fetch-depth: 0") {
			t.Errorf("Plan error = %v, want ErrShallow with the fetch-depth fix", err)
		}
	})
	t.Run("no fetch", func(t *testing.T) {
		clone := origin.Clone("--depth=1")
		_, err := release.Plan(context.Background(), planOpen(t, clone.Dir), release.PlanOptions{NoFetch: true})
		if !errors.Is(err, git.ErrShallow) {
			t.Errorf("Plan error = %v, want ErrShallow", err)
		}
		if got := clone.Git("rev-parse", "--is-shallow-repository"); got != "true" {
			t.Errorf("NoFetch deepened the clone")
		}
	})
}

func TestPlanRules(t *testing.T) {
	empty := ""
	cases := []struct {
		name   string
		cfg    config.Version
		prefix string
		check  func(t *testing.T, r version.Rules)
		err    string
	}{
		{name: "defaults", prefix: "v", check: func(t *testing.T, r version.Rules) {
			if diff := cmp.Diff(version.DefaultRules().Describe(), r.Describe()); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
		}},
		{name: "every key", prefix: "",
			cfg: config.Version{TagPrefix: &empty, InitialVersion: "1.0.0", Types: map[string]string{"Feat": "major"}, MajorOnZero: true,
				ReleaseCommit: `^release:`, Channels: []config.VersionChannel{{Name: "lts", Branches: []string{"lts/*"}, MaxBump: "minor"}}},
			check: func(t *testing.T, r version.Rules) {
				want := []string{
					"breaking change → major", "feat → major", "other types and non-conventional commits → none",
					"a commit and its revert in the range cancel out; a revert of a released commit → patch",
					"Release-As: X.Y.Z footer → X.Y.Z", "release commits ignored: /^release:/", "first version: 1.0.0",
					"branch lts/* → lts: X.Y.Z releases, minor bumps at most"}
				if diff := cmp.Diff(want, r.Describe()); diff != "" {
					t.Errorf("rules (-want +got):\n%s", diff)
				}
			}},
		{name: "bad initial version", cfg: config.Version{InitialVersion: "1.0"}, err: `.shipflow.yaml: version.initial-version: "1.0" is not a plain X.Y.Z version`},
		{name: "bad bump", cfg: config.Version{Types: map[string]string{"feat": "big"}}, err: `.shipflow.yaml: version.types.feat: unknown bump "big": valid bumps are none, patch, minor and major`},
		{name: "bad regexp", cfg: config.Version{ReleaseCommit: "("}, err: `.shipflow.yaml: version.release-commit: "(" is not a valid regular expression: error parsing regexp: missing closing ): ` + "`(`"},
		{name: "bad max bump", cfg: config.Version{Channels: []config.VersionChannel{{Name: "x", Branches: []string{"x"}, MaxBump: "tiny"}}}, err: `.shipflow.yaml: version.channels[0].max-bump: unknown bump "tiny": valid bumps are none, patch, minor and major`},
		{name: "channel without branches", cfg: config.Version{Channels: []config.VersionChannel{{Name: "x"}}}, err: `.shipflow.yaml: version: channel "x" has no branch patterns`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rules, prefix, err := release.PlanRules(c.cfg)
			if c.err != "" {
				var ce *config.Error
				if err == nil || err.Error() != c.err || !errors.As(err, &ce) {
					t.Fatalf("PlanRules error = %v, want *config.Error %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("PlanRules: %v", err)
			}
			if prefix != c.prefix {
				t.Errorf("prefix = %q, want %q", prefix, c.prefix)
			}
			c.check(t, rules)
		})
	}
}

// planPair is a release range of the shared corpus (see
// version/testdata/gen.go).
type planPair struct {
	Repo          string            `json:"repo"`
	PrevTag       string            `json:"prev_tag"`
	NextTag       string            `json:"next_tag"`
	PredictedBump map[string]string `json:"predicted_bump"`
	Commits       []struct {
		Hash           string  `json:"hash"`
		Subject        string  `json:"subject"`
		Merge          bool    `json:"merge"`
		BreakingFooter bool    `json:"breaking_footer"`
		Reverts        *string `json:"reverts"`
	} `json:"commits"`
}

// TestPlanCorpusReplay replays real release ranges into real repositories:
// the previous tag, then every commit of the range oldest first (merges as
// real merges of a side branch, reverts pointing at the replayed hashes),
// and checks Plan proposes the corpus' plain-rules bump.
func TestPlanCorpusReplay(t *testing.T) {
	want := map[string]bool{ // picked for what they exercise
		"semantic-release/semantic-release v17.0.3": true, // a commit and its revert in range
		"vuejs/core v3.2.4":                         true, // a commit and its revert in range
		"semantic-release/semantic-release v14.0.0": true, // breaking change
		"orhun/git-cliff v0.8.0":                    true, // breaking change while 0.x
		"cocogitto/cocogitto 2.1.0":                 true, // no tag prefix
		"semantic-release/semantic-release v22.0.1": true, // merge commits
		"semantic-release/semantic-release v24.2.7": true, // perf: a patch by our rules, none by the plain ones
	}
	pairs := planReadPairs(t, want)
	if len(pairs) != len(want) {
		t.Fatalf("found %d of the %d pairs", len(pairs), len(want))
	}
	for _, p := range pairs {
		t.Run(p.Repo+"@"+p.NextTag, func(t *testing.T) {
			r := gittest.New(t)
			r.Commit("chore: history before " + p.PrevTag)
			r.Tag(p.PrevTag)
			replayed := map[string]string{} // corpus hash → replayed hash
			for i := len(p.Commits) - 1; i >= 0; i-- {
				c := p.Commits[i]
				msg := c.Subject
				if c.Reverts != nil {
					target := *c.Reverts
					if h, ok := replayed[target]; ok {
						target = h
					}
					msg += "\n\nThis reverts commit " + target + "."
				}
				if c.BreakingFooter {
					msg += "\n\nBREAKING CHANGE: see the commit body"
				}
				if c.Merge {
					r.Branch("side")
					r.Commit("chore: side")
					r.Checkout("main")
					replayed[c.Hash] = r.Merge("side", msg)
					r.Git("branch", "-q", "-D", "side")
				} else {
					replayed[c.Hash] = r.Commit(msg)
				}
			}
			prefix := ""
			if strings.HasPrefix(p.PrevTag, "v") {
				prefix = "v"
			}
			rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), release.PlanOptions{TagPrefix: &prefix})
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			wantBump := p.PredictedBump["plain_full_0x_breaking_minor"]
			for _, c := range rep.Commits {
				if wantBump == "none" && strings.HasPrefix(c.Reason, "perf → ") {
					wantBump = "patch" // perf → patch by design
				}
			}
			if rep.Bump.String() != wantBump || rep.PreviousTag != p.PrevTag {
				t.Errorf("Plan = %s bump from %s, want %s from %s; commits:\n%s", rep.Bump, rep.PreviousTag, wantBump, p.PrevTag, planReasons(rep))
			}
			if rep.NextTag != p.NextTag {
				t.Logf("next tag %s, maintainers tagged %s", rep.NextTag, p.NextTag)
			}
			for _, c := range rep.Commits {
				if c.Reason == "" {
					t.Errorf("commit %s %q has no reason", c.Commit.Short(), c.Parsed.Header)
				}
			}
		})
	}
}

// planReadPairs reads the corpus pairs named in want ("repo next_tag"), or
// all of them when want is nil.
func planReadPairs(t testing.TB, want map[string]bool) []planPair {
	t.Helper()
	var out []planPair
	for _, p := range jsonl.ReadGzip[planPair](t, "version/testdata/corpus.jsonl.gz") {
		if want == nil || want[p.Repo+" "+p.NextTag] {
			out = append(out, p)
		}
	}
	return out
}

func planReasons(rep *release.PlanReport) string {
	var b strings.Builder
	for _, c := range rep.Commits {
		b.WriteString("  " + c.Commit.Short() + " " + c.Bump.String() + " " + c.Parsed.Header + ": " + c.Reason + "\n")
	}
	return b.String()
}

// BenchmarkPlan plans a range of 20,000 commits (the corpus subjects,
// written with git fast-import) after a v1.0.0 tag; bench/next/run.sh
// measures the whole CLI on 100,000 commits against the git log floor.
func BenchmarkPlan(b *testing.B) {
	r := gittest.New(b)
	var stream strings.Builder
	stream.WriteString("commit refs/heads/main\nmark :1\ncommitter A <a@b> 1700000000 +0000\ndata 12\nchore: init\nM 644 inline README\ndata 6\nbench\n\nreset refs/tags/v1.0.0\nfrom :1\n\n")
	var subjects []string
	for _, p := range planReadPairs(b, nil) {
		for _, c := range p.Commits {
			subjects = append(subjects, c.Subject)
		}
	}
	for i := range 20000 {
		msg := subjects[i%len(subjects)] + "\n"
		fmt.Fprintf(&stream, "commit refs/heads/main\ncommitter A <a@b> %d +0000\ndata %d\n%s\n", 1700000060+60*i, len(msg), msg)
	}
	cmd := exec.Command("git", "-C", r.Dir, "fast-import", "--quiet")
	cmd.Env = gittest.Env()
	cmd.Stdin = strings.NewReader(stream.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git fast-import: %v: %s", err, out)
	}
	r.Git("reset", "-q", "--hard", "main")
	repo := planOpen(b, r.Dir)
	b.ResetTimer()
	for b.Loop() {
		rep, err := release.Plan(context.Background(), repo, release.PlanOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Commits) != 20000 {
			b.Fatalf("%d commits, want 20000", len(rep.Commits))
		}
	}
}

func TestCheckTagPrefix(t *testing.T) {
	for _, ok := range []string{"", "v", "V", "release-", "api/v", "pkg/api-v", "@scope/pkg@", "app_v", "1.x-", "v+"} {
		if err := release.CheckTagPrefix(ok); err != nil {
			t.Errorf("CheckTagPrefix(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"-", "--output=x", "-v", ".v", "/v", "v..", "v//", "v $(id)", "v`id`", "v;", "v\n", "v\x00",
		"v*", "v?", "v[", "v~", "v^", "v:", "v\\", "v@{", "a/.b", "é"} {
		err := release.CheckTagPrefix(bad)
		if !errors.Is(err, release.ErrPlanBadTag) {
			t.Errorf("CheckTagPrefix(%q) = %v, want ErrPlanBadTag", bad, err)
		}
	}
}

// TestTagPrefixNone: "none" means no prefix, spelled the same as a flag, an
// Action input and version.tag-prefix (the Action alone knew it before),
// and every operation that names tags reads the prefix the same way.
func TestTagPrefixNone(t *testing.T) {
	r := gittest.New(t)
	r.Commit("chore: init")
	r.Tag("1.2.0")
	r.Commit("feat: login")
	none, empty := release.NoTagPrefix, ""
	cfgNone := config.Version{TagPrefix: &none}
	for name, opts := range map[string]release.PlanOptions{
		"flag none":   {TagPrefix: &none},
		"flag empty":  {TagPrefix: &empty},
		"config none": {Config: cfgNone},
	} {
		rep, err := release.Plan(context.Background(), planOpen(t, r.Dir), opts)
		if err != nil || rep.NextTag != "1.3.0" || rep.Prefix != "" {
			t.Errorf("%s: Plan = %+v, %v; want 1.3.0 with no prefix", name, rep, err)
		}
		crep, err := release.Changelog(context.Background(), planOpen(t, r.Dir), release.ChangelogOptions{Plan: opts, Version: "1.2.0", DryRun: true})
		if err != nil || crep.Tag != "1.2.0" {
			t.Errorf("%s: Changelog of 1.2.0 = %+v, %v; want the tag 1.2.0", name, crep, err)
		}
	}
	// The changelog of a tag checks a flag's prefix too: it went unchecked.
	bad := "-"
	if _, err := release.Changelog(context.Background(), planOpen(t, r.Dir), release.ChangelogOptions{Plan: release.PlanOptions{TagPrefix: &bad}, Version: "1.2.0", DryRun: true}); !errors.Is(err, release.ErrPlanBadTag) {
		t.Errorf("Changelog with --tag-prefix - = %v, want ErrPlanBadTag", err)
	}
}
