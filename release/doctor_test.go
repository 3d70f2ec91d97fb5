package release

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/scaffold"
)

// initRepo is a repository set up as `shipflow init` sets it up: the
// scaffold and the commit-msg hook.
func initRepo(t *testing.T) (*gittest.Repo, *git.Repo) {
	t.Helper()
	g := gittest.New(t)
	ctx := context.Background()
	repo, err := git.Open(ctx, g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scaffold.Write(ctx, g.Dir, scaffold.Options{Repo: repo}); err != nil {
		t.Fatal(err)
	}
	if _, err := InstallHook(ctx, repo, HookOptions{Command: "shipflow"}); err != nil {
		t.Fatal(err)
	}
	return g, repo
}

// failed returns the checks that are not OK: ID and "required" or
// "warning".
func failed(rep *DoctorReport) map[string]string {
	out := map[string]string{}
	for _, c := range rep.Checks {
		if c.OK {
			continue
		}
		out[c.ID] = "warning"
		if c.Required {
			out[c.ID] = "required"
		}
	}
	return out
}

func doctorOf(t *testing.T, repo *git.Repo) *DoctorReport {
	t.Helper()
	rep, err := Doctor(context.Background(), repo)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func check(t *testing.T, rep *DoctorReport, id string) DoctorCheck {
	t.Helper()
	for _, c := range rep.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %s", id)
	return DoctorCheck{}
}

// A fresh init leaves nothing required missing; the warnings are the
// pre-commit hook and the dev branch, which init does not make.
func TestDoctorAfterInit(t *testing.T) {
	_, repo := initRepo(t)
	rep := doctorOf(t, repo)
	want := map[string]string{DoctorPreCommitHook: "warning", DoctorIntegrationBranch: "warning"}
	if diff := cmp.Diff(want, failed(rep)); diff != "" {
		t.Errorf("failed checks (-want +got):\n%s", diff)
	}
	if rep.Missing() != 0 || rep.Warnings() != 2 {
		t.Errorf("missing %d, warnings %d", rep.Missing(), rep.Warnings())
	}
	var ids []string
	for _, c := range rep.Checks {
		ids = append(ids, c.ID)
	}
	wantIDs := []string{DoctorConfig, DoctorEnvTemplate, DoctorDeployScript, DoctorRollbackScript, DoctorChangelog,
		DoctorCIWorkflow, DoctorReleaseWorkflow, DoctorEnvIgnored, DoctorEnvUntracked,
		DoctorCommitMsgHook, DoctorPreCommitHook, DoctorStableBranch, DoctorIntegrationBranch}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
}

func TestDoctorFindsWhatIsMissing(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, g *gittest.Repo, repo *git.Repo)
		want   map[string]string // beyond the fresh init's warnings
		id     string            // the check whose status and fix are checked
		status string
		fix    string
	}{
		{"rollback.sh removed", func(t *testing.T, g *gittest.Repo, _ *git.Repo) { remove(t, g, "rollback.sh") },
			map[string]string{DoctorRollbackScript: "required"}, DoctorRollbackScript, "missing", "run 'shipflow init': it writes rollback.sh"},
		{"deploy_docker.sh not executable", func(t *testing.T, g *gittest.Repo, _ *git.Repo) { chmod(t, g, "deploy_docker.sh", 0o644) },
			map[string]string{DoctorDeployScript: "required"}, DoctorDeployScript, "not executable (mode 0644)", "chmod +x deploy_docker.sh"},
		{"deploy_docker.sh committed without its executable bit", func(t *testing.T, g *gittest.Repo, _ *git.Repo) {
			g.Git("add", "deploy_docker.sh")
			g.Git("update-index", "--chmod=-x", "deploy_docker.sh")
		}, map[string]string{DoctorDeployScript: "required"}, DoctorDeployScript, "committed without the executable bit", "git update-index --chmod=+x deploy_docker.sh"},
		{".env.template removed", func(t *testing.T, g *gittest.Repo, _ *git.Repo) { remove(t, g, ".env.template") },
			map[string]string{DoctorEnvTemplate: "required"}, DoctorEnvTemplate, "missing", "shipflow init"},
		{".env.template links out of the repository", func(t *testing.T, g *gittest.Repo, _ *git.Repo) {
			outside := filepath.Join(t.TempDir(), "env")
			if err := os.WriteFile(outside, []byte("X=1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			remove(t, g, ".env.template")
			if err := os.Symlink(outside, filepath.Join(g.Dir, ".env.template")); err != nil {
				t.Fatal(err)
			}
		}, map[string]string{DoctorEnvTemplate: "required"}, DoctorEnvTemplate, "outside the repository", "regular file"},
		{"changelog elsewhere", func(t *testing.T, g *gittest.Repo, _ *git.Repo) {
			g.WriteFile(".shipflow.yaml", "changelog:\n  file: docs/CHANGES.md\n")
		}, map[string]string{DoctorChangelog: "required"}, DoctorChangelog, "missing", "docs/CHANGES.md"},
		{"invalid .shipflow.yaml", func(t *testing.T, g *gittest.Repo, _ *git.Repo) { g.WriteFile(".shipflow.yaml", "lint: [\n") },
			map[string]string{DoctorConfig: "required"}, DoctorConfig, "invalid: .shipflow.yaml", "correct it"},
		{"no .shipflow.yaml", func(t *testing.T, g *gittest.Repo, _ *git.Repo) { remove(t, g, ".shipflow.yaml") },
			map[string]string{}, DoctorConfig, "missing: the defaults apply", ""},
		{"no workflows", func(t *testing.T, g *gittest.Repo, _ *git.Repo) { remove(t, g, ".github") },
			map[string]string{DoctorCIWorkflow: "required", DoctorReleaseWorkflow: "required"}, DoctorCIWorkflow, "missing", "it writes .github/workflows/ci.yml"},
		{"workflows running the CLI", func(t *testing.T, g *gittest.Repo, _ *git.Repo) {
			remove(t, g, ".github")
			g.WriteFile(".github/workflows/checks.yaml", "jobs:\n  x:\n    steps:\n      - run: shipflow lint --from origin/main\n")
			g.WriteFile(".github/workflows/cd.yml", "jobs:\n  x:\n    steps:\n      - run: go run ./cmd/shipflow release\n")
		}, map[string]string{}, DoctorReleaseWorkflow, "present: .github/workflows/cd.yml", ""},
		{"shipflow's own workflows", func(t *testing.T, g *gittest.Repo, _ *git.Repo) {
			remove(t, g, ".github")
			g.WriteFile("action.yml", "name: shipflow\n")
			g.WriteFile(".github/workflows/pr.yml", "jobs:\n  x:\n    steps:\n      - uses: ./\n        with: {command: pr}\n")
			g.WriteFile(".github/workflows/release.yml", "jobs:\n  x:\n    steps:\n      - uses: ./actions/release\n")
		}, map[string]string{}, DoctorCIWorkflow, "present: .github/workflows/pr.yml", ""},
		{"local actions of another repository", func(t *testing.T, g *gittest.Repo, _ *git.Repo) {
			remove(t, g, ".github")
			g.WriteFile(".github/workflows/pr.yml", "jobs:\n  x:\n    steps:\n      - uses: ./\n")
			g.WriteFile(".github/workflows/release.yml", "jobs:\n  x:\n    steps:\n      - uses: ./actions/release\n")
		}, map[string]string{DoctorCIWorkflow: "required", DoctorReleaseWorkflow: "required"}, DoctorReleaseWorkflow, "missing", "shipflow init"},
		{".env not ignored", func(t *testing.T, g *gittest.Repo, _ *git.Repo) { g.WriteFile(".gitignore", "reports/\n") },
			map[string]string{DoctorEnvIgnored: "required"}, DoctorEnvIgnored, "not ignored", "adds .env to .gitignore"},
		{".env tracked", func(t *testing.T, g *gittest.Repo, _ *git.Repo) {
			g.WriteFile("svc/.env", "SECRET_KEY=x\n")
			g.WriteFile(".env.example", "SECRET_KEY=\n")
			g.Git("add", "-f", "svc/.env", ".env.example", ".env.template")
		}, map[string]string{DoctorEnvUntracked: "required"}, DoctorEnvUntracked, "tracked by git: svc/.env", "git rm --cached svc/.env"},
		{"no commit-msg hook", func(t *testing.T, g *gittest.Repo, repo *git.Repo) {
			if _, err := UninstallHook(context.Background(), repo); err != nil {
				t.Fatal(err)
			}
		}, map[string]string{DoctorCommitMsgHook: "warning"}, DoctorCommitMsgHook, "not installed", "shipflow hook install"},
		{"pre-commit hook installed", func(t *testing.T, g *gittest.Repo, repo *git.Repo) {
			if _, err := InstallHook(context.Background(), repo, HookOptions{Command: "shipflow", Hook: HookPreCommit}); err != nil {
				t.Fatal(err)
			}
		}, map[string]string{DoctorPreCommitHook: ""}, DoctorPreCommitHook, "installed", ""},
		{"dev exists", func(t *testing.T, g *gittest.Repo, _ *git.Repo) {
			g.Git("commit", "-q", "--allow-empty", "--no-verify", "-m", "chore: start") // the hook needs a shipflow on PATH
			g.Branch("dev")
		}, map[string]string{DoctorIntegrationBranch: ""}, DoctorIntegrationBranch, "present", ""},
		{"HEAD on master", func(t *testing.T, g *gittest.Repo, _ *git.Repo) { g.Git("symbolic-ref", "HEAD", "refs/heads/master") },
			map[string]string{DoctorStableBranch: "warning"}, DoctorStableBranch, "missing: releases are cut from main", "git branch -m main"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, repo := initRepo(t)
			c.change(t, g, repo)
			rep := doctorOf(t, repo)
			want := map[string]string{DoctorPreCommitHook: "warning", DoctorIntegrationBranch: "warning"}
			for id, v := range c.want {
				if v == "" {
					delete(want, id)
				} else {
					want[id] = v
				}
			}
			if diff := cmp.Diff(want, failed(rep)); diff != "" {
				t.Errorf("failed checks (-want +got):\n%s", diff)
			}
			got := check(t, rep, c.id)
			if c.id == DoctorEnvUntracked && got.Status != "tracked by git: svc/.env" {
				t.Errorf("status %q names more than svc/.env (.env.template and .env.example are meant to be committed)", got.Status)
			}
			if !strings.Contains(got.Status, c.status) {
				t.Errorf("status %q, want it to contain %q", got.Status, c.status)
			}
			if !strings.Contains(got.Fix, c.fix) || (c.fix == "") != (got.Fix == "") {
				t.Errorf("fix %q, want it to contain %q", got.Fix, c.fix)
			}
		})
	}
}

func remove(t *testing.T, g *gittest.Repo, name string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(g.Dir, name)); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, g *gittest.Repo, name string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(filepath.Join(g.Dir, name), mode); err != nil {
		t.Fatal(err)
	}
}

