package release

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/github"
)

// The one release pull request of a monorepo's packages (release.mode:
// pr without release.pr-per-package): one release commit, made through
// GitHub's API on branch shipflow/release-<branch>, holds every releasing
// package's changelog section and version files; the PR's description
// lists every package's plan and section, and names every tag in the
// line shipflow reads back once it is merged. Its merge is then released
// as each package's release commit: a tag per package at the merge, each
// pushed, each package's GitHub release; the PR is relabelled once all
// are made, so a failed run resumes from the merged PR.

// cutPackagesOnePR keeps the release PR of all packages, or releases its
// merge.
func (c *cutter) cutPackagesOnePR(ctx context.Context, po PackagesOptions, prefixes []string, out *PackagesCutReport) error {
	p := &CutPlan{
		Branch: cutOr(c.opts.Config.Branch, config.DefaultReleaseBranch), Remote: cutOr(c.opts.Config.Remote, config.DefaultRemote),
		Mode: config.ReleaseModePR, DryRun: c.opts.DryRun,
	}
	f, err := c.prForge()
	if err != nil {
		return err
	}
	if p.Owner, p.Repo, err = c.githubRepo(ctx, p.Remote); err != nil && !p.DryRun {
		return err
	}
	if f != nil && p.Owner != "" {
		merged, err := c.mergedReleasePR(ctx, f, p)
		if err != nil || merged != nil {
			if err == nil {
				err = c.releaseMergedAll(ctx, merged, po, prefixes, out)
			}
			return err
		}
	} else if f == nil {
		out.Warnings = append(out.Warnings, "release PRs not read (no GitHub token): a merged release PR would be released instead of planning a new one")
	}
	plan, err := PlanPackages(ctx, c.repo, c.pkgPlanOptions(), po.Packages, po.Only, po.BumpDependents)
	if err != nil {
		return err
	}
	var cuts []*cutPackage
	for _, pp := range plan.Releasing() {
		cuts = append(cuts, &cutPackage{pkg: pp.Package, prefix: pp.Prefix, plan: pp, onePR: true})
	}
	if len(cuts) == 0 {
		out.Nothing = "nothing to release: no package has a releasable commit since its last tag"
		rep := &CutReport{}
		err := c.closeReleasePR(ctx, p, rep)
		out.ReleasePR = rep.ReleasePR
		return err
	}
	if err := c.pkgCleanTree(ctx, cuts, out); err != nil {
		return err
	}
	for _, k := range cuts {
		kc := &cutter{repo: c.repo, forge: c.forge, opts: c.opts, pkg: k}
		kp := &CutPlan{DryRun: c.opts.DryRun, Local: c.opts.Local}
		rep := &CutReport{Plan: kp}
		out.Packages = append(out.Packages, PackageCut{Package: k.pkg.Name, CutReport: rep})
		if err := kc.runSteps(ctx, kp, rep, kc.prSteps()[:1]); err != nil {
			return fmt.Errorf("package %q: %w", k.pkg.Name, err)
		}
		c.multi = append(c.multi, cutNamedPlan{name: k.pkg.Name, p: kp})
	}
	return c.onePR(ctx, f, p, out)
}

// mergedReleasePR returns the merged release PR of all packages whose
// release is still to be made (labelled pending); nil when there is none.
func (c *cutter) mergedReleasePR(ctx context.Context, f ReleasePRForge, p *CutPlan) (*github.PullRequest, error) {
	closed, err := c.releasePRs(ctx, f, p, "closed")
	if err != nil {
		return nil, err
	}
	for _, x := range closed {
		if x.Merged && slices.Contains(x.Labels, releasePRPending) {
			return x, nil
		}
	}
	return nil, nil
}

