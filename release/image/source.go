package image

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// LabelPrefix starts the standard OCI annotation keys that Push owns:
// every label with it comes from Labels, none from the base image.
const LabelPrefix = "org.opencontainers.image."

// Labels are the provenance of an image, written as the
// org.opencontainers.image.* labels of its config (and, for the created
// time, the config's created field). Empty fields are left out.
type Labels struct {
	// Version is ...version (Push sets it to PushOptions.Version).
	Version string
	// Revision is ...revision, the full commit hash.
	Revision string
	// Source is ...source, the URL of the source repository.
	Source string
	// Created is ...created, the commit time (RFC 3339), which is also
	// the image's created time so that rebuilds are reproducible.
	Created time.Time
	// Title is ...title, a human-readable name.
	Title string
	// Licenses is ...licenses, an SPDX expression.
	Licenses string
	// Extra are further labels; keys with LabelPrefix here override the
	// ones above.
	Extra map[string]string
}

// Map returns the labels as config labels.
func (l Labels) Map() map[string]string {
	m := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			m[LabelPrefix+k] = v
		}
	}
	set("version", l.Version)
	set("revision", l.Revision)
	set("source", l.Source)
	if !l.Created.IsZero() {
		set("created", l.Created.UTC().Format(time.RFC3339))
	}
	set("title", l.Title)
	set("licenses", l.Licenses)
	for k, v := range l.Extra {
		m[k] = v
	}
	return m
}

// File is a local file appended to an image as a layer, ko and crane
// append style.
type File struct {
	// Platform limits the file to one platform of a multi-platform image
	// ("linux/arm64"); "" adds it to every platform.
	Platform string
	// Src is the local path; Dst the absolute path in the image.
	Src, Dst string
}

// ParseFile reads "[PLATFORM=]SRC:DST" (e.g. "linux/arm64=bin/app-arm64:/app").
// DST is cleaned ("/a/./b" is "/a/b"); one that climbs above the root
// ("/a/../../x") or is the root itself is refused, and one ending in "/"
// is a directory the file goes into under its own name.
func ParseFile(s string) (File, error) {
	var f File
	rest := s
	if p, r, ok := strings.Cut(s, "="); ok {
		f.Platform, rest = p, r
	}
	src, dst, ok := strings.Cut(rest, ":")
	if !ok || src == "" || !path.IsAbs(dst) {
		return File{}, fmt.Errorf("file %q: want [PLATFORM=]SRC:/ABSOLUTE/DST", s)
	}
	if strings.HasSuffix(dst, "/") {
		dst += filepath.Base(src)
	}
	clean, err := cleanDst(dst)
	if err != nil {
		return File{}, fmt.Errorf("file %q: %w", s, err)
	}
	f.Src, f.Dst = src, clean
	return f, nil
}

// cleanDst cleans an absolute path in the image, refusing one that climbs
// above the root (path.Clean would silently stop there) or names the root.
func cleanDst(dst string) (string, error) {
	if !path.IsAbs(dst) {
		return "", fmt.Errorf("destination %q is not an absolute path", dst)
	}
	depth := 0
	for _, part := range strings.Split(dst, "/") {
		switch part {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return "", fmt.Errorf("destination %q climbs above the root of the image", dst)
			}
		default:
			depth++
		}
	}
	clean := path.Clean(dst)
	if clean == "/" {
		return "", fmt.Errorf("destination %q is the root of the image: name a file, e.g. /app", dst)
	}
	return clean, nil
}

