package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/image"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// imageFlags are the flags every image subcommand reads itself; the
// registry access flags (registerAccess) are read by name by
// release.ResolveImageAccess.
type imageFlags struct {
	format        string
	passwordStdin bool
}

// registerAccess registers the registry access flags every image
// subcommand shares (see release.ImageAccess).
func (f *imageFlags) registerAccess(fl *pflag.FlagSet) {
	fl.String("username", "", "registry user `NAME` (with --password or --password-stdin; default: docker config, GITHUB_TOKEN for ghcr.io)")
	fl.String("password", "", "registry `PASSWORD` or token (prefer --password-stdin)")
	fl.BoolVar(&f.passwordStdin, "password-stdin", false, "read the registry password from standard input")
	fl.Bool("insecure", false, "allow plain HTTP and unverified TLS, credentials included (default: only loopback, and registries in image.insecure-registries that no credentials go to)")
	fl.String("ca-file", "", "trust the CA certificates in PEM `FILE` (default: image.ca-file, else the system pool)")
}

// register registers --format (text or json) and the access flags.
func (f *imageFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output `FORMAT`: text or json")
	f.registerAccess(fl)
}

func newImageCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "image",
		Short: "Push versioned container images, fan out tags, roll back, watch health",
		Long: `Publish container images to any OCI registry without a Docker daemon.

  push      push a docker tarball, OCI layout or image reference as a version
  build     append files (binaries) as layers onto a base image and push
  rollback  point latest, X and X.Y back at an earlier release, by digest
  watch     poll a health URL and roll back after N failures in a row
  promote   point an environment tag (prod, staging) at a released version

Tags: X.Y.Z and sha-<short> always; X.Y, X and latest only for a stable
version that is the highest of its range in the repository (a backport
1.2.4 moves 1.2 but not 1 or latest; a prerelease moves nothing). X.Y.Z
never moves; sha-<short> names the newest image of its commit, so pushing
1.2.4 from the commit of 1.2.4-rc.1 moves it.

Plain HTTP only for loopback registries (localhost, 127.0.0.1, ::1);
any other needs --insecure or image.insecure-registries. The config file
belongs to the repository, so its list applies only to registries that
shipflow has no credentials for: a registry with a password, a docker
config login or (ghcr.io) GITHUB_TOKEN stays on verified HTTPS unless
--insecure is given.

Credentials: --username with --password-stdin, GITHUB_TOKEN for ghcr.io
(the job needs permissions: packages: write), else the docker config and
its credential helpers.

Exit status: 0 ok, 1 the version is already published with another image,
there is nothing to roll back to, or watch rolled back an unhealthy
release, 2 usage or configuration error (a missing source or file, a
version the repository does not have, a bad health URL), 3 registry,
network, git or I/O failure.`,
	}
	cmd.AddCommand(newImagePushCmd(e, false), newImagePushCmd(e, true), newImageRollbackCmd(e), newImageWatchCmd(e), newImagePromoteCmd(e))
	return cmd
}

// imagePushFlags are the flags `image push` and `image build` read
// themselves; the others are read by name by release.ResolveImagePush.
type imagePushFlags struct {
	imageFlags
}

