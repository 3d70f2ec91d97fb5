package config

import (
	"strings"
	"testing"
)

func TestReleaseMode(t *testing.T) {
	for _, mode := range []string{"", "direct", "pr"} {
		in := "release:\n  mode: " + mode + "\n"
		if mode == "" {
			in = "release:\n  branch: main\n"
		}
		cfg, err := Parse(FileName, []byte(in))
		if err != nil {
			t.Fatalf("mode %q: %v", mode, err)
		}
		if cfg.Release.Mode != mode {
			t.Errorf("mode = %q, want %q", cfg.Release.Mode, mode)
		}
	}
	_, err := Parse(FileName, []byte("release:\n  branch: main\n  mode: PR\n"))
	want := `.shipflow.yaml:3:9: release.mode: is "PR": use "direct"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error = %v\nwant prefix %q", err, want)
	}
}
