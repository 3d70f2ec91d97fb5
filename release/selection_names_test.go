package release

import "testing"

// TestSelectNamesIntegration checks which merge headers name the
// integration branch as the branch merged (a promotion).
func TestSelectNamesIntegration(t *testing.T) {
	for _, tt := range []struct {
		header, integration string
		want                bool
	}{
		{"Merge pull request #13 from owner/dev", "dev", true},
		{"Merge pull request #13 from owner/develop", "dev", false},
		{"Merge pull request #11 from owner/feature/dev", "dev", false},
		{"Merge pull request #13 from owner/develop", "develop", true},
		{"Merge branch 'dev'", "dev", true},
		{"Merge branch 'dev' into main", "dev", true},
		{"Merge branch 'dev' into 'main'", "dev", true}, // GitLab
		{"Merge remote-tracking branch 'origin/dev'", "dev", true},
		{"Merge remote-tracking branch 'origin/feature/x'", "dev", false},
		{"Merge branch 'main' into dev", "dev", false}, // a back-merge
		{"Merge branch 'feature/dev'", "dev", false},
		{"Merged in dev (pull request #13)", "dev", true}, // Bitbucket
		{"chore: release sprint 12 (#13)", "dev", false},
		{"Merge branch 'dev'", "", false},
	} {
		t.Run(tt.header, func(t *testing.T) {
			if got := (selectRules{integration: tt.integration}).namesIntegration(tt.header); got != tt.want {
				t.Errorf("namesIntegration(%q) with integration %q = %v, want %v", tt.header, tt.integration, got, tt.want)
			}
		})
	}
}