func newImagePushCmd(e *env, build bool) *cobra.Command {
	var f imagePushFlags
	cmd := &cobra.Command{
		Use:   "push",
		Short: "Push an image as a version and move its tags",
		Long: `Push an image (a docker save tarball, an OCI layout directory or an image
reference; multi-platform indexes stay indexes) to --repository as
--image-version.

Blobs and the manifest go first, by digest (only blobs the registry lacks
are uploaded); then X.Y.Z (immutable: a push that would move it is
refused) and sha-<short> (the newest image of the commit); then the
moving tags. If a tag write fails, the moving tags already moved are put
back.

Concurrent pushes: the registry cannot update a tag only if it is
unchanged, so after the moving tags are written they are read back, and
any that does not name the highest release of its range (a push of a
higher version ran at the same time) is pointed at it; whichever push
does it, the highest version wins. If that repair fails, the push exits 3
naming the tags. Run pushes to one repository one at a time all the same
(a workflow concurrency group with cancel-in-progress: false), so that
no tag ever names a lower release, even briefly.

Every org.opencontainers.image.* label is set from git (version, revision,
source, created = commit time, title, licenses); none leaks from the base.

--source is a file or directory when it exists or looks like a path
(starts with /, ./ or ../, or ends in .tar, .tar.gz or .tgz); else an
image reference.

The version defaults to the version tag on HEAD, else the one 'shipflow
next' computes (for --branch, or the branch a CI checkout stands for).

The github format (the default in GitHub Actions) writes a refused push
and the warnings (the plan's, tags put right after a concurrent push) as
workflow annotations, the same lines the image action writes, and then
the text report.

The flags are the image action's inputs, by name.`,
		Example: `  shipflow image push --source app.tar --repository ghcr.io/acme/app
  shipflow image push --source oci-dir --repository registry.example/app --image-version 1.2.3 --dry-run --format json
  shipflow image push --source ghcr.io/acme/app@sha256:... --repository registry.example/app --image-version 1.2.3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runImagePush(e, cmd, f, build) },
	}
	fl := cmd.Flags()
	if build {
		cmd.Use = "build"
		cmd.Short = "Append files as layers onto a base image and push it as a version"
		cmd.Long = `Append files (binaries) as one layer per platform onto --source (the base
image), ko and crane append style, then push like 'shipflow image push'. A
file for one platform of a multi-platform base is given as
PLATFORM=SRC:DST. --user and --entrypoint (one argument per
--entrypoint) replace the base's; an entrypoint clears its Cmd, as a
Dockerfile ENTRYPOINT does.`
		cmd.Example = `  shipflow image build --source cgr.dev/chainguard/static --files linux/amd64=dist/app-amd64:/app --files linux/arm64=dist/app-arm64:/app --repository ghcr.io/acme/app
  shipflow image build --source cgr.dev/chainguard/git --files linux/amd64=dist/app-amd64:/usr/local/bin/app --files linux/arm64=dist/app-arm64:/usr/local/bin/app --user 65532:65532 --entrypoint /usr/local/bin/app --repository ghcr.io/acme/app`
		fl.String("source", "", "base image: `REF`erence, docker tarball or OCI layout")
	} else {
		fl.String("source", "", "image to push: docker tarball `FILE`, OCI layout directory or image reference")
	}
	fl.StringArray("files", nil, "append `[PLATFORM=]SRC:DST` as a layer (repeatable)")
	fl.String("repository", "", "target `REGISTRY/REPO` (default: image.repository)")
	fl.String("image-version", "", "version `X.Y.Z` (default: the version tag on HEAD, else the next version)")
	fl.StringArray("labels", nil, "extra label `KEY=VALUE` (repeatable)")
	fl.String("user", "", "`USER[:GROUP]` the image runs as, e.g. 65532:65532 (default: the base's)")
	fl.StringArray("entrypoint", nil, "entrypoint `ARG`, one argument each, repeatable; clears the base's Cmd (default: the base's)")
	fl.Bool("dry-run", false, "print the tag plan (old digest → new digest) without writing")
	fl.Bool("no-moving-tags", false, "do not write X.Y and X (default: image.moving-tags)")
	fl.Bool("no-latest", false, "do not write latest (default: image.latest)")
	fl.Bool("no-sha-tag", false, "do not write sha-<short> (default: image.sha-tag)")
	fl.String("tag-prefix", "", "git tag `PREFIX` of versions (none for bare versions; default from .shipflow.yaml, else v)")
	fl.String("branch", "", "plan the version for `BRANCH` when none is given and no version tag names HEAD (default: the current branch)")
	addFormatFlag(fl, &f.format, "text, json or github (workflow annotations, then the text report)")
	f.registerAccess(fl)
	fl.SetNormalizeFunc(imagePushAliases)
	return cmd
}

// imagePushAliases maps the older flag spellings of push and build to the
// names the image action's inputs have (its `version` input is the
// shipflow release to install, hence image-version).
func imagePushAliases(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	switch name {
	case "from", "base":
		name = "source"
	case "to":
		name = "repository"
	case "version":
		name = "image-version"
	case "file":
		name = "files"
	case "label":
		name = "labels"
	}
	return pflag.NormalizedName(name)
}

// imageSetup reads the repository (nil outside one) and its configuration.
func imageSetup(e *env) (*git.Repo, *config.Config, error) {
	repo, err := git.Open(e.ctx, e.dir)
	if err != nil {
		var nr *git.NotRepoError
		if errors.As(err, &nr) {
			return nil, &config.Config{}, nil
		}
		return nil, nil, failure(err)
	}
	sf, _, err := config.Load(repo.Dir())
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	return repo, sf, nil
}

// imageInputs are the verb's flags as release.Inputs, with the password
// read from standard input under --password-stdin.
func imageInputs(e *env, cmd *cobra.Command, f imageFlags) (release.Inputs, error) {
	in := flagInputs{cmd.Flags()}
	if !f.passwordStdin {
		return in, nil
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, 1<<16))
	if err != nil {
		return nil, failure(fmt.Errorf("reading the password from standard input: %w", err))
	}
	return stdinPassword{in, strings.TrimRight(string(b), "\r\n")}, nil
}

// stdinPassword is Inputs whose password was read from standard input.
type stdinPassword struct {
	release.Inputs
	password string
}

func (s stdinPassword) Lookup(name string) (string, bool) {
	if name == "password" {
		return s.password, s.password != ""
	}
	return s.Inputs.Lookup(name)
}

// imageOpKnobs are the registry options of rollback and watch for
// repository: the access the resolver read from the flags
// (release.ResolveImageAccess), the configuration, GITHUB_TOKEN for
// ghcr.io.
func imageOpKnobs(e *env, access release.ImageAccess, cfg config.Image, repository string) ([]image.Option, error) {
	access.Token = e.getenv("GITHUB_TOKEN")
	knobs, err := access.Knobs(cfg, e.dir, repository)
	if err != nil {
		return nil, err
	}
	return append(knobs, image.WithUserAgent("shipflow/"+version)), nil
}

func imageCheckFormat(format string) error {
	if format != "text" && format != "json" {
		return usageErr("unknown --format %q: use text or json", format)
	}
	return nil
}

func runImagePush(e *env, cmd *cobra.Command, f imagePushFlags, build bool) error {
	if !slices.Contains([]string{"text", "json", "github"}, f.format) {
		return usageErr("unknown --format %q: use text, json or github", f.format)
	}
	repo, sf, err := imageSetup(e)
	if err != nil {
		return err
	}
	ci, err := e.ci()
	if err != nil {
		return err
	}
	in, err := imageInputs(e, cmd, f.imageFlags)
	if err != nil {
		return err
	}
	opts, err := release.ResolveImagePush(in, sf, ci)
	if err != nil {
		return err
	}
	if build && len(opts.Push.Files) == 0 {
		return usageErr("build needs at least one --files [PLATFORM=]SRC:DST")
	}
	opts.Dir = e.dir
	opts.Access.Token = e.getenv("GITHUB_TOKEN")
	knobs := []image.Option{image.WithUserAgent("shipflow/" + version)}
	progress := isTerminal(e.stderr) && !opts.Push.DryRun
	if progress {
		knobs = append(knobs, image.WithProgress(func(p image.Progress) {
			_ = release.WriteImagePushProgress(e.stderr, p)
		}))
	}
	rep, err := release.ImagePush(e.ctx, repo, opts, knobs...)
	if progress {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if f.format == "github" {
		if werr := writeAnnotations(e.stdout, release.ImagePushFindings(rep, err)); werr != nil {
			return failure(fmt.Errorf("writing the annotations: %w", werr))
		}
	}
	if rep == nil {
		return err
	}
	write := rep.WriteText
	if f.format == "json" {
		write = rep.WriteJSON
	}
	// A failed push writes what reached the registry; then the failure is
	// the verdict, not a write error.
	if werr := write(e.stdout, err); werr != nil && err == nil {
		return failure(fmt.Errorf("writing the report: %w", werr))
	}
	return err
}

// imageRollbackFlags are the flags `image rollback` reads itself; repo,
// to, undo, record and the access flags are read by name by
// release.ResolveImageRollback, as the image-rollback action's inputs.
type imageRollbackFlags struct {
	imageFlags
}

func newImageRollbackCmd(e *env) *cobra.Command {
	var f imageRollbackFlags
	cmd := &cobra.Command{
		Use:   "rollback",
		Short: "Point the moving tags of the bad release back at an earlier one",
		Long: `Point the moving tags that name the bad release (the image latest names)
back at --to, by digest: nothing is uploaded and X.Y.Z tags are untouched.
Only tags whose range holds the target move: latest; X when the target is
X.*; X.Y when it is X.Y.*. The default target is the highest stable
version below the bad one.

What moved is written to --record, so that 'rollback --undo' can put it
back (rolling forward with 'rollback --to' works too).

After the tags moved, image.on-rollback (or --on-rollback) runs in the
work tree so that the running service switches: a command name or a path
inside the work tree, then arguments that are templates over {{.Version}}
{{.Tag}} {{.Digest}} {{.Previous}} {{.Repository}} {{.Env}}; no shell
reads it. If it fails, the exit status is 3 and the tags stay moved.

--dry-run shows what would move (tags, from digest, to digest) and the
command that would run, and moves nothing.`,
		Example: `  shipflow image rollback --repo ghcr.io/acme/app
  shipflow image rollback --repo ghcr.io/acme/app --to 1.2.4
  shipflow image rollback --dry-run
  shipflow image rollback --on-rollback './rollback.sh {{.Version}} {{.Digest}}'
  shipflow image rollback --undo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runImageRollback(e, cmd, f) },
	}
	fl := cmd.Flags()
	fl.String("repo", "", "`REGISTRY/REPO` (default: image.repository)")
	fl.String("to", "", "version `X.Y.Z` to go back to (default: the highest stable version below the bad one)")
	fl.String("record", release.DefaultImageRecord, "rollback record `FILE` written after a rollback and read by --undo")
	fl.Bool("undo", false, "undo the rollback in --record")
	fl.Bool("dry-run", false, "show what would move and the command that would run; move nothing")
	fl.String("on-rollback", "", "`COMMAND` to run after the tags moved, split at spaces, no shell; none runs nothing (default: image.on-rollback)")
	f.register(cmd)
	return cmd
}

