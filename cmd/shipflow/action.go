package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/shipflow/shipflow/actions"
	"github.com/spf13/cobra"
)

// actionHTTPClient carries the GitHub requests of `shipflow action`; tests
// may replace it.
var actionHTTPClient = &http.Client{}

func newActionCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "action VERB",
		Short: "Run a verb as a GitHub Actions step (inputs, event, outputs, annotations, summary, check run)",
		Long: `Run a verb as a GitHub Actions step. This is what shipflow's action.yml
files call; it reads the inputs (INPUT_* variables) and the event payload
(GITHUB_EVENT_PATH), calls the same operation as the CLI verb, and writes
step outputs (GITHUB_OUTPUT, with a random heredoc delimiter), at most 10
error and 10 warning annotations (the rest go to the job summary), the job
summary, and a check run or commit status when the token allows. On fork
pull requests or a 403 it reports through annotations and the summary only.

Verbs: ` + strings.Join(actions.Verbs(), ", ") + ` (commitlint also as lint): each
runs the CLI verb of the same name. And ` + actions.PublishVerb + `: create the check run of a
report a pull_request run saved with the save-report input (the fork
pattern: a workflow_run job publishes what the fork's read-only run found).

Exit status: 0 ok, 1 findings, 2 bad input or configuration, 3 failure.`,
		Example: `  # in a composite action step
  shipflow action next`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: append(actions.Verbs(), actions.PublishVerb),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := actions.NewRunner(e.getenv, e.stdout, actions.WithRedactor(e.redact))
			rep, err := actions.Run(e.ctx, r, args[0], actions.Options{Dir: e.dir, HTTPClient: actionHTTPClient})
			switch {
			case err != nil:
				return fmt.Errorf("action %s: %w", args[0], err)
			case rep.Conclusion == actions.Failed:
				return findings()
			}
			return nil
		},
	}
	return cmd
}
