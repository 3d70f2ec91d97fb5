package image

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// PushOptions are the inputs of Push.
type PushOptions struct {
	// From is the image to publish: a `docker save` tarball (a file), an
	// OCI layout (a directory) or an image reference (multi-platform
	// indexes stay indexes). With Files it is the base image.
	From string
	// Files are appended as one layer per platform image.
	Files []File
	// To is the repository to push to, REGISTRY/REPO (no tag).
	To string
	// Version is the release version, X.Y.Z[-pre]: the immutable tag.
	Version string
	// Labels is the provenance; Labels.Version is set to Version and
	// Labels.Title defaults to the last element of To.
	Labels Labels
	// Tags says which tags besides X.Y.Z are written.
	Tags TagPolicy
	// User, when set, is the user every image runs as (the config's
	// User: "65532:65532", "nonroot"); else the base image's stays.
	User string
	// Entrypoint, when set, replaces the entrypoint of every image and,
	// as a Dockerfile ENTRYPOINT does, clears the base image's Cmd.
	Entrypoint []string
	// DryRun plans the tags (reading the registry) without writing.
	DryRun bool
}

// Validate reports the first missing or malformed input.
func (o PushOptions) Validate() error {
	switch {
	case o.From == "":
		return errors.New("no source image: give a docker tarball, an OCI layout directory or an image reference")
	case o.To == "":
		return errors.New("no target repository: give REGISTRY/REPO")
	case strings.Contains(o.To, "@") || strings.Contains(path.Base(o.To), ":"):
		return fmt.Errorf("target %q must be a repository without tag or digest", o.To)
	case o.Version == "":
		return errors.New("no version to publish")
	}
	return nil
}

// TagChange is one tag written (or planned), with the digest it named
// before and after.
type TagChange struct {
	Tag    string  `json:"tag"`
	Kind   TagKind `json:"kind"`
	Reason string  `json:"reason,omitempty"`
	// Old is the digest the tag named before; "" when it did not exist.
	Old string `json:"old"`
	// New is the digest it names now (or would, in a dry run).
	New string `json:"new"`
	// Written says the tag was written; false in a dry run and when it
	// already named New.
	Written bool `json:"written"`
	// Restored says the tag was put back to Old after a later write failed.
	Restored bool `json:"restored,omitempty"`
}

// Moved says whether the tag names a different image than before.
func (c TagChange) Moved() bool { return c.Old != c.New }

// PushReport is what Push did or, in a dry run, would do.
type PushReport struct {
	// Repository is the target, normalised (index.docker.io/library/x).
	Repository string `json:"repository"`
	Version    string `json:"version"`
	// Digest and MediaType are those of the pushed manifest or index.
	Digest    string `json:"digest"`
	MediaType string `json:"media_type"`
	// Platforms are the platforms of the image ("linux/amd64").
	Platforms []string `json:"platforms"`
	// Labels are the org.opencontainers.image.* and extra labels set.
	Labels map[string]string `json:"labels"`
	// Tags are every tag in write order: immutable, then moving.
	Tags []TagChange `json:"tags"`
	// Skipped names the moving tags not written and why.
	Skipped []string `json:"skipped"`
	// Repaired are the moving tags rewritten after the fan-out because,
	// re-read, they did not name the highest release of their range: a
	// push of another version ran at the same time (see Push). Written is
	// false for a repair that failed.
	Repaired []TagChange `json:"repaired"`
	DryRun   bool        `json:"dry_run"`
	// Pushed says the manifest (or index) and its blobs are in the
	// registry: false in a dry run, and when the push was refused or
	// failed before or while uploading (no tag was written then).
	Pushed bool `json:"pushed"`
	// Uploaded is the number of blob bytes uploaded (0 when the registry
	// had them all).
	Uploaded int64 `json:"uploaded_bytes"`
	// Referrers are the digests of the source's referrers (manifests
	// whose OCI 1.1 subject is the image) pushed with it, their subject
	// pointed at the pushed image (see Push).
	Referrers []string `json:"referrers,omitempty"`
}

// TagWriteError is a tag write that failed after the image was pushed.
// The tags written before it in the same push were put back to their old
// digests (Restored); NotRestored lists those that could not be.
type TagWriteError struct {
	Tag         string
	Restored    []string
	NotRestored []string
	Err         error
}

