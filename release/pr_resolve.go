package release

import (
	"cmp"
	"strconv"

	"github.com/shipflow/shipflow/release/config"
)

// ResolvePR turns the inputs of `shipflow pr` and the pr Action into
// PROptions (see Inputs for the order). Each of base-sha, head-sha, title,
// number, head and base comes from its input, else from the pull_request
// event of the CI context (ci.Number > 0), else is empty (PR then says what
// is missing). head-fork (a boolean) defaults to whether the event's head
// lives in a fork, when the head is the event's: a fork's head may only
// target the integration branch (branches.integration, else
// config.DefaultIntegrationBranch). strict is a boolean over lint.strict.
// The branch model comes from the branches section, the version plan
// (PROptions.Plan) from the sections `next` reads; the lint
// rules are the caller's to load (LintConfig reads the repository's files).
func ResolvePR(in Inputs, cfg *config.Config, ci CI) (PROptions, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	var o PROptions
	var err error
	if o.Policy, err = BranchPolicy(cfg.Branches); err != nil {
		return o, err
	}
	if o.Strict, err = inputBool(in, "strict", cfg.Lint.Strict); err != nil {
		return o, err
	}
	var event CI
	if ci.Number > 0 {
		event = ci
	}
	str := func(name, fromEvent string) string {
		if v, ok := inputString(in, name); ok {
			return v
		}
		return fromEvent
	}
	o.BaseSHA = str("base-sha", event.From)
	o.HeadSHA = str("head-sha", event.To)
	o.Title = str("title", event.Title)
	o.Head = str("head", event.Branch)
	o.Base = str("base", event.Base)
	if o.Number, err = inputInt(in, "number", event.Number); err != nil {
		return o, err
	}
	_, headGiven := inputString(in, "head")
	fork, err := inputBool(in, "head-fork", event.HeadFork && !headGiven)
	if err != nil {
		return o, err
	}
	if fork {
		o.Fork = cmp.Or(cfg.Branches.Integration, config.DefaultIntegrationBranch)
	}
	// The version the merge releases is planned from the configuration as
	// `next` plans it; pr has no branch or tag-prefix input.
	plan, err := resolvePlan(MapInputs(nil), cfg, CI{})
	if err != nil {
		return o, err
	}
	o.Plan = &plan
	return o, nil
}

// inputInt returns the whole-number input name, or def when it was not
// given.
func inputInt(in Inputs, name string, def int) (int, error) {
	v, ok := inputString(in, name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, &InputError{Name: name, Value: v, Want: "a whole number"}
	}
	return n, nil
}
