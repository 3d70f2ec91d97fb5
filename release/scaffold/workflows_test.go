package scaffold

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// workflow is the part of a workflow file these tests read.
type workflow struct {
	On          map[string]yaml.Node `yaml:"on"`
	Permissions map[string]string    `yaml:"permissions"`
	Concurrency struct {
		Group string `yaml:"group"`
	} `yaml:"concurrency"`
	Jobs map[string]struct {
		If    string `yaml:"if"`
		Steps []struct {
			ID   string            `yaml:"id"`
			Name string            `yaml:"name"`
			If   string            `yaml:"if"`
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func parseWorkflow(t *testing.T, data string) workflow {
	t.Helper()
	var wf workflow
	if err := yaml.Unmarshal([]byte(data), &wf); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return wf
}

func eventTypes(t *testing.T, wf workflow, event string) []string {
	t.Helper()
	n, ok := wf.On[event]
	if !ok {
		t.Fatalf("on: has no %s", event)
	}
	var ev struct {
		Types []string `yaml:"types"`
	}
	if err := n.Decode(&ev); err != nil {
		t.Fatal(err)
	}
	return ev.Types
}

// TestCIWorkflowEvents: the pull request check re-runs on every change
// that can change its verdict, runs in merge queues, and a fork's pull
// request saves its report for ci-report.yml.
func TestCIWorkflowEvents(t *testing.T) {
	wf := parseWorkflow(t, filesFor(t, Project{}, ReleaseModePR)[".github/workflows/ci.yml"])
	want := []string{"opened", "edited", "synchronize", "reopened", "ready_for_review", "labeled", "unlabeled"}
	if got := eventTypes(t, wf, "pull_request"); !slices.Equal(got, want) {
		t.Errorf("pull_request types %v, want %v", got, want)
	}
	if got := eventTypes(t, wf, "merge_group"); !slices.Equal(got, []string{"checks_requested"}) {
		t.Errorf("merge_group types %v", got)
	}
	if _, ok := wf.On["pull_request_target"]; ok {
		t.Error("ci.yml must not run on pull_request_target: it checks out the pull request's code")
	}
	var pr, upload bool
	for _, s := range wf.Jobs["process"].Steps {
		switch {
		case strings.HasPrefix(s.Uses, "shipflow/shipflow/actions/pr@"):
			pr = true
			if !strings.Contains(s.If, "github.event_name == 'merge_group'") || !strings.Contains(s.If, "github.event_name == 'pull_request'") {
				t.Errorf("the pr step runs if %q: want pull_request and merge_group", s.If)
			}
			if r := s.With["save-report"]; !strings.Contains(r, "head.repo.full_name != github.repository") || !strings.Contains(r, "shipflow-pr-report.json") {
				t.Errorf("the pr step saves its report %q: want it for fork pull requests", r)
			}
		case strings.HasPrefix(s.Uses, "actions/upload-artifact@"):
			upload = strings.HasPrefix(s.If, "always() && ") && strings.Contains(s.If, "head.repo.full_name != github.repository") &&
				s.With["name"] == "shipflow-report" && s.With["path"] == "shipflow-pr-report.json"
			if !upload {
				t.Errorf("upload step %+v", s)
			}
		}
	}
	if !pr || !upload {
		t.Errorf("pr step %v, report upload %v", pr, upload)
	}
	// A label or title change neither runs the tests nor cancels a run
	// that does.
	if !strings.Contains(wf.Jobs["test"].If, `"labeled"`) || !strings.Contains(wf.Concurrency.Group, `"labeled"`) {
		t.Errorf("test job if %q, concurrency group %q", wf.Jobs["test"].If, wf.Concurrency.Group)
	}
}

// TestCIReportWorkflow: the fork report is posted from a workflow_run of
// CI with the least permissions, and the fork's code is never checked out.
func TestCIReportWorkflow(t *testing.T) {
	for _, mode := range ReleaseModes {
		data := filesFor(t, Project{}, mode)[".github/workflows/ci-report.yml"]
		wf := parseWorkflow(t, data)
		var run struct {
			Workflows []string `yaml:"workflows"`
			Types     []string `yaml:"types"`
		}
		n := wf.On["workflow_run"]
		if err := n.Decode(&run); err != nil || !slices.Equal(run.Workflows, []string{"CI"}) || !slices.Equal(run.Types, []string{"completed"}) {
			t.Errorf("on.workflow_run = %+v (%v), want workflows [CI], types [completed]", run, err)
		}
		if len(wf.On) != 1 {
			t.Errorf("on: %v, want workflow_run only", wf.On)
		}
		if want := map[string]string{"checks": "write", "actions": "read"}; len(wf.Permissions) != 2 || wf.Permissions["checks"] != "write" || wf.Permissions["actions"] != "read" {
			t.Errorf("permissions %v, want %v", wf.Permissions, want)
		}
		if strings.Contains(data, "actions/checkout") || strings.Contains(data, "\n        run:") {
			t.Errorf("ci-report.yml checks out or runs code:\n%s", data)
		}
		job := wf.Jobs["report"]
		if !strings.Contains(job.If, "workflow_run.event == 'pull_request'") || !strings.Contains(job.If, "head_repository.full_name != github.repository") {
			t.Errorf("report job runs if %q: want fork pull requests only", job.If)
		}
		var download, publish bool
		for _, s := range job.Steps {
			switch {
			case strings.HasPrefix(s.Uses, "actions/download-artifact@"):
				download = s.With["name"] == "shipflow-report" && s.With["run-id"] == "${{ github.event.workflow_run.id }}"
			case strings.HasPrefix(s.Uses, "shipflow/shipflow/actions/publish@"):
				publish = s.With["report-file"] == "shipflow-report/shipflow-pr-report.json"
			}
		}
		if !download || !publish {
			t.Errorf("download %v, publish %v:\n%s", download, publish, data)
		}
	}
}

// TestReleaseWorkflowWatchesAndRollsBack: after the image push, the
// release workflow watches the health URL and rolls back when a later
// step fails, once: not after the watch rolled back itself.
func TestReleaseWorkflowWatchesAndRollsBack(t *testing.T) {
	for _, mode := range ReleaseModes {
		t.Run(mode, func(t *testing.T) {
			wf := parseWorkflow(t, filesFor(t, Project{}, mode)[releaseYML])
			var order []string
			for _, s := range wf.Jobs["release"].Steps {
				switch {
				case strings.HasPrefix(s.Uses, "shipflow/shipflow/actions/image@"):
					order = append(order, "push")
					if s.ID != "push" {
						t.Errorf("push step id %q", s.ID)
					}
				case strings.HasPrefix(s.Uses, "shipflow/shipflow/actions/image-watch@"):
					order = append(order, "watch")
					if s.ID != "watch" || s.If != "steps.push.outcome == 'success'" || s.With["repo"] != "${{ steps.push.outputs.repository }}" {
						t.Errorf("watch step %+v", s)
					}
				case strings.HasPrefix(s.Uses, "shipflow/shipflow/actions/image-rollback@"):
					order = append(order, "rollback")
					if !strings.HasPrefix(s.If, "failure() && steps.push.outcome == 'success'") || !strings.Contains(s.If, "steps.watch.outputs.rolled-back != 'true'") ||
						s.With["repo"] != "${{ steps.push.outputs.repository }}" {
						t.Errorf("rollback step %+v", s)
					}
				case strings.HasPrefix(s.Uses, "actions/upload-artifact@"):
					order = append(order, "record")
					if s.With["path"] != "shipflow-rollback.json" || !strings.HasPrefix(s.If, "always()") {
						t.Errorf("record step %+v", s)
					}
				}
			}
			if want := []string{"push", "watch", "rollback", "record"}; !slices.Equal(order, want) {
				t.Errorf("image steps %v, want %v", order, want)
			}
		})
	}
}