func runImageRollback(e *env, cmd *cobra.Command, f imageRollbackFlags) error {
	if err := imageCheckFormat(f.format); err != nil {
		return err
	}
	_, sf, err := imageSetup(e)
	if err != nil {
		return err
	}
	in, err := imageInputs(e, cmd, f.imageFlags)
	if err != nil {
		return err
	}
	ci, err := e.ci()
	if err != nil {
		return err
	}
	opts, err := release.ResolveImageRollback(in, sf, ci)
	if err != nil {
		return err
	}
	rec := newImageRecord(e, opts.Record)
	record := rec.String()
	var rep *image.RollbackReport
	if opts.Undo {
		// err is the function's: the undo's error must outlive this block.
		rb, rerr := rec.readRollback()
		if rerr != nil {
			return usageErr("%v", rerr)
		}
		knobs, kerr := imageOpKnobs(e, opts.Access, sf.Image, rb.Repository)
		if kerr != nil {
			return kerr
		}
		rep, err = image.Undo(e.ctx, rb, knobs...)
	} else {
		knobs, kerr := imageOpKnobs(e, opts.Access, sf.Image, opts.Rollback.Repository)
		if kerr != nil {
			return kerr
		}
		rep, err = image.Rollback(e.ctx, opts.Rollback, knobs...)
	}
	if rep == nil {
		return err
	}
	if opts.Rollback.DryRun && !opts.Undo {
		return imageWriteDryRun(e, f.format, rep, opts.OnRollback)
	}
	// A rollback that moved tags is always reported, even when its record
	// cannot be written or a later tag write failed (then the report says
	// which tags moved and which were put back).
	recErr := rec.writeRollback(rep)
	var werr error
	if f.format == "json" {
		werr = release.WriteImageRollbackJSON(e.stdout, rep)
	} else {
		werr = release.WriteImageRollbackText(e.stdout, rep, record, err, recErr)
	}
	if werr != nil && err == nil && recErr == nil {
		return failure(fmt.Errorf("writing the report: %w", werr))
	}
	if err != nil {
		return err
	}
	if !opts.Undo {
		if _, cerr := imageRunCommand(e, f.format, opts.OnRollback, rep, record); cerr != nil {
			return cerr
		}
	}
	if recErr != nil {
		return failure(recErr)
	}
	return nil
}

