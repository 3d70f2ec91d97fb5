package release

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/image"
	"github.com/shipflow/shipflow/release/version"
)

// ImagePushOptions are the inputs of ImagePush, as ResolveImagePush
// reads them.
type ImagePushOptions struct {
	// Config is the `image:` section of .shipflow.yaml: the labels and
	// the registry settings (ImageKnobs). The tag policy and the
	// repository in it are read by ResolveImagePush into Push.
	Config config.Image
	// Plan computes the version when Push.Version is empty and no version
	// tag names HEAD (its Config gives the tag prefix).
	Plan PlanOptions
	// Push is what to push. Empty To, Version, and provenance labels are
	// filled from Config and git.
	Push image.PushOptions
	// Access is how to reach the registry (see ImageAccess.Knobs).
	Access ImageAccess
	// Dir is the directory relative paths are relative to: a local
	// Push.From, Push.Files' sources and Access.CAFile. Default the
	// process's working directory.
	Dir string
}

// ImagePushReport is what ImagePush did: the push, and what to know
// about it.
type ImagePushReport struct {
	image.PushReport
	// Warnings are the plan's warnings when the plan computed the version.
	Warnings []string `json:"warnings"`
}

// ImagePush publishes an image as the release at HEAD (see image.Push).
// The version is Push.Version, else the version tag on HEAD, else the next
// version Plan computes; the labels carry HEAD's hash and commit time and
// the origin remote's URL. repo may be nil (outside a git work tree): then
// Push.Version is required and no git label is set. The registry options
// are opts.Access's, then knobs.
//
// The report is nil when nothing reached the registry's side of the push
// (a bad input, git failed); else it is returned with the error too, so
// that a refused or broken push shows its tags (ImagePushFindings).
func ImagePush(ctx context.Context, repo *git.Repo, opts ImagePushOptions, knobs ...image.Option) (*ImagePushReport, error) {
	p := opts.Push
	cfg := opts.Config
	if p.To == "" {
		p.To = cfg.Repository
	}
	if p.To == "" {
		return nil, &image.InputError{Err: errors.New("no repository to push to: give --repository REGISTRY/REPO (the repository input) or set image.repository in .shipflow.yaml")}
	}
	access, err := opts.Access.Knobs(cfg, opts.Dir, p.To)
	if err != nil {
		return nil, err
	}
	knobs = append(access, knobs...)
	p.From = imgLocalPath(opts.Dir, p.From)
	if len(p.Files) > 0 {
		files := make([]image.File, len(p.Files))
		for i, f := range p.Files {
			if !filepath.IsAbs(f.Src) && opts.Dir != "" {
				f.Src = filepath.Join(opts.Dir, f.Src) // a file, never a reference
			}
			files[i] = f
		}
		p.Files = files
	}
	out := &ImagePushReport{}
	l := &p.Labels
	l.Title = imgFirst(l.Title, cfg.Title)
	l.Licenses = imgFirst(l.Licenses, cfg.Licenses)
	l.Source = imgFirst(l.Source, cfg.Source)
	if len(cfg.Labels) > 0 {
		extra := map[string]string{}
		for k, v := range cfg.Labels {
			extra[k] = v
		}
		for k, v := range l.Extra {
			extra[k] = v
		}
		l.Extra = extra
	}
	if repo != nil {
		head, err := imgHead(ctx, repo)
		if err != nil {
			return nil, fmt.Errorf("reading HEAD for the image labels: %w", err)
		}
		if l.Revision == "" {
			l.Revision = head.Hash
		}
		if l.Created.IsZero() {
			l.Created = head.CommitterDate
		}
		if l.Source == "" {
			if u, err := repo.RemoteURL(ctx, config.DefaultRemote); err == nil {
				l.Source = ImageSourceURL(u)
			}
		}
		if p.Version == "" {
			if p.Version, out.Warnings, err = imgVersion(ctx, repo, opts.Plan); err != nil {
				return nil, err
			}
		}
	}
	if p.Version == "" {
		return nil, &image.InputError{Err: errors.New("no version: give --image-version X.Y.Z (the image-version input; outside a git repository the version cannot be computed)")}
	}
	pr, err := image.Push(ctx, p, knobs...)
	if pr == nil {
		if err != nil {
			return nil, err
		}
		pr = &image.PushReport{}
	}
	out.PushReport = *pr
	return out, err
}

// imgLocalPath makes a relative local path relative to dir: one that
// exists there or looks like a path (see image.IsLocalPath), so that a
// missing file is reported where it was looked for. References and
// absolute paths are kept.
func imgLocalPath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) || dir == "" || dir == "." {
		return p
	}
	if _, err := os.Stat(filepath.Join(dir, p)); err == nil || image.IsLocalPath(p) {
		return filepath.Join(dir, p)
	}
	return p
}

