package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseStrict(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string // empty: no error
	}{
		{"empty", "", ""},
		{"comment only", "# nothing\n", ""},
		{"null document", "~\n", ""},
		{"lint section", "lint:\n  strict: true\n  ignores: ['^WIP']\n", ""},
		{"unknown top-level key", "lint:\n  strict: true\nlnit: {}\n", ".shipflow.yaml:3:1: unknown key \"lnit\" in the top level; did you mean \"lint\"?"},
		{"unknown nested key", "lint:\n  strict: true\n  strikt: false\n", ".shipflow.yaml:3:3: unknown key \"strikt\" in `lint`; did you mean \"strict\"?"},
		{"repeated key", "lint:\n  strict: true\n  strict: false\n", ".shipflow.yaml:3:3: key \"strict\" is repeated in `lint`"},
		{"wrong kind", "lint:\n  strict: [1]\n", ".shipflow.yaml:2: cannot unmarshal !!seq into bool"},
		{"not a mapping", "- a\n- b\n", ".shipflow.yaml:1:1: the configuration must be a mapping"},
		{"bad yaml", "lint:\n  strict: true\n bad\n", ".shipflow.yaml:2: did not find expected key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(FileName, []byte(tt.in))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v\nwant prefix %q", err, tt.wantErr)
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.File != FileName {
				t.Fatalf("error is %T, want *config.Error naming the file", err)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	cfg, err := Parse(FileName, []byte("lint:\n  strict: true\n  ignores: ['^WIP', '^tmp']\n  default-ignores: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Lint.Strict || len(cfg.Lint.Ignores) != 2 || cfg.Lint.DefaultIgnores == nil || *cfg.Lint.DefaultIgnores {
		t.Fatalf("lint = %+v", cfg.Lint)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	cfg, found, err := Load(dir)
	if err != nil || found || cfg == nil {
		t.Fatalf("missing file: cfg=%v found=%v err=%v", cfg, found, err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("lint:\n  strict: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, found, err = Load(dir)
	if err != nil || !found || !cfg.Lint.Strict {
		t.Fatalf("cfg=%+v found=%v err=%v", cfg, found, err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("nope: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), ".shipflow.yaml:1:1") {
		t.Fatalf("err = %v", err)
	}
}
