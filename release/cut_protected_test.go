package release

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/github/githubfake"
)

// protectedRefusal is the start of the refusal of a release to a branch
// that refuses direct pushes.
const protectedRefusal = "the release branch main refuses direct pushes ("

// TestCutProtectedBranchRefused: direct mode refuses, before changing
// anything, a release to a branch whose rules refuse the push, naming the
// rule and the ways out; a dry run with a forge says the same as a
// warning.
func TestCutProtectedBranchRefused(t *testing.T) {
	for _, tt := range []struct {
		name   string
		setup  func(e *cutEnv)
		reason string
	}{
		{
			name:   "ruleset requires a pull request",
			setup:  func(e *cutEnv) { e.fake.AddRule("o", "r", "main", githubfake.Rule{Type: "pull_request", RulesetID: 7}) },
			reason: "a ruleset requires a pull request",
		},
		{
			// The token can read classic protection (an admin's).
			name: "classic protection requires reviews",
			setup: func(e *cutEnv) {
				e.fake.SetPermissions("o", "r", githubfake.Permissions{Admin: true, Push: true, Pull: true})
				e.fake.Protect("o", "r", "main", githubfake.Protection{RequireReviews: true, RequiredApprovingReviews: 1})
			},
			reason: "branch protection requires pull request reviews",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newCutEnv(t)
			tt.setup(e)
			before := e.state()

			rep, err := e.cut(e.opts())
			if !errors.Is(err, ErrCutRefused) {
				t.Fatalf("error = %v, want a refusal", err)
			}
			for _, want := range []string{protectedRefusal, tt.reason, "release.mode: pr", "let the token bypass the rule"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error = %v, want it to contain %q", err, want)
				}
			}
			if rep == nil || rep.Plan == nil || rep.Plan.Tag != "v1.1.0" {
				t.Errorf("refused plan = %+v, want the planned v1.1.0", rep)
			}
			if diff := cmp.Diff(before, e.state()); diff != "" {
				t.Errorf("a refused release changed the state:\n%s", diff)
			}
			for _, c := range e.fake.Calls() {
				if c.Method != "GET" {
					t.Errorf("refused release called %s", c.Operation)
				}
			}

			// A dry run with a forge runs the check and says so.
			dry := e.opts()
			dry.DryRun = true
			rep, err = e.cut(dry)
			if err != nil {
				t.Fatalf("dry run: %v", err)
			}
			w := strings.Join(rep.Plan.Warnings, "\n")
			if !strings.Contains(w, protectedRefusal) || !strings.Contains(w, tt.reason) || !strings.Contains(w, "a real release stops here") {
				t.Errorf("dry-run warnings = %q, want the protected branch", rep.Plan.Warnings)
			}
			if diff := cmp.Diff(before, e.state()); diff != "" {
				t.Errorf("dry run changed the state:\n%s", diff)
			}
		})
	}
}

// TestCutProtectionUnreadable: a token that may not read the branch's
// classic protection (Actions' GITHUB_TOKEN), with no ruleset blocking,
// cannot tell whether the push goes through: the plan warns, the release
// proceeds.
func TestCutProtectionUnreadable(t *testing.T) {
	e := newCutEnv(t)
	// Protected, but the token (no administration permission) cannot see it.
	e.fake.Protect("o", "r", "main", githubfake.Protection{RequiredStatusChecks: []string{"ci"}})
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(rep.Plan.Warnings, "\n")
	if !strings.Contains(w, "cannot tell whether branch main accepts the release push") {
		t.Errorf("warnings = %q, want one saying the protection cannot be read", rep.Plan.Warnings)
	}
	if strings.Contains(w, cutTestToken) {
		t.Errorf("token in warnings: %q", w)
	}
	if rels := e.fake.Releases("o", "r"); len(rels) != 1 || rels[0].TagName != "v1.1.0" {
		t.Errorf("releases = %+v, want v1.1.0", rels)
	}
	if got := e.r.Git("ls-remote", e.origin, "refs/tags/v1.1.0"); got == "" {
		t.Errorf("tag v1.1.0 not pushed")
	}
}

