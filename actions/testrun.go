package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/testreport"
)

// testSummaryBytes keeps the test summary inside a check run's 65,535
// characters with room for the report's heading.
const testSummaryBytes = 60000

// maxTestAnnotations caps the failures annotated on files: the checks API
// takes 50 annotations per request, so 10k failures were 200 requests
// after the tests ended. The summary counts every failure.
const maxTestAnnotations = 1000

// runTest runs the tests (release.TestRun: `go test -json` understood
// natively, JUnit XML files read) with their output streamed to the log,
// and reports every failure at its file and line. Outputs: passed, failed,
// skipped (counts) and exit-code (the test command's exit status).
func runTest(ctx context.Context, s *step) (*Report, error) {
	opts := release.TestRunOptions{
		Config:  s.config.Test,
		Root:    s.dir,
		Command: strings.Fields(s.r.Input("test-command")),
		JUnit:   s.r.ListInput("junit"),
		Stdout:  s.r.log,
		Stderr:  s.r.log,
	}
	if len(opts.Command) == 0 && len(opts.Config.Command) == 0 && len(opts.JUnit) == 0 && len(opts.Config.JUnit) == 0 {
		return nil, inputErr("nothing to run: set the test-command or junit input, or test.command in .shipflow.yaml")
	}
	var rep *testreport.Report
	err := s.r.Group("shipflow test: "+strings.Join(nonEmptyList(opts.Command, opts.Config.Command), " "), func() error {
		var err error
		rep, err = release.TestRun(ctx, opts)
		return err
	})
	if err != nil {
		var se *testreport.StartError
		if errors.As(err, &se) {
			return nil, &InputError{Err: err}
		}
		return nil, err
	}
	n := rep.Counts()
	out := &Report{Name: "shipflow test", Conclusion: Success}
	if !rep.Passed() {
		out.Conclusion = Failed
	}
	anns := testreport.Annotations(rep)
	if len(anns) > maxTestAnnotations {
		anns = anns[:maxTestAnnotations]
	}
	for _, a := range anns {
		lvl := Failure
		if a.Level == "warning" {
			lvl = Warning
		}
		out.Annotations = append(out.Annotations, Annotation{Level: lvl, Source: report.SourceFile, File: a.File, Line: a.Line, Title: a.Title, Message: a.Message})
	}
	var b strings.Builder
	if err := testreport.WriteSummary(&b, rep, testreport.SummaryOptions{Title: "Test results", Slowest: release.TestSlowest(s.config.Test), MaxBytes: testSummaryBytes}); err != nil {
		return nil, fmt.Errorf("rendering the test summary: %w", err)
	}
	out.Summary = b.String()
	out.Title = fmt.Sprintf("%d passed, %d failed, %d skipped", n.Passed, n.Failed, n.Skipped)
	if rep.ExitCode > 0 && n.Failed == 0 {
		out.Title += fmt.Sprintf("; the test command exited with status %d", rep.ExitCode)
	}
	if rep.Interrupted != "" {
		out.Title += fmt.Sprintf("; interrupted (%s)", rep.Interrupted)
	}
	out.Outputs = []Output{
		{"passed", fmt.Sprint(n.Passed)},
		{"failed", fmt.Sprint(n.Failed)},
		{"skipped", fmt.Sprint(n.Skipped)},
		{"exit-code", fmt.Sprint(rep.ExitCode)},
	}
	return out, nil
}

func nonEmptyList(a, b []string) []string {
	if len(a) > 0 {
		return a
	}
	return b
}
