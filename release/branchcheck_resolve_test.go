package release_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
)

// TestResolveBranchCheck: flag or input > .shipflow.yaml > CI context >
// default, for every value of a branch check.
func TestResolveBranchCheck(t *testing.T) {
	pr := release.CI{Branch: "feature/login", Base: "dev"}
	forkPR := release.CI{Branch: "main", Base: "dev", HeadFork: true}
	withBranches := &config.Config{Branches: config.Branches{Stable: "master", Integration: "develop"}}
	type want struct {
		Head, Base, Fork string
		Debt             *release.BranchDebtOptions
	}
	defaultDebt := &release.BranchDebtOptions{Stable: config.DefaultReleaseBranch, Integration: config.DefaultIntegrationBranch, Remote: config.DefaultRemote}
	tests := []struct {
		name string
		in   release.MapInputs
		cfg  *config.Config
		ci   release.CI
		want want
	}{
		{"nothing anywhere", nil, nil, release.CI{}, want{}},
		{"CI context", nil, nil, pr, want{Head: "feature/login", Base: "dev"}},
		{"inputs beat CI", release.MapInputs{"head": "hotfix/x", "base": "main"}, nil, pr, want{Head: "hotfix/x", Base: "main"}},
		{"one input, the other from CI", release.MapInputs{"base": "main"}, nil, pr, want{Head: "feature/login", Base: "main"}},
		{"empty input is not given", release.MapInputs{"head": " "}, nil, pr, want{Head: "feature/login", Base: "dev"}},
		{"fork head from CI", nil, nil, forkPR, want{Head: "main", Base: "dev", Fork: config.DefaultIntegrationBranch}},
		{"fork head goes to the configured integration branch", nil, withBranches, forkPR, want{Head: "main", Base: "dev", Fork: "develop"}},
		{"a head given by name is not the fork's", release.MapInputs{"head": "main"}, nil, forkPR, want{Head: "main", Base: "dev"}},
		{"head-fork input", release.MapInputs{"head": "main", "head-fork": "true"}, nil, pr, want{Head: "main", Base: "dev", Fork: config.DefaultIntegrationBranch}},
		{"head-fork false beats CI", release.MapInputs{"head-fork": "false"}, nil, forkPR, want{Head: "main", Base: "dev"}},
		{"debt defaults", release.MapInputs{"debt": "true"}, nil, release.CI{}, want{Debt: defaultDebt}},
		{"debt from config", release.MapInputs{"debt": "True"}, withBranches, release.CI{}, want{Debt: &release.BranchDebtOptions{Stable: "master", Integration: "develop", Remote: config.DefaultRemote}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := release.ResolveBranchCheck(tt.in, tt.cfg, tt.ci)
			if err != nil {
				t.Fatal(err)
			}
			got := want{Head: o.Head, Base: o.Base, Fork: o.Fork, Debt: o.Debt}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if len(o.Policy.Flows) == 0 {
				t.Error("no policy")
			}
		})
	}
}

func TestResolveBranchCheckErrors(t *testing.T) {
	_, err := release.ResolveBranchCheck(release.MapInputs{"debt": "yes"}, nil, release.CI{})
	var ie *release.InputError
	if !errors.As(err, &ie) || ie.Name != "debt" {
		t.Errorf("debt: yes: err = %v, want an *InputError naming debt", err)
	}
	bad := &config.Config{Branches: config.Branches{Skip: []string{"a b/*"}}}
	if _, err := release.ResolveBranchCheck(nil, bad, release.CI{}); err == nil {
		t.Error("a bad skip pattern resolved")
	}
	_, err = release.ResolveBranchCheck(release.MapInputs{"head-fork": "1"}, nil, release.CI{})
	if !errors.As(err, &ie) || ie.Name != "head-fork" {
		t.Errorf("head-fork: 1: err = %v, want an *InputError naming head-fork", err)
	}
}

// TestResolveBranchDebt: inputs > branches.* (and release.*) > defaults.
func TestResolveBranchDebt(t *testing.T) {
	tests := []struct {
		name string
		in   release.MapInputs
		cfg  *config.Config
		want release.BranchDebtOptions
	}{
		{"defaults", nil, nil, release.BranchDebtOptions{Stable: config.DefaultReleaseBranch, Integration: config.DefaultIntegrationBranch, Remote: config.DefaultRemote}},
		{"branches section", nil, &config.Config{Branches: config.Branches{Stable: "master", Integration: "develop"}},
			release.BranchDebtOptions{Stable: "master", Integration: "develop", Remote: config.DefaultRemote}},
		{"release section", nil, &config.Config{Release: config.Release{Branch: "trunk", Remote: "upstream"}},
			release.BranchDebtOptions{Stable: "trunk", Integration: config.DefaultIntegrationBranch, Remote: "upstream"}},
		{"branches.stable beats release.branch", nil, &config.Config{Branches: config.Branches{Stable: "master"}, Release: config.Release{Branch: "trunk"}},
			release.BranchDebtOptions{Stable: "master", Integration: config.DefaultIntegrationBranch, Remote: config.DefaultRemote}},
		{"inputs beat config", release.MapInputs{"stable": "prod", "integration": "next", "remote": "fork"},
			&config.Config{Branches: config.Branches{Stable: "master", Integration: "develop"}, Release: config.Release{Remote: "upstream"}},
			release.BranchDebtOptions{Stable: "prod", Integration: "next", Remote: "fork"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := release.ResolveBranchDebt(tt.in, tt.cfg, release.CI{Branch: "feature/x", Base: "main"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
