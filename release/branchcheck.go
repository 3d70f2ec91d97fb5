package release

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shipflow/shipflow/release/branch"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
)

// BranchPolicy maps the `branches:` section of .shipflow.yaml onto the
// branch model, starting from branch.DefaultPolicy. A bad pattern is an
// error naming it.
func BranchPolicy(c config.Branches) (branch.Policy, error) {
	p := branch.DefaultPolicy()
	if c.Flows != nil {
		p.Flows = brFlows(c.Flows, nil)
	}
	p.Flows = brFlows(c.ExtraFlows, p.Flows)
	if c.StrictNames != nil {
		p.StrictNames = slices.Clone(c.StrictNames)
	}
	if c.Skip != nil {
		p.Skip = slices.Clone(c.Skip)
	}
	switch {
	case c.MaxLength < 0:
		p.MaxLength = 0
	case c.MaxLength > 0:
		p.MaxLength = c.MaxLength
	}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("reading the branches section of %s: %w", config.FileName, err)
	}
	return p, nil
}

// brFlows adds the heads of m to flows: a head already there gets the new
// bases appended, new heads come after the existing ones in name order
// (YAML maps have no order).
func brFlows(m map[string][]string, flows []branch.Flow) []branch.Flow {
	out := slices.Clone(flows)
	heads := make([]string, 0, len(m))
	for h := range m {
		heads = append(heads, h)
	}
	slices.Sort(heads)
	for _, h := range heads {
		i := slices.IndexFunc(out, func(f branch.Flow) bool { return f.Head == h })
		if i < 0 {
			out = append(out, branch.Flow{Head: h})
			i = len(out) - 1
		}
		bases := slices.Clone(out[i].Bases)
		for _, b := range m[h] {
			if !slices.Contains(bases, b) {
				bases = append(bases, b)
			}
		}
		out[i].Bases = bases
	}
	return out
}

// BranchCheckOptions are the inputs of BranchCheck.
type BranchCheckOptions struct {
	// Head and Base are the pull request's branches (the event's
	// pull_request.head.ref and base.ref). Required.
	Head, Base string
	// Policy is the branching model; see BranchPolicy.
	Policy branch.Policy
	// Debt, when set, also checks back-merge debt (needs a repository).
	Debt *BranchDebtOptions
	// Fork, when set, says the head branch lives in a fork: whatever its
	// name, it counts as feature work that may only target the integration
	// branch Fork names (config.DefaultIntegrationBranch in the default
	// model). Empty for a head branch of this repository.
	Fork string
}

// Validate reports missing inputs.
func (o BranchCheckOptions) Validate() error {
	var missing []string
	if o.Head == "" {
		missing = append(missing, "head")
	}
	if o.Base == "" {
		missing = append(missing, "base")
	}
	if len(missing) > 0 {
		return fmt.Errorf("checking branches: missing %s", strings.Join(missing, " and "))
	}
	return nil
}

// BranchCheckReport is the outcome of BranchCheck.
type BranchCheckReport struct {
	// Result is the verdict of the branching model.
	Result branch.Result
	// Debt is the back-merge debt check, or nil when it was not asked for.
	// Debt is a warning: it never makes the report fail.
	Debt *BranchDebtReport
}

// OK reports whether the pull request's branches follow the model.
func (r BranchCheckReport) OK() bool { return r.Result.Allowed }

// Findings are what both faces of the check report, as
// `shipflow branch check --format github` and the branch Action annotate
// them: an error per rule the branches break, titled "BRANCH [RULE]", with
// the character it is at and the fix; a notice with the model's remark
// (a skipped merge-queue branch, a fork's head); then the back-merge
// debt's warning when it was checked (BranchDebtReport.Findings).
func (r BranchCheckReport) Findings() []report.Finding {
	var out []report.Finding
	for _, f := range r.Result.Findings {
		msg := f.Message
		if f.Column > 0 {
			msg = fmt.Sprintf("character %d: %s", f.Column, f.Message)
		}
		out = append(out, report.Finding{
			Title: fmt.Sprintf("%s [%s]", f.Branch, f.Rule), Rule: f.Rule, Level: report.Error,
			Message: msg, Fix: f.Fix,
		})
	}
	if r.Result.Note != "" {
		out = append(out, report.Finding{Title: branchCheckTitle, Level: report.Info, Message: r.Result.Note})
	}
	if r.Debt != nil {
		out = append(out, r.Debt.Findings()...)
	}
	return out
}

