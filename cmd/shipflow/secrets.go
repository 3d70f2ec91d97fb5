package main

import (
	"runtime/debug"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/secrets"
	"github.com/spf13/cobra"
)

type secretsFlags struct {
	staged   bool
	from, to string
	all      bool
	format   string
}

func newSecretsCmd(e *env) *cobra.Command {
	var f secretsFlags
	cmd := &cobra.Command{
		Use:   "secrets",
		Short: "Refuse secrets on their way into git: staged changes, a range of commits, the whole history",
		Long: `Check changes for secrets with gitleaks' detection library: its default
rules, or the repository's .gitleaks.toml (with its allowlists; extend.path
inside the repository, never extend.url) and .gitleaksignore fingerprints.
Also refused by name: a committed .env (any .env, or .env.* but
.env.template and .env.example) and SSH private key files (id_rsa,
id_ed25519, ...); a .env.template whose values look like real secrets.

Only what the changes add is checked, so a secret is reported in the
commit that brought it, with the file, line, rule and how to get rid of it
(git rm --cached, or git filter-repo / BFG for history) — and rotate it.
The secret itself is never printed, in any format.

--staged checks the index (the pre-commit hook: 'shipflow hook install
--pre-commit'), --from REV [--to REV] the commits of a range (CI, a pull
request) from one 'git log -p' stream, --all every commit of every ref.

Exit status: 0 no secrets, 1 secrets found, 2 usage or configuration
error, 3 git failure.`,
		Example: `  shipflow secrets --staged
  shipflow secrets --from origin/main --format github
  shipflow secrets --all --format json > secrets.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSecrets(e, f) },
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.staged, "staged", false, "check the staged changes: what 'git commit' would add (the pre-commit hook)")
	fl.StringVar(&f.from, "from", "", "check the commits after `REV` (exclusive)")
	fl.StringVar(&f.to, "to", "", "check the commits up to `REV` (inclusive; default HEAD)")
	fl.BoolVar(&f.all, "all", false, "check every commit of every branch and tag")
	addFormatFlag(fl, &f.format, "text, json, github (workflow annotations), sarif or markdown")
	cmd.MarkFlagsMutuallyExclusive("staged", "from", "all")
	cmd.MarkFlagsOneRequired("staged", "from", "all")
	return cmd
}

func runSecrets(e *env, f secretsFlags) error {
	switch f.format {
	case "text", "json", "github", "sarif", "markdown":
	default:
		return usageErr("unknown --format %q: use text, json, github, sarif or markdown", f.format)
	}
	if f.to != "" && f.from == "" {
		return usageErr("--to needs --from")
	}
	var opts []git.Option
	if f.staged {
		// git runs the pre-commit hook in the top level: skip asking it.
		opts = append(opts, git.AtTopLevel())
	}
	repo, err := git.Open(e.ctx, e.dir, opts...)
	if err != nil {
		return err
	}
	// Building gitleaks' rules allocates some 26 MB of which little
	// stays live: collecting at 5x the live heap instead of 2x halves the
	// pre-commit hook's CPU (user time 45 -> 25 ms a run), and a long
	// range's heap stays flat.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	rep, err := release.ScanSecrets(e.ctx, repo, release.SecretsOptions{Staged: f.staged, From: f.from, To: f.to, All: f.all})
	if secrets.IsConfigError(err) {
		return usageErr("%v", err)
	}
	if err != nil {
		return err
	}
	switch f.format {
	case "json":
		err = rep.WriteJSON(e.stdout)
	case "github":
		err = rep.WriteFindings(report.NewGitHub(e.stdout))
	case "sarif":
		err = rep.WriteFindings(report.NewSARIF(e.stdout, buildVersion()))
	case "markdown":
		err = rep.WriteFindings(report.NewMarkdown(e.stdout))
	default:
		err = rep.WriteText(e.stdout)
	}
	if err != nil {
		return failure(err)
	}
	if len(rep.Findings) > 0 {
		return findings()
	}
	return nil
}
