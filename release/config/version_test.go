package config

import "testing"

// TestVersionInitial: version.initial is the documented spelling of the
// first version; the older initial-version keeps working.
func TestVersionInitial(t *testing.T) {
	cases := []struct {
		name, yaml string
		value, key string
		err        string
	}{
		{name: "unset", yaml: "version: {}"},
		{name: "initial", yaml: "version:\n  initial: 1.0.0", value: "1.0.0", key: "initial"},
		{name: "older spelling", yaml: "version:\n  initial-version: 0.1.0", value: "0.1.0", key: "initial-version"},
		{name: "both the same", yaml: "version:\n  initial: 1.0.0\n  initial-version: 1.0.0", value: "1.0.0", key: "initial"},
		{name: "both different", yaml: "version:\n  initial: 1.0.0\n  initial-version: 0.1.0",
			err: `initial "1.0.0" and initial-version "0.1.0" disagree: keep initial (initial-version is its older spelling)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse(FileName, []byte(c.yaml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			value, key, err := cfg.Version.InitialSetting()
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("InitialSetting error = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || value != c.value || key != c.key {
				t.Errorf("InitialSetting = %q, %q, %v; want %q, %q", value, key, err, c.value, c.key)
			}
		})
	}
}

// TestVersionPreMajor: release-please's names for what 0.x versions do with
// breaking changes and features.
func TestVersionPreMajor(t *testing.T) {
	cases := []struct {
		name, yaml         string
		majorOnZero        bool
		minorAsPatchOnZero bool
		err                string
	}{
		{name: "defaults", yaml: "version: {}"},
		{name: "bump-minor-pre-major true is the default", yaml: "version:\n  bump-minor-pre-major: true"},
		{name: "bump-minor-pre-major false", yaml: "version:\n  bump-minor-pre-major: false", majorOnZero: true},
		{name: "major-on-zero", yaml: "version:\n  major-on-zero: true", majorOnZero: true},
		{name: "both agree", yaml: "version:\n  major-on-zero: true\n  bump-minor-pre-major: false", majorOnZero: true},
		{name: "bump-patch-for-minor-pre-major", yaml: "version:\n  bump-patch-for-minor-pre-major: true", minorAsPatchOnZero: true},
		{name: "both disagree", yaml: "version:\n  major-on-zero: true\n  bump-minor-pre-major: true",
			err: "major-on-zero: true and bump-minor-pre-major: true disagree: keep one (bump-minor-pre-major: false is major-on-zero: true)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse(FileName, []byte(c.yaml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			major, err := cfg.Version.MajorOnZeroSetting()
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("MajorOnZeroSetting error = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || major != c.majorOnZero {
				t.Errorf("MajorOnZeroSetting = %v, %v; want %v", major, err, c.majorOnZero)
			}
			if cfg.Version.BumpPatchForMinorPreMajor != c.minorAsPatchOnZero {
				t.Errorf("BumpPatchForMinorPreMajor = %v, want %v", cfg.Version.BumpPatchForMinorPreMajor, c.minorAsPatchOnZero)
			}
		})
	}
}
