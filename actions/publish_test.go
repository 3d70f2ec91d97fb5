package actions

import (
	"context"
	"testing"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/github"
)

// releasesOnly is a forge that publishes releases but shows neither check
// runs nor commit statuses (as some forges do not).
type releasesOnly struct{ release.Forge }

// statusesOnly is a forge with commit statuses and no check runs.
type statusesOnly struct {
	release.Forge
	statuses []github.Status
}

func (f *statusesOnly) CreateStatus(_ context.Context, owner, repo, sha string, st github.Status) error {
	f.statuses = append(f.statuses, st)
	return nil
}

// TestPublishToForgeCapabilities: a report goes to the forge through the
// capability it asked for; a forge without it is skipped with the reason,
// and nothing fails.
func TestPublishToForgeCapabilities(t *testing.T) {
	rep := &Report{Name: "shipflow lint", Conclusion: Failed, Title: "2 problems"}
	ev := &Event{Repository: "o/r", SHA: "0123456789abcdef0123456789abcdef01234567"}
	r, _, _ := tempRunner(t, nil)

	for _, tt := range []struct {
		name  string
		forge release.Forge
		mode  ReportMode
		want  Published
	}{
		{"no check runs", releasesOnly{}, ReportCheck, Published{Skipped: "the forge has no check runs"}},
		{"no statuses", releasesOnly{}, ReportStatus, Published{Skipped: "the forge has no commit statuses"}},
		{"status", &statusesOnly{}, ReportStatus, Published{Status: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := r.toForge(context.Background(), tt.forge, "o", "r", rep, ev, PublishOptions{Mode: tt.mode})
			if got != tt.want {
				t.Errorf("published = %+v, want %+v", got, tt.want)
			}
		})
	}
	f := &statusesOnly{}
	r.toForge(context.Background(), f, "o", "r", rep, ev, PublishOptions{Mode: ReportStatus})
	if len(f.statuses) != 1 || f.statuses[0].State != "failure" || f.statuses[0].Context != "shipflow lint" || f.statuses[0].Description != "2 problems" {
		t.Errorf("statuses = %+v, want one failure for shipflow lint", f.statuses)
	}
}