func (e *TagWriteError) Error() string {
	msg := fmt.Sprintf("writing tag %q: %v", e.Tag, e.Err)
	if len(e.Restored) > 0 {
		msg += "; put back " + strings.Join(e.Restored, ", ")
	}
	if len(e.NotRestored) > 0 {
		msg += "; could NOT put back " + strings.Join(e.NotRestored, ", ")
	}
	return msg
}

func (e *TagWriteError) Unwrap() error { return e.Err }

// InputError is a push or rollback refused for its inputs (a missing or
// malformed source, target or version) before anything was sent.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ConflictError is an immutable tag (X.Y.Z) that already names another
// image. Nothing was written.
type ConflictError struct {
	// Tag is the immutable tag; Existing the digest it names; New the
	// digest of the image that was to be pushed.
	Tag, Existing, New string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("tag %q already names %s, not this image %s: version %s is published once and its tag never moves; release a new version instead", e.Tag, e.Existing, e.New, e.Tag)
}

// ConvergeError is a push whose tags, re-read after the fan-out, were
// changed by another push running at the same time and could not be put
// right: a moving tag left on a lower release because its repair failed,
// or the X.Y.Z tag naming another image (two pushes of one version). The
// image itself was pushed.
type ConvergeError struct {
	// Repository is the target; Tags the tags left wrong.
	Repository string
	Tags       []string
	// Details say, per tag, what it names and what it should name.
	Details []string
	Err     error
}

func (e *ConvergeError) Error() string {
	msg := fmt.Sprintf("a concurrent push to %s left tags %s wrong: %s", e.Repository, strings.Join(e.Tags, ", "), strings.Join(e.Details, "; "))
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg + "; pushing the highest version again puts its moving tags right; run pushes to one repository one at a time (a workflow concurrency group)"
}

func (e *ConvergeError) Unwrap() error { return e.Err }

