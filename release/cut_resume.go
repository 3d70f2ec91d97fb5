package release

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"

	"github.com/shipflow/shipflow/internal/atomicfile"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/git"
)

// Resuming: a run that failed or was killed left a release commit (and
// perhaps its tag, push or draft release) behind. The next run recognises
// that commit by its message (cutReleaseRE), takes its version, tag and
// notes instead of planning a new release, and the steps skip what is
// already done.

// findReleaseCommit looks for a previous run's release commit. A re-run
// finds it at HEAD, or, when it checked out the commit the release was
// cut from (GitHub Actions re-runs a workflow at its original sha), one
// commit ahead on the remote branch.
func (s *cutPreflightRun) findReleaseCommit(ctx context.Context) error {
	c, p := s.c, s.p
	if s.rc != nil {
		return nil // a merged release PR's (checkMergedReleasePR)
	}
	if c.pkg != nil {
		return s.pkgReleaseCommit(ctx)
	}
	head, err := c.commitAt(ctx, "HEAD")
	if err != nil {
		return err
	}
	tip, err := c.remoteTip(ctx, p)
	if err != nil {
		return err
	}
	rc, tag := head, c.releaseTag(head)
	if tag == "" {
		if ahead, err := c.releaseAhead(ctx, tip, head); err != nil {
			return err
		} else if ahead != nil {
			rc, tag = ahead, c.releaseTag(ahead)
			p.Warnings = append(p.Warnings, fmt.Sprintf("HEAD %s is where release commit %s on %q was cut from (a re-run?): continuing that release", cutShort(head.Hash), cutShort(ahead.Hash), p.Remote))
		}
	}
	s.head, s.tip, s.rc, s.tag = head, tip, rc, tag
	return nil
}

// resumeVersion reads the version from the tag that the release commit
// names.
func (s *cutPreflightRun) resumeVersion() error {
	prefix := s.c.prefix
	v, err := semver.StrictNewVersion(strings.TrimPrefix(s.tag, prefix))
	if err != nil || !strings.HasPrefix(s.tag, prefix) {
		return fmt.Errorf("%w: %s is a release commit for %q, which is not %q followed by a version", ErrCutRefused, cutShort(s.rc.Hash), s.tag, prefix)
	}
	s.version = v
	return nil
}

// resumeTag checks the release commit's tag as a plan checks a new one,
// then takes the release's version, tag, base and commit from it.
func (s *cutPreflightRun) resumeTag(ctx context.Context) error {
	c, p := s.c, s.p
	if err := planCheckTag(ctx, c.repo, s.tag, c.prefix); err != nil {
		return err
	}
	p.Resumed = true
	p.Version, p.Tag, p.Base, p.ReleaseCommit = s.version.String(), s.tag, s.rc.Parents[0], s.rc.Hash
	return nil
}

// resumeNotes finds the previous release and takes the notes from the
// changelog that the release commit holds.
func (s *cutPreflightRun) resumeNotes(ctx context.Context) error {
	c, p := s.c, s.p
	reachable, err := c.repo.Tags(ctx, p.Base)
	if err != nil {
		return err
	}
	p.PreviousTag = cutLatestTag(reachable, c.prefix)
	doc, err := c.repo.Run(ctx, "show", s.rc.Hash+":"+filepath.ToSlash(p.ChangelogFile))
	if err != nil || !changelog.HasVersion(doc, p.Version) {
		return fmt.Errorf("%w: %s is the release commit of %s but its %s has no section for it", ErrCutRefused, cutShort(s.rc.Hash), s.tag, p.ChangelogFile)
	}
	p.Notes = c.opts.Redactor.String(cutSection(doc, p.Version))
	return nil
}

// commitAt reads one commit.
func (c *cutter) commitAt(ctx context.Context, rev string) (*git.Commit, error) {
	for cm, err := range c.repo.Log(ctx, git.LogOptions{Revs: []string{rev}, Max: 1}) {
		if err != nil {
			return nil, err
		}
		return cm, nil
	}
	return nil, fmt.Errorf("%w: no commit at %s", ErrCutRefused, rev)
}

