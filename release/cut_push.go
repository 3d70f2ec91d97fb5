package release

import (
	"context"
	"fmt"
	"strings"
)

// The push step, and the remote's refs and ancestry that other steps
// read too.

type cutPush struct{ c *cutter }

func (cutPush) String() string { return "push" }

func (s cutPush) Skip(ctx context.Context, p *CutPlan) string {
	refs, err := s.c.remoteRefs(ctx, p.Remote, "refs/heads/"+p.Branch, "refs/tags/"+p.Tag)
	if err != nil || refs["refs/tags/"+p.Tag] != p.ReleaseCommit {
		return ""
	}
	// Others may have pushed on top of the release commit since.
	if tip := refs["refs/heads/"+p.Branch]; tip == p.ReleaseCommit || (tip != "" && s.c.isAncestor(ctx, p.ReleaseCommit, tip)) {
		return fmt.Sprintf("%s and %s already on %q", p.Branch, p.Tag, p.Remote)
	}
	return ""
}

func (s cutPush) Run(ctx context.Context, p *CutPlan) error {
	// Atomic: the remote gets both the branch and the tag, or neither.
	if _, err := s.c.repo.Run(ctx, "push", "--quiet", "--atomic", "--", p.Remote,
		"refs/heads/"+p.Branch+":refs/heads/"+p.Branch, "refs/tags/"+p.Tag+":refs/tags/"+p.Tag); err != nil {
		return fmt.Errorf("pushing %s and %s to %q: %w", p.Branch, p.Tag, p.Remote, err)
	}
	return nil
}

// remoteRefs lists refs (and their peeled commits) on the remote.
func (c *cutter) remoteRefs(ctx context.Context, remote string, refs ...string) (map[string]string, error) {
	if strings.HasPrefix(remote, "-") {
		return nil, fmt.Errorf("remote %q is not a remote name", remote)
	}
	args := []string{"ls-remote", remote}
	for _, r := range refs {
		// A pattern matches the tag object only; ask for its commit too.
		args = append(args, r)
		if strings.HasPrefix(r, "refs/tags/") {
			args = append(args, r+"^{}")
		}
	}
	out, err := c.repo.Run(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("reading refs of remote %q: %w", remote, err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		sha, ref, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		// An annotated tag lists the tag object and then, with ^{}, its commit.
		if base, peeled := strings.CutSuffix(ref, "^{}"); peeled {
			m[base] = sha
		} else if _, seen := m[ref]; !seen {
			m[ref] = sha
		}
	}
	return m, nil
}

// isAncestor reports whether commit a is an ancestor of (or is) b; false
// when git cannot tell (b not fetched).
func (c *cutter) isAncestor(ctx context.Context, a, b string) bool {
	_, err := c.repo.Run(ctx, "merge-base", "--is-ancestor", a, b)
	return err == nil
}