// checkFiles checks the files to append before anything is read or sent:
// each source is an existing regular file (or a link to one) and each
// destination a clean absolute path. It returns the files with their
// destinations cleaned.
func checkFiles(files []File) ([]File, error) {
	out := make([]File, 0, len(files))
	for _, f := range files {
		dst, err := cleanDst(f.Dst)
		if err != nil {
			return nil, fmt.Errorf("file %s: %w", f.Src, err)
		}
		fi, err := os.Stat(f.Src)
		switch {
		case err != nil:
			return nil, fmt.Errorf("file to append: %w", err)
		case fi.IsDir():
			return nil, fmt.Errorf("file to append %q is a directory: give one file per --file (directories are not copied)", f.Src)
		case !fi.Mode().IsRegular():
			return nil, fmt.Errorf("file to append %q is not a regular file (%s)", f.Src, fi.Mode().Type())
		}
		f.Dst = dst
		out = append(out, f)
	}
	return out, nil
}

// IsLocalPath says whether from names a local file or directory rather
// than an image reference: it exists, or it looks like a path — it starts
// with "/", "./", "../" or "~/", is "." or "..", contains a backslash, or
// ends in .tar, .tar.gz or .tgz. A "/" inside is not enough: references
// have them too ("ghcr.io/acme/app"), so a missing "dist/oci" is read as a
// reference.
func IsLocalPath(from string) bool {
	if _, err := os.Stat(from); err == nil {
		return true
	}
	for _, p := range []string{"/", "./", "../", "~/"} {
		if strings.HasPrefix(from, p) {
			return true
		}
	}
	for _, x := range []string{".tar", ".tar.gz", ".tgz"} {
		if strings.HasSuffix(from, x) {
			return true
		}
	}
	return from == "." || from == ".." || strings.Contains(from, `\`)
}

// artifact is an image or an index.
type artifact struct {
	img v1.Image
	idx v1.ImageIndex
	// referrers are the source's manifests whose OCI 1.1 subject is the
	// image, the index or an image of the index (an SBOM, a signature).
	referrers []referrer
	// stamped maps each source digest (the image, the index, each image
	// of the index) to the descriptor of what stamp made of it, when only
	// its config changed: what describes the source's files still
	// describes it.
	stamped map[string]v1.Descriptor
}

// referrer is a manifest that refers to a source digest.
type referrer struct {
	subject string
	add     partial.WithRawManifest // a v1.Image or a v1.ImageIndex
}

func (a artifact) taggable() remote.Taggable {
	if a.idx != nil {
		return a.idx
	}
	return a.img
}

func (a artifact) digest() (v1.Hash, error) {
	if a.idx != nil {
		return a.idx.Digest()
	}
	return a.img.Digest()
}

func (a artifact) mediaType() (types.MediaType, error) {
	if a.idx != nil {
		return a.idx.MediaType()
	}
	return a.img.MediaType()
}

// load reads from: an existing file is a `docker save` tarball, an
// existing directory an OCI layout, a missing path (see IsLocalPath) an
// *InputError, anything else an image reference.
func load(from string, s *settings, ropts []remote.Option) (artifact, error) {
	fi, err := os.Stat(from)
	if err == nil {
		if fi.IsDir() {
			return loadLayout(from)
		}
		img, err := tarball.Image(tarballOpener(from), nil)
		if err != nil {
			return artifact{}, fmt.Errorf("reading docker tarball %q: %w", from, err)
		}
		return artifact{img: img}, nil
	}
	if IsLocalPath(from) {
		return artifact{}, &InputError{Err: fmt.Errorf("source %q is a path (not an image reference) and cannot be read: %w", from, err)}
	}
	ref, err := s.parseSource(from)
	if err != nil {
		return artifact{}, &InputError{Err: fmt.Errorf("source %q is neither a file, a directory nor an image reference: %w", from, err)}
	}
	desc, err := remote.Get(ref, ropts...)
	if err != nil {
		return artifact{}, wrap(err, ref.Context().RegistryStr(), "reading source image %q", from)
	}
	var a artifact
	subjects := []v1.Hash{desc.Digest}
	if desc.MediaType.IsIndex() {
		if a.idx, err = desc.ImageIndex(); err != nil {
			return artifact{}, fmt.Errorf("reading source index %q: %w", from, err)
		}
		im, err := a.idx.IndexManifest()
		if err != nil {
			return artifact{}, fmt.Errorf("reading source index %q: %w", from, err)
		}
		for _, d := range im.Manifests {
			if !isAttestation(d) {
				subjects = append(subjects, d.Digest)
			}
		}
	} else if a.img, err = desc.Image(); err != nil {
		return artifact{}, fmt.Errorf("reading source image %q: %w", from, err)
	}
	if a.referrers, err = remoteReferrers(ref.Context(), subjects, ropts); err != nil {
		return artifact{}, wrap(err, ref.Context().RegistryStr(), "reading the referrers of source image %q", from)
	}
	return a, nil
}

// remoteReferrers reads the referrers of each subject in repo (the
// referrers API, else the sha256-<digest> fallback tag).
func remoteReferrers(repo name.Repository, subjects []v1.Hash, ropts []remote.Option) ([]referrer, error) {
	var out []referrer
	for _, sub := range subjects {
		idx, err := remote.Referrers(repo.Digest(sub.String()), ropts...)
		if err != nil {
			return nil, err
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, err
		}
		for _, d := range im.Manifests {
			rd, err := remote.Get(repo.Digest(d.Digest.String()), ropts...)
			if err != nil {
				return nil, err
			}
			var m partial.WithRawManifest
			if rd.MediaType.IsIndex() {
				m, err = rd.ImageIndex()
			} else {
				m, err = rd.Image()
			}
			if err != nil {
				return nil, err
			}
			out = append(out, referrer{subject: sub.String(), add: m})
		}
	}
	return out, nil
}

// tarballOpener opens a `docker save` tarball, gunzipping it when it is
// compressed (`docker save app | gzip > app.tar.gz`). A plain tarball is
// returned as the *os.File itself: archive/tar seeks past the entries
// before the one go-containerregistry looks for only when its reader is an
// io.Seeker, and every layer and the config are found that way, so a
// wrapped file would be read from the start for each of them (for ten
// layers, five times the tarball's size).
func tarballOpener(p string) tarball.Opener {
	return func() (io.ReadCloser, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		var magic [2]byte
		if n, _ := f.ReadAt(magic[:], 0); n < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
			return f, nil
		}
		zr, err := gzip.NewReader(bufio.NewReader(f))
		if err != nil {
			f.Close()
			return nil, err
		}
		return readCloser{Reader: zr, Closer: f}, nil
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}

// loadLayout reads an OCI layout: its single image or index, or, when
// index.json lists several images, index.json itself as the index.
func loadLayout(dir string) (artifact, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return artifact{}, fmt.Errorf("reading OCI layout %q: %w", dir, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return artifact{}, fmt.Errorf("reading OCI layout %q: %w", dir, err)
	}
	// Manifests with a subject (cosign, oras and buildx write referrers
	// next to the image in index.json) go with the image, not into it.
	var main []v1.Descriptor
	var refs []referrer
	for _, d := range im.Manifests {
		m, subject, err := layoutManifest(idx, d)
		if err != nil {
			return artifact{}, fmt.Errorf("reading OCI layout %q: %w", dir, err)
		}
		if subject != "" {
			refs = append(refs, referrer{subject: subject, add: m})
			continue
		}
		main = append(main, d)
	}
	switch {
	case len(main) == 0:
		return artifact{}, fmt.Errorf("OCI layout %q holds no image", dir)
	case len(main) > 1 && len(refs) == 0:
		return artifact{idx: idx}, nil
	case len(main) > 1:
		var adds []mutate.IndexAddendum
		for _, d := range main {
			m, _, _ := layoutManifest(idx, d)
			adds = append(adds, mutate.IndexAddendum{Add: m.(mutate.Appendable), Descriptor: v1.Descriptor{Platform: d.Platform, Annotations: d.Annotations}})
		}
		return artifact{idx: mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), adds...), referrers: refs}, nil
	}
	m, _, _ := layoutManifest(idx, main[0])
	if child, ok := m.(v1.ImageIndex); ok {
		return artifact{idx: child, referrers: refs}, nil
	}
	return artifact{img: m.(v1.Image), referrers: refs}, nil
}

// layoutManifest reads the image or index d of an OCI layout, and the
// digest of its subject ("" when it has none).
func layoutManifest(idx v1.ImageIndex, d v1.Descriptor) (partial.WithRawManifest, string, error) {
	var m partial.WithRawManifest
	var err error
	switch {
	case d.MediaType.IsIndex():
		m, err = idx.ImageIndex(d.Digest)
	case d.MediaType.IsImage():
		m, err = idx.Image(d.Digest)
	default:
		return nil, "", fmt.Errorf("entry %s has media type %s, neither an image nor an index", d.Digest, d.MediaType)
	}
	if err != nil {
		return nil, "", err
	}
	raw, err := m.RawManifest()
	if err != nil {
		return nil, "", err
	}
	var head struct {
		Subject *v1.Descriptor `json:"subject"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, "", fmt.Errorf("entry %s: %w", d.Digest, err)
	}
	if head.Subject == nil {
		return m, "", nil
	}
	return m, head.Subject.Digest.String(), nil
}

