package release

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/version"
	"github.com/shipflow/shipflow/release/versionfile"
)

// Release pull requests (release.mode: pr). A run on the release branch
// either
//
//   - finds the release PR merged (closed, merged, still labelled
//     releasePRPending, from branch shipflow/release-<branch>): its merge
//     commit is the release commit, resumed as a direct release's would
//     be: tagged, the tag pushed (never the branch), the GitHub release
//     made, the floating tag moved, and the PR relabelled
//     releasePRTagged; or
//   - plans a release and keeps one open release PR holding it: the
//     release commit (the changelog section and the bumped version
//     files) is made through the forge's git data API on the release
//     branch's tip and the PR's branch forced there; its body is the
//     plan. With nothing to release, the open release PR is closed.
//
// The merged PR is recognised by its branch and label, never by commit
// text; its tag is read from the marker shipflow wrote into its body and
// checked like any tag, against the changelog section the merge holds.

// DefaultPRCommitMessage is the release commit's message template in PR
// mode. It has no [skip ci]: a merge carries the title into the release
// branch, and the push it makes must run the workflow that tags it.
const DefaultPRCommitMessage = "chore(release): {{.Tag}}"

// The labels of a release PR, as release-please names them: pending until
// its merge is released, then tagged.
const (
	releasePRPending = "autorelease: pending"
	releasePRTagged  = "autorelease: tagged"
)

// releasePRMaxBody keeps a release PR's body under GitHub's 65,536
// characters.
const releasePRMaxBody = 60000

// ReleasePRForge is a forge that keeps release pull requests: commits
// made through its git data API, a branch moved to them, a pull request
// opened, updated, labelled and closed. *github.Client is one.
type ReleasePRForge interface {
	GetCommit(ctx context.Context, owner, repo, sha string) (*github.GitCommit, error)
	CreateTree(ctx context.Context, owner, repo, baseTree string, files []github.TreeFile) (string, error)
	CreateCommit(ctx context.Context, owner, repo, message, tree string, parents []string) (*github.GitCommit, error)
	SetBranch(ctx context.Context, owner, repo, branch, sha string, force bool) (bool, error)
	ListPullRequests(ctx context.Context, owner, repo string, f github.PullRequestFilter) ([]*github.PullRequest, error)
	CreatePullRequest(ctx context.Context, owner, repo string, np github.NewPullRequest) (*github.PullRequest, error)
	UpdatePullRequest(ctx context.Context, owner, repo string, number int, u github.PullRequestUpdate) (*github.PullRequest, error)
	AddLabels(ctx context.Context, owner, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, owner, repo string, number int, label string) error
}

var _ ReleasePRForge = (*github.Client)(nil)

// prMode reports whether the release goes through a release PR.
func (p *CutPlan) prMode() bool { return p.Mode == config.ReleaseModePR }

// releasePRBranch is the release PR's head branch for release branch b.
func releasePRBranch(b string) string { return config.ReleasePRBranchPrefix + b }

// releasePRBranch is the head branch of this cut's release PR: a
// package's has its name after the release branch's
// (shipflow/release-main-api, release.pr-per-package).
func (c *cutter) releasePRBranch(p *CutPlan) string {
	if c.pkg != nil && !c.pkg.onePR {
		return releasePRBranch(p.Branch) + "-" + c.pkg.pkg.Name
	}
	return releasePRBranch(p.Branch)
}

// prSteps are the steps of a release in PR mode: the release PR, then,
// once it is merged, the steps that release its merge.
func (c *cutter) prSteps() []Step {
	return []Step{
		cutPlanned{cutPreflight{c}},
		cutMutating{cutRemote{cutReleasePR{c}}},
		cutMutating{cutAfterMerge{cutTag{c}}},
		cutMutating{cutRemote{cutAfterMerge{cutPushTag{c}}}},
		cutMutating{cutRemote{cutAfterMerge{cutGitHubRelease{c}}}},
		cutMutating{cutRemote{cutAfterMerge{cutFloatingTag{c}}}},
		cutMutating{cutRemote{cutAfterMerge{cutReleasePRTagged{c}}}},
	}
}

