package release

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/changelog"
	"github.com/shipflow/shipflow/release/versionfile"
)

// The local steps of a release: the changelog section, the release commit
// and its annotated tag.

// readChangelog reads the changelog through package repofs.
func (c *cutter) readChangelog(p *CutPlan) ([]byte, error) {
	return repofs.ReadFile(c.repo.Dir(), p.ChangelogFile, notesMaxChangelog)
}

// --- changelog ---

type cutChangelog struct{ c *cutter }

func (cutChangelog) String() string { return "changelog" }

// The changelog step also writes the version into the version files
// (p.VersionFiles), so that one step makes the release commit's content.

func (s cutChangelog) Skip(_ context.Context, p *CutPlan) string {
	doc, err := s.c.readChangelog(p)
	if err == nil && changelog.HasVersion(doc, p.Version) && len(versionfile.Disagree(p.VersionFiles, p.Version)) == 0 {
		if len(p.VersionFiles) > 0 {
			return fmt.Sprintf("%s and the version files already have %s", p.ChangelogFile, p.Version)
		}
		return fmt.Sprintf("%s already has %s", p.ChangelogFile, p.Version)
	}
	return ""
}

func (s cutChangelog) Run(_ context.Context, p *CutPlan) error {
	doc, err := s.c.readChangelog(p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", p.ChangelogFile, err)
	}
	if out, changed := changelog.Insert(doc, p.Version, p.Notes, cutOr(s.c.opts.Changelog.Marker, changelog.DefaultMarker)); changed {
		if err := repofs.WriteFileHooked(s.c.repo.Dir(), p.ChangelogFile, out, 0o644, cutWriteHook); err != nil {
			return err
		}
	}
	// Bump re-reads every file and refuses one whose value changed since
	// the plan; a file already at the version is not rewritten.
	if _, err := versionfile.Bump(s.c.repo.Dir(), p.VersionFiles, p.Version); err != nil {
		return err
	}
	return nil
}

// cutWriteHook, when set by tests, runs inside the changelog step's atomic
// write, after the data is in the temporary file and before the rename:
// the SIGKILL test blocks there.
var cutWriteHook func(*os.File) error

// --- commit ---

type cutCommit struct{ c *cutter }

func (cutCommit) String() string { return "commit" }

func (cutCommit) Skip(_ context.Context, p *CutPlan) string {
	if p.ReleaseCommit != "" {
		return fmt.Sprintf("release commit %s already at HEAD", cutShort(p.ReleaseCommit))
	}
	return ""
}

func (s cutCommit) Run(ctx context.Context, p *CutPlan) error {
	r := s.c.repo
	add := []string{"add", "--", p.ChangelogFile}
	for _, f := range p.VersionFiles {
		if !slices.Contains(add, f.Path) {
			add = append(add, f.Path)
		}
	}
	if _, err := r.Run(ctx, add...); err != nil {
		return fmt.Errorf("staging %s: %w", cutList(add[2:], 5), err)
	}
	// --allow-empty: a changelog already holding the section still gets its
	// release commit, which is what a re-run recognises.
	if _, err := r.Run(ctx, "commit", "--quiet", "--allow-empty", "-m", p.CommitMessage); err != nil {
		return fmt.Errorf("committing %s: %w", p.Tag, err)
	}
	sha, err := r.ResolveCommit(ctx, "HEAD")
	if err != nil {
		return err
	}
	p.ReleaseCommit = sha
	return nil
}

// --- tag ---

type cutTag struct{ c *cutter }

func (cutTag) String() string { return "tag" }

func (s cutTag) Skip(ctx context.Context, p *CutPlan) string {
	if sha, err := s.c.repo.TagCommit(ctx, p.Tag); err == nil && sha != "" && sha == p.ReleaseCommit {
		return fmt.Sprintf("tag %s already at %s", p.Tag, cutShort(sha))
	}
	return ""
}

func (s cutTag) Run(ctx context.Context, p *CutPlan) error {
	// A clone without the tags of a release already pushed takes the
	// remote's tag rather than making a second, different tag object.
	ref := "refs/tags/" + p.Tag
	if refs, err := s.c.remoteRefs(ctx, p.Remote, ref); err == nil && refs[ref] == p.ReleaseCommit {
		if _, err := s.c.repo.Run(ctx, "fetch", "--quiet", "--no-tags", p.Remote, ref+":"+ref); err != nil {
			return fmt.Errorf("fetching tag %s from %q: %w", p.Tag, p.Remote, err)
		}
		return nil
	}
	kind := "--annotate"
	if s.c.opts.Config.SignTags {
		kind = "--sign" // with git's signing key: user.signingkey, gpg.format
	}
	if _, err := s.c.repo.Run(ctx, "tag", kind, "--message", "Release "+p.Tag, "--", p.Tag, p.ReleaseCommit); err != nil {
		if kind == "--sign" {
			return fmt.Errorf("signing tag %s (release.sign-tags; git's user.signingkey and gpg.format say which key): %w", p.Tag, err)
		}
		return fmt.Errorf("tagging %s: %w", p.Tag, err)
	}
	return nil
}