// edit is what Push changes in every image of the source.
type edit struct {
	labels     Labels
	files      []File
	user       string
	entrypoint []string
}

// Index annotations of buildx's attestation manifests: the type, and the
// digest of the image the attestation describes.
const (
	refTypeAnnotation   = "vnd.docker.reference.type"
	refDigestAnnotation = "vnd.docker.reference.digest"
)

// isAttestation says whether an index entry is not a runnable image but an
// attestation (buildx's unknown/unknown manifests) or another artifact
// without a platform.
func isAttestation(d v1.Descriptor) bool {
	return d.Platform == nil || d.Platform.OS == "unknown" || d.Annotations[refTypeAnnotation] != ""
}

// stamp applies e to every image of a (files appended, labels, user and
// entrypoint set), and returns the result and the platforms it holds (""
// for a single image without one). An index keeps its attestation
// manifests (buildx's provenance and SBOM) unchanged, in their places;
// the vnd.docker.reference.digest annotation of each is pointed at the
// relabelled image it describes, whose files are those it describes. An
// image that files were appended to is a new build on a base: the base's
// attestations are dropped, and its referrers (and, in an index, those of
// the index) are not carried over (see artifact.stamped).
func stamp(a artifact, e edit) (artifact, []string, error) {
	if a.img != nil {
		for _, f := range e.files {
			if f.Platform != "" {
				return artifact{}, nil, &InputError{Err: fmt.Errorf("file %s has platform %q but the image is not multi-platform", f.Src, f.Platform)}
			}
		}
		img, err := stampImage(a.img, e, e.files)
		if err != nil {
			return artifact{}, nil, err
		}
		p, err := imagePlatform(img)
		if err != nil {
			return artifact{}, nil, err
		}
		out := artifact{img: img, referrers: a.referrers, stamped: map[string]v1.Descriptor{}}
		if len(e.files) == 0 {
			if err := out.record(a.img, img); err != nil {
				return artifact{}, nil, err
			}
		}
		return out, []string{p}, nil
	}
	im, err := a.idx.IndexManifest()
	if err != nil {
		return artifact{}, nil, fmt.Errorf("reading index: %w", err)
	}
	mt, err := a.idx.MediaType()
	if err != nil {
		return artifact{}, nil, fmt.Errorf("reading index: %w", err)
	}
	out := mutate.IndexMediaType(empty.Index, mt)
	if len(im.Annotations) > 0 {
		out = mutate.Annotations(out, im.Annotations).(v1.ImageIndex)
	}
	used := map[int]bool{}
	var platforms []string
	adds := make([]mutate.IndexAddendum, len(im.Manifests))
	res := artifact{referrers: a.referrers, stamped: map[string]v1.Descriptor{}}
	moved := map[string]string{} // source image digest → stamped digest
	// Images that got files are new builds on a base: what describes
	// the base (its provenance, SBOM, signatures) does not describe them.
	built := map[string]bool{}
	for i, d := range im.Manifests {
		if isAttestation(d) {
			continue
		}
		if !d.MediaType.IsImage() {
			return artifact{}, nil, fmt.Errorf("index entry %s has media type %s: nested indexes are not supported", d.Digest, d.MediaType)
		}
		img, err := a.idx.Image(d.Digest)
		if err != nil {
			return artifact{}, nil, fmt.Errorf("reading image %s of the index: %w", d.Digest, err)
		}
		var mine []File
		for i, f := range e.files {
			if f.Platform == "" || platformMatches(*d.Platform, f.Platform) {
				mine = append(mine, f)
				used[i] = true
			}
		}
		img, err = stampImage(img, e, mine)
		if err != nil {
			return artifact{}, nil, fmt.Errorf("platform %s: %w", d.Platform, err)
		}
		nd, err := img.Digest()
		if err != nil {
			return artifact{}, nil, fmt.Errorf("platform %s: %w", d.Platform, err)
		}
		moved[d.Digest.String()] = nd.String()
		if len(mine) > 0 {
			built[d.Digest.String()] = true
		} else if err := res.record(d, img); err != nil {
			return artifact{}, nil, err
		}
		desc := v1.Descriptor{Platform: d.Platform, Annotations: d.Annotations}
		adds[i] = mutate.IndexAddendum{Add: img, Descriptor: desc}
		platforms = append(platforms, d.Platform.String())
	}
	if len(platforms) == 0 {
		return artifact{}, nil, fmt.Errorf("index holds no platform image")
	}
	for i, f := range e.files {
		if !used[i] {
			return artifact{}, nil, &InputError{Err: fmt.Errorf("file %s is for platform %q, which the image does not have (it has %s)", f.Src, f.Platform, strings.Join(platforms, ", "))}
		}
	}
	for i, d := range im.Manifests {
		if !isAttestation(d) {
			continue
		}
		var add mutate.Appendable
		if d.MediaType.IsIndex() {
			add, err = a.idx.ImageIndex(d.Digest)
		} else {
			add, err = a.idx.Image(d.Digest)
		}
		if err != nil {
			return artifact{}, nil, fmt.Errorf("reading attestation %s of the index: %w", d.Digest, err)
		}
		ann := d.Annotations
		if built[ann[refDigestAnnotation]] {
			continue
		}
		if to, ok := moved[ann[refDigestAnnotation]]; ok {
			ann = maps.Clone(ann)
			ann[refDigestAnnotation] = to
		}
		adds[i] = mutate.IndexAddendum{Add: add, Descriptor: v1.Descriptor{Platform: d.Platform, Annotations: ann, ArtifactType: d.ArtifactType}}
	}
	kept := adds[:0]
	for _, add := range adds {
		if add.Add != nil {
			kept = append(kept, add)
		}
	}
	res.idx = mutate.AppendManifests(out, kept...)
	if len(built) == 0 {
		if err := res.record(a.idx, res.idx); err != nil {
			return artifact{}, nil, err
		}
	}
	return res, platforms, nil
}

