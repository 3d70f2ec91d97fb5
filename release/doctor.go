package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/scaffold"
)

// The checks of Doctor, as DoctorCheck.ID (and the rule of its finding).
const (
	DoctorConfig            = "config"
	DoctorEnvTemplate       = "env-template"
	DoctorDeployScript      = "deploy-script"
	DoctorRollbackScript    = "rollback-script"
	DoctorChangelog         = "changelog"
	DoctorCIWorkflow        = "ci-workflow"
	DoctorReleaseWorkflow   = "release-workflow"
	DoctorEnvIgnored        = "env-ignored"
	DoctorEnvUntracked      = "env-untracked"
	DoctorCommitMsgHook     = "commit-msg-hook"
	DoctorPreCommitHook     = "pre-commit-hook"
	DoctorStableBranch      = "stable-branch"
	DoctorIntegrationBranch = "integration-branch"
)

// DoctorCheck is one file or setting the seed's process expects.
type DoctorCheck struct {
	// ID names the check (DoctorConfig, DoctorDeployScript, ...).
	ID string
	// Subject is what is checked, as a person says it: "rollback.sh",
	// ".env in .gitignore", "commit-msg hook".
	Subject string
	// File is the file the check is about, relative to the repository
	// root, or "" for a setting that has none (a hook, a branch).
	File string
	// Required is true for what the process cannot do without: a failed
	// required check makes doctor fail; the others warn.
	Required bool
	// OK is true when the file or setting is there as expected.
	OK bool
	// Status says what was found: "present", "missing", "not executable
	// (mode 0644)", "tracked by git: .env".
	Status string
	// Fix says how to add or repair it, for a check that is not OK.
	Fix string
}

// DoctorReport is what Doctor found, check by check, in a fixed order.
type DoctorReport struct {
	// Dir is the repository's top level.
	Dir string
	// Checks are the checks, required and not, in the order of DoctorIDs.
	Checks []DoctorCheck
}

// Missing returns the number of required checks that failed: doctor
// fails when there is one.
func (r *DoctorReport) Missing() int {
	n := 0
	for _, c := range r.Checks {
		if c.Required && !c.OK {
			n++
		}
	}
	return n
}

// Warnings returns the number of checks that failed but are not required.
func (r *DoctorReport) Warnings() int {
	n := 0
	for _, c := range r.Checks {
		if !c.Required && !c.OK {
			n++
		}
	}
	return n
}

// initFix is the fix of a file `shipflow init` writes.
func initFix(file string) string {
	return fmt.Sprintf("run 'shipflow init': it writes %s (and keeps the files that exist)", file)
}

// doctor holds what the checks share.
type doctor struct {
	repo *git.Repo
	root string
	cfg  *config.Config
}

// Doctor checks that the repository has the seed's files and settings:
// .shipflow.yaml (or no file: the defaults), .env.template,
// deploy_docker.sh and rollback.sh (executable), the changelog, a CI
// workflow that runs shipflow's commit lint or pull request check and one
// that releases with it, .env ignored by .gitignore and not tracked, and,
// as warnings, the commit-msg and pre-commit hooks and the branches of
// the branch model. Each check says how to fix what it misses; a fresh
// `shipflow init` passes every required one. Files are read through
// repofs (a link out of the repository is not followed); only the hooks
// are read from the git directory. An error is git or the file system
// failing, not a missing file.
func Doctor(ctx context.Context, repo *git.Repo) (*DoctorReport, error) {
	d := &doctor{repo: repo, root: repo.Dir()}
	rep := &DoctorReport{Dir: d.root}
	rep.Checks = append(rep.Checks, d.config())
	if d.cfg == nil {
		d.cfg = &config.Config{} // an invalid file: check the rest with the defaults
	}
	for _, f := range []struct {
		id, file string
		exec     bool
	}{
		{DoctorEnvTemplate, scaffold.EnvTemplatePath, false},
		{DoctorDeployScript, scaffold.DeployScriptPath, true},
		{DoctorRollbackScript, scaffold.RollbackScriptPath, true},
		{DoctorChangelog, cmpOr(d.cfg.Changelog.File, config.DefaultChangelogFile), false},
	} {
		c, err := d.file(ctx, f.id, f.file, f.exec)
		if err != nil {
			return nil, err
		}
		rep.Checks = append(rep.Checks, c)
	}
	steps := []func(context.Context) ([]DoctorCheck, error){d.workflows, d.envFile, d.hooks, d.branches}
	for _, step := range steps {
		cs, err := step(ctx)
		if err != nil {
			return nil, err
		}
		rep.Checks = append(rep.Checks, cs...)
	}
	return rep, nil
}

