package release

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/versionfile"
)

func vfRepo(t *testing.T, files map[string]string) (*gittest.Repo, *git.Repo) {
	t.Helper()
	vfEnv(t)
	r := gittest.New(t)
	for name, data := range files {
		r.WriteFile(name, data)
		r.Git("add", "--", name)
	}
	r.Commit("chore: start")
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	return r, repo
}

// The plan lists the version files when it proposes a version, in text
// and JSON, and warns about one that disagrees with the last release,
// naming its file:line:col.
func TestPlanVersionFiles(t *testing.T) {
	r, repo := vfRepo(t, map[string]string{
		"pyproject.toml": "[project]\nname = \"svc\"\nversion = \"0.1.0\"\n",
		"package.json":   "{\n  \"name\": \"web\",\n  \"version\": \"0.0.9\"\n}\n",
		"app.yaml":       "image:\n  tag: 0.1.0\n",
	})
	r.AnnotatedTag("v0.1.0", "v0.1.0")

	rep, err := Plan(context.Background(), repo, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.VersionFiles != nil || len(rep.Warnings) != 0 {
		t.Errorf("nothing to release, yet version files %v, warnings %q", rep.VersionFiles, rep.Warnings)
	}

	r.Commit("feat: widgets")
	cfg, err := config.Parse(config.FileName, []byte("release:\n  version-files:\n    - {path: app.yaml, yaml: image.tag}\n"))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := ResolveNext(MapInputs{}, cfg, CI{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = Plan(context.Background(), repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []versionfile.File{
		{Path: "pyproject.toml", Kind: versionfile.KindPyproject, Key: "project.version", Value: "0.1.0", Line: 3, Column: 12},
		{Path: "package.json", Kind: versionfile.KindPackageJSON, Key: "version", Value: "0.0.9", Line: 3, Column: 15},
		{Path: "app.yaml", Kind: versionfile.KindYAML, Key: "image.tag", Value: "0.1.0", Line: 2, Column: 8},
	}
	if diff := cmp.Diff(want, rep.VersionFiles); diff != "" {
		t.Errorf("version files (-want +got):\n%s", diff)
	}
	wantWarn := []string{`version file package.json:3:15 has version = "0.0.9", not 0.1.0 (the last release v0.1.0): the release writes 0.2.0 over it`}
	if diff := cmp.Diff(wantWarn, rep.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}

	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	wantText := "\nversion files (→ 0.2.0):\n  pyproject.toml:3:12: project.version = \"0.1.0\"\n  package.json:3:15: version = \"0.0.9\"\n  app.yaml:2:8: image.tag = \"0.1.0\"\n\nwarnings:\n"
	if !strings.Contains(text.String(), wantText) {
		t.Errorf("text lacks\n%s\ngot:\n%s", wantText, text.String())
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		VersionFiles []versionfile.File `json:"version_files"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, doc.VersionFiles); diff != "" {
		t.Errorf("JSON version_files (-want +got):\n%s", diff)
	}
}

// A configured version file that is not there fails the plan: the
// configuration asked for it.
func TestPlanVersionFilesExplicitMissing(t *testing.T) {
	r, repo := vfRepo(t, map[string]string{"VERSION": "0.1.0\n"})
	r.AnnotatedTag("v0.1.0", "v0.1.0")
	r.Commit("fix: x")
	_, err := Plan(context.Background(), repo, PlanOptions{VersionFiles: []versionfile.Entry{{Path: "chart/values.yaml", YAML: "tag"}}})
	if err == nil || !strings.Contains(err.Error(), "chart/values.yaml") {
		t.Fatalf("error = %v, want one naming chart/values.yaml", err)
	}
}

// A first release has no version to disagree with; a prerelease line's
// files at the prerelease the commits start after agree.
func TestPlanVersionFilesNoFalseDisagreement(t *testing.T) {
	r, repo := vfRepo(t, map[string]string{"VERSION": "0.1.0\n"})
	r.Commit("feat: first")
	rep, err := Plan(context.Background(), repo, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.VersionFiles) != 1 || len(rep.Warnings) != 0 {
		t.Errorf("first release: files %v, warnings %q", rep.VersionFiles, rep.Warnings)
	}

	r.AnnotatedTag("v1.0.0", "v1.0.0")
	r.Git("checkout", "--quiet", "-b", "dev")
	r.WriteFile("VERSION", "1.1.0-dev.1\n")
	r.Git("add", "--", "VERSION")
	r.Commit("feat: second")
	r.AnnotatedTag("v1.1.0-dev.1", "v1.1.0-dev.1")
	r.Commit("fix: third")
	rep, err = Plan(context.Background(), repo, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.NextTag == "" || len(rep.VersionFiles) != 1 {
		t.Fatalf("dev plan %s, files %v, warnings %q", rep.NextTag, rep.VersionFiles, rep.Warnings)
	}
	for _, w := range rep.Warnings {
		if strings.Contains(w, "version file") {
			t.Errorf("warning %q for a file at the prerelease the commits start after", w)
		}
	}
}