// Push publishes opts.From as opts.Version in opts.To: it stamps the
// labels (and appends opts.Files), uploads blobs and the manifest by digest
// (only blobs the registry lacks; nothing when the X.Y.Z tag already names
// this image), then writes X.Y.Z and sha-<short>, then the moving tags
// that PlanTags allows. Independent reads of tags go out together. When a tag write fails, moving tags
// already moved by this push are put back to their old digests, and the
// error is a *TagWriteError; the report is returned with it. An X.Y.Z tag
// naming another image is a *ConflictError; a 401 or 403 an *AuthError; a
// missing source or file to append an *InputError.
//
// Concurrent pushes to one repository converge: registries have no
// compare-and-swap for tags, so two pushes (1.2.0 and 1.3.0) that list the
// tags before either writes both plan 1 and latest, and the lower one may
// write last. After the fan-out, Push re-reads the repository and points
// every moving tag it wrote at the highest release of that tag's range
// (the highest version wins, whichever push repairs it), and re-reads
// again until nothing needs repair (Repaired in the report). A repair that
// fails, or an X.Y.Z tag that another push of the same version overwrote,
// is a *ConvergeError, returned with the report. Moving tags this push did
// not plan (a rollback's, say) are never touched.
func Push(ctx context.Context, opts PushOptions, knobs ...Option) (*PushReport, error) {
	if err := opts.Validate(); err != nil {
		return nil, &InputError{Err: err}
	}
	files, err := checkFiles(opts.Files)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	opts.Files = files
	s := newSettings(knobs)
	repo, err := s.newRepository(opts.To)
	if err != nil {
		return nil, &InputError{Err: fmt.Errorf("target %q is not REGISTRY/REPO (the registry must be explicit: docker.io/%s): %w", opts.To, opts.To, err)}
	}
	reg := repo.RegistryStr()
	ropts, err := s.remoteOptions(ctx, nil, nil)
	if err != nil {
		return nil, err
	}
	puller, err := remote.NewPuller(ropts...)
	if err != nil {
		return nil, err
	}
	ropts = append(ropts, remote.Reuse(puller))

	src, err := load(opts.From, s, ropts)
	if err != nil {
		return nil, err
	}
	labels := opts.Labels
	labels.Version = opts.Version
	if labels.Title == "" {
		labels.Title = path.Base(repo.RepositoryStr())
	}
	art, platforms, err := stamp(src, edit{labels: labels, files: opts.Files, user: opts.User, entrypoint: opts.Entrypoint})
	if err != nil {
		return nil, err
	}
	dig, err := art.digest()
	if err != nil {
		return nil, fmt.Errorf("computing the image digest: %w", err)
	}
	mt, err := art.mediaType()
	if err != nil {
		return nil, fmt.Errorf("reading the image media type: %w", err)
	}
	rep := &PushReport{
		Repository: repo.Name(), Version: opts.Version, Digest: dig.String(), MediaType: string(mt),
		Platforms: platforms, Labels: labels.Map(), DryRun: opts.DryRun, Tags: []TagChange{}, Skipped: []string{},
		Repaired: []TagChange{},
	}

	existing, found, err := readPlan(ctx, puller, repo, opts, labels.Revision, s.jobs)
	if err != nil {
		return nil, err
	}
	planned, err := PlanTags(opts.Version, labels.Revision, existing, opts.Tags)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	rep.Skipped = skippedTags(opts.Version, planned, opts.Tags)
	for _, p := range planned {
		c := TagChange{Tag: p.Tag, Kind: p.Kind, Reason: p.Reason, New: dig.String()}
		if slices.Contains(existing, p.Tag) {
			r, ok := found[p.Tag]
			if !ok {
				r.desc, r.err = puller.Head(ctx, repo.Tag(p.Tag))
			}
			if r.err != nil && !isNotFound(r.err) {
				return nil, wrap(r.err, reg, "reading tag %q", p.Tag)
			}
			if r.err == nil {
				c.Old = r.desc.Digest.String()
			}
		}
		rep.Tags = append(rep.Tags, c)
		if p.Kind == Immutable && c.Old != "" && c.Old != c.New {
			// The report ends at the refused tag, so that it shows it.
			return rep, &ConflictError{Tag: p.Tag, Existing: c.Old, New: c.New}
		}
	}
	if opts.DryRun {
		return rep, nil
	}
	olds, err := readOlds(ctx, puller, repo, rep.Tags, s.jobs)
	if err != nil {
		return nil, err
	}
	if s.planned != nil {
		s.planned()
	}

	// Phase 1: blobs and manifest by digest; no tag names it yet.
	if !inRegistry(rep) {
		n, err := upload(ctx, s, repo, art, dig)
		rep.Uploaded = n
		if err != nil {
			return rep, wrap(err, reg, "pushing %s@%s", repo.Name(), dig)
		}
	}
	rep.Pushed = true
	if rep.Referrers, err = pushReferrers(art, repo, ropts); err != nil {
		return rep, wrap(err, reg, "pushing the referrers of %s@%s", repo.Name(), dig)
	}

	// Phase 2: immutable tags, then moving tags, each a manifest PUT.
	pusher, err := remote.NewPusher(ropts...)
	if err != nil {
		return rep, err
	}
	if err := writeTags(ctx, puller, pusher, repo, rep.Tags, art.taggable(), olds); err != nil {
		return rep, wrap(err, reg, "tagging %s@%s", repo.Name(), dig)
	}
	if err := converge(ctx, puller, pusher, repo, rep, s.jobs); err != nil {
		return rep, err
	}
	return rep, nil
}

// tagRead is the answer to a HEAD of a tag.
type tagRead struct {
	desc *v1.Descriptor
	err  error
}

// readPlan lists repo's tags and, at the same time, reads the digest of
// every tag that the push of opts could write (those PlanTags plans in an
// empty repository: the plan in any other holds no more), so that the
// plan costs one round trip rather than two. Only the reads of listed tags
// are used, as if they had been made after the list.
func readPlan(ctx context.Context, puller *remote.Puller, repo name.Repository, opts PushOptions, revision string, jobs int) ([]string, map[string]tagRead, error) {
	var candidates []string
	if all, err := PlanTags(opts.Version, revision, nil, opts.Tags); err == nil {
		for _, p := range all {
			candidates = append(candidates, p.Tag)
		}
	}
	var existing []string
	var listErr error
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		existing, listErr = listTags(ctx, puller, repo)
	}()
	descs, errs := readAll(candidates, jobs, func(tag string) (*v1.Descriptor, error) {
		return puller.Head(ctx, repo.Tag(tag))
	})
	<-listed
	if listErr != nil {
		return nil, nil, listErr
	}
	found := map[string]tagRead{}
	for i, tag := range candidates {
		found[tag] = tagRead{desc: descs[i], err: errs[i]}
	}
	return existing, found, nil
}