// doctorSample is a report with a passed check, a missing required file
// and a warning.
var doctorSample = &DoctorReport{Checks: []DoctorCheck{
	{ID: DoctorEnvTemplate, Subject: ".env.template", File: ".env.template", Required: true, OK: true, Status: "present"},
	{ID: DoctorRollbackScript, Subject: "rollback.sh", File: "rollback.sh", Required: true, Status: "missing", Fix: "run 'shipflow init': it writes rollback.sh (and keeps the files that exist)"},
	{ID: DoctorCommitMsgHook, Subject: "commit-msg hook", Status: "not installed", Fix: "run 'shipflow hook install'"},
}}

func TestDoctorText(t *testing.T) {
	var b bytes.Buffer
	if err := doctorSample.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `✔ .env.template    present
✖ rollback.sh      missing
    fix: run 'shipflow init': it writes rollback.sh (and keeps the files that exist)
! commit-msg hook  not installed
    fix: run 'shipflow hook install'
✖ 1 required file or setting is missing; 1 warning
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func TestDoctorJSON(t *testing.T) {
	var b bytes.Buffer
	if err := doctorSample.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OK       bool `json:"ok"`
		Missing  int  `json:"missing"`
		Warnings int  `json:"warnings"`
		Checks   []struct {
			ID, Subject, File, Status, Fix string
			Required, OK                   bool
		} `json:"checks"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if doc.OK || doc.Missing != 1 || doc.Warnings != 1 || len(doc.Checks) != 3 {
		t.Fatalf("document: %s", b.String())
	}
	if c := doc.Checks[1]; c.ID != DoctorRollbackScript || c.File != "rollback.sh" || !c.Required || c.OK || c.Status != "missing" || !strings.Contains(c.Fix, "shipflow init") {
		t.Errorf("rollback.sh check: %+v", c)
	}
}

func TestDoctorGitHub(t *testing.T) {
	var b bytes.Buffer
	if err := doctorSample.WriteFindings(report.NewGitHub(&b)); err != nil {
		t.Fatal(err)
	}
	want := `::error file=rollback.sh,title=shipflow doctor%3A rollback.sh::rollback.sh: missing%0Arun 'shipflow init': it writes rollback.sh (and keeps the files that exist)
::warning title=shipflow doctor%3A commit-msg hook::commit-msg hook: not installed%0Arun 'shipflow hook install'
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("github (-want +got):\n%s", diff)
	}
}