// imageWriteDryRun prints a rollback dry run: the JSON report (tags not
// written) or the plan with the command that would run.
func imageWriteDryRun(e *env, format string, rep *image.RollbackReport, cmd release.ImageCommand) error {
	var werr error
	if format == "json" {
		werr = release.WriteImageRollbackJSON(e.stdout, rep)
	} else {
		_, cerr := cmd.Render(release.ImageCommandDataOf(rep))
		if cmd.Empty() {
			cerr = nil
		}
		werr = release.WriteImageRollbackPlanText(e.stdout, rep, cmd, cerr)
	}
	if werr != nil {
		return failure(fmt.Errorf("writing the report: %w", werr))
	}
	return nil
}

// imageRunCommand runs the on-rollback or on-promote command after rep
// moved tags, in the work tree, its output passed through (to stderr
// under --format json, so that stdout stays one document). Nothing runs
// when no tag moved or none is configured. A failure is exit 3, saying
// that the tags have moved and how to put them back.
func imageRunCommand(e *env, format string, cmd release.ImageCommand, rep *image.RollbackReport, record string) (*release.ImageCommandRun, error) {
	if cmd.Empty() || !release.ImageRollbackMoved(rep) {
		return nil, nil
	}
	out := e.stdout
	if format == "json" {
		out = e.stderr
	}
	r := release.ImageCommandRunner{Dir: e.dir, Stdout: out, Stderr: e.stderr}
	run, err := r.Run(e.ctx, cmd, release.ImageCommandDataOf(rep))
	if err != nil {
		return run, failure(release.ImageCommandMovedError(err, rep, record))
	}
	return run, nil
}