// cutAfterMerge skips a step that releases a merged release PR while the
// PR is still open.
type cutAfterMerge struct{ Step }

func (a cutAfterMerge) Skip(ctx context.Context, p *CutPlan) string {
	if !p.Resumed {
		return "the release PR is not merged yet"
	}
	return a.Step.Skip(ctx, p)
}

func (a cutAfterMerge) localSkip() {}

// prForge returns the forge as a ReleasePRForge; nil when there is no
// forge (a dry run without a token).
func (c *cutter) prForge() (ReleasePRForge, error) {
	if c.forge == nil {
		return nil, nil
	}
	f, ok := c.forge.(ReleasePRForge)
	if !ok {
		return nil, cutRefuse("the forge cannot keep release pull requests (release.mode: pr): use mode direct")
	}
	return f, nil
}

// --- preflight ---

// releasePRMarker is the first line of a release PR's body: the release
// it holds, read back when the PR is merged.
// Compiled on first use: package init stays cheap for every verb.
var releasePRMarker = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`<!-- shipflow:release-pr (\{[^\n]*?\}) -->`)
})

type releasePRMark struct {
	Tag     string `json:"tag"`
	Version string `json:"version"`
	// Tags are every tag the release PR of a monorepo's packages
	// releases (Tag is the first); none for a repository's.
	Tags []string `json:"tags,omitempty"`
}

// checkMergedReleasePR looks, in PR mode, for the release PR whose merge
// is still to be released; when there is one, the release resumes from
// its merge commit. A dry run without a token cannot look: it warns.
func (s *cutPreflightRun) checkMergedReleasePR(ctx context.Context) error {
	c, p := s.c, s.p
	if !p.prMode() || c.pkg != nil && c.pkg.onePR {
		return nil // CutPackages reads the one release PR of all packages
	}
	f, err := c.prForge()
	if err != nil {
		return err
	}
	if f == nil {
		p.Warnings = append(p.Warnings, "release PRs not read (no GitHub token): a merged release PR would be released instead of planning a new one")
		return nil
	}
	if p.Owner == "" || p.Repo == "" {
		return nil // a dry run without a GitHub repository warned already
	}
	branch := c.releasePRBranch(p)
	closed, err := c.releasePRs(ctx, f, p, "closed")
	if err != nil {
		return err
	}
	var pr *github.PullRequest
	for _, x := range closed {
		if x.Merged && slices.Contains(x.Labels, releasePRPending) {
			pr = x
			break
		}
	}
	if pr == nil {
		return nil
	}
	m := releasePRMarker().FindStringSubmatch(pr.Body)
	var mark releasePRMark
	if m == nil || json.Unmarshal([]byte(m[1]), &mark) != nil || mark.Tag == "" {
		return cutRefuse("release PR #%d was merged, but its description lost the line shipflow reads its release from (<!-- shipflow:release-pr {...} -->): tag its merge commit %s by hand, or remove the label %q to skip it", pr.Number, cutShort(pr.MergeCommitSHA), releasePRPending)
	}
	if pr.MergeCommitSHA == "" {
		return cutRefuse("release PR #%d is merged, but GitHub names no merge commit for it", pr.Number)
	}
	head, err := c.commitAt(ctx, "HEAD")
	if err != nil {
		return err
	}
	if _, err := c.repo.Run(ctx, "cat-file", "-e", pr.MergeCommitSHA+"^{commit}"); err != nil || !c.isAncestor(ctx, pr.MergeCommitSHA, head.Hash) {
		return cutRefuse("release PR #%d was merged as %s, which %s does not hold: check out (or pull) %s, then run again", pr.Number, cutShort(pr.MergeCommitSHA), p.Branch, p.Branch)
	}
	rc, err := c.commitAt(ctx, pr.MergeCommitSHA)
	if err != nil {
		return err
	}
	if len(rc.Parents) == 0 {
		return cutRefuse("release PR #%d's merge commit %s has no parent", pr.Number, cutShort(rc.Hash))
	}
	tip, err := c.remoteTip(ctx, p)
	if err != nil {
		return err
	}
	s.head, s.tip, s.rc, s.tag = head, tip, rc, mark.Tag
	c.mergedPR = pr
	c.releasePR = &ReleasePR{Number: pr.Number, URL: pr.HTMLURL, Branch: branch, Commit: pr.HeadSHA, MergeCommit: rc.Hash, Action: "merged"}
	if p.DryRun {
		c.releasePR.Action = "would release"
	}
	if head.Hash != rc.Hash {
		p.Warnings = append(p.Warnings, fmt.Sprintf("releasing release PR #%d's merge %s; the commits after it (up to %s) go into the next release PR", pr.Number, cutShort(rc.Hash), cutShort(head.Hash)))
	}
	return nil
}

