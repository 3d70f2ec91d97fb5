package release

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/config"
)

// TestLintConfigPackageScopes: the packages' names and scopes fill
// scope-enum in packages: order, each once; a commitlint scope-enum (even
// one turning the rule off) and lint.package-scopes: false leave it alone,
// and a shared configuration is never written to.
func TestLintConfigPackageScopes(t *testing.T) {
	pkgs := []config.Package{
		{Name: "api", Scopes: []string{"api", "server"}},
		{Name: "web"},
		{Name: "server"},
	}
	off := false
	for _, tt := range []struct {
		name       string
		commitlint string
		sec        config.Lint
		pkgs       []config.Package
		want       []string // nil: scope-enum is not set by the packages
		wantLevel  commitlint.Level
	}{
		{name: "packages fill scope-enum", pkgs: pkgs, want: []string{"api", "server", "web"}, wantLevel: commitlint.Error},
		{name: "no packages", pkgs: nil},
		{name: "package-scopes off", pkgs: pkgs, sec: config.Lint{PackageScopes: &off}},
		{name: "commitlint's own list wins", pkgs: pkgs,
			commitlint: `{"rules": {"scope-enum": [2, "always", ["mobile"]]}}`,
			want:       []string{"mobile"}, wantLevel: commitlint.Error},
		{name: "commitlint turning the rule off wins", pkgs: pkgs,
			commitlint: `{"rules": {"scope-enum": [0]}}`,
			want:       nil, wantLevel: commitlint.Disabled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.commitlint != "" {
				if err := os.WriteFile(filepath.Join(dir, ".commitlintrc.json"), []byte(tt.commitlint), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := LoadLintConfig(dir, tt.sec, LintConfigOptions{Packages: tt.pkgs})
			if err != nil {
				t.Fatal(err)
			}
			rc, set := res.Config.Rules["scope-enum"]
			if tt.want == nil && tt.wantLevel == 0 {
				if set && rc.Level != commitlint.Disabled {
					t.Fatalf("scope-enum = %+v, want it left unset", rc)
				}
				return
			}
			if !set || rc.Level != tt.wantLevel {
				t.Fatalf("scope-enum = %+v (set %v), want level %v", rc, set, tt.wantLevel)
			}
			if tt.want != nil {
				got, _ := rc.Value.([]string)
				if !slices.Equal(got, tt.want) {
					t.Errorf("scope-enum value = %q, want %q", got, tt.want)
				}
			}
		})
	}

	// The configuration loaded without packages is not changed by a later
	// load with them (the rules map may be shared by a cache).
	base := commitlint.Config{Rules: map[string]commitlint.RuleConfig{"type-enum": {Level: commitlint.Error}}}
	got := lintPackageScopes(base, config.Lint{}, pkgs)
	if _, set := base.Rules["scope-enum"]; set {
		t.Error("lintPackageScopes wrote scope-enum into the caller's rules map")
	}
	if _, set := got.Rules["scope-enum"]; !set {
		t.Error("lintPackageScopes returned no scope-enum")
	}
}
