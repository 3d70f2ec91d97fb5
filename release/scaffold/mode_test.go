package scaffold

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// filesFor returns FilesFor(p, mode) as a map from path to content.
func filesFor(t *testing.T, p Project, mode string) map[string]string {
	t.Helper()
	fs, err := FilesFor(p, mode)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, f := range fs {
		m[f.Path] = string(f.Data)
	}
	return m
}

const releaseYML = ".github/workflows/release.yml"

// releaseWorkflow is the part of a release workflow the modes differ in.
type releaseWorkflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress *bool  `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Jobs map[string]struct {
		Steps []struct {
			ID   string            `yaml:"id"`
			If   string            `yaml:"if"`
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func parseRelease(t *testing.T, data string) releaseWorkflow {
	t.Helper()
	var wf releaseWorkflow
	if err := yaml.Unmarshal([]byte(data), &wf); err != nil {
		t.Fatal(err)
	}
	return wf
}

// TestReleaseModeDefaultsToPR: without a mode the scaffold is PR mode's.
func TestReleaseModeDefaultsToPR(t *testing.T) {
	def, pr := filesFor(t, Project{}, ""), filesFor(t, Project{}, ReleaseModePR)
	for path, data := range pr {
		if def[path] != data {
			t.Errorf("%s differs between the default and %q", path, ReleaseModePR)
		}
	}
	all := Files()
	if len(all) != len(pr) || string(all[2].Data) != pr[releaseYML] {
		t.Errorf("Files() is not PR mode's scaffold")
	}
	if ReleaseModes[0] != ReleaseModePR || len(ReleaseModes) != 2 {
		t.Errorf("ReleaseModes = %q, want pr first (the default), then direct", ReleaseModes)
	}
}

func TestReleaseModeUnknown(t *testing.T) {
	if _, err := FilesFor(Project{}, "push"); err == nil || !strings.Contains(err.Error(), `"push"`) ||
		!strings.Contains(err.Error(), `"pr"`) || !strings.Contains(err.Error(), `"direct"`) {
		t.Errorf("FilesFor(push) err = %v", err)
	}
	dir := t.TempDir()
	rep, err := Write(context.Background(), dir, Options{ReleaseMode: "push"})
	if err == nil || len(rep.Entries) != 0 {
		t.Errorf("Write(push) = %+v, %v; want an error and nothing written", rep, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("Write(push) wrote %d files", len(ents))
	}
}

// TestReleaseModeConfig: .shipflow.yaml sets release.mode to the mode.
func TestReleaseModeConfig(t *testing.T) {
	for _, mode := range ReleaseModes {
		t.Run(mode, func(t *testing.T) {
			cfg := filesFor(t, Project{}, mode)[".shipflow.yaml"]
			if !strings.Contains(cfg, "\nrelease:\n") || !strings.Contains(cfg, "\n  mode: "+mode+"\n") {
				t.Errorf(".shipflow.yaml does not set release.mode: %s:\n%s", mode, cfg)
			}
			var doc struct {
				Release struct {
					Mode string `yaml:"mode"`
				} `yaml:"release"`
			}
			if err := yaml.Unmarshal([]byte(cfg), &doc); err != nil || doc.Release.Mode != mode {
				t.Errorf("release.mode = %q, %v; want %q", doc.Release.Mode, err, mode)
			}
			// PR mode's release commit message has no [skip ci]: its
			// merge must run the release workflow.
			wantMsg := map[string]string{ReleaseModePR: "#  commit-message: 'chore(release): {{.Tag}}' ", ReleaseModeDirect: "#  commit-message: 'chore(release): {{.Tag}} [skip ci]'\n"}[mode]
			if !strings.Contains(cfg, wantMsg) {
				t.Errorf(".shipflow.yaml lacks %q", wantMsg)
			}
			for _, want := range []string{"#  assets:", "#  version-files:", "yaml: ", "json: ",
				"pyproject.toml", "package.json", "package-lock.json", "Cargo.toml", "Cargo.lock", "Chart.yaml",
				"__version__", "VERSION", "version.go", "shipflow:version"} {
				if !strings.Contains(cfg, want) {
					t.Errorf(".shipflow.yaml's release section lacks %q", want)
				}
			}
		})
	}
}

// TestReleaseWorkflowModes: both workflows release from main, one run at
// a time, and push the image only when the release step created a GitHub
// release, with its version; PR mode's also writes pull requests and runs
// the release action unconditionally.
func TestReleaseWorkflowModes(t *testing.T) {
	for _, mode := range ReleaseModes {
		t.Run(mode, func(t *testing.T) {
			data := filesFor(t, Project{}, mode)[releaseYML]
			wf := parseRelease(t, data)
			if c := wf.Concurrency; c.Group != "release" || c.CancelInProgress == nil || *c.CancelInProgress {
				t.Errorf("concurrency = %+v", c)
			}
			if _, ok := wf.On["push"]; !ok {
				t.Errorf("on = %v, want push", wf.On)
			}
			wantPerm := map[string]string{"contents": "write", "packages": "write", "checks": "write"}
			if mode == ReleaseModePR {
				wantPerm["pull-requests"] = "write"
			}
			if len(wf.Permissions) != len(wantPerm) {
				t.Errorf("permissions = %v, want %v", wf.Permissions, wantPerm)
			}
			for k, v := range wantPerm {
				if wf.Permissions[k] != v {
					t.Errorf("permissions.%s = %q, want %q", k, wf.Permissions[k], v)
				}
			}
			steps := wf.Jobs["release"].Steps
			var release, image, push bool
			for _, s := range steps {
				switch {
				case strings.HasPrefix(s.Uses, "shipflow/shipflow/actions/next@"):
					t.Errorf("the next step is left: the release step's outputs gate the image")
				case strings.HasPrefix(s.Uses, "shipflow/shipflow/actions/release@"):
					release = s.ID == "release" && s.If == "" && s.With["mode"] == ""
					if !release {
						t.Errorf("release step = %+v; want id release, no if, no mode input (.shipflow.yaml has it)", s)
					}
				case s.ID == "image":
					image = strings.Contains(s.If, "steps.release.outputs.created == 'true'") &&
						s.Env["VERSION"] == "${{ steps.release.outputs.version }}"
					if !image {
						t.Errorf("image step = %+v", s)
					}
				case strings.HasPrefix(s.Uses, "shipflow/shipflow/actions/image@"):
					push = s.With["image-version"] == "${{ steps.release.outputs.version }}"
					if !push {
						t.Errorf("image push step = %+v", s)
					}
				}
			}
			if !release || !image || !push {
				t.Errorf("release %v, image build %v, image push %v:\n%s", release, image, push, data)
			}
			if mode == ReleaseModePR && !strings.Contains(data, "Allow GitHub Actions to create and approve pull requests") {
				t.Errorf("PR mode's release.yml does not name the repository setting")
			}
		})
	}
}

// TestWriteReleaseMode: Write writes the mode's workflow and config.
func TestWriteReleaseMode(t *testing.T) {
	for _, mode := range ReleaseModes {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Write(context.Background(), dir, Options{ReleaseMode: mode}); err != nil {
				t.Fatal(err)
			}
			want := filesFor(t, Project{}, mode)
			for _, path := range []string{releaseYML, ".shipflow.yaml"} {
				got, err := os.ReadFile(filepath.Join(dir, path))
				if err != nil || string(got) != want[path] {
					t.Errorf("%s: %v, not the %s scaffold", path, err, mode)
				}
			}
		})
	}
}
