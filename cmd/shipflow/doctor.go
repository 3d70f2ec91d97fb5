package main

import (
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
	"github.com/spf13/cobra"
)

func newDoctorCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "List the files and settings the release process expects, and how to add what is missing",
		Long: `Check that the repository has what the seed's process expects, and say
how to add what it lacks ('shipflow init' writes most of it):

  required  .shipflow.yaml valid (or none: the defaults), .env.template,
            deploy_docker.sh and rollback.sh (executable, also in git's
            index), the changelog (changelog.file), a workflow in
            .github/workflows that runs 'shipflow lint' or 'shipflow pr' and
            one that runs 'shipflow release' (the commands or shipflow's
            actions), .env ignored by .gitignore, and no .env tracked by git
  warnings  the commit-msg hook ('shipflow hook install') and the pre-commit
            secrets hook ('shipflow hook install --pre-commit'), found by
            their marker line; the stable and integration branches of the
            branch model (branches.stable, branches.integration)

Files are read from inside the work tree only: a link out of it is not
followed.

Exit status: 0 every required file and setting is there (warnings or
not), 1 one is missing, 2 usage or not a git repository, 3 git failed.`,
		Example: `  shipflow doctor
  shipflow doctor --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDoctor(e, format) },
	}
	addFormatFlag(cmd.Flags(), &format, "text, json, github (workflow annotations) or markdown")
	return cmd
}

func runDoctor(e *env, format string) error {
	switch format {
	case "text", "json", "github", "markdown":
	default:
		return usageErr("unknown --format %q: use text, json, github or markdown", format)
	}
	repo, err := git.Open(e.ctx, e.dir)
	if err != nil {
		return err
	}
	rep, err := release.Doctor(e.ctx, repo)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		err = rep.WriteJSON(e.stdout)
	case "github":
		err = rep.WriteFindings(report.NewGitHub(e.stdout))
	case "markdown":
		err = rep.WriteFindings(report.NewMarkdown(e.stdout))
	default:
		err = rep.WriteText(e.stdout)
	}
	if err != nil {
		return failure(err)
	}
	if rep.Missing() > 0 {
		return findings()
	}
	return nil
}
