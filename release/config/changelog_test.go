package config

import (
	"errors"
	"testing"
)

func TestParseChangelogPrereleases(t *testing.T) {
	for _, tt := range []struct {
		name     string
		in       string
		wantFold bool
		wantErr  string // empty: no error
	}{
		{"unset", "changelog:\n  preset: angular\n", false, ""},
		{"sections", "changelog:\n  prereleases: sections\n", false, ""},
		{"fold", "changelog:\n  prereleases: fold\n", true, ""},
		{"unknown value", "changelog:\n  preset: angular\n  prereleases: squash\n",
			false, `.shipflow.yaml:3:16: changelog.prereleases: unknown value "squash", valid values are sections (the default) and fold`},
		{"case matters", "changelog: {prereleases: Fold}\n",
			false, `.shipflow.yaml:1:26: changelog.prereleases: unknown value "Fold", valid values are sections (the default) and fold`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse(FileName, []byte(tt.in))
			if tt.wantErr != "" {
				var ce *Error
				if !errors.As(err, &ce) || err.Error() != tt.wantErr {
					t.Fatalf("error = %v\nwant *Error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			fold, err := cfg.Changelog.FoldPrereleases()
			if err != nil || fold != tt.wantFold {
				t.Errorf("FoldPrereleases() = %v, %v; want %v", fold, err, tt.wantFold)
			}
		})
	}
}

// TestChangelogFoldPrereleasesInCode checks a section built in code: no
// position, the file named.
func TestChangelogFoldPrereleasesInCode(t *testing.T) {
	_, err := Changelog{Prereleases: "all"}.FoldPrereleases()
	if want := `.shipflow.yaml: changelog.prereleases: unknown value "all", valid values are sections (the default) and fold`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}