// readOlds reads, by digest, the manifest each moving tag of changes that
// moves names now: what writeTags puts back if a later tag write fails.
func readOlds(ctx context.Context, puller *remote.Puller, repo name.Repository, changes []TagChange, jobs int) (map[string]*remote.Descriptor, error) {
	var tags, digests []string
	for _, c := range changes {
		if c.Kind == Moving && c.Old != "" && c.Moved() {
			tags, digests = append(tags, c.Tag), append(digests, c.Old)
		}
	}
	descs, errs := readAll(digests, jobs, func(d string) (*remote.Descriptor, error) {
		return puller.Get(ctx, repo.Digest(d))
	})
	olds := map[string]*remote.Descriptor{}
	for i, tag := range tags {
		if errs[i] != nil {
			return nil, wrap(errs[i], repo.RegistryStr(), "reading tag %q (%s) to put it back if a later tag write fails", tag, digests[i])
		}
		olds[tag] = descs[i]
	}
	return olds, nil
}

// inRegistry says whether rep's X.Y.Z tag already names rep's image (an
// unchanged re-push): then the manifest and its blobs are in the registry,
// and uploading is skipped. remote.Push would find as much and stop
// there, after a round trip to log in for writing and one to ask for the
// manifest by digest; the tag was read while planning, and it names the
// manifest by its digest, so nothing is trusted that remote.Push would
// have checked. (The moving tags are still planned, written and re-read
// as in any push, and referrers still pushed.)
func inRegistry(rep *PushReport) bool {
	for _, c := range rep.Tags {
		if c.Kind == Immutable {
			return c.Old == rep.Digest
		}
	}
	return false
}

// upload pushes art's blobs (those the registry lacks) and its manifest by
// digest dig, reporting progress to s.progress, and returns the blob bytes
// sent.
func upload(ctx context.Context, s *settings, repo name.Repository, art artifact, dig v1.Hash) (int64, error) {
	var uploaded atomic.Int64
	var progress chan v1.Update
	done := make(chan struct{})
	if s.progress != nil {
		progress = make(chan v1.Update, 64)
	}
	popts, err := s.remoteOptions(ctx, progress, &uploaded)
	if err != nil {
		return 0, err
	}
	go func() {
		defer close(done)
		if progress == nil {
			return
		}
		for u := range progress { // remote.Push closes it
			if u.Error == nil && u.Total > 0 {
				s.progress(Progress{Complete: u.Complete, Total: u.Total})
			}
		}
	}()
	err = remote.Push(repo.Digest(dig.String()), art.taggable(), popts...)
	<-done
	return uploaded.Load(), err
}

// pushReferrers pushes, by digest, each referrer of the source whose
// subject Push stamped, with the subject pointed at the stamped image or
// index (registries without the referrers API get go-containerregistry's
// fallback tag, sha256-<digest>). A referrer's own content is unchanged:
// an SBOM or a provenance still describes the same files, but a
// signature made over the source digest does not verify the stamped one.
func pushReferrers(art artifact, repo name.Repository, ropts []remote.Option) ([]string, error) {
	var out []string
	for _, r := range art.referrers {
		to, ok := art.stamped[r.subject]
		if !ok {
			continue // it refers to something this push does not hold
		}
		m := mutate.Subject(r.add, to)
		var err error
		var d v1.Hash
		switch m := m.(type) {
		case v1.Image:
			if d, err = m.Digest(); err == nil {
				err = remote.Write(repo.Digest(d.String()), m, ropts...)
			}
		case v1.ImageIndex:
			if d, err = m.Digest(); err == nil {
				err = remote.WriteIndex(repo.Digest(d.String()), m, ropts...)
			}
		default:
			err = fmt.Errorf("referrer of %s is neither an image nor an index", r.subject)
		}
		if err != nil {
			return out, err
		}
		out = append(out, d.String())
	}
	return out, nil
}

// convergeRounds bounds the re-reads after a fan-out. Each round that
// repairs is followed by another read; a read that finds nothing to repair
// ends it. Pushes running at once agree on the target of every tag (the
// highest release they can see), so rounds run out only if versions keep
// landing all along.
const convergeRounds = 5