// checkReleasePR finds, in PR mode, the open release PR a fresh release
// updates, and checks that the release can be built on GitHub: HEAD must
// be the remote release branch's tip, since the release commit is made
// there through the API.
func (s *cutPreflightRun) checkReleasePR(ctx context.Context) error {
	c, p := s.c, s.p
	if !p.prMode() || s.resumed() || c.pkg != nil && c.pkg.onePR {
		return nil
	}
	branch := c.releasePRBranch(p)
	c.releasePR = &ReleasePR{Branch: branch}
	if s.tip != "" && s.tip != s.head.Hash {
		msg := fmt.Sprintf("%s has commits that %s/%s (at %s) lacks; the release PR is made on GitHub from %s/%s: push them first", cutShort(s.head.Hash), p.Remote, p.Branch, cutShort(s.tip), p.Remote, p.Branch)
		if !p.DryRun {
			return cutRefuse("%s", msg)
		}
		p.Warnings = append(p.Warnings, msg+"; a real release stops here")
	}
	f, err := c.prForge()
	if err != nil || f == nil || p.Owner == "" || p.Repo == "" {
		if err == nil && p.DryRun {
			c.releasePR.Action = "would open or update"
		}
		return err
	}
	open, err := c.openReleasePR(ctx, f, p)
	if err != nil {
		return err
	}
	c.openPR = open
	if p.DryRun {
		c.releasePR.Action = "would open"
		if open != nil {
			c.releasePR.Action, c.releasePR.Number, c.releasePR.URL = "would update", open.Number, open.HTMLURL
		}
	}
	return nil
}

// openReleasePR returns the open release PR of p.Branch; nil when there
// is none.
func (c *cutter) openReleasePR(ctx context.Context, f ReleasePRForge, p *CutPlan) (*github.PullRequest, error) {
	open, err := c.releasePRs(ctx, f, p, "open")
	if err != nil || len(open) == 0 {
		return nil, err
	}
	return open[0], nil
}

// releasePRs lists the release pull requests of p.Branch in state, newest
// first: from its release PR branch into it (GitHub's filter, checked
// again on the answer).
func (c *cutter) releasePRs(ctx context.Context, f ReleasePRForge, p *CutPlan, state string) ([]*github.PullRequest, error) {
	branch := c.releasePRBranch(p)
	list, err := f.ListPullRequests(ctx, p.Owner, p.Repo, github.PullRequestFilter{Head: branch, Base: p.Branch, State: state})
	if err != nil {
		return nil, fmt.Errorf("reading the release pull requests of %s/%s: %w", p.Owner, p.Repo, err)
	}
	return slices.DeleteFunc(list, func(x *github.PullRequest) bool { return x.Head != branch || x.Base != p.Branch }), nil
}

// checkPRCommitTemplate refuses, in PR mode, a release commit message
// that skips CI: the release PR's merge carries it into the release
// branch, and the push it makes must run the workflow that releases it.
func (s *cutPreflightRun) checkPRCommitTemplate(context.Context) error {
	if !s.p.prMode() {
		return nil
	}
	msg := strings.ToLower(s.c.commitTemplate(s.p))
	for _, skip := range []string{"[skip ci]", "[ci skip]", "[no ci]", "[skip actions]", "[actions skip]"} {
		if strings.Contains(msg, skip) {
			// Only a configured message can skip CI: the default does not.
			return s.c.opts.Config.KeyError("commit-message", "contains %s: in PR mode the release PR's merge must run the release workflow, which %s would skip; remove it (the default is %q)", skip, skip, DefaultPRCommitMessage)
		}
	}
	return nil
}