// branchCheckTitle heads the findings of a branch check that break no rule.
const branchCheckTitle = "shipflow branch"

// BranchDebtRule is the rule of a back-merge debt finding.
const BranchDebtRule = "branch-debt"

// branchDebtTitle heads a back-merge debt finding.
const branchDebtTitle = "back-merge debt [" + BranchDebtRule + "]"

// branchDebtListed is how many debt commits a finding's message lists; the
// summary and the text report list them all.
const branchDebtListed = 10

// BranchCheck checks a pull request's head and base against the model and,
// when opt.Debt is set, the back-merge debt of the repository. repo may be
// nil when opt.Debt is nil.
func BranchCheck(ctx context.Context, repo *git.Repo, opt BranchCheckOptions) (BranchCheckReport, error) {
	if err := opt.Validate(); err != nil {
		return BranchCheckReport{}, err
	}
	rep := BranchCheckReport{Result: branch.Check(opt.Head, opt.Base, opt.Policy, branchForkOption(opt.Fork)...)}
	if opt.Debt != nil {
		if repo == nil {
			return rep, errors.New("checking back-merge debt: no repository")
		}
		d, err := BranchDebt(ctx, repo, *opt.Debt)
		if err != nil {
			return rep, err
		}
		rep.Debt = &d
	}
	return rep, nil
}

// BranchDebtOptions names the two long-lived branches of the model.
type BranchDebtOptions struct {
	// Stable is the release branch (config.DefaultReleaseBranch);
	// Integration must hold all of its changes
	// (config.DefaultIntegrationBranch). Each is looked up as a local
	// branch first, then as the remote-tracking branch of Remote.
	// ResolveBranchDebt fills them from the inputs and .shipflow.yaml.
	Stable, Integration string
	// Remote is the remote whose tracking branches are used when a local
	// branch is missing, as in a CI checkout. Default
	// config.DefaultRemote.
	Remote string
}

// BranchDebtReport lists the changes of the stable branch that the
// integration branch lacks (typically a hotfix not merged back).
type BranchDebtReport struct {
	// Stable and Integration are the refs that were compared
	// ("main", "origin/dev").
	Stable, Integration string
	// Commits are the non-merge commits of Stable whose changes are not in
	// Integration, oldest first. Empty when there is no debt.
	Commits []BranchDebtCommit
}

// InDebt reports whether Integration lacks changes of Stable.
func (r BranchDebtReport) InDebt() bool { return len(r.Commits) > 0 }

// Message summarises the debt in one sentence, or "" when there is none.
func (r BranchDebtReport) Message() string {
	if !r.InDebt() {
		return ""
	}
	return fmt.Sprintf("%s has %d commit(s) that %s lacks; merge %s into %s (a back-merge) so the next release does not lose them",
		r.Stable, len(r.Commits), r.Integration, r.Stable, r.Integration)
}

// Findings are the debt as both faces report it: one warning, titled
// "back-merge debt [branch-debt]", that says what to merge and lists the
// first commits; none when there is no debt.
func (r BranchDebtReport) Findings() []report.Finding {
	if !r.InDebt() {
		return nil
	}
	var b strings.Builder
	b.WriteString(r.Message())
	for i, c := range r.Commits {
		if i == branchDebtListed {
			fmt.Fprintf(&b, "\n… and %d more", len(r.Commits)-i)
			break
		}
		fmt.Fprintf(&b, "\n%.7s %s", c.Hash, c.Subject)
	}
	return []report.Finding{{Title: branchDebtTitle, Rule: BranchDebtRule, Level: report.Warning, Message: b.String()}}
}

// BranchDebtUnchecked is the warning of a back-merge debt that could not
// be checked (no repository, a branch missing from the checkout), for a
// run that carries on without it: debt never fails a pull request.
func BranchDebtUnchecked(err error) report.Finding {
	return report.Finding{Title: branchDebtTitle, Rule: BranchDebtRule, Level: report.Warning, Message: fmt.Sprintf("not checked: %v", err)}
}

