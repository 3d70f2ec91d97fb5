package monorepo_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/monorepo"
)

func TestLinked(t *testing.T) {
	tests := []struct {
		name    string
		members []monorepo.Member
		want    monorepo.LinkedVersion
		next    string
	}{
		{
			"highest bump on highest version",
			[]monorepo.Member{{Name: "a", Current: "1.4.0", Bump: monorepo.Patch}, {Name: "b", Current: "v1.2.9", Bump: monorepo.Minor}, {Name: "c", Current: "1.3.0"}},
			monorepo.LinkedVersion{Base: "1.4.0", Bump: monorepo.Minor}, "1.5.0",
		},
		{
			"breaking change in one member",
			[]monorepo.Member{{Name: "a", Current: "2.0.1", Bump: monorepo.Major}, {Name: "b", Current: "2.1.0", Bump: monorepo.Patch}},
			monorepo.LinkedVersion{Base: "2.1.0", Bump: monorepo.Major}, "3.0.0",
		},
		{
			"no member moves",
			[]monorepo.Member{{Name: "a", Current: "1.0.0"}, {Name: "b", Current: "1.1.0"}},
			monorepo.LinkedVersion{Base: "1.1.0"}, "",
		},
		{
			"new member joins at the group's version",
			[]monorepo.Member{{Name: "a", Current: "0.3.0"}, {Name: "new", Bump: monorepo.Minor}},
			monorepo.LinkedVersion{Base: "0.3.0", Bump: monorepo.Minor}, "0.4.0",
		},
		{
			"never released",
			[]monorepo.Member{{Name: "a", Bump: monorepo.Patch}},
			monorepo.LinkedVersion{Bump: monorepo.Patch}, "",
		},
		{
			"prerelease orders below its release",
			[]monorepo.Member{{Name: "a", Current: "2.0.0-rc.1", Bump: monorepo.Patch}, {Name: "b", Current: "1.9.0"}},
			monorepo.LinkedVersion{Base: "2.0.0-rc.1", Bump: monorepo.Patch}, "2.0.0",
		},
		{"empty group", nil, monorepo.LinkedVersion{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := monorepo.Linked(tt.members)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Linked (-want +got):\n%s", d)
			}
			if n := got.Next(); n != tt.next {
				t.Errorf("Next() = %q, want %q", n, tt.next)
			}
		})
	}
}

func TestLinkedRejectsBadVersions(t *testing.T) {
	for _, v := range []string{"latest", "1.2", "v", "1.2.3.4"} {
		_, err := monorepo.Linked([]monorepo.Member{{Name: "ok", Current: "1.0.0"}, {Name: "web", Current: v}})
		if err == nil || !strings.Contains(err.Error(), `"web"`) || !strings.Contains(err.Error(), v) {
			t.Errorf("Linked with %q: error %v, want one naming web and the version", v, err)
		}
	}
}