// commitTemplate is the release commit's message template: the
// configuration's, else the mode's default.
func (c *cutter) commitTemplate(p *CutPlan) string {
	if c.opts.Config.CommitMessage != "" {
		return c.opts.Config.CommitMessage
	}
	if p.prMode() {
		return DefaultPRCommitMessage
	}
	return DefaultCutCommitMessage
}

// --- release PR ---

// cutReleasePR makes the release commit through the forge's API on the
// release branch's tip, forces the release PR's branch there, and opens
// or updates the PR. An open PR already holding the same content, title
// and body is left alone.
type cutReleasePR struct{ c *cutter }

func (cutReleasePR) String() string { return "release-pr" }

func (s cutReleasePR) Skip(_ context.Context, p *CutPlan) string {
	if p.Resumed {
		if pr := s.c.mergedPR; pr != nil {
			return fmt.Sprintf("release PR #%d merged as %s: releasing it", pr.Number, cutShort(pr.MergeCommitSHA))
		}
		return fmt.Sprintf("release commit %s already made", cutShort(p.ReleaseCommit))
	}
	return ""
}

func (s cutReleasePR) Run(ctx context.Context, p *CutPlan) error {
	c := s.c
	f, err := c.prForge()
	if err != nil {
		return err
	}
	files, err := c.releasePRFiles(ctx, p)
	if err != nil {
		return err
	}
	base, err := f.GetCommit(ctx, p.Owner, p.Repo, p.Base)
	if err != nil {
		return fmt.Errorf("reading %s's tip %s on GitHub (is it pushed?): %w", p.Branch, cutShort(p.Base), err)
	}
	tree, err := f.CreateTree(ctx, p.Owner, p.Repo, base.Tree, files)
	if err != nil {
		return err
	}
	rp := c.releasePR
	open := c.openPR
	var commit *github.GitCommit
	if open != nil {
		if cur, err := f.GetCommit(ctx, p.Owner, p.Repo, open.HeadSHA); err == nil && cur.Tree == tree && slices.Equal(cur.Parents, []string{p.Base}) && cur.Message == p.CommitMessage {
			commit = cur
		}
	}
	changed := commit == nil
	if commit == nil {
		if commit, err = f.CreateCommit(ctx, p.Owner, p.Repo, p.CommitMessage, tree, []string{p.Base}); err != nil {
			return err
		}
	}
	// Forced: the branch is shipflow's, remade on every run.
	if _, err := f.SetBranch(ctx, p.Owner, p.Repo, rp.Branch, commit.SHA, true); err != nil {
		return fmt.Errorf("moving %s to the release commit: %w", rp.Branch, err)
	}
	p.ReleaseCommit, rp.Commit = commit.SHA, commit.SHA
	title, body := cutFirstLine(p.CommitMessage), releasePRBody(p)
	if c.multi != nil {
		body = releasePRBodyAll(c.multi)
	}
	switch {
	case open == nil:
		pr, err := f.CreatePullRequest(ctx, p.Owner, p.Repo, github.NewPullRequest{Title: title, Body: body, Head: rp.Branch, Base: p.Branch})
		if err != nil {
			if github.IsForbidden(err) {
				return fmt.Errorf("%w (a workflow's GITHUB_TOKEN may open pull requests only where the repository allows it: Settings → Actions → General → \"Allow GitHub Actions to create and approve pull requests\"; or use a GitHub App token)", err)
			}
			return err
		}
		open, rp.Action = pr, "opened"
	case open.Title != title || open.Body != body:
		t, b := title, body
		pr, err := f.UpdatePullRequest(ctx, p.Owner, p.Repo, open.Number, github.PullRequestUpdate{Title: &t, Body: &b})
		if err != nil {
			return err
		}
		open, rp.Action = pr, "updated"
	case changed:
		rp.Action = "updated"
	default:
		rp.Action = "unchanged"
	}
	rp.Number, rp.URL = open.Number, open.HTMLURL
	if !slices.Contains(open.Labels, releasePRPending) {
		if err := f.AddLabels(ctx, p.Owner, p.Repo, open.Number, releasePRPending); err != nil {
			return err
		}
	}
	return nil
}