// BranchDebtCommit is one commit of the stable branch missing from the
// integration branch.
type BranchDebtCommit struct {
	Hash    string
	Subject string
}

// BranchDebt reports the commits of opt.Stable whose changes are missing
// from opt.Integration. A commit of Stable that Integration lacks is no
// debt when Integration already holds its changes:
//
//   - a merge (what it brings in is judged commit by commit);
//   - a copy of a commit of Integration, or one that Integration copied
//     (same patch id, `git log --cherry-mark`): a rebased promotion, a
//     cherry-picked hotfix;
//   - a commit whose tree Integration has had, or each of whose files
//     (path, mode, content, or its deletion) a commit of Integration wrote:
//     a squashed promotion, even one squashed onto release commits that
//     Integration lacks;
//   - an empty commit: it changes nothing.
//
// It reports nothing when merging Stable into Integration would not change
// Integration's tree (the changes arrived by yet another route). "Has
// had" counts the commits of Integration that Stable lacks, so a change
// Integration made and then reverted counts as held. Two git runs decide,
// plus a `git merge-tree` while some debt is left.
func BranchDebt(ctx context.Context, repo *git.Repo, opt BranchDebtOptions) (BranchDebtReport, error) {
	if opt.Remote == "" {
		opt.Remote = config.DefaultRemote
	}
	if opt.Stable == "" || opt.Integration == "" {
		return BranchDebtReport{}, errors.New("checking back-merge debt: stable and integration branches are required")
	}
	if err := repo.CheckFullHistory(ctx); err != nil {
		return BranchDebtReport{}, fmt.Errorf("checking back-merge debt: %w", err)
	}
	stable, stableName, err := brResolve(ctx, repo, opt.Stable, opt.Remote)
	if err != nil {
		return BranchDebtReport{}, err
	}
	integ, integName, err := brResolve(ctx, repo, opt.Integration, opt.Remote)
	if err != nil {
		return BranchDebtReport{}, err
	}
	rep := BranchDebtReport{Stable: stableName, Integration: integName}
	sides, err := brReadSides(ctx, repo, integ, stable)
	if err != nil {
		return rep, fmt.Errorf("checking back-merge debt of %s into %s: %w", stableName, integName, err)
	}
	rep.Commits = sides.debt()
	if len(rep.Commits) == 0 {
		return rep, nil
	}
	// `git merge-tree --write-tree` (git 2.38+) prints the merged tree; exit
	// 1 means conflicts, which is debt all the same.
	mt, err := repo.Run(ctx, "merge-tree", "--write-tree", "--no-messages", integ, stable)
	var ge *git.Error
	if errors.As(err, &ge) && ge.ExitCode == 1 {
		return rep, nil
	}
	if err != nil {
		return rep, fmt.Errorf("checking back-merge debt of %s into %s: %w", stableName, integName, err)
	}
	tree, _, _ := strings.Cut(string(mt), "\n")
	if strings.TrimSpace(tree) == sides.integTree {
		rep.Commits = nil
	}
	return rep, nil
}

// brCommit is a commit of one side of the back-merge: stable's or
// integration's, as brReadSides reads it.
type brCommit struct {
	hash, tree, subject string
	parents             []string
	// copied: the same patch is on the other side (`--cherry-mark`).
	copied bool
	// files are what the commit writes, "mode blob\tpath" (a deletion
	// has mode 000000), against its first parent.
	files []string
}

// brSides are the commits of stable that integration lacks and those of
// integration that stable lacks.
type brSides struct {
	// commits are both sides' commits, newest first (git log's order).
	commits []*brCommit
	// stable are the hashes of stable's side.
	stable map[string]bool
	// integTree is the tree of integration's tip.
	integTree string
}