// converge re-reads repo after rep's fan-out and points each moving tag
// rep planned at the highest release of its range, by the digest its
// X.Y.Z tag names. It also checks that rep's own X.Y.Z tag still names
// rep's image. See Push.
func converge(ctx context.Context, puller *remote.Puller, pusher *remote.Pusher, repo name.Repository, rep *PushReport, jobs int) error {
	reg := repo.RegistryStr()
	var moving []string
	for _, c := range rep.Tags {
		if c.Kind == Moving {
			moving = append(moving, c.Tag)
		}
	}
	// The first round's reads are made at once, each a round trip: the
	// X.Y.Z tag, the tag list and the moving tags. Only when a higher
	// release than ours exists does the release a moving tag should name
	// take another.
	var tags []string
	var listErr error
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		if len(moving) > 0 {
			tags, listErr = listTags(ctx, puller, repo)
		}
	}()
	head := func(tag string) (*v1.Descriptor, error) { return puller.Head(ctx, repo.Tag(tag)) }
	first, firstErrs := readAll(append([]string{rep.Version}, moving...), jobs, head)
	<-listed
	d, err := first[0], firstErrs[0]
	if err != nil {
		return wrap(err, reg, "re-reading tag %q after the fan-out", rep.Version)
	}
	if d.Digest.String() != rep.Digest {
		return &ConvergeError{Repository: repo.Name(), Tags: []string{rep.Version}, Details: []string{
			fmt.Sprintf("%s names %s, not this push's image %s: another push of version %s wrote it", rep.Version, d.Digest, rep.Digest, rep.Version),
		}}
	}
	if len(moving) == 0 {
		return nil
	}
	ours, err := semver.StrictNewVersion(rep.Version)
	if err != nil {
		return err // Push planned with it: cannot happen
	}
	for round := 1; ; round++ {
		if round > 1 {
			tags, listErr = listTags(ctx, puller, repo)
		}
		if listErr != nil {
			return fmt.Errorf("re-reading the tags after the fan-out: %w", listErr)
		}
		versions := VersionTags(tags)
		type fix struct {
			tag, old, want string
			to             *remote.Descriptor
		}
		var fixes []fix
		// The release each moving tag should name, and in later rounds the
		// moving tags again, read at once; in the first round, the X.Y.Z
		// tag and the moving tags were read above.
		wants := map[string]string{} // moving tag → the version tag it should name
		heads := map[string]string{} // version tag → the digest it names
		var reads []string
		for _, tag := range moving {
			want := highestIn(tag, ours, versions)
			wants[tag] = want
			if round == 1 && want == rep.Version {
				heads[want] = d.Digest.String()
			} else if !slices.Contains(reads, want) {
				reads = append(reads, want)
			}
		}
		nwant := len(reads)
		curs, curErrs := first[1:], firstErrs[1:]
		if round > 1 {
			reads = append(reads, moving...)
		}
		descs, errs := readAll(reads, jobs, head)
		for i, want := range reads[:nwant] {
			if errs[i] != nil {
				return wrap(errs[i], reg, "re-reading tag %q after the fan-out", want)
			}
			heads[want] = descs[i].Digest.String()
		}
		if round > 1 {
			curs, curErrs = descs[nwant:], errs[nwant:]
		}
		for i, tag := range moving {
			want := wants[tag]
			cur, err := curs[i], curErrs[i]
			if err != nil && !isNotFound(err) {
				return wrap(err, reg, "re-reading tag %q after the fan-out", tag)
			}
			if err == nil && cur.Digest.String() == heads[want] {
				continue
			}
			old := ""
			if err == nil {
				old = cur.Digest.String()
			}
			// The manifest itself, to write under the moving tag.
			to, err := puller.Get(ctx, repo.Tag(want))
			if err != nil {
				return wrap(err, reg, "reading tag %q to repair %q", want, tag)
			}
			fixes = append(fixes, fix{tag: tag, old: old, want: want, to: to})
		}
		if len(fixes) == 0 {
			return nil
		}
		ce := &ConvergeError{Repository: repo.Name()}
		for _, f := range fixes {
			c := TagChange{Tag: f.tag, Kind: Moving, Reason: "the highest release of its range is " + f.want, Old: f.old, New: f.to.Digest.String()}
			detail := fmt.Sprintf("%q names %s, not the highest release %s (%s)", f.tag, orNone(f.old), f.want, f.to.Digest)
			if round == convergeRounds {
				ce.Tags, ce.Details = append(ce.Tags, f.tag), append(ce.Details, detail)
				continue
			}
			if err := pusher.Put(ctx, repo.Tag(f.tag), f.to); err != nil {
				ce.Tags, ce.Details = append(ce.Tags, f.tag), append(ce.Details, detail)
				ce.Err = wrap(err, reg, "writing tag %q", f.tag)
			} else {
				c.Written = true
			}
			rep.Repaired = append(rep.Repaired, c)
		}
		switch {
		case round == convergeRounds:
			ce.Err = fmt.Errorf("still changing after %d re-reads", convergeRounds)
			return ce
		case len(ce.Tags) > 0:
			return ce
		}
	}
}

