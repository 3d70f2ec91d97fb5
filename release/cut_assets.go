package release

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/github"
)

// The release's assets: files of the work tree, matched by globs, uploaded
// with a checksums file to the GitHub release while it is a draft, so that
// immutable releases (which take no asset once published) get them too.

// cutChecksumsName is the checksums file's asset name, as goreleaser names
// it: one "SHA256  NAME" line per asset, as sha256sum writes them.
const cutChecksumsName = "checksums.txt"

// cutAssetMax caps an asset's size: GitHub takes release assets under
// 2 GiB (docs.github.com, "About releases", storage and bandwidth quotas).
const cutAssetMax = 2<<30 - 1

// assetForge is a forge that takes release assets; *github.Client is one.
type assetForge interface {
	// UploadReleaseAsset uploads size bytes from r as asset name.
	UploadReleaseAsset(ctx context.Context, owner, repo string, releaseID int64, name string, r io.Reader, size int64, contentType string) (*github.Asset, error)
	// ListReleaseAssets lists the release's assets.
	ListReleaseAssets(ctx context.Context, owner, repo string, releaseID int64) ([]*github.Asset, error)
}

var _ assetForge = (*github.Client)(nil)

// resolveAssets matches the asset globs in the work tree and names the
// files in the plan, refusing a glob outside the work tree, one that
// matches nothing, and two files of the same name. It runs before
// anything changes.
func (c *cutter) resolveAssets(p *CutPlan) error {
	if len(c.opts.Assets) == 0 || p.Local {
		return nil
	}
	root := c.repo.Dir()
	seen := map[string]string{}
	var out []string
	for _, glob := range c.opts.Assets {
		clean, err := repofs.Clean(glob)
		if err != nil {
			return cutRefuse("release.assets: %v", err)
		}
		if _, err := path.Match(clean, ""); err != nil {
			return cutRefuse("release.assets %q is not a valid glob: %v", glob, err)
		}
		matches, err := fs.Glob(os.DirFS(root), clean)
		if err != nil {
			return fmt.Errorf("matching release.assets %q: %w", glob, err)
		}
		n := 0
		for _, m := range matches {
			real, err := repofs.Resolve(root, m)
			if err != nil {
				return cutRefuse("release.assets %q: %v", glob, err)
			}
			if fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(real))); err != nil || !fi.Mode().IsRegular() {
				continue // directories the glob matched
			}
			n++
			name := path.Base(m)
			if name == cutChecksumsName {
				return cutRefuse("release.assets %q matches %s, the name of the checksums file shipflow uploads", glob, m)
			}
			if other, dup := seen[name]; dup && other != m {
				return cutRefuse("release.assets: %s and %s would both be the asset %q", other, m, name)
			}
			if _, dup := seen[name]; !dup {
				seen[name] = m
				out = append(out, m)
			}
		}
		if n == 0 {
			return cutRefuse("release.assets %q matches no file (build the assets before the release step)", glob)
		}
	}
	slices.Sort(out)
	p.Assets = out
	return nil
}

// uploadAssets uploads the plan's assets and their checksums to release
// rel, skipping names it already has.
func (c *cutter) uploadAssets(ctx context.Context, p *CutPlan, rel *github.Release) error {
	if len(p.Assets) == 0 {
		return nil
	}
	f, ok := c.forge.(assetForge)
	if !ok {
		return fmt.Errorf("the forge takes no release assets")
	}
	have, err := f.ListReleaseAssets(ctx, p.Owner, p.Repo, rel.ID)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	for _, a := range have {
		done[a.Name] = true
	}
	var sums bytes.Buffer
	for _, name := range p.Assets {
		data, err := repofs.ReadFile(c.repo.Dir(), name, cutAssetMax)
		if err != nil {
			return fmt.Errorf("reading asset %s: %w", name, err)
		}
		base := path.Base(name)
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(data), base)
		if done[base] {
			continue
		}
		if _, err := f.UploadReleaseAsset(ctx, p.Owner, p.Repo, rel.ID, base, bytes.NewReader(data), int64(len(data)), ""); err != nil {
			return err
		}
	}
	if done[cutChecksumsName] {
		return nil
	}
	_, err = f.UploadReleaseAsset(ctx, p.Owner, p.Repo, rel.ID, cutChecksumsName, bytes.NewReader(sums.Bytes()), int64(sums.Len()), "text/plain")
	return err
}

// assetsMissing reports whether release rel lacks one of the plan's
// assets (or the checksums file); false when the forge cannot tell.
func (c *cutter) assetsMissing(ctx context.Context, p *CutPlan, rel *github.Release) bool {
	if len(p.Assets) == 0 {
		return false
	}
	f, ok := c.forge.(assetForge)
	if !ok {
		return false
	}
	have, err := f.ListReleaseAssets(ctx, p.Owner, p.Repo, rel.ID)
	if err != nil {
		return true // Run looks again and reports the error
	}
	names := map[string]bool{}
	for _, a := range have {
		names[a.Name] = true
	}
	if !names[cutChecksumsName] {
		return true
	}
	for _, a := range p.Assets {
		if !names[path.Base(a)] {
			return true
		}
	}
	return false
}