// record notes in a.stamped that from (a descriptor or a manifest) became
// to.
func (a artifact) record(from any, to partial.Describable) error {
	var old v1.Hash
	switch f := from.(type) {
	case v1.Descriptor:
		old = f.Digest
	case interface{ Digest() (v1.Hash, error) }:
		h, err := f.Digest()
		if err != nil {
			return fmt.Errorf("reading the source digest: %w", err)
		}
		old = h
	}
	d, err := partial.Descriptor(to)
	if err != nil {
		return fmt.Errorf("computing the image digest: %w", err)
	}
	a.stamped[old.String()] = v1.Descriptor{MediaType: d.MediaType, Digest: d.Digest, Size: d.Size}
	return nil
}

func platformMatches(p v1.Platform, spec string) bool {
	want, err := v1.ParsePlatform(spec)
	if err != nil {
		return false
	}
	return p.Satisfies(*want)
}

func imagePlatform(img v1.Image) (string, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return "", fmt.Errorf("reading image config: %w", err)
	}
	if p := cf.Platform(); p != nil && p.OS != "" {
		return p.String(), nil
	}
	return "", nil
}

// stampImage appends files as one layer, replaces the image's
// org.opencontainers.image.* labels with e.labels, and sets e's user and
// entrypoint.
func stampImage(img v1.Image, e edit, files []File) (v1.Image, error) {
	labels := e.labels
	if len(files) > 0 {
		mt, err := img.MediaType()
		if err != nil {
			return nil, fmt.Errorf("reading image: %w", err)
		}
		layer, err := filesLayer(files, labels.Created, mt == types.OCIManifestSchema1)
		if err != nil {
			return nil, err
		}
		if img, err = mutate.AppendLayers(img, layer); err != nil {
			return nil, fmt.Errorf("appending files: %w", err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading image config: %w", err)
	}
	cfg := *cf.Config.DeepCopy()
	merged := map[string]string{}
	for k, v := range cfg.Labels {
		if !strings.HasPrefix(k, LabelPrefix) {
			merged[k] = v
		}
	}
	for k, v := range labels.Map() {
		merged[k] = v
	}
	cfg.Labels = merged
	if e.user != "" {
		cfg.User = e.user
	}
	if len(e.entrypoint) > 0 {
		cfg.Entrypoint = slices.Clone(e.entrypoint)
		cfg.Cmd = nil
	}
	if img, err = mutate.Config(img, cfg); err != nil {
		return nil, fmt.Errorf("setting labels: %w", err)
	}
	if !labels.Created.IsZero() {
		if img, err = mutate.CreatedAt(img, v1.Time{Time: labels.Created.UTC()}); err != nil {
			return nil, fmt.Errorf("setting the created time: %w", err)
		}
	}
	return img, nil
}

// filesLayer builds a reproducible tar layer: root-owned entries with the
// files' permission bits, parent directories, and mtime.
func filesLayer(files []File, mtime time.Time, oci bool) (v1.Layer, error) {
	if mtime.IsZero() {
		mtime = time.Unix(0, 0)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	sorted := append([]File(nil), files...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Dst < sorted[j].Dst })
	for _, f := range sorted {
		data, err := os.ReadFile(f.Src)
		if err != nil {
			return nil, fmt.Errorf("reading file to append: %w", err)
		}
		fi, err := os.Stat(f.Src)
		if err != nil {
			return nil, fmt.Errorf("reading file to append: %w", err)
		}
		dst := strings.TrimPrefix(path.Clean(f.Dst), "/")
		var parents []string
		for d := path.Dir(dst); d != "." && d != "/"; d = path.Dir(d) {
			parents = append([]string{d}, parents...)
		}
		for _, d := range parents {
			if dirs[d] {
				continue
			}
			dirs[d] = true
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
				return nil, fmt.Errorf("writing layer: %w", err)
			}
		}
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: dst, Mode: int64(fi.Mode().Perm()), Size: int64(len(data)), ModTime: mtime, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("writing layer: %w", err)
		}
		if _, err := tw.Write(data); err != nil {
			return nil, fmt.Errorf("writing layer: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("writing layer: %w", err)
	}
	b := buf.Bytes()
	var lopts []tarball.LayerOption
	if oci {
		lopts = append(lopts, tarball.WithMediaType(types.OCILayer))
	}
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }, lopts...)
	if err != nil {
		return nil, fmt.Errorf("building layer: %w", err)
	}
	return l, nil
}
