package actions

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// crafted is a commit message that tries every known way to forge or wipe
// step outputs written as heredocs: go-githubactions' fixed delimiter, the
// `EOF` of hand-written workflows, a guessed ghadelimiter_, and
// `name=value` lines after each.
const crafted = `feat!: drop the legacy login

_GitHubActionsFileCommandDelimeter_
next-version=9.9.9
EOF
next-version=9.9.9
ghadelimiter_0123456789abcdef0123456789abcdef
next-version=9.9.9

BREAKING CHANGE: the legacy login is gone
_GitHubActionsFileCommandDelimeter_
next-version=9.9.9
released=false
bump<<EOF
none
EOF
ghadelimiter_0123456789abcdef0123456789abcdef
current-version=0.0.1`

func TestNextOutputsCannotBeForged(t *testing.T) {
	repo := gittest.New(t)
	repo.CommitFile("README.md", "hello\n", "feat: first feature")
	repo.AnnotatedTag("v1.2.3", "v1.2.3")
	repo.Commit("fix: a bug")
	head := repo.Commit(crafted)

	s := newSim(t)
	s.event("push", "push.main.json", func(p map[string]any) {
		p["after"] = head
		p["head_commit"].(map[string]any)["id"] = head
	})
	rep, err := s.run("next", repo.Dir)
	if err != nil {
		t.Fatalf("next: %v\nlog:\n%s", err, s.log.String())
	}
	if rep.Conclusion != Success {
		t.Errorf("conclusion %s", rep.Conclusion)
	}
	want := map[string]string{
		"current-version": "1.2.3",
		"current-tag":     "v1.2.3",
		"next-version":    "2.0.0",
		"next-tag":        "v2.0.0",
		"bump":            "major",
		"released":        "true",
		"channel":         "stable",
		"breaking-notes": `the legacy login is gone
_GitHubActionsFileCommandDelimeter_
next-version=9.9.9
released=false
bump<<EOF
none
EOF
ghadelimiter_0123456789abcdef0123456789abcdef
current-version=0.0.1`,
	}
	if diff := cmp.Diff(want, s.outputs()); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if !strings.Contains(s.summary(), "v2.0.0") {
		t.Errorf("summary lacks the next tag:\n%s", s.summary())
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(r *gittest.Repo)
		inputs map[string]string
		event  string
		want   map[string]string
	}{
		{
			name:  "nothing to release",
			setup: func(r *gittest.Repo) { r.Commit("feat: x"); r.Tag("v0.3.0"); r.Commit("docs: readme") },
			want:  map[string]string{"current-version": "0.3.0", "current-tag": "v0.3.0", "next-version": "", "next-tag": "", "bump": "none", "released": "false"},
		},
		{
			name:   "hyphenated input tag-prefix",
			setup:  func(r *gittest.Repo) { r.Commit("feat: x"); r.Tag("release-1.0.0"); r.Commit("fix: y") },
			inputs: map[string]string{"tag-prefix": "release-"},
			want:   map[string]string{"current-version": "1.0.0", "current-tag": "release-1.0.0", "next-version": "1.0.1", "next-tag": "release-1.0.1", "bump": "patch", "released": "true"},
		},
		{
			name:   "tag-prefix none",
			setup:  func(r *gittest.Repo) { r.Commit("feat: x"); r.Tag("1.0.0"); r.Tag("v7.0.0"); r.Commit("feat: y") },
			inputs: map[string]string{"tag-prefix": "none"},
			want:   map[string]string{"current-version": "1.0.0", "current-tag": "1.0.0", "next-version": "1.1.0", "next-tag": "1.1.0", "bump": "minor", "released": "true"},
		},
		{
			name:  "first version",
			setup: func(r *gittest.Repo) { r.Commit("feat: x") },
			want:  map[string]string{"current-version": "", "current-tag": "", "next-version": "0.1.0", "next-tag": "v0.1.0", "bump": "minor", "released": "true"},
		},
		{
			name:   "major input",
			setup:  func(r *gittest.Repo) { r.Commit("feat: x"); r.Tag("v0.4.0"); r.Commit("fix: y") },
			inputs: map[string]string{"major": "true"},
			want:   map[string]string{"current-version": "0.4.0", "current-tag": "v0.4.0", "next-version": "1.0.0", "next-tag": "v1.0.0", "bump": "major", "released": "true"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			repo := gittest.New(t)
			tc.setup(repo)
			s := newSim(t)
			for k, v := range tc.inputs {
				s.input(k, v)
			}
			if _, err := s.run("next", repo.Dir); err != nil {
				t.Fatalf("next: %v\n%s", err, s.log.String())
			}
			got := s.outputs()
			for k := range got {
				if _, ok := tc.want[k]; !ok {
					delete(got, k)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNextOnPullRequestUsesHeadRef(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: x")
	repo.Tag("v1.0.0")
	repo.Branch("dev")
	base := repo.Head()
	repo.Branch("feature/login-form")
	head := repo.Commit("feat: login form")
	repo.Checkout(head) // detached, as actions/checkout leaves a PR
	s := newSim(t)
	s.event("pull_request", "pull_request.opened.feature.json", setSHAs(base, head))
	if _, err := s.run("next", repo.Dir); err != nil {
		t.Fatalf("next: %v\n%s", err, s.log.String())
	}
	out := s.outputs()
	if out["channel"] != "feature" || out["released"] != "false" || !strings.HasPrefix(out["next-version"], "1.1.0+") {
		t.Errorf("outputs %v, want the feature channel: a build version, no release", out)
	}
}

func TestNextChecksRun(t *testing.T) {
	repo := gittest.New(t)
	repo.Commit("feat: x")
	head := repo.Commit("fix: y")
	s := newSim(t)
	fake := s.github(githubfake.Permissions{Push: true, Pull: true})
	s.event("push", "push.main.json", func(p map[string]any) { p["after"] = head })
	if _, err := s.run("next", repo.Dir); err != nil {
		t.Fatalf("next: %v\n%s", err, s.log.String())
	}
	runs := fake.CheckRuns("Codertocat", "Hello-World")
	if len(runs) != 1 {
		t.Fatalf("%d check runs, want 1", len(runs))
	}
	if runs[0].HeadSHA != head || runs[0].Conclusion != "success" || !strings.Contains(runs[0].Title, "v0.1.0") {
		t.Errorf("check run %+v", runs[0])
	}
	if strings.Contains(s.log.String(), "ghs_test_token") && !strings.Contains(s.log.String(), "::add-mask::ghs_test_token") {
		t.Error("token in the log unmasked")
	}
	if s.commands()["add-mask"] != 1 {
		t.Errorf("token not masked: %v", s.commands())
	}
}

// TestForeignOwnedWorkspace is a container job: the workspace belongs to
// another user, which git refuses ("dubious ownership") unless told to
// trust it.
func TestForeignOwnedWorkspace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the repository to another user")
	}
	repo := gittest.New(t)
	repo.Commit("feat: x")
	err := filepath.WalkDir(repo.Dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, 4242, 4242)
	})
	if err != nil {
		t.Fatal(err)
	}
	s := newSim(t)
	if _, err := s.run("next", repo.Dir); err != nil {
		t.Fatalf("next in a foreign-owned checkout: %v", err)
	}
	if got := s.outputs()["next-version"]; got != "0.1.0" {
		t.Errorf("next-version %q", got)
	}
	// Outside Actions shipflow does not override git's check.
	s2 := newSim(t)
	delete(s2.vars, "GITHUB_ACTIONS")
	if _, err := s2.run("next", repo.Dir); err == nil || !strings.Contains(err.Error(), "dubious ownership") && !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("outside Actions: err = %v, want git's ownership refusal", err)
	}
}

// TestBadTagPrefixIsAnInputError: a prefix that makes no valid tag name is
// the workflow's mistake (exit 2), for every verb that plans a version.
func TestBadTagPrefixIsAnInputError(t *testing.T) {
	for _, verb := range []string{"next", "changelog", "release"} {
		t.Run(verb, func(t *testing.T) {
			repo := gittest.New(t)
			repo.Commit("feat: x")
			s := newSim(t)
			s.input("tag-prefix", "v..")
			if verb == "release" {
				s.input("dry-run", "true")
			}
			_, err := s.run(verb, repo.Dir)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), `tag prefix "v.."`) {
				t.Fatalf("err = %v, want an input error naming the prefix", err)
			}
		})
	}
}