// releaseMergedAll releases the merge of the release PR of all packages:
// each tag its description names, at the merge commit, with the steps of
// a merged release PR; the last package's relabels the PR.
func (c *cutter) releaseMergedAll(ctx context.Context, pr *github.PullRequest, po PackagesOptions, prefixes []string, out *PackagesCutReport) error {
	m := releasePRMarker().FindStringSubmatch(pr.Body)
	var mark releasePRMark
	if m == nil || json.Unmarshal([]byte(m[1]), &mark) != nil || mark.Tag == "" {
		return cutRefuse("release PR #%d was merged, but its description lost the line shipflow reads its release from (<!-- shipflow:release-pr {...} -->): tag its merge commit %s by hand, or remove the label %q to skip it", pr.Number, cutShort(pr.MergeCommitSHA), releasePRPending)
	}
	tags := mark.Tags
	if len(tags) == 0 {
		tags = []string{mark.Tag}
	}
	if pr.MergeCommitSHA == "" {
		return cutRefuse("release PR #%d is merged, but GitHub names no merge commit for it", pr.Number)
	}
	if _, err := c.repo.Run(ctx, "cat-file", "-e", pr.MergeCommitSHA+"^{commit}"); err != nil || !c.isAncestor(ctx, pr.MergeCommitSHA, "HEAD") {
		return cutRefuse("release PR #%d was merged as %s, which HEAD does not hold: check out (or pull) the release branch, then run again", pr.Number, cutShort(pr.MergeCommitSHA))
	}
	rc, err := c.commitAt(ctx, pr.MergeCommitSHA)
	if err != nil {
		return err
	}
	var cuts []*cutPackage
	for _, tag := range tags {
		k := -1
		for i, prefix := range prefixes {
			if cutTagOf(tag, prefix) && (k < 0 || len(prefix) > len(prefixes[k])) {
				k = i
			}
		}
		if k < 0 {
			return cutRefuse("release PR #%d releases %s, which is no package's tag (%s)", pr.Number, tag, strings.Join(prefixes, ", "))
		}
		cuts = append(cuts, &cutPackage{pkg: po.Packages[k], prefix: prefixes[k], rc: rc, tag: tag, onePR: true})
	}
	for i, k := range cuts {
		kc := &cutter{repo: c.repo, forge: c.forge, opts: c.opts, pkg: k}
		if i == len(cuts)-1 {
			// Relabelled once every package is released.
			kc.mergedPR = pr
			kc.releasePR = &ReleasePR{Number: pr.Number, URL: pr.HTMLURL, Branch: pr.Head, Commit: pr.HeadSHA, MergeCommit: rc.Hash, Action: "merged"}
			if c.opts.DryRun {
				kc.releasePR.Action = "would release"
			}
			out.ReleasePR = kc.releasePR
		}
		rep, err := kc.cut(ctx)
		if rep != nil {
			rep.ReleasePR = nil // the PR is the run's: out.ReleasePR
			out.Packages = append(out.Packages, PackageCut{Package: k.pkg.Name, CutReport: rep})
		}
		if err != nil {
			return fmt.Errorf("package %q: %w", k.pkg.Name, err)
		}
	}
	return nil
}

// onePR opens or updates the release PR of all packages (c.multi), on
// the remote release branch's tip, which HEAD must be.
func (c *cutter) onePR(ctx context.Context, f ReleasePRForge, p *CutPlan, out *PackagesCutReport) error {
	first := c.multi[0].p
	p.Branch, p.Base, p.Owner, p.Repo = first.Branch, first.Base, first.Owner, first.Repo
	tags := make([]string, len(c.multi))
	for i, mp := range c.multi {
		tags[i] = mp.p.Tag
	}
	msg, err := cutMessage(c.commitTemplate(p), &CutPlan{Tag: strings.Join(tags, " "), Version: first.Version})
	if err != nil {
		return err
	}
	p.CommitMessage, p.Tag, p.Version = msg, first.Tag, first.Version
	c.releasePR = &ReleasePR{Branch: c.releasePRBranch(p)}
	out.ReleasePR = c.releasePR
	tip, err := c.remoteTip(ctx, p)
	if err != nil {
		return err
	}
	if tip != "" && tip != p.Base {
		msg := fmt.Sprintf("%s has commits that %s/%s (at %s) lacks; the release PR is made on GitHub from %s/%s: push them first", cutShort(p.Base), p.Remote, p.Branch, cutShort(tip), p.Remote, p.Branch)
		if !p.DryRun {
			return cutRefuse("%s", msg)
		}
		out.Warnings = append(out.Warnings, msg+"; a real release stops here")
	}
	if f == nil || p.Owner == "" {
		c.releasePR.Action = "would open or update"
		if !p.DryRun {
			return cutRefuse("no GitHub token: set GITHUB_TOKEN (or use --dry-run)")
		}
		return nil
	}
	if c.openPR, err = c.openReleasePR(ctx, f, p); err != nil {
		return err
	}
	if p.DryRun {
		c.releasePR.Action = "would open"
		if c.openPR != nil {
			c.releasePR.Action, c.releasePR.Number, c.releasePR.URL = "would update", c.openPR.Number, c.openPR.HTMLURL
		}
		return nil
	}
	if err := (cutReleasePR{c}).Run(ctx, p); err != nil {
		return &CutError{Step: "release-pr", Err: err}
	}
	return nil
}

// releasePRBodyAll is the description of the release PR of all packages:
// the marker naming every tag, then each package's plan and notes under
// its name.
func releasePRBodyAll(multi []cutNamedPlan) string {
	tags := make([]string, len(multi))
	for i, mp := range multi {
		tags[i] = mp.p.Tag
	}
	mark, _ := json.Marshal(releasePRMark{Tag: multi[0].p.Tag, Version: multi[0].p.Version, Tags: tags})
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- shipflow:release-pr %s -->\n", mark)
	fmt.Fprintf(&b, "Merging this pull request releases %d %s: %s.\n", len(multi), cutPlural(len(multi), "package", "packages"), strings.Join(tags, ", "))
	for _, mp := range multi {
		body := releasePRBody(mp.p)
		_, body, _ = strings.Cut(body, "\n") // its own marker line
		fmt.Fprintf(&b, "\n## %s\n\n%s", mp.name, body)
	}
	s := b.String()
	if len(s) > releasePRMaxBody {
		cut := releasePRMaxBody - 200
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "\n\n… (cut to fit; every package's whole section is in its changelog in this pull request)\n"
	}
	return s
}

func cutPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