// imageWatchFlags are the flags `image watch` reads itself; the others
// are read by name by release.ResolveImageWatch, as the image-watch
// action's inputs.
type imageWatchFlags struct {
	imageFlags
}

func newImageWatchCmd(e *env) *cobra.Command {
	var f imageWatchFlags
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Poll a health URL and roll back after N failures in a row",
		Long: `Poll --health every --interval (200 is healthy; any other status, a
timeout or a connection error is not). After --failures unhealthy checks
in a row, roll back once (see 'shipflow image rollback') and stop. Stops
by itself, healthy, after --max-duration.

Redirects are followed only within the URL's scheme, host and port: a
redirect elsewhere (a login or maintenance page) is a failed check,
whatever that page answers.

Before the first check, --health must be an absolute http(s) URL and the
rollback target is resolved (the highest stable version below the one
latest names), so a watch that could not roll back never starts.

After a rollback, image.on-rollback (or --on-rollback) runs as in 'shipflow
image rollback', and the incident record (time, image, versions and
digests, the failed checks, the action taken, the command's result) is
written as JSON to --incident and printed. With GITHUB_TOKEN (or
GH_TOKEN) and GITHUB_REPOSITORY, an issue "Incident: rollback of REPO
from X to Y" labelled incident is opened from it; a token that may not
open issues is a warning.

Exit status: 0 healthy to the end, 1 unhealthy and rolled back (so that a
pipeline notices) or nothing to roll back to, 2 usage (a bad --health
URL), 3 the rollback, the on-rollback command or the registry failed, or
the watch was stopped.`,
		Example: `  shipflow image watch --health https://app.example/healthz --failures 3 --interval 10s --repo ghcr.io/acme/app`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runImageWatch(e, cmd, f) },
	}
	fl := cmd.Flags()
	fl.String("repo", "", "`REGISTRY/REPO` to roll back (default: image.repository)")
	fl.String("health", "", "health `URL` (default: image.watch.health)")
	fl.Int("failures", release.DefaultWatchFailures, "failed checks in a row that trigger the rollback; image.watch.failures when not given")
	fl.Duration("interval", release.DefaultWatchInterval, "time between checks; image.watch.interval when not given")
	fl.Duration("timeout", 0, "time limit of one check (default: image.watch.timeout, else the interval, at most 10s)")
	fl.Duration("max-duration", release.DefaultWatchMaxDuration, "stop watching after this; image.watch.max-duration when not given")
	fl.String("record", release.DefaultImageRecord, "rollback record `FILE` written if it rolls back")
	fl.String("incident", release.DefaultIncidentRecord, "incident record `FILE` (JSON) written if it rolls back")
	fl.String("on-rollback", "", "`COMMAND` to run after a rollback moved the tags, split at spaces, no shell; none runs nothing (default: image.on-rollback)")
	f.register(cmd)
	return cmd
}