// config checks .shipflow.yaml: a missing file is fine (the defaults
// apply), an invalid one is not.
func (d *doctor) config() DoctorCheck {
	c := DoctorCheck{ID: DoctorConfig, Subject: config.FileName, File: config.FileName, Required: true, OK: true, Status: "present"}
	cfg, found, err := config.Load(d.root)
	switch {
	case err != nil:
		c.OK, c.Status = false, "invalid: "+err.Error()
		c.Fix = "correct it (every setting is optional: the commented defaults 'shipflow init --force' writes are a start)"
	case !found:
		c.Status = "missing: the defaults apply ('shipflow init' writes them, commented)"
	}
	d.cfg = cfg
	return c
}

// file checks that file is a regular file of the work tree (executable
// when exec is set, on disk and in git's index when it is tracked).
func (d *doctor) file(ctx context.Context, id, file string, exec bool) (DoctorCheck, error) {
	c := DoctorCheck{ID: id, Subject: file, File: file, Required: true}
	_, err := repofs.ReadFile(d.root, file, repofs.DefaultMaxRead)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.Status, c.Fix = "missing", initFix(file)
		return c, nil
	case repofs.IsRefused(err):
		c.Status, c.Fix = "not read: "+err.Error(), "make it a regular file of the repository: "+initFix(file)
		return c, nil
	case err != nil:
		return c, fmt.Errorf("reading %s: %w", file, err)
	}
	c.OK, c.Status = true, "present"
	if !exec {
		return c, nil
	}
	rel, err := repofs.Resolve(d.root, file)
	if err != nil {
		return c, fmt.Errorf("reading %s: %w", file, err)
	}
	fi, err := os.Stat(filepath.Join(d.root, filepath.FromSlash(rel)))
	if err != nil {
		return c, fmt.Errorf("reading %s: %w", file, err)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		c.OK, c.Status = false, fmt.Sprintf("not executable (mode %04o)", fi.Mode().Perm())
		c.Fix = "chmod +x " + shellQuote(file) + ", and git update-index --chmod=+x " + shellQuote(file) + " once it is tracked"
		return c, nil
	}
	// A script committed without its executable bit is checked out
	// without it on the host it deploys from.
	out, err := d.repo.Run(ctx, "ls-files", "-s", "--", file)
	if err != nil {
		return c, err
	}
	if mode, _, _ := strings.Cut(string(out), " "); mode == "100644" {
		c.OK, c.Status = false, "executable here, but committed without the executable bit (mode 100644)"
		c.Fix = "git update-index --chmod=+x " + shellQuote(file) + ", then commit"
	}
	return c, nil
}

// The workflow steps that run shipflow's commit lint or pull request
// check, and its release: an action of shipflow's (by any ref) or the CLI
// in a run: step. Compiled on first use: package init stays cheap.
var (
	lintWorkflow = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`shipflow/shipflow(/actions/(commitlint|lint|pr))?@|\bshipflow\s+(lint|commitlint|pr)\b`)
	})
	releaseWorkflow = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`shipflow/shipflow/actions/release@|\bshipflow\s+release\b`)
	})
	// In shipflow's own repository (see selfAction) its actions are
	// used by path: `uses: ./` (the root action), ./actions/pr, ...
	selfLintWorkflow = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?m)uses:\s*['"]?\./(actions/(commitlint|lint|pr))?['"]?\s*$`)
	})
	selfReleaseWorkflow = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?m)uses:\s*['"]?\./actions/release['"]?\s*$`)
	})
	selfActionName = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?m)^name:\s*['"]?shipflow['"]?\s*$`)
	})
)