// releasePRFiles are the files the release commit changes: the changelog
// with the version's section, and the version files bumped, read from the
// work tree (which is HEAD: the preflight refused uncommitted changes) and
// changed in memory.
func (c *cutter) releasePRFiles(ctx context.Context, p *CutPlan) ([]github.TreeFile, error) {
	if c.multi == nil {
		return c.releasePRFilesOf(ctx, p)
	}
	var files []github.TreeFile
	for _, mp := range c.multi {
		f, err := c.releasePRFilesOf(ctx, mp.p)
		if err != nil {
			return nil, fmt.Errorf("package %q: %w", mp.name, err)
		}
		files = append(files, f...)
	}
	return files, nil
}

// releasePRFilesOf are the files the release commit changes for p alone.
func (c *cutter) releasePRFilesOf(ctx context.Context, p *CutPlan) ([]github.TreeFile, error) {
	doc, err := c.readChangelog(p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading %s: %w", p.ChangelogFile, err)
	}
	out, _ := changelog.Insert(doc, p.Version, p.Notes, cutOr(c.opts.Changelog.Marker, changelog.DefaultMarker))
	type change struct {
		path string
		data []byte
	}
	changes := []change{{p.ChangelogFile, out}}
	bumped, err := versionfile.Bumped(c.repo.Dir(), p.VersionFiles, p.Version)
	if err != nil {
		return nil, err
	}
	for _, b := range bumped {
		changes = append(changes, change{b.Path, b.Data})
	}
	var files []github.TreeFile
	for _, ch := range changes {
		if !utf8.Valid(ch.data) {
			return nil, fmt.Errorf("%s is not UTF-8 text, which the release commit made through GitHub's API cannot carry: use mode direct", ch.path)
		}
		mode, err := c.fileMode(ctx, ch.path)
		if err != nil {
			return nil, err
		}
		files = append(files, github.TreeFile{Path: ch.path, Content: string(ch.data), Mode: mode})
	}
	return files, nil
}

// fileMode is the git file mode of path at HEAD: "100644" for a file git
// does not track yet, "100755" for an executable one.
func (c *cutter) fileMode(ctx context.Context, path string) (string, error) {
	out, err := c.repo.Run(ctx, "ls-files", "--stage", "--", path)
	if err != nil {
		return "", fmt.Errorf("reading the mode of %s: %w", path, err)
	}
	if mode, _, ok := strings.Cut(string(out), " "); ok && mode == "100755" {
		return mode, nil
	}
	return "100644", nil
}

// releasePRBody is the release PR's description: the marker the merged
// PR's release is read back from, then the plan (version, why, each
// commit's bump and reason, the version files) and the notes.
func releasePRBody(p *CutPlan) string {
	mark, _ := json.Marshal(releasePRMark{Tag: p.Tag, Version: p.Version})
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- shipflow:release-pr %s -->\n", mark)
	from := "the first release"
	if p.PreviousTag != "" {
		from = p.PreviousTag
	}
	kind := "release"
	if p.Prerelease {
		kind = "prerelease"
	}
	fmt.Fprintf(&b, "Merging this pull request releases **%s** (%s after %s): shipflow then tags the merge, pushes the tag and publishes the GitHub release.\n\n", p.Tag, kind, from)
	if n := p.Next; n != nil && len(n.Commits) > 0 {
		b.WriteString("| Commit | Bump | Why |\n|---|---|---|\n")
		shown := 0
		for _, cm := range n.Commits {
			if cm.Bump == version.None || cm.Dropped != "" {
				continue
			}
			if shown == 50 {
				fmt.Fprintf(&b, "| … | | and more commits (see the changelog below) |\n")
				break
			}
			shown++
			fmt.Fprintf(&b, "| %s %s | %s | %s |\n", cutShort(cm.Commit.Hash), report.EscapeMarkdown(cutFirstLine(cm.Commit.Message)), cm.Bump, report.EscapeMarkdown(cm.Reason))
		}
		b.WriteString("\n")
	}
	if len(p.VersionFiles) > 0 {
		b.WriteString("Version files:\n")
		for _, f := range p.VersionFiles {
			fmt.Fprintf(&b, "- `%s` (%s): %s → %s\n", f.Path, f.Key, f.Value, p.Version)
		}
		b.WriteString("\n")
	}
	b.WriteString("---\n\n")
	notes := p.Notes
	if b.Len()+len(notes) > releasePRMaxBody {
		cut := releasePRMaxBody - b.Len()
		for cut > 0 && !utf8.RuneStart(notes[cut]) {
			cut--
		}
		notes = notes[:max(cut, 0)] + "\n\n… (cut to fit; the whole section is in " + p.ChangelogFile + " in this pull request)\n"
	}
	b.WriteString(notes)
	return b.String()
}