func runImageWatch(e *env, cmd *cobra.Command, f imageWatchFlags) error {
	if err := imageCheckFormat(f.format); err != nil {
		return err
	}
	grepo, sf, err := imageSetup(e)
	if err != nil {
		return err
	}
	in, err := imageInputs(e, cmd, f.imageFlags)
	if err != nil {
		return err
	}
	ci, err := e.ci()
	if err != nil {
		return err
	}
	wo, err := release.ResolveImageWatch(in, sf, ci)
	if err != nil {
		return err
	}
	opts := wo.Watch
	knobs, err := imageOpKnobs(e, wo.Access, sf.Image, opts.Rollback.Repository)
	if err != nil {
		return err
	}
	rep, err := image.Watch(e.ctx, opts, knobs...)
	if rep == nil {
		return err
	}
	rec := newImageRecord(e, wo.Record)
	record := rec.String()
	var recErr error
	if rep.Rollback != nil {
		recErr = rec.writeRollback(rep.Rollback)
	}
	var werr error
	if f.format == "json" {
		werr = release.WriteImageWatchJSON(e.stdout, rep)
	} else {
		werr = release.WriteImageWatchText(e.stdout, rep, opts, record, err, recErr)
	}
	if werr != nil && err == nil && recErr == nil {
		return failure(fmt.Errorf("writing the report: %w", werr))
	}
	var cmdErr error
	var run *release.ImageCommandRun
	if err == nil && rep.Rollback != nil {
		run, cmdErr = imageRunCommand(e, f.format, wo.OnRollback, rep.Rollback, record)
	}
	incErr := imageIncident(e, f.format, grepo, sf, rep, run, newImageRecord(e, wo.Incident))
	switch {
	case err != nil:
		return err
	case cmdErr != nil:
		return cmdErr
	case recErr != nil:
		return failure(recErr)
	case incErr != nil:
		return failure(incErr)
	case rep.Outcome == "rolled back":
		return findings()
	}
	return nil
}