// ImageKnobs are the registry options .shipflow.yaml asks for when
// reaching repository: the CAs of ca-file (inside the work tree the
// configuration was loaded from, cfg.Root()), and insecure access to the
// registries listed in insecure-registries. The config is the
// repository's, which a pull request can change, so the list goes through
// image.WithInsecureRegistries: a listed registry for which shipflow has
// credentials stays on verified HTTPS. Only the caller's own
// image.WithInsecure (the --insecure flag) lifts that.
func ImageKnobs(cfg config.Image, repository string) ([]image.Option, error) {
	var knobs []image.Option
	if len(cfg.InsecureRegistries) > 0 {
		knobs = append(knobs, image.WithInsecureRegistries(cfg.InsecureRegistries...))
	}
	if cfg.CAFile != "" {
		// Repository content: read inside the work tree only, a regular
		// file of at most 1 MiB (package repofs). A CA file of the caller's
		// own (--ca-file) is not read here.
		if cfg.Root() == "" {
			return nil, cfg.KeyError("ca-file", "%q cannot be read: the configuration was not loaded from a repository", cfg.CAFile)
		}
		pem, err := repofs.ReadFile(cfg.Root(), cfg.CAFile, repofs.DefaultMaxRead)
		if err != nil {
			return nil, cfg.KeyError("ca-file", "%v", err)
		}
		knobs = append(knobs, image.WithCACerts(pem))
	}
	return knobs, nil
}

// ImageSourceURL turns a git remote URL into the web URL of the
// repository for the org.opencontainers.image.source label: scp-style
// and ssh URLs become https, ".git" goes, and credentials never appear.
// The port of an http(s) URL is the web server's and stays
// (https://git.example:8443/...); that of an ssh:// or git:// URL is the
// ssh or git daemon's and goes.
func ImageSourceURL(remote string) string {
	remote = strings.TrimSpace(remote)
	if remote == "" {
		return ""
	}
	if !strings.Contains(remote, "://") {
		// scp-like: [user@]host:path
		if at := strings.LastIndex(remote, "@"); at >= 0 {
			remote = remote[at+1:]
		}
		host, p, ok := strings.Cut(remote, ":")
		if !ok {
			return ""
		}
		remote = "https://" + host + "/" + strings.TrimPrefix(p, "/")
	}
	u, err := url.Parse(remote)
	if err != nil || u.Host == "" {
		return ""
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		u.Scheme = "https"
		u.Host = u.Hostname()
		if strings.Contains(u.Host, ":") { // IPv6
			u.Host = "[" + u.Host + "]"
		}
	}
	u.User = nil
	u.Path = strings.TrimSuffix(path.Clean("/"+u.Path), ".git")
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// imgHead is HEAD's commit.
func imgHead(ctx context.Context, repo *git.Repo) (*git.Commit, error) {
	for c, err := range repo.Log(ctx, git.LogOptions{Revs: []string{"HEAD"}, Max: 1}) {
		return c, err
	}
	return nil, errors.New("HEAD has no commit")
}

// imgVersion is the highest version tag naming HEAD (an image is usually
// pushed after the release is tagged), else the next version, with the
// plan's warnings.
func imgVersion(ctx context.Context, repo *git.Repo, plan PlanOptions) (string, []string, error) {
	_, prefix, err := plan.rules()
	if err != nil {
		return "", nil, err
	}
	out, err := repo.Run(ctx, "tag", "--points-at", "HEAD")
	if err != nil {
		return "", nil, fmt.Errorf("reading the tags of HEAD: %w", err)
	}
	if tags, _ := version.ParseTags(strings.Fields(string(out)), prefix); len(tags) > 0 {
		return tags[0].Version.String(), nil, nil
	}
	rep, err := Plan(ctx, repo, plan)
	if err != nil {
		return "", nil, fmt.Errorf("computing the image version: %w", err)
	}
	switch {
	case rep.Next == nil:
		return "", rep.Warnings, &image.InputError{Err: errors.New("no version: nothing releasable since the last tag and no version tag on HEAD; give --image-version")}
	case rep.NextTag == "":
		return "", rep.Warnings, &image.InputError{Err: fmt.Errorf("branch %q builds %s, which is not a release version (image tags cannot hold '+'); give --image-version", rep.Branch, rep.Next)}
	}
	return rep.Next.String(), rep.Warnings, nil
}

func imgFirst(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