// closeReleasePR closes the open release PR when there is nothing left to
// release; a dry run says it would.
func (c *cutter) closeReleasePR(ctx context.Context, p *CutPlan, rep *CutReport) error {
	res := StepResult{Step: "release-pr"}
	defer func() { rep.Steps = append(rep.Steps, res) }()
	f, err := c.prForge()
	if err != nil || f == nil || p.Owner == "" || p.Repo == "" {
		res.Skipped = "no GitHub token: the open release PR is not read"
		return err
	}
	open, err := c.openReleasePR(ctx, f, p)
	if err != nil {
		res.Error = err.Error()
		return &CutError{Step: res.Step, Err: err}
	}
	if open == nil {
		res.Skipped = "no open release PR"
		return nil
	}
	rep.ReleasePR = &ReleasePR{Number: open.Number, URL: open.HTMLURL, Branch: open.Head, Commit: open.HeadSHA, Action: "would close"}
	if p.DryRun {
		res.Skipped = "dry run"
		return nil
	}
	if _, err := f.UpdatePullRequest(ctx, p.Owner, p.Repo, open.Number, github.PullRequestUpdate{State: "closed"}); err != nil {
		res.Error = err.Error()
		return &CutError{Step: res.Step, Err: err}
	}
	rep.ReleasePR.Action = "closed"
	return nil
}

// --- after the merge ---

// cutPushTag pushes the release's tag, and only the tag: the release
// branch got the release commit through the PR's merge.
type cutPushTag struct{ c *cutter }

func (cutPushTag) String() string { return "push" }

func (s cutPushTag) Skip(ctx context.Context, p *CutPlan) string {
	refs, err := s.c.remoteRefs(ctx, p.Remote, "refs/tags/"+p.Tag)
	if err == nil && refs["refs/tags/"+p.Tag] == p.ReleaseCommit {
		return fmt.Sprintf("%s already on %q", p.Tag, p.Remote)
	}
	return ""
}

func (s cutPushTag) Run(ctx context.Context, p *CutPlan) error {
	if _, err := s.c.repo.Run(ctx, "push", "--quiet", "--", p.Remote, "refs/tags/"+p.Tag+":refs/tags/"+p.Tag); err != nil {
		return fmt.Errorf("pushing %s to %q: %w", p.Tag, p.Remote, err)
	}
	return nil
}

// cutReleasePRTagged relabels the merged release PR as released, so that
// the next run plans afresh.
type cutReleasePRTagged struct{ c *cutter }

func (cutReleasePRTagged) String() string { return "release-pr-tagged" }

func (s cutReleasePRTagged) Skip(context.Context, *CutPlan) string {
	if s.c.mergedPR == nil {
		return "no merged release PR"
	}
	return ""
}

func (s cutReleasePRTagged) Run(ctx context.Context, p *CutPlan) error {
	f, err := s.c.prForge()
	if err != nil {
		return err
	}
	pr := s.c.mergedPR
	if err := f.AddLabels(ctx, p.Owner, p.Repo, pr.Number, releasePRTagged); err != nil {
		return err
	}
	if err := f.RemoveLabel(ctx, p.Owner, p.Repo, pr.Number, releasePRPending); err != nil {
		return err
	}
	s.c.releasePR.Action = "released"
	return nil
}