// selfAction reports whether the repository is shipflow's own: its root
// action.yml is named shipflow, so its workflows use its actions by path.
func (d *doctor) selfAction() bool {
	data, err := repofs.ReadFile(d.root, "action.yml", repofs.DefaultMaxRead)
	return err == nil && selfActionName().Match(data)
}

// workflowsDir holds GitHub Actions workflows.
const workflowsDir = ".github/workflows"

// workflows checks that one workflow runs shipflow's lint or pr check and
// one its release.
func (d *doctor) workflows(context.Context) ([]DoctorCheck, error) {
	var lint, release []string
	names, err := d.workflowFiles()
	if err != nil {
		return nil, err
	}
	self := d.selfAction()
	for _, name := range names {
		data, err := repofs.ReadFile(d.root, name, repofs.DefaultMaxRead)
		switch {
		case repofs.IsRefused(err):
			continue // a link out of the repository, a huge file: not a workflow GitHub runs
		case err != nil:
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		if lintWorkflow().Match(data) || self && selfLintWorkflow().Match(data) {
			lint = append(lint, name)
		}
		if releaseWorkflow().Match(data) || self && selfReleaseWorkflow().Match(data) {
			release = append(release, name)
		}
	}
	mk := func(id, subject, file string, found []string) DoctorCheck {
		c := DoctorCheck{ID: id, Subject: subject, File: file, Required: true, OK: len(found) > 0}
		if c.OK {
			c.Status, c.File = "present: "+strings.Join(found, ", "), found[0]
		} else {
			c.Status, c.Fix = "missing", initFix(file)
		}
		return c
	}
	return []DoctorCheck{
		mk(DoctorCIWorkflow, "CI workflow (shipflow lint or pr)", workflowsDir+"/ci.yml", lint),
		mk(DoctorReleaseWorkflow, "release workflow (shipflow release)", workflowsDir+"/release.yml", release),
	}, nil
}

// workflowFiles lists the .yml and .yaml files of .github/workflows,
// sorted; none when the directory does not exist or leads out of the
// repository.
func (d *doctor) workflowFiles() ([]string, error) {
	rel, err := repofs.Resolve(d.root, workflowsDir)
	if repofs.IsRefused(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(d.root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", workflowsDir, err)
	}
	var out []string
	for _, e := range entries {
		if ext := path.Ext(e.Name()); ext == ".yml" || ext == ".yaml" {
			out = append(out, workflowsDir+"/"+e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// envFile checks that .gitignore ignores .env and that git tracks no
// .env file (.env.template and .env.example are meant to be committed).
func (d *doctor) envFile(ctx context.Context) ([]DoctorCheck, error) {
	ignored := DoctorCheck{ID: DoctorEnvIgnored, Subject: ".env in .gitignore", File: scaffold.GitignorePath, Required: true}
	ok, err := scaffold.IgnoredByGitignore(ctx, d.repo, scaffold.GitignoreLine)
	if err != nil {
		return nil, err
	}
	if ignored.OK = ok; ok {
		ignored.Status = "ignored"
	} else {
		ignored.Status = "not ignored: a .env would be committed with its secrets"
		ignored.Fix = "run 'shipflow init': it adds .env to .gitignore (or add the line .env yourself)"
	}
	untracked := DoctorCheck{ID: DoctorEnvUntracked, Subject: ".env out of git", File: scaffold.GitignoreLine, Required: true, OK: true, Status: "not tracked"}
	out, err := d.repo.Run(ctx, "ls-files", "-z", "--", ":(glob)**/.env", ":(glob)**/.env.*")
	if err != nil {
		return nil, err
	}
	var tracked []string
	for name := range strings.SplitSeq(strings.TrimRight(string(out), "\x00"), "\x00") {
		if base := path.Base(name); name != "" && base != ".env.template" && base != ".env.example" {
			tracked = append(tracked, name)
		}
	}
	if len(tracked) > 0 {
		untracked.OK, untracked.File = false, tracked[0]
		untracked.Status = "tracked by git: " + strings.Join(tracked, ", ")
		quoted := make([]string, len(tracked))
		for i, t := range tracked {
			quoted[i] = shellQuote(t)
		}
		untracked.Fix = "git rm --cached " + strings.Join(quoted, " ") + " (the files stay on disk), commit, and rotate every secret they held: they are in the history ('shipflow secrets --all' shows where)"
	}
	return []DoctorCheck{ignored, untracked}, nil
}

// hooks checks for shipflow's commit-msg and pre-commit hooks by their
// marker line: a hook that runs shipflow some other way is not seen.
// Both are warnings: a hook is each clone's own, and CI checks the same.
func (d *doctor) hooks(ctx context.Context) ([]DoctorCheck, error) {
	var out []DoctorCheck
	for _, h := range []struct{ id, name, fix string }{
		{DoctorCommitMsgHook, HookCommitMsg, "shipflow hook install"},
		{DoctorPreCommitHook, HookPreCommit, "shipflow hook install --pre-commit"},
	} {
		k := hookKinds[h.name]
		dir, manager, mfix, err := hooksDir(ctx, d.repo, k)
		if err != nil {
			return nil, err
		}
		c := DoctorCheck{ID: h.id, Subject: h.name + " hook", OK: true, Status: "installed"}
		b, err := os.ReadFile(filepath.Join(dir, k.name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading the %s hook: %w", k.name, err)
		}
		if !bytes.Contains(b, []byte(k.marker)) {
			c.OK, c.Status, c.Fix = false, "not installed", "run '"+h.fix+"'"
			if manager != "" {
				c.Status, c.Fix = "not installed ("+manager+" manages the hooks)", mfix
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// branches checks the branch model's two long-lived branches: the stable
// one (a local or remote branch, or the branch HEAD is on before the
// first commit) and the integration one. Warnings: a new repository has
// neither yet.
func (d *doctor) branches(ctx context.Context) ([]DoctorCheck, error) {
	stable := cmpOr(d.cfg.Branches.Stable, config.DefaultReleaseBranch)
	integration := cmpOr(d.cfg.Branches.Integration, config.DefaultIntegrationBranch)
	remote := cmpOr(d.cfg.Release.Remote, config.DefaultRemote)
	out, err := d.repo.Run(ctx, "for-each-ref", "--format=%(refname)",
		"refs/heads/"+stable, "refs/remotes/"+remote+"/"+stable, "refs/heads/"+integration, "refs/remotes/"+remote+"/"+integration)
	if err != nil {
		return nil, err
	}
	refs := strings.Split(strings.TrimSpace(string(out)), "\n")
	has := func(b string) bool {
		return slices.Contains(refs, "refs/heads/"+b) || slices.Contains(refs, "refs/remotes/"+remote+"/"+b)
	}
	head, err := d.repo.Run(ctx, "symbolic-ref", "-q", "HEAD")
	var ge *git.Error
	if err != nil && !(errors.As(err, &ge) && ge.ExitCode == 1) { // 1: a detached HEAD
		return nil, err
	}
	onStable := strings.TrimSpace(string(head)) == "refs/heads/"+stable
	sc := DoctorCheck{ID: DoctorStableBranch, Subject: "stable branch " + stable, OK: has(stable) || onStable, Status: "present"}
	if !sc.OK {
		sc.Status = "missing: releases are cut from " + stable
		sc.Fix = fmt.Sprintf("create it (git branch -m %s to rename the current branch), or set branches.stable and release.branch in .shipflow.yaml", shellQuote(stable))
	}
	ic := DoctorCheck{ID: DoctorIntegrationBranch, Subject: "integration branch " + integration, OK: has(integration), Status: "present"}
	if !ic.OK {
		ic.Status = "missing: features are merged into " + integration + ", which holds every change of " + stable
		ic.Fix = fmt.Sprintf("git branch %s %s && git push -u %s %s (after the first commit), or set branches.integration in .shipflow.yaml", shellQuote(integration), shellQuote(stable), shellQuote(remote), shellQuote(integration))
	}
	return []DoctorCheck{sc, ic}, nil
}
