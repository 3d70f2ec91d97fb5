package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestReleaseVersionFiles(t *testing.T) {
	in := "release:\n  version-files:\n    - {path: deploy/values.yaml, yaml: image.tag}\n    - path: app.json\n      json: expo.version\n"
	cfg, err := Parse(FileName, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []VersionFile{{Path: "deploy/values.yaml", YAML: "image.tag"}, {Path: "app.json", JSON: "expo.version"}}
	if !reflect.DeepEqual(cfg.Release.VersionFiles, want) {
		t.Fatalf("version files = %+v, want %+v", cfg.Release.VersionFiles, want)
	}
}

func TestReleaseVersionFilesRefused(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"unknown key", "release:\n  version-files:\n    - path: a.json\n      jsn: version\n",
			`.shipflow.yaml:4:7: unknown key "jsn" in ` + "`release.version-files[0]`"},
		{"no key", "release:\n  version-files:\n    - path: a.json\n",
			".shipflow.yaml:3:7: release.version-files[0]: give exactly one of json, toml and yaml"},
		{"two keys", "release:\n  version-files:\n    - {path: a.json, json: v, toml: v}\n",
			".shipflow.yaml:3:7: release.version-files[0]: give exactly one of json, toml and yaml"},
		{"no path", "release:\n  version-files:\n    - json: version\n",
			".shipflow.yaml:3:7: release.version-files[0]: has no path"},
		{"path in .git", "release:\n  version-files:\n    - {path: a.json, json: v}\n    - {path: .git/config, toml: core.x}\n",
			".shipflow.yaml:4:14: release.version-files[1].path: "},
		{"path out", "release:\n  version-files:\n    - {path: ../x.json, json: v}\n",
			".shipflow.yaml:3:14: release.version-files[0].path: "},
		{"not a list", "release:\n  version-files: pyproject.toml\n",
			".shipflow.yaml:2: cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(FileName, []byte(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v\nwant prefix %q", err, tt.want)
			}
		})
	}
}
