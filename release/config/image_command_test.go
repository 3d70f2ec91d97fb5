package config

import (
	"slices"
	"testing"
)

// image.on-rollback and image.on-promote take a list of arguments or a
// string split at white space, never read by a shell.
func TestImageCommands(t *testing.T) {
	cases := []struct {
		name, yaml string
		rollback   []string
		promote    []string
	}{
		{"string", "image:\n  on-rollback: ./rollback.sh {{.Version}}  {{.Digest}}\n", []string{"./rollback.sh", "{{.Version}}", "{{.Digest}}"}, nil},
		{"list", "image:\n  on-promote: [deploy, \"a b\", \"$(x); y\"]\n", nil, []string{"deploy", "a b", "$(x); y"}},
		{"quotes are plain", "image:\n  on-rollback: 'echo \"a b\"'\n", []string{"echo", `"a`, `b"`}, nil},
		{"none", "image: {}\n", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse(".shipflow.yaml", []byte(c.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cfg.Image.OnRollback, c.rollback) || !slices.Equal(cfg.Image.OnPromote, c.promote) {
				t.Errorf("on-rollback %q, on-promote %q; want %q, %q", cfg.Image.OnRollback, cfg.Image.OnPromote, c.rollback, c.promote)
			}
		})
	}
}
