package release

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

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
	if ci.Number > 0 || ci.MergeGroup {
		event = ci
	}
	o.MergeGroup = event.MergeGroup
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
	if err := resolvePRLands(in, cfg.PR, event, &o); err != nil {
		return o, err
	}
	// The version the merge releases is planned from the configuration as
	// `next` plans it; pr has no branch or tag-prefix input.
	plan, err := resolvePlan(MapInputs(nil), cfg, CI{})
	if err != nil {
		return o, err
	}
	o.Plan = &plan
	if err := resolvePRPreview(in, cfg, ci, &o); err != nil {
		return o, err
	}
	return o, nil
}

// resolvePRPreview sets the sticky comment's mode (the input comment
// over pr.comment, default never: the caller keeps the comment) and the
// release preview: the input preview over
// pr.preview (default on), never on a merge group; the changelog and image
// sections; notes linking as `release`'s do — changelog.repository-url,
// else the CI's repository on its server (GITHUB_SERVER_URL, else
// github.com); the clock SOURCE_DATE_EPOCH.
func resolvePRPreview(in Inputs, cfg *config.Config, ci CI, o *PROptions) error {
	c := cfg.PR
	var err error
	if o.Preview, err = inputBool(in, "preview", cfg.PR.PreviewOn()); err != nil {
		return err
	}
	o.Preview = o.Preview && !o.MergeGroup
	o.Comment = cmp.Or(c.Comment, "never")
	if v, ok := inputString(in, "comment"); ok {
		if v = strings.ToLower(strings.TrimSpace(v)); !slices.Contains(config.PRComments, v) {
			return &InputError{Name: "comment", Value: v, Want: "never, on-failure or always"}
		}
		o.Comment = cmp.Or(v, "never")
	}
	o.Changelog, o.Image, o.Repository = cfg.Changelog, cfg.Image, ci.Repository
	if len(cfg.Packages) > 0 {
		o.Packages, o.BumpDependents = cfg.Packages, cfg.Release.BumpDependentsOn()
	}
	if owner, name, ok := strings.Cut(ci.Repository, "/"); ok && o.Changelog.RepositoryURL == "" {
		o.Changelog.RepositoryURL = forgeLinks(cmp.Or(ci.ServerURL, "https://github.com"), owner, name).URL()
	}
	if o.Now, err = ci.clock(); err != nil {
		return err
	}
	return nil
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

// resolvePRLands sets what decides what is linted: merge-method (a list:
// squash, merge, rebase) over pr.merge-method, else nothing (PRMerge's
// zero: the caller may ask the repository, see PRMergeFromRepo); check
// ("title"; "all" or empty: what lands) over pr.check; drafts and wip
// over pr.drafts and pr.wip; ignore-labels over pr.ignore-labels; draft,
// labels and body over the event's.
func resolvePRLands(in Inputs, c config.PR, event CI, o *PROptions) error {
	var err error
	if v, ok := inputList(in, "merge-method"); ok {
		if o.Merge, err = ParsePRMergeMethods(v, "merge-method"); err != nil {
			s, _ := inputString(in, "merge-method")
			return &InputError{Name: "merge-method", Value: s, Want: "squash, merge or rebase, comma-separated"}
		}
	} else if len(c.MergeMethods) > 0 {
		if o.Merge, err = ParsePRMergeMethods(c.MergeMethods, "pr.merge-method"); err != nil {
			return err
		}
	}
	check := c.Check
	if v, ok := inputString(in, "check"); ok {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "title" && v != "all" {
			return &InputError{Name: "check", Value: v, Want: "title, or all to lint what lands"}
		}
		check = v
	}
	o.TitleOnly = check == "title"
	mode := func(name, def string) (string, error) {
		v, ok := inputString(in, name)
		if !ok {
			return def, nil
		}
		if v = strings.ToLower(strings.TrimSpace(v)); !slices.Contains(config.PRDraftModes, v) {
			return "", &InputError{Name: name, Value: v, Want: "check, skip or pending"}
		}
		return v, nil
	}
	if o.Drafts, err = mode("drafts", c.Drafts); err != nil {
		return err
	}
	if o.WIP, err = mode("wip", c.WIP); err != nil {
		return err
	}
	o.IgnoreLabels = c.IgnoreLabels
	if v, ok := inputList(in, "ignore-labels"); ok {
		o.IgnoreLabels = v
	}
	if o.Draft, err = inputBool(in, "draft", event.Draft); err != nil {
		return err
	}
	o.Labels = event.Labels
	if v, ok := inputList(in, "labels"); ok {
		o.Labels = v
	}
	o.Body = event.Body
	if v, ok := inputString(in, "body"); ok {
		o.Body = v
	}
	return nil
}
