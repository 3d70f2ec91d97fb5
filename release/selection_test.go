package release_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/version"
)

// selectionCase is one history for TestSelectionAgreement: build leaves
// the branch to plan checked out (in dir, when it returns one: a clone).
type selectionCase struct {
	name  string
	build func(r *gittest.Repo) string
	// branch is the branch planned ("" the checked-out one); integration
	// the integration branch ("" the default, dev).
	branch, integration string
	// version is the version next proposes and the changelog writes.
	version string
	// counted are the commits next counts, "bump header" (the header that
	// counts: a GitHub merge's pull request title), sorted; a Release-As
	// shows as its version.
	counted []string
}

// TestSelectionAgreement checks, for each history, that the commits next
// counts (release.Plan: those with a bump or a Release-As) are exactly the
// commits the changelog section lists (release.Changelog), and that both
// name the same version: changelog and next are computed from one commit
// selection.
func TestSelectionAgreement(t *testing.T) {
	for _, tt := range selectionCases() {
		t.Run(tt.name, func(t *testing.T) {
			r := gittest.New(t)
			dir := tt.build(r)
			if dir == "" {
				dir = r.Dir
			}
			ctx := context.Background()
			popts := release.PlanOptions{Branch: tt.branch, Integration: tt.integration}
			plan, err := release.Plan(ctx, planOpen(t, dir), popts)
			if err != nil {
				t.Fatal(err)
			}
			var counted, nextListed []string
			for _, c := range plan.Commits {
				_, releaseAs, _ := strings.Cut(c.Reason, "; Release-As: ")
				if c.Bump == version.None && releaseAs == "" {
					continue
				}
				bump := c.Bump.String()
				if releaseAs != "" {
					bump = releaseAs
				}
				counted = append(counted, bump+" "+c.Parsed.Header)
				nextListed = append(nextListed, c.Commit.Short()+" "+c.Parsed.Header)
			}
			slices.Sort(counted)
			if diff := cmp.Diff(tt.counted, counted); diff != "" {
				t.Errorf("next counts (-want +got):\n%s\n%s", diff, selectionReasons(plan))
			}
			next := ""
			if plan.Next != nil {
				next = plan.Next.String()
			}
			if next != tt.version {
				t.Errorf("next proposes %q, want %q", next, tt.version)
			}

			notes, err := release.Changelog(ctx, planOpen(t, dir), release.ChangelogOptions{Plan: popts, DryRun: true, Now: notesNow})
			if err != nil {
				t.Fatal(err)
			}
			if notes.Version != next {
				t.Errorf("changelog writes %q, next proposes %q", notes.Version, next)
			}
			var listed []string
			if notes.Context != nil {
				for _, s := range notes.Context.Sections {
					for _, e := range s.Entries {
						listed = append(listed, e.ShortHash+" "+e.Header)
					}
				}
			}
			slices.Sort(listed)
			slices.Sort(nextListed)
			if diff := cmp.Diff(nextListed, listed); diff != "" {
				t.Errorf("next counts (-) but the changelog lists (+):\n%s\nsection:\n%s\nleft out: %q\n%s", diff, notes.Section, notes.Dropped, selectionReasons(plan))
			}
		})
	}
}

func selectionReasons(plan *release.PlanReport) string {
	var b strings.Builder
	b.WriteString("plan:\n")
	for _, c := range plan.Commits {
		b.WriteString("  " + c.Commit.Short() + " " + c.Parsed.Header + ": " + c.Bump.String() + ": " + c.Reason + "\n")
	}
	return b.String()
}

// selectionBranch makes branch name from from with one commit per
// message, returns to from and returns the commits' hashes.
func selectionBranch(r *gittest.Repo, from, name string, msgs ...string) []string {
	r.Checkout(from)
	r.Branch(name)
	var hashes []string
	for i, m := range msgs {
		hashes = append(hashes, r.CommitFile(strings.ReplaceAll(name, "/", "-")+".txt", strings.Repeat("x", i+1)+"\n", m))
	}
	r.Checkout(from)
	return hashes
}