// releaseTag returns the tag a release commit names, or "" for any other
// commit.
func (c *cutter) releaseTag(cm *git.Commit) string {
	if len(cm.Parents) != 1 {
		return ""
	}
	m := c.releaseRE.FindStringSubmatch(cutFirstLine(cm.Message))
	if m == nil {
		return ""
	}
	if i := c.releaseRE.SubexpIndex("tag"); i > 0 && m[i] != "" {
		if c.pkg != nil && !cutTagOf(m[i], c.prefix) {
			return "" // another package's
		}
		return m[i]
	}
	return c.prefix + m[c.releaseRE.SubexpIndex("version")]
}

// remoteTip returns the remote release branch's tip, fetched when it is
// not here yet; "" when the remote has no such branch, or when it cannot be
// read in a dry run (the remote tag check reports that).
func (c *cutter) remoteTip(ctx context.Context, p *CutPlan) (string, error) {
	if p.Local {
		return "", nil // a local release does not read the remote
	}
	ref := "refs/heads/" + p.Branch
	refs, err := c.remoteRefs(ctx, p.Remote, ref)
	if err != nil && p.DryRun {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	tip := refs[ref]
	if tip == "" {
		return "", nil
	}
	if _, err := c.repo.Run(ctx, "cat-file", "-e", tip+"^{commit}"); err != nil {
		if _, err := c.repo.Run(ctx, "fetch", "--quiet", "--no-tags", p.Remote, ref); err != nil {
			return "", fmt.Errorf("fetching %s from %q: %w", p.Branch, p.Remote, err)
		}
	}
	return tip, nil
}

// releaseAhead returns the remote branch's tip when it is a release commit
// whose parent is head; nil otherwise.
func (c *cutter) releaseAhead(ctx context.Context, tip string, head *git.Commit) (*git.Commit, error) {
	if tip == "" || tip == head.Hash {
		return nil, nil
	}
	cm, err := c.commitAt(ctx, tip)
	if err != nil {
		return nil, err
	}
	if c.releaseTag(cm) == "" || cm.Parents[0] != head.Hash {
		return nil, nil
	}
	return cm, nil
}

// cutIsStaleTemp reports whether name, an untracked file, is a temporary
// file of package atomicfile: any with its ".shipflow-" marker, and one of
// the changelog's in shipflow 0.1's pattern (".CHANGELOG.md.4242.tmp"),
// which a user's file could share, so it counts only beside the changelog.
func cutIsStaleTemp(name, changelogFile string) bool {
	if !atomicfile.IsTemp(name) {
		return false
	}
	dir, base := path.Split(name)
	cdir, cbase := path.Split(changelogFile)
	return strings.Contains(base, ".shipflow-") || dir == cdir && strings.HasPrefix(base, "."+cbase+".")
}

// removeFile removes name, relative to the work tree, without following a
// link out of it.
func (c *cutter) removeFile(name string) error {
	r, err := os.OpenRoot(c.repo.Dir())
	if err != nil {
		return err
	}
	defer r.Close()
	return r.Remove(filepath.FromSlash(name))
}

// cutLatestTag returns the highest stable version tag among names.
func cutLatestTag(names []string, prefix string) string {
	var best *semver.Version
	tag := ""
	for _, n := range names {
		if !strings.HasPrefix(n, prefix) {
			continue
		}
		v, err := semver.StrictNewVersion(strings.TrimPrefix(n, prefix))
		if err != nil || v.Prerelease() != "" {
			continue
		}
		if best == nil || v.GreaterThan(best) {
			best, tag = v, n
		}
	}
	return tag
}

// cutHeadingRE matches a version heading as package changelog does.
var cutHeadingRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^#{1,3}[ \t]+\[?v?([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(?:\]|[ \t(]|$)`)
})

// cutSection returns version's section of a changelog: its heading line up
// to the next version heading, ending in one newline.
func cutSection(doc []byte, version string) string {
	lines := strings.SplitAfter(string(doc), "\n")
	var b strings.Builder
	in, fenced := false, false
	for _, line := range lines {
		t := strings.TrimLeft(line, " ")
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fenced = !fenced
		}
		if !fenced {
			if m := cutHeadingRE().FindStringSubmatch(strings.TrimRight(line, "\r\n")); m != nil {
				if in {
					break
				}
				in = m[1] == version
			}
		}
		if in {
			b.WriteString(line)
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}
