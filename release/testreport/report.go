// Package testreport runs a test command and folds what it reports — a
// `go test -json` stream or JUnit XML files — into a Report, then renders
// that report for people (terminal text, a Markdown job summary) and for
// machines (annotations, JSON, JUnit XML).
//
// It is the library behind `shipflow test` and `shipflow action test`: it
// never prints on its own, reads no environment and takes ctx first.
package testreport

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Status is the outcome of a test case.
type Status string

// Test outcomes.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
)

// Case is one test case. A case with an empty Name stands for its suite as a
// whole: a Go package that failed outside any test (build failure, a panic in
// init or TestMain, a test binary that died or a stream that ended early) or
// a JUnit file that is missing or unreadable. Such cases count as failures,
// so a broken run is never reported as a pass.
type Case struct {
	// Suite is the Go package import path, or the JUnit class name (suite
	// name when the case has no class name).
	Suite string `json:"suite"`
	// Name is the test name ("TestX/sub" for Go subtests); "" for the suite
	// itself.
	Name   string `json:"name,omitempty"`
	Status Status `json:"status"`
	// Duration is the reported run time of the case, in nanoseconds in JSON.
	Duration time.Duration `json:"duration"`
	// Message says why the case failed or was skipped, in a few lines.
	Message string `json:"message,omitempty"`
	// Output is what the case printed, capped (see WithOutputLimit).
	Output string `json:"output,omitempty"`
	// File is the repository-relative, slash-separated path of the failure;
	// "" when it could not be found. Line is its 1-based line, 0 if unknown.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Title names the case for people: "pkg.TestX", or "pkg" for a suite case.
func (c *Case) Title() string {
	switch {
	case c.Name == "":
		return c.Suite
	case c.Suite == "" || c.Suite == c.Name:
		// jest-junit's default classname is the test's name.
		return c.Name
	}
	return c.Suite + "." + c.Name
}

// Location is "file:line", "file" or "".
func (c *Case) Location() string {
	if c.File == "" || c.Line <= 0 {
		return c.File
	}
	return c.File + ":" + strconv.Itoa(c.Line)
}

// Suite is a Go package or a JUnit test suite, kept for its duration.
type Suite struct {
	Name     string        `json:"name"`
	Status   Status        `json:"status"`
	Duration time.Duration `json:"duration"`
}

// Report is everything a test run said.
type Report struct {
	// Command is the test command that ran; empty when only files were read.
	Command []string `json:"command,omitempty"`
	// ExitCode is the command's exit status (128+N when killed by signal N);
	// -1 when no command ran.
	ExitCode int `json:"exit_code"`
	// Duration is the wall time of the command, or the sum of the suites'
	// durations when only files were read.
	Duration time.Duration `json:"duration"`
	Suites   []Suite       `json:"suites,omitempty"`
	Cases    []*Case       `json:"cases"`
	// Output is what the command printed outside any test (stderr, lines
	// that were not part of the JSON stream), capped.
	Output string `json:"output,omitempty"`
	// Interrupted says why the run was stopped before the command ended
	// ("terminated signal received", "context canceled"); "" when it was
	// not. An interrupted report has what was read until then, and never
	// passes.
	Interrupted string `json:"interrupted,omitempty"`
	// Warnings are things to look at that do not fail the run, such as a
	// command that exited 0 without a single test result.
	Warnings []string `json:"warnings,omitempty"`

	// stderr is the end of the command's stderr, for Run's messages.
	stderr string
}

// Counts totals a report's cases by status.
type Counts struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// Total is the number of cases counted.
func (c Counts) Total() int { return c.Passed + c.Failed + c.Skipped }

// Counts totals the cases by status.
func (r *Report) Counts() Counts {
	var n Counts
	for _, c := range r.Cases {
		switch c.Status {
		case Passed:
			n.Passed++
		case Failed:
			n.Failed++
		case Skipped:
			n.Skipped++
		}
	}
	return n
}

// Passed reports whether the run passed: no failed case, not interrupted
// and, when a command ran, a zero exit status.
func (r *Report) Passed() bool {
	if r.ExitCode > 0 || r.Interrupted != "" {
		return false
	}
	for _, c := range r.Cases {
		if c.Status == Failed {
			return false
		}
	}
	return true
}

// Failures lists the failed cases worth showing, in report order. A Go test
// that failed only because one of its subtests failed, and said nothing of
// its own, is left out: the subtest carries the message and the location.
func (r *Report) Failures() []*Case {
	// The parents of failed subtests, found in one pass: asking each
	// failed case for its children instead made 10k failures take 10k
	// passes over the cases.
	type key struct{ suite, name string }
	parents := map[key]bool{}
	for _, c := range r.Cases {
		if c.Status != Failed {
			continue
		}
		for name := c.Name; ; {
			i := strings.LastIndexByte(name, '/')
			if i < 0 {
				break
			}
			name = name[:i]
			if parents[key{c.Suite, name}] {
				break // and so are its ancestors
			}
			parents[key{c.Suite, name}] = true
		}
	}
	var out []*Case
	for _, c := range r.Cases {
		if c.Status != Failed {
			continue
		}
		if c.Message == "" && c.Name != "" && parents[key{c.Suite, c.Name}] {
			continue
		}
		out = append(out, c)
	}
	return out
}

// Slowest returns the n slowest named cases that took any measurable time,
// slowest first (ties by title).
func (r *Report) Slowest(n int) []*Case {
	if n <= 0 {
		return nil
	}
	cs := make([]*Case, 0, len(r.Cases))
	for _, c := range r.Cases {
		if c.Name != "" && c.Status != Skipped && c.Duration > 0 {
			cs = append(cs, c)
		}
	}
	slices.SortStableFunc(cs, func(a, b *Case) int {
		if d := cmp.Compare(b.Duration, a.Duration); d != 0 {
			return d
		}
		return cmp.Compare(a.Title(), b.Title())
	})
	return cs[:min(n, len(cs))]
}

// merge appends o's suites and cases to r.
func (r *Report) merge(o *Report) {
	r.Suites = append(r.Suites, o.Suites...)
	r.Cases = append(r.Cases, o.Cases...)
}
