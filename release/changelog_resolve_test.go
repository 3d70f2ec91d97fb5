package release_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/version"
)

// TestResolveChangelog: inputs over .shipflow.yaml over the CI context
// over the defaults, for every option of `changelog`.
func TestResolveChangelog(t *testing.T) {
	ptr := func(s string) *string { return &s }
	cfg := &config.Config{
		Version:   config.Version{TagPrefix: ptr("release-")},
		Changelog: config.Changelog{File: "docs/CHANGES.md", Preset: "angular"},
	}
	ci := release.CI{Branch: "dev"}
	cases := []struct {
		name    string
		in      release.Inputs
		cfg     *config.Config
		ci      release.CI
		want    release.ChangelogOptions
		wantErr string
	}{
		{name: "defaults", in: release.NoInputs{}, want: release.ChangelogOptions{}},
		{
			name: "config and CI", in: release.NoInputs{}, cfg: cfg, ci: ci,
			want: release.ChangelogOptions{
				Config: cfg.Changelog,
				Plan:   release.PlanOptions{Config: cfg.Version, DetachedBranch: "dev"},
			},
		},
		{
			name: "inputs", cfg: cfg, ci: ci,
			in: release.MapInputs{
				"file": "CHANGES.md", "preset": "keepachangelog", "release-version": "v2.0.0",
				"rebuild": "true", "dry-run": "true", "tag-prefix": "none", "branch": "main",
			},
			want: release.ChangelogOptions{
				Config: cfg.Changelog,
				Plan:   release.PlanOptions{Config: cfg.Version, TagPrefix: ptr("none"), Branch: "main", DetachedBranch: "dev"},
				File:   "CHANGES.md", Preset: "keepachangelog", Version: "v2.0.0", Rebuild: true, DryRun: true,
			},
		},
		{
			name: "empty inputs are not given", cfg: cfg,
			in:   release.MapInputs{"file": "", "preset": "", "release-version": "", "dry-run": ""},
			want: release.ChangelogOptions{Config: cfg.Changelog, Plan: release.PlanOptions{Config: cfg.Version}},
		},
		{name: "file outside", in: release.MapInputs{"file": "../CHANGELOG.md"}, wantErr: `input file: "../CHANGELOG.md" leaves the repository`},
		{name: "file in .git", in: release.MapInputs{"file": ".git/config"}, wantErr: `input file: ".git/config" is inside .git/`},
		{name: "unknown preset", in: release.MapInputs{"preset": "gitmoji"}, wantErr: `input preset: "gitmoji" is not one of angular, conventionalcommits, keepachangelog`},
		{name: "bad version", in: release.MapInputs{"release-version": "1.2"}, wantErr: `input release-version: "1.2" is not a semantic version X.Y.Z (1.2.0 or v1.2.0)`},
		{name: "bad boolean", in: release.MapInputs{"dry-run": "yes"}, wantErr: `input dry-run: "yes" is not a boolean (use true or false)`},
		{name: "bad boolean", in: release.MapInputs{"rebuild": "maybe"}, wantErr: `input rebuild: "maybe" is not a boolean`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := release.ResolveChangelog(c.in, c.cfg, c.ci)
			if c.wantErr != "" {
				var ie *release.InputError
				if !errors.As(err, &ie) && !repofs.IsRefused(err) || !strings.HasPrefix(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want an *InputError or a refused path starting %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got, cmpopts.IgnoreUnexported(config.Changelog{}), cmpopts.IgnoreFields(release.ChangelogOptions{}, "Now")); diff != "" {
				t.Errorf("ResolveChangelog (-want +got):\n%s", diff)
			}
			if got.Now != nil {
				t.Errorf("Now is set without SOURCE_DATE_EPOCH")
			}
		})
	}
}

// TestResolveChangelogSourceDateEpoch: SOURCE_DATE_EPOCH comes through the
// CI context and stops the clock; a value that is no number is refused.
func TestResolveChangelogSourceDateEpoch(t *testing.T) {
	o, err := release.ResolveChangelog(release.NoInputs{}, nil, release.CI{SourceDateEpoch: "1700000000"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Now == nil || !o.Now().Equal(time.Unix(1700000000, 0)) || o.Now().Location() != time.UTC {
		t.Errorf("Now is not 2023-11-14 22:13:20 UTC")
	}
	_, err = release.ResolveChangelog(release.NoInputs{}, nil, release.CI{SourceDateEpoch: "yesterday"})
	if err == nil || err.Error() != `SOURCE_DATE_EPOCH "yesterday" is not a number of seconds` {
		t.Errorf("err = %v", err)
	}
}

// TestVerbFindings: each verb's warnings are warning findings and a
// refusal is an error finding, titled as the verb; other errors are not
// findings.
func TestVerbFindings(t *testing.T) {
	refused := &version.BumpError{}
	cutRefused := errors.Join(release.ErrCutRefused, errors.New("branch"))
	broken := errors.New("git broke")
	warn := func(title, msg string) report.Finding {
		return report.Finding{Title: title, Level: report.Warning, Message: msg}
	}
	fail := func(title string, err error) report.Finding {
		return report.Finding{Title: title, Level: report.Error, Message: err.Error()}
	}
	cases := []struct {
		name string
		got  []report.Finding
		want []report.Finding
	}{
		{"next warnings", release.NextFindings(&release.PlanReport{Warnings: []string{"a", "b"}}, nil), []report.Finding{warn("shipflow next", "a"), warn("shipflow next", "b")}},
		{"next refused", release.NextFindings(nil, refused), []report.Finding{fail("shipflow next", refused)}},
		{"next broken", release.NextFindings(nil, broken), nil},
		{"next nothing", release.NextFindings(&release.PlanReport{}, nil), nil},
		{"changelog warnings", release.ChangelogFindings(&release.ChangelogReport{Warnings: []string{"no links"}}, nil), []report.Finding{warn("shipflow changelog", "no links")}},
		{"changelog refused", release.ChangelogFindings(nil, refused), []report.Finding{fail("shipflow changelog", refused)}},
		{"changelog broken", release.ChangelogFindings(nil, broken), nil},
		{
			"release refused with warnings",
			release.ReleaseFindings(&release.CutReport{Plan: &release.CutPlan{Warnings: []string{"dirty"}}}, cutRefused),
			[]report.Finding{fail("shipflow release", cutRefused), warn("shipflow release", "dirty")},
		},
		{"release plan refused", release.ReleaseFindings(nil, refused), []report.Finding{fail("shipflow release", refused)}},
		{"release nothing", release.ReleaseFindings(&release.CutReport{Nothing: "nothing to release"}, nil), nil},
		{"release broken", release.ReleaseFindings(&release.CutReport{Plan: &release.CutPlan{}}, broken), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, c.got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
