package github

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// pushBlockingRules are the ruleset rule types that stop a direct push of
// a release commit to a branch.
var pushBlockingRules = map[string]string{
	"pull_request":           "a ruleset requires a pull request",
	"required_status_checks": "a ruleset requires status checks",
	"update":                 "a ruleset restricts updates",
	"required_deployments":   "a ruleset requires deployments",
	"merge_queue":            "a ruleset requires the merge queue",
	"required_signatures":    "a ruleset requires signed commits",
}

// BranchProtected reports whether branch refuses a direct push of a release
// commit, and why, from the rules that apply to it (rulesets, readable with
// the repository's read permission) and its classic protection (required
// reviews, status checks, push restrictions, signatures, a lock).
//
// Reading classic protection needs the administration permission, which
// Actions' GITHUB_TOKEN does not have: when GitHub refuses it and no ruleset
// blocks, BranchProtected returns false and an error for which IsForbidden
// is true — the caller cannot tell.
func (c *Client) BranchProtected(ctx context.Context, owner, repo, branch string) (bool, string, error) {
	// go-github (v62) does not escape the branch here as it does for the
	// protection: "release/1.x" must be one path segment.
	rules, resp, err := c.gh.Repositories.GetRulesForBranch(ctx, owner, repo, url.PathEscape(branch))
	if err != nil {
		return false, "", c.wrap(fmt.Sprintf("reading the rules of branch %s in %s/%s", branch, owner, repo), resp, err)
	}
	var reasons []string
	seen := map[string]bool{}
	for _, r := range rules {
		if why, ok := pushBlockingRules[r.Type]; ok && !seen[r.Type] {
			seen[r.Type] = true
			reasons = append(reasons, why)
		}
	}
	p, resp, err := c.gh.Repositories.GetBranchProtection(ctx, owner, repo, branch)
	if err != nil {
		werr := c.wrap(fmt.Sprintf("reading the protection of branch %s in %s/%s", branch, owner, repo), resp, err)
		switch {
		case len(reasons) > 0:
			// The rulesets already say enough.
		case IsNotFound(werr):
			return false, "", nil
		default:
			return false, "", werr
		}
	} else {
		if p.RequiredPullRequestReviews != nil {
			reasons = append(reasons, "branch protection requires pull request reviews")
		}
		if p.RequiredStatusChecks != nil {
			reasons = append(reasons, "branch protection requires status checks")
		}
		if p.Restrictions != nil {
			reasons = append(reasons, "branch protection restricts who may push")
		}
		if p.GetRequiredSignatures().GetEnabled() {
			reasons = append(reasons, "branch protection requires signed commits")
		}
		if p.GetLockBranch().GetEnabled() {
			reasons = append(reasons, "the branch is locked")
		}
	}
	if len(reasons) == 0 {
		return false, "", nil
	}
	return true, fmt.Sprintf("%s/%s: %s is protected: %s", owner, repo, branch, strings.Join(reasons, "; ")), nil
}
