package main

import (
	"io"

	"github.com/spf13/pflag"

	"github.com/shipflow/shipflow/release/report"
)

// actionsFormat marks a --format flag (addFormatFlag) whose default is the
// github format in GitHub Actions.
const actionsFormat = "shipflow_github_in_actions"

// addFormatFlag registers --format on a verb that writes GitHub Actions
// annotations (the github format). formats lists the formats for --help
// ("text, json or github (workflow annotations)"). The flag's value stays
// "" until defaultFormat resolves it.
func addFormatFlag(fl *pflag.FlagSet, p *string, formats string) {
	fl.StringVar(p, "format", "", "output `FORMAT`: "+formats+"; default github in GitHub Actions (GITHUB_ACTIONS=true), else text")
	_ = fl.SetAnnotation("format", actionsFormat, []string{"github"})
}

// defaultFormat gives the running verb's --format, when the command line
// did not, its default for where shipflow runs: github in GitHub Actions
// (GITHUB_ACTIONS=true, set by the runner and by act), so that a plain
// `shipflow lint` or `shipflow test -- go test ./...` in a `run:` step
// annotates the pull request as the actions do; text elsewhere. An
// explicit --format always wins. It is the one place a format default is
// decided; root's PersistentPreRunE calls it before every verb.
func defaultFormat(e *env, fl *pflag.FlagSet) {
	f := fl.Lookup("format")
	if f == nil || f.Changed || f.Annotations[actionsFormat] == nil {
		return
	}
	v := "text"
	if e.getenv("GITHUB_ACTIONS") == "true" {
		v = "github"
	}
	_ = f.Value.Set(v)
}

// writeAnnotations writes findings as workflow-command annotations through
// release/report's github writer, one finding per entry as the Action's
// Runner.Annotate writes them, so that `shipflow VERB --format github` in
// a `run:` step and `shipflow action VERB` print the same lines.
func writeAnnotations(w io.Writer, findings []report.Finding) error {
	gw := report.NewGitHub(w)
	for _, f := range findings {
		if err := gw.Write(report.Loose(f)); err != nil {
			return err
		}
	}
	return nil
}
