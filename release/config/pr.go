package config

import "slices"

// PR is the `pr:` section of .shipflow.yaml: what `shipflow pr` and the
// pr Action check of a pull request, and how they report it. Every field
// is optional.
//
//	pr:
//	  merge-method: [squash]
//	  check: title
//	  drafts: pending
//	  wip: pending
//	  ignore-labels: [skip-lint]
//	  comment: on-failure
//	  preview: true
type PR struct {
	// MergeMethods are the ways the repository merges pull requests
	// (squash, merge, rebase): what lands on the base is what is linted —
	// squash: the title and the squash commit; merge: every commit and the
	// merge title; rebase: every commit; several: the union. Default: the
	// repository's settings as the API tells them (allow_squash_merge,
	// allow_merge_commit, allow_rebase_merge), else all three.
	MergeMethods []string `yaml:"merge-method"`
	// Check is "title" to lint the title only (and, for a one-commit pull
	// request whose squash takes the commit's message, that message), as
	// amannn/action-semantic-pull-request does; "" (the default) lints
	// what lands.
	Check string `yaml:"check"`
	// Drafts is what a draft pull request gets: "check" (the default),
	// "skip" (a neutral check that says why), or "pending" (checked, but
	// the conclusion is neutral until it is ready for review).
	Drafts string `yaml:"drafts"`
	// WIP is what a pull request titled "WIP…" / "[WIP]…" gets, as Drafts:
	// "check" (the default), "skip" or "pending".
	WIP string `yaml:"wip"`
	// IgnoreLabels skip the check (neutral, saying which label) on a pull
	// request carrying any of them. Default none.
	IgnoreLabels []string `yaml:"ignore-labels"`
	// Comment is when the one sticky pull request comment is written:
	// "never" (the default), "on-failure" (written while the check fails,
	// deleted once it passes) or "always".
	Comment string `yaml:"comment"`
	// Preview says what merging the pull request releases (version,
	// changelog section, version files, image tags) in the summary and the
	// comment. Default true.
	Preview *bool `yaml:"preview"`

	src *source
}

// The values of the pr section's enumerations.
var (
	PRMergeMethods = []string{"squash", "merge", "rebase"}
	PRChecks       = []string{"", "title"}
	PRDraftModes   = []string{"", "check", "skip", "pending"}
	PRComments     = []string{"", "never", "on-failure", "always"}
)

// KeyError returns an *Error about the value of key, a key of this section
// ("comment"), with the value's line and column when Parse read it.
func (c PR) KeyError(key, format string, a ...any) *Error {
	return c.src.errorf("pr."+key, format, a...)
}

// PreviewOn reports whether the release preview is shown (default true).
func (c PR) PreviewOn() bool { return c.Preview == nil || *c.Preview }

// check refuses values outside the enumerations, at their line.
func (c PR) check() error {
	for _, m := range c.MergeMethods {
		if !slices.Contains(PRMergeMethods, m) {
			return c.KeyError("merge-method", "%q is not a merge method: use squash, merge or rebase", m)
		}
	}
	if c.MergeMethods != nil && len(c.MergeMethods) == 0 {
		return c.KeyError("merge-method", "is empty: list squash, merge or rebase, or leave it out for the repository's settings")
	}
	if !slices.Contains(PRChecks, c.Check) {
		return c.KeyError("check", "is %q: use title, or leave it out to lint what lands", c.Check)
	}
	if !slices.Contains(PRDraftModes, c.Drafts) {
		return c.KeyError("drafts", "is %q: use check, skip or pending", c.Drafts)
	}
	if !slices.Contains(PRDraftModes, c.WIP) {
		return c.KeyError("wip", "is %q: use check, skip or pending", c.WIP)
	}
	if !slices.Contains(PRComments, c.Comment) {
		return c.KeyError("comment", "is %q: use never, on-failure or always", c.Comment)
	}
	return nil
}