// readAll calls read for each key, at most jobs at a time, and returns
// the results and errors in the keys' order. Push's reads of tags are
// independent and each is a round trip to the registry; made one after
// the other they cost more than the rest of an unchanged re-push.
func readAll[T any](keys []string, jobs int, read func(string) (T, error)) ([]T, []error) {
	out := make([]T, len(keys))
	errs := make([]error, len(keys))
	if jobs < 1 {
		jobs = 1
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = read(k)
		}()
	}
	wg.Wait()
	return out, errs
}

// highestIn is the highest stable release, among versions (which hold
// ours), in the range of the moving tag: X.Y, X or latest.
func highestIn(tag string, ours *semver.Version, versions []Version) string {
	for _, v := range versions { // highest first
		if v.Version.Prerelease() != "" {
			continue
		}
		switch tag {
		case "latest":
		case fmt.Sprint(ours.Major()):
			if v.Version.Major() != ours.Major() {
				continue
			}
		default: // X.Y
			if v.Version.Major() != ours.Major() || v.Version.Minor() != ours.Minor() {
				continue
			}
		}
		return v.Tag
	}
	return ours.String()
}

func orNone(digest string) string {
	if digest == "" {
		return "nothing"
	}
	return digest
}

// writeTags points every change whose Old differs from New at t, in
// order. On a failure it puts the tags already written back to their old
// descriptors and returns a *TagWriteError.
func writeTags(ctx context.Context, puller *remote.Puller, pusher *remote.Pusher, repo name.Repository, changes []TagChange, t remote.Taggable, olds map[string]*remote.Descriptor) error {
	for i := range changes {
		c := &changes[i]
		if !c.Moved() {
			continue
		}
		err := pusher.Put(ctx, repo.Tag(c.Tag), t)
		if err == nil {
			c.Written = true
			continue
		}
		te := &TagWriteError{Tag: c.Tag, Err: err}
		// X.Y.Z and sha-<short> name the new release correctly and stay;
		// moving tags go back, the failed one too (its write may have
		// landed with the response lost).
		for j := 0; j <= i; j++ {
			r := &changes[j]
			if r.Kind == Immutable || r.Kind == Commit || !r.Moved() || (!r.Written && j != i) {
				continue
			}
			old, ok := olds[r.Tag]
			if !ok {
				if j != i {
					te.NotRestored = append(te.NotRestored, r.Tag+" (did not exist before; registries cannot untag)")
				}
				continue
			}
			if j == i {
				if d, err := puller.Head(ctx, repo.Tag(r.Tag)); err == nil && d.Digest.String() == r.Old {
					continue // the failed write did not land
				}
			}
			if err := pusher.Put(ctx, repo.Tag(r.Tag), old); err != nil {
				te.NotRestored = append(te.NotRestored, fmt.Sprintf("%s (%v)", r.Tag, err))
				continue
			}
			r.Restored = true
			r.Written = false
			te.Restored = append(te.Restored, r.Tag+" → "+r.Old)
		}
		return te
	}
	return nil
}

// skippedTags says which moving tags PlanTags left out and why.
func skippedTags(version string, planned []PlannedTag, p TagPolicy) []string {
	has := map[string]bool{}
	for _, t := range planned {
		has[t.Tag] = true
	}
	v := VersionTags([]string{version})
	if len(v) == 0 {
		return nil
	}
	ver := v[0].Version
	out := []string{}
	for _, t := range []struct {
		tag string
		off bool
	}{
		{fmt.Sprintf("%d.%d", ver.Major(), ver.Minor()), p.NoMoving},
		{fmt.Sprint(ver.Major()), p.NoMoving},
		{"latest", p.NoLatest},
	} {
		switch {
		case has[t.tag]:
		case ver.Prerelease() != "":
			out = append(out, t.tag+": a prerelease moves no tag")
		case t.off:
			out = append(out, t.tag+": turned off")
		default:
			out = append(out, t.tag+": a higher release exists")
		}
	}
	return out
}

// listTags lists a repository's tags; a repository that does not exist
// yet has none.
func listTags(ctx context.Context, puller *remote.Puller, repo name.Repository) ([]string, error) {
	tags, err := puller.List(ctx, repo)
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, wrap(err, repo.RegistryStr(), "listing tags of %s", repo.Name())
	}
	return tags, nil
}
