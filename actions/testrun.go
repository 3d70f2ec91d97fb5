package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipflow/shipflow/release"
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
	opts, err := release.ResolveTest(s.inputs(), s.config, s.ci())
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if err := opts.Validate(); err != nil {
		return nil, &InputError{Err: err}
	}
	opts.Root, opts.Stdout, opts.Stderr = s.dir, s.r.log, s.r.log
	var rep *testreport.Report
	err = s.r.Group("shipflow test: "+strings.Join(nonEmptyList(opts.Command, opts.Config.Command), " "), func() error {
		var err error
		rep, err = release.TestRun(ctx, opts)
		return err
	})
	if err != nil {
		// A command that could not start (*testreport.StartError: not
		// found, exit status 127...) is a failure of the run, as on the
		// CLI (exit 3), not a bad input: the same workflow passes once
		// the runner is installed.
		return nil, err
	}
	n := rep.Counts()
	out := &Report{Name: "shipflow test", Conclusion: Success}
	if !rep.Passed() {
		out.Conclusion = Failed
	}
	out.Annotations = release.TestFindings(rep)
	if len(out.Annotations) > maxTestAnnotations {
		out.Annotations = out.Annotations[:maxTestAnnotations]
	}
	var b strings.Builder
	if err := testreport.WriteSummary(&b, rep, testreport.SummaryOptions{Title: "Test results", Slowest: opts.Slowest, MaxBytes: testSummaryBytes}); err != nil {
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