func selectionCases() []selectionCase {
	// dev with two squashed pull requests, and main at v1.0.0.
	sprint := func(r *gittest.Repo) {
		r.CommitFile("app.txt", "1\n", "feat: first")
		r.Tag("v1.0.0")
		r.Branch("dev")
		r.CommitFile("search.txt", "1\n", "feat(api): add search (#11)")
		r.CommitFile("db.txt", "1\n", "fix(db): pool leak (#12)")
		r.Checkout("main")
	}
	sprintCounted := []string{"minor feat(api): add search (#11)", "patch fix(db): pool leak (#12)"}
	return []selectionCase{
		{
			name: "squash merges",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				r.CommitFile("search.txt", "1\n", "feat(api): add search (#11)\n\n* feat: search endpoint\n\n* test: cover search")
				r.CommitFile("db.txt", "1\n", "fix(db): pool leak (#12)")
				r.CommitFile("README.md", "1\n", "docs: explain search (#14)")
				return ""
			},
			version: "1.1.0",
			counted: sprintCounted,
		},
		{
			name: "merge commits stand for their pull requests",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				selectionBranch(r, "main", "feature/search", "wip", "feat: search endpoint", "test: cover search")
				r.Merge("feature/search", "Merge pull request #11 from o/feature/search\n\nfeat(api): add search")
				selectionBranch(r, "main", "fix/pool", "fix: close connections")
				r.Merge("fix/pool", "Merge pull request #12 from o/fix/pool\n\nfix(db): pool leak")
				return ""
			},
			version: "1.1.0",
			counted: []string{"minor feat(api): add search", "patch fix(db): pool leak"},
		},
		{
			name: "rebase merge",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				hashes := selectionBranch(r, "main", "feature/search", "feat(api): add search", "fix(api): empty query")
				for _, h := range hashes {
					r.Git("cherry-pick", h)
				}
				return ""
			},
			version: "1.1.0",
			counted: []string{"minor feat(api): add search", "patch fix(api): empty query"},
		},
		{
			// The case: the promotion pull request #13 merged with a
			// merge commit titled by the pull request.
			name: "promotion merge titled chore",
			build: func(r *gittest.Repo) string {
				sprint(r)
				r.Merge("dev", "chore: release sprint 12 (#13)")
				return ""
			},
			version: "1.1.0",
			counted: sprintCounted,
		},
		{
			name:        "promotion merge of a configured integration branch",
			integration: "develop",
			build: func(r *gittest.Repo) string {
				sprint(r)
				r.Git("branch", "-m", "dev", "develop")
				r.Merge("develop", "chore: release sprint 12 (#13)")
				return ""
			},
			version: "1.1.0",
			counted: sprintCounted,
		},
		{
			name: "promotion merge named by GitHub, dev deleted",
			build: func(r *gittest.Repo) string {
				sprint(r)
				r.Merge("dev", "Merge pull request #13 from o/dev\n\nchore: release sprint 12")
				r.Git("branch", "-D", "dev")
				return ""
			},
			version: "1.1.0",
			counted: sprintCounted,
		},
		{
			// A CI checkout: no local dev, only origin/dev.
			name: "promotion merge in a clone",
			build: func(r *gittest.Repo) string {
				sprint(r)
				r.Merge("dev", "chore: release sprint 12 (#13)")
				return r.Clone().Dir
			},
			version: "1.1.0",
			counted: sprintCounted,
		},
		{
			// Pull requests merged into dev stand for their branches' commits,
			// a commit made on dev before them counts on its own, and the
			// promotion brings all of them.
			name: "feature merges into dev then promotion",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				r.Branch("dev")
				r.CommitFile("db.txt", "1\n", "fix(db): pool leak (#12)")
				selectionBranch(r, "dev", "feature/search", "feat: search endpoint", "test: cover search")
				r.Merge("feature/search", "Merge pull request #11 from o/feature/search\n\nfeat(api): add search")
				r.Checkout("main")
				r.Merge("dev", "Merge pull request #13 from o/dev\n\nRelease sprint 12")
				return ""
			},
			version: "1.1.0",
			counted: []string{"minor feat(api): add search", "patch fix(db): pool leak (#12)"},
		},
		{
			name:   "feature merges on dev",
			branch: "dev",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				r.Branch("dev")
				selectionBranch(r, "dev", "feature/search", "feat: search endpoint", "fix: typo in search")
				r.Merge("feature/search", "Merge pull request #11 from o/feature/search\n\nfeat(api): add search")
				return ""
			},
			version: "1.1.0-dev.1",
			counted: []string{"minor feat(api): add search"},
		},
		{
			// A fix made on a hotfix branch from main and released as v1.0.1,
			// then cherry-picked back onto dev: dev's promotion brings the
			// copy, which is released already.
			name: "cherry-pick to hotfix and back",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				r.Branch("dev")
				r.CommitFile("search.txt", "1\n", "feat(api): add search (#11)")
				hot := selectionBranch(r, "main", "hotfix/crash", "fix: do not crash on a missing config")
				r.Merge("hotfix/crash", "Merge branch 'hotfix/crash'")
				r.Tag("v1.0.1")
				r.Checkout("dev")
				r.Git("cherry-pick", hot[0])
				r.Checkout("main")
				r.Merge("dev", "chore: release sprint 12 (#13)")
				return ""
			},
			version: "1.1.0",
			counted: []string{"minor feat(api): add search (#11)"},
		},
		{
			// The same fix on main and on dev, neither released: once.
			name: "cherry-pick in the range",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				r.Branch("dev")
				fix := r.CommitFile("crash.txt", "1\n", "fix: do not crash")
				r.Checkout("main")
				r.Git("cherry-pick", fix)
				r.Merge("dev", "Merge branch 'dev'")
				return ""
			},
			version: "1.0.1",
			counted: []string{"patch fix: do not crash"},
		},
		{
			name: "revert of a released feature",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				feat := r.CommitFile("search.txt", "1\n", "feat: add search")
				r.Tag("v1.0.0")
				r.Git("rm", "-q", "search.txt")
				r.Git("commit", "-q", "-m", "Revert \"feat: add search\"\n\nThis reverts commit "+feat+".")
				return ""
			},
			version: "1.0.1",
			counted: []string{`patch Revert "feat: add search"`},
		},
		{
			name: "Release-As in a chore",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				r.CommitFile("db.txt", "1\n", "fix(db): pool leak")
				r.Commit("chore: release 2.0.0\n\nRelease-As: 2.0.0")
				return ""
			},
			version: "2.0.0",
			counted: []string{"2.0.0 chore: release 2.0.0", "patch fix(db): pool leak"},
		},
		{
			name: "a commit and its revert in the range",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				bad := r.CommitFile("idea.txt", "1\n", "feat: bad idea")
				r.CommitFile("db.txt", "1\n", "fix(db): pool leak")
				r.Git("rm", "-q", "idea.txt")
				r.Git("commit", "-q", "-m", "revert: feat: bad idea\n\nThis reverts commit "+bad+".")
				return ""
			},
			version: "1.0.1",
			counted: []string{"patch fix(db): pool leak"},
		},
		{
			// A release commit in the range (a prerelease's, on dev) counts
			// nowhere.
			name:   "release commit",
			branch: "dev",
			build: func(r *gittest.Repo) string {
				r.CommitFile("app.txt", "1\n", "feat: first")
				r.Tag("v1.0.0")
				r.Branch("dev")
				r.CommitFile("db.txt", "1\n", "fix(db): pool leak")
				r.Commit("chore(release): v1.0.1-dev.1")
				return ""
			},
			version: "1.0.1-dev.1",
			counted: []string{"patch fix(db): pool leak"},
		},
	}
}

// TestResolveIntegration checks that the plan of every verb reads the
// integration branch from branches.integration.
func TestResolveIntegration(t *testing.T) {
	cfg := &config.Config{Branches: config.Branches{Integration: "develop"}}
	next, err := release.ResolveNext(release.NoInputs{}, cfg, release.CI{})
	if err != nil {
		t.Fatal(err)
	}
	notes, err := release.ResolveChangelog(release.NoInputs{}, cfg, release.CI{})
	if err != nil {
		t.Fatal(err)
	}
	if next.Integration != "develop" || notes.Plan.Integration != "develop" {
		t.Errorf("integration = %q (next), %q (changelog), want develop", next.Integration, notes.Plan.Integration)
	}
}