// imageIncident keeps the incident record of a watch that rolled back:
// it opens the issue when GITHUB_TOKEN (or GH_TOKEN) and
// GITHUB_REPOSITORY allow (a refusal is a warning), writes the JSON to
// rec, and prints the Markdown under the text format.
func imageIncident(e *env, format string, repo *git.Repo, sf *config.Config, w *image.WatchReport, run *release.ImageCommandRun, rec imageRecord) error {
	inc := release.NewIncident(w, run)
	if inc == nil {
		return nil
	}
	var issueErr error
	if warn, err := imageIncidentIssue(e, repo, sf, inc); err != nil {
		issueErr = fmt.Errorf("opening the incident issue: %w", e.redact.Error(err))
	} else if warn != "" {
		fmt.Fprintf(e.stderr, "shipflow: warning: %s\n", e.redact.String(warn))
	}
	b, err := inc.JSON()
	if err == nil {
		err = rec.write(b)
	}
	if err != nil {
		return fmt.Errorf("writing the incident record %s: %w", rec, err)
	}
	if format != "json" {
		if err := release.WriteIncidentText(e.stdout, inc, rec.String()); err != nil && issueErr == nil {
			return fmt.Errorf("writing the incident: %w", err)
		}
	}
	return issueErr
}

// imageIncidentIssue opens the incident's issue in GITHUB_REPOSITORY with
// GITHUB_TOKEN or GH_TOKEN; without both it opens none.
func imageIncidentIssue(e *env, repo *git.Repo, sf *config.Config, inc *release.Incident) (string, error) {
	token := e.getenv("GITHUB_TOKEN")
	if token == "" {
		token = e.getenv("GH_TOKEN")
	}
	ci, err := e.ci()
	if err != nil || token == "" || ci.Repository == "" {
		return "", nil
	}
	api, err := release.ResolveAPIURL(e.ctx, release.APIURLOptions{Env: ci.APIURL, Config: sf.Release, Repo: repo})
	if err != nil {
		return "", err
	}
	client, err := github.New(token, github.WithBaseURL(api))
	if err != nil {
		return "", err
	}
	return release.OpenIncidentIssue(e.ctx, client, ci.Repository, inc)
}

// imagePromoteFlags are the flags `image promote` reads itself; the
// others are read by name by release.ResolveImagePromote.
type imagePromoteFlags struct {
	imageFlags
}

func newImagePromoteCmd(e *env) *cobra.Command {
	var f imagePromoteFlags
	cmd := &cobra.Command{
		Use:   "promote VERSION --env ENV",
		Short: "Point an environment tag (prod, staging) at a released version, by digest",
		Long: `Point the environment tag --env (prod, staging: letters, digits, '_', '.'
and '-', starting with a letter; not latest or sha-*) at the image of the
released VERSION, by the digest its X.Y.Z tag names: nothing is uploaded.
A version the repository has no tag for is refused.

What moved is written to --record like a rollback, so that 'promote
--undo' (or 'rollback --undo') puts the digest the tag named before back.
After the tag moved, image.on-promote (or --on-promote) runs in the work
tree, with the rules of image.on-rollback; {{.Env}} is the environment.

Exit status: 0 promoted (or the tag already named it), 2 usage (a bad
environment, a version without an image), 3 registry failure or the
on-promote command failed (the tag has moved).`,
		Example: `  shipflow image promote 1.4.2 --env prod --repo ghcr.io/acme/app
  shipflow image promote 1.5.0-rc.1 --env staging --dry-run
  shipflow image promote --undo`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runImagePromote(e, cmd, f, args) },
	}
	fl := cmd.Flags()
	fl.String("repo", "", "`REGISTRY/REPO` (default: image.repository)")
	fl.String("image-version", "", "the released version `X.Y.Z` to promote, when not given as the argument (the image-promote action's input)")
	fl.String("env", "", "environment `TAG` to move, such as prod or staging")
	fl.String("record", release.DefaultImageRecord, "record `FILE` written after the promote and read by --undo")
	fl.Bool("undo", false, "put back the digest the tag in --record named before")
	fl.Bool("dry-run", false, "show what would move and the command that would run; move nothing")
	fl.String("on-promote", "", "`COMMAND` to run after the tag moved, split at spaces, no shell; none runs nothing (default: image.on-promote)")
	f.register(cmd)
	return cmd
}

