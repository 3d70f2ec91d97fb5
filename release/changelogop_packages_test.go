package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
)

func changelogMono(t *testing.T, dir string, opts ChangelogOptions, po PackagesOptions) *ChangelogPackagesReport {
	t.Helper()
	repo, err := git.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	opts.Now = func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }
	rep, err := ChangelogPackages(context.Background(), repo, opts, po)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestChangelogPackagesWritesEachPackagesFile(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.Git("remote", "add", "origin", "git@github.com:o/r.git")
	r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	r.CommitFile("py/tool.py", "x\n", "fix(tool): print the right thing")
	po := PackagesOptions{Packages: pkgs, BumpDependents: true}
	rep := changelogMono(t, r.Dir, ChangelogOptions{}, po)
	written := map[string]string{}
	for _, p := range rep.Packages {
		if p.Written {
			written[p.Package] = p.Tag
		} else if p.Skipped != "nothing to release" {
			t.Errorf("package %s skipped: %s", p.Package, p.Skipped)
		}
	}
	if !mapsEqual(written, map[string]string{"web": "web-v1.1.0", "tool": "tool-v0.3.1"}) {
		t.Errorf("written = %v, want web and tool", written)
	}
	web, _ := os.ReadFile(filepath.Join(r.Dir, "web", "CHANGELOG.md"))
	if !strings.Contains(string(web), "\n## [1.1.0](https://github.com/o/r/compare/web-v1.0.0...web-v1.1.0) (2026-01-02)\n") || !strings.Contains(string(web), "a new page") || strings.Contains(string(web), "print the right thing") {
		t.Errorf("web/CHANGELOG.md =\n%s\nwant web's section alone, comparing web's tags", web)
	}
	tool, _ := os.ReadFile(filepath.Join(r.Dir, "py", "CHANGELOG.md"))
	if !strings.Contains(string(tool), "compare/tool-v0.3.0...tool-v0.3.1") || !strings.Contains(string(tool), "print the right thing") {
		t.Errorf("py/CHANGELOG.md =\n%s", tool)
	}
	for _, f := range []string{"CHANGELOG.md", "api/CHANGELOG.md", "ui/CHANGELOG.md"} {
		if _, err := os.Stat(filepath.Join(r.Dir, f)); err == nil {
			t.Errorf("%s written: its package releases nothing", f)
		}
	}
	// Again: every section exists already.
	rep = changelogMono(t, r.Dir, ChangelogOptions{}, po)
	for _, p := range rep.Packages {
		if p.Written {
			t.Errorf("second run wrote %s", p.Path)
		}
	}
}

func TestChangelogPackagesDryRunAndOnly(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	r.CommitFile("py/tool.py", "x\n", "fix(tool): print the right thing")
	rep := changelogMono(t, r.Dir, ChangelogOptions{DryRun: true}, PackagesOptions{Packages: pkgs, Only: []string{"tool", "web"}})
	var b strings.Builder
	if err := rep.WriteText(&b, r.Dir, ChangelogOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "# web\n\n## 1.1.0 (2026-01-02)\n") || !strings.Contains(out, "\n# tool\n\n## 0.3.1 (2026-01-02)\n") {
		t.Errorf("dry run =\n%s\nwant web's then tool's section, each headed by its package", out)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "web", "CHANGELOG.md")); err == nil {
		t.Error("a dry run wrote web/CHANGELOG.md")
	}
}

func TestChangelogPackagesRefusesWhatIsNotPerPackage(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]ChangelogOptions{
		"rebuild": {Rebuild: true},
		"file":    {File: "CHANGES.md"},
		"version": {Version: "2.0.0"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ChangelogPackages(context.Background(), repo, opts, PackagesOptions{Packages: pkgs})
			if !errors.Is(err, ErrPackagesUnsupported) {
				t.Errorf("err = %v, want ErrPackagesUnsupported", err)
			}
		})
	}
}

func TestChangelogPackagesRefusesAChangelogOutsideTheTree(t *testing.T) {
	cfg := strings.Replace(monorepoConfig, "    path: web\n", "    path: web\n    changelog: web/out/CHANGELOG.md\n", 1)
	r, pkgs := newMonorepo(t, cfg)
	if err := os.Symlink(t.TempDir(), filepath.Join(r.Dir, "web", "out")); err != nil {
		t.Fatal(err)
	}
	r.CommitFile("web/page.js", "x\n", "feat(web): a new page")
	repo, _ := git.Open(context.Background(), r.Dir)
	_, err := ChangelogPackages(context.Background(), repo, ChangelogOptions{}, PackagesOptions{Packages: pkgs})
	if err == nil || !strings.Contains(err.Error(), "packages[2].changelog") {
		t.Errorf("err = %v, want a refusal at packages[2].changelog", err)
	}
}

// TestChangelogPackagesOnePass: the changelogs of every package cost as
// many git processes as those of two: one plan for all.
func TestChangelogPackagesOnePass(t *testing.T) {
	r, pkgs := newMonorepo(t, monorepoConfig)
	for i, dir := range []string{"api", "web", "ui", "py", "."} {
		r.CommitFile(filepath.Join(dir, "f"+string(rune('0'+i))+".txt"), "x\n", "fix: change "+string(rune('0'+i)))
	}
	repo, err := git.Open(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	run := func(pkgs []config.Package) {
		if _, err := ChangelogPackages(context.Background(), repo, ChangelogOptions{DryRun: true}, PackagesOptions{Packages: pkgs}); err != nil {
			t.Fatal(err)
		}
	}
	few := gitRuns(t, func() { run(pkgs[:2]) })
	all := gitRuns(t, func() { run(pkgs) })
	total := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	t.Logf("git runs: %d for 2 packages, %d for 5 (%v)", total(few), total(all), all)
	if all["log"] != 1 || total(all) != total(few) {
		t.Errorf("git runs: %v for 2 packages, %v for 5; want one log and as many runs whatever the number of packages", few, all)
	}
}
