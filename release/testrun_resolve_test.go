package release_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/testreport"
)

// TestResolveTest: flag or input > .shipflow.yaml > default.
func TestResolveTest(t *testing.T) {
	three := 3
	cfg := &config.Config{Test: config.Test{Command: []string{"make", "test"}, JUnit: []string{"reports/*.xml"}, Slowest: &three}}
	type want struct {
		Command, JUnit []string
		Slowest        int
	}
	tests := []struct {
		name string
		in   release.MapInputs
		cfg  *config.Config
		want want
	}{
		{"defaults", nil, nil, want{Slowest: release.TestDefaultSlowest}},
		{"config", nil, cfg, want{Slowest: 3}},
		{"inputs", release.MapInputs{"test-command": "go test  ./...", "junit": "a.xml\nb/*.xml, c.xml", "slowest": "5"}, cfg,
			want{Command: []string{"go", "test", "./..."}, JUnit: []string{"a.xml", "b/*.xml", "c.xml"}, Slowest: 5}},
		{"empty inputs are not given", release.MapInputs{"test-command": " ", "junit": "", "slowest": ""}, cfg, want{Slowest: 3}},
		{"negative slowest is none", release.MapInputs{"slowest": "-1"}, nil, want{Slowest: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := release.ResolveTest(tt.in, tt.cfg, release.CI{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, want{o.Command, o.JUnit, o.Slowest}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tt.cfg != nil && !cmp.Equal(o.Config.Command, tt.cfg.Test.Command) {
				t.Errorf("config %+v, want %+v", o.Config, tt.cfg.Test)
			}
		})
	}
	_, err := release.ResolveTest(release.MapInputs{"slowest": "many"}, nil, release.CI{})
	var ie *release.InputError
	if !errors.As(err, &ie) || ie.Name != "slowest" {
		t.Errorf("slowest many: err = %v, want an *InputError", err)
	}
}

func TestTestRunOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		o    release.TestRunOptions
		want string // "" for valid
	}{
		{"nothing", release.TestRunOptions{}, "nothing to run"},
		{"command", release.TestRunOptions{Command: []string{"true"}}, ""},
		{"config command", release.TestRunOptions{Config: config.Test{Command: []string{"true"}}}, ""},
		{"junit", release.TestRunOptions{JUnit: []string{"*.xml"}}, ""},
		{"config junit", release.TestRunOptions{Config: config.Test{JUnit: []string{"*.xml"}}}, ""},
		{"empty name", release.TestRunOptions{Command: []string{""}}, "empty command name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
	if err := (release.TestRunOptions{}).Validate(); !errors.Is(err, release.ErrTestNothing) {
		t.Errorf("nothing: %v is not ErrTestNothing", err)
	}
}

// TestTestFindings: a warning per warning, an error per failure at its
// file and line; a failure without a place has no file.
func TestTestFindings(t *testing.T) {
	rep := &testreport.Report{
		Cases: []*testreport.Case{
			{Suite: "pkg", Name: "TestOK", Status: testreport.Passed},
			{Suite: "pkg", Name: "TestDiv", Status: testreport.Failed, Message: "got 1, want 2", File: "calc/div_test.go", Line: 13},
			{Suite: "pkg/build", Status: testreport.Failed, Output: "undefined: foo\n"},
		},
		Warnings: []string{"no JUnit file matched x.xml"},
	}
	want := []report.Finding{
		{Level: report.Warning, Title: "shipflow test", Message: "no JUnit file matched x.xml"},
		{Source: report.SourceFile, File: "calc/div_test.go", Line: 13, Level: report.Error, Title: "FAIL: pkg.TestDiv", Message: "got 1, want 2"},
		{Level: report.Error, Title: "FAIL: pkg/build", Message: "undefined: foo"},
	}
	got := release.TestFindings(rep)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// As workflow commands: the file and line where known, properties and
	// message escaped as the runner expects.
	var b strings.Builder
	gw := report.NewGitHub(&b)
	for _, f := range got {
		gw.Write(report.Loose(f))
	}
	wantOut := "::warning title=shipflow test::no JUnit file matched x.xml\n" +
		"::error file=calc/div_test.go,line=13,title=FAIL%3A pkg.TestDiv::got 1, want 2\n" +
		"::error title=FAIL%3A pkg/build::undefined: foo\n"
	if diff := cmp.Diff(wantOut, b.String()); diff != "" {
		t.Errorf("github (-want +got):\n%s", diff)
	}
}