// brReadSides reads integ...stable in one `git log`: each commit's tree,
// parents and subject, whether its patch is on the other side, and the
// files it writes (merges against their first parent, so that a conflict's
// resolution counts as written), then one rev-parse for integ's tip and
// tree. Which side a commit is on follows from the graph: stable's side is
// what stable's tip reaches among them (`--cherry-mark` prints "=" for a
// copy on either side).
func brReadSides(ctx context.Context, repo *git.Repo, integ, stable string) (brSides, error) {
	tips, err := repo.Run(ctx, "rev-parse", stable+"^{commit}", integ+"^{tree}") // refs/...: never an option
	if err != nil {
		return brSides{}, fmt.Errorf("reading the tips: %w", err)
	}
	f := strings.Fields(string(tips))
	if len(f) != 2 {
		return brSides{}, fmt.Errorf("reading the tips: %q", tips)
	}
	sides := brSides{stable: map[string]bool{}, integTree: f[1]}
	out, err := repo.Run(ctx, "log", "--cherry-mark", "--no-renames", "--raw", "--no-abbrev", "--diff-merges=first-parent",
		"--format=%x01%m%H %T %P%x00%s", "--end-of-options", integ+"..."+stable, "--")
	if err != nil {
		return brSides{}, err
	}
	byHash := map[string]*brCommit{}
	for _, rec := range strings.Split(string(out), "\x01") {
		head, raw, _ := strings.Cut(rec, "\n")
		ids, subject, ok := strings.Cut(head, "\x00")
		fields := strings.Fields(ids)
		if !ok || len(fields) < 2 || len(fields[0]) < 2 {
			continue
		}
		c := &brCommit{hash: fields[0][1:], copied: fields[0][0] == '=', tree: fields[1], parents: fields[2:], subject: subject}
		for _, line := range strings.Split(raw, "\n") {
			// ":100644 100644 <old> <new> M\tpath"
			meta, path, ok := strings.Cut(line, "\t")
			m := strings.Fields(meta)
			if !ok || len(m) < 5 || !strings.HasPrefix(m[0], ":") {
				continue
			}
			c.files = append(c.files, m[1]+" "+m[3]+"\t"+path)
		}
		sides.commits = append(sides.commits, c)
		byHash[c.hash] = c
	}
	for stack := []string{f[0]}; len(stack) > 0; {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := byHash[h]
		if c == nil || sides.stable[h] {
			continue
		}
		sides.stable[h] = true
		stack = append(stack, c.parents...)
	}
	return sides, nil
}

// debt returns the commits of stable's side whose changes integration's
// side lacks (see BranchDebt), oldest first.
func (s brSides) debt() []BranchDebtCommit {
	trees, files := map[string]bool{}, map[string]bool{}
	for _, c := range s.commits {
		if s.stable[c.hash] {
			continue
		}
		trees[c.tree] = true
		for _, f := range c.files {
			files[f] = true
		}
	}
	var out []BranchDebtCommit
	for _, c := range slices.Backward(s.commits) {
		if !s.stable[c.hash] || len(c.parents) > 1 || c.copied || trees[c.tree] {
			continue
		}
		if !slices.ContainsFunc(c.files, func(f string) bool { return !files[f] }) {
			continue // empty, or every file written by integration too
		}
		out = append(out, BranchDebtCommit{Hash: c.hash, Subject: c.subject})
	}
	return out
}

// brResolve finds branch name as a local branch or as remote's tracking
// branch and returns its full ref (for git) and short name (for messages).
func brResolve(ctx context.Context, repo *git.Repo, name, remote string) (ref, short string, err error) {
	for _, ref := range []string{"refs/heads/" + name, "refs/remotes/" + remote + "/" + name} {
		if _, err := repo.ResolveCommit(ctx, ref); err == nil {
			return ref, strings.TrimPrefix(strings.TrimPrefix(ref, "refs/heads/"), "refs/remotes/"), nil
		}
	}
	return "", "", fmt.Errorf("checking back-merge debt: %w: branch %q not found locally nor as %s/%s; fetch it (`git fetch %s %s`, or actions/checkout with `fetch-depth: 0`)",
		git.ErrUnknownRevision, name, remote, name, remote, name)
}

// branchForkOption is the branch.Check option for a fork's head branch
// whose integration branch is integration; none when integration is "".
func branchForkOption(integration string) []branch.Option {
	if integration == "" {
		return nil
	}
	return []branch.Option{branch.FromFork(integration)}
}
