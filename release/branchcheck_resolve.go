package release

import (
	"cmp"

	"github.com/shipflow/shipflow/release/config"
)

// ResolveBranchCheck turns the inputs of `shipflow branch check` and of the
// branch Action into BranchCheckOptions, flag or input first, then
// .shipflow.yaml, then the CI context, then the defaults:
//
//	head       the input, else the CI branch (a pull request's head.ref)
//	base       the input, else the CI base (a pull request's base.ref)
//	head-fork  the input, else whether the CI head lives in a fork (only
//	           when the head came from the CI context: a head given by
//	           name is this repository's)
//	debt       the input (default false); its branches are those of
//	           ResolveBranchDebt
//
// The policy is the branches section of cfg (see BranchPolicy). A head or
// base found nowhere is left empty: the CLI refuses that, the Action skips.
// A bad boolean is an *InputError, a bad branches section the error of
// BranchPolicy.
func ResolveBranchCheck(in Inputs, cfg *config.Config, ci CI) (BranchCheckOptions, error) {
	var o BranchCheckOptions
	var bc config.Branches
	if cfg != nil {
		bc = cfg.Branches
	}
	policy, err := BranchPolicy(bc)
	if err != nil {
		return o, err
	}
	o.Policy = policy
	head, headGiven := inputString(in, "head")
	o.Head = cmp.Or(head, ci.Branch)
	o.Base, _ = inputString(in, "base")
	o.Base = cmp.Or(o.Base, ci.Base)
	fork, err := inputBool(in, "head-fork", !headGiven && ci.HeadFork)
	if err != nil {
		return o, err
	}
	debt, err := inputBool(in, "debt", false)
	if err != nil {
		return o, err
	}
	d, err := ResolveBranchDebt(in, cfg, ci)
	if err != nil {
		return o, err
	}
	if fork {
		o.Fork = d.Integration
	}
	if debt {
		o.Debt = &d
	}
	return o, nil
}

// ResolveBranchDebt turns the inputs of `shipflow branch debt` (and the
// debt of a branch check) into BranchDebtOptions:
//
//	stable       the input, else branches.stable, else release.branch,
//	             else config.DefaultReleaseBranch
//	integration  the input, else branches.integration, else
//	             config.DefaultIntegrationBranch
//	remote       the input, else release.remote, else config.DefaultRemote
//
// The CI context does not name these branches.
func ResolveBranchDebt(in Inputs, cfg *config.Config, _ CI) (BranchDebtOptions, error) {
	var o BranchDebtOptions
	if cfg == nil {
		cfg = &config.Config{}
	}
	stable, _ := inputString(in, "stable")
	o.Stable = cmp.Or(stable, cfg.Branches.Stable, cfg.Release.Branch, config.DefaultReleaseBranch)
	integ, _ := inputString(in, "integration")
	o.Integration = cmp.Or(integ, cfg.Branches.Integration, config.DefaultIntegrationBranch)
	remote, _ := inputString(in, "remote")
	o.Remote = cmp.Or(remote, cfg.Release.Remote, config.DefaultRemote)
	return o, nil
}
