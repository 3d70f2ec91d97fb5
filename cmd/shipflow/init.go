package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/scaffold"
	"github.com/spf13/cobra"
)

func newInitCmd(e *env) *cobra.Command {
	var opt scaffold.Options
	var noHook bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Set up the release process in a repository: config, workflows, hook, changelog",
		Long: `Set up shipflow's release process in the repository: .shipflow.yaml
(commented defaults, and the test command found from go.mod, pyproject.toml,
setup.cfg, pytest.ini, requirements*.txt or package.json; in a monorepo, the
packages found: nested Go modules, npm/yarn/pnpm and Cargo workspaces,
Python projects in subdirectories),
.github/workflows/ci.yml (commit lint, pull request and branch checks,
back-merge debt, tests, and a Lint step with the linter found: ruff or
flake8, golangci-lint or go vet, eslint; merge queues too), ci-report.yml (posts the check
run of a fork's pull request) and release.yml (release from main, image,
health watch and rollback), the commit-msg hook (as 'shipflow hook install',
with its warning when the hook would look for shipflow on a PATH that has
none), CHANGELOG.md, .env.template, deploy_docker.sh and rollback.sh
(deploy an image version by digest, keeping the old container, watch its
health, switch back), their section in README.md (with what /healthz must
answer), and .env and the test report directory (reports/ for pytest) in
.gitignore. 'shipflow doctor' then finds every file it expects.

--release-mode picks how releases reach main (release.mode in
.shipflow.yaml, and the release.yml written): pr (the default) keeps a
release pull request that merging releases, so main can stay protected; it
needs the repository setting "Allow GitHub Actions to create and approve
pull requests", or a GitHub App token. direct pushes the release commit and
tag to main.

Existing files are never overwritten without --force; running init twice
changes nothing. Outside a git repository the files are written to the
current directory and the hook is skipped.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.ReleaseMode != config.ReleaseModePR && opt.ReleaseMode != config.ReleaseModeDirect {
				return usageErr("--release-mode is %q: use %s (a release pull request) or %s (push the release commit to main)", opt.ReleaseMode, config.ReleaseModePR, config.ReleaseModeDirect)
			}
			dir := e.dir
			repo, err := git.Open(e.ctx, e.dir)
			var nr *git.NotRepoError
			switch {
			case err == nil:
				dir = repo.Dir()
			case errors.As(err, &nr):
				repo = nil
			default:
				return failure(err)
			}
			opt.Repo = repo // git decides whether .gitignore already ignores .env
			// The deploy scripts start from image.repository and image.watch.health.
			if cfg, _, err := config.Load(dir); err == nil {
				opt.Deploy = scaffold.Deploy{Repository: cfg.Image.Repository, Health: cfg.Image.Watch.Health}
			}
			rep, err := scaffold.Write(e.ctx, dir, opt)
			if rep != nil {
				initPrint(e.stdout, rep)
			}
			if err == nil {
				fmt.Fprintln(e.stdout, initLintLine(rep.Project))
				if line := initPackagesLine(rep); line != "" {
					fmt.Fprintln(e.stdout, line)
				}
			}
			if err != nil {
				return failure(fmt.Errorf("initialising %s: %w", dir, err))
			}
			switch {
			case noHook:
				fmt.Fprintf(e.stdout, "%-12s commit-msg hook (--no-hook)\n", "skipped")
			case repo == nil:
				fmt.Fprintf(e.stdout, "%-12s commit-msg hook (not a git repository: run 'git init', then 'shipflow hook install')\n", "skipped")
			default:
				command := hookCommand()
				hr, err := release.InstallHook(e.ctx, repo, release.HookOptions{Command: command})
				var me *release.HookManagerError
				switch {
				case errors.As(err, &me):
					fmt.Fprintf(e.stdout, "%-12s commit-msg hook (%s manages the hooks: %s)\n", "skipped", me.Manager, me.Fix)
				case err != nil:
					return failure(err)
				case !hr.Changed:
					fmt.Fprintf(e.stdout, "%-12s commit-msg hook (%s)\n", "unchanged", initRel(dir, hr.Path))
				default:
					fmt.Fprintf(e.stdout, "%-12s commit-msg hook (%s)\n", "installed", initRel(dir, hr.Path))
				}
				if err == nil {
					if w := hookPathWarning(e, command); w != "" {
						fmt.Fprintf(e.stderr, "shipflow: warning: %s\n", w)
					}
				}
			}
			if rep.Count(scaffold.Skipped) > 0 {
				fmt.Fprintln(e.stdout, "some files were kept as they are; compare them with 'shipflow init --force' in a clean work tree")
			}
			if opt.ReleaseMode == config.ReleaseModePR {
				fmt.Fprint(e.stdout, initPRModeNext)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&opt.Force, "force", false, "overwrite files that exist with other content")
	cmd.Flags().BoolVar(&noHook, "no-hook", false, "do not install the commit-msg hook")
	cmd.Flags().StringVar(&opt.ReleaseMode, "release-mode", config.ReleaseModePR, "how releases reach main: "+config.ReleaseModePR+" (a release pull request) or "+config.ReleaseModeDirect+" (push the release commit)")
	return cmd
}

// initPRModeNext is the next step of a PR-mode setup: the repository
// setting without which the workflow's token cannot open the release pull
// request.
const initPRModeNext = `next: the release workflow opens a release pull request (release.mode: pr); let it:
  Settings → Actions → General → Workflow permissions →
  "Allow GitHub Actions to create and approve pull requests",
  or give it a GitHub App token as GITHUB_TOKEN (see .github/workflows/release.yml)
`

// initPrint prints one line per path: what was done and why.
func initPrint(w io.Writer, rep *scaffold.Report) {
	for _, en := range rep.Entries {
		line := fmt.Sprintf("%-12s %s", en.Action, en.Path)
		switch {
		case en.Reason != "":
			line += " (" + en.Reason + ")"
		case len(en.Lines) > 0:
			line += " (" + strings.Join(en.Lines, ", ") + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// initLintLine says which linter the Lint step of ci.yml runs and what
// it was found from, or where none was found.
func initLintLine(p scaffold.Project) string {
	if p.Lint != "" {
		why := p.LintWhy
		if p.Lint == scaffold.LintGoVet {
			why += "; .golangci.yml would pick golangci-lint"
		}
		return fmt.Sprintf("%-12s %s (found from %s): the Lint step of ci.yml runs it", "lint", p.Lint, why)
	}
	var where string
	switch p.Kind {
	case scaffold.KindPython:
		where = "ruff: [tool.ruff] in pyproject.toml, ruff.toml or a requirement; flake8: .flake8, [flake8] in setup.cfg or tox.ini, or a requirement"
	case scaffold.KindNPM:
		where = "eslint: an eslint config file, or eslint in package.json's devDependencies"
	default:
		where = "no test setup found, so no linter either"
	}
	return fmt.Sprintf("%-12s none found (%s): ci.yml has no Lint step", "lint", where)
}

// initPackagesLine says which packages init found in a monorepo and
// whether .shipflow.yaml lists them, or is "" for one package.
func initPackagesLine(rep *scaffold.Report) string {
	if scaffold.PackagesBlock(rep.Packages) == "" {
		return ""
	}
	var names []string
	for _, p := range rep.Packages {
		names = append(names, p.Name+" "+p.Path)
	}
	where := ".shipflow.yaml was kept; add them to its packages: section"
	for _, en := range rep.Entries {
		if en.Path == config.FileName && en.Action != scaffold.Skipped {
			where = ".shipflow.yaml lists them under packages:"
		}
	}
	return fmt.Sprintf("%-12s %d found (%s): %s", "packages", len(rep.Packages), strings.Join(names, ", "), where)
}

// initRel shows path relative to the repository when it is inside it.
func initRel(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return path
}