// promoteInputs are the flags plus the VERSION argument as the
// image-version input.
type promoteInputs struct {
	release.Inputs
	version string
}

func (p promoteInputs) Lookup(name string) (string, bool) {
	if name == "image-version" && p.version != "" {
		return p.version, p.version != ""
	}
	return p.Inputs.Lookup(name)
}

func runImagePromote(e *env, cmd *cobra.Command, f imagePromoteFlags, args []string) error {
	if err := imageCheckFormat(f.format); err != nil {
		return err
	}
	_, sf, err := imageSetup(e)
	if err != nil {
		return err
	}
	in, err := imageInputs(e, cmd, f.imageFlags)
	if err != nil {
		return err
	}
	ci, err := e.ci()
	if err != nil {
		return err
	}
	pi := promoteInputs{Inputs: in}
	if len(args) == 1 {
		if v, given := in.Lookup("image-version"); given && v != args[0] {
			return usageErr("VERSION %s and --image-version %s contradict each other: give one", args[0], v)
		}
		pi.version = args[0]
	}
	opts, err := release.ResolveImagePromote(pi, sf, ci)
	if err != nil {
		return err
	}
	rec := newImageRecord(e, opts.Record)
	record := rec.String()
	if opts.Undo {
		if len(args) > 0 {
			return usageErr("--undo takes no VERSION: it reverses the promote in --record")
		}
		rb, rerr := rec.readRollback()
		if rerr != nil {
			return usageErr("%v", rerr)
		}
		knobs, kerr := imageOpKnobs(e, opts.Access, sf.Image, rb.Repository)
		if kerr != nil {
			return kerr
		}
		rep, err := image.Undo(e.ctx, rb, knobs...)
		if rep == nil {
			return err
		}
		recErr := rec.writeRollback(rep)
		var werr error
		if f.format == "json" {
			werr = release.WriteImageRollbackJSON(e.stdout, rep)
		} else {
			werr = release.WriteImageRollbackText(e.stdout, rep, record, err, recErr)
		}
		switch {
		case err != nil:
			return err
		case recErr != nil:
			return failure(recErr)
		case werr != nil:
			return failure(fmt.Errorf("writing the report: %w", werr))
		}
		return nil
	}
	knobs, err := imageOpKnobs(e, opts.Access, sf.Image, opts.Promote.Repository)
	if err != nil {
		return err
	}
	rep, err := image.Promote(e.ctx, opts.Promote, knobs...)
	if rep == nil {
		return err
	}
	var recErr error
	if !opts.Promote.DryRun {
		recErr = rec.writeRollback(rep)
	}
	var werr error
	if f.format == "json" {
		werr = release.WriteImageRollbackJSON(e.stdout, rep)
	} else {
		werr = release.WriteImagePromoteText(e.stdout, rep, opts.Promote.DryRun, record, opts.OnPromote, err, recErr)
	}
	if werr != nil && err == nil && recErr == nil {
		return failure(fmt.Errorf("writing the report: %w", werr))
	}
	if err != nil {
		return err
	}
	if !opts.Promote.DryRun {
		if _, cerr := imageRunCommand(e, f.format, opts.OnPromote, rep, record); cerr != nil {
			return cerr
		}
	}
	if recErr != nil {
		return failure(recErr)
	}
	return nil
}