// TestCutUnprotectedBranch: a branch with no rule refusing the push is
// released with no word about protection; a rule that does not stop a
// fast-forward push (no deletion) does not either.
func TestCutUnprotectedBranch(t *testing.T) {
	e := newCutEnv(t)
	e.fake.SetPermissions("o", "r", githubfake.Permissions{Admin: true, Push: true, Pull: true})
	e.fake.AddRule("o", "r", "main", githubfake.Rule{Type: "deletion", RulesetID: 3})
	e.fake.AddRule("o", "r", "main", githubfake.Rule{Type: "non_fast_forward", RulesetID: 3})
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range rep.Plan.Warnings {
		if strings.Contains(w, "push") {
			t.Errorf("warning %q, want none about the push", w)
		}
	}
	if rels := e.fake.Releases("o", "r"); len(rels) != 1 || rels[0].TagName != "v1.1.0" {
		t.Errorf("releases = %+v, want v1.1.0", rels)
	}
	var asked bool
	for _, c := range e.fake.Calls() {
		asked = asked || strings.Contains(c.Operation, "/rules/branches/")
	}
	if !asked {
		t.Errorf("the branch's rules were never read")
	}
}

// TestCutProtectedBranchLocal: a local release pushes nothing, so a
// protected branch does not matter and GitHub is not asked.
func TestCutProtectedBranchLocal(t *testing.T) {
	e := newCutEnv(t)
	e.fake.AddRule("o", "r", "main", githubfake.Rule{Type: "pull_request", RulesetID: 7})
	o := e.opts()
	o.Local = true
	if _, err := e.cut(o); err != nil {
		t.Fatal(err)
	}
	if calls := e.fake.Calls(); len(calls) != 0 {
		t.Errorf("local release called GitHub: %+v", calls)
	}
}

// TestCutProtectedMaintenanceBranch: a branch named with a slash
// ("hotfix/1.0") is asked about as itself, and refused by its ruleset.
func TestCutProtectedMaintenanceBranch(t *testing.T) {
	e := newCutEnv(t)
	e.r.Git("checkout", "-q", "-b", "hotfix/1.0", "v1.0.0")
	e.r.Commit("fix: old line")
	e.r.Git("push", "-q", "origin", "hotfix/1.0")
	e.fake.AddRule("o", "r", "hotfix/1.0", githubfake.Rule{Type: "update", RulesetID: 9})
	before := e.state()
	o := e.opts()
	o.Config.Branch = "hotfix/1.0"
	_, err := e.cut(o)
	if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), "the release branch hotfix/1.0 refuses direct pushes (") || !strings.Contains(err.Error(), "a ruleset restricts updates") {
		t.Fatalf("error = %v, want a refusal naming hotfix/1.0 and its rule", err)
	}
	if diff := cmp.Diff(before, e.state()); diff != "" {
		t.Errorf("a refused release changed the state:\n%s", diff)
	}
}

// TestCutProtectedAfterPush: a re-run whose release commit and tag are on
// the remote already pushes nothing, so a rule added since does not stop
// it from finishing the GitHub release.
func TestCutProtectedAfterPush(t *testing.T) {
	e := newCutEnv(t)
	e.fake.Fail("POST /repos/{owner}/{repo}/releases", 1, githubfake.Fault{Status: 422})
	if _, err := e.cut(e.opts()); err == nil {
		t.Fatal("first run: want the GitHub release to fail")
	}
	if got := e.r.Git("ls-remote", e.origin, "refs/tags/v1.1.0"); got == "" {
		t.Fatal("first run: tag v1.1.0 not pushed")
	}
	e.fake.AddRule("o", "r", "main", githubfake.Rule{Type: "pull_request", RulesetID: 7})
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if !rep.Plan.Resumed {
		t.Errorf("re-run did not resume")
	}
	if rels := e.fake.Releases("o", "r"); len(rels) != 1 || rels[0].TagName != "v1.1.0" || rels[0].Draft {
		t.Errorf("releases = %+v, want v1.1.0 published", rels)
	}
}
